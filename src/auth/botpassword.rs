//! Bot passwords (`includes/user/BotPassword.php`): `User@appid` logins whose
//! sessions have the rights of their grants only.

use anyhow::{bail, Result};

use crate::api::message::{Msg, Param};
use crate::app::App;
use crate::auth::{grants, password, ratelimit, tokens};
use crate::storage::{BotPasswordRow, UserRow};

/// `$wgUserrightsInterwikiDelimiter`, the separator of `User@appid`.
pub const SEPARATOR: char = '@';
/// Bot passwords are at least this long (`PASSWORD_MINLENGTH`).
pub const PASSWORD_MINLENGTH: usize = 32;
/// Longest app id (`APPID_MAXLENGTH`).
pub const APPID_MAXLENGTH: usize = 32;

fn bot_password_chars(p: &str) -> bool {
    p.len() >= PASSWORD_MINLENGTH
        && p.bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'w').contains(&b))
}

/// Whether `action=login` credentials look like a bot password; returns the
/// `User@appid` name and the password to try (`canonicalizeLoginData`).
pub fn canonicalize_login_data(name: &str, pass: &str) -> Option<(String, String)> {
    if pass.len() >= PASSWORD_MINLENGTH && name.contains(SEPARATOR) {
        if bot_password_chars(pass) {
            return Some((name.to_string(), pass.to_string()));
        }
    } else if pass.len() > PASSWORD_MINLENGTH && pass.contains(SEPARATOR) {
        let (app_id, p) = pass.rsplit_once(SEPARATOR)?;
        if bot_password_chars(p) {
            return Some((format!("{name}{SEPARATOR}{app_id}"), p.to_string()));
        }
    }
    None
}

/// Why a bot-password login failed.
#[derive(Debug)]
pub enum Failure {
    /// Throttled, must be reset, account locked: `action=login` reports these.
    Reported(Msg),
    /// Anything else: `action=login` tries the main account instead.
    Other(Msg),
}

/// A successful bot-password login.
pub struct LoggedIn {
    pub user: UserRow,
    pub bot: BotPasswordRow,
}

/// Checks `User@appid` and its password from `ip`, in MediaWiki's order.
#[tracing::instrument(skip_all)]
pub fn login(app: &App, name: &str, pass: &str, ip: &str) -> Result<Result<LoggedIn, Failure>> {
    let Some((user_name, app_id)) = name.split_once(SEPARATOR) else {
        return Ok(Err(Failure::Other(
            Msg::new("botpasswords-invalid-name").p(SEPARATOR.to_string()),
        )));
    };
    let canonical = crate::wiki::title::normalize_user_name(&app.titles, user_name);
    let user = match &canonical {
        Some(n) => app.store.read()?.user_by_name(n)?,
        None => None,
    };
    let Some(user) = user else {
        return Ok(Err(Failure::Other(
            Msg::new("nosuchuser").p(user_name.to_string()),
        )));
    };
    let mut w = app.store.write()?;
    if let Some(wait) = ratelimit::throttle_increase(w.as_mut(), "botpassword", &user.name, ip)? {
        w.commit()?;
        return Ok(Err(Failure::Reported(
            Msg::new("login-throttled").param(Param::Text(ratelimit::duration_text(wait))),
        )));
    }
    w.commit()?;
    let bot = app.store.read()?.bot_password(user.id, app_id)?;
    let Some(bot) = bot else {
        return Ok(Err(Failure::Other(
            Msg::new("botpasswords-not-exist")
                .p(user_name.to_string())
                .p(app_id.to_string()),
        )));
    };
    if !restrictions_allow(&bot.restrictions, ip) {
        return Ok(Err(Failure::Other(Msg::new(
            "botpasswords-restriction-failed",
        ))));
    }
    if !bot.password.starts_with("$argon2") {
        return Ok(Err(Failure::Reported(
            Msg::new("botpasswords-needs-reset")
                .p(user_name.to_string())
                .p(app_id.to_string()),
        )));
    }
    if !password::verify(pass, &bot.password) {
        return Ok(Err(Failure::Other(Msg::new("wrongpassword"))));
    }
    let mut w = app.store.write()?;
    ratelimit::throttle_clear(w.as_mut(), "botpassword", &user.name, ip)?;
    w.commit()?;
    Ok(Ok(LoggedIn { user, bot }))
}

