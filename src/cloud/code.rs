//! A function's code, as `fgs pull` fetches it (§11.2 of the API notes): the export streamed
//! to a file and read leniently (a zip, or JSON carrying the zip in base64 or a link to
//! it), size and digest checked when the answer gives them; an inline function's code.

use std::fs::File;
use std::io::{BufReader, Read, Seek, SeekFrom, Write};

use anyhow::{Context, anyhow};
use base64::Engine;
use serde_json::Value;
use sha2::{Digest, Sha256, Sha512};
use url::Url;

use crate::api::{self, Request, Response, Trace};
use crate::cloud::client::Client;
use crate::cloud::exchange::Transport;
use crate::cloud::lookup::Lookup;
use crate::error::{Failure, Kind};
use crate::payload::LENIENT_BASE64;
use crate::sanitize;
use crate::urn::Urn;

/// The most of an export answer fgs takes: a 50 MB package in base64, inside JSON, with room.
const EXPORT_LIMIT: u64 = 256 << 20;

/// What the export gave.
pub enum Package {
    /// A zip archive, in this file (read from its start).
    Zip(File),
    /// Somewhere fgs does not fetch from (OBS): the link as it may be shown (no query).
    Elsewhere(String),
}

/// `GET …/code` (§11.2): the code's type, its OBS address, an inline function's source.
pub async fn code(lookup: &Lookup, urn: &Urn, trace: &dyn Trace) -> Result<Value, Failure> {
    let url = lookup.url(&format!("/{}/code", urn.segment()), &[])?;
    lookup.get(&url, trace).await
}

/// An inline function's `func_code.file`: base64 (of a zip, or of the source text), or the
/// source itself (§11.2 leaves it open); whichever reads.
pub fn decode_inline(file: &str) -> Vec<u8> {
    if let Ok(bytes) = LENIENT_BASE64.decode(file.trim())
        && (bytes.starts_with(b"PK\x03\x04") || std::str::from_utf8(&bytes).is_ok())
    {
        return bytes;
    }
    file.as_bytes().to_vec()
}

/// `GET …/export?type=code` (§11.2), its answer streamed to a file and read: a zip body, or
/// JSON with the zip in base64 or a link to it. A link on the service's own endpoint is
/// followed once, with the same credentials; any other is left for the user (its
/// credentials are the service's, not fgs's to send elsewhere).
pub async fn export(lookup: &Lookup, urn: &Urn, trace: &dyn Trace) -> Result<Package, Failure> {
    let url = lookup.url(&format!("/{}/export", urn.segment()), &[("type", "code")])?;
    let (file, headers) = download(lookup, &url, trace).await?;
    match read_answer(file, &headers, &url)? {
        Held::Package(package) => Ok(package),
        Held::Link(link) if same_origin(&link, &lookup.project().endpoint) => {
            trace.note(&format!(
                "the export gave a link on the service's endpoint: {}",
                shown_link(&link)
            ));
            let (file, headers) = download(lookup, &link, trace).await?;
            match read_answer(file, &headers, &link)? {
                Held::Package(Package::Zip(file)) => Ok(Package::Zip(file)),
                _ => Err(Failure::new(
                    Kind::Service,
                    anyhow!(
                        "the export's link {} gave no zip archive",
                        shown_link(&link)
                    ),
                )),
            }
        }
        Held::Link(link) => Ok(Package::Elsewhere(shown_link(&link))),
    }
}

/// A link as it may be shown: its query left out (a presigned link's carries a key id and
/// a signature).
fn shown_link(link: &Url) -> String {
    let mut shown = link.clone();
    shown.set_query(None);
    shown.set_fragment(None);
    sanitize::shown(shown.as_str())
}

fn same_origin(link: &Url, endpoint: &Url) -> bool {
    link.origin() == endpoint.origin()
}

/// `GET url`, the answer's body written to an unnamed temporary file as it comes; the file
/// (rewound) and the answer's headers.
async fn download(
    lookup: &Lookup,
    url: &Url,
    trace: &dyn Trace,
) -> Result<(File, Vec<(String, String)>), Failure> {
    let mut file = tempfile::tempfile()
        .context("creating a temporary file for the download")
        .map_err(|e| Failure::new(Kind::Local, e))?;
    let exchange = lookup.exchange();
    let mut into = IntoFile {
        client: exchange.client,
        file: &mut file,
    };
    let sent = exchange
        .send_by(|| Lookup::request(url), &mut into, trace)
        .await;
    let response = match sent {
        Ok(sent) => sent.answer().map_err(|refusal| refusal.failure)?,
        Err(unsent) => return Err(unsent.failure),
    };
    file.flush()
        .and_then(|()| file.seek(SeekFrom::Start(0)).map(|_| ()))
        .context("reading the download back")
        .map_err(|e| Failure::new(Kind::Local, e))?;
    Ok((file, response.headers))
}

/// Each attempt starts the file afresh and streams the answer into it.
struct IntoFile<'a> {
    client: &'a Client,
    file: &'a mut File,
}

