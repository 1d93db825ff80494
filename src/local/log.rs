//! An instance's output, read as it comes and cut into calls, and the service's framing of
//! one call's log (the `Start invoke` and `Finish invoke` lines).

use std::io;
use std::time::{Duration, SystemTime};

use super::platform;

/// The instance's stdout+stderr pipe, with what has been read and not yet given to a call.
pub struct Output {
    rx: platform::Output,
    buf: Vec<u8>,
    /// `buf[..scanned]` holds no complete marker (searching resumes a marker's length back).
    scanned: usize,
    pub eof: bool,
}

impl Output {
    pub fn new(rx: platform::Output) -> Output {
        Output {
            rx,
            buf: Vec::new(),
            scanned: 0,
            eof: false,
        }
    }

    /// Wait for output and append it; at end of file, set `eof` and return 0.
    pub async fn fill(&mut self) -> io::Result<usize> {
        if self.eof {
            return std::future::pending().await;
        }
        let n = self.rx.read(&mut self.buf).await?;
        if n == 0 {
            self.eof = true;
        }
        Ok(n)
    }

    /// Append what can be read without waiting (bytes written just before the answer that
    /// ends a call, which a wait may not have seen yet).
    pub fn drain_ready(&mut self) {
        if !self.eof && self.rx.read_ready(&mut self.buf) {
            self.eof = true;
        }
    }

    /// Everything before `marker`, removing the marker too; `None` until it has arrived.
    pub fn take_through(&mut self, marker: &[u8]) -> Option<Vec<u8>> {
        let from = self.scanned.saturating_sub(marker.len());
        if let Some(at) = find(&self.buf[from..], marker) {
            let at = from + at;
            let rest = self.buf.split_off(at + marker.len());
            self.buf.truncate(at);
            self.scanned = 0;
            Some(std::mem::replace(&mut self.buf, rest))
        } else {
            self.scanned = self.buf.len();
            None
        }
    }

    /// Everything read so far.
    pub fn take_all(&mut self) -> Vec<u8> {
        self.scanned = 0;
        std::mem::take(&mut self.buf)
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    let (&first, _) = needle.split_first()?;
    let mut at = 0;
    while let Some(i) = haystack[at..].iter().position(|&b| b == first) {
        let start = at + i;
        if haystack.len() - start < needle.len() {
            return None;
        }
        if &haystack[start..start + needle.len()] == needle {
            return Some(start);
        }
        at = start + 1;
    }
    None
}

/// `2024-01-01T00:00:00Z`: UTC, whole seconds, as the service stamps its lines.
pub fn timestamp(at: SystemTime) -> String {
    humantime::format_rfc3339_seconds(at).to_string()
}

pub fn start_line(at: SystemTime, request_id: &str, version: &str) -> String {
    format!(
        "{} Start invoke request '{request_id}', version: {version}",
        timestamp(at)
    )
}

pub fn finish_line(
    at: SystemTime,
    request_id: &str,
    duration: Duration,
    memory_used_mb: f64,
    memory_size: u32,
) -> String {
    // 0: never measured (a process that exited before a sample): left out, not made up.
    let memory_used = if memory_used_mb > 0.0 {
        format!(", memory used: {memory_used_mb:.3}MB")
    } else {
        String::new()
    };
    format!(
        "{} Finish invoke request '{request_id}', duration: {:.3}ms, billing duration: {}ms{memory_used}, billing memory: {memory_size}MB",
        timestamp(at),
        duration.as_secs_f64() * 1000.0,
        billed_ms(duration),
    )
}

/// A line in the logger's format, for what fgs itself reports inside a call's log.
pub fn logger_line(request_id: &str, level: &str, message: &str) -> String {
    format!(
        "{} {request_id} {level} {message}\n",
        timestamp(SystemTime::now())
    )
}

/// The duration rounded up to the next whole millisecond, as the service bills it.
pub fn billed_ms(duration: Duration) -> u64 {
    u64::try_from(duration.as_nanos().div_ceil(1_000_000)).unwrap_or(u64::MAX)
}

/// One call's log: the Start line, the output, the Finish line, joined as the service
/// joins them (the output is followed by one newline of the frame's own).
pub fn frame(start: &str, output: &[u8], finish: &str) -> String {
    let output = String::from_utf8_lossy(output);
    let mut log = String::with_capacity(start.len() + output.len() + finish.len() + 2);
    log.push_str(start);
    log.push('\n');
    log.push_str(&output);
    log.push('\n');
    log.push_str(finish);
    log
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_match_the_services_example() {
        let at = SystemTime::UNIX_EPOCH + Duration::from_secs(1_663_674_237);
        let id = "1cbe80f3-3c65-475e-ad88-76ac518d386a";
        let start = start_line(at, id, "v1");
        assert_eq!(
            start,
            "2022-09-20T11:43:57Z Start invoke request '1cbe80f3-3c65-475e-ad88-76ac518d386a', version: v1"
        );
        let finish = finish_line(at, id, Duration::from_micros(65_828), 21.473, 128);
        assert_eq!(
            finish,
            "2022-09-20T11:43:57Z Finish invoke request '1cbe80f3-3c65-475e-ad88-76ac518d386a', duration: 65.828ms, billing duration: 66ms, memory used: 21.473MB, billing memory: 128MB"
        );
        assert_eq!(
            frame(&start, b"Hello, World!\n", &finish),
            format!("{start}\nHello, World!\n\n{finish}")
        );
    }

    #[test]
    fn billing_rounds_up_to_the_millisecond() {
        assert_eq!(billed_ms(Duration::from_micros(2_049)), 3);
        assert_eq!(billed_ms(Duration::from_micros(59_914)), 60);
        assert_eq!(billed_ms(Duration::from_millis(2)), 2);
        assert_eq!(billed_ms(Duration::from_nanos(1)), 1);
    }

    #[test]
    fn markers_are_found_across_reads() {
        assert_eq!(find(b"abcabd", b"abd"), Some(3));
        assert_eq!(find(b"ab", b"abd"), None);
        assert_eq!(find(b"xxab", b"abd"), None);
    }
}
