//! How each runtime is spoken to: the Python and Node.js workers (embedded shims), the
//! Custom runtime API, and HTTP functions' port 8000.

pub mod custom;
pub mod http;
pub mod shim;
