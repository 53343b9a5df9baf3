//! Messages: a key, typed parameters, and the English catalogue.
//!
//! Error and warning texts are interface facts that clients match, so the English
//! strings in `messages.en.json` are MediaWiki's own (only the `apierror-`,
//! `apiwarn-`, `paramvalidator-` and title/permission messages). Rendering follows
//! MediaWiki: `$n` substitution, `{{PLURAL:…}}`, then per error format either the
//! wikitext, a markup-stripped plain text, simple HTML, or the raw key and params.

use std::collections::HashMap;
use std::sync::OnceLock;

use crate::api::result::{List, Map, Val};

/// One message parameter, typed the way MediaWiki's `errorformat=raw` shows it.
#[derive(Debug, Clone, PartialEq)]
pub enum Param {
    /// Wikitext, substituted as is (raw: a plain string).
    Text(String),
    /// Plain text, escaped in HTML (raw: `{"plaintext": …}`).
    Plaintext(String),
    /// A plain integer (raw: the number).
    Int(i64),
    /// A formatted number (raw: `{"num": …}`), printed with thousands separators.
    Num(i64),
    /// A list rendered "a, b and c" (raw: `{"list": […], "type": "text"}`).
    List(Vec<String>),
    /// Already-rendered text that must not be re-interpreted (raw: a plain string).
    Raw(String),
}

impl Param {
    fn render(&self) -> String {
        match self {
            Param::Text(s) | Param::Plaintext(s) | Param::Raw(s) => s.clone(),
            Param::Int(i) => i.to_string(),
            Param::Num(n) => format_num(*n),
            Param::List(items) => comma_list(items),
        }
    }

    fn to_raw(&self) -> Val {
        match self {
            Param::Text(s) | Param::Raw(s) => Val::str(s),
            Param::Plaintext(s) => Map::new().with("plaintext", s.as_str()).into(),
            Param::Int(i) => Val::Int(*i),
            Param::Num(n) => Map::new().with("num", *n).into(),
            Param::List(items) => Map::new()
                .with("list", List::of("_v", items.iter().map(String::as_str)))
                .with("type", "text")
                .into(),
        }
    }
}

impl From<&str> for Param {
    fn from(s: &str) -> Param {
        Param::Text(s.to_string())
    }
}
impl From<String> for Param {
    fn from(s: String) -> Param {
        Param::Text(s)
    }
}
impl From<i64> for Param {
    fn from(i: i64) -> Param {
        Param::Int(i)
    }
}
impl From<usize> for Param {
    fn from(i: usize) -> Param {
        Param::Int(i as i64)
    }
}

/// A message key with parameters.
#[derive(Debug, Clone, PartialEq)]
pub struct Msg {
    pub key: String,
    pub params: Vec<Param>,
}

impl Msg {
    pub fn new(key: impl Into<String>) -> Msg {
        Msg {
            key: key.into(),
            params: Vec::new(),
        }
    }

    pub fn p(mut self, p: impl Into<Param>) -> Msg {
        self.params.push(p.into());
        self
    }

    pub fn plain(mut self, s: impl Into<String>) -> Msg {
        self.params.push(Param::Plaintext(s.into()));
        self
    }

    pub fn param(mut self, p: Param) -> Msg {
        self.params.push(p);
        self
    }

    /// The English wikitext with parameters substituted.
    pub fn wikitext(&self) -> String {
        let template = english(&self.key).unwrap_or("");
        if template.is_empty() && !catalogue().contains_key(self.key.as_str()) {
            // Unknown key: MediaWiki shows ⧼key⧽.
            return format!("⧼{}⧽", self.key);
        }
        let substituted = substitute(template, &self.params);
        expand_plural(&substituted, &self.params)
    }

    /// The `qqx` pseudo-language: the key and its parameters, `(key: a, b)`.
    pub fn qqx(&self) -> String {
        if self.params.is_empty() {
            format!("({})", self.key)
        } else {
            let ps: Vec<String> = self.params.iter().map(Param::render).collect();
            format!("({}: {})", self.key, ps.join(", "))
        }
    }

    /// Plain text as the BC and `plaintext` formats show it.
    pub fn plaintext(&self) -> String {
        strip_markup(&self.wikitext())
    }

    /// A small wikitext → HTML rendering for `errorformat=html`.
    pub fn html(&self) -> String {
        wikitext_to_html(&self.wikitext())
    }

    /// Raw parameters for `errorformat=raw`.
    pub fn raw_params(&self) -> List {
        List {
            tag: "param",
            items: self.params.iter().map(Param::to_raw).collect(),
        }
    }
}

