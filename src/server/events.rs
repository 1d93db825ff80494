//! The saved test events of a served function (§11.1 of the API notes), kept as the files
//! `DIR/events/NAME.json`, so that `fgs event` and the console's way of testing work
//! against `fgs serve`, and what is saved lands beside the code, ready for git.
//!
//! An event's id is its name: the service's ids are opaque, and a name is unique per
//! function and already a safe file name (the service's rule, checked here as there). A
//! file whose name breaks the rule is not an event. Content is answered as base64 of the
//! file's bytes, as the service answers; it is taken as base64 of JSON or as JSON itself,
//! and written as the JSON text. The service's limit of 10 events a function holds here
//! too.

use std::path::{Path, PathBuf};
use std::time::SystemTime;

use bytes::Bytes;
use http_body_util::Full;
use hyper::body::Incoming;
use hyper::{Method, Request, Response, StatusCode};
use serde_json::{Value, json};

use super::Server;
use super::documents::{ApiFail, json_response};
use super::request::{self, marker, query_params};
use crate::cloud::events;

/// The most events a function keeps (§11.1).
const MOST: usize = 10;
/// The largest request body an event route reads.
const BODY_LIMIT: usize = 1024 * 1024;

/// A route's answer and a few words on it for the server's log.
type Answer = (Response<Full<Bytes>>, String);

impl Server {
    /// `…/functions/{urn}/events` (GET lists, POST creates) and `…/events/{id}` (GET, PUT,
    /// DELETE) for the served function `urn` names.
    pub(super) async fn events(
        &self,
        request: Request<Incoming>,
        urn: &str,
        id: Option<&str>,
    ) -> Result<Answer, ApiFail> {
        let (_, _, pool) = self.served(urn)?;
        let dir = pool.function().dir.join("events");
        let method = request.method().clone();
        let id = id.map(|id| crate::urn::from_segment(id).unwrap_or_default());
        let (parts, body) = request::read(request, BODY_LIMIT, self.verify.as_ref()).await?;
        match (method, id) {
            (Method::GET, None) => Ok(list(&dir, parts.uri.query())),
            (Method::POST, None) => create(&dir, &body),
            (Method::GET, Some(id)) => show(&dir, &id),
            (Method::PUT, Some(id)) => update(&dir, &id, &body),
            (Method::DELETE, Some(id)) => delete(&dir, &id),
            (method, _) => Err(ApiFail::new(
                StatusCode::NOT_FOUND,
                "FSS.0404",
                format!("no such API: {method} on a function's events"),
            )),
        }
    }
}

/// The events in `dir`: the names of its `NAME.json` files that keep to the rule, sorted.
fn names(dir: &Path) -> Vec<String> {
    let Ok(read) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut names: Vec<String> = read
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .filter_map(|e| {
            let name = e.file_name().to_str()?.strip_suffix(".json")?.to_string();
            events::check_name(&name).ok().map(|()| name)
        })
        .collect();
    names.sort();
    names
}

/// `GET …/events`: `{events: [{id, name, last_modified}], next_marker, count}`, from offset
/// `marker`, `maxitems` a page (all when absent; the service documents neither).
fn list(dir: &Path, query: Option<&str>) -> Answer {
    let params = query_params(query);
    let all = names(dir);
    let size = params
        .get("maxitems")
        .and_then(|m| m.parse::<usize>().ok())
        .filter(|n| *n > 0)
        .unwrap_or(usize::MAX);
    let from = marker(&params);
    let page: Vec<Value> = all
        .iter()
        .skip(from)
        .take(size)
        .map(|name| json!({"id": name, "name": name, "last_modified": modified(&file(dir, name))}))
        .collect();
    let next_marker = from + page.len();
    let answer = json!({"events": page, "next_marker": next_marker, "count": all.len()});
    (
        json_response(StatusCode::OK, &answer, None),
        "events".into(),
    )
}

