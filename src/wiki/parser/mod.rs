//! The wikitext parser: wikitext in, HTML and link data out.
//!
//! It works in MediaWiki's order: the preprocessor ([`preprocess`]) builds a tree
//! of templates, arguments, extension tags and headings; [`expand`] expands it
//! (templates come through [`WikiSource`], so the parser itself never touches
//! storage); [`render`] then runs the passes over the expanded text — HTML
//! sanitising, tables, rules, headings, internal links, quotes, external links,
//! free links, section headlines and the table of contents, paragraphs and lists
//! — and gathers what the link tables need ([`ParseOutput`]).
//!
//! Why not a crate: the maintained wikitext crates (e.g. `parse-wiki-text-2`)
//! parse the unexpanded source into an AST; templates, which can produce any
//! piece of markup (half a table, an opening `'''`), have to be expanded as text
//! before that, and MediaWiki's HTML (paragraphs, lists, link holders, headings
//! with edit links) follows from its pass order. So this follows the passes.
//!
//! Every loop is bounded by the input size, nesting is capped, template
//! expansion has depth, size and node limits: no input can make it panic, run
//! away or recurse without bound.

use std::collections::HashMap;

use crate::wiki::title::{Title, TitleCodec};

pub mod expand;
pub mod preprocess;
pub mod render;
pub mod sanitize;
#[cfg(test)]
mod tests;

/// Site facts the parser needs (from the configuration).
#[derive(Debug, Clone)]
pub struct ParserConfig {
    pub sitename: String,
    /// `$wgServer` (`http://host`), may be empty.
    pub server: String,
    /// `/wiki/$1`.
    pub article_path: String,
    /// `/w`.
    pub script_path: String,
}

impl ParserConfig {
    pub fn from_app(app: &crate::app::App) -> ParserConfig {
        ParserConfig {
            sitename: app.config.sitename.clone(),
            server: app.config.server.trim_end_matches('/').to_string(),
            article_path: app.config.article_path.clone(),
            script_path: app.config.script_path.clone(),
        }
    }

    /// `/w/index.php`.
    pub fn script(&self) -> String {
        format!("{}/index.php", self.script_path)
    }
}

/// Facts about existing pages, as the parser needs them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageFacts {
    pub id: i64,
    pub redirect: bool,
}

/// Where the parser gets what lives in the wiki: template text, which pages
/// exist, interwiki URLs. Implemented over a read transaction; tests use maps.
pub trait WikiSource {
    /// The current wikitext of a page, `None` when it does not exist.
    fn page_text(&mut self, ns: i32, dbkey: &str) -> Option<String>;
    /// Which of these pages exist.
    fn page_facts(&mut self, titles: &[(i32, String)]) -> HashMap<(i32, String), PageFacts>;
    /// The URL pattern (`…$1…`) of an interwiki prefix.
    fn interwiki_url(&mut self, prefix: &str) -> Option<String>;
}

/// Per-parse switches.
#[derive(Debug, Clone, Copy)]
pub struct ParseOptions {
    /// Section edit links (`disableeditsection` turns them off).
    pub edit_sections: bool,
}

impl Default for ParseOptions {
    fn default() -> Self {
        ParseOptions {
            edit_sections: true,
        }
    }
}

/// One section heading.
#[derive(Debug, Clone, PartialEq)]
pub struct Section {
    pub toclevel: usize,
    pub level: usize,
    pub line: String,
    pub number: String,
    /// `1`, `T-1` for a template's section, empty for a heading made of HTML.
    pub index: String,
    /// Prefixed DB key of the page the heading is in; `None` without a marker.
    pub fromtitle: Option<String>,
    pub byteoffset: Option<usize>,
    pub anchor: String,
    pub linkanchor: String,
}

/// Everything one parse produces.
#[derive(Debug, Clone, Default)]
pub struct ParseOutput {
    /// The body, wrapped in `<div class="mw-parser-output">`.
    pub html: String,
    /// Linked pages: (namespace, DB key, page id or 0), in MediaWiki's order.
    pub links: Vec<(i32, String, i64)>,
    /// Transcluded pages at any depth: (namespace, DB key, page id or 0).
    pub templates: Vec<(i32, String, i64)>,
    /// (category DB key, sort key prefix as written).
    pub categories: Vec<(String, String)>,
    pub external_links: Vec<String>,
    /// File DB keys.
    pub images: Vec<String>,
    /// (interwiki prefix, title after the prefix).
    pub interwiki_links: Vec<(String, String)>,
    /// (language code, title).
    pub language_links: Vec<(String, String)>,
    /// Page properties in the order they were set.
    pub properties: Vec<(String, String)>,
    pub sections: Vec<Section>,
    pub show_toc: bool,
    /// `#REDIRECT` target of the page.
    pub redirect: Option<Title>,
    /// Parser warnings (HTML).
    pub warnings: Vec<String>,
    /// Special pages linked: DB keys.
    pub special_links: Vec<String>,
}

