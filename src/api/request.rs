//! `RawRequest`: what `http.rs` hands to the API, with PHP's parameter rules applied.
//!
//! * query string and body are merged, the body winning; the last duplicate wins;
//! * `.` and space in names become `_` (PHP input-name mangling);
//! * `name[]=` / `name[x]=` (PHP array syntax) makes the parameter absent, with a warning;
//! * values are cleaned: invalid UTF-8 → U+FFFD, then NFC; changed names are remembered
//!   for the `badutf8` warning and the pageset's `fromencoded` entries.

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};

use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};

/// HTTP method as the API distinguishes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Get,
    Head,
    Post,
    Options,
    Other,
}

#[derive(Debug, Clone)]
pub struct RawValue {
    /// The cleaned value (valid UTF-8, NFC).
    pub value: String,
    /// The raw bytes when cleaning changed them.
    pub raw_changed: Option<Vec<u8>>,
}

/// An uploaded file part of a multipart body.
#[derive(Debug, Clone)]
pub struct Upload {
    pub filename: String,
    pub content_type: Option<String>,
    pub data: Vec<u8>,
}

#[derive(Debug)]
pub struct RawRequest {
    pub method: Method,
    /// Parameter names in first-seen order (query then body), for warnings.
    pub order: Vec<String>,
    pub values: HashMap<String, RawValue>,
    /// Names present in the query string.
    pub in_query: HashSet<String>,
    /// Names sent with PHP array syntax (treated as absent).
    pub arrays: Vec<String>,
    pub uploads: HashMap<String, Upload>,
    /// Request headers, names lower-cased.
    pub headers: HashMap<String, String>,
    /// Cookies by name.
    pub cookies: HashMap<String, String>,
    /// Client IP address as text.
    pub ip: String,
    /// `http` or `https`, for absolute URLs.
    pub scheme: String,
    /// The `Host` header, if any.
    pub host: Option<String>,
    /// POST without a Content-Type header.
    pub post_without_content_type: bool,
    /// Names consulted so far (for the unrecognized-parameter warning).
    used: RefCell<HashSet<String>>,
}

impl RawRequest {
    pub fn new(method: Method) -> RawRequest {
        RawRequest {
            method,
            order: Vec::new(),
            values: HashMap::new(),
            in_query: HashSet::new(),
            arrays: Vec::new(),
            uploads: HashMap::new(),
            headers: HashMap::new(),
            cookies: HashMap::new(),
            ip: "127.0.0.1".into(),
            scheme: "http".into(),
            host: None,
            post_without_content_type: false,
            used: RefCell::new(HashSet::new()),
        }
    }

    /// Adds the pairs of an `application/x-www-form-urlencoded` string.
    pub fn add_urlencoded(&mut self, bytes: &[u8], from_query: bool) {
        for pair in bytes.split(|&b| b == b'&') {
            if pair.is_empty() {
                continue;
            }
            let (k, v) = match pair.iter().position(|&b| b == b'=') {
                Some(i) => (&pair[..i], &pair[i + 1..]),
                None => (pair, &b""[..]),
            };
            let k = percent_decode(k);
            let v = percent_decode(v);
            self.add_bytes(&k, v, from_query);
        }
    }

    /// Adds one parameter from raw bytes, applying PHP's name rules.
    pub fn add_bytes(&mut self, name: &[u8], value: Vec<u8>, from_query: bool) {
        let name = String::from_utf8_lossy(name).into_owned();
        // PHP: a name starting with space is trimmed; '.' and ' ' become '_'.
        let name = name.trim_start_matches(' ').to_string();
        if name.is_empty() {
            return;
        }
        let (base, is_array) = match name.find('[') {
            Some(i) if i > 0 && name[i..].contains(']') => (name[..i].to_string(), true),
            _ => (name.clone(), false),
        };
        let base: String = base
            .chars()
            .map(|c| if c == '.' || c == ' ' { '_' } else { c })
            .collect();
        if is_array {
            if !self.arrays.contains(&base) {
                self.arrays.push(base.clone());
            }
            self.values.remove(&base);
            if !self.order.contains(&base) {
                self.order.push(base);
            }
            return;
        }
        if self.arrays.contains(&base) {
            return;
        }
        if from_query {
            self.in_query.insert(base.clone());
        }
        if !self.order.contains(&base) {
            self.order.push(base.clone());
        }
        // Callers add the query string before the body, so the body wins and,
        // within one source, the last duplicate wins.
        self.values.insert(base, clean_value(value));
    }

