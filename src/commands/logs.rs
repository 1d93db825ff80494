//! `fgs logs FUNCTION`: the function's log from LTS, for a window of time or one request,
//! and with `--follow` the new lines as they arrive, none twice.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use anyhow::{Context, anyhow};
use serde_json::Value;
use url::Url;

use super::block_on;
use crate::cli::{LogMode, LogTime, LogsArgs};
use crate::cloud::credentials;
use crate::cloud::lts::{self, Logs, Query, Seen};
use crate::error::{Failure, Kind, LTS_OFF_HINT, OrKind};
use crate::output::Output;
use crate::render;
use crate::sanitize;
use crate::settings::Settings;

/// `--since` when none is given.
const DEFAULT_SINCE: Duration = Duration::from_secs(600);
/// `--interval` when none is given: LTS allows 10 reads a minute of one stream (§11.3).
const DEFAULT_INTERVAL: Duration = Duration::from_secs(6);
/// How far back each `--follow` read looks again, for lines LTS indexes late.
const FOLLOW_LOOKBACK: Duration = Duration::from_secs(300);
/// Lines asked for a page.
const PAGE: u32 = 500;

pub fn run(args: &LogsArgs, settings: &Settings, out: &Output) -> Result<(), Failure> {
    let target = settings.target(
        args.version.qualifier.as_deref(),
        args.version.alias.as_deref(),
    )?;
    let endpoint = endpoint(settings, out)?;
    let now = SystemTime::now();
    let start = args.since.unwrap_or(LogTime::Ago(DEFAULT_SINCE)).at(now);
    let end = args.until.map_or(now, |u| u.at(now));
    if start >= end {
        return Err(Failure::usage(
            "--since is not before --until: nothing lies between them",
        ));
    }
    let lookup = super::lookup(settings, args.retries, out)?;
    let json = args.output == Some(LogMode::Json);
    block_on(async {
        let config = lookup.config(&target.urn, out).await?;
        let binding = match lts::binding(&lookup, &target.urn, &config, out).await? {
            Some(binding) if config.get("enable_lts_log") != Some(&Value::Bool(false)) => binding,
            _ => {
                return Err(Failure::new(
                    Kind::Unavailable,
                    anyhow!("{} sends no log to LTS", target.urn.name),
                )
                .with_hint(Some(LTS_OFF_HINT.into())));
            }
        };
        out.verbose_note(&format!(
            "LTS log group {} and stream {}",
            sanitize::shown(&binding.group_id),
            sanitize::shown(&binding.stream_id)
        ));
        let reader = Reader {
            logs: Logs {
                lookup: &lookup,
                endpoint: &endpoint,
                binding: &binding,
            },
            keywords: args.request_id.clone(),
            json,
            out,
        };
        reader.run(args, start, end).await
    })?
    .map_err(|failure| super::invoke::two_readings(failure, settings))
}

/// LTS's endpoint: the setting, else the region's; credentials go over plain http only to
/// loopback, unless allowed.
fn endpoint(settings: &Settings, out: &Output) -> Result<Url, Failure> {
    let (url, what) = if let Some(explicit) = &settings.lts_endpoint {
        (
            explicit.value.clone(),
            format!("LTS endpoint from {}", explicit.source),
        )
    } else {
        let Some(region) = &settings.region else {
            // The project's own check names what is missing.
            settings.project()?;
            return Err(Failure::usage("no region: give --region"));
        };
        (lts::default_endpoint(&region.value)?, "LTS endpoint".into())
    };
    if let Some(warning) = credentials::check_transport(&url, &what, settings.allow_http)? {
        out.warn(&warning);
    }
    Ok(url)
}

/// What one run reads and how it prints.
struct Reader<'a> {
    logs: Logs<'a>,
    keywords: Option<String>,
    json: bool,
    out: &'a Output,
}

impl Reader<'_> {
    async fn run(
        &self,
        args: &LogsArgs,
        start: SystemTime,
        end: SystemTime,
    ) -> Result<(), Failure> {
        let mut seen = Seen::default();
        let mut left = args.limit;
        let printed = self.read(start, end, &mut left, &mut seen).await?;
        if !args.follow {
            if printed == 0 {
                self.out.info("no log lines in that time\n");
            }
            return Ok(());
        }
        let interval = args.interval.unwrap_or(DEFAULT_INTERVAL);
        let interrupt = tokio::signal::ctrl_c();
        tokio::pin!(interrupt);
        let mut from = end;
        loop {
            if left == Some(0) {
                return Ok(());
            }
            tokio::select! {
                () = tokio::time::sleep(interval) => {}
                _ = &mut interrupt => return Ok(()),
            }
            let now = SystemTime::now();
            let since = from
                .checked_sub(FOLLOW_LOOKBACK)
                .unwrap_or(UNIX_EPOCH)
                .max(start);
            tokio::select! {
                read = self.read(since, now, &mut left, &mut seen) => { read?; }
                _ = &mut interrupt => return Ok(()),
            }
            from = now;
        }
    }

    /// Print the lines of [start, end] not seen yet; how many.
    async fn read(
        &self,
        start: SystemTime,
        end: SystemTime,
        left: &mut Option<u64>,
        seen: &mut Seen,
    ) -> Result<u64, Failure> {
        let query = Query {
            start_ms: millis(start),
            end_ms: millis(end),
            keywords: self.keywords.clone(),
            page: left.map_or(PAGE, |l| u32::try_from(l).unwrap_or(PAGE).min(PAGE)),
        };
        let lines = self.logs.read(&query, *left, seen, self.out).await?;
        let count = lines.len() as u64;
        if let Some(left) = left {
            *left = left.saturating_sub(count);
        }
        let mut text = Vec::new();
        for line in &lines {
            if self.json {
                text.extend(render::json_line(line));
                continue;
            }
            let content = line.get("content").and_then(Value::as_str).unwrap_or("");
            let mut shown = if self.out.stdout_is_terminal {
                sanitize::log_for_terminal(content)
            } else {
                content.to_string()
            };
            if !shown.ends_with('\n') {
                shown.push('\n');
            }
            text.extend_from_slice(shown.as_bytes());
        }
        self.out
            .stdout(&text)
            .context("writing to stdout")
            .or_kind(Kind::Local)?;
        Ok(count)
    }
}

fn millis(time: SystemTime) -> u64 {
    time.duration_since(UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
}