fn catalogue() -> &'static HashMap<&'static str, &'static str> {
    static CAT: OnceLock<HashMap<&'static str, &'static str>> = OnceLock::new();
    CAT.get_or_init(|| {
        let text: &'static str = include_str!("messages.en.json");
        let parsed: HashMap<String, String> =
            serde_json::from_str(text).expect("messages.en.json is valid JSON");
        parsed
            .into_iter()
            .map(|(k, v)| {
                let k: &'static str = Box::leak(k.into_boxed_str());
                let v: &'static str = Box::leak(v.into_boxed_str());
                (k, v)
            })
            .collect()
    })
}

/// The English text of a message key, if known.
pub fn english(key: &str) -> Option<&'static str> {
    catalogue().get(key).copied()
}

fn substitute(template: &str, params: &[Param]) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let bytes = template.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'$' && i + 1 < bytes.len() && bytes[i + 1].is_ascii_digit() {
            let mut j = i + 1;
            while j < bytes.len() && bytes[j].is_ascii_digit() {
                j += 1;
            }
            let n: usize = template[i + 1..j].parse().unwrap_or(0);
            match n.checked_sub(1).and_then(|idx| params.get(idx)) {
                Some(p) => out.push_str(&p.render()),
                None => out.push_str(&template[i..j]),
            }
            i = j;
        } else {
            let ch = template[i..].chars().next().unwrap_or(' ');
            out.push(ch);
            i += ch.len_utf8();
        }
    }
    out
}

/// Expands `{{PLURAL:n|one|other}}` (with `k=` explicit forms) after substitution.
fn expand_plural(text: &str, _params: &[Param]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("{{PLURAL:") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 9..];
        let Some(end) = find_close(after) else {
            out.push_str(&rest[start..]);
            return out;
        };
        let inner = &after[..end];
        let mut parts = inner.split('|');
        let num_text = parts.next().unwrap_or("").trim();
        let forms: Vec<&str> = parts.collect();
        let n: f64 = num_text.replace(',', "").parse().unwrap_or(0.0);
        out.push_str(&choose_plural(n, &forms));
        rest = &after[end + 2..];
    }
    out.push_str(rest);
    out
}

fn find_close(s: &str) -> Option<usize> {
    let mut depth = 0usize;
    let b = s.as_bytes();
    let mut i = 0;
    while i + 1 < b.len() {
        if b[i] == b'{' && b[i + 1] == b'{' {
            depth += 1;
            i += 2;
        } else if b[i] == b'}' && b[i + 1] == b'}' {
            if depth == 0 {
                return Some(i);
            }
            depth -= 1;
            i += 2;
        } else {
            i += 1;
        }
    }
    None
}

fn choose_plural(n: f64, forms: &[&str]) -> String {
    let mut plain = Vec::new();
    for f in forms {
        if let Some((k, v)) = f.split_once('=') {
            if let Ok(kn) = k.trim().parse::<f64>() {
                if kn == n {
                    return v.to_string();
                }
                continue;
            }
        }
        plain.push(*f);
    }
    match plain.len() {
        0 => String::new(),
        1 => plain[0].to_string(),
        _ => {
            if n.abs() == 1.0 {
                plain[0].to_string()
            } else {
                plain[1].to_string()
            }
        }
    }
}

/// English number formatting: thousands separated by commas.
pub fn format_num(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    if n < 0 {
        format!("-{out}")
    } else {
        out
    }
}

/// MediaWiki's `wfEscapeWikiText`: makes user input inert inside wikitext by
/// turning the characters markup uses into numeric entities.
pub fn escape_wikitext(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let at_line_start = i == 0 || matches!(chars[i - 1], '\n' | '\r');
        match c {
            '"' => out.push_str("&#34;"),
            '&' => out.push_str("&#38;"),
            '\'' => out.push_str("&#39;"),
            '<' => out.push_str("&#60;"),
            '=' => out.push_str("&#61;"),
            '>' => out.push_str("&#62;"),
            '[' => out.push_str("&#91;"),
            ']' => out.push_str("&#93;"),
            '{' => out.push_str("&#123;"),
            '|' => out.push_str("&#124;"),
            '}' => out.push_str("&#125;"),
            ';' => out.push_str("&#59;"),
            '#' if at_line_start => out.push_str("&#35;"),
            '*' if at_line_start => out.push_str("&#42;"),
            ':' if at_line_start => out.push_str("&#58;"),
            ' ' if at_line_start => out.push_str("&#32;"),
            '\t' if at_line_start => out.push_str("&#9;"),
            '-' if at_line_start && chars[i..].starts_with(&['-', '-', '-', '-']) => {
                out.push_str("&#45;")
            }
            '_' if chars.get(i + 1) == Some(&'_') => {
                out.push_str("_&#95;");
                i += 1;
            }
            ':' if chars[i..].starts_with(&[':', '/', '/']) => out.push_str("&#58;"),
            _ => out.push(c),
        }
        i += 1;
    }
    out
}