/// Whether the stored restrictions (`{"IPAddresses":[…]}`) let `ip` in.
fn restrictions_allow(restrictions: &str, ip: &str) -> bool {
    if restrictions.trim().is_empty() {
        return true;
    }
    let Ok(v) = serde_json::from_str::<serde_json::Value>(restrictions) else {
        return false;
    };
    let Some(list) = v.get("IPAddresses").and_then(|l| l.as_array()) else {
        return true;
    };
    let Ok(addr) = ip.parse::<std::net::IpAddr>() else {
        return false;
    };
    list.iter()
        .filter_map(|r| r.as_str())
        .any(|range| in_range(addr, range))
}

fn in_range(addr: std::net::IpAddr, range: &str) -> bool {
    let (net, bits) = match range.split_once('/') {
        Some((n, b)) => (n, b.parse::<u32>().ok()),
        None => (range, None),
    };
    let Ok(net) = net.parse::<std::net::IpAddr>() else {
        return false;
    };
    match (addr, net) {
        (std::net::IpAddr::V4(a), std::net::IpAddr::V4(n)) => {
            let bits = bits.unwrap_or(32).min(32);
            let mask = if bits == 0 {
                0
            } else {
                u32::MAX << (32 - bits)
            };
            u32::from(a) & mask == u32::from(n) & mask
        }
        (std::net::IpAddr::V6(a), std::net::IpAddr::V6(n)) => {
            let bits = bits.unwrap_or(128).min(128);
            let mask = if bits == 0 {
                0
            } else {
                u128::MAX << (128 - bits)
            };
            u128::from(a) & mask == u128::from(n) & mask
        }
        _ => false,
    }
}

/// Creates (or replaces) the bot password `appid` of `user_name` with `grants`;
/// returns the login name and the password (generated when not given).
pub fn create(
    app: &App,
    user_name: &str,
    app_id: &str,
    grant_list: &[String],
    pass: Option<String>,
) -> Result<(String, String)> {
    if app_id.is_empty() || app_id.len() > APPID_MAXLENGTH || app_id.contains(SEPARATOR) {
        bail!("the bot name {app_id:?} is not valid");
    }
    for g in grant_list {
        if !grants::is_grant(g) {
            bail!("unknown grant {g:?}");
        }
    }
    let mut grant_list: Vec<String> = grant_list.to_vec();
    if !grant_list.iter().any(|g| g == "basic") {
        grant_list.insert(0, "basic".into());
    }
    let canonical = crate::wiki::title::normalize_user_name(&app.titles, user_name)
        .ok_or_else(|| anyhow::anyhow!("invalid user name {user_name:?}"))?;
    let pass = pass.unwrap_or_else(|| tokens::random_base32(PASSWORD_MINLENGTH));
    if !bot_password_chars(&pass) {
        bail!("bot passwords must be at least 32 characters of [0-9a-w] (action=login recognises only those)");
    }
    let hash = password::hash(&pass)?;
    let mut w = app.store.write()?;
    let user = w
        .user_by_name(&canonical)?
        .ok_or_else(|| anyhow::anyhow!("there is no user {canonical:?}"))?;
    w.put_bot_password(&BotPasswordRow {
        user: user.id,
        app_id: app_id.to_string(),
        password: hash,
        token: tokens::random_hex(32),
        restrictions: r#"{"IPAddresses":["0.0.0.0/0","::/0"]}"#.into(),
        grants: grant_list,
    })?;
    w.commit()?;
    Ok((format!("{}{SEPARATOR}{app_id}", user.name), pass))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn login_data() {
        let p = "0123456789abcdef0123456789abcdef";
        assert_eq!(
            canonicalize_login_data("Admin@ci", p),
            Some(("Admin@ci".into(), p.into()))
        );
        assert_eq!(
            canonicalize_login_data("Admin", &format!("ci@{p}")),
            Some(("Admin@ci".into(), p.into()))
        );
        assert_eq!(
            canonicalize_login_data("Admin@ci", "wrong-password-123"),
            None
        );
        assert_eq!(canonicalize_login_data("Admin", p), None);
        assert_eq!(canonicalize_login_data("Admin@ci", &p.to_uppercase()), None);
        assert!(in_range("10.1.2.3".parse().unwrap(), "10.0.0.0/8"));
        assert!(!in_range("11.1.2.3".parse().unwrap(), "10.0.0.0/8"));
        assert!(restrictions_allow(
            r#"{"IPAddresses":["0.0.0.0/0","::/0"]}"#,
            "::1"
        ));
    }
}
