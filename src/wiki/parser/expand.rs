//! The preprocessor's second half: expands a tree in a frame — templates with
//! their arguments, `{{{params}}}`, magic words and parser functions, extension
//! tags (to strip markers) and heading markers for section numbering.

use std::collections::HashMap;
use std::rc::Rc;

use super::preprocess::{preprocess, Brace, Node, Part, EXT_TAGS};
use super::render::Renderer;
use super::sanitize;
use crate::wiki::namespace::{Namespaces, NS_FILE, NS_MAIN, NS_TEMPLATE};
use crate::wiki::title::{decode_char_references, Title};

/// Templates nested deeper than this are not expanded.
pub const MAX_TEMPLATE_DEPTH: usize = 40;
/// Tree nesting deeper than this is not expanded.
pub const MAX_EXPAND_DEPTH: usize = 100;
/// Bytes of template output per parse.
pub const MAX_INCLUDE_SIZE: usize = 2 * 1024 * 1024;
/// Tree nodes visited per parse.
pub const MAX_NODES: usize = 1_000_000;
/// Bytes of stack expansion may use below its first frame.
pub const STACK_BUDGET: usize = 768 * 1024;

pub const MARKER_PREFIX: &str = "\x7f'\"`UNIQ-";
pub const MARKER_SUFFIX: &str = "-QINU`\"'\x7f";

/// A template's (or the page's) expansion context.
pub struct Frame<'f> {
    /// The template; `None` for the page itself.
    pub title: Option<Title>,
    pub args: HashMap<String, String>,
    pub parent: Option<&'f Frame<'f>>,
    pub depth: usize,
}

impl Frame<'_> {
    fn contains(&self, t: &Title) -> bool {
        let mut f = Some(self);
        while let Some(fr) = f {
            if let Some(ft) = &fr.title {
                if ft.ns == t.ns && ft.dbkey == t.dbkey {
                    return true;
                }
            }
            f = fr.parent;
        }
        false
    }
}

/// `wfEscapeWikiText`.
pub fn escape_wikitext(s: &str) -> String {
    crate::api::query::pageset::escape_wikitext(s)
}

/// `wfUrlencode`.
pub fn wf_urlencode(s: &str) -> String {
    crate::api::query::pageset::wf_urlencode(s)
}

/// PHP `urlencode` (spaces as `+`).
pub fn php_urlencode(s: &str) -> String {
    let mut out = String::new();
    for &c in s.as_bytes() {
        if c.is_ascii_alphanumeric() || c == b'-' || c == b'_' || c == b'.' {
            out.push(c as char);
        } else if c == b' ' {
            out.push('+');
        } else {
            out.push_str(&format!("%{c:02X}"));
        }
    }
    out
}

/// `Sanitizer::escapeHtmlAllowEntities` after nowiki's own replacements.
pub fn nowiki_escape(s: &str) -> String {
    let s = s
        .replace("-{", "-&#123;")
        .replace("}-", "&#125;-")
        .replace('<', "&lt;")
        .replace('>', "&gt;");
    let decoded = decode_char_references(&s);
    let mut out = String::with_capacity(decoded.len());
    for c in decoded.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
    out
}

fn trim_ws(s: &str) -> &str {
    s.trim_matches(|c: char| {
        c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\0' || c == '\x0b'
    })
}

