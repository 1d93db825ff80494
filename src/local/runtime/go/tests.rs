//! The gob subset against bytes Go's own encoder wrote (`tests/fixtures/go-gob`, made by
//! `go run .` there), and the mapping of the runtime's answers.

use super::gob::{Decoder, Encoder, Value};
use super::*;

const REQUEST: &[u8] = include_bytes!("../../../../tests/fixtures/go-gob/request.gob");
const RESPONSE: &[u8] = include_bytes!("../../../../tests/fixtures/go-gob/response.gob");
const KINDS: &[u8] = include_bytes!("../../../../tests/fixtures/go-gob/kinds.gob");

/// Every value in a stream of messages.
fn values(mut stream: &[u8]) -> Vec<Value> {
    let mut decoder = Decoder::default();
    let mut out = Vec::new();
    while !stream.is_empty() {
        let (length, used) = {
            let first = stream[0];
            if first < 128 {
                (usize::from(first), 1)
            } else {
                let count = 256 - usize::from(first);
                let n = stream[1..=count]
                    .iter()
                    .fold(0usize, |n, b| (n << 8) | usize::from(*b));
                (n, 1 + count)
            }
        };
        let message = &stream[used..used + length];
        if let Some(value) = decoder.message(message).unwrap() {
            out.push(value);
        }
        stream = &stream[used + length..];
    }
    out
}

fn text(value: &str) -> Value {
    Value::Bytes(value.as_bytes().to_vec())
}

#[test]
fn go_responses_decode() {
    let values = values(RESPONSE);
    assert_eq!(values.len(), 6);
    assert_eq!(values[0].bytes_of("ServiceMethod"), b"Function.Invoke");
    assert_eq!(values[0].int_of("Seq"), 1);
    assert_eq!(values[1].int_of("StatusCode"), 200);
    assert_eq!(values[1].bytes_of("Payload"), b"Hello, FunctionGraph!");
    assert_eq!(values[2].int_of("Seq"), 2);
    assert!(String::from_utf8_lossy(values[2].bytes_of("Error")).contains("FunctionReturnError"));
    assert_eq!(values[3], Value::Struct(vec![]));
    assert_eq!(values[5].bytes_of("Payload"), vec![b'y'; 70000].as_slice());
}

#[test]
fn every_basic_kind_decodes() {
    let values = values(KINDS);
    let [value] = values.as_slice() else {
        panic!("{values:?}")
    };
    let field = |name| value.field(name).unwrap().clone();
    assert_eq!(field("B"), Value::Bool(true));
    assert_eq!(field("I"), Value::Int(-1_234_567));
    assert_eq!(field("U"), Value::Uint(1 << 40));
    assert_eq!(field("F"), Value::Float(2.5));
    assert_eq!(field("S"), text("é"));
    assert_eq!(
        field("List"),
        Value::List(vec![Value::Int(1), Value::Int(-2)])
    );
    assert_eq!(field("Map"), Value::Map(vec![(text("a"), Value::Int(1))]));
    assert_eq!(
        field("Inner"),
        Value::Struct(vec![("Name".into(), text("in"))])
    );
    assert_eq!(
        field("Items"),
        Value::List(vec![Value::Struct(vec![("Name".into(), text("x"))])])
    );
    assert_eq!(
        field("Arr"),
        Value::List(vec![Value::Uint(7), Value::Uint(8)])
    );
}

#[test]
fn requests_encode_to_what_go_sends() {
    // Go's encoder numbers types in its own order, so the bytes differ; what they carry
    // must not.
    let go = values(REQUEST);
    let mut encoder = Encoder::default();
    let mut ours = encode_call(
        &mut encoder,
        1,
        br#"{"k":1}"#,
        vec![
            ("X-Cff-Request-Id", "abc".into()),
            ("X-Cff-Invoke-Type", "sync".into()),
        ],
    )
    .unwrap();
    // The second call on the same stream defines no type again.
    let second = encode_call(&mut encoder, 2, &[b'x'; 300], vec![]).unwrap();
    assert!(
        !second.windows(13).any(|w| w == b"InvokeRequest"),
        "{second:?}"
    );
    ours.extend_from_slice(&second);
    let ours = values(&ours);
    assert_eq!(ours.len(), 4);
    assert_eq!(ours[0], go[0]);
    assert_eq!(ours[2], go[2]);
    assert_eq!(ours[3], go[3]);
    // A map's order is Go's choice: compare the headers as sets.
    let sorted = |v: &Value| match v.field("Header") {
        Some(Value::Map(pairs)) => {
            let mut pairs: Vec<String> = pairs.iter().map(|p| format!("{p:?}")).collect();
            pairs.sort();
            pairs
        }
        other => panic!("{other:?}"),
    };
    assert_eq!(sorted(&ours[1]), sorted(&go[1]));
    assert_eq!(ours[1].bytes_of("Payload"), go[1].bytes_of("Payload"));
}

#[test]
fn the_runtimes_errors_keep_their_shape_and_get_their_codes() {
    let returned =
        b"{\n    \"errorMessage\": \"boom\",\n    \"errorType\": \"FunctionReturnError\"\n}";
    match error_answer(returned) {
        Answer::Error(ErrorCode::Invocation, body) => assert_eq!(body, returned),
        other => panic!("{other:?}"),
    }
    let large = br#"{"errorMessage": "Response body size '7' larger than max value '6'.", "errorType": "FunctionResponseTooLarge"}"#;
    assert!(matches!(
        error_answer(large),
        Answer::Error(ErrorCode::TooLarge, _)
    ));
    match error_answer(b"rpc: can't find service Function.Invoke") {
        Answer::Error(ErrorCode::Invocation, body) => {
            let json: serde_json::Value = serde_json::from_slice(&body).unwrap();
            assert_eq!(
                json["errorMessage"],
                "rpc: can't find service Function.Invoke"
            );
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn debug_mode_runs_delve_headless_on_the_debug_address() {
    let listen: SocketAddr = "127.0.0.1:2345".parse().unwrap();
    let args = delve_args(Path::new("fn/handler"), listen);
    assert_eq!(
        args.join(" "),
        format!(
            "exec {} --headless --listen=127.0.0.1:2345 --api-version=2 --accept-multiclient",
            Path::new("fn/handler").display()
        )
    );
}
