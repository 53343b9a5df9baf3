//! XML printer in the shape of MediaWiki's `ApiFormatXml`.

use crate::api::result::{php_default_is_list, php_key_cmp, Map, MapKind, Val};

pub fn to_string(root: &Map) -> String {
    let mut out = String::with_capacity(256);
    out.push_str("<?xml version=\"1.0\"?>");
    write_element(&mut out, "api", root, None);
    out
}

/// Writes `<name attrs>children</name>` for a map.
fn write_element(out: &mut String, name: &str, m: &Map, idx: Option<&str>) {
    out.push('<');
    out.push_str(name);
    if let Some(i) = idx {
        push_attr(out, "_idx", i);
    }
    let content_key = m.content.as_deref();
    let mut children: Vec<(&str, &Val)> = Vec::new();
    let mut text: Option<String> = None;
    for (k, v) in &m.entries {
        if Some(k.as_str()) == content_key && !m.subelements.contains(k) {
            text = scalar_text(v);
            if text.is_none() {
                children.push((k, v));
            }
            continue;
        }
        match v {
            Val::Bool(true) | Val::RealBool(true) => push_attr(out, k, ""),
            Val::Bool(false) | Val::RealBool(false) => {}
            Val::Int(_) | Val::Float(_) | Val::Str(_) if m.subelements.contains(k) => {
                children.push((k, v))
            }
            Val::Int(_) | Val::Float(_) | Val::Str(_) => {
                push_attr(out, k, &scalar_text(v).unwrap_or_default())
            }
            Val::List(_) | Val::Map(_) => children.push((k, v)),
        }
    }
    if let Some(t) = &text {
        push_attr(out, "xml:space", "preserve");
        if t.is_empty() && children.is_empty() {
            out.push_str(" />");
            return;
        }
        out.push('>');
        push_text(out, t);
    } else if children.is_empty() {
        out.push_str(" />");
        return;
    } else {
        out.push('>');
    }
    for (k, v) in children {
        write_child(out, k, v);
    }
    out.push_str("</");
    out.push_str(name);
    out.push('>');
}

fn write_child(out: &mut String, name: &str, v: &Val) {
    match v {
        Val::Map(m) => match m.kind {
            MapKind::Assoc => write_element(out, name, m, None),
            MapKind::BcArray | MapKind::Kvp | MapKind::BcAssoc | MapKind::PhpDefault => {
                let tag = m.tag.unwrap_or("_v");
                if m.entries.iter().all(|(_, v)| *v == Val::Bool(false)) {
                    out.push('<');
                    out.push_str(name);
                    out.push_str(" />");
                    return;
                }
                out.push('<');
                out.push_str(name);
                out.push('>');
                // PHP's default array type is a plain list (no `_idx`) when its
                // keys are 0..n.
                let sequential = matches!(m.kind, MapKind::PhpDefault | MapKind::BcArray)
                    && php_default_is_list(
                        m.entries
                            .iter()
                            .filter(|(_, v)| *v != Val::Bool(false))
                            .map(|(k, _)| k.as_str()),
                    );
                let mut entries: Vec<&(String, Val)> = m.entries.iter().collect();
                if sequential {
                    entries.sort_by(|a, b| php_key_cmp(&a.0, &b.0));
                }
                for (k, item) in entries {
                    if *item == Val::Bool(false) {
                        continue;
                    }
                    if sequential {
                        write_item(out, tag, item, None);
                    } else if m.kind == MapKind::Kvp {
                        write_kvp_item(out, tag, k, item);
                    } else {
                        write_item(out, tag, item, Some(k));
                    }
                }
                out.push_str("</");
                out.push_str(name);
                out.push('>');
            }
        },
        Val::List(l) => {
            if l.items.is_empty() {
                out.push('<');
                out.push_str(name);
                out.push_str(" />");
                return;
            }
            out.push('<');
            out.push_str(name);
            out.push('>');
            for item in &l.items {
                write_item(out, l.tag, item, None);
            }
            out.push_str("</");
            out.push_str(name);
            out.push('>');
        }
        scalar => {
            out.push('<');
            out.push_str(name);
            out.push_str(" xml:space=\"preserve\">");
            push_text(out, &scalar_text(scalar).unwrap_or_default());
            out.push_str("</");
            out.push_str(name);
            out.push('>');
        }
    }
}

fn write_item(out: &mut String, tag: &str, v: &Val, idx: Option<&str>) {
    match v {
        Val::Map(m) if m.kind == MapKind::Assoc => write_element(out, tag, m, idx),
        Val::Map(_) | Val::List(_) => write_child(out, tag, v),
        scalar => {
            let text = scalar_text(scalar).unwrap_or_default();
            out.push('<');
            out.push_str(tag);
            if let Some(i) = idx {
                push_attr(out, "_idx", i);
            }
            if text.is_empty() {
                out.push_str(" />");
                return;
            }
            out.push('>');
            push_text(out, &text);
            out.push_str("</");
            out.push_str(tag);
            out.push('>');
        }
    }
}

fn write_kvp_item(out: &mut String, tag: &str, key: &str, v: &Val) {
    match v {
        Val::Map(m) => {
            let mut named = m.clone();
            named.prepend("name", key);
            write_element(out, tag, &named, None);
        }
        scalar => {
            out.push('<');
            out.push_str(tag);
            push_attr(out, "name", key);
            match scalar_text(scalar) {
                Some(t) if !t.is_empty() => {
                    push_attr(out, "xml:space", "preserve");
                    out.push('>');
                    push_text(out, &t);
                    out.push_str("</");
                    out.push_str(tag);
                    out.push('>');
                }
                _ => out.push_str(" />"),
            }
        }
    }
}

fn scalar_text(v: &Val) -> Option<String> {
    match v {
        Val::Str(s) => Some(s.clone()),
        Val::Int(i) => Some(i.to_string()),
        Val::Float(f) => Some(f.to_string()),
        Val::Bool(b) | Val::RealBool(b) => Some(if *b { String::new() } else { "0".into() }),
        _ => None,
    }
}

fn push_attr(out: &mut String, k: &str, v: &str) {
    out.push(' ');
    out.push_str(k);
    out.push_str("=\"");
    for c in v.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#039;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\t' => out.push_str("&#9;"),
            c => out.push(c),
        }
    }
    out.push('"');
}

fn push_text(out: &mut String, t: &str) {
    for c in t.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::result::List;

    #[test]
    fn purge_shape() {
        let page = Map::new()
            .with("ns", 0)
            .with("title", "Purge test A")
            .with("purged", true);
        let root = Map::new()
            .with("batchcomplete", true)
            .with("purge", List::of("page", [page]));
        assert_eq!(
            to_string(&root),
            r#"<?xml version="1.0"?><api batchcomplete=""><purge><page ns="0" title="Purge test A" purged="" /></purge></api>"#
        );
    }

    #[test]
    fn error_with_content() {
        let mut err = Map::new()
            .with("code", "badvalue")
            .with("info", "Unrecognized value for parameter \"action\": x.");
        err.set_content("docref", "See &lt;x&gt;");
        let root = Map::new().with("error", err);
        assert_eq!(
            to_string(&root),
            r#"<?xml version="1.0"?><api><error code="badvalue" info="Unrecognized value for parameter &quot;action&quot;: x." xml:space="preserve">See &amp;lt;x&amp;gt;</error></api>"#
        );
    }
}