impl Renderer<'_> {
    /// Expands the page text (not for inclusion) in the root frame.
    pub fn expand_text(&mut self, text: &str) -> String {
        let tree = preprocess(text, false);
        let frame = Frame {
            title: None,
            args: HashMap::new(),
            parent: None,
            depth: 0,
        };
        let mut out = String::with_capacity(text.len() + text.len() / 4);
        self.expand_nodes(&tree, &frame, &mut out);
        out
    }

    pub(crate) fn add_marker(&mut self, kind: &str, html: String) -> String {
        let n = self.strip.len();
        self.strip.push(html);
        format!("{MARKER_PREFIX}-{kind}-{n:08X}-{MARKER_SUFFIX}")
    }

    fn expand_to_string(&mut self, nodes: &[Node], frame: &Frame<'_>) -> String {
        let mut s = String::new();
        self.expand_nodes(nodes, frame, &mut s);
        s
    }

    /// A part as `name=value` (or just the value).
    fn expand_part_full(&mut self, p: &Part, frame: &Frame<'_>) -> String {
        let mut s = String::new();
        if let Some(name) = &p.name {
            self.expand_nodes(name, frame, &mut s);
            s.push('=');
        }
        self.expand_nodes(&p.value, frame, &mut s);
        s
    }

    pub(crate) fn expand_nodes(&mut self, nodes: &[Node], frame: &Frame<'_>, out: &mut String) {
        // Besides MediaWiki's depth limits, a guard on the stack actually used,
        // for small thread stacks and unoptimised builds.
        let marker = 0u8;
        let here = std::ptr::addr_of!(marker) as usize;
        if self.stack_base == 0 {
            self.stack_base = here;
        }
        if self.expand_depth >= MAX_EXPAND_DEPTH || self.stack_base.abs_diff(here) > STACK_BUDGET {
            out.push_str("<span class=\"error\">Expansion depth limit exceeded</span>");
            self.limit_warning("expansion-depth-exceeded-warning");
            return;
        }
        self.expand_depth += 1;
        for n in nodes {
            self.nodes_visited += 1;
            if self.nodes_visited > MAX_NODES {
                if !self.node_limit_hit {
                    self.node_limit_hit = true;
                    out.push_str("<span class=\"error\">Node-count limit exceeded</span>");
                    self.limit_warning("node-count-exceeded-warning");
                }
                break;
            }
            match n {
                Node::Text(t) => out.push_str(t),
                Node::Template(b) => self.expand_template(b, frame, out),
                Node::Arg(b) => self.expand_arg(b, frame, out),
                Node::Ext(e) => {
                    let m = self.render_ext(&e.name, &e.attrs, e.inner.as_deref());
                    out.push_str(&m);
                }
                Node::Heading {
                    level,
                    index,
                    offset,
                    children,
                } => {
                    let s = self.expand_to_string(children, frame);
                    let serial = self.headings.len();
                    let (fromtitle, idx, byteoffset) = match &frame.title {
                        None => {
                            let chars = self.page_text.get(..*offset).map(|p| p.chars().count());
                            (
                                self.title.prefixed_dbkey(self.codec),
                                index.to_string(),
                                chars,
                            )
                        }
                        Some(t) => (t.prefixed_dbkey(self.codec), format!("T-{index}"), None),
                    };
                    self.headings.push(super::render::HeadingMark {
                        fromtitle,
                        index: idx,
                        byteoffset,
                        template: frame.title.is_some(),
                    });
                    let cut = (*level).min(s.len());
                    if s.is_char_boundary(cut) {
                        out.push_str(&s[..cut]);
                        out.push_str(&format!("{MARKER_PREFIX}-h-{serial}-{MARKER_SUFFIX}"));
                        out.push_str(&s[cut..]);
                    } else {
                        out.push_str(&s);
                    }
                }
            }
        }
        self.expand_depth -= 1;
    }

    fn limit_warning(&mut self, key: &str) {
        let text = match key {
            "expansion-depth-exceeded-warning" => {
                "The page exceeded the expansion depth limit.".to_string()
            }
            "node-count-exceeded-warning" => "Page exceeded the node-count limit.".to_string(),
            "post-expand-template-inclusion-warning" => "<strong>Warning:</strong> Template include size is too large.\nSome templates will not be included.".to_string(),
            _ => key.to_string(),
        };
        if !self.out.warnings.contains(&text) {
            self.out.warnings.push(text);
        }
    }

    fn literal_braces(&mut self, b: &Brace, frame: &Frame<'_>, open: &str, close: &str) -> String {
        let mut s = open.to_string();
        for (i, p) in b.parts.iter().enumerate() {
            if i > 0 {
                s.push('|');
            }
            let t = self.expand_part_full(p, frame);
            s.push_str(&t);
        }
        s.push_str(close);
        s
    }

    fn expand_arg(&mut self, b: &Brace, frame: &Frame<'_>, out: &mut String) {
        let name_raw = self.expand_part_full(&b.parts[0], frame);
        let name = trim_ws(&name_raw);
        if let Some(v) = frame.args.get(name) {
            out.push_str(v);
            return;
        }
        if b.parts.len() > 1 {
            let d = self.expand_part_full(&b.parts[1], frame);
            out.push_str(&d);
            return;
        }
        let s = self.literal_braces(b, frame, "{{{", "}}}");
        out.push_str(&s);
    }

    fn expand_template(&mut self, b: &Brace, frame: &Frame<'_>, out: &mut String) {
        let name_raw = self.expand_part_full(&b.parts[0], frame);
        let mut name = trim_ws(&name_raw).to_string();
        // subst: stays literal on a normal parse; safesubst: is dropped.
        if name.len() >= 10
            && name.is_char_boundary(10)
            && name[..10].eq_ignore_ascii_case("safesubst:")
        {
            name = trim_ws(&name[10..]).to_string();
        } else if name.len() >= 6
            && name.is_char_boundary(6)
            && name[..6].eq_ignore_ascii_case("subst:")
        {
            let s = self.literal_braces(b, frame, "{{", "}}");
            out.push_str(&s);
            return;
        }
        for prefix in ["msgnw:", "msg:", "raw:"] {
            if name.len() >= prefix.len()
                && name.is_char_boundary(prefix.len())
                && name[..prefix.len()].eq_ignore_ascii_case(prefix)
            {
                name = trim_ws(&name[prefix.len()..]).to_string();
            }
        }
        // Variables.
        if b.parts.len() == 1 {
            if let Some(v) = self.variable(&name) {
                out.push_str(&v);
                return;
            }
        }
        // Parser functions.
        if let Some(colon) = name.find(':') {
            let fname = name[..colon].to_string();
            let arg0 = trim_ws(&name[colon + 1..]).to_string();
            if let Some(v) = self.call_function(&fname, &arg0, &b.parts[1..], frame) {
                out.push_str(&v);
                return;
            }
        }
        // A template.
        let title = match self.codec.parse(&name, NS_TEMPLATE) {
            Ok(t) if t.interwiki.is_empty() && !t.dbkey.is_empty() && t.ns >= 0 => t,
            _ => {
                let s = self.literal_braces(b, frame, "{{", "}}");
                out.push_str(&s);
                return;
            }
        };
        if frame.depth >= MAX_TEMPLATE_DEPTH {
            out.push_str(&format!(
                "<span class=\"error\">Template recursion depth limit exceeded ({MAX_TEMPLATE_DEPTH})</span>"
            ));
            return;
        }
        if self.include_size > MAX_INCLUDE_SIZE {
            self.limit_warning("post-expand-template-inclusion-warning");
            out.push_str(&format!(
                "<!-- WARNING: template omitted, post-expand include size too large -->[[:{}]]",
                title.prefixed_text(self.codec)
            ));
            return;
        }
        if frame.contains(&title) {
            let text = title.prefixed_text(self.codec);
            self.add_template(&title);
            self.add_tracking_category("Pages_with_template_loops");
            let warn = format!(
                "<strong>Warning:</strong> This page calls [[:{text}]] which causes a template loop (an infinite recursive call)."
            );
            if !self.out.warnings.contains(&warn) {
                self.out.warnings.push(warn);
            }
            out.push_str(&format!(
                "<span class=\"error\">Template loop detected: [[:{text}]]</span>"
            ));
            return;
        }
        let Some((final_title, tree)) = self.template_tree(&title) else {
            out.push_str(&format!("[[:{}]]", title.prefixed_text(self.codec)));
            return;
        };
        // Arguments, expanded in the caller's frame.
        let mut args: HashMap<String, String> = HashMap::new();
        let mut index = 0;
        for p in &b.parts[1..] {
            match &p.name {
                Some(n) => {
                    let k = self.expand_to_string(n, frame);
                    let v = self.expand_to_string(&p.value, frame);
                    args.insert(trim_ws(&k).to_string(), trim_ws(&v).to_string());
                }
                None => {
                    index += 1;
                    let v = self.expand_to_string(&p.value, frame);
                    args.insert(index.to_string(), v);
                }
            }
        }
        let child = Frame {
            title: Some(final_title),
            args,
            parent: Some(frame),
            depth: frame.depth + 1,
        };
        let mut s = String::new();
        self.expand_nodes(&tree, &child, &mut s);
        if !b.line_start
            && (s.starts_with("{|")
                || s.starts_with(':')
                || s.starts_with(';')
                || s.starts_with('#')
                || s.starts_with('*'))
        {
            s.insert(0, '\n');
        }
        self.include_size += s.len();
        if self.include_size > MAX_INCLUDE_SIZE {
            self.limit_warning("post-expand-template-inclusion-warning");
            out.push_str(&format!(
                "<!-- WARNING: template omitted, post-expand include size too large -->[[:{}]]",
                title.prefixed_text(self.codec)
            ));
            return;
        }
        out.push_str(&s);
    }

    fn add_template(&mut self, t: &Title) {
        let key = (t.ns, t.dbkey.clone());
        if self.templates_seen.contains(&key) {
            return;
        }
        let id = self.facts(t.ns, &t.dbkey).map(|f| f.id).unwrap_or(0);
        self.templates_seen.insert(key);
        self.out.templates.push((t.ns, t.dbkey.clone(), id));
    }

    /// The preprocessed tree of a template (following one redirect), recording
    /// the transclusions. `None` when the page does not exist.
    fn template_tree(&mut self, title: &Title) -> Option<(Title, Rc<Vec<Node>>)> {
        self.add_template(title);
        let key = (title.ns, title.dbkey.clone());
        if let Some(cached) = self.tpl_cache.get(&key) {
            let cached = cached.clone();
            if let Some((t, _)) = &cached {
                if t != title {
                    self.add_template(&t.clone());
                }
            }
            return cached;
        }
        let mut text = self.source.page_text(title.ns, &title.dbkey);
        let mut final_title = title.clone();
        if let Some(t) = &text {
            if let Some(target) = super::redirect_target(self.codec, t) {
                if target.interwiki.is_empty() && target.ns >= 0 {
                    let target = Title {
                        fragment: String::new(),
                        ..target
                    };
                    self.add_template(&target);
                    text = self.source.page_text(target.ns, &target.dbkey);
                    final_title = target;
                }
            }
        }
        let result = text.map(|t| (final_title, Rc::new(preprocess(&t, true))));
        self.tpl_cache.insert(key, result.clone());
        result
    }

    fn title_variable(&self, name: &str, t: &Title) -> Option<String> {
        let codec = self.codec;
        let ns_name = |ns: i32| -> String {
            if ns == NS_MAIN {
                String::new()
            } else {
                codec.namespaces.display_name(ns).unwrap_or_default()
            }
        };
        let text = t.text();
        let has_sub = Namespaces::has_subpages(t.ns);
        let v = match name {
            "PAGENAME" => escape_wikitext(&text),
            "PAGENAMEE" => wf_urlencode(&t.dbkey),
            "FULLPAGENAME" => escape_wikitext(&t.prefixed_text(codec)),
            "FULLPAGENAMEE" => wf_urlencode(&t.prefixed_dbkey(codec)),
            "NAMESPACE" => ns_name(t.ns),
            "NAMESPACEE" => wf_urlencode(&ns_name(t.ns).replace(' ', "_")),
            "NAMESPACENUMBER" => t.ns.to_string(),
            "TALKSPACE" => ns_name(Namespaces::talk(t.ns)),
            "TALKSPACEE" => wf_urlencode(&ns_name(Namespaces::talk(t.ns)).replace(' ', "_")),
            "SUBJECTSPACE" | "ARTICLESPACE" => ns_name(Namespaces::subject(t.ns)),
            "SUBJECTSPACEE" | "ARTICLESPACEE" => {
                wf_urlencode(&ns_name(Namespaces::subject(t.ns)).replace(' ', "_"))
            }
            "TALKPAGENAME" | "SUBJECTPAGENAME" | "ARTICLEPAGENAME" => {
                let ns = if name == "TALKPAGENAME" {
                    Namespaces::talk(t.ns)
                } else {
                    Namespaces::subject(t.ns)
                };
                let n = ns_name(ns);
                let full = if n.is_empty() {
                    text.clone()
                } else {
                    format!("{n}:{text}")
                };
                escape_wikitext(&full)
            }
            "BASEPAGENAME" => {
                let base = if has_sub {
                    text.rsplit_once('/').map(|(a, _)| a).unwrap_or(&text)
                } else {
                    &text
                };
                escape_wikitext(base)
            }
            "ROOTPAGENAME" => {
                let root = if has_sub {
                    text.split('/').next().unwrap_or(&text)
                } else {
                    &text
                };
                escape_wikitext(root)
            }
            "SUBPAGENAME" => {
                let sub = if has_sub {
                    text.rsplit('/').next().unwrap_or(&text)
                } else {
                    &text
                };
                escape_wikitext(sub)
            }
            _ => return None,
        };
        Some(v)
    }

    /// Magic-word variables (`{{PAGENAME}}`).
    fn variable(&self, name: &str) -> Option<String> {
        if let Some(v) = self.title_variable(name, self.title) {
            return Some(v);
        }
        let server = &self.cfg.server;
        let v = match name {
            "!" => "|".to_string(),
            "=" => "=".to_string(),
            "SITENAME" => self.cfg.sitename.clone(),
            "SERVER" => server.clone(),
            "SERVERNAME" => server
                .split("://")
                .nth(1)
                .unwrap_or(server)
                .split(['/', ':'])
                .next()
                .unwrap_or("")
                .to_string(),
            "SCRIPTPATH" => self.cfg.script_path.clone(),
            "STYLEPATH" => format!("{}/skins", self.cfg.script_path),
            "CONTENTLANGUAGE" | "CONTENTLANG" => "en".to_string(),
            "DIRMARK" | "DIRECTIONMARK" => "\u{200e}".to_string(),
            _ => return None,
        };
        Some(v)
    }

    fn local_url(&self, t: &Title, query: &str) -> String {
        let dbkey = t.prefixed_dbkey(self.codec);
        if query.is_empty() {
            self.cfg.article_path.replace("$1", &wf_urlencode(&dbkey))
        } else {
            format!(
                "{}?title={}&{}",
                self.cfg.script(),
                wf_urlencode(&dbkey),
                query
            )
        }
    }

    /// Parser functions (`{{lc:…}}`, `{{#tag:…}}`, `{{DEFAULTSORT:…}}`). `None`
    /// when `fname` is not one.
    fn call_function(
        &mut self,
        fname: &str,
        arg0: &str,
        rest: &[Part],
        frame: &Frame<'_>,
    ) -> Option<String> {
        let lower = fname.to_ascii_lowercase();
        // Case-sensitive ones first.
        match fname {
            "DEFAULTSORT" | "DEFAULTSORTKEY" | "DEFAULTCATEGORYSORT" => {
                let flag = match rest.first() {
                    Some(p) => trim_ws(&self.expand_part_full(p, frame)).to_string(),
                    None => String::new(),
                };
                return Some(self.defaultsort(arg0, &flag));
            }
            "DISPLAYTITLE" => {
                let flag = match rest.first() {
                    Some(p) => trim_ws(&self.expand_part_full(p, frame)).to_string(),
                    None => String::new(),
                };
                return Some(self.displaytitle(arg0, &flag));
            }
            _ => {}
        }
        if fname.chars().all(|c| c.is_ascii_uppercase()) {
            if let Ok(t) = self.codec.parse(arg0, 0) {
                if let Some(v) = self.title_variable(fname, &t) {
                    return Some(v);
                }
            } else if self.title_variable(fname, self.title).is_some() {
                return Some(String::new());
            }
        }
        let args: Vec<String> = rest
            .iter()
            .map(|p| trim_ws(&self.expand_part_full(p, frame)).to_string())
            .collect();
        let v = match lower.as_str() {
            "lc" => arg0.to_lowercase(),
            "uc" => arg0.to_uppercase(),
            "lcfirst" => {
                let mut c = arg0.chars();
                match c.next() {
                    Some(f) => f.to_lowercase().chain(c).collect(),
                    None => String::new(),
                }
            }
            "ucfirst" => crate::wiki::title::ucfirst(arg0),
            "urlencode" => match args.first().map(|s| s.as_str()) {
                Some("WIKI") => wf_urlencode(&arg0.replace(' ', "_")),
                Some("PATH") => crate::api::request::rawurlencode(arg0.as_bytes()),
                _ => php_urlencode(arg0),
            },
            "anchorencode" => {
                let s = sanitize::strip_tags(&decode_char_references(arg0));
                sanitize::escape_id_link(&s)
            }
            "ns" | "nse" => {
                let id = arg0
                    .parse::<i32>()
                    .ok()
                    .or_else(|| self.codec.namespaces.lookup(&arg0.replace(' ', "_")));
                let name = match id {
                    Some(0) => String::new(),
                    Some(i) => self.codec.namespaces.display_name(i).unwrap_or_default(),
                    None => String::new(),
                };
                if lower == "nse" {
                    wf_urlencode(&name.replace(' ', "_"))
                } else {
                    name
                }
            }
            "localurl" | "localurle" | "fullurl" | "fullurle" | "canonicalurl"
            | "canonicalurle" => {
                let Ok(t) = self.codec.parse(arg0, 0) else {
                    return Some(String::new());
                };
                let q = args.first().cloned().unwrap_or_default();
                let mut url = self.local_url(&t, &q);
                if !t.fragment.is_empty() {
                    url.push('#');
                    url.push_str(&sanitize::escape_id_link(&t.fragment));
                }
                if lower.starts_with("full") || lower.starts_with("canonical") {
                    url = format!("{}{url}", self.cfg.server);
                }
                if lower.ends_with('e') {
                    sanitize::escape_html(&url)
                } else {
                    url
                }
            }
            "padleft" | "padright" => {
                let len: usize = args
                    .first()
                    .and_then(|s| s.parse().ok())
                    .unwrap_or(0)
                    .min(500);
                let pad = args
                    .get(1)
                    .filter(|s| !s.is_empty())
                    .cloned()
                    .unwrap_or_else(|| "0".into());
                let have = arg0.chars().count();
                if have >= len {
                    arg0.to_string()
                } else {
                    let fill: String = pad.chars().cycle().take(len - have).collect();
                    if lower == "padleft" {
                        format!("{fill}{arg0}")
                    } else {
                        format!("{arg0}{fill}")
                    }
                }
            }
            "formatnum" => format_num(arg0, args.first().map(|s| s.as_str())),
            "plural" => {
                let n: f64 = arg0.replace(',', "").parse().unwrap_or(0.0);
                let forms: Vec<&String> = args.iter().collect();
                if forms.is_empty() {
                    String::new()
                } else if n == 1.0 {
                    forms[0].clone()
                } else {
                    forms.get(1).unwrap_or(&forms[0]).to_string()
                }
            }
            "grammar" => args.first().cloned().unwrap_or_default(),
            "gender" => args.first().cloned().unwrap_or_default(),
            "bidi" => arg0.to_string(),
            "#language" => {
                if arg0 == "en" {
                    "English".into()
                } else {
                    arg0.to_string()
                }
            }
            "#special" => format!("Special:{arg0}"),
            "#tag" => {
                let tag = arg0.to_ascii_lowercase();
                if !EXT_TAGS.contains(&tag.as_str()) {
                    return Some(format!(
                        "<span class=\"error\">Unknown extension tag \"{}\"</span>",
                        sanitize::escape_html(&tag)
                    ));
                }
                let inner = rest
                    .first()
                    .map(|p| self.expand_part_full(p, frame))
                    .unwrap_or_default();
                let mut attrs = String::new();
                for a in args.iter().skip(1) {
                    if let Some((k, v)) = a.split_once('=') {
                        let v = v.trim().trim_matches('"').trim_matches('\'');
                        attrs.push_str(&format!(" {}=\"{}\"", k.trim(), v));
                    }
                }
                self.render_ext(&tag, &attrs, Some(&inner))
            }
            _ => return None,
        };
        Some(v)
    }

    fn defaultsort(&mut self, key: &str, flag: &str) -> String {
        let text = trim_ws(key).to_string();
        if text.is_empty() {
            return String::new();
        }
        let old = self.out.property("defaultsort").map(|s| s.to_string());
        if old.is_none() || flag != "noreplace" {
            self.out.set_property("defaultsort", &text);
        }
        match old {
            None => String::new(),
            Some(o) if o == text || flag == "noerror" || flag == "noreplace" => String::new(),
            Some(o) => format!(
                "<span class=\"error\"><strong>Warning:</strong> Default sort key \"{}\" overrides earlier default sort key \"{}\".</span>",
                sanitize::escape_html(&text),
                sanitize::escape_html(&o)
            ),
        }
    }

    fn displaytitle(&mut self, text: &str, flag: &str) -> String {
        let text = super::render::do_quotes(text);
        let text = self.kill_markers(&text);
        let text = super::render::sanitize_html(
            &text,
            &[
                "h1",
                "h2",
                "h3",
                "h4",
                "h5",
                "h6",
                "div",
                "blockquote",
                "ol",
                "ul",
                "li",
                "hr",
                "table",
                "tr",
                "th",
                "td",
                "dl",
                "dd",
                "caption",
                "p",
                "ruby",
                "rb",
                "rt",
                "rtc",
                "rp",
                "br",
            ],
        );
        let plain = decode_char_references(&sanitize::strip_tags(&text));
        let ok = match self.codec.parse(&plain, 0) {
            Ok(t) => {
                t.fragment.is_empty()
                    && t.interwiki.is_empty()
                    && t.ns == self.title.ns
                    && t.dbkey == self.title.dbkey
            }
            Err(_) => false,
        };
        if ok {
            let old = self.out.property("displaytitle").map(|s| s.to_string());
            if old.is_none() || flag != "noreplace" {
                self.out.set_property("displaytitle", &text);
            }
            return String::new();
        }
        if flag != "noerror" {
            let w = format!(
                "<strong>Warning:</strong> Display title \"{}\" was ignored since it is not equivalent to the page's actual title.",
                sanitize::escape_html(&plain)
            );
            if !self.out.warnings.contains(&w) {
                self.out.warnings.push(w);
            }
            self.add_tracking_category("Pages_with_ignored_display_titles");
        }
        String::new()
    }

    /// Removes strip markers from a string.
    pub(crate) fn kill_markers(&self, s: &str) -> String {
        let mut out = String::with_capacity(s.len());
        let mut rest = s;
        while let Some(p) = rest.find(MARKER_PREFIX) {
            out.push_str(&rest[..p]);
            match rest[p..].find(MARKER_SUFFIX) {
                Some(e) => rest = &rest[p + e + MARKER_SUFFIX.len()..],
                None => {
                    rest = &rest[p + MARKER_PREFIX.len()..];
                }
            }
        }
        out.push_str(rest);
        out
    }

    /// Renders an extension tag to a strip marker.
    pub(crate) fn render_ext(&mut self, name: &str, attrs: &str, inner: Option<&str>) -> String {
        match name {
            "nowiki" => match inner {
                None => String::new(),
                Some(t) => {
                    let html = nowiki_escape(t);
                    self.add_marker("nowiki", html)
                }
            },
            "pre" => {
                let content = inner.unwrap_or("");
                let content = remove_nowiki_delims(content);
                // HTML drops a newline right after <pre>.
                let content = content.strip_prefix('\n').unwrap_or(&content).to_string();
                let mut esc = String::with_capacity(content.len());
                for c in content.chars() {
                    match c {
                        '<' => esc.push_str("&lt;"),
                        '>' => esc.push_str("&gt;"),
                        '"' => esc.push_str("&quot;"),
                        c => esc.push(c),
                    }
                }
                let a = sanitize::fix_tag_attributes(attrs, "pre");
                self.add_marker("pre", format!("<pre{a}>{esc}</pre>"))
            }
            "gallery" => {
                let mut items = String::new();
                for line in inner.unwrap_or("").lines() {
                    let line = line.trim();
                    if line.is_empty() {
                        continue;
                    }
                    let (target, caption) = line.split_once('|').unwrap_or((line, ""));
                    let Ok(t) = self.codec.parse(target, NS_FILE) else {
                        continue;
                    };
                    if t.ns != NS_FILE {
                        continue;
                    }
                    self.add_image(&t.dbkey);
                    items.push_str(&format!(
                        "\n<li class=\"gallerybox\" style=\"width: 155px\"><div class=\"thumb\" style=\"height: 150px;\">{}</div><div class=\"gallerytext\">{}</div></li>",
                        sanitize::escape_html(&t.prefixed_text(self.codec)),
                        sanitize::escape_html(caption)
                    ));
                }
                self.add_marker(
                    "gallery",
                    format!("<ul class=\"gallery mw-gallery-traditional\">{items}\n</ul>"),
                )
            }
            "indicator" => String::new(),
            "langconvert" => {
                let html = sanitize::escape_html(inner.unwrap_or(""));
                self.add_marker("langconvert", html)
            }
            _ => String::new(),
        }
    }
}

fn remove_nowiki_delims(s: &str) -> String {
    let lower = s.to_ascii_lowercase();
    if !lower.contains("<nowiki>") {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while let Some(p) = lower[i..].find("<nowiki>") {
        let start = i + p;
        match lower[start + 8..].find("</nowiki>") {
            Some(q) => {
                out.push_str(&s[i..start]);
                out.push_str(&s[start + 8..start + 8 + q]);
                i = start + 8 + q + 9;
            }
            None => break,
        }
    }
    out.push_str(&s[i..]);
    out
}

fn format_num(s: &str, arg: Option<&str>) -> String {
    if matches!(arg, Some("R") | Some("NOSEP")) {
        return s.replace(',', "");
    }
    let (int, frac) = match s.split_once('.') {
        Some((a, b)) => (a, Some(b)),
        None => (s, None),
    };
    let (sign, digits) = match int.strip_prefix('-') {
        Some(d) => ("-", d),
        None => ("", int),
    };
    if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit()) {
        return s.to_string();
    }
    let mut grouped = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    match frac {
        Some(f) => format!("{sign}{grouped}.{f}"),
        None => format!("{sign}{grouped}"),
    }
}