impl Transport for IntoFile<'_> {
    async fn send(&mut self, request: &Request) -> Result<Response, Failure> {
        self.file
            .set_len(0)
            .and_then(|()| self.file.seek(SeekFrom::Start(0)).map(|_| ()))
            .context("starting the download afresh")
            .map_err(|e| Failure::new(Kind::Local, e))?;
        self.client
            .send_into(request, self.file, EXPORT_LIMIT)
            .await
    }
}

/// What an answer held.
enum Held {
    Package(Package),
    Link(Url),
}

/// Read an export answer from `file`: a zip (checked against a `Content-Digest` header),
/// or JSON (checked against the size and digest it names).
fn read_answer(mut file: File, headers: &[(String, String)], url: &Url) -> Result<Held, Failure> {
    let mut head = [0u8; 64];
    let read = read_some(&mut file, &mut head).map_err(local)?;
    let head = &head[..read];
    rewind(&mut file)?;
    let target = api::short_target(url);
    if head.starts_with(b"PK\x03\x04") || head.starts_with(b"PK\x05\x06") {
        let expected = Expected::from_headers(headers);
        expected.check(&mut file, &target)?;
        return Ok(Held::Package(Package::Zip(file)));
    }
    if head.iter().find(|b| !b.is_ascii_whitespace()) != Some(&b'{') {
        return Err(Failure::new(
            Kind::Service,
            anyhow!("the answer to GET {target} is neither a zip archive nor JSON"),
        ));
    }
    let document: Value = serde_json::from_reader(BufReader::new(&mut file)).map_err(|e| {
        Failure::new(
            Kind::Service,
            anyhow!("the answer to GET {target} is not JSON: {e}"),
        )
    })?;
    drop(file);
    if let Some(encoded) = find_string(&document, &|s| {
        let s = s.trim_start();
        s.starts_with("UEsDB") || s.starts_with("UEsFB")
    }) {
        let mut zip = decode_to_file(encoded)?;
        Expected::from_document(&document).check(&mut zip, &target)?;
        return Ok(Held::Package(Package::Zip(zip)));
    }
    let link = LINK_KEYS
        .iter()
        .find_map(|key| find_key(&document, key))
        .and_then(Value::as_str)
        .filter(|s| !s.trim().is_empty());
    match link {
        Some(link) => match Url::parse(link.trim()) {
            Ok(url) if matches!(url.scheme(), "http" | "https") => Ok(Held::Link(url)),
            Ok(url) => Ok(Held::Package(Package::Elsewhere(shown_link(&url)))),
            Err(_) => Ok(Held::Package(Package::Elsewhere(sanitize::shown(link)))),
        },
        None => Err(Failure::new(
            Kind::Service,
            anyhow!(
                "the answer to GET {target} is JSON that holds neither a zip archive (base64) nor a link to one"
            ),
        )),
    }
}

/// Where a JSON answer may name its package's address.
const LINK_KEYS: &[&str] = &[
    "link",
    "download_link",
    "download_url",
    "url",
    "code_url",
    "obs_url",
];

/// The first string in `document` (depth first, at most 4 levels) that `wanted` accepts.
fn find_string<'a>(document: &'a Value, wanted: &dyn Fn(&str) -> bool) -> Option<&'a str> {
    fn walk<'a>(value: &'a Value, wanted: &dyn Fn(&str) -> bool, depth: u8) -> Option<&'a str> {
        match value {
            Value::String(s) if wanted(s) => Some(s),
            Value::Object(map) if depth > 0 => {
                map.values().find_map(|v| walk(v, wanted, depth - 1))
            }
            Value::Array(items) if depth > 0 => {
                items.iter().find_map(|v| walk(v, wanted, depth - 1))
            }
            _ => None,
        }
    }
    walk(document, wanted, 4)
}

/// The value of the first `key` in `document` (depth first, at most 4 levels).
fn find_key<'a>(document: &'a Value, key: &str) -> Option<&'a Value> {
    fn walk<'a>(value: &'a Value, key: &str, depth: u8) -> Option<&'a Value> {
        match value {
            Value::Object(map) => map.get(key).or_else(|| {
                (depth > 0)
                    .then(|| map.values().find_map(|v| walk(v, key, depth - 1)))
                    .flatten()
            }),
            Value::Array(items) if depth > 0 => items.iter().find_map(|v| walk(v, key, depth - 1)),
            _ => None,
        }
    }
    walk(document, key, 4)
}

/// Base64 text decoded into a temporary file, a piece at a time; line breaks are ignored.
fn decode_to_file(encoded: &str) -> Result<File, Failure> {
    let mut file = tempfile::tempfile()
        .context("creating a temporary file")
        .map_err(local)?;
    let engine = LENIENT_BASE64;
    let mut piece = String::with_capacity(PIECE);
    let mut chars = encoded
        .chars()
        .filter(|c| !c.is_ascii_whitespace())
        .peekable();
    let bad = |e: base64::DecodeError| {
        Failure::new(
            Kind::Service,
            anyhow!("the package in the answer is not valid base64: {e}"),
        )
    };
    while chars.peek().is_some() {
        piece.clear();
        piece.extend(chars.by_ref().take(PIECE));
        let bytes = engine.decode(&piece).map_err(bad)?;
        file.write_all(&bytes)
            .context("writing the package to a temporary file")
            .map_err(local)?;
    }
    rewind(&mut file)?;
    Ok(file)
}