impl ParseOutput {
    pub fn property(&self, name: &str) -> Option<&str> {
        self.properties
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn set_property(&mut self, name: &str, value: &str) {
        match self.properties.iter_mut().find(|(k, _)| k == name) {
            Some(e) => e.1 = value.to_string(),
            None => self.properties.push((name.to_string(), value.to_string())),
        }
    }

    /// The display title HTML (`<span class="mw-page-title-main">…</span>` unless
    /// `{{DISPLAYTITLE:}}` set one).
    pub fn display_title(&self, codec: &TitleCodec, title: &Title) -> String {
        if let Some(d) = self.property("displaytitle") {
            return d.to_string();
        }
        display_title_default(codec, title)
    }
}

/// MediaWiki's default display title markup.
pub fn display_title_default(codec: &TitleCodec, title: &Title) -> String {
    let esc = |s: &str| sanitize::escape_html(s);
    let ns_text = if title.ns == 0 {
        String::new()
    } else {
        codec.namespaces.display_name(title.ns).unwrap_or_default()
    };
    if ns_text.is_empty() {
        format!(
            "<span class=\"mw-page-title-main\">{}</span>",
            esc(&title.text())
        )
    } else {
        format!(
            "<span class=\"mw-page-title-namespace\">{}</span><span class=\"mw-page-title-separator\">:</span><span class=\"mw-page-title-main\">{}</span>",
            esc(&ns_text),
            esc(&title.text())
        )
    }
}

/// Parses `text` as the content of page `title`.
pub fn parse(
    cfg: &ParserConfig,
    codec: &TitleCodec,
    title: &Title,
    text: &str,
    source: &mut dyn WikiSource,
    opts: ParseOptions,
) -> ParseOutput {
    render::Renderer::new(cfg, codec, title, source, opts).run(text)
}

/// Expands templates only (`action=expandtemplates`-like; used for tests and
/// `prop=wikitext` of a section).
pub fn expand_only(
    cfg: &ParserConfig,
    codec: &TitleCodec,
    title: &Title,
    text: &str,
    source: &mut dyn WikiSource,
) -> String {
    let mut r = render::Renderer::new(cfg, codec, title, source, ParseOptions::default());
    let s = r.expand_text(text);
    r.unstrip(&s)
}

/// The `#REDIRECT [[Target]]` of a wikitext, resolved to a title.
pub fn redirect_target(codec: &TitleCodec, text: &str) -> Option<Title> {
    let t = text.trim_start();
    let head = t.get(..9)?;
    if !head.eq_ignore_ascii_case("#redirect") {
        return None;
    }
    let rest = t[9..].trim_start();
    let rest = rest.strip_prefix(':').unwrap_or(rest).trim_start();
    let inner = rest.strip_prefix("[[")?;
    let end = inner.find("]]")?;
    let target = inner[..end].split('|').next()?.trim();
    let target = if target.contains('%') {
        percent_decode(target)
    } else {
        target.to_string()
    };
    let title = codec.parse(&target, 0).ok()?;
    if title.dbkey.is_empty() && title.interwiki.is_empty() {
        return None;
    }
    Some(title)
}

/// `rawurldecode`.
pub fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            let h = std::str::from_utf8(&b[i + 1..i + 3])
                .ok()
                .and_then(|h| u8::from_str_radix(h, 16).ok());
            if let Some(v) = h {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// A [`WikiSource`] over in-memory maps (tests, previews of unsaved text).
#[derive(Debug, Clone, Default)]
pub struct MapSource {
    /// (namespace, DB key) → (page id, text).
    pub pages: HashMap<(i32, String), (i64, String)>,
    pub interwiki: HashMap<String, String>,
}

impl MapSource {
    pub fn add(&mut self, ns: i32, dbkey: &str, text: &str) -> &mut Self {
        let id = self.pages.len() as i64 + 1;
        self.pages
            .insert((ns, dbkey.to_string()), (id, text.to_string()));
        self
    }
}

impl WikiSource for MapSource {
    fn page_text(&mut self, ns: i32, dbkey: &str) -> Option<String> {
        self.pages
            .get(&(ns, dbkey.to_string()))
            .map(|(_, t)| t.clone())
    }

    fn page_facts(&mut self, titles: &[(i32, String)]) -> HashMap<(i32, String), PageFacts> {
        let mut out = HashMap::new();
        for t in titles {
            if let Some((id, text)) = self.pages.get(t) {
                let redirect = text
                    .trim_start()
                    .to_ascii_lowercase()
                    .starts_with("#redirect");
                out.insert(t.clone(), PageFacts { id: *id, redirect });
            }
        }
        out
    }

    fn interwiki_url(&mut self, prefix: &str) -> Option<String> {
        self.interwiki.get(prefix).cloned()
    }
}
