//! Trigger events: the templates FunctionGraph's triggers send, and an APIG event builder.
//!
//! The templates are JSON files under `templates/`, embedded at build time, in the shapes
//! the triggers document, with obviously fake values. The builder turns an HTTP request
//! given on the command line (method, path, `k=v` query items, `k:v` header items and a
//! body) into the event API Gateway would send for it.

use std::io::Read;

use anyhow::{Context, bail};
use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use serde_json::{Map, Value, json};

/// Every template: name, one-line description, JSON text.
const TEMPLATES: &[(&str, &str, &str)] = &[
    (
        "apig",
        "API Gateway request with a plain JSON body",
        include_str!("templates/apig.json"),
    ),
    (
        "apig-base64",
        "API Gateway request with a base64 body (the gateway's usual form)",
        include_str!("templates/apig-base64.json"),
    ),
    (
        "timer",
        "timer trigger firing with a user event",
        include_str!("templates/timer.json"),
    ),
    (
        "obs",
        "OBS object created in a bucket (S3-style record)",
        include_str!("templates/obs.json"),
    ),
    (
        "smn",
        "SMN notification published to a topic",
        include_str!("templates/smn.json"),
    ),
    (
        "lts",
        "LTS log batch (base64 JSON in lts.data)",
        include_str!("templates/lts.json"),
    ),
    (
        "cts",
        "CTS audit trace of a cloud operation",
        include_str!("templates/cts.json"),
    ),
    (
        "dds",
        "DDS (document database) change record",
        include_str!("templates/dds.json"),
    ),
    (
        "dis",
        "DIS stream records (base64 data)",
        include_str!("templates/dis.json"),
    ),
    (
        "kafka",
        "Kafka messages from a topic (DMS or open-source Kafka)",
        include_str!("templates/kafka.json"),
    ),
    (
        "rabbitmq",
        "RabbitMQ messages from an exchange",
        include_str!("templates/rabbitmq.json"),
    ),
    (
        "rocketmq",
        "RocketMQ messages from a topic",
        include_str!("templates/rocketmq.json"),
    ),
    (
        "cloudevents",
        "EventGrid event in CloudEvents 1.0 form",
        include_str!("templates/cloudevents.json"),
    ),
    (
        "blank",
        "the console's blank test event",
        include_str!("templates/blank.json"),
    ),
];

/// Template names with their one-line descriptions, in a stable order.
pub fn names() -> &'static [(&'static str, &'static str)] {
    const NAMES: [(&str, &str); TEMPLATES.len()] = {
        let mut names = [("", ""); TEMPLATES.len()];
        let mut i = 0;
        while i < TEMPLATES.len() {
            names[i] = (TEMPLATES[i].0, TEMPLATES[i].1);
            i += 1;
        }
        names
    };
    &NAMES
}

/// The JSON text of a template, exactly as embedded.
pub fn template(name: &str) -> Option<&'static str> {
    TEMPLATES
        .iter()
        .find(|(n, _, _)| *n == name)
        .map(|(_, _, text)| *text)
}

/// The gateway's fake identity in built events (the same values as the `apig` templates).
const API_ID: &str = "00000000000000000000000000000aa1";
const REQUEST_ID: &str = "00000000000000000000000000000bb2";
const STAGE: &str = "RELEASE";
const SOURCE_IP: &str = "192.0.2.1";
const HOST: &str = "api.example.invalid";

/// An HTTP request as it reaches API Gateway, before it becomes an event.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ApigRequest {
    pub method: String,
    pub path: String,
    /// `queryStringParameters`, in order; a name given twice keeps its last value.
    pub query: Vec<(String, String)>,
    /// Header names in any case; a name given twice keeps its last value.
    pub headers: Vec<(String, String)>,
    pub body: Option<Vec<u8>>,
}

