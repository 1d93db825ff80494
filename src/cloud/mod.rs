//! Everything that talks to Huawei Cloud: the HTTP client, one request with its retries,
//! credentials and how they sign a request, and the read-only requests and waits built on
//! them. It knows nothing of clap, of the settings' layers or of how output looks: it is
//! handed plain parts (a [`session::Session`] built once), and what it has to say goes
//! through [`crate::api::Trace`].
//!
//! | module | its one job |
//! | --- | --- |
//! | [`session`] | the client, project and credentials of one run, built once and shared |
//! | [`client`] | the HTTP client, built once, and the retry policy |
//! | [`exchange`] | one request, tried again where the policy allows |
//! | [`credentials`] | where secrets come from and how a request is authorised |
//! | [`signing`] | AK/SK (`SDK-HMAC-SHA256`) signatures, and the `Authorization` header that carries one: format, parse, constant-time verify |
//! | [`iam`] | `fgs login`: IAM tokens and their cache |
//! | [`metadata`] | temporary keys from the ECS metadata service |
//! | [`koocli`] | KooCLI's config file as a source of keys |
//! | [`lookup`] | read-only requests: functions, configuration, versions, async records |
//! | [`catalog`] | reading and laying out what the lookups return |
//! | [`code`] | a function's code package for `fgs pull` |
//! | [`lts`] | a function's log in LTS: its group and stream, then the pages of lines |
//! | [`events`] | a function's saved test events: their requests, names and content |
//! | [`wait`] | waiting for asynchronous calls to end |

pub mod catalog;
pub mod client;
pub mod code;
pub mod credentials;
pub mod events;
pub mod exchange;
pub mod iam;
pub mod koocli;
pub mod lookup;
pub mod lts;
pub mod metadata;
pub mod session;
pub mod signing;
pub mod wait;

/// The authentication methods that `--auth`, `FGS_AUTH` or `auth` can force (`cli.rs` makes
/// it a flag's value).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Token,
    Aksk,
    Metadata,
}
