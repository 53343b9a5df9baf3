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
    }
}