/// Base64 characters decoded at once: a multiple of 4.
const PIECE: usize = 64 * 1024;

/// The size and digests an answer says its package has.
#[derive(Debug, Default)]
struct Expected {
    size: Option<u64>,
    sha256: Option<Vec<u8>>,
    sha512: Option<Vec<u8>>,
}

impl Expected {
    /// `Content-Digest` (RFC 9530) or `Digest` (RFC 3230): `sha-256=:…:`, `sha-512=…`.
    fn from_headers(headers: &[(String, String)]) -> Expected {
        let mut expected = Expected::default();
        for (name, value) in headers {
            if !(name.eq_ignore_ascii_case("content-digest") || name.eq_ignore_ascii_case("digest"))
            {
                continue;
            }
            for item in value.split(',') {
                let Some((algorithm, encoded)) = item.trim().split_once('=') else {
                    continue;
                };
                let encoded = encoded.trim().trim_matches(':');
                let Ok(bytes) = LENIENT_BASE64.decode(encoded) else {
                    continue;
                };
                match algorithm.trim().to_ascii_lowercase().as_str() {
                    "sha-256" => expected.sha256 = Some(bytes),
                    "sha-512" => expected.sha512 = Some(bytes),
                    _ => {}
                }
            }
        }
        expected
    }

    /// `code_size` or `size`; `digest`, `sha512` or `sha256` in hex (SHA-512 by its length).
    fn from_document(document: &Value) -> Expected {
        let mut expected = Expected {
            size: ["code_size", "size", "file_size"]
                .iter()
                .find_map(|k| find_key(document, k))
                .and_then(crate::units::count),
            ..Expected::default()
        };
        for key in ["digest", "sha512", "sha256", "sha_512", "sha_256"] {
            let Some(bytes) = find_key(document, key)
                .and_then(Value::as_str)
                .and_then(|h| hex::decode(h.trim()).ok())
            else {
                continue;
            };
            match bytes.len() {
                64 => expected.sha512 = expected.sha512.take().or(Some(bytes)),
                32 => expected.sha256 = expected.sha256.take().or(Some(bytes)),
                _ => {}
            }
        }
        expected
    }

    /// Read `file` through and compare; rewound after.
    fn check(&self, file: &mut File, target: &str) -> Result<(), Failure> {
        if self.size.is_none() && self.sha256.is_none() && self.sha512.is_none() {
            return Ok(());
        }
        let (mut sha256, mut sha512, mut size) = (Sha256::new(), Sha512::new(), 0u64);
        let mut buffer = vec![0u8; 64 * 1024];
        loop {
            let n = file
                .read(&mut buffer)
                .context("reading the package")
                .map_err(local)?;
            if n == 0 {
                break;
            }
            size += n as u64;
            sha256.update(&buffer[..n]);
            sha512.update(&buffer[..n]);
        }
        rewind(file)?;
        let mismatch = |what: String| {
            Err(Failure::new(
                Kind::Service,
                anyhow!("the package from GET {target} is damaged: {what}; nothing was unpacked"),
            ))
        };
        if let Some(expected) = self.size
            && expected != size
        {
            return mismatch(format!("{size} bytes where the answer says {expected}"));
        }
        if let Some(expected) = &self.sha256
            && expected[..] != sha256.finalize()[..]
        {
            return mismatch("its SHA-256 digest differs from the answer's".into());
        }
        if let Some(expected) = &self.sha512
            && expected[..] != sha512.finalize()[..]
        {
            return mismatch("its SHA-512 digest differs from the answer's".into());
        }
        Ok(())
    }
}

fn read_some(file: &mut File, buffer: &mut [u8]) -> std::io::Result<usize> {
    let mut filled = 0;
    while filled < buffer.len() {
        match file.read(&mut buffer[filled..])? {
            0 => break,
            n => filled += n,
        }
    }
    Ok(filled)
}

fn rewind(file: &mut File) -> Result<(), Failure> {
    file.seek(SeekFrom::Start(0))
        .map(|_| ())
        .context("reading the download back")
        .map_err(local)
}

fn local(e: impl Into<anyhow::Error>) -> Failure {
    Failure::new(Kind::Local, e.into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digests_come_from_headers_and_documents() {
        let headers = vec![(
            "Content-Digest".to_string(),
            "sha-256=:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=:".to_string(),
        )];
        let e = Expected::from_headers(&headers);
        assert_eq!(e.sha256.unwrap().len(), 32);
        let doc = serde_json::json!({"code_size": 12, "digest": "ab".repeat(64)});
        let e = Expected::from_document(&doc);
        assert_eq!(e.size, Some(12));
        assert_eq!(e.sha512.unwrap().len(), 64);
    }

    #[test]
    fn links_are_shown_without_their_query() {
        let link = Url::parse("https://b.obs.example/x.zip?AccessKeyId=AK&Signature=S").unwrap();
        assert_eq!(shown_link(&link), "https://b.obs.example/x.zip");
    }
}
