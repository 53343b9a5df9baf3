//! HTML hygiene for wikitext: which tags pass through, which attributes they
//! keep, and the escaping of ids and attribute values (MediaWiki's `Sanitizer`).

use crate::wiki::title::decode_char_references;

/// Tags that must be closed.
const PAIRS: &[&str] = &[
    "b",
    "bdi",
    "del",
    "i",
    "ins",
    "u",
    "font",
    "big",
    "small",
    "sub",
    "sup",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "cite",
    "code",
    "em",
    "s",
    "strike",
    "strong",
    "tt",
    "var",
    "div",
    "center",
    "blockquote",
    "ol",
    "ul",
    "dl",
    "table",
    "caption",
    "pre",
    "ruby",
    "rb",
    "rp",
    "rt",
    "rtc",
    "p",
    "span",
    "abbr",
    "dfn",
    "kbd",
    "samp",
    "data",
    "time",
    "mark",
];
/// Tags that may be self-closed.
const SINGLE: &[&str] = &["br", "wbr", "hr", "li", "dt", "dd", "meta", "link"];
const NEST: &[&str] = &[
    "table",
    "tr",
    "td",
    "th",
    "div",
    "blockquote",
    "ol",
    "ul",
    "li",
    "dl",
    "dt",
    "dd",
    "font",
    "big",
    "small",
    "sub",
    "sup",
    "span",
    "var",
    "kbd",
    "samp",
    "em",
    "strong",
    "q",
    "ruby",
    "bdo",
];

pub fn is_allowed_tag(t: &str) -> bool {
    PAIRS.contains(&t) || SINGLE.contains(&t) || NEST.contains(&t)
}

const COMMON_ATTRS: &[&str] = &[
    "id",
    "class",
    "style",
    "lang",
    "dir",
    "title",
    "tabindex",
    "aria-describedby",
    "aria-flowto",
    "aria-hidden",
    "aria-label",
    "aria-labelledby",
    "aria-owns",
    "role",
    "about",
    "property",
    "resource",
    "datatype",
    "typeof",
    "itemid",
    "itemprop",
    "itemref",
    "itemscope",
    "itemtype",
];

fn tag_attrs(tag: &str) -> &'static [&'static str] {
    match tag {
        "div" | "p" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "caption" => &["align"],
        "blockquote" | "q" | "del" | "ins" => &["cite", "datetime"],
        "br" => &["clear"],
        "pre" => &["width"],
        "table" => &[
            "summary",
            "width",
            "border",
            "frame",
            "rules",
            "cellspacing",
            "cellpadding",
            "align",
            "bgcolor",
        ],
        "tr" => &["bgcolor", "align", "valign"],
        "td" | "th" => &[
            "abbr", "axis", "headers", "scope", "rowspan", "colspan", "nowrap", "width", "height",
            "bgcolor", "align", "valign",
        ],
        "font" => &["size", "color", "face"],
        "hr" => &["width"],
        "ul" => &["type"],
        "ol" => &["type", "start", "reversed"],
        "li" => &["type", "value"],
        "data" => &["value"],
        "time" => &["datetime"],
        "abbr" | "dfn" => &["title"],
        _ => &[],
    }
}

fn attr_allowed(tag: &str, name: &str) -> bool {
    if name.starts_with("data-")
        && name.len() > 5
        && !name.starts_with("data-ooui")
        && !name.starts_with("data-mw")
    {
        return name[5..]
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.');
    }
    COMMON_ATTRS.contains(&name) || tag_attrs(tag).contains(&name)
}

