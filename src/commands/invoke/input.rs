//! What the calls send. One call, and every `--repeat` call, sends the one payload of `-d`
//! or of stdin. A batch (`--batch FILE`, or `-` for stdin) sends one payload a line, read on a
//! thread of its own in chunks, with no more than the payload limit of a line kept in memory.

use std::io::{BufRead, BufReader, IsTerminal, Read};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use anyhow::Context;
use bytes::Bytes;
use tokio::sync::mpsc;

use crate::api;
use crate::cli::InvokeArgs;
use crate::error::{Failure, Kind, OrKind};
use crate::output::Output;
use crate::payload;

/// The payload of a single call or of every `--repeat` call (a batch reads its own as it
/// goes), and the limit each payload must keep to.
pub(super) fn payload(args: &InvokeArgs, out: &Output) -> Result<(Bytes, usize), Failure> {
    let limit = limit(args);
    if args.batch.is_some() {
        return Ok((Bytes::new(), limit));
    }
    let stdin = std::io::stdin();
    if args.ignore_stdin && args.data.as_deref() == Some("@-") {
        return Err(Failure::usage(
            "-d @- reads stdin, which --ignore-stdin rules out",
        ));
    }
    let source = payload::Source::from_arg(
        args.data.as_deref(),
        stdin.is_terminal() || args.ignore_stdin,
    );
    let waiting = (source == payload::Source::PipedStdin).then(|| wait_notice(out));
    let read = payload::read(&source, Watched::new(stdin.lock(), waiting.clone()), limit);
    if let Some(arrived) = waiting {
        arrived.store(true, Ordering::Relaxed);
    }
    let body = read.map_err(|e| {
        // `-d event.json` where `-d @event.json` was meant.
        let hint = match &source {
            payload::Source::Inline(d) if Path::new(d).is_file() => {
                Some(format!("did you mean -d @{d}?"))
            }
            _ => None,
        };
        Failure::new(Kind::Usage, e).with_hint(hint)
    })?;
    Ok((Bytes::from(body), limit))
}

/// The limit each payload must keep to: the service's, for a synchronous or an
/// asynchronous call.
pub(super) fn limit(args: &InvokeArgs) -> usize {
    if args.asynchronous {
        api::ASYNC_LIMIT
    } else {
        payload::SYNC_LIMIT
    }
}

/// How long piped stdin may stay silent before fgs says what it waits for.
const WAIT_NOTICE: Duration = Duration::from_secs(3);

/// Print once, after [`WAIT_NOTICE`] with nothing read from stdin, what fgs is waiting for;
/// the flag returned is set when something arrives.
fn wait_notice(out: &Output) -> Arc<AtomicBool> {
    let arrived = Arc::new(AtomicBool::new(false));
    let (flag, out) = (arrived.clone(), out.clone());
    std::thread::spawn(move || {
        std::thread::sleep(WAIT_NOTICE);
        if !flag.load(Ordering::Relaxed) {
            out.info("waiting for the payload on stdin (give -d, or --ignore-stdin)\n");
        }
    });
    arrived
}

/// stdin, noting when its first byte arrives.
struct Watched<R> {
    inner: R,
    arrived: Option<Arc<AtomicBool>>,
}

impl<R> Watched<R> {
    fn new(inner: R, arrived: Option<Arc<AtomicBool>>) -> Self {
        Watched { inner, arrived }
    }
}

impl<R: std::io::Read> std::io::Read for Watched<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        if let Some(arrived) = &self.arrived {
            arrived.store(true, Ordering::Relaxed);
        }
        Ok(n)
    }
}

/// Where the payloads come from.
pub(super) enum Input {
    /// Newline-delimited JSON from a file, or stdin for `-`.
    Lines(PathBuf),
    /// The same payload N times.
    Repeat { count: u64, body: Bytes },
}

/// One payload and the line it came from.
pub(super) struct Item {
    pub(super) line: u64,
    pub(super) body: Result<Bytes, String>,
}

/// The payloads as they come, one [`Item`] at a time.
pub(super) enum Source {
    Lines {
        rx: mpsc::Receiver<Vec<Item>>,
        chunk: std::vec::IntoIter<Item>,
    },
    Repeat {
        next: u64,
        count: u64,
        body: Bytes,
    },
}