/// `GET …/events/{id}`: `{id, name, content, last_modified}`, the content base64.
fn show(dir: &Path, id: &str) -> Result<Answer, ApiFail> {
    let path = existing(dir, id)?;
    let bytes = std::fs::read(&path).map_err(|e| unreadable(&path, &e))?;
    let answer = json!({
        "id": id,
        "name": id,
        "content": events::encode(&bytes),
        "last_modified": modified(&path),
    });
    Ok((
        json_response(StatusCode::OK, &answer, None),
        format!("event {id}"),
    ))
}

/// `POST …/events` `{name, content}`: a new event; 403 `FSS.1073` when the name is taken,
/// `FSS.1068` past the limit.
fn create(dir: &Path, body: &[u8]) -> Result<Answer, ApiFail> {
    let request = fields(body)?;
    let name = match request.get("name") {
        Some(Value::String(name)) => name.clone(),
        _ => return Err(invalid("name is missing or not a string")),
    };
    events::check_name(&name).map_err(|e| invalid(&e))?;
    let json = content(&request)?;
    let there = names(dir);
    if there.contains(&name) {
        return Err(ApiFail::new(
            StatusCode::FORBIDDEN,
            "FSS.1073",
            "The function event already exists",
        ));
    }
    if there.len() >= MOST {
        return Err(ApiFail::new(
            StatusCode::FORBIDDEN,
            "FSS.1068",
            format!("The number of events of a function cannot exceed {MOST}"),
        ));
    }
    write(dir, &name, &json)?;
    let answer = json!({"id": name, "name": name});
    Ok((
        json_response(StatusCode::OK, &answer, None),
        format!("event {name} created"),
    ))
}

/// `PUT …/events/{id}` `{content}`: the event's content replaced (a `name` is ignored).
fn update(dir: &Path, id: &str, body: &[u8]) -> Result<Answer, ApiFail> {
    existing(dir, id)?;
    let json = content(&fields(body)?)?;
    write(dir, id, &json)?;
    let answer = json!({"id": id, "name": id});
    Ok((
        json_response(StatusCode::OK, &answer, None),
        format!("event {id} updated"),
    ))
}

/// `DELETE …/events/{id}`: 204, no body.
fn delete(dir: &Path, id: &str) -> Result<Answer, ApiFail> {
    let path = existing(dir, id)?;
    std::fs::remove_file(&path).map_err(|e| unwritable(&path, &e))?;
    let mut response = Response::new(Full::new(Bytes::new()));
    *response.status_mut() = StatusCode::NO_CONTENT;
    Ok((response, format!("event {id} deleted")))
}

fn file(dir: &Path, name: &str) -> PathBuf {
    dir.join(format!("{name}.json"))
}

/// The file of event `id`, or the service's 404 (an id that breaks the naming rule names no
/// file, so no path leaves `dir`).
fn existing(dir: &Path, id: &str) -> Result<PathBuf, ApiFail> {
    let path = file(dir, id);
    if events::check_name(id).is_ok() && path.is_file() {
        Ok(path)
    } else {
        Err(ApiFail::new(
            StatusCode::NOT_FOUND,
            "FSS.1070",
            "The event cannot be found",
        ))
    }
}

/// The request body's object.
fn fields(body: &[u8]) -> Result<serde_json::Map<String, Value>, ApiFail> {
    match serde_json::from_slice(body) {
        Ok(Value::Object(map)) => Ok(map),
        _ => Err(invalid("the request body is not a JSON object")),
    }
}

/// The JSON text of the request's `content`, read as the client reads the service's.
fn content(request: &serde_json::Map<String, Value>) -> Result<Vec<u8>, ApiFail> {
    match request.get("content") {
        Some(Value::String(content)) => events::decode(content)
            .map(|(json, _)| json)
            .map_err(|why| invalid(&format!("content: {why}"))),
        _ => Err(invalid("content is missing or not a string")),
    }
}