/// Parses `name="value" name='v' name=v name` pairs, in order.
pub fn parse_attrs(s: &str) -> Vec<(String, String)> {
    let b = s.as_bytes();
    let mut out: Vec<(String, String)> = Vec::new();
    let mut i = 0;
    while i < b.len() {
        while i < b.len() && !is_name_start(b[i]) {
            i += 1;
        }
        let start = i;
        while i < b.len() && is_name_char(b[i]) {
            i += 1;
        }
        if start == i {
            break;
        }
        let name = s[start..i].to_ascii_lowercase();
        let mut j = i;
        while j < b.len() && b[j].is_ascii_whitespace() {
            j += 1;
        }
        let mut value = String::new();
        if j < b.len() && b[j] == b'=' {
            j += 1;
            while j < b.len() && b[j].is_ascii_whitespace() {
                j += 1;
            }
            if j < b.len() && (b[j] == b'"' || b[j] == b'\'') {
                let q = b[j];
                let vs = j + 1;
                let ve = b[vs..].iter().position(|&c| c == q).map(|p| p + vs);
                match ve {
                    Some(ve) => {
                        value = s[vs..ve].to_string();
                        i = ve + 1;
                    }
                    None => {
                        // Unterminated quote: the attribute is dropped.
                        i = b.len();
                        continue;
                    }
                }
            } else {
                let vs = j;
                while j < b.len() && !b[j].is_ascii_whitespace() {
                    j += 1;
                }
                value = s[vs..j].to_string();
                i = j;
            }
        }
        out.retain(|(n, _)| *n != name);
        out.push((name, value));
    }
    out
}

fn is_name_start(c: u8) -> bool {
    c.is_ascii_alphabetic() || c == b'_' || c == b':'
}

fn is_name_char(c: u8) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, b'_' | b':' | b'.' | b'-')
}

/// `Sanitizer::checkCss`, simplified: dangerous constructs make the whole value
/// an inert comment.
pub fn check_css(v: &str) -> String {
    let decoded = decode_char_references(v);
    let lower = decoded.to_ascii_lowercase();
    let stripped: String = lower.chars().filter(|c| !c.is_whitespace()).collect();
    if stripped.contains("expression")
        || stripped.contains("url(")
        || stripped.contains("image(")
        || stripped.contains("image-set(")
        || stripped.contains("filter:")
        || stripped.contains("accelerator")
        || stripped.contains("-o-link")
        || stripped.contains("behavior")
        || stripped.contains("/*")
        || stripped.contains('\\')
    {
        return "/* insecure input */".to_string();
    }
    decoded
}

/// The attributes of `tag`, filtered and re-encoded (`Sanitizer::fixTagAttributes`):
/// empty or ` a="x" b="y"`.
pub fn fix_tag_attributes(attrs: &str, tag: &str) -> String {
    if attrs.trim().is_empty() {
        return String::new();
    }
    let mut out = String::new();
    for (name, raw) in parse_attrs(attrs) {
        if !attr_allowed(tag, &name) {
            continue;
        }
        let mut value = decode_char_references(&raw);
        if name == "style" {
            value = check_css(&raw);
        } else if name == "id" {
            value = escape_id_attr(&value);
        }
        value = normalize_ws(&value);
        out.push(' ');
        out.push_str(&name);
        out.push_str("=\"");
        out.push_str(&safe_encode_attribute(&value));
        out.push('"');
    }
    out
}

fn normalize_ws(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut ws = false;
    for c in s.trim().chars() {
        if matches!(c, ' ' | '\t' | '\n' | '\r') {
            ws = true;
        } else {
            if ws {
                out.push(' ');
                ws = false;
            }
            out.push(c);
        }
    }
    out
}

/// `Sanitizer::encodeAttribute`.
pub fn encode_attribute(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\'' => out.push_str("&#039;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\t' => out.push_str("&#9;"),
            c => out.push(c),
        }
    }
    out
}

/// `Sanitizer::safeEncodeAttribute`: also hides wiki syntax from later passes.
pub fn safe_encode_attribute(s: &str) -> String {
    let e = encode_attribute(s);
    let mut out = String::with_capacity(e.len());
    let b = e.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let rest = &e[i..];
        let (rep, n): (&str, usize) = match b[i] {
            b'{' => ("&#123;", 1),
            b'}' => ("&#125;", 1),
            b'[' => ("&#91;", 1),
            b']' => ("&#93;", 1),
            b'|' => ("&#124;", 1),
            b'\'' if rest.starts_with("''") => ("&#39;&#39;", 2),
            b'_' if rest.starts_with("__") => ("&#95;_", 2),
            b'I' if rest.starts_with("ISBN") => ("&#73;SBN", 4),
            b'R' if rest.starts_with("RFC") => ("&#82;FC", 3),
            b'P' if rest.starts_with("PMID") => ("&#80;MID", 4),
            b':' if rest.starts_with("://") => ("&#58;//", 3),
            _ => {
                let ch = rest.chars().next().unwrap_or(' ');
                out.push(ch);
                i += ch.len_utf8();
                continue;
            }
        };
        out.push_str(rep);
        i += n;
    }
    out
}