impl Source {
    /// Where `input`'s payloads come from, and how many there are when that is known: with
    /// `counted`, a batch file's lines are counted first (for the progress).
    pub(super) fn open(
        input: &Input,
        limit: usize,
        counted: bool,
    ) -> Result<(Source, Option<u64>), Failure> {
        Ok(match input {
            Input::Lines(path) => {
                let total = if counted { count_lines(path) } else { None };
                let rx = spawn_reader(path, limit)?;
                let chunk = Vec::new().into_iter();
                (Source::Lines { rx, chunk }, total)
            }
            Input::Repeat { count, body } => {
                let (next, count, body) = (0, *count, body.clone());
                (Source::Repeat { next, count, body }, Some(count))
            }
        })
    }

    /// The next payload; `None` once there is none left.
    pub(super) async fn next(&mut self) -> Option<Item> {
        match self {
            Source::Lines { rx, chunk } => loop {
                if let Some(item) = chunk.next() {
                    return Some(item);
                }
                *chunk = rx.recv().await?.into_iter();
            },
            Source::Repeat { next, count, body } => (*next < *count).then(|| {
                *next += 1;
                Item {
                    line: *next,
                    body: Ok(body.clone()),
                }
            }),
        }
    }

    /// Take no more: the reader stops at its next chunk.
    pub(super) fn close(&mut self) {
        if let Source::Lines { rx, chunk } = self {
            rx.close();
            *chunk = Vec::new().into_iter();
        }
    }
}

/// Lines handed over at a time: one wake-up of the other side per chunk, not per line.
const CHUNK: usize = 128;

/// A chunk is also handed over once it holds this many bytes, so that long lines do not
/// pile up between the reader and the calls.
const CHUNK_BYTES: usize = 1024 * 1024;

/// Read `path` (or stdin for `-`) on a thread of its own, non-blank lines in chunks. No more
/// than `limit + 1` bytes of a line are kept: a longer one is read to its end and dropped,
/// and becomes an error record.
fn spawn_reader(path: &Path, limit: usize) -> Result<mpsc::Receiver<Vec<Item>>, Failure> {
    let input: Box<dyn Read + Send> = if path == Path::new("-") {
        Box::new(std::io::stdin())
    } else {
        Box::new(
            std::fs::File::open(path)
                .with_context(|| format!("opening the batch file {}", path.display()))
                .or_kind(Kind::Usage)?,
        )
    };
    let name = path.display().to_string();
    let (tx, rx) = mpsc::channel(2);
    std::thread::spawn(move || {
        let mut reader = BufReader::with_capacity(256 * 1024, input);
        let mut buffer = Vec::new();
        let mut chunk = Vec::with_capacity(CHUNK);
        let mut chunk_bytes = 0;
        let mut line = 0u64;
        loop {
            line += 1;
            let item = match read_line(&mut reader, &mut buffer, limit.saturating_add(1)) {
                Ok(Line::End) => break,
                Ok(Line::Whole) if buffer.iter().all(u8::is_ascii_whitespace) => continue,
                Ok(Line::Whole) => Item {
                    line,
                    body: Ok(Bytes::copy_from_slice(buffer.trim_ascii_end())),
                },
                Ok(Line::Cut) => Item {
                    line,
                    body: Err(over_the_limit(limit)),
                },
                Err(e) => {
                    chunk.push(Item {
                        line,
                        body: Err(format!("reading {name}: {e}")),
                    });
                    break;
                }
            };
            chunk_bytes += item.body.as_ref().map_or(0, Bytes::len);
            chunk.push(item);
            // A slow producer (a pipe) should not hold lines back: hand over what there is
            // whenever the reader has nothing more buffered.
            if chunk.len() == CHUNK || chunk_bytes >= CHUNK_BYTES || reader.buffer().is_empty() {
                let full = std::mem::replace(&mut chunk, Vec::with_capacity(CHUNK));
                chunk_bytes = 0;
                if tx.blocking_send(full).is_err() {
                    return;
                }
            }
        }
        if !chunk.is_empty() {
            let _ = tx.blocking_send(chunk);
        }
    });
    Ok(rx)
}

/// What [`read_line`] found.
#[derive(Debug, PartialEq, Eq)]
enum Line {
    /// The end of the input.
    End,
    /// A line, whole in the buffer but for whitespace beyond the cap.
    Whole,
    /// A line longer than the cap: the buffer holds its first `cap` bytes, the rest was read
    /// and dropped.
    Cut,
}