/// Write the event through a temporary file, so that no reader sees half of it.
fn write(dir: &Path, name: &str, json: &[u8]) -> Result<(), ApiFail> {
    let path = file(dir, name);
    let temporary = dir.join(format!(".{name}.json.saving"));
    std::fs::create_dir_all(dir)
        .and_then(|()| std::fs::write(&temporary, json))
        .and_then(|()| std::fs::rename(&temporary, &path))
        .map_err(|e| {
            let _ = std::fs::remove_file(&temporary);
            unwritable(&path, &e)
        })
}

/// A file's modification time in Unix seconds, as the service gives `last_modified`.
fn modified(path: &Path) -> Value {
    std::fs::metadata(path)
        .and_then(|m| m.modified())
        .ok()
        .and_then(|t| t.duration_since(SystemTime::UNIX_EPOCH).ok())
        .map_or(Value::Null, |d| json!(d.as_secs()))
}

fn invalid(why: &str) -> ApiFail {
    ApiFail::bad("FSS.1074", format!("The event field is invalid: {why}"))
}

fn unreadable(path: &Path, e: &std::io::Error) -> ApiFail {
    ApiFail::new(
        StatusCode::INTERNAL_SERVER_ERROR,
        "FSS.0500",
        format!("reading {}: {e}", path.display()),
    )
}

fn unwritable(path: &Path, e: &std::io::Error) -> ApiFail {
    ApiFail::new(
        StatusCode::INTERNAL_SERVER_ERROR,
        "FSS.0500",
        format!("writing {}: {e}", path.display()),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_files_named_by_the_rule_are_events() {
        let dir = tempfile::tempdir().unwrap();
        for name in ["b.json", "a-1.json", "1bad.json", ".a.json.saving", "c.txt"] {
            std::fs::write(dir.path().join(name), "{}").unwrap();
        }
        std::fs::create_dir(dir.path().join("d.json")).unwrap();
        assert_eq!(names(dir.path()), ["a-1", "b"]);
        assert_eq!(names(&dir.path().join("missing")), Vec::<String>::new());
        assert!(existing(dir.path(), "b").is_ok());
        for id in ["1bad", "../b", "d", "nope"] {
            assert_eq!(
                existing(dir.path(), id).unwrap_err().code,
                "FSS.1070",
                "{id}"
            );
        }
    }

    #[test]
    fn a_saved_event_is_written_as_its_json_text() {
        let dir = tempfile::tempdir().unwrap();
        let events = dir.path().join("events");
        let body = json!({"name": "paid", "content": events::encode(b"{\"k\": 1}")});
        create(&events, body.to_string().as_bytes()).unwrap();
        assert_eq!(
            std::fs::read(events.join("paid.json")).unwrap(),
            b"{\"k\": 1}"
        );
        let again = create(&events, body.to_string().as_bytes()).unwrap_err();
        assert_eq!(again.code, "FSS.1073");
        let plain = json!({"content": "[1]"});
        update(&events, "paid", plain.to_string().as_bytes()).unwrap();
        assert_eq!(std::fs::read(events.join("paid.json")).unwrap(), b"[1]");
        let bad = json!({"content": "not json"});
        let e = update(&events, "paid", bad.to_string().as_bytes()).unwrap_err();
        assert_eq!(e.code, "FSS.1074");
        delete(&events, "paid").unwrap();
        assert!(names(&events).is_empty());
    }

    #[test]
    fn a_function_keeps_at_most_ten_events() {
        let dir = tempfile::tempdir().unwrap();
        for i in 0..MOST {
            let body = json!({"name": format!("e{i}"), "content": "e30="});
            create(dir.path(), body.to_string().as_bytes()).unwrap();
        }
        let body = json!({"name": "more", "content": "e30="});
        let e = create(dir.path(), body.to_string().as_bytes()).unwrap_err();
        assert_eq!(e.code, "FSS.1068");
    }
}
