//! Edit tokens in MediaWiki's format (`includes/session/Token.php`):
//! `hex(HMAC-MD5(secret, "<decimal unix time><salt>"))` + hex time + `+\`.
//!
//! The secret is per session and per token family (`default`, `login`,
//! `createaccount`); the salt tells the token types of a family apart. Anonymous
//! users' CSRF-family tokens are the constant `+\`.

use hmac::{Hmac, Mac};
use md5::Md5;
use subtle::ConstantTimeEq;

/// What every token ends with.
pub const SUFFIX: &str = "+\\";

/// Token types of `meta=tokens`, alphabetical, with (secret family, salt).
pub const TYPES: &[(&str, &str, &str)] = &[
    ("createaccount", "createaccount", ""),
    ("csrf", "default", ""),
    ("login", "login", ""),
    ("patrol", "default", "patrol"),
    ("rollback", "default", "rollback"),
    ("userrights", "default", "userrights"),
    ("watch", "default", "watch"),
];

/// Names of the token types, as `type=` accepts them.
pub const TYPE_NAMES: &[&str] = &[
    "createaccount",
    "csrf",
    "login",
    "patrol",
    "rollback",
    "userrights",
    "watch",
];

/// (secret family, salt) of a token type.
pub fn family_and_salt(token_type: &str) -> Option<(&'static str, &'static str)> {
    TYPES
        .iter()
        .find(|(t, _, _)| *t == token_type)
        .map(|(_, f, s)| (*f, *s))
}

/// Whether anonymous users get the constant `+\` for this family.
pub fn is_anon_constant(family: &str) -> bool {
    family == "default"
}

fn hmac_hex(secret: &str, timestamp: u64, salt: &str) -> String {
    // HMAC accepts keys of any length, so this cannot fail.
    let mut mac = <Hmac<Md5> as Mac>::new_from_slice(secret.as_bytes())
        .unwrap_or_else(|_| unreachable!("HMAC takes any key length"));
    mac.update(timestamp.to_string().as_bytes());
    mac.update(salt.as_bytes());
    let bytes = mac.finalize().into_bytes();
    let mut out = String::with_capacity(32);
    for b in bytes {
        out.push_str(&format!("{b:02x}"));
    }
    out
}

/// The token for `secret` and `salt` at `timestamp` (Unix seconds).
pub fn make(secret: &str, salt: &str, timestamp: u64) -> String {
    format!(
        "{}{:x}{}",
        hmac_hex(secret, timestamp, salt),
        timestamp,
        SUFFIX
    )
}

/// The token for now.
pub fn make_now(secret: &str, salt: &str) -> String {
    make(secret, salt, now())
}

fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

/// The timestamp inside a well-formed token (`None` when malformed).
pub fn timestamp_of(candidate: &str) -> Option<u64> {
    if candidate.len() <= 34 || !candidate.ends_with(SUFFIX) {
        return None;
    }
    let body = &candidate[..candidate.len() - SUFFIX.len()];
    if !body
        .bytes()
        .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    {
        return None;
    }
    u64::from_str_radix(&body[32..], 16).ok()
}

/// Whether `candidate` is a token for `secret` and `salt` (any age). The
/// comparison runs in constant time.
pub fn matches(secret: &str, salt: &str, candidate: &str) -> bool {
    let Some(ts) = timestamp_of(candidate) else {
        return false;
    };
    let expected = make(secret, salt, ts);
    expected.len() == candidate.len() && bool::from(expected.as_bytes().ct_eq(candidate.as_bytes()))
}

/// The constant token of anonymous users, compared in constant time.
pub fn matches_anonymous(candidate: &str) -> bool {
    candidate.len() == SUFFIX.len() && bool::from(candidate.as_bytes().ct_eq(SUFFIX.as_bytes()))
}

/// A new random secret: 32 hex characters.
pub fn new_secret() -> String {
    random_hex(32)
}

/// `n` random lower-case hex characters.
pub fn random_hex(n: usize) -> String {
    use rand::Rng;
    let mut rng = rand::rngs::OsRng;
    (0..n)
        .map(|_| std::char::from_digit(rng.gen_range(0..16), 16).unwrap_or('0'))
        .collect()
}

/// `n` random characters of `[0-9a-v]` (session ids, generated bot passwords).
pub fn random_base32(n: usize) -> String {
    use rand::Rng;
    let mut rng = rand::rngs::OsRng;
    (0..n)
        .map(|_| std::char::from_digit(rng.gen_range(0..32), 32).unwrap_or('0'))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn format_and_validation() {
        let secret = "0123456789abcdef0123456789abcdef";
        let t = make(secret, "", 0x6b02f3e0);
        assert_eq!(t.len(), 32 + 8 + 2);
        assert!(t.ends_with("6b02f3e0+\\"));
        assert!(matches(secret, "", &t));
        assert!(!matches(secret, "watch", &t));
        assert!(!matches("ffffffffffffffffffffffffffffffff", "", &t));
        assert!(!matches(secret, "", &t.to_uppercase()));
        assert!(!matches(secret, "", "+\\"));
        assert!(!matches(secret, "", &t.replace("+\\", " \\")));
        assert!(!matches(secret, "", "0123456789abcdef0123456789abcdef+\\"));
        assert!(matches_anonymous("+\\"));
        assert!(!matches_anonymous(&t));
        assert_eq!(timestamp_of(&t), Some(0x6b02f3e0));
        // MediaWiki's value for a known secret (hash_hmac('md5', '1795353534watch', k)).
        let t = make("k", "watch", 1795353534);
        assert_eq!(t, "fbc052c7df652eda16566dd28dcbd1236b02ebbe+\\");
        assert_eq!(random_base32(32).len(), 32);
        assert!(random_base32(32)
            .chars()
            .all(|c| matches!(c, '0'..='9' | 'a'..='v')));
    }
}
