//! Running FunctionGraph functions on this machine, natively (no containers), with the
//! service's contract: handlers and the context object, `RUNTIME_*` variables, results
//! and error codes, the timeout, the memory limit and the framed log.
//!
//! - [`Function::load`] reads and checks a function directory (`function.toml`, runtime
//!   detection, handler, interpreter).
//! - [`Instance`](instance::Instance) is one warm process: its start, the initializer, one
//!   call at a time with the timeout, the memory limit and the log.
//!   [`Instance::invoke`](instance::Instance::invoke) runs one [`Call`] and returns a
//!   [`Reply`](reply::Reply), whose `to_response` is what the service would send, its
//!   function error codes an [`ErrorCode`](reply::ErrorCode).
//! - [`Protocol`](runtime::Protocol) is how each runtime is spoken to: Python and Node.js
//!   run an embedded shim (see `runtime/shim.rs` for its protocol), Custom runtimes get the
//!   runtime API on a loopback port, HTTP functions their server on port 8000.
//! - [`Pool`] keeps warm instances per function, queues calls, reloads on change and stops
//!   every process it started.
//!
//! Function failures (an exception, a timeout, too much memory) are replies with
//! `function_error` set, never [`LocalError`]s. Everything here must run inside a tokio
//! runtime with I/O and time enabled.

mod env;
mod error;
mod fingerprint;
mod function;
mod instance;
mod interpreter;
mod launch;
mod log;
mod platform;
mod pool;
mod reply;
mod runtime;
#[cfg(test)]
mod tests;

// The surface the CLI and `fgs serve` use.
pub use env::check_name as check_variable_name;
pub use error::LocalError;
pub use function::{Function, MEMORY_SIZES, Overrides};
pub use interpreter::Interpreters;
pub use launch::{StartOptions, check_debugger, debug_note};
pub use pool::{Pool, PoolOptions, Port8000};
pub use reply::{Call, MAX_PAYLOAD, PassedCredentials, Reply};
