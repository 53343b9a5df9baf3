//! Timestamps: MediaWiki's 14-digit form, ISO 8601 output, and the input formats
//! `ConvertibleTimestamp` accepts (the ones clients send).

use chrono::{DateTime, NaiveDate, NaiveDateTime, TimeZone, Utc};

/// Now, truncated to whole seconds (MediaWiki stores seconds).
pub fn now() -> DateTime<Utc> {
    let n = Utc::now();
    Utc.timestamp_opt(n.timestamp(), 0).single().unwrap_or(n)
}

/// `YYYYMMDDHHMMSS`.
pub fn to_mw(t: &DateTime<Utc>) -> String {
    t.format("%Y%m%d%H%M%S").to_string()
}

/// `YYYY-MM-DDTHH:MM:SSZ`.
pub fn to_iso(t: &DateTime<Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// Converts a stored 14-digit timestamp to ISO 8601.
pub fn mw_to_iso(mw: &str) -> String {
    parse_timestamp(mw)
        .map(|t| to_iso(&t))
        .unwrap_or_else(|| mw.to_string())
}

/// Parses the timestamp forms MediaWiki accepts for `timestamp` parameters.
pub fn parse_timestamp(s: &str) -> Option<DateTime<Utc>> {
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    if s == "now" {
        return Some(now());
    }
    if s.len() == 14 && s.bytes().all(|b| b.is_ascii_digit()) {
        return NaiveDateTime::parse_from_str(s, "%Y%m%d%H%M%S")
            .ok()
            .map(|n| Utc.from_utc_datetime(&n));
    }
    if s.bytes().all(|b| b.is_ascii_digit()) && s.len() <= 13 {
        // Unix time in seconds.
        return s
            .parse::<i64>()
            .ok()
            .and_then(|v| Utc.timestamp_opt(v, 0).single());
    }
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Some(t.with_timezone(&Utc));
    }
    for f in [
        "%Y-%m-%dT%H:%M:%SZ",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%dT%H:%M:%S%.fZ",
    ] {
        if let Ok(n) = NaiveDateTime::parse_from_str(s, f) {
            return Some(Utc.from_utc_datetime(&n));
        }
    }
    if let Ok(d) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        return d.and_hms_opt(0, 0, 0).map(|n| Utc.from_utc_datetime(&n));
    }
    if let Ok(t) = DateTime::parse_from_rfc2822(s) {
        return Some(t.with_timezone(&Utc));
    }
    None
}

/// A parsed expiry: a point in time, or none (`infinite`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expiry {
    Infinite,
    At(DateTime<Utc>),
}

/// Parses an expiry as MediaWiki's `ExpiryDef` does: `infinite` (and its
/// synonyms), a timestamp, or a relative time such as `1 week` or `3 days`
/// (PHP's `strtotime` for the common forms). `None` when it is not one.
pub fn parse_expiry(s: &str, now: &DateTime<Utc>) -> Option<Expiry> {
    let t = s.trim();
    if ["infinite", "indefinite", "infinity", "never"].contains(&t.to_ascii_lowercase().as_str()) {
        return Some(Expiry::Infinite);
    }
    if let Some(at) = parse_relative(t, now) {
        return Some(Expiry::At(at));
    }
    parse_timestamp(t).map(Expiry::At)
}

fn parse_relative(s: &str, now: &DateTime<Utc>) -> Option<DateTime<Utc>> {
    use chrono::{Duration, Months};
    let words: Vec<&str> = s.split_whitespace().collect();
    if words.is_empty() || !words.len().is_multiple_of(2) {
        return None;
    }
    let mut at = *now;
    for pair in words.chunks(2) {
        let n: i64 = pair[0].trim_start_matches('+').parse().ok()?;
        let unit = pair[1].to_ascii_lowercase();
        let unit = unit.strip_suffix('s').unwrap_or(&unit);
        at = match unit {
            "sec" | "second" => at + Duration::seconds(n),
            "min" | "minute" => at + Duration::minutes(n),
            "hour" => at + Duration::hours(n),
            "day" => at + Duration::days(n),
            "week" => at + Duration::weeks(n),
            "fortnight" => at + Duration::weeks(2 * n),
            "month" if n >= 0 => at.checked_add_months(Months::new(n as u32))?,
            "year" if n >= 0 => at.checked_add_months(Months::new(12 * n as u32))?,
            _ => return None,
        };
    }
    Some(at)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        let t = parse_timestamp("20261122130000").unwrap();
        assert_eq!(to_iso(&t), "2026-11-22T13:00:00Z");
        assert_eq!(
            to_mw(&parse_timestamp("2026-11-22T13:00:00Z").unwrap()),
            "20261122130000"
        );
        assert!(parse_timestamp("garbage").is_none());
        assert_eq!(mw_to_iso("20261122130000"), "2026-11-22T13:00:00Z");
        let now = parse_timestamp("20261122130000").unwrap();
        assert_eq!(
            parse_expiry("1 week", &now),
            Some(Expiry::At(parse_timestamp("20261129130000").unwrap()))
        );
        assert_eq!(parse_expiry("infinite", &now), Some(Expiry::Infinite));
        assert_eq!(parse_expiry("soon", &now), None);
    }
}