/// `htmlspecialchars` (ENT_QUOTES off for single quotes).
pub fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
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

/// Escapes `<`, `>`, `&` not starting a character reference (HTML text with
/// entities kept).
pub fn escape_html_allow_entities(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    let b = s.as_bytes();
    let mut i = 0;
    while i < s.len() {
        let c = b[i];
        match c {
            b'<' => out.push_str("&lt;"),
            b'>' => out.push_str("&gt;"),
            b'"' => out.push_str("&quot;"),
            b'&' => {
                if entity_len(&s[i..]).is_some() {
                    out.push('&');
                } else {
                    out.push_str("&amp;");
                }
            }
            _ => {
                let ch = s[i..].chars().next().unwrap_or(' ');
                out.push(ch);
                i += ch.len_utf8();
                continue;
            }
        }
        i += 1;
    }
    out
}

/// Length of a character reference at the start of `s` (`&amp;`, `&#39;`, `&#x27;`).
pub fn entity_len(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    if b.first() != Some(&b'&') {
        return None;
    }
    let end = b.iter().take(40).position(|&c| c == b';')?;
    let body = &s[1..end];
    let ok = if let Some(num) = body.strip_prefix('#') {
        if let Some(hex) = num.strip_prefix('x').or_else(|| num.strip_prefix('X')) {
            !hex.is_empty() && hex.chars().all(|c| c.is_ascii_hexdigit())
        } else {
            !num.is_empty() && num.chars().all(|c| c.is_ascii_digit())
        }
    } else {
        !body.is_empty()
            && body.chars().all(|c| c.is_ascii_alphanumeric())
            && crate::wiki::title::lookup_entity(body).is_some()
    };
    ok.then_some(end + 1)
}

/// `escapeIdForAttribute` in HTML5 mode.
pub fn escape_id_attr(s: &str) -> String {
    s.replace([' ', '\t', '\n', '\r', '\u{c}'], "_")
}

/// `escapeIdForAttribute` in legacy mode (the fallback anchor).
pub fn escape_id_legacy(s: &str) -> String {
    let s = s.replace(' ', "_");
    let mut out = String::new();
    for &c in s.as_bytes() {
        if c.is_ascii_alphanumeric() || c == b'-' || c == b'_' || c == b'.' {
            out.push(c as char);
        } else if c == b':' {
            out.push(':');
        } else {
            out.push_str(&format!(".{c:02X}"));
        }
    }
    out
}

/// `escapeIdForLink` in HTML5 mode (the `#…` of an href).
pub fn escape_id_link(s: &str) -> String {
    let id = escape_id_attr(s);
    let mut out = String::with_capacity(id.len());
    for c in id.chars() {
        match c {
            '%' => out.push_str("%25"),
            '"' => out.push_str("%22"),
            '<' => out.push_str("%3C"),
            '>' => out.push_str("%3E"),
            c => out.push(c),
        }
    }
    out
}

/// Removes every tag (`Sanitizer::stripAllTags`, without entity decoding).
pub fn strip_tags(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut in_tag = false;
    for c in s.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attributes() {
        assert_eq!(
            fix_tag_attributes(r#"class="a b" onclick="x()" style='color:red'"#, "div"),
            r#" class="a b" style="color:red""#
        );
        assert_eq!(fix_tag_attributes("colspan=2", "td"), r#" colspan="2""#);
        assert_eq!(
            fix_tag_attributes(r#"style="background:url(x)""#, "span"),
            r#" style="/* insecure input */""#
        );
        assert_eq!(
            fix_tag_attributes(r#"title="http://x [y]""#, "span"),
            r#" title="http&#58;//x &#91;y&#93;""#
        );
    }

    #[test]
    fn ids() {
        assert_eq!(escape_id_attr("Sub & special"), "Sub_&_special");
        assert_eq!(escape_id_legacy("Sub & special"), "Sub_.26_special");
    }
}