/// The event API Gateway sends to a function for `request`.
///
/// As the gateway does: the body is base64-encoded with `isBase64Encoded: true` (an
/// absent body is `""`), header names are lower case and single-valued, the method is
/// upper case and the path starts with `/`. `host`, `x-real-ip` and `x-request-id` are
/// filled with fake values unless the request sets them; `pathParameters` is empty, as
/// for a route without parameters.
pub fn apig_event(request: &ApigRequest) -> Value {
    let mut headers = Map::new();
    headers.insert("host".into(), HOST.into());
    headers.insert("x-real-ip".into(), SOURCE_IP.into());
    headers.insert("x-request-id".into(), REQUEST_ID.into());
    for (name, value) in &request.headers {
        headers.insert(name.to_ascii_lowercase(), value.as_str().into());
    }
    let query: Map<String, Value> = request
        .query
        .iter()
        .map(|(k, v)| (k.clone(), Value::from(v.as_str())))
        .collect();
    let path = if request.path.starts_with('/') {
        request.path.clone()
    } else {
        format!("/{}", request.path)
    };
    json!({
        "body": BASE64.encode(request.body.as_deref().unwrap_or_default()),
        "isBase64Encoded": true,
        "httpMethod": request.method.to_ascii_uppercase(),
        "path": path,
        "pathParameters": {},
        "queryStringParameters": query,
        "headers": headers,
        "requestContext": {
            "apiId": API_ID,
            "requestId": REQUEST_ID,
            "stage": STAGE,
            "sourceIp": SOURCE_IP,
        },
    })
}

/// One query item, `NAME=VALUE`: split at the first `=`; the value may be empty or hold
/// more `=`, the name may not be empty.
pub fn parse_query_item(item: &str) -> Result<(String, String), String> {
    match item.split_once('=') {
        Some((name, value)) if !name.is_empty() => Ok((name.to_owned(), value.to_owned())),
        Some(_) => Err(format!("query item {item:?} has an empty name")),
        None => Err(format!(
            "query item {item:?} is not NAME=VALUE (no '=' in it)"
        )),
    }
}

/// One header item, `NAME:VALUE`: split at the first `:`, spaces around the value
/// trimmed. The name must be an HTTP token; the value may be empty but may not hold
/// control characters (a line break would forge another header).
pub fn parse_header_item(item: &str) -> Result<(String, String), String> {
    let Some((name, value)) = item.split_once(':') else {
        return Err(format!(
            "header item {item:?} is not NAME:VALUE (no ':' in it)"
        ));
    };
    if name.is_empty() {
        return Err(format!("header item {item:?} has an empty name"));
    }
    if let Some(bad) = name.chars().find(|c| !is_token_char(*c)) {
        return Err(format!(
            "header item {item:?} has {bad:?} in its name, which HTTP does not allow"
        ));
    }
    let value = value.trim_matches([' ', '\t']);
    if value.chars().any(|c| c.is_control() && c != '\t') {
        return Err(format!(
            "header item {item:?} has a control character in its value"
        ));
    }
    Ok((name.to_owned(), value.to_owned()))
}

/// RFC 9110 `tchar`: the characters of a header name.
fn is_token_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c)
}

/// The largest request body read: anything larger cannot fit in a synchronous call's
/// 6 MB payload once base64-encoded into the event.
pub const BODY_LIMIT: usize = 6 * 1024 * 1024;

/// The request body from the command line: `@PATH` reads a file, `@-` reads `stdin`,
/// anything else is the body itself. The bytes are kept as they are (no JSON check: a
/// gateway body can be anything).
pub fn read_body(raw: &str, stdin: impl Read) -> anyhow::Result<Vec<u8>> {
    let bytes = match raw.strip_prefix('@') {
        Some("-") => read_limited(stdin).context("reading the body from stdin")?,
        Some("") => bail!("the body \"@\" names no file (use @PATH, or @- for stdin)"),
        Some(path) => {
            let file =
                std::fs::File::open(path).with_context(|| format!("opening body file {path}"))?;
            read_limited(file).with_context(|| format!("reading body file {path}"))?
        }
        None => raw.as_bytes().to_vec(),
    };
    if bytes.len() > BODY_LIMIT {
        bail!("the body is larger than the service's limit of {BODY_LIMIT} bytes");
    }
    Ok(bytes)
}

