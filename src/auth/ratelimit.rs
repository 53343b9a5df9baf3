//! Rate limits (`$wgRateLimits`, MediaWiki's `RateLimiter`) and the password-attempt
//! throttle (`$wgPasswordAttemptThrottle`, `Throttler`). Counters live in the
//! `ratelimit` table, so every wikid process on a database shares them. Windows are
//! fixed: a counter starts with its first hit and ends `seconds` later.

use anyhow::Result;

use crate::api::Cx;
use crate::auth::User;
use crate::storage::WriteTxn;

/// Who a limit applies to.
pub type Category = &'static str;

/// `$wgRateLimits` defaults of 1.39, in MediaWiki's order: action → [(category, hits, seconds)].
pub const RATE_LIMITS: &[(&str, &[(Category, i64, i64)])] = &[
    (
        "edit",
        &[("ip", 8, 60), ("newbie", 8, 60), ("user", 90, 60)],
    ),
    ("move", &[("newbie", 2, 120), ("user", 8, 60)]),
    ("upload", &[("ip", 8, 60), ("newbie", 8, 60)]),
    ("rollback", &[("user", 10, 60), ("newbie", 5, 120)]),
    ("mailpassword", &[("ip", 5, 3600)]),
    (
        "emailuser",
        &[("ip", 5, 86400), ("newbie", 5, 86400), ("user", 20, 86400)],
    ),
    ("changeemail", &[("ip-all", 10, 3600), ("user", 4, 86400)]),
    ("confirmemail", &[("ip-all", 10, 3600), ("user", 4, 86400)]),
    ("purge", &[("ip", 30, 60), ("user", 30, 60)]),
    ("linkpurge", &[("ip", 30, 60), ("user", 30, 60)]),
    ("renderfile", &[("ip", 700, 30), ("user", 700, 30)]),
    (
        "renderfile-nonstandard",
        &[("ip", 70, 30), ("user", 70, 30)],
    ),
    ("stashedit", &[("ip", 30, 60), ("newbie", 30, 60)]),
    ("stashbasehtml", &[("ip", 5, 60), ("newbie", 5, 60)]),
    ("changetag", &[("ip", 8, 60), ("newbie", 8, 60)]),
    ("editcontentmodel", &[("newbie", 2, 120), ("user", 8, 60)]),
];

/// `$wgPasswordAttemptThrottle` defaults: (attempts, seconds).
pub const PASSWORD_ATTEMPT_THROTTLE: &[(i64, i64)] = &[(5, 300), (150, 48 * 3600)];

fn limits_of(action: &str) -> &'static [(Category, i64, i64)] {
    RATE_LIMITS
        .iter()
        .find(|(a, _)| *a == action)
        .map(|(_, l)| *l)
        .unwrap_or(&[])
}

fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

fn per_second(hits: i64, seconds: i64) -> f64 {
    hits as f64 / seconds.max(1) as f64
}

/// Whether rate limits apply to the user at all (`isPingLimitable`).
pub fn is_limitable(user: &User) -> bool {
    !user.has("noratelimit")
}

/// The user is a "newbie" when not autoconfirmed (never, with the default autopromotion).
pub fn is_newbie(user: &User) -> bool {
    !user.has("autoconfirmed")
}

/// The counters an action touches for a user: (key, hits, seconds).
fn counters(user: &User, ip: &str, action: &str) -> Vec<(String, i64, i64)> {
    let conds = limits_of(action);
    let get = |cat: &str| {
        conds
            .iter()
            .find(|(c, _, _)| *c == cat)
            .map(|(_, h, s)| (*h, *s))
    };
    let mut out = Vec::new();
    let newbie = is_newbie(user);
    if user.is_anon() {
        if let Some((h, s)) = get("anon") {
            out.push((format!("limiter:{action}:anon"), h, s));
        }
    }
    if newbie {
        if let Some((h, s)) = get("ip") {
            out.push((format!("limiter:{action}:ip:{ip}"), h, s));
        }
        if let Some((h, s)) = get("subnet") {
            out.push((format!("limiter:{action}:subnet:{}", subnet(ip)), h, s));
        }
    }
    let mut entity: Option<(String, i64, i64)> = None;
    if !user.is_anon() {
        if let Some((h, s)) = get("user") {
            entity = Some(("user".into(), h, s));
        }
    }
    match get("newbie") {
        Some((h, s)) if !user.is_anon() && newbie => entity = Some(("newbie".into(), h, s)),
        _ => {
            for g in &user.groups {
                if let Some((h, s)) = get(g) {
                    let better = match &entity {
                        None => true,
                        Some((_, eh, es)) => per_second(h, s) > per_second(*eh, *es),
                    };
                    if better {
                        entity = Some((g.clone(), h, s));
                    }
                }
            }
        }
    }
    if let Some((cat, h, s)) = &entity {
        out.push((format!("limiter:{action}:{cat}:{}", user.id), *h, *s));
    }
    if let Some((h, s)) = get("ip-all") {
        let wider = match &entity {
            None => true,
            Some((_, eh, es)) => per_second(h, s) > per_second(*eh, *es),
        };
        if newbie || wider {
            out.push((format!("limiter:{action}:ip-all:{ip}"), h, s));
        }
    }
    out
}

