//! `fgs login` (an IAM token from a user name and password, cached per profile), `fgs logout`,
//! and the password prompt.

use std::io::{IsTerminal, Read};
use std::time::{Duration, SystemTime};

use anyhow::{Context, anyhow};

use super::block_on;
use crate::api::{Refusal, Service};
use crate::cli::LoginArgs;
use crate::cloud::client::Client;
use crate::cloud::credentials;
use crate::cloud::iam;
use crate::error::{Failure, Kind, OrKind};
use crate::output::Output;
use crate::secret::Secret;
use crate::settings::{Settings, check_endpoint};

pub fn login(args: &LoginArgs, settings: &Settings, out: &Output) -> Result<(), Failure> {
    for warning in &settings.warnings {
        out.warn(warning);
    }
    let user = settings.user.as_ref().ok_or_else(|| {
        Failure::usage("no user name: give --user, FGS_USER or `user` in the config file")
    })?;
    let domain = settings.domain.as_ref().ok_or_else(|| {
        Failure::usage(
            "no account (domain) name: give --domain, FGS_DOMAIN or `domain` in the config file",
        )
    })?;
    let region = settings.region.as_ref().ok_or_else(|| {
        Failure::usage("no region: give --region, FGS_REGION or `region` in the config file")
    })?;
    let iam_endpoint = match &settings.iam_endpoint {
        Some(e) => e.value.clone(),
        None => check_endpoint(&format!("https://iam.{}.myhuaweicloud.com", region.value))
            .map_err(Failure::usage)?,
    };
    if let Some(warning) =
        credentials::check_transport(&iam_endpoint, "the IAM endpoint", settings.allow_http)?
    {
        out.warn(&warning);
    }
    let cache = settings.credentials.login_cache.clone().ok_or_else(|| {
        Failure::usage(format!(
            "no cache directory: set {}",
            crate::sys::CACHE_DIR_VARS
        ))
    })?;
    let password = read_password(args.password_stdin)?;
    let project_id = settings.project_id.as_ref();
    let scope = match project_id {
        Some(p) => iam::ProjectScope::Id(&p.value),
        None => iam::ProjectScope::Name(&region.value),
    };
    let login = iam::token_request(&iam_endpoint, &user.value, &domain.value, &password, &scope)
        .or_kind(Kind::Usage)?;
    let request = &login.request;
    let timeout = settings.timeout.value.min(Duration::from_secs(60));
    let client = Client::new(
        settings.connect_timeout.value,
        timeout,
        settings.ca_cert_pem()?.as_deref(),
        1,
    )?;
    if out.verbose {
        out.verbose_request(request, Some(&login.shown_body));
    }
    let response = block_on(client.send(request))??;
    if out.verbose {
        out.verbose_response(&response);
    }
    if response.status != 201 && response.status != 200 {
        let refusal = Refusal::from_response(&response, request, Service::Iam, SystemTime::now());
        return Err(refusal.failure);
    }
    let issued = iam::parse_issued(&response)
        .with_context(|| format!("reading the answer of {}", request.url))
        .or_kind(Kind::Service)?;
    let cached = iam::CachedToken {
        token: issued.token.expose().to_string(),
        expires_at: issued.expires_at.clone(),
        region: region.value.clone(),
        project_id: issued.project_id.or(project_id.map(|p| p.value.clone())),
        user: user.value.clone(),
        domain: domain.value.clone(),
    };
    iam::save(&cache, &cached).or_kind(Kind::Local)?;
    out.info(&format!(
        "logged in as {} ({}) for {}; token cached in {} until {}\n",
        user.value,
        domain.value,
        region.value,
        cache.display(),
        issued.expires_at
    ));
    Ok(())
}

pub fn logout(settings: &Settings, out: &Output) -> Result<(), Failure> {
    let path = settings.credentials.login_cache.as_ref().ok_or_else(|| {
        Failure::usage(format!(
            "no cache directory: set {}",
            crate::sys::CACHE_DIR_VARS
        ))
    })?;
    let deleted = iam::delete(path).or_kind(Kind::Local)?;
    out.info(&if deleted {
        format!("logged out: deleted {}\n", path.display())
    } else {
        format!("not logged in: {} does not exist\n", path.display())
    });
    Ok(())
}

/// The password: from stdin with `--password-stdin` (one line), else a prompt without echo.
fn read_password(from_stdin: bool) -> Result<Secret, Failure> {
    let text = if from_stdin {
        let mut text = String::new();
        std::io::stdin()
            .lock()
            .take(64 * 1024)
            .read_to_string(&mut text)
            .context("reading the password from stdin")
            .or_kind(Kind::Usage)?;
        text.lines().next().unwrap_or_default().to_string()
    } else {
        if !std::io::stdin().is_terminal() {
            return Err(Failure::new(
                Kind::NoTerminal,
                anyhow!("no terminal to ask for the password"),
            ));
        }
        rpassword::prompt_password("Password: ")
            .context("reading the password")
            .or_kind(Kind::NoTerminal)?
    };
    if text.is_empty() {
        return Err(Failure::usage("the password is empty"));
    }
    Secret::new(&text, "password").or_kind(Kind::Usage)
}
