//! `--event NAME`: the payload is a saved test event. A call to the service sends the
//! function's saved event so named. A local run (`--local DIR`) looks in three places, in
//! order, and says under `-v` which one it used:
//!
//! 1. `DIR/events/NAME.json`;
//! 2. the saved event NAME of the function the directory's `function.toml` names, in the
//!    project the cloud settings (environment, config file) name; passed by when those
//!    settings or the credentials are missing, or when the service has no such function or
//!    event. Once asked, the service must answer: offline, or refused, the run fails and
//!    says how to keep the event in `DIR/events/` instead (a run does not change meaning
//!    with the network);
//! 3. the event template NAME (`fgs event list`).

use std::path::Path;
use std::sync::Arc;

use bytes::Bytes;

use super::input;
use crate::cloud::catalog::shell_word;
use crate::cloud::client::Retry;
use crate::cloud::events::{self, Events};
use crate::cloud::lookup::Lookup;
use crate::cloud::session::Session;
use crate::commands::block_on;
use crate::commands::event::{Saved, fetch, not_found};
use crate::error::{Failure, Kind};
use crate::local::Function;
use crate::output::Output;
use crate::payload;
use crate::settings::Settings;
use crate::urn::Urn;

/// Refuse a name the service would refuse (it also names a file under `DIR/events/`).
pub(super) fn check_name(name: &str) -> Result<(), Failure> {
    events::check_name(name).map_err(Failure::usage)
}

/// The saved event `name` of the function `urn` names, for a call to the service.
pub(super) fn cloud(
    name: &str,
    session: &Arc<Session>,
    urn: &Urn,
    shown: &str,
    retries: u32,
    limit: usize,
    out: &Output,
) -> Result<Bytes, Failure> {
    let lookup = Lookup::new(session.clone(), Retry::new(retries));
    let saved = block_on(fetch(&Events::new(&lookup, urn), name, out))??
        .map_err(|there| not_found(shown, name, &there))?;
    payload_of(&saved, name, shown, limit, out)
}

/// The checked JSON of a saved event, said under `-v`.
fn payload_of(
    saved: &Saved,
    name: &str,
    shown: &str,
    limit: usize,
    out: &Output,
) -> Result<Bytes, Failure> {
    let (json, _) = saved.json(shown, name)?;
    input::check(json, limit).map_err(Failure::usage)?;
    let id = crate::cloud::catalog::text(&saved.document, "id").unwrap_or_default();
    out.verbose_note(&format!(
        "the payload is the saved test event `{name}` of {shown} (id {})",
        crate::sanitize::shown(&id)
    ));
    Ok(Bytes::copy_from_slice(json))
}

/// The event `name` for the function in `function.dir`, from the first of the three places
/// (see the module's doc) that has it.
pub(super) fn local(
    name: &str,
    function: &Function,
    cloud: &impl Fn() -> Result<Settings, Failure>,
    limit: usize,
    out: &Output,
) -> Result<Bytes, Failure> {
    let file = function.dir.join("events").join(format!("{name}.json"));
    if file.is_file() {
        let body = payload::read(&payload::Source::File(&file), std::io::empty(), limit)
            .map_err(|e| Failure::new(Kind::Usage, e))?;
        out.verbose_note(&format!("the payload is {}", file.display()));
        return Ok(Bytes::from(body));
    }
    let shown = format!("{}:{}", function.package, function.name);
    let passed = match from_the_service(name, function, &file, &shown, cloud, limit, out)? {
        Ok(body) => return Ok(body),
        Err(passed) => passed,
    };
    out.verbose_note(&format!("no {}; {passed}", file.display()));
    if let Some(template) = crate::events::template(name) {
        out.verbose_note(&format!("the payload is the event template `{name}`"));
        return Ok(Bytes::from_static(template.as_bytes()));
    }
    let templates: Vec<&str> = crate::events::names().iter().map(|(n, _)| *n).collect();
    Err(Failure::usage(format!(
        "no event `{name}`: no {}, {passed}, and no template so named (the templates are {})",
        file.display(),
        templates.join(", ")
    )))
}

/// The function's saved event from the service, or why it was passed by.
fn from_the_service(
    name: &str,
    function: &Function,
    file: &Path,
    shown: &str,
    cloud: &impl Fn() -> Result<Settings, Failure>,
    limit: usize,
    out: &Output,
) -> Result<Result<Bytes, String>, Failure> {
    let settings = match cloud() {
        Ok(settings) => settings,
        Err(failure) => return Ok(Err(format!("no cloud settings ({:#})", failure.error))),
    };
    let Ok(project) = settings.project() else {
        return Ok(Err(
            "no saved event looked for (no project id and region in the environment or the config file)".into(),
        ));
    };
    let urn = function.urn(&project.region, &project.id);
    let (session, notes) = settings.session(project, 1, None);
    let session = match session {
        Ok(session) => session,
        Err(failure) if failure.kind == Kind::NoCredentials => {
            return Ok(Err("no saved event looked for (no credentials)".into()));
        }
        Err(failure) => return Err(failure),
    };
    notes.tell(out);
    let lookup = Lookup::new(Arc::new(session), Retry::new(0));
    let offline = |failure: Failure| {
        let hint = format!(
            "fgs asked the service for the saved event `{name}` of {shown}, as {} does not exist; to run without the service, keep the event there: fgs event get {} {name} > {}",
            file.display(),
            shell_word(shown),
            shell_word(&file.display().to_string())
        );
        failure.with_hint(Some(hint))
    };
    match block_on(fetch(&Events::new(&lookup, &urn), name, out))? {
        Ok(Ok(saved)) => payload_of(&saved, name, shown, limit, out).map(Ok),
        Ok(Err(_)) => Ok(Err(format!("{shown} has no saved event so named"))),
        Err(failure) if failure.kind == Kind::Refused(404) => {
            Ok(Err(format!("the service has no function {shown}")))
        }
        Err(failure) => Err(offline(failure)),
    }
}
