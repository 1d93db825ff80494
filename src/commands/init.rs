//! `fgs config init`: a config file with the region, project id and auth method, from flags
//! or asked for on a terminal, each answer checked as it is given.

use std::io::{BufRead, IsTerminal};

use anyhow::Context;
use clap::ValueEnum;

use crate::cli::{InitArgs, REGIONS};
use crate::cloud::credentials::Method;
use crate::error::{Failure, Kind, OrKind};
use crate::output::Output;
use crate::settings::Settings;

/// Write the config file. Never a secret: those belong in the environment or `token_file`.
/// An existing file is kept unless `--force`. With no terminal, the values come from flags,
/// and at least one must be given.
pub fn init(args: &InitArgs, settings: &Settings, out: &Output) -> Result<(), Failure> {
    let path = settings.config_location.as_ref().ok_or_else(|| {
        Failure::usage(format!(
            "no config file location: set {}",
            crate::sys::CONFIG_DIR_VARS
        ))
    })?;
    if path.exists() && !args.force {
        return Err(Failure::usage(format!(
            "{} exists already: give --force to replace it",
            path.display()
        )));
    }
    let interactive = std::io::stdin().is_terminal();
    if !interactive && args.region.is_none() && args.project_id.is_none() && args.auth.is_none() {
        return Err(Failure::usage(
            "nothing to write, and no terminal to ask on: give the values as flags, e.g. \
             fgs config init --region cn-north-4 --project-id ID --auth aksk",
        ));
    }
    let mut stdin = std::io::stdin().lock();
    let mut asker = Asker {
        interactive,
        input: &mut stdin,
        out,
    };
    let region = match &args.region {
        Some(region) => {
            crate::urn::check_region(region).map_err(Failure::usage)?;
            if let Some(note) = unknown_region(region) {
                out.warn(&format!("{note}; writing it as given"));
            }
            Some(region.clone())
        }
        None => asker.region()?,
    };
    let project_id = match &args.project_id {
        Some(id) => {
            crate::urn::check_project_id(id).map_err(Failure::usage)?;
            Some(id.clone())
        }
        None => asker.ask(
            "project id (32 letters and digits, from the console's My Credentials > API Credentials page)",
            crate::urn::check_project_id,
        )?,
    };
    let auth = match args.auth {
        Some(method) => Some(name(method)),
        None => asker.ask("auth method, token, aksk or metadata", |a| {
            Method::from_str(a, true)
                .map(|_| ())
                .map_err(|_| format!("auth `{a}`: use token, aksk or metadata"))
        })?,
    };
    let mut text = String::from(
        "# fgs settings: see `fgs config show` and the README. Keep secrets out of this file:\n\
         # use HUAWEICLOUD_SDK_AK/SK, FGS_TOKEN, token_file or token_command.\n",
    );
    for (key, value) in [
        ("region", &region),
        ("project_id", &project_id),
        ("auth", &auth),
    ] {
        if let Some(value) = value {
            text.push_str(&format!("{key} = \"{value}\"\n"));
        }
    }
    crate::config_file::write_private(path, text.as_bytes()).or_kind(Kind::Local)?;
    out.info(&format!("wrote {}\n", path.display()));
    out.info(&format!("{}\n", next_step(auth.as_deref())));
    Ok(())
}

/// What to do after writing the file: the credentials, which the file never holds.
fn next_step(auth: Option<&str>) -> &'static str {
    match auth {
        Some("metadata") => {
            "next: run fgs on a Huawei Cloud ECS whose instance has an agency; then try `fgs list`"
        }
        Some("token") => {
            "next: credentials: fgs login --user NAME --domain ACCOUNT, or a token in FGS_TOKEN or token_file; then try `fgs list`"
        }
        Some("aksk") => {
            "next: credentials: export HUAWEICLOUD_SDK_AK and HUAWEICLOUD_SDK_SK (an access key pair); then try `fgs list`"
        }
        _ => {
            "next: credentials: export HUAWEICLOUD_SDK_AK and HUAWEICLOUD_SDK_SK (an access key pair), or fgs login --user NAME --domain ACCOUNT; then try `fgs list`"
        }
    }
}

fn name(method: Method) -> String {
    method
        .to_possible_value()
        .expect("no variant is skipped")
        .get_name()
        .to_string()
}

/// A region that is not one of the documented ones: say so, with the closest one.
fn unknown_region(region: &str) -> Option<String> {
    if REGIONS.contains(&region) {
        return None;
    }
    let closest = REGIONS
        .iter()
        .map(|known| (strsim::levenshtein(region, known), *known))
        .min()
        .filter(|(distance, _)| *distance <= 3);
    Some(match closest {
        Some((_, known)) => format!("`{region}` is not a documented region: did you mean {known}?"),
        None => format!("`{region}` is not a documented region (a private cloud's may be right)"),
    })
}

/// Questions on the terminal, one answer a line, each checked at once and asked again.
struct Asker<'a> {
    interactive: bool,
    input: &'a mut dyn BufRead,
    out: &'a Output,
}

impl Asker<'_> {
    /// One answer: `None` when left empty (or when there is no terminal to ask on).
    fn answer(&mut self, prompt: &str) -> Result<Option<String>, Failure> {
        self.out.info(&format!("{prompt} (empty to leave out): "));
        let mut line = String::new();
        let read = self
            .input
            .read_line(&mut line)
            .context("reading an answer")
            .or_kind(Kind::Usage)?;
        if read == 0 {
            return Err(Failure::usage(
                "no answer: the input ended; nothing was written",
            ));
        }
        Ok(Some(line.trim().to_string()).filter(|l| !l.is_empty()))
    }

    /// Ask until the answer passes `check`, or is left empty.
    fn ask(
        &mut self,
        prompt: &str,
        check: impl Fn(&str) -> Result<(), String>,
    ) -> Result<Option<String>, Failure> {
        if !self.interactive {
            return Ok(None);
        }
        loop {
            let Some(answer) = self.answer(prompt)? else {
                return Ok(None);
            };
            match check(&answer) {
                Ok(()) => return Ok(Some(answer)),
                Err(problem) => self.out.info(&format!("{problem}; try again\n")),
            }
        }
    }

    /// The region: checked, and one that is not documented kept when given twice.
    fn region(&mut self) -> Result<Option<String>, Failure> {
        if !self.interactive {
            return Ok(None);
        }
        let mut doubted: Option<String> = None;
        loop {
            let Some(answer) = self.answer("region, e.g. cn-north-4")? else {
                return Ok(None);
            };
            if let Err(problem) = crate::urn::check_region(&answer) {
                self.out.info(&format!("{problem}; try again\n"));
                continue;
            }
            match unknown_region(&answer) {
                Some(note) if doubted.as_deref() != Some(answer.as_str()) => {
                    self.out
                        .info(&format!("{note} (give `{answer}` again to keep it)\n"));
                    doubted = Some(answer);
                }
                _ => return Ok(Some(answer)),
            }
        }
    }
}
