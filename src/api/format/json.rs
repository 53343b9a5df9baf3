//! JSON printer with PHP `json_encode` escaping as MediaWiki's `ApiFormatJson` uses it.

use crate::api::result::{php_default_is_list, php_key_cmp, Map, MapKind, Val};

/// Options that change how a tree prints as JSON.
#[derive(Debug, Clone, Copy)]
pub struct JsonOpts {
    /// formatversion=2 (else 1).
    pub fv2: bool,
    /// Escape every non-ASCII character as `\uXXXX`.
    pub ascii: bool,
    /// Pretty-print with 4-space indentation (the `jsonfm` printer).
    pub pretty: bool,
}

pub fn to_string(root: &Map, opts: JsonOpts) -> String {
    let mut out = String::with_capacity(256);
    write_map(&mut out, root, opts, 0);
    out
}

fn newline(out: &mut String, opts: JsonOpts, depth: usize) {
    if opts.pretty {
        out.push('\n');
        for _ in 0..depth {
            out.push_str("    ");
        }
    }
}

fn write_val(out: &mut String, v: &Val, opts: JsonOpts, depth: usize) {
    match v {
        Val::Bool(b) => {
            if opts.fv2 {
                out.push_str(if *b { "true" } else { "false" });
            } else {
                // Callers skip false BC bools; a true one is an empty string.
                out.push_str("\"\"");
            }
        }
        Val::RealBool(b) => out.push_str(if *b { "true" } else { "false" }),
        Val::Int(i) => out.push_str(&i.to_string()),
        Val::Float(f) => write_float(out, *f),
        Val::Str(s) => write_str(out, s, opts.ascii),
        Val::List(l) => {
            if l.items.iter().all(|v| skipped(v, opts)) {
                out.push_str("[]");
                return;
            }
            out.push('[');
            let mut first = true;
            for item in &l.items {
                if skipped(item, opts) {
                    continue;
                }
                if !first {
                    out.push(',');
                }
                first = false;
                newline(out, opts, depth + 1);
                write_val(out, item, opts, depth + 1);
            }
            newline(out, opts, depth);
            out.push(']');
        }
        Val::Map(m) => write_map(out, m, opts, depth),
    }
}

/// fv1 drops false BC bools entirely.
fn skipped(v: &Val, opts: JsonOpts) -> bool {
    !opts.fv2 && matches!(v, Val::Bool(false))
}

fn write_map(out: &mut String, m: &Map, opts: JsonOpts, depth: usize) {
    // Maps with PHP array-type semantics (see `MapKind`).
    let as_list = match m.kind {
        MapKind::BcArray if opts.fv2 => true,
        MapKind::BcAssoc if opts.fv2 => false,
        MapKind::BcArray | MapKind::BcAssoc | MapKind::PhpDefault => php_default_is_list(
            m.entries
                .iter()
                .filter(|(_, v)| !skipped(v, opts))
                .map(|(k, _)| k.as_str()),
        ),
        _ => false,
    };
    if as_list {
        // A list of the values, sorted by key as MediaWiki does for array types.
        let mut entries: Vec<&(String, Val)> = m.entries.iter().collect();
        entries.sort_by(|a, b| php_key_cmp(&a.0, &b.0));
        let list = crate::api::result::List {
            tag: m.tag.unwrap_or("_v"),
            items: entries.into_iter().map(|(_, v)| v.clone()).collect(),
        };
        write_val(out, &Val::List(list), opts, depth);
        return;
    }
    let content_key = m.content.as_deref();
    let mut keys: Vec<(&str, &Val)> = Vec::with_capacity(m.entries.len());
    let mut content: Option<&Val> = None;
    for (k, v) in &m.entries {
        if skipped(v, opts) {
            continue;
        }
        if Some(k.as_str()) == content_key && !opts.fv2 {
            content = Some(v);
            continue;
        }
        keys.push((k.as_str(), v));
    }
    if let Some(c) = content {
        keys.push(("*", c));
    }
    if keys.is_empty() {
        out.push_str("{}");
        return;
    }
    out.push('{');
    for (i, (k, v)) in keys.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        newline(out, opts, depth + 1);
        write_str(out, k, opts.ascii);
        out.push(':');
        if opts.pretty {
            out.push(' ');
        }
        write_val(out, v, opts, depth + 1);
    }
    newline(out, opts, depth);
    out.push('}');
}

fn write_float(out: &mut String, f: f64) {
    if !f.is_finite() {
        out.push('0');
    } else if f.fract() == 0.0 && f.abs() < 1e15 {
        // PHP prints whole floats with a trailing ".0".
        out.push_str(&format!("{f:.1}"));
    } else {
        out.push_str(&f.to_string());
    }
}

/// Writes a JSON string the way PHP's `json_encode` does with `JSON_UNESCAPED_SLASHES`
/// (and `JSON_UNESCAPED_UNICODE` unless `ascii`): lower-case hex escapes, U+2028/U+2029
/// always escaped.
pub fn write_str(out: &mut String, s: &str, ascii: bool) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if (c as u32) < 0x20 => push_escape(out, c as u32),
            '\u{2028}' | '\u{2029}' => push_escape(out, c as u32),
            c if ascii && !c.is_ascii() => {
                let mut buf = [0u16; 2];
                for unit in c.encode_utf16(&mut buf) {
                    push_escape(out, u32::from(*unit));
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

fn push_escape(out: &mut String, unit: u32) {
    out.push_str(&format!("\\u{unit:04x}"));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::result::List;

    const FV1: JsonOpts = JsonOpts {
        fv2: false,
        ascii: true,
        pretty: false,
    };
    const FV2: JsonOpts = JsonOpts {
        fv2: true,
        ascii: false,
        pretty: false,
    };

    #[test]
    fn bools_content_and_escapes() {
        let mut err = Map::new().with("code", "x");
        err.set_content("docref", "See <x> & é/\u{2028}");
        let root = Map::new()
            .with("batchcomplete", true)
            .with("gone", false)
            .with("error", err)
            .with("token", "+\\");
        assert_eq!(
            to_string(&root, FV1),
            r#"{"batchcomplete":"","error":{"code":"x","*":"See <x> & \u00e9/\u2028"},"token":"+\\"}"#
        );
        assert_eq!(
            to_string(&root, FV2),
            r#"{"batchcomplete":true,"gone":false,"error":{"code":"x","docref":"See <x> & é/\u2028"},"token":"+\\"}"#
        );
    }

    #[test]
    fn bc_array_and_astral() {
        let mut pages = Map::bc_array("page");
        pages.set("5", Map::new().with("pageid", 5));
        let root = Map::new()
            .with("pages", pages)
            .with("l", List::of("v", ["😀"]))
            .with("e", List::new("v"))
            .with("m", Map::new());
        assert_eq!(
            to_string(&root, FV1),
            r#"{"pages":{"5":{"pageid":5}},"l":["\ud83d\ude00"],"e":[],"m":{}}"#
        );
        assert_eq!(
            to_string(&root, FV2),
            r#"{"pages":[{"pageid":5}],"l":["😀"],"e":[],"m":{}}"#
        );
    }

    #[test]
    fn pretty_uses_four_spaces() {
        let root = Map::new().with("a", List::of("v", [1, 2]));
        let opts = JsonOpts {
            pretty: true,
            ..FV2
        };
        assert_eq!(
            to_string(&root, opts),
            "{\n    \"a\": [\n        1,\n        2\n    ]\n}"
        );
    }
}