/// Read at most one byte past the limit, so an oversized input is refused without
/// reading all of it.
fn read_limited(input: impl Read) -> std::io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    input.take(BODY_LIMIT as u64 + 1).read_to_end(&mut bytes)?;
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The top-level keys each template documents (runtime reference §6).
    const TOP_LEVEL_KEYS: &[(&str, &[&str])] = &[
        (
            "apig",
            &[
                "body",
                "isBase64Encoded",
                "httpMethod",
                "path",
                "pathParameters",
                "queryStringParameters",
                "headers",
                "requestContext",
            ],
        ),
        (
            "apig-base64",
            &[
                "body",
                "isBase64Encoded",
                "httpMethod",
                "path",
                "pathParameters",
                "queryStringParameters",
                "headers",
                "requestContext",
            ],
        ),
        (
            "timer",
            &[
                "version",
                "time",
                "trigger_type",
                "trigger_name",
                "user_event",
            ],
        ),
        ("obs", &["Records"]),
        ("smn", &["record", "functionname", "requestId", "timestamp"]),
        ("lts", &["lts"]),
        ("cts", &["cts"]),
        ("dds", &["records"]),
        ("dis", &["ShardID", "Message", "Tag", "StreamName"]),
        (
            "kafka",
            &[
                "event_version",
                "event_time",
                "trigger_type",
                "region",
                "instance_id",
                "records",
            ],
        ),
        (
            "rabbitmq",
            &[
                "event_version",
                "event_time",
                "trigger_type",
                "region",
                "records",
            ],
        ),
        (
            "rocketmq",
            &[
                "event_version",
                "event_time",
                "trigger_type",
                "region",
                "instance_id",
                "records",
            ],
        ),
        (
            "cloudevents",
            &[
                "specversion",
                "id",
                "source",
                "type",
                "subject",
                "time",
                "datacontenttype",
                "data",
            ],
        ),
        ("blank", &["key"]),
    ];

    fn parsed(name: &str) -> Value {
        let text = template(name).unwrap_or_else(|| panic!("no template {name}"));
        serde_json::from_str(text).unwrap_or_else(|e| panic!("template {name}: {e}"))
    }

    fn decode(event: &Value) -> Vec<u8> {
        BASE64.decode(event["body"].as_str().unwrap()).unwrap()
    }

    #[test]
    fn every_template_is_json_with_its_documented_top_level_keys() {
        assert_eq!(names().len(), TOP_LEVEL_KEYS.len());
        for ((name, _), (expected_name, keys)) in names().iter().zip(TOP_LEVEL_KEYS) {
            assert_eq!(name, expected_name);
            let event = parsed(name);
            let found: Vec<&str> = event
                .as_object()
                .unwrap_or_else(|| panic!("template {name} is not an object"))
                .keys()
                .map(String::as_str)
                .collect();
            assert_eq!(&found, keys, "top-level keys of template {name}");
        }
    }

    #[test]
    fn names_have_descriptions_and_resolve() {
        for (name, description) in names() {
            assert!(!description.is_empty(), "{name} has no description");
            assert!(!description.ends_with('.'), "{name}: no trailing period");
            assert!(template(name).is_some());
        }
        assert_eq!(template("no-such-template"), None);
    }

    #[test]
    fn trigger_types_and_values_match_their_triggers() {
        assert_eq!(parsed("timer")["trigger_type"], "TIMER");
        assert_eq!(parsed("kafka")["trigger_type"], "KAFKA");
        assert_eq!(parsed("rabbitmq")["trigger_type"], "RABBITMQ");
        assert_eq!(parsed("rocketmq")["trigger_type"], "ROCKETMQ");
        assert_eq!(parsed("smn")["record"][0]["event_source"], "smn");
        assert_eq!(parsed("dds")["records"][0]["event_source"], "dds");
        assert_eq!(parsed("cloudevents")["specversion"], "1.0");
        let obs = parsed("obs");
        assert_eq!(obs["Records"][0]["s3"]["bucket"]["name"], "example-bucket");
        let lts = parsed("lts");
        let inner = BASE64.decode(lts["lts"]["data"].as_str().unwrap()).unwrap();
        serde_json::from_slice::<Value>(&inner).expect("lts.data is base64 JSON");
    }

    #[test]
    fn the_two_apig_templates_carry_the_same_body() {
        let plain = parsed("apig");
        let encoded = parsed("apig-base64");
        assert_eq!(plain["isBase64Encoded"], false);
        assert_eq!(encoded["isBase64Encoded"], true);
        assert_eq!(decode(&encoded), plain["body"].as_str().unwrap().as_bytes());
        serde_json::from_str::<Value>(plain["body"].as_str().unwrap()).unwrap();
        for key in ["httpMethod", "path", "headers", "requestContext"] {
            assert_eq!(plain[key], encoded[key], "{key}");
        }
    }

    #[test]
    fn template_headers_are_lower_case() {
        for name in ["apig", "apig-base64"] {
            for header in parsed(name)["headers"].as_object().unwrap().keys() {
                assert_eq!(header, &header.to_ascii_lowercase(), "{name}");
            }
        }
    }

    fn request() -> ApigRequest {
        ApigRequest {
            method: "post".into(),
            path: "/echo".into(),
            query: vec![("q".into(), "1".into()), ("empty".into(), String::new())],
            headers: vec![
                ("Content-Type".into(), "application/json".into()),
                ("X-Custom".into(), "a b".into()),
            ],
            body: Some(br#"{"k":"v"}"#.to_vec()),
        }
    }

    #[test]
    fn builder_has_the_apig_template_keys() {
        let event = apig_event(&request());
        let keys: Vec<&String> = event.as_object().unwrap().keys().collect();
        let template = parsed("apig-base64");
        let expected: Vec<&String> = template.as_object().unwrap().keys().collect();
        assert_eq!(keys, expected);
        let context: Vec<&String> = event["requestContext"]
            .as_object()
            .unwrap()
            .keys()
            .collect();
        assert_eq!(context, ["apiId", "requestId", "stage", "sourceIp"]);
        assert_eq!(event["pathParameters"], json!({}));
    }

    #[test]
    fn builder_body_round_trips_through_base64() {
        let event = apig_event(&request());
        assert_eq!(event["isBase64Encoded"], true);
        assert_eq!(event["body"], "eyJrIjoidiJ9");
        assert_eq!(decode(&event), br#"{"k":"v"}"#);

        let binary: Vec<u8> = (0..=255).collect();
        let event = apig_event(&ApigRequest {
            body: Some(binary.clone()),
            ..request()
        });
        assert_eq!(decode(&event), binary);
    }

    #[test]
    fn builder_without_body_sends_an_empty_encoded_body() {
        let event = apig_event(&ApigRequest {
            method: "GET".into(),
            path: "/hello".into(),
            ..ApigRequest::default()
        });
        assert_eq!(event["body"], "");
        assert_eq!(event["isBase64Encoded"], true);
        assert_eq!(event["queryStringParameters"], json!({}));
    }

    #[test]
    fn builder_normalises_method_path_and_header_names() {
        let event = apig_event(&ApigRequest {
            path: "echo".into(),
            ..request()
        });
        assert_eq!(event["httpMethod"], "POST");
        assert_eq!(event["path"], "/echo");
        assert_eq!(
            event["queryStringParameters"],
            json!({"q": "1", "empty": ""})
        );
        assert_eq!(
            event["headers"],
            json!({
                "host": HOST,
                "x-real-ip": SOURCE_IP,
                "x-request-id": REQUEST_ID,
                "content-type": "application/json",
                "x-custom": "a b",
            })
        );
        assert_eq!(event["requestContext"]["requestId"], REQUEST_ID);
    }

    #[test]
    fn builder_lets_the_request_override_defaults_and_repeats_keep_the_last() {
        let event = apig_event(&ApigRequest {
            method: "GET".into(),
            path: "/".into(),
            query: vec![("a".into(), "1".into()), ("a".into(), "2".into())],
            headers: vec![
                ("Host".into(), "example.invalid".into()),
                ("x-a".into(), "1".into()),
                ("X-A".into(), "2".into()),
            ],
            body: None,
        });
        assert_eq!(event["queryStringParameters"], json!({"a": "2"}));
        assert_eq!(event["headers"]["host"], "example.invalid");
        assert_eq!(event["headers"]["x-a"], "2");
        assert_eq!(event["headers"].as_object().unwrap().len(), 4);
    }

    #[test]
    fn query_items() {
        assert_eq!(parse_query_item("q=1"), Ok(("q".into(), "1".into())));
        assert_eq!(parse_query_item("q="), Ok(("q".into(), String::new())));
        assert_eq!(parse_query_item("a=b=c"), Ok(("a".into(), "b=c".into())));
        assert_eq!(
            parse_query_item("k=a b:c"),
            Ok(("k".into(), "a b:c".into()))
        );
    }

    #[test]
    fn malformed_query_items_are_named() {
        for item in ["novalue", "=1", ""] {
            let err = parse_query_item(item).unwrap_err();
            assert!(err.contains(&format!("{item:?}")), "{err}");
            assert!(err.starts_with("query item"), "{err}");
        }
        assert!(
            parse_query_item("novalue")
                .unwrap_err()
                .contains("NAME=VALUE")
        );
    }

    #[test]
    fn header_items() {
        assert_eq!(
            parse_header_item("Content-Type: application/json"),
            Ok(("Content-Type".into(), "application/json".into()))
        );
        assert_eq!(parse_header_item("x-a:1"), Ok(("x-a".into(), "1".into())));
        assert_eq!(
            parse_header_item("x-empty:"),
            Ok(("x-empty".into(), String::new()))
        );
        assert_eq!(
            parse_header_item("x-url: http://example.invalid:80/"),
            Ok(("x-url".into(), "http://example.invalid:80/".into()))
        );
    }

    #[test]
    fn malformed_header_items_are_named() {
        for item in [
            "novalue",
            ": v",
            "bad name: v",
            "x=y: v",
            "x-a: 1\r\nx-b: 2",
            "",
        ] {
            let err = parse_header_item(item).unwrap_err();
            assert!(err.contains(&format!("{item:?}")), "{err}");
            assert!(err.starts_with("header item"), "{err}");
        }
        assert!(
            parse_header_item("novalue")
                .unwrap_err()
                .contains("NAME:VALUE")
        );
        assert!(
            parse_header_item("bad name: v")
                .unwrap_err()
                .contains("' '")
        );
    }

    #[test]
    fn body_literal_file_and_stdin() {
        let no_stdin: &[u8] = b"";
        assert_eq!(
            read_body(r#"{"k":"v"}"#, no_stdin).unwrap(),
            br#"{"k":"v"}"#
        );
        assert_eq!(read_body("not json", no_stdin).unwrap(), b"not json");
        assert_eq!(read_body("", no_stdin).unwrap(), b"");
        assert_eq!(
            read_body("@-", &b"from\nstdin\xff"[..]).unwrap(),
            b"from\nstdin\xff"
        );

        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("body.bin");
        std::fs::write(&path, b"\x00file bytes").unwrap();
        let arg = format!("@{}", path.display());
        assert_eq!(read_body(&arg, no_stdin).unwrap(), b"\x00file bytes");
    }

    #[test]
    fn body_errors_say_what_failed() {
        let no_stdin: &[u8] = b"";
        let err = read_body("@", no_stdin).unwrap_err();
        assert!(err.to_string().contains("names no file"), "{err}");

        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("missing.json");
        let err = read_body(&format!("@{}", missing.display()), no_stdin).unwrap_err();
        assert!(
            err.to_string().contains(&missing.display().to_string()),
            "{err:#}"
        );

        let big = vec![b'x'; BODY_LIMIT + 10];
        let err = read_body("@-", &big[..]).unwrap_err();
        assert!(err.to_string().contains("limit"), "{err}");
    }
}
