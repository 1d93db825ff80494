//! The commands, one file each, and what they share: the async runtime.

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