/// "a", "a and b", "a, b and c".
pub fn comma_list(items: &[String]) -> String {
    match items.len() {
        0 => String::new(),
        1 => items[0].clone(),
        n => format!("{} and {}", items[..n - 1].join(", "), items[n - 1]),
    }
}

/// MediaWiki's `ApiErrorFormatter::stripMarkup`: `<var>`-like tags become quotes,
/// other tags go, entities are decoded, whitespace is collapsed.
pub fn strip_markup(text: &str) -> String {
    let mut s = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(lt) = rest.find('<') {
        s.push_str(&rest[..lt]);
        let after = &rest[lt..];
        match after.find('>') {
            Some(gt) => {
                let tag = &after[1..gt];
                let name = tag
                    .trim_start_matches('/')
                    .split(|c: char| c.is_whitespace() || c == '/')
                    .next()
                    .unwrap_or("")
                    .to_ascii_lowercase();
                let valid_tag = !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric());
                if !valid_tag {
                    s.push('<');
                    rest = &after[1..];
                    continue;
                }
                match name.as_str() {
                    "var" | "kbd" | "samp" | "code" => s.push('"'),
                    "p" | "div" | "br" | "li" | "ul" | "ol" | "pre" | "table" | "tr" | "td"
                    | "th" | "dl" | "dd" | "dt" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
                        s.push(' ')
                    }
                    _ => {}
                }
                rest = &after[gt + 1..];
            }
            None => {
                s.push_str(after);
                rest = "";
            }
        }
    }
    s.push_str(rest);
    let decoded = decode_entities(&s);
    decoded.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Decodes HTML entities (named, decimal, hex) as PHP's `html_entity_decode`.
pub fn decode_entities(s: &str) -> String {
    crate::wiki::title::decode_char_references(s)
}

/// Renders the little wikitext that API messages contain: `[[Target|label]]` links
/// become anchors; HTML tags pass through.
pub fn wikitext_to_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("[[") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        match after.find("]]") {
            Some(end) => {
                let inner = &after[..end];
                let (target, label) = inner.split_once('|').unwrap_or((inner, inner));
                let href = target.trim().replace(' ', "_");
                out.push_str(&format!(
                    "<a href=\"/wiki/{}\" title=\"{}\">{}</a>",
                    html_escape(&href),
                    html_escape(target.trim()),
                    label
                ));
                rest = &after[end + 2..];
            }
            None => {
                out.push_str(&rest[start..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

pub fn html_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_known_messages() {
        let m = Msg::new("apierror-mustbeposted").p("purge");
        assert_eq!(
            m.plaintext(),
            "The \"purge\" module requires a POST request."
        );
        assert_eq!(
            m.html(),
            "The <kbd>purge</kbd> module requires a POST request."
        );
        let m = Msg::new("apierror-invalidparammix")
            .param(Param::List(vec![
                "<var>title</var>".into(),
                "<var>pageid</var>".into(),
            ]))
            .p(2i64);
        assert_eq!(
            m.plaintext(),
            "The parameters \"title\" and \"pageid\" can not be used together."
        );
        let m = Msg::new("apierror-unrecognizedparams").p("a, b").p(2i64);
        assert_eq!(m.plaintext(), "Unrecognized parameters: a, b.");
        let m = Msg::new("apierror-unrecognizedparams").p("a").p(1i64);
        assert_eq!(m.plaintext(), "Unrecognized parameter: a.");
    }

    #[test]
    fn mailing_list_text_decodes_entities_once() {
        let m = Msg::new("api-usage-mailinglist-ref");
        assert!(m.plaintext().contains("at <https://lists"));
        assert!(m.wikitext().contains("&lt;https://"));
    }

    #[test]
    fn numbers_and_lists() {
        assert_eq!(format_num(1234567), "1,234,567");
        assert_eq!(format_num(255), "255");
        assert_eq!(
            comma_list(&["a".into(), "b".into(), "c".into()]),
            "a, b and c"
        );
    }
}
