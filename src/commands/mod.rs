//! The commands, one file each, and what they share: the async runtime and the CA bundle.

pub mod batch;
pub mod config;
pub mod event;
pub mod info;
pub mod invoke;
pub mod list;
pub mod login;
pub mod serve;
pub mod status;

use anyhow::Context;

use crate::error::{Failure, Kind, OrKind};
use crate::lookup::Lookup;
use crate::output::Output;
use crate::settings::Settings;

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

/// The extra CA certificates to trust, when a file is set (at most 1 MiB of them).
fn read_ca_cert(settings: &Settings) -> Result<Option<Vec<u8>>, Failure> {
    settings
        .ca_cert
        .as_ref()
        .map(|c| {
            crate::config_file::read_limited(&c.value)
                .with_context(|| {
                    format!(
                        "reading the CA certificate {} (from {})",
                        c.value.display(),
                        c.source
                    )
                })
                .or_kind(Kind::Usage)
        })
        .transpose()
}

/// The read-only requests of `list` and `info`: the project's client and credentials, with
/// the CA bundle of the settings and `retries` further attempts for each request.
fn lookup(settings: &Settings, retries: u32, out: &Output) -> Result<Lookup, Failure> {
    Lookup::connect(settings, read_ca_cert(settings)?.as_deref(), retries, out)
}