/// Read the next line (up to and including its `\n`, or to the end of the input) into
/// `buffer`, keeping at most `cap` bytes of it, so that memory stays flat whatever the input:
/// a line that never ends (`/dev/zero`) is read to the end of the input without being kept.
/// Trailing whitespace beyond the cap does not make a line [`Line::Cut`]: it is trimmed
/// before the limit is checked.
fn read_line(reader: &mut impl BufRead, buffer: &mut Vec<u8>, cap: usize) -> std::io::Result<Line> {
    buffer.clear();
    let (mut any, mut cut) = (false, false);
    loop {
        let available = match reader.fill_buf() {
            Ok(available) => available,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if available.is_empty() {
            break;
        }
        any = true;
        let (part, ends) = match available.iter().position(|&b| b == b'\n') {
            Some(at) => (&available[..=at], true),
            None => (available, false),
        };
        let keep = part.len().min(cap - buffer.len());
        buffer.extend_from_slice(&part[..keep]);
        cut = cut || !part[keep..].iter().all(u8::is_ascii_whitespace);
        let used = part.len();
        reader.consume(used);
        if ends {
            break;
        }
    }
    Ok(match (any, cut) {
        (false, _) => Line::End,
        (true, false) => Line::Whole,
        (true, true) => Line::Cut,
    })
}

/// Non-blank lines of a regular file, for the progress total (only when progress is
/// shown). Nothing is counted for stdin or for a device or pipe, which may never end.
fn count_lines(path: &Path) -> Option<u64> {
    if path == Path::new("-") || !std::fs::metadata(path).ok()?.is_file() {
        return None;
    }
    let mut reader = BufReader::with_capacity(256 * 1024, std::fs::File::open(path).ok()?);
    let mut buffer = Vec::new();
    let mut count = 0;
    loop {
        // Nothing is kept: a line that is not blank is cut.
        match read_line(&mut reader, &mut buffer, 0) {
            Ok(Line::End) => return Some(count),
            Ok(Line::Whole) => {}
            Ok(Line::Cut) => count += 1,
            Err(_) => return None,
        }
    }
}

fn over_the_limit(limit: usize) -> String {
    format!("the payload is larger than the service's limit of {limit} bytes")
}

/// Check one payload: JSON (see [`payload::check_json`]) and within the limit.
pub(super) fn check(body: &[u8], limit: usize) -> Result<(), String> {
    if body.len() > limit {
        return Err(over_the_limit(limit));
    }
    payload::check_json(body).map_err(|e| format!("the payload is not valid JSON: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every line of `input` read with `cap`, as (what, the bytes kept).
    fn lines(input: &[u8], cap: usize) -> Vec<(Line, Vec<u8>)> {
        // A small buffer, so that lines span many reads.
        let mut reader = BufReader::with_capacity(3, input);
        let mut buffer = Vec::new();
        let mut all = Vec::new();
        loop {
            match read_line(&mut reader, &mut buffer, cap).unwrap() {
                Line::End => return all,
                line => all.push((line, buffer.clone())),
            }
        }
    }

    #[test]
    fn lines_are_kept_up_to_the_cap_and_the_rest_is_dropped() {
        let got = lines(b"{}\nabcdefghij\n\n[1]", 5);
        assert_eq!(
            got,
            [
                (Line::Whole, b"{}\n".to_vec()),
                (Line::Cut, b"abcde".to_vec()),
                (Line::Whole, b"\n".to_vec()),
                (Line::Whole, b"[1]".to_vec()),
            ]
        );
        // Whitespace beyond the cap is trimmed later, so it does not cut a line.
        assert_eq!(lines(b"12345 \r\n", 5), [(Line::Whole, b"12345".to_vec())]);
        assert_eq!(lines(b"", 5), []);
        // A line that never ends is one line, however long.
        let zeros = vec![0u8; 100_000];
        assert_eq!(lines(&zeros, 5), [(Line::Cut, vec![0u8; 5])]);
    }

    #[test]
    fn checks_name_the_limit_and_the_position() {
        assert!(check(b"[1,2]", 5).is_ok());
        assert!(
            check(b"[1,2,3]", 5)
                .unwrap_err()
                .contains("limit of 5 bytes")
        );
        let e = check(b"[\"\xff\"]", 10).unwrap_err();
        assert!(e.contains("invalid UTF-8 at line 1 column 3"), "{e}");
    }
}
