//! The only module that writes to stdout and stderr.
//!
//! stdout carries the function's result and nothing else; everything else goes to stderr.
//! Colour is decided separately for each stream. A closed stdout pipe is not an error.

use std::ffi::OsString;
use std::io::{self, IsTerminal, Write};

use colored::Colorize;

use crate::api::{Request, Response};
use crate::cli::ColorChoice;
use crate::error::Failure;

/// Response headers whose values are secrets, masked in `-v`.
const SECRET_HEADERS: &[&str] = &[
    "x-subject-token",
    "x-auth-token",
    "authorization",
    "x-security-token",
];

/// Whether to colour one stream: `--color` wins, then a non-empty `NO_COLOR` turns colour
/// off, then `CLICOLOR_FORCE` (set and not `0`) turns it on, else colour on a terminal.
pub fn use_color(
    choice: ColorChoice,
    no_color: Option<&OsString>,
    clicolor_force: Option<&OsString>,
    is_terminal: bool,
) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto if no_color.is_some_and(|v| !v.is_empty()) => false,
        ColorChoice::Auto if clicolor_force.is_some_and(|v| !v.is_empty() && v != "0") => true,
        ColorChoice::Auto => is_terminal,
    }
}

/// Both streams, with their colour decided.
#[derive(Clone)]
pub struct Output {
    pub stdout_color: bool,
    pub stderr_color: bool,
    pub stdout_is_terminal: bool,
    /// `-q`: nothing on stderr but errors.
    pub quiet: bool,
}

impl Output {
    pub fn new(choice: ColorChoice) -> Output {
        let no_color = std::env::var_os("NO_COLOR");
        let force = std::env::var_os("CLICOLOR_FORCE");
        let stdout_is_terminal = io::stdout().is_terminal();
        // `colored` keeps one global switch; force it on and decide per stream here.
        colored::control::set_override(true);
        Output {
            stdout_color: use_color(
                choice,
                no_color.as_ref(),
                force.as_ref(),
                stdout_is_terminal,
            ),
            stderr_color: use_color(
                choice,
                no_color.as_ref(),
                force.as_ref(),
                io::stderr().is_terminal(),
            ),
            stdout_is_terminal,
            quiet: false,
        }
    }

    /// Write bytes to stdout. A closed pipe (`| head`) is success; other errors are returned.
    pub fn stdout(&self, bytes: &[u8]) -> io::Result<()> {
        let mut out = io::stdout().lock();
        match out.write_all(bytes).and_then(|()| out.flush()) {
            Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
            other => other,
        }
    }

    /// A line on stderr, whatever `-q` says (errors).
    fn stderr_always(&self, text: &str) {
        let mut err = io::stderr().lock();
        let _ = err.write_all(text.as_bytes());
        let _ = err.flush();
    }

    /// A line on stderr unless `-q`.
    pub fn info(&self, text: &str) {
        if !self.quiet {
            self.stderr_always(text);
        }
    }

    pub fn warn(&self, message: &str) {
        let label = self.paint_err("warning:", |s| s.yellow().bold());
        self.info(&format!("{label} {message}\n"));
    }

    /// The function's log, dimmed on a terminal.
    pub fn log(&self, log: &str) {
        if log.is_empty() {
            return;
        }
        let mut text = log.to_string();
        if !text.ends_with('\n') {
            text.push('\n');
        }
        self.info(&if self.stderr_color {
            text.dimmed().to_string()
        } else {
            text
        });
    }

    fn paint_err(&self, text: &str, style: fn(&str) -> colored::ColoredString) -> String {
        if self.stderr_color {
            style(text).to_string()
        } else {
            text.to_string()
        }
    }

    /// `-v`: the request line and headers, secrets masked.
    pub fn verbose_request(&self, request: &Request) {
        let mut text = format!("> {} {}\n", request.method, request.url);
        for h in &request.headers {
            text.push_str(&format!("> {}: {}\n", h.name, h.value.shown()));
        }
        text.push_str(&format!("> Content-Length: {}\n>\n", request.body.len()));
        self.info(&self.paint_err(&text, |s| s.bright_black()));
    }

    /// `-v`: the response status and headers, secrets masked.
    pub fn verbose_response(&self, response: &Response) {
        let mut text = format!("< HTTP {} {}\n", response.status, response.reason);
        for (name, value) in &response.headers {
            let shown = if SECRET_HEADERS.iter().any(|s| name.eq_ignore_ascii_case(s)) {
                "***".to_string()
            } else {
                value.clone()
            };
            text.push_str(&format!("< {name}: {shown}\n"));
        }
        text.push_str("<\n");
        self.info(&self.paint_err(&text, |s| s.bright_black()));
    }

    /// `--dry-run`: the request on stdout, secrets masked, body as it would be sent.
    pub fn dry_run(&self, request: &Request) -> io::Result<()> {
        let mut text = format!("{} {}\n", request.method, request.url).into_bytes();
        for h in &request.headers {
            text.extend_from_slice(format!("{}: {}\n", h.name, h.value.shown()).as_bytes());
        }
        text.push(b'\n');
        text.extend_from_slice(&crate::render::with_newline(&request.body));
        self.stdout(&text)
    }

    /// `error: …`, `  caused by: …`, the request id, then `hint: …`. Never silenced.
    pub fn report(&self, failure: &Failure) {
        let mut chain = failure.error.chain();
        let mut text = format!(
            "{} {}\n",
            self.paint_err("error:", |s| s.red().bold()),
            chain.next().map(ToString::to_string).unwrap_or_default()
        );
        for cause in chain {
            text.push_str(&format!("  caused by: {cause}\n"));
        }
        if let Some(id) = &failure.request_id {
            text.push_str(&format!("  request id: {id}\n"));
        }
        if let Some(hint) = failure.kind.hint() {
            text.push_str(&format!(
                "{} {hint}\n",
                self.paint_err("hint:", |s| s.cyan().bold())
            ));
        }
        self.stderr_always(&text);
    }

    /// A clap error (usage, `--help`, `--version`), printed as clap formats it.
    pub fn clap(error: &clap::Error) {
        let _ = error.print();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colour_rules_in_order() {
        let set = |v: &str| Some(OsString::from(v));
        let (empty, one, zero) = (set(""), set("1"), set("0"));
        assert!(use_color(ColorChoice::Always, one.as_ref(), None, false));
        assert!(!use_color(ColorChoice::Never, None, one.as_ref(), true));
        assert!(!use_color(
            ColorChoice::Auto,
            one.as_ref(),
            one.as_ref(),
            true
        ));
        assert!(use_color(
            ColorChoice::Auto,
            empty.as_ref(),
            one.as_ref(),
            false
        ));
        assert!(!use_color(ColorChoice::Auto, None, zero.as_ref(), false));
        assert!(use_color(ColorChoice::Auto, None, None, true));
        assert!(!use_color(ColorChoice::Auto, None, None, false));
    }
}