/// The /24 (IPv4) or /64 (IPv6) network of an address, as a key.
fn subnet(ip: &str) -> String {
    match ip.parse::<std::net::IpAddr>() {
        Ok(std::net::IpAddr::V4(v4)) => {
            let o = v4.octets();
            format!("{}.{}.{}", o[0], o[1], o[2])
        }
        Ok(std::net::IpAddr::V6(v6)) => {
            let s = v6.segments();
            format!("{:x}:{:x}:{:x}:{:x}", s[0], s[1], s[2], s[3])
        }
        Err(_) => ip.to_string(),
    }
}

/// Counts `incr_by` hits of `action` for the user; true when a limit is exceeded
/// (nothing is counted then). Users with `noratelimit` are never limited.
#[tracing::instrument(skip_all, fields(action))]
pub fn limit(
    w: &mut dyn WriteTxn,
    user: &User,
    ip: &str,
    action: &str,
    incr_by: i64,
) -> Result<bool> {
    if !is_limitable(user) {
        return Ok(false);
    }
    let list = counters(user, ip, action);
    if list.is_empty() {
        return Ok(false);
    }
    let now = now();
    for (key, hits, _) in &list {
        if w.counter(key, now)? + incr_by.max(1) > *hits {
            tracing::info!(action, "rate limit tripped");
            return Ok(true);
        }
    }
    for (key, _, seconds) in &list {
        w.counter_add(key, incr_by.max(1), *seconds, now)?;
    }
    Ok(false)
}

/// `pingLimiter` for modules: true when the request's user exceeded the limit for
/// `action` (purge, linkpurge, edit…). Storage trouble never limits.
pub fn ping_limiter(cx: &Cx<'_>, action: &str, incr_by: i64) -> bool {
    let run = || -> Result<bool> {
        let mut w = cx.app.store.write()?;
        let limited = limit(w.as_mut(), &cx.user, &cx.req.ip, action, incr_by)?;
        w.commit()?;
        Ok(limited)
    };
    match run() {
        Ok(l) => l,
        Err(e) => {
            tracing::warn!(error = %e, "rate limiter unavailable");
            false
        }
    }
}

/// The limits that apply to a user, as `meta=userinfo&uiprop=ratelimits` lists
/// them: (action, [(category, hits, seconds)]).
pub fn applicable(user: &User) -> Vec<(&'static str, Vec<(&'static str, i64, i64)>)> {
    if !is_limitable(user) {
        return Vec::new();
    }
    let mut cats: Vec<&str> = vec![if user.is_anon() { "anon" } else { "user" }];
    if is_newbie(user) {
        cats.push("ip");
        cats.push("subnet");
        if !user.is_anon() {
            cats.push("newbie");
        }
    }
    let mut out = Vec::new();
    for (action, conds) in RATE_LIMITS {
        let mut l = Vec::new();
        for cat in cats
            .iter()
            .copied()
            .chain(user.groups.iter().map(String::as_str))
        {
            if let Some((c, h, s)) = conds.iter().find(|(c, _, _)| *c == cat) {
                l.push((*c, *h, *s));
            }
        }
        if !l.is_empty() {
            out.push((*action, l));
        }
    }
    out
}

fn throttle_key(kind: &str, index: usize, ip: &str, user: &str) -> String {
    use md5::{Digest, Md5};
    let digest = Md5::digest(user.as_bytes());
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    format!("throttler:{kind}:{index}:{ip}:{hex}")
}

/// Counts a login attempt of `kind` (`password`, `botpassword`) for the user name
/// from the IP. Returns the wait in seconds when the throttle is already full.
#[tracing::instrument(skip_all)]
pub fn throttle_increase(
    w: &mut dyn WriteTxn,
    kind: &str,
    user: &str,
    ip: &str,
) -> Result<Option<i64>> {
    let now = now();
    for (index, (count, seconds)) in PASSWORD_ATTEMPT_THROTTLE.iter().enumerate() {
        let key = throttle_key(kind, index, ip, user);
        if w.counter(&key, now)? >= *count {
            tracing::info!(kind, "login throttled");
            return Ok(Some(*seconds));
        }
        w.counter_add(&key, 1, *seconds, now)?;
    }
    Ok(None)
}

/// Clears the throttle after a successful login.
pub fn throttle_clear(w: &mut dyn WriteTxn, kind: &str, user: &str, ip: &str) -> Result<()> {
    for index in 0..PASSWORD_ATTEMPT_THROTTLE.len() {
        w.counter_delete(&throttle_key(kind, index, ip, user))?;
    }
    Ok(())
}

/// A duration as MediaWiki's `durationParams` renders it in English
/// (`5 minutes`, `2 days`).
pub fn duration_text(seconds: i64) -> String {
    let units: &[(i64, &str)] = &[
        (365 * 86400, "year"),
        (86400, "day"),
        (3600, "hour"),
        (60, "minute"),
        (1, "second"),
    ];
    let mut parts = Vec::new();
    let mut rest = seconds;
    for (size, name) in units {
        if rest >= *size {
            let n = rest / size;
            rest %= size;
            parts.push(format!("{n} {name}{}", if n == 1 { "" } else { "s" }));
        }
    }
    if parts.is_empty() {
        return "0 seconds".into();
    }
    crate::api::message::comma_list(&parts)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(duration_text(300), "5 minutes");
        assert_eq!(duration_text(172800), "2 days");
        assert_eq!(duration_text(3600), "1 hour");
    }
}
