//! `format=php`: PHP's `serialize()` of the result, as MediaWiki's `ApiFormatPhp`.
//! The same array rules as the JSON printer decide what is a list.

use crate::api::result::{php_default_is_list, php_key_cmp, Map, MapKind, Val};

pub fn to_string(root: &Map, fv2: bool) -> String {
    let mut out = String::with_capacity(256);
    write_map(&mut out, root, fv2);
    out
}

fn skipped(v: &Val, fv2: bool) -> bool {
    !fv2 && matches!(v, Val::Bool(false))
}

fn write_str(out: &mut String, s: &str) {
    out.push_str(&format!("s:{}:\"", s.len()));
    out.push_str(s);
    out.push_str("\";");
}

/// Array keys: integer-looking strings become integers, as in PHP arrays.
fn write_key(out: &mut String, k: &str) {
    let is_int = !k.is_empty()
        && (k == "0" || !k.starts_with('0'))
        && k.strip_prefix('-')
            .unwrap_or(k)
            .bytes()
            .all(|b| b.is_ascii_digit())
        && k != "-"
        && !k.starts_with("-0")
        && k.parse::<i64>().is_ok();
    if is_int {
        out.push_str(&format!("i:{k};"));
    } else {
        write_str(out, k);
    }
}

fn write_val(out: &mut String, v: &Val, fv2: bool) {
    match v {
        Val::Bool(b) => {
            if fv2 {
                out.push_str(if *b { "b:1;" } else { "b:0;" });
            } else {
                write_str(out, "");
            }
        }
        Val::RealBool(b) => out.push_str(if *b { "b:1;" } else { "b:0;" }),
        Val::Int(i) => out.push_str(&format!("i:{i};")),
        Val::Float(f) => out.push_str(&format!("d:{f};")),
        Val::Str(s) => write_str(out, s),
        Val::List(l) => {
            let items: Vec<&Val> = l.items.iter().filter(|v| !skipped(v, fv2)).collect();
            out.push_str(&format!("a:{}:{{", items.len()));
            for (i, item) in items.into_iter().enumerate() {
                out.push_str(&format!("i:{i};"));
                write_val(out, item, fv2);
            }
            out.push('}');
        }
        Val::Map(m) => write_map(out, m, fv2),
    }
}

fn write_map(out: &mut String, m: &Map, fv2: bool) {
    let as_list = match m.kind {
        MapKind::BcArray if fv2 => true,
        MapKind::BcAssoc if fv2 => false,
        MapKind::BcArray | MapKind::BcAssoc | MapKind::PhpDefault => php_default_is_list(
            m.entries
                .iter()
                .filter(|(_, v)| !skipped(v, fv2))
                .map(|(k, _)| k.as_str()),
        ),
        _ => false,
    };
    if as_list {
        let mut entries: Vec<&(String, Val)> = m.entries.iter().collect();
        entries.sort_by(|a, b| php_key_cmp(&a.0, &b.0));
        let list = crate::api::result::List {
            tag: m.tag.unwrap_or("_v"),
            items: entries.into_iter().map(|(_, v)| v.clone()).collect(),
        };
        write_val(out, &Val::List(list), fv2);
        return;
    }
    let content_key = m.content.as_deref();
    let mut keys: Vec<(&str, &Val)> = Vec::with_capacity(m.entries.len());
    let mut content: Option<&Val> = None;
    for (k, v) in &m.entries {
        if skipped(v, fv2) {
            continue;
        }
        if Some(k.as_str()) == content_key && !fv2 {
            content = Some(v);
            continue;
        }
        keys.push((k.as_str(), v));
    }
    if let Some(c) = content {
        keys.push(("*", c));
    }
    out.push_str(&format!("a:{}:{{", keys.len()));
    for (k, v) in keys {
        write_key(out, k);
        write_val(out, v, fv2);
    }
    out.push('}');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn userinfo_as_mediawiki_serializes_it() {
        let ui = Map::new()
            .with("id", 0)
            .with("name", "127.0.0.1")
            .with("anon", true);
        let root = Map::new()
            .with("batchcomplete", true)
            .with("query", Map::new().with("userinfo", ui));
        assert_eq!(
            to_string(&root, false),
            r#"a:2:{s:13:"batchcomplete";s:0:"";s:5:"query";a:1:{s:8:"userinfo";a:3:{s:2:"id";i:0;s:4:"name";s:9:"127.0.0.1";s:4:"anon";s:0:"";}}}"#
        );
        assert!(to_string(&root, true).contains(r#"s:4:"anon";b:1;"#));
        let keyed = Map::new().with("5", 1).with("x", 2);
        assert_eq!(to_string(&keyed, false), r#"a:2:{i:5;i:1;s:1:"x";i:2;}"#);
    }
}