    pub fn has(&self, name: &str) -> bool {
        self.values.contains_key(name)
    }

    /// The cleaned value of `name`, marking it as used.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.mark_used(name);
        self.values.get(name).map(|v| v.value.as_str())
    }

    pub fn get_raw(&self, name: &str) -> Option<&RawValue> {
        self.mark_used(name);
        self.values.get(name)
    }

    /// Reads a value without marking it used.
    pub fn peek(&self, name: &str) -> Option<&str> {
        self.values.get(name).map(|v| v.value.as_str())
    }

    pub fn mark_used(&self, name: &str) {
        self.used.borrow_mut().insert(name.to_string());
    }

    /// Parameter names nobody asked for, in request order.
    pub fn unused(&self) -> Vec<String> {
        let used = self.used.borrow();
        self.order
            .iter()
            .filter(|n| !used.contains(*n) && !self.arrays.contains(n))
            .cloned()
            .collect()
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .get(&name.to_ascii_lowercase())
            .map(String::as_str)
    }
}

/// Decodes `%XX` and `+` into raw bytes.
pub fn percent_decode(s: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(s.len());
    let mut i = 0;
    while i < s.len() {
        match s[i] {
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            b'%' => {
                let hex = |b: u8| (b as char).to_digit(16);
                match (
                    s.get(i + 1).and_then(|&b| hex(b)),
                    s.get(i + 2).and_then(|&b| hex(b)),
                ) {
                    (Some(h), Some(l)) => {
                        out.push((h * 16 + l) as u8);
                        i += 3;
                    }
                    _ => {
                        out.push(b'%');
                        i += 1;
                    }
                }
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    out
}

/// Cleans a value as `WebRequest` + `UtfNormal` do: invalid UTF-8 → U+FFFD, then NFC.
pub fn clean_value(raw: Vec<u8>) -> RawValue {
    match String::from_utf8(raw) {
        Ok(s) => {
            if s.is_ascii() || is_nfc_quick(s.chars()) == IsNormalized::Yes {
                return RawValue {
                    value: s,
                    raw_changed: None,
                };
            }
            let n: String = s.nfc().collect();
            if n == s {
                RawValue {
                    value: s,
                    raw_changed: None,
                }
            } else {
                RawValue {
                    value: n,
                    raw_changed: Some(s.into_bytes()),
                }
            }
        }
        Err(e) => {
            let bytes = e.into_bytes();
            let lossy: String = String::from_utf8_lossy(&bytes).nfc().collect();
            RawValue {
                value: lossy,
                raw_changed: Some(bytes),
            }
        }
    }
}

/// PHP `rawurlencode`: everything but `A-Za-z0-9-_.~` percent-encoded (upper-case hex).
pub fn rawurlencode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() * 3);
    for &b in bytes {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn php_rules() {
        let mut r = RawRequest::new(Method::Post);
        r.add_urlencoded(b"a=1&a=2&for.dot=x&sp+ace=y&titles[]=A&token=q", true);
        r.add_urlencoded(b"token=b", false);
        assert_eq!(r.peek("a"), Some("2"));
        assert_eq!(r.peek("for_dot"), Some("x"));
        assert_eq!(r.peek("sp_ace"), Some("y"));
        assert_eq!(r.peek("titles"), None);
        assert_eq!(r.arrays, vec!["titles".to_string()]);
        assert_eq!(r.peek("token"), Some("b"));
        assert!(r.in_query.contains("token"));
    }

    #[test]
    fn cleaning() {
        let v = clean_value(b"Bad\xffbyte".to_vec());
        assert_eq!(v.value, "Bad\u{fffd}byte");
        assert_eq!(
            rawurlencode(v.raw_changed.as_deref().unwrap()),
            "Bad%FFbyte"
        );
        let v = clean_value("Cafe\u{301}".as_bytes().to_vec());
        assert_eq!(v.value, "Café");
        assert!(clean_value(b"plain".to_vec()).raw_changed.is_none());
        assert_eq!(percent_decode(b"a%2Bb+c%zz%4"), b"a+b c%zz%4".to_vec());
    }
}
