//! The commands, one file each, and what they share: the async runtime and the lookups'
//! session.

pub mod config;
pub mod event;
pub mod info;
pub mod init;
pub mod invoke;
pub mod list;
pub mod login;
pub mod logs;
pub mod pull;
pub mod serve;
pub mod status;

use std::sync::Arc;

use anyhow::Context;

use crate::cloud::client::Retry;
use crate::cloud::lookup::Lookup;
use crate::error::{Failure, Kind, OrKind};
use crate::output::Output;
use crate::settings::Settings;

/// Connections the lookups keep, for requests made at once (`list --versions`).
const LOOKUP_POOL: usize = 8;

/// Run a future on a runtime of this thread. A runtime that cannot start is this machine's
/// failure (exit 8), not the user's.
fn block_on<F: std::future::Future>(future: F) -> Result<F::Output, Failure> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")
        .or_kind(Kind::Local)?;
    Ok(runtime.block_on(future))
}

/// The read-only requests of `list`, `info` and `status`: the settings' project, its session
/// (what finding the credentials gave printed), each request tried `retries` more times.
fn lookup(settings: &Settings, retries: u32, out: &Output) -> Result<Lookup, Failure> {
    let project = settings.project().inspect_err(|_| {
        for warning in &settings.warnings {
            out.warn(warning);
        }
    })?;
    let (session, notes) = settings.session(project, LOOKUP_POOL, None);
    notes.tell(out);
    Ok(Lookup::new(Arc::new(session?), Retry::new(retries)))
}
