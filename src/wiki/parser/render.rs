//! The passes after expansion, in MediaWiki's order (`Parser::internalParse`
//! and `internalParseHalfParsed`), and the link bookkeeping they feed.

use std::collections::{HashMap, HashSet};
use std::rc::Rc;

use super::expand::{wf_urlencode, MARKER_PREFIX, MARKER_SUFFIX};
use super::preprocess::Node;
use super::sanitize::{self, escape_html};
use super::{PageFacts, ParseOptions, ParseOutput, ParserConfig, Section, WikiSource};
use crate::wiki::namespace::{NS_CATEGORY, NS_FILE, NS_MEDIA, NS_SPECIAL};
use crate::wiki::title::{decode_char_references, Title, TitleCodec};

/// Where a heading came from (registered during expansion).
#[derive(Debug, Clone)]
pub struct HeadingMark {
    pub fromtitle: String,
    pub index: String,
    pub byteoffset: Option<usize>,
    pub template: bool,
}

/// An internal link waiting for the existence check.
#[derive(Debug, Clone)]
struct Holder {
    ns: i32,
    dbkey: String,
    fragment: String,
    text: String,
}

const URL_PROTOCOLS: &[&str] = &[
    "bitcoin:",
    "ftp://",
    "ftps://",
    "geo:",
    "git://",
    "gopher://",
    "http://",
    "https://",
    "irc://",
    "ircs://",
    "magnet:",
    "mailto:",
    "matrix:",
    "mms://",
    "news:",
    "nntp://",
    "redis://",
    "sftp://",
    "sip:",
    "sips:",
    "sms:",
    "ssh://",
    "svn://",
    "tel:",
    "telnet://",
    "urn:",
    "worldwind://",
    "xmpp:",
    "//",
];

const TOC_MARK: &str = "<mw:toc></mw:toc>";

/// Length of a URL protocol at the start of `s` (case-insensitive).
fn protocol_len(s: &str, absolute_only: bool) -> Option<usize> {
    let b = s.as_bytes();
    URL_PROTOCOLS
        .iter()
        .filter(|p| !(absolute_only && **p == "//"))
        .find(|p| b.len() >= p.len() && b[..p.len()].eq_ignore_ascii_case(p.as_bytes()))
        .map(|p| p.len())
}

/// Unicode space separators (`\p{Zs}`).
fn is_zs(c: char) -> bool {
    matches!(
        c,
        ' ' | '\u{a0}' | '\u{1680}' | '\u{2000}'
            ..='\u{200a}' | '\u{202f}' | '\u{205f}' | '\u{3000}'
    )
}

/// `EXT_LINK_URL_CLASS`.
fn is_url_char(c: char) -> bool {
    !(matches!(c, '[' | ']' | '<' | '>' | '"' | '\u{7f}' | '\u{fffd}')
        || (c as u32) <= 0x20
        || is_zs(c))
}

pub struct Renderer<'a> {
    pub(crate) cfg: &'a ParserConfig,
    pub(crate) codec: &'a TitleCodec,
    pub(crate) title: &'a Title,
    pub(crate) source: &'a mut dyn WikiSource,
    pub(crate) opts: ParseOptions,
    pub(crate) out: ParseOutput,
    pub(crate) strip: Vec<String>,
    pub(crate) headings: Vec<HeadingMark>,
    pub(crate) tpl_cache: HashMap<(i32, String), Option<(Title, Rc<Vec<Node>>)>>,
    pub(crate) templates_seen: HashSet<(i32, String)>,
    facts_cache: HashMap<(i32, String), Option<PageFacts>>,
    pub(crate) include_size: usize,
    pub(crate) nodes_visited: usize,
    pub(crate) node_limit_hit: bool,
    pub(crate) expand_depth: usize,
    pub(crate) stack_base: usize,
    pub(crate) page_text: String,
    holders: Vec<Holder>,
    double_underscores: Vec<&'static str>,
    force_toc_position: bool,
    autonumber: usize,
    toc_html: Option<String>,
}

impl<'a> Renderer<'a> {
    pub fn new(
        cfg: &'a ParserConfig,
        codec: &'a TitleCodec,
        title: &'a Title,
        source: &'a mut dyn WikiSource,
        opts: ParseOptions,
    ) -> Renderer<'a> {
        Renderer {
            cfg,
            codec,
            title,
            source,
            opts,
            out: ParseOutput::default(),
            strip: Vec::new(),
            headings: Vec::new(),
            tpl_cache: HashMap::new(),
            templates_seen: HashSet::new(),
            facts_cache: HashMap::new(),
            include_size: 0,
            nodes_visited: 0,
            node_limit_hit: false,
            expand_depth: 0,
            stack_base: 0,
            page_text: String::new(),
            holders: Vec::new(),
            double_underscores: Vec::new(),
            force_toc_position: false,
            autonumber: 0,
            toc_html: None,
        }
    }

    /// Existence of one page (cached).
    pub(crate) fn facts(&mut self, ns: i32, dbkey: &str) -> Option<PageFacts> {
        let key = (ns, dbkey.to_string());
        if let Some(f) = self.facts_cache.get(&key) {
            return *f;
        }
        let got = self.source.page_facts(std::slice::from_ref(&key));
        let f = got.get(&key).copied();
        self.facts_cache.insert(key, f);
        f
    }

    fn prefetch_facts(&mut self, keys: &[(i32, String)]) {
        let missing: Vec<(i32, String)> = keys
            .iter()
            .filter(|k| k.0 >= 0 && !self.facts_cache.contains_key(*k))
            .cloned()
            .collect::<HashSet<_>>()
            .into_iter()
            .collect();
        if missing.is_empty() {
            return;
        }
        let got = self.source.page_facts(&missing);
        for k in missing {
            let f = got.get(&k).copied();
            self.facts_cache.insert(k, f);
        }
    }

    pub(crate) fn add_tracking_category(&mut self, dbkey: &str) {
        if self.out.categories.iter().any(|(c, _)| c == dbkey) {
            return;
        }
        let sort = self.out.property("defaultsort").unwrap_or("").to_string();
        self.out.categories.push((dbkey.to_string(), sort));
    }

    pub(crate) fn add_image(&mut self, dbkey: &str) {
        if !self.out.images.iter().any(|i| i == dbkey) {
            self.out.images.push(dbkey.to_string());
        }
    }

    fn add_category(&mut self, dbkey: &str, sort: &str) {
        match self.out.categories.iter_mut().find(|(c, _)| c == dbkey) {
            Some(e) => e.1 = sort.to_string(),
            None => self
                .out
                .categories
                .push((dbkey.to_string(), sort.to_string())),
        }
    }

    /// Replaces every strip marker by its content (markers may nest).
    pub(crate) fn unstrip(&self, s: &str) -> String {
        let mut cur = s.to_string();
        for _ in 0..20 {
            if !cur.contains(MARKER_PREFIX) {
                break;
            }
            cur = self.unstrip_once(&cur, None);
        }
        cur
    }

    fn unstrip_once(&self, s: &str, kind: Option<&str>) -> String {
        let mut out = String::with_capacity(s.len());
        let mut rest = s;
        while let Some(p) = rest.find(MARKER_PREFIX) {
            out.push_str(&rest[..p]);
            let after = &rest[p + MARKER_PREFIX.len()..];
            let Some(e) = after.find(MARKER_SUFFIX) else {
                out.push_str(&rest[p..]);
                rest = "";
                break;
            };
            let inner = &after[..e];
            // "-kind-XXXXXXXX-"
            let mut replaced = false;
            let parts: Vec<&str> = inner.trim_matches('-').rsplitn(2, '-').collect();
            if parts.len() == 2 {
                let (num, k) = (parts[0], parts[1]);
                if k != "h" && kind.is_none_or(|want| (want == "nowiki") == (k == "nowiki")) {
                    if let Ok(n) = usize::from_str_radix(num, 16) {
                        if let Some(c) = self.strip.get(n) {
                            out.push_str(c);
                            replaced = true;
                        }
                    }
                }
            }
            if !replaced {
                out.push_str(&rest[p..p + MARKER_PREFIX.len() + e + MARKER_SUFFIX.len()]);
            }
            rest = &after[e + MARKER_SUFFIX.len()..];
        }
        out.push_str(rest);
        out
    }

    fn unstrip_kind(&self, s: &str, kind: &str) -> String {
        let mut cur = s.to_string();
        for _ in 0..20 {
            let next = self.unstrip_once(&cur, Some(kind));
            if next == cur {
                break;
            }
            cur = next;
        }
        cur
    }

    /// The whole parse.
    pub fn run(mut self, text: &str) -> ParseOutput {
        let text = text.replace("\r\n", "\n").replace('\0', "");
        let mut body_src: &str = &text;
        let mut redirect_html = String::new();
        if let Some((target, rest)) = split_redirect(self.codec, &text) {
            body_src = rest;
            self.out.redirect = Some(target.clone());
            redirect_html = self.redirect_header(&target);
        }
        self.page_text = body_src.to_string();
        let expanded = self.expand_text(body_src);
        let html = self.internal_parse(&expanded);
        let html = self.half_parsed(&html);
        self.group_templates();
        if let Some(t) = self.out.redirect.clone() {
            if t.interwiki.is_empty() && t.ns >= 0 {
                let id = self.facts(t.ns, &t.dbkey).map(|f| f.id).unwrap_or(0);
                if !self
                    .out
                    .links
                    .iter()
                    .any(|(n, k, _)| *n == t.ns && *k == t.dbkey)
                {
                    self.out.links.push((t.ns, t.dbkey.clone(), id));
                }
            }
        }
        self.out.html = format!("<div class=\"mw-parser-output\">{redirect_html}{html}</div>");
        self.out
    }

    fn redirect_header(&mut self, target: &Title) -> String {
        let link = if !target.interwiki.is_empty() {
            let url = self.interwiki_href(target);
            format!(
                "<a href=\"{}\" class=\"extiw\" title=\"{}\">{}</a>",
                escape_html(&url),
                escape_html(&target.prefixed_text(self.codec)),
                escape_html(&target.prefixed_text(self.codec))
            )
        } else {
            let facts = self.facts(target.ns, &target.dbkey);
            let text = escape_html(&target.prefixed_text(self.codec));
            self.link_html(target, &text, facts)
        };
        format!(
            "<div class=\"redirectMsg\"><p>Redirect to:</p><ul class=\"redirectText\"><li>{link}</li></ul></div>"
        )
    }

    fn internal_parse(&mut self, text: &str) -> String {
        let t = sanitize_html(text, &[]);
        let t = do_tables(&t);
        let t = do_hr(&t);
        let t = self.double_underscore(&t);
        let t = do_headings(&t);
        let t = self.internal_links(&t);
        self.resolve_holders();
        let t = handle_all_quotes(&t);
        let t = self.external_links(&t);
        let t = self.free_links(&t);
        self.format_headings(&t)
    }

    fn half_parsed(&mut self, text: &str) -> String {
        let t = self.unstrip_kind(text, "general");
        let t = block_levels(&t);
        let t = self.replace_holders(&t);
        let t = self.unstrip(&t);
        let t = t.replace(TOC_MARK, "");
        let t = match self.toc_html.take() {
            Some(toc) => t.replacen("<mw:tocplace/>", &toc, 1),
            None => t,
        };
        let t = t.replace("<mw:tocplace/>", "");
        let t = fix_ampersands(&t);
        p_wrap(&t)
    }

    // ---- double underscores ----

    fn double_underscore(&mut self, text: &str) -> String {
        const IDS: &[(&str, &[&str])] = &[
            ("notoc", &["__NOTOC__"]),
            ("nogallery", &["__NOGALLERY__"]),
            ("forcetoc", &["__FORCETOC__"]),
            ("toc", &["__TOC__"]),
            ("noeditsection", &["__NOEDITSECTION__"]),
            ("newsectionlink", &["__NEWSECTIONLINK__"]),
            ("nonewsectionlink", &["__NONEWSECTIONLINK__"]),
            ("hiddencat", &["__HIDDENCAT__"]),
            ("expectunusedcategory", &["__EXPECTUNUSEDCATEGORY__"]),
            ("index", &["__INDEX__"]),
            ("noindex", &["__NOINDEX__"]),
            ("staticredirect", &["__STATICREDIRECT__"]),
            ("notitleconvert", &["__NOTITLECONVERT__", "__NOTC__"]),
            ("nocontentconvert", &["__NOCONTENTCONVERT__", "__NOCC__"]),
        ];
        if !text.contains("__") {
            return text.to_string();
        }
        let mut t = text.to_string();
        // __TOC__: the first one marks the place of the table of contents.
        if let Some(p) = find_ci(&t, "__TOC__") {
            t.replace_range(p..p + 7, "<mw:tocplace/>");
            self.force_toc_position = true;
            while let Some(q) = find_ci(&t, "__TOC__") {
                t.replace_range(q..q + 7, "");
            }
        }
        for (id, words) in IDS {
            let mut found = *id == "toc" && self.force_toc_position;
            for w in *words {
                while let Some(p) = find_ci(&t, w) {
                    t.replace_range(p..p + w.len(), "");
                    found = true;
                }
            }
            if found {
                self.double_underscores.push(id);
            }
        }
        let has = |s: &Self, id: &str| s.double_underscores.contains(&id);
        if has(self, "hiddencat") && self.title.ns == NS_CATEGORY {
            self.add_tracking_category("Hidden_categories");
        }
        // Content namespaces are exempt from robot control.
        let can_noindex = self.title.ns != 0;
        if has(self, "noindex") && can_noindex {
            self.add_tracking_category("Noindexed_pages");
        }
        if has(self, "index") && can_noindex {
            self.add_tracking_category("Indexed_pages");
        }
        for id in self.double_underscores.clone() {
            self.out.set_property(id, "");
        }
        t
    }

    // ---- internal links ----

    fn internal_links(&mut self, text: &str) -> String {
        let pieces: Vec<&str> = text.split("[[").collect();
        let mut s = String::with_capacity(text.len());
        s.push_str(pieces[0]);
        let mut k = 1;
        while k < pieces.len() {
            let line = pieces[k];
            k += 1;
            // [[target|text]]trail or [[target]]trail
            let tlen = line
                .char_indices()
                .find(|(_, c)| !is_title_char(*c))
                .map(|(i, _)| i)
                .unwrap_or(line.len());
            if tlen == 0 {
                s.push_str("[[");
                s.push_str(line);
                continue;
            }
            let target_raw = &line[..tlen];
            let after = &line[tlen..];
            let mut might_be_img = false;
            let (mut text_part, mut trail): (String, String);
            if let Some(rest) = after.strip_prefix("]]") {
                text_part = String::new();
                trail = rest.to_string();
            } else if let Some(rest) = after.strip_prefix('|') {
                match rest.find("]]") {
                    Some(e) if e > 0 => {
                        text_part = rest[..e].to_string();
                        trail = rest[e + 2..].to_string();
                    }
                    _ => {
                        might_be_img = true;
                        text_part = rest.to_string();
                        trail = String::new();
                    }
                }
            } else {
                s.push_str("[[");
                s.push_str(line);
                continue;
            }
            let mut target = target_raw.to_string();
            if target.contains('%') {
                target = super::percent_decode(&target)
                    .replace('<', "&lt;")
                    .replace('>', "&gt;");
            }
            let orig = target.trim_start_matches(' ').to_string();
            if protocol_len(&orig, false).is_some() || orig.contains(MARKER_PREFIX) {
                s.push_str("[[");
                s.push_str(line);
                continue;
            }
            // Fragment-only links.
            if let Some(frag) = orig.strip_prefix('#') {
                let label = if text_part.is_empty() {
                    orig.clone()
                } else {
                    do_quotes(&text_part)
                };
                let (inside, rest) = split_trail(&trail);
                s.push_str(&format!(
                    "<a href=\"#{}\">{}{}</a>{}",
                    escape_html(&sanitize::escape_id_link(
                        &decode_char_references(frag).trim().replace(' ', "_")
                    )),
                    label,
                    inside,
                    rest
                ));
                continue;
            }
            let Ok(title) = self.codec.parse(&orig, 0) else {
                s.push_str("[[");
                s.push_str(line);
                continue;
            };
            let noforce = !orig.starts_with(':');
            if might_be_img {
                if title.ns == NS_FILE && noforce {
                    let mut found = false;
                    while k < pieces.len() {
                        let next = pieces[k];
                        k += 1;
                        let m: Vec<&str> = next.splitn(3, "]]").collect();
                        if m.len() == 3 {
                            text_part.push_str(&format!("[[{}]]{}", m[0], m[1]));
                            trail = m[2].to_string();
                            found = true;
                            break;
                        } else if m.len() == 2 {
                            text_part.push_str(&format!("[[{}]]{}", m[0], m[1]));
                        } else {
                            text_part.push_str("[[");
                            text_part.push_str(next);
                            break;
                        }
                    }
                    if !found {
                        let inner = self.internal_links(&text_part);
                        s.push_str(&format!("[[{orig}|{inner}"));
                        continue;
                    }
                } else {
                    s.push_str(&format!("[[{orig}|{text_part}"));
                    continue;
                }
            }
            let was_blank = text_part.is_empty();
            let label = if was_blank {
                if noforce {
                    orig.clone()
                } else {
                    orig[1..].to_string()
                }
            } else {
                do_quotes(&text_part)
            };
            if noforce && !title.interwiki.is_empty() {
                // Interwiki link (no language links are configured).
                let after_prefix = title
                    .prefixed_text(self.codec)
                    .split_once(':')
                    .map(|(_, r)| r.to_string())
                    .unwrap_or_default();
                let iw = (title.interwiki.clone(), after_prefix.replace(' ', "_"));
                if !self.out.interwiki_links.contains(&iw) {
                    self.out.interwiki_links.push(iw);
                }
                let url = self.interwiki_href(&title);
                let (inside, rest) = split_trail(&trail);
                s.push_str(&format!(
                    "<a href=\"{}\" class=\"extiw\" title=\"{}\">{}{}</a>{}",
                    escape_html(&url),
                    escape_html(&format!("{}:{}", title.interwiki, after_prefix)),
                    label,
                    inside,
                    rest
                ));
                continue;
            }
            if !title.interwiki.is_empty() {
                let after_prefix = title
                    .prefixed_text(self.codec)
                    .split_once(':')
                    .map(|(_, r)| r.to_string())
                    .unwrap_or_default();
                let iw = (title.interwiki.clone(), after_prefix.replace(' ', "_"));
                if !self.out.interwiki_links.contains(&iw) {
                    self.out.interwiki_links.push(iw);
                }
                let url = self.interwiki_href(&title);
                let (inside, rest) = split_trail(&trail);
                s.push_str(&format!(
                    "<a href=\"{}\" class=\"extiw\" title=\"{}\">{}{}</a>{}",
                    escape_html(&url),
                    escape_html(&format!("{}:{}", title.interwiki, after_prefix)),
                    label,
                    inside,
                    rest
                ));
                continue;
            }
            if noforce && title.ns == NS_FILE {
                let caption_src = if was_blank {
                    String::new()
                } else {
                    text_part.clone()
                };
                let caption = if caption_src.is_empty() {
                    String::new()
                } else {
                    let c = self.internal_links(&caption_src);
                    do_quotes(&c)
                };
                let html = self.make_image(&title, &caption_src, &caption);
                let m = self.add_marker("image", html);
                s.push_str(&m);
                s.push_str(&trail);
                continue;
            }
            if noforce && title.ns == NS_CATEGORY {
                let trimmed = s.trim_end().len();
                s.truncate(trimmed);
                s.push_str(&trail);
                let sort = if was_blank {
                    self.out.property("defaultsort").unwrap_or("").to_string()
                } else {
                    text_part.clone()
                };
                let sort = decode_char_references(&sort).replace('\n', "");
                self.add_category(&title.dbkey, &sort);
                continue;
            }
            let (inside, rest) = split_trail(&trail);
            let label = format!("{label}{inside}");
            if title.ns != NS_SPECIAL
                && title.ns == self.title.ns
                && title.dbkey == self.title.dbkey
                && title.fragment.is_empty()
            {
                s.push_str(&format!(
                    "<a class=\"mw-selflink selflink\">{label}</a>{rest}"
                ));
                continue;
            }
            if title.ns == NS_MEDIA {
                self.add_image(&title.dbkey);
                let html = format!(
                    "<a href=\"{}?title=Special:Upload&amp;wpDestFile={}\" class=\"new\" title=\"{}\">{}</a>",
                    self.cfg.script(),
                    wf_urlencode(&title.dbkey),
                    escape_html(&title.text()),
                    label
                );
                let m = self.add_marker("media", html);
                s.push_str(&m);
                s.push_str(&rest);
                continue;
            }
            let n = self.holders.len();
            self.holders.push(Holder {
                ns: title.ns,
                dbkey: title.dbkey.clone(),
                fragment: title.fragment.clone(),
                text: label,
            });
            s.push_str(&format!("<!--LINK'\" {n}-->"));
            s.push_str(&rest);
        }
        s
    }

    fn interwiki_href(&mut self, t: &Title) -> String {
        let after = t
            .prefixed_text(self.codec)
            .split_once(':')
            .map(|(_, r)| r.replace(' ', "_"))
            .unwrap_or_default();
        let mut url = match self.source.interwiki_url(&t.interwiki) {
            Some(p) => p.replace("$1", &wf_urlencode(&after)),
            None => String::new(),
        };
        if !t.fragment.is_empty() {
            url.push('#');
            url.push_str(&sanitize::escape_id_link(&t.fragment));
        }
        url
    }

    fn make_image(&mut self, title: &Title, options_src: &str, caption_html: &str) -> String {
        self.add_image(&title.dbkey);
        self.add_tracking_category("Pages_with_broken_file_links");
        let mut thumb = false;
        let mut caption = String::new();
        if !options_src.is_empty() {
            let parts: Vec<&str> = caption_html.split('|').collect();
            for p in &parts {
                let lp = p.trim().to_ascii_lowercase();
                if matches!(
                    lp.as_str(),
                    "thumb" | "thumbnail" | "frame" | "framed" | "frameless"
                ) {
                    if lp != "frameless" {
                        thumb = true;
                    }
                } else if is_image_option(&lp) {
                } else {
                    caption = p.trim().to_string();
                }
            }
        }
        let text = title.prefixed_text(self.codec);
        let link_text = if thumb || caption.is_empty() {
            escape_html(&text)
        } else {
            caption.clone()
        };
        let link = format!(
            "<a href=\"{}?title=Special:Upload&amp;wpDestFile={}\" class=\"new\" title=\"{}\">{}</a>",
            self.cfg.script(),
            wf_urlencode(&title.dbkey),
            escape_html(&text),
            link_text
        );
        if thumb {
            format!(
                "<div class=\"thumb tright\"><div class=\"thumbinner\" style=\"width:182px;\">{link}  <div class=\"thumbcaption\">{caption}</div></div></div>"
            )
        } else {
            link
        }
    }

    /// Templates grouped by namespace in order of first appearance (as
    /// MediaWiki keeps them).
    fn group_templates(&mut self) {
        let mut ns_order: Vec<i32> = Vec::new();
        for (n, _, _) in &self.out.templates {
            if !ns_order.contains(n) {
                ns_order.push(*n);
            }
        }
        let mut grouped = Vec::with_capacity(self.out.templates.len());
        for ns in ns_order {
            grouped.extend(self.out.templates.iter().filter(|t| t.0 == ns).cloned());
        }
        self.out.templates = grouped;
    }

    /// Looks up every linked page once.
    fn resolve_holders(&mut self) {
        let keys: Vec<(i32, String)> = self
            .holders
            .iter()
            .map(|h| (h.ns, h.dbkey.clone()))
            .collect();
        self.prefetch_facts(&keys);
        // The order MediaWiki records links in: existing pages (by namespace,
        // title), then missing ones (by namespace, in text order), grouped by
        // namespace in order of first appearance.
        let mut existing: Vec<(i32, String, i64)> = Vec::new();
        let mut missing: Vec<(i32, String)> = Vec::new();
        for h in &self.holders {
            if h.ns == NS_SPECIAL {
                if !self.out.special_links.contains(&h.dbkey) {
                    self.out.special_links.push(h.dbkey.clone());
                }
                continue;
            }
            if h.dbkey.is_empty() {
                continue;
            }
            let key = (h.ns, h.dbkey.clone());
            match self.facts_cache.get(&key).copied().flatten() {
                Some(f) => {
                    if !existing.iter().any(|(n, k, _)| *n == h.ns && *k == h.dbkey) {
                        existing.push((h.ns, h.dbkey.clone(), f.id));
                    }
                }
                None => {
                    if !missing.contains(&key) {
                        missing.push(key);
                    }
                }
            }
        }
        existing.sort_by(|a, b| (a.0, a.1.as_bytes()).cmp(&(b.0, b.1.as_bytes())));
        missing.sort_by_key(|k| k.0);
        let mut ordered: Vec<(i32, String, i64)> = existing;
        ordered.extend(missing.into_iter().map(|(n, k)| (n, k, 0)));
        let mut ns_order: Vec<i32> = Vec::new();
        for (n, _, _) in &ordered {
            if !ns_order.contains(n) {
                ns_order.push(*n);
            }
        }
        for ns in ns_order {
            for l in ordered.iter().filter(|l| l.0 == ns) {
                if !self
                    .out
                    .links
                    .iter()
                    .any(|(n, k, _)| *n == l.0 && *k == l.1)
                {
                    self.out.links.push(l.clone());
                }
            }
        }
    }

    /// The `<a>` of a local link with the given label HTML.
    fn link_html(&self, t: &Title, label: &str, facts: Option<PageFacts>) -> String {
        let prefixed = t.prefixed_text(self.codec);
        if t.ns == NS_SPECIAL {
            let known = crate::wiki::special::canonical_dbkey(&t.dbkey).is_some();
            let href = self
                .cfg
                .article_path
                .replace("$1", &wf_urlencode(&t.prefixed_dbkey(self.codec)));
            return if known {
                format!(
                    "<a href=\"{}\" title=\"{}\">{label}</a>",
                    escape_html(&href),
                    escape_html(&prefixed)
                )
            } else {
                format!(
                    "<a href=\"{}\" class=\"new\" title=\"{} (page does not exist)\">{label}</a>",
                    escape_html(&href),
                    escape_html(&prefixed)
                )
            };
        }
        match facts {
            Some(f) => {
                let mut href = self
                    .cfg
                    .article_path
                    .replace("$1", &wf_urlencode(&t.prefixed_dbkey(self.codec)));
                if !t.fragment.is_empty() {
                    href.push('#');
                    href.push_str(&sanitize::escape_id_link(&t.fragment));
                }
                let class = if f.redirect {
                    " class=\"mw-redirect\""
                } else {
                    ""
                };
                format!(
                    "<a href=\"{}\"{class} title=\"{}\">{label}</a>",
                    escape_html(&href),
                    escape_html(&prefixed)
                )
            }
            None => {
                let href = format!(
                    "{}?title={}&action=edit&redlink=1",
                    self.cfg.script(),
                    wf_urlencode(&t.prefixed_dbkey(self.codec))
                );
                format!(
                    "<a href=\"{}\" class=\"new\" title=\"{} (page does not exist)\">{label}</a>",
                    escape_html(&href),
                    escape_html(&prefixed)
                )
            }
        }
    }

    fn replace_holders(&self, text: &str) -> String {
        const OPEN: &str = "<!--LINK'\" ";
        if !text.contains(OPEN) {
            return text.to_string();
        }
        let mut out = String::with_capacity(text.len() + self.holders.len() * 40);
        let mut rest = text;
        while let Some(p) = rest.find(OPEN) {
            out.push_str(&rest[..p]);
            let after = &rest[p + OPEN.len()..];
            let end = after.find("-->");
            let n = end.and_then(|e| after[..e].parse::<usize>().ok());
            match (end, n.and_then(|n| self.holders.get(n))) {
                (Some(e), Some(h)) => {
                    let t = Title {
                        ns: h.ns,
                        dbkey: h.dbkey.clone(),
                        fragment: h.fragment.clone(),
                        interwiki: String::new(),
                    };
                    let facts = self
                        .facts_cache
                        .get(&(h.ns, h.dbkey.clone()))
                        .copied()
                        .flatten();
                    out.push_str(&self.link_html(&t, &h.text, facts));
                    rest = &after[e + 3..];
                }
                _ => {
                    out.push_str(OPEN);
                    rest = after;
                }
            }
        }
        out.push_str(rest);
        out
    }

    // ---- external links ----

    fn external_links(&mut self, text: &str) -> String {
        let b = text.as_bytes();
        let mut out = String::with_capacity(text.len());
        let mut i = 0;
        let mut last = 0;
        while let Some(rel) = text[i..].find('[') {
            let start = i + rel;
            i = start + 1;
            let Some(plen) = protocol_len(&text[start + 1..], false) else {
                continue;
            };
            // URL: protocol, then at least one address character.
            let url_start = start + 1;
            let mut j = url_start + plen;
            for c in text[j..].chars() {
                if !is_url_char(c) {
                    break;
                }
                j += c.len_utf8();
            }
            if j == url_start + plen {
                continue;
            }
            let url_end = j;
            for c in text[j..].chars() {
                if !is_zs(c) {
                    break;
                }
                j += c.len_utf8();
            }
            let text_start = j;
            let mut ok = false;
            for c in text[j..].chars() {
                if c == ']' {
                    ok = true;
                    break;
                }
                if (c as u32) <= 0x08
                    || ((c as u32) >= 0x0a && (c as u32) <= 0x1f)
                    || c == '\u{fffd}'
                {
                    break;
                }
                j += c.len_utf8();
            }
            if !ok {
                // Every '[' before the stop fails the same way.
                i = j.max(start + 1);
                continue;
            }
            let _ = b;
            let mut url = text[url_start..url_end].to_string();
            let mut label = text[text_start..j].to_string();
            // &lt; and &gt; end the URL.
            if let Some(p) = find_lt_gt(&url) {
                label = format!("{} {}", &url[p..], label);
                url.truncate(p);
            }
            out.push_str(&text[last..start]);
            let (class, label) = if label.is_empty() {
                self.autonumber += 1;
                ("external autonumber", format!("[{}]", self.autonumber))
            } else {
                ("external text", label)
            };
            let url = clean_url(&url);
            self.add_external(&url);
            let html = format!(
                "<a rel=\"nofollow\" class=\"{class}\" href=\"{}\">",
                escape_html(&url)
            );
            let m = self.add_marker("extlink", html);
            out.push_str(&m);
            out.push_str(&label);
            out.push_str("</a>");
            i = j + 1;
            last = i;
        }
        out.push_str(&text[last..]);
        out
    }

    fn add_external(&mut self, url: &str) {
        // Links to this wiki's own server are not recorded.
        let server = &self.cfg.server;
        if !server.is_empty() {
            let host = server.split_once("//").map(|(_, h)| h).unwrap_or(server);
            let rel = url.split_once("//").map(|(_, h)| h).unwrap_or("");
            if url.starts_with(server.as_str())
                || (url.starts_with("//") && (rel == host || rel.starts_with(&format!("{host}/"))))
            {
                return;
            }
        }
        if !self.out.external_links.iter().any(|u| u == url) {
            self.out.external_links.push(url.to_string());
        }
    }

    fn free_links(&mut self, text: &str) -> String {
        let b = text.as_bytes();
        let mut out = String::with_capacity(text.len());
        let mut i = 0;
        let mut last = 0;
        while i < b.len() {
            let c = b[i];
            if c == b'<' {
                // Skip <a …>…</a> and any other tag.
                if (b.get(i + 1) == Some(&b'a') || b.get(i + 1) == Some(&b'A'))
                    && b.get(i + 2)
                        .is_some_and(|x| matches!(x, b' ' | b'\t' | b'\r' | b'\n' | b'>'))
                {
                    match find_ci(&text[i..], "</a>") {
                        Some(e) => {
                            i += e + 4;
                            continue;
                        }
                        None => {
                            i += 1;
                            continue;
                        }
                    }
                }
                match text[i..].find('>') {
                    Some(e) => {
                        i += e + 1;
                        continue;
                    }
                    None => {
                        i += 1;
                        continue;
                    }
                }
            }
            if c.is_ascii_alphabetic() && (i == 0 || !is_word_byte(b[i - 1])) {
                if let Some(plen) = protocol_len(&text[i..], true) {
                    let mut j = i + plen;
                    for ch in text[j..].chars() {
                        if !is_url_char(ch) {
                            break;
                        }
                        j += ch.len_utf8();
                    }
                    if j > i + plen {
                        let (html, consumed) = self.make_free_link(&text[i..j], plen);
                        if let Some(h) = html {
                            out.push_str(&text[last..i]);
                            out.push_str(&h);
                            i += consumed;
                            last = i;
                            continue;
                        }
                    }
                    i = j.max(i + 1);
                    continue;
                }
            }
            i += 1;
        }
        out.push_str(&text[last..]);
        out
    }

    /// A free URL: the link HTML (with its trail) and how many bytes it used.
    fn make_free_link(&mut self, found: &str, proto_len: usize) -> (Option<String>, usize) {
        let mut url = found.to_string();
        let mut trail = String::new();
        if let Some(p) = find_lt_gt(&url) {
            trail = url[p..].to_string();
            url.truncate(p);
        }
        let mut sep: Vec<char> = vec![',', ';', '.', ':', '!', '?'];
        if !url.contains('(') {
            sep.push(')');
        }
        let mut num = url.chars().rev().take_while(|c| sep.contains(c)).count();
        if num > 0 && url[..url.len() - num + 1].ends_with(';') {
            // Keep a trailing entity's ';'.
            let body = &url[..url.len() - num];
            if let Some(amp) = body.rfind('&') {
                let ent = &body[amp + 1..];
                let is_ent = !ent.is_empty()
                    && (ent.chars().all(|c| c.is_ascii_alphabetic())
                        || ent.strip_prefix('#').is_some_and(|d| {
                            d.chars().all(|c| c.is_ascii_digit())
                                || d.strip_prefix(['x', 'X'])
                                    .is_some_and(|h| h.chars().all(|c| c.is_ascii_hexdigit()))
                        }));
                if is_ent {
                    num -= 1;
                }
            }
        }
        if num > 0 {
            let cut = url.len() - num;
            trail = format!("{}{}", &url[cut..], trail);
            url.truncate(cut);
        }
        if url.len() <= proto_len {
            return (None, found.len());
        }
        let url = clean_url(&url);
        self.add_external(&url);
        let html = format!(
            "<a rel=\"nofollow\" class=\"external free\" href=\"{}\">",
            escape_html(&url)
        );
        let m = self.add_marker("extlink", html);
        (
            Some(format!("{m}{}</a>{trail}", escape_html(&url))),
            found.len(),
        )
    }

    // ---- headings, sections, table of contents ----

    fn format_headings(&mut self, text: &str) -> String {
        let matches = find_headings(text);
        let num = matches.len();
        let show_edit =
            self.opts.edit_sections && !self.double_underscores.contains(&"noeditsection");
        let mut show_toc = !self.double_underscores.contains(&"notoc") || self.force_toc_position;
        let mut enough_toc = show_toc && (num >= 4 || self.force_toc_position);
        if self.double_underscores.contains(&"forcetoc") {
            show_toc = true;
            enough_toc = true;
        }
        let _ = show_toc;
        if num == 0 {
            return text.to_string();
        }
        let max_toc_level = 999;
        let mut toc = String::new();
        let mut heads: Vec<String> = Vec::new();
        let mut sublevel: HashMap<usize, usize> = HashMap::new();
        let mut levelcount: HashMap<usize, usize> = HashMap::new();
        let (mut level, mut prevlevel, mut toclevel, mut prevtoclevel) =
            (0usize, 0usize, 0usize, 0usize);
        let mut num_visible = 0;
        let mut refers: HashSet<String> = HashSet::new();
        let base_title = self.title.prefixed_dbkey(self.codec);
        for m in &matches {
            let mut headline = m.header.clone();
            let mut mark: Option<HeadingMark> = None;
            if let Some(rest) = headline.strip_prefix(MARKER_PREFIX) {
                if let Some(rest2) = rest.strip_prefix("-h-") {
                    if let Some(e) = rest2.find('-') {
                        if let Ok(serial) = rest2[..e].parse::<usize>() {
                            if rest2[e..].starts_with(&format!("-{MARKER_SUFFIX}")) {
                                mark = self.headings.get(serial).cloned();
                                let after = &rest2[e + 1 + MARKER_SUFFIX.len()..];
                                headline = after.trim_start().to_string();
                            }
                        }
                    }
                }
            }
            if toclevel > 0 {
                prevlevel = level;
            }
            level = m.level;
            if level > prevlevel {
                toclevel += 1;
                sublevel.insert(toclevel, 0);
                if toclevel < max_toc_level {
                    prevtoclevel = toclevel;
                    toc.push_str("\n<ul>\n");
                    num_visible += 1;
                }
            } else if level < prevlevel && toclevel > 1 {
                let mut i = toclevel;
                let mut found = false;
                while i > 0 {
                    let lc = levelcount.get(&i).copied().unwrap_or(0);
                    if lc == level {
                        toclevel = i;
                        found = true;
                        break;
                    } else if lc < level {
                        toclevel = i + 1;
                        found = true;
                        break;
                    }
                    i -= 1;
                }
                if !found {
                    toclevel = 1;
                }
                if toclevel < max_toc_level {
                    if prevtoclevel < max_toc_level {
                        toc.push_str("</li>\n");
                        for _ in 0..prevtoclevel.saturating_sub(toclevel) {
                            toc.push_str("</ul>\n</li>\n");
                        }
                        prevtoclevel = toclevel;
                    } else {
                        toc.push_str("</li>\n");
                    }
                }
            } else if toclevel < max_toc_level {
                toc.push_str("</li>\n");
            }
            levelcount.insert(toclevel, level);
            *sublevel.entry(toclevel).or_insert(0) += 1;
            let mut numbering = String::new();
            for i in 1..=toclevel {
                if let Some(c) = sublevel.get(&i).filter(|c| **c > 0) {
                    if !numbering.is_empty() {
                        numbering.push('.');
                    }
                    numbering.push_str(&c.to_string());
                }
            }
            // The headline as TOC line and as anchor.
            let safe = self.replace_holders(&headline);
            let safe = self.unstrip(&safe);
            let safe = remove_style_script(&safe);
            let tocline = toc_line_tags(&safe).replace("<span></span>", "");
            let tocline = tocline.trim().to_string();
            let plain = sanitize::strip_tags(&safe);
            let plain = normalize_section_ws(&plain);
            let hint = plain.clone();
            let decoded = decode_char_references(&plain);
            let anchor_base = sanitize::escape_id_attr(&decoded);
            let mut link_anchor = sanitize::escape_id_link(&decoded);
            let fallback = sanitize::escape_id_legacy(&decoded);
            let fallback = if fallback == anchor_base {
                None
            } else {
                Some(fallback)
            };
            let key = anchor_base.to_lowercase();
            let mut anchor = anchor_base.clone();
            if refers.contains(&key) {
                let mut i = 2;
                while refers.contains(&format!("{key}_{i}")) {
                    i += 1;
                }
                anchor.push_str(&format!("_{i}"));
                link_anchor.push_str(&format!("_{i}"));
                refers.insert(format!("{key}_{i}"));
            } else {
                refers.insert(key);
            }
            let fallback_anchor = match fallback {
                Some(f) => {
                    let fk = f.to_lowercase();
                    if refers.contains(&fk) {
                        let mut i = 2;
                        while refers.contains(&format!("{fk}_{i}")) {
                            i += 1;
                        }
                        refers.insert(format!("{fk}_{i}"));
                        Some(format!("{f}_{i}"))
                    } else {
                        refers.insert(fk);
                        Some(f)
                    }
                }
                None => None,
            };
            let (index, fromtitle, byteoffset, is_template) = match &mark {
                Some(mk) => (
                    mk.index.clone(),
                    Some(mk.fromtitle.clone()),
                    mk.byteoffset,
                    mk.template || mk.fromtitle != base_title,
                ),
                None => (String::new(), None, None, false),
            };
            if enough_toc && toclevel < max_toc_level {
                let mut classes = format!("toclevel-{toclevel}");
                if mark.is_some() && !is_template {
                    classes.push_str(&format!(" tocsection-{index}"));
                }
                toc.push_str(&format!(
                    "<li class=\"{classes}\"><a href=\"#{}\"><span class=\"tocnumber\">{}</span> <span class=\"toctext\">{}</span></a>",
                    escape_html(&link_anchor),
                    escape_html(&numbering),
                    tocline
                ));
            }
            self.out.sections.push(Section {
                toclevel,
                level,
                line: tocline,
                number: numbering,
                index: index.clone(),
                fromtitle: fromtitle.clone(),
                byteoffset,
                anchor: anchor.clone(),
                linkanchor: link_anchor.clone(),
            });
            let editlink = if show_edit && mark.is_some() {
                let (page, section) = if is_template {
                    (
                        Title::local(0, fromtitle.clone().unwrap_or_default())
                            .dbkey
                            .clone(),
                        index.clone(),
                    )
                } else {
                    (self.title.prefixed_dbkey(self.codec), index.clone())
                };
                format!(
                    "<span class=\"mw-editsection\"><span class=\"mw-editsection-bracket\">[</span><a href=\"{}?title={}&amp;action=edit&amp;section={}\" title=\"Edit section: {}\">edit</a><span class=\"mw-editsection-bracket\">]</span></span>",
                    self.cfg.script(),
                    escape_html(&wf_urlencode(&page)),
                    escape_html(&section),
                    escape_html(&decode_char_references(&hint))
                )
            } else {
                String::new()
            };
            let fb = match &fallback_anchor {
                Some(f) if *f != anchor => format!("<span id=\"{}\"></span>", escape_html(f)),
                _ => String::new(),
            };
            heads.push(format!(
                "<h{lvl}{attrs}{fb}<span class=\"mw-headline\" id=\"{}\">{}</span>{editlink}</h{lvl}>",
                escape_html(&anchor),
                headline,
                lvl = level,
                attrs = m.attrib,
            ));
        }
        if num_visible < 1 {
            enough_toc = false;
        }
        if enough_toc {
            if prevtoclevel > 0 && prevtoclevel < max_toc_level {
                toc.push_str("</li>\n");
                for _ in 0..prevtoclevel.saturating_sub(1) {
                    toc.push_str("</ul>\n</li>\n");
                }
            }
            let list = format!(
                "<div id=\"toc\" class=\"toc\" role=\"navigation\" aria-labelledby=\"mw-toc-heading\"><input type=\"checkbox\" role=\"button\" id=\"toctogglecheckbox\" class=\"toctogglecheckbox\" style=\"display:none\" /><div class=\"toctitle\" lang=\"en\" dir=\"ltr\"><h2 id=\"mw-toc-heading\">Contents</h2><span class=\"toctogglespan\"><label class=\"toctogglelabel\" for=\"toctogglecheckbox\"></label></span></div>{toc}</ul>\n</div>\n"
            );
            self.out.show_toc = true;
            self.toc_html = Some(list);
        }
        // Reassemble: text before each heading, then the heading.
        let mut full = String::with_capacity(text.len() + heads.len() * 200);
        let mut pos = 0;
        for (k, m) in matches.iter().enumerate() {
            full.push_str(&text[pos..m.start]);
            if k == 0 && enough_toc && !self.force_toc_position {
                full.push_str("<mw:tocplace/>\n");
            }
            full.push_str(&heads[k]);
            pos = m.end;
        }
        full.push_str(&text[pos..]);
        full
    }
}

struct HeadingMatch {
    start: usize,
    end: usize,
    level: usize,
    /// The rest of the opening tag, with its `>`.
    attrib: String,
    header: String,
}

/// `<h1…>…</h1>` elements (any level closes any).
fn find_headings(text: &str) -> Vec<HeadingMatch> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i + 3 < b.len() {
        let Some(rel) = text[i..].find('<') else {
            break;
        };
        let p = i + rel;
        i = p + 1;
        if p + 2 >= b.len()
            || !(b[p + 1] == b'h' || b[p + 1] == b'H')
            || !(b'1'..=b'6').contains(&b[p + 2])
        {
            continue;
        }
        let level = (b[p + 2] - b'0') as usize;
        // attrib: .*?> on the same line
        let Some(gt) = text[p + 3..].find(['>', '\n']) else {
            continue;
        };
        if b[p + 3 + gt] != b'>' {
            continue;
        }
        let attrib = text[p + 3..p + 3 + gt + 1].to_string();
        let hstart = p + 3 + gt + 1;
        // header: up to </h[1-6] *>
        let mut k = hstart;
        let mut found = None;
        while let Some(r) = text[k..].find("</") {
            let q = k + r;
            if q + 3 < b.len()
                && (b[q + 2] == b'h' || b[q + 2] == b'H')
                && (b'1'..=b'6').contains(&b[q + 3])
            {
                let mut e = q + 4;
                while e < b.len() && b[e] == b' ' {
                    e += 1;
                }
                if e < b.len() && b[e] == b'>' {
                    found = Some((q, e + 1));
                    break;
                }
            }
            k = q + 2;
        }
        let Some((hend, end)) = found else { continue };
        out.push(HeadingMatch {
            start: p,
            end,
            level,
            attrib,
            header: text[hstart..hend].to_string(),
        });
        i = end;
    }
    out
}

fn remove_style_script(s: &str) -> String {
    let mut out = s.to_string();
    for tag in ["style", "script"] {
        while let Some(p) = find_ci(&out, &format!("<{tag}")) {
            match find_ci(&out[p..], &format!("</{tag}>")) {
                Some(e) => out.replace_range(p..p + e + tag.len() + 3, ""),
                None => break,
            }
        }
    }
    out
}

/// The TOC line: only some inline tags kept, without attributes.
fn toc_line_tags(s: &str) -> String {
    const KEEP: &[&str] = &["span", "sup", "sub", "bdi", "i", "b", "s", "strike", "q"];
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(p) = rest.find('<') {
        out.push_str(&rest[..p]);
        let Some(e) = rest[p..].find('>') else {
            out.push_str(&rest[p..]);
            rest = "";
            break;
        };
        let tag = &rest[p + 1..p + e];
        let (slash, body) = match tag.strip_prefix('/') {
            Some(b) => ("/", b),
            None => ("", tag),
        };
        let name: String = body
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect();
        let lname = name.to_ascii_lowercase();
        if KEEP.contains(&lname.as_str())
            && (body.len() == name.len() || body[name.len()..].starts_with(' '))
        {
            if lname == "span"
                && slash.is_empty()
                && (body.contains("dir=\"rtl\"") || body.contains("dir=\"ltr\""))
            {
                let dir = if body.contains("dir=\"rtl\"") {
                    "rtl"
                } else {
                    "ltr"
                };
                out.push_str(&format!("<span dir=\"{dir}\">"));
            } else if lname == "q" {
                // q is kept with its attributes stripped only by the first rule.
                out.push_str(&rest[p..p + e + 1]);
            } else {
                out.push_str(&format!("<{slash}{lname}>"));
            }
        }
        rest = &rest[p + e + 1..];
    }
    out.push_str(rest);
    out
}

fn normalize_section_ws(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut ws = false;
    for c in s.chars() {
        if c == ' ' || c == '_' {
            ws = true;
        } else {
            if ws && !out.is_empty() {
                out.push(' ');
            }
            ws = false;
            out.push(c);
        }
    }
    out
}

fn find_ci(hay: &str, needle: &str) -> Option<usize> {
    let h = hay.as_bytes();
    let n = needle.as_bytes();
    if n.is_empty() || h.len() < n.len() {
        return None;
    }
    (0..=h.len() - n.len()).find(|&i| h[i..i + n.len()].eq_ignore_ascii_case(n))
}

fn find_lt_gt(url: &str) -> Option<usize> {
    match (url.find("&lt;"), url.find("&gt;")) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

fn is_word_byte(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_' || c >= 0x80
}

/// `Sanitizer::cleanUrl`, simplified: entities decoded, spaces and controls
/// encoded.
fn clean_url(url: &str) -> String {
    let d = decode_char_references(url);
    let mut out = String::with_capacity(d.len());
    for c in d.chars() {
        match c {
            '\u{0}'..='\u{20}' | '\u{7f}' | '[' | ']' | '<' | '>' | '"' | '|' => {
                out.push_str(&format!("%{:02X}", c as u32))
            }
            c => out.push(c),
        }
    }
    out
}

fn is_image_option(o: &str) -> bool {
    matches!(
        o,
        "left"
            | "right"
            | "center"
            | "none"
            | "border"
            | "upright"
            | "baseline"
            | "sub"
            | "super"
            | "top"
            | "text-top"
            | "middle"
            | "bottom"
            | "text-bottom"
    ) || o.ends_with("px")
        || o.starts_with("link=")
        || o.starts_with("alt=")
        || o.starts_with("page=")
        || o.starts_with("upright=")
        || o.starts_with("class=")
        || o.starts_with("lang=")
}

/// Legal title characters plus `#` and `%` (the link target part of `[[…]]`).
fn is_title_char(c: char) -> bool {
    !(matches!(c, '[' | ']' | '{' | '}' | '|' | '<' | '>' | '\n')
        || (c as u32) < 0x20
        || c == '\u{7f}')
}

/// The link trail (`[[a]]bc` → label `abc`): `/^([a-z]+)(.*)$/`.
fn split_trail(trail: &str) -> (String, String) {
    let n = trail.bytes().take_while(|c| c.is_ascii_lowercase()).count();
    (trail[..n].to_string(), trail[n..].to_string())
}

/// `#REDIRECT [[Target]]` at the start: the target and the text after the link.
fn split_redirect<'t>(codec: &TitleCodec, text: &'t str) -> Option<(Title, &'t str)> {
    let target = super::redirect_target(codec, text)?;
    let close = text.find("]]")?;
    Some((target, &text[close + 2..]))
}

// ---- free-standing passes ----

/// `Sanitizer::internalRemoveHtmlTags`: allowed tags pass with clean attributes,
/// everything else is escaped. `remove` lists allowed tags to drop.
pub fn sanitize_html(text: &str, remove: &[&str]) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    let mut bits = text.split('<');
    if let Some(first) = bits.next() {
        out.push_str(&first.replace('>', "&gt;"));
    }
    for x in bits {
        let b = x.as_bytes();
        let (slash, name_start) = if b.first() == Some(&b'/') {
            ("/", 1)
        } else {
            ("", 0)
        };
        let name_len = x[name_start..]
            .find(['\t', '\n', '\u{b}', ' ', '/', '>', '\0'])
            .unwrap_or(x.len() - name_start);
        let name = &x[name_start..name_start + name_len];
        let gt = x.find('>');
        let ok_name = name.chars().next().is_some_and(|c| c.is_ascii_alphabetic());
        if let (true, Some(gt)) = (ok_name, gt) {
            let t = name.to_ascii_lowercase();
            if gt >= name_start + name_len
                && sanitize::is_allowed_tag(&t)
                && !remove.contains(&t.as_str())
            {
                let mut params = &x[name_start + name_len..gt];
                let mut brace = ">";
                if params.ends_with('/') {
                    params = &params[..params.len() - 1];
                    brace = "/>";
                }
                let rest = &x[gt + 1..];
                const SINGLE: &[&str] = &["br", "wbr", "hr", "li", "dt", "dd", "meta", "link"];
                const SINGLE_ONLY: &[&str] = &["br", "wbr", "hr", "meta", "link"];
                let brace = if brace == "/>" && !SINGLE.contains(&t.as_str()) {
                    ">".to_string()
                } else if brace == "/>" && !SINGLE_ONLY.contains(&t.as_str()) {
                    format!("></{t}>")
                } else if SINGLE_ONLY.contains(&t.as_str()) && slash.is_empty() {
                    " />".to_string()
                } else {
                    ">".to_string()
                };
                let attrs = if slash.is_empty() {
                    sanitize::fix_tag_attributes(params, &t)
                } else {
                    String::new()
                };
                out.push('<');
                out.push_str(slash);
                out.push_str(&t);
                out.push_str(&attrs);
                out.push_str(&brace);
                out.push_str(&rest.replace('>', "&gt;"));
                continue;
            }
            if remove.contains(&t.as_str()) {
                out.push_str(&x[gt + 1..].replace('>', "&gt;"));
                continue;
            }
        }
        out.push_str("&lt;");
        out.push_str(&x.replace('>', "&gt;"));
    }
    out
}

/// `----` at a line start becomes `<hr />`.
fn do_hr(text: &str) -> String {
    if !text.contains("----") {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        if line.starts_with("----") {
            let n = line.bytes().take_while(|&c| c == b'-').count();
            out.push_str("<hr />");
            out.push_str(&line[n..]);
        } else {
            out.push_str(line);
        }
    }
    out
}

/// `=…=` lines become `<hN>` (`Parser::handleHeadings`).
fn do_headings(text: &str) -> String {
    let lines: Vec<&str> = text.split('\n').collect();
    let mut out = String::with_capacity(text.len() + 32);
    let mut k = 0;
    let mut first = true;
    while k < lines.len() {
        let line = lines[k];
        k += 1;
        if !first {
            out.push('\n');
        }
        first = false;
        let mut converted = None;
        if line.starts_with('=') {
            let trimmed = line.trim_end_matches(|c: char| c.is_ascii_whitespace());
            for n in (1..=6).rev() {
                let eq = "=".repeat(n);
                if trimmed.len() > 2 * n && trimmed.starts_with(&eq) && trimmed.ends_with(&eq) {
                    let inner = &trimmed[n..trimmed.len() - n];
                    let content = inner.trim_matches(|c| c == ' ' || c == '\t');
                    let content = if content.is_empty() {
                        &inner[..1]
                    } else {
                        content
                    };
                    converted = Some(format!("<h{n}>{content}</h{n}>"));
                    break;
                }
            }
        }
        match converted {
            Some(h) => {
                out.push_str(&h);
                // `\s*$`: blank lines right after a heading are consumed up
                // to the last line break before text.
                let mut j = k;
                while j < lines.len() && lines[j].trim().is_empty() {
                    j += 1;
                }
                k = j;
            }
            None => out.push_str(line),
        }
    }
    out
}

fn handle_all_quotes(text: &str) -> String {
    if !text.contains("''") {
        return text.to_string();
    }
    text.split('\n')
        .map(do_quotes)
        .collect::<Vec<_>>()
        .join("\n")
}

/// `''italic''`, `'''bold'''` on one line (`Parser::doQuotes`).
pub fn do_quotes(text: &str) -> String {
    if !text.contains("''") {
        return text.to_string();
    }
    // Split into text and apostrophe runs (2+).
    let mut arr: Vec<String> = Vec::new();
    let b = text.as_bytes();
    let mut i = 0;
    let mut last = 0;
    while i < b.len() {
        if b[i] == b'\'' {
            let n = b[i..].iter().take_while(|&&c| c == b'\'').count();
            if n >= 2 {
                arr.push(text[last..i].to_string());
                arr.push(text[i..i + n].to_string());
                last = i + n;
            }
            i += n;
        } else {
            i += 1;
        }
    }
    arr.push(text[last..].to_string());
    let count = arr.len();
    let (mut numbold, mut numitalics) = (0, 0);
    let mut i = 1;
    while i < count {
        let len = arr[i].len();
        if len == 4 {
            arr[i - 1].push('\'');
            arr[i] = "'''".into();
        } else if len > 5 {
            arr[i - 1].push_str(&"'".repeat(len - 5));
            arr[i] = "'''''".into();
        }
        match arr[i].len() {
            2 => numitalics += 1,
            3 => numbold += 1,
            5 => {
                numitalics += 1;
                numbold += 1;
            }
            _ => {}
        }
        i += 2;
    }
    if numbold % 2 == 1 && numitalics % 2 == 1 {
        let (mut single, mut multi, mut space) = (None, None, None);
        let mut i = 1;
        while i < count {
            if arr[i].len() == 3 {
                let prev = arr[i - 1].as_bytes();
                let x1 = prev.last().copied();
                let x2 = if prev.len() >= 2 {
                    Some(prev[prev.len() - 2])
                } else {
                    None
                };
                if x1 == Some(b' ') {
                    if space.is_none() {
                        space = Some(i);
                    }
                } else if x2 == Some(b' ') {
                    single = Some(i);
                    break;
                } else if multi.is_none() {
                    multi = Some(i);
                }
            }
            i += 2;
        }
        if let Some(k) = single.or(multi).or(space) {
            arr[k] = "''".into();
            arr[k - 1].push('\'');
        }
    }
    let mut output = String::with_capacity(text.len() + 16);
    let mut buffer = String::new();
    let mut state = "";
    for (i, r) in arr.iter().enumerate() {
        if i % 2 == 0 {
            if state == "both" {
                buffer.push_str(r);
            } else {
                output.push_str(r);
            }
            continue;
        }
        match r.len() {
            2 => match state {
                "i" => {
                    output.push_str("</i>");
                    state = "";
                }
                "bi" => {
                    output.push_str("</i>");
                    state = "b";
                }
                "ib" => {
                    output.push_str("</b></i><b>");
                    state = "b";
                }
                "both" => {
                    output.push_str(&format!("<b><i>{buffer}</i>"));
                    state = "b";
                }
                "b" => {
                    output.push_str("<i>");
                    state = "bi";
                }
                _ => {
                    output.push_str("<i>");
                    state = "i";
                }
            },
            3 => match state {
                "b" => {
                    output.push_str("</b>");
                    state = "";
                }
                "bi" => {
                    output.push_str("</i></b><i>");
                    state = "i";
                }
                "ib" => {
                    output.push_str("</b>");
                    state = "i";
                }
                "both" => {
                    output.push_str(&format!("<i><b>{buffer}</b>"));
                    state = "i";
                }
                "i" => {
                    output.push_str("<b>");
                    state = "ib";
                }
                _ => {
                    output.push_str("<b>");
                    state = "b";
                }
            },
            5 => match state {
                "b" => {
                    output.push_str("</b><i>");
                    state = "i";
                }
                "i" => {
                    output.push_str("</i><b>");
                    state = "b";
                }
                "bi" => {
                    output.push_str("</i></b>");
                    state = "";
                }
                "ib" => {
                    output.push_str("</b></i>");
                    state = "";
                }
                "both" => {
                    output.push_str(&format!("<i><b>{buffer}</b></i>"));
                    state = "";
                }
                _ => {
                    buffer.clear();
                    state = "both";
                }
            },
            _ => output.push_str(r),
        }
    }
    if state == "b" || state == "ib" {
        output.push_str("</b>");
    }
    if state == "i" || state == "bi" || state == "ib" {
        output.push_str("</i>");
    }
    if state == "bi" {
        output.push_str("</b>");
    }
    if state == "both" && !buffer.is_empty() {
        output.push_str(&format!("<b><i>{buffer}</i></b>"));
    }
    output
}

/// Wiki tables (`Parser::handleTables`), with `<tbody>` as tidying adds it.
fn do_tables(text: &str) -> String {
    if !text.contains("{|") {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len() + 64);
    let mut td_history: Vec<bool> = Vec::new();
    let mut last_tag_history: Vec<String> = Vec::new();
    let mut tr_history: Vec<bool> = Vec::new();
    let mut tr_attributes: Vec<String> = Vec::new();
    let mut has_opened_tr: Vec<bool> = Vec::new();
    let mut tbody: Vec<bool> = Vec::new();
    let mut indent_level = 0;
    for out_line in text.split('\n') {
        let line = out_line.trim();
        if line.is_empty() {
            out.push_str(out_line);
            out.push('\n');
            continue;
        }
        let first = line.as_bytes()[0];
        let first_two = line.get(..2).unwrap_or("");
        let colons = line.bytes().take_while(|&c| c == b':').count();
        let after_colons = line[colons..].trim_start();
        let mut out_line = out_line.to_string();
        if let Some(attrs) = after_colons.strip_prefix("{|") {
            indent_level = colons;
            let a = sanitize::fix_tag_attributes(attrs, "table");
            out_line = format!("{}<table{a}>", "<dl><dd>".repeat(indent_level));
            td_history.push(false);
            last_tag_history.push(String::new());
            tr_history.push(false);
            tr_attributes.push(String::new());
            has_opened_tr.push(false);
            tbody.push(false);
        } else if td_history.is_empty() {
            out.push_str(&out_line);
            out.push('\n');
            continue;
        } else if first_two == "|}" {
            let had_tbody = tbody.pop().unwrap_or(false);
            let mut l = format!("</tbody></table>{}", &line[2..]);
            let last_tag = last_tag_history.pop().unwrap_or_default();
            if !has_opened_tr.pop().unwrap_or(false) {
                l = if had_tbody {
                    format!("<tr><td></td></tr>{l}")
                } else {
                    format!("<tbody><tr><td></td></tr>{l}")
                };
            }
            if tr_history.pop().unwrap_or(false) {
                l = format!("</tr>{l}");
            }
            if td_history.pop().unwrap_or(false) {
                l = format!("</{last_tag}>{l}");
            }
            tr_attributes.pop();
            out_line = if indent_level > 0 {
                format!("{}{}", l.trim_end(), "</dd></dl>".repeat(indent_level))
            } else {
                l
            };
        } else if first_two == "|-" {
            let rest = line.trim_start_matches('|').trim_start_matches('-');
            let rest = &line[line.len() - rest.len()..];
            let a = sanitize::fix_tag_attributes(rest, "tr");
            tr_attributes.pop();
            tr_attributes.push(a);
            let mut l = String::new();
            let last_tag = last_tag_history.pop().unwrap_or_default();
            has_opened_tr.pop();
            has_opened_tr.push(true);
            if tr_history.pop().unwrap_or(false) {
                l = format!("</tr>{l}");
            }
            if td_history.pop().unwrap_or(false) {
                l = format!("</{last_tag}>{l}");
            }
            out_line = l;
            tr_history.push(false);
            td_history.push(false);
            last_tag_history.push(String::new());
        } else if first == b'|' || first == b'!' || first_two == "|+" {
            let (kind, body) = if first_two == "|+" {
                ('+', &line[2..])
            } else {
                (first as char, &line[1..])
            };
            let body = if kind == '!' {
                body.replace("!!", "||")
            } else {
                body.to_string()
            };
            let mut o = String::new();
            for cell in body.split("||") {
                let mut previous = String::new();
                if kind != '+' {
                    let tr_after = tr_attributes.pop().unwrap_or_default();
                    if !tr_history.pop().unwrap_or(false) {
                        let tb = tbody.last_mut().map(|t| std::mem::replace(t, true));
                        previous = if tb == Some(false) {
                            format!("<tbody><tr{tr_after}>\n")
                        } else {
                            format!("<tr{tr_after}>\n")
                        };
                    }
                    tr_history.push(true);
                    tr_attributes.push(String::new());
                    has_opened_tr.pop();
                    has_opened_tr.push(true);
                }
                let last_tag = last_tag_history.pop().unwrap_or_default();
                if td_history.pop().unwrap_or(false) {
                    previous = format!("</{last_tag}>\n{previous}");
                }
                let tag = match kind {
                    '|' => "td",
                    '!' => "th",
                    _ => "caption",
                };
                last_tag_history.push(tag.to_string());
                let cell_data: Vec<&str> = cell.splitn(2, '|').collect();
                let c = if cell_data[0].contains("[[")
                    || cell_data[0].contains("-{")
                    || cell_data.len() == 1
                {
                    format!("{previous}<{tag}>{}", cell.trim())
                } else {
                    let a = sanitize::fix_tag_attributes(cell_data[0], tag);
                    format!("{previous}<{tag}{a}>{}", cell_data[1].trim())
                };
                o.push_str(&c);
                td_history.push(true);
            }
            out_line = o;
        }
        out.push_str(&out_line);
        out.push('\n');
    }
    while let Some(td) = td_history.pop() {
        if td {
            out.push_str(&format!(
                "</{}>\n",
                last_tag_history
                    .last()
                    .cloned()
                    .unwrap_or_else(|| "td".into())
            ));
        }
        last_tag_history.pop();
        if tr_history.pop().unwrap_or(false) {
            out.push_str("</tr>\n");
        }
        let had_tbody = tbody.pop().unwrap_or(false);
        if !has_opened_tr.pop().unwrap_or(false) {
            out.push_str(if had_tbody {
                "<tr><td></td></tr>\n"
            } else {
                "<tbody><tr><td></td></tr>\n"
            });
        }
        out.push_str("</tbody></table>\n");
    }
    if out.ends_with('\n') {
        out.pop();
    }
    out
}

// ---- paragraphs and lists ----

fn open_list(c: u8, dt_open: &mut bool) -> &'static str {
    match c {
        b'*' => "<ul><li>",
        b'#' => "<ol><li>",
        b':' => "<dl><dd>",
        b';' => {
            *dt_open = true;
            "<dl><dt>"
        }
        _ => "<!-- ERR 1 -->",
    }
}

fn next_item(c: u8, dt_open: &mut bool) -> String {
    match c {
        b'*' | b'#' => "</li>\n<li>".into(),
        b':' | b';' => {
            let close = if *dt_open { "</dt>\n" } else { "</dd>\n" };
            if c == b';' {
                *dt_open = true;
                format!("{close}<dt>")
            } else {
                *dt_open = false;
                format!("{close}<dd>")
            }
        }
        _ => "<!-- ERR 2 -->".into(),
    }
}

fn close_list(c: u8, dt_open: &mut bool) -> &'static str {
    match c {
        b'*' => "</li></ul>",
        b'#' => "</li></ol>",
        b':' => {
            if *dt_open {
                *dt_open = false;
                "</dt></dl>"
            } else {
                "</dd></dl>"
            }
        }
        _ => "<!-- ERR 3 -->",
    }
}

/// `BlockLevelPass::findColonNoLinks`, simplified: the first `:` outside tags.
fn find_colon_no_links(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    let mut depth = 0i32;
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b':' if depth == 0 => return Some(i),
            b'<' => {
                if s[i..].starts_with("<!--") {
                    match s[i..].find("-->") {
                        Some(e) => {
                            i += e + 3;
                            continue;
                        }
                        None => return None,
                    }
                }
                let close = b.get(i + 1) == Some(&b'/');
                let e = s[i..].find('>')?;
                let selfclose = e > 0 && b[i + e - 1] == b'/';
                if close {
                    if depth > 0 {
                        depth -= 1;
                    }
                } else if !selfclose {
                    depth += 1;
                }
                i += e + 1;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    None
}

fn has_tag(t: &str, names: &[&str], closing: Option<bool>) -> bool {
    let lower = t.to_ascii_lowercase();
    let b = lower.as_bytes();
    let mut i = 0;
    while let Some(rel) = lower[i..].find('<') {
        let p = i + rel;
        i = p + 1;
        let (is_close, start) = if b.get(p + 1) == Some(&b'/') {
            (true, p + 2)
        } else {
            (false, p + 1)
        };
        for n in names {
            let (want_close, name) = match n.strip_prefix('/') {
                Some(x) => (Some(true), x),
                None => (closing, *n),
            };
            if let Some(wc) = want_close {
                if wc != is_close {
                    continue;
                }
            }
            if lower[start..].starts_with(name) {
                let after = b.get(start + name.len()).copied();
                let boundary = name.ends_with(':')
                    || after.is_none_or(|c| !(c.is_ascii_alphanumeric() || c == b'_'));
                if boundary {
                    return true;
                }
            }
        }
    }
    false
}

/// Paragraphs, lists, indented `<pre>` (`BlockLevelPass`).
fn block_levels(text: &str) -> String {
    let lines: Vec<&str> = text.split('\n').collect();
    let mut output = String::with_capacity(text.len() + text.len() / 8);
    let mut last_prefix = String::new();
    let mut dt_open = false;
    let mut in_block_elem = false;
    let mut prefix_length = 0usize;
    let mut pending_p: Option<&'static str> = None;
    let mut in_blockquote = false;
    let mut in_pre = false;
    let mut last_paragraph = "";
    let mut prefix = String::new();
    let mut prefix2 = String::new();
    let n = lines.len();
    let close_paragraph = |last_paragraph: &mut &str, in_pre: &mut bool, at_end: bool| -> String {
        let mut r = String::new();
        if !last_paragraph.is_empty() {
            r = format!("</{}>", last_paragraph);
            if !at_end {
                r.push('\n');
            }
        }
        *in_pre = false;
        *last_paragraph = "";
        r
    };
    for (idx, input_line) in lines.iter().enumerate() {
        let not_last = idx + 1 < n;
        let last_prefix_length = last_prefix.len();
        let lower = input_line.to_ascii_lowercase();
        let pre_close = lower.contains("</pre");
        let pre_open = lower.contains("<pre");
        let mut t: String;
        if !in_pre {
            prefix_length = input_line
                .bytes()
                .take_while(|c| matches!(c, b'*' | b'#' | b':' | b';'))
                .count();
            prefix = input_line[..prefix_length].to_string();
            prefix2 = prefix.replace(';', ":");
            t = input_line[prefix_length..].to_string();
            in_pre = pre_open;
        } else {
            prefix_length = 0;
            prefix.clear();
            prefix2.clear();
            t = input_line.to_string();
        }
        if prefix_length > 0 && last_prefix == prefix2 {
            let c = *prefix.as_bytes().last().unwrap_or(&b'*');
            output.push_str(&next_item(c, &mut dt_open));
            pending_p = None;
            if c == b';' {
                if let Some(p) = find_colon_no_links(&t) {
                    let term = t[..p].trim().to_string();
                    let rest = t[p + 1..].to_string();
                    output.push_str(&term);
                    output.push_str(&next_item(b':', &mut dt_open));
                    t = rest;
                }
            }
        } else if prefix_length > 0 || last_prefix_length > 0 {
            let pb = prefix.as_bytes().to_vec();
            let lb = last_prefix.as_bytes().to_vec();
            let mut common = pb.iter().zip(lb.iter()).take_while(|(a, b)| a == b).count();
            pending_p = None;
            let mut lpl = last_prefix_length;
            while common < lpl {
                output.push_str(close_list(lb[lpl - 1], &mut dt_open));
                lpl -= 1;
            }
            if prefix_length <= common && common > 0 {
                output.push_str(&next_item(pb[common - 1], &mut dt_open));
            }
            if dt_open && common > 0 && pb[common - 1] == b':' {
                output.push_str(&next_item(b':', &mut dt_open));
            }
            if !last_prefix.is_empty() && prefix_length > common {
                output.push('\n');
            }
            while prefix_length > common {
                let c = pb[common];
                let cp = close_paragraph(&mut last_paragraph, &mut in_pre, false);
                output.push_str(&cp);
                output.push_str(open_list(c, &mut dt_open));
                if c == b';' {
                    if let Some(p) = find_colon_no_links(&t) {
                        let term = t[..p].trim().to_string();
                        let rest = t[p + 1..].to_string();
                        output.push_str(&term);
                        output.push_str(&next_item(b':', &mut dt_open));
                        t = rest;
                    }
                }
                common += 1;
            }
            if prefix_length == 0 && !last_prefix.is_empty() {
                output.push('\n');
            }
            last_prefix = prefix2.clone();
        }
        if prefix_length == 0 {
            let open_match = has_tag(
                &t,
                &[
                    "table", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "p", "ul", "ol", "dl",
                    "/td", "/th", "tr", "caption", "dt", "dd", "li", "/tr", "/caption", "/dt",
                    "/dd", "/li",
                ],
                Some(false),
            );
            let close_match = has_tag(
                &t,
                &[
                    "/table",
                    "/h1",
                    "/h2",
                    "/h3",
                    "/h4",
                    "/h5",
                    "/h6",
                    "/pre",
                    "/p",
                    "/ul",
                    "/ol",
                    "/dl",
                    "td",
                    "th",
                    "center",
                    "blockquote",
                    "div",
                    "hr",
                    "mw:",
                    "aside",
                    "figure",
                    "/center",
                    "/blockquote",
                    "/div",
                    "/hr",
                    "/mw:",
                    "/aside",
                    "/figure",
                ],
                Some(false),
            );
            if open_match || close_match {
                pending_p = None;
                if !in_pre || pre_open {
                    let cp = close_paragraph(&mut last_paragraph, &mut in_pre, false);
                    output.push_str(&cp);
                }
                if pre_open && !pre_close {
                    in_pre = true;
                }
                let lt = t.to_ascii_lowercase();
                let mut off = 0;
                while let Some(p) = lt[off..].find("blockquote") {
                    let at = off + p;
                    if at >= 1 && lt.as_bytes()[at - 1] == b'<' {
                        in_blockquote = true;
                    } else if at >= 2 && &lt[at - 2..at] == "</" {
                        in_blockquote = false;
                    }
                    off = at + 10;
                }
                in_block_elem = !close_match;
            } else if !in_block_elem && !in_pre {
                if t.starts_with(' ')
                    && (last_paragraph == "pre" || !t.trim().is_empty())
                    && !in_blockquote
                {
                    if last_paragraph != "pre" {
                        pending_p = None;
                        let cp = close_paragraph(&mut last_paragraph, &mut in_pre, false);
                        output.push_str(&cp);
                        output.push_str("<pre>");
                        last_paragraph = "pre";
                    }
                    t = t[1..].to_string();
                } else if is_style_link_line(&t) {
                    if pending_p.is_some() {
                        let cp = close_paragraph(&mut last_paragraph, &mut in_pre, false);
                        output.push_str(&cp);
                        pending_p = None;
                    }
                } else if t.trim().is_empty() {
                    if let Some(pp) = pending_p {
                        output.push_str(pp);
                        output.push_str("<br />");
                        pending_p = None;
                        last_paragraph = "p";
                    } else if last_paragraph != "p" {
                        let cp = close_paragraph(&mut last_paragraph, &mut in_pre, false);
                        output.push_str(&cp);
                        pending_p = Some("<p>");
                    } else {
                        pending_p = Some("</p><p>");
                    }
                } else if let Some(pp) = pending_p {
                    output.push_str(pp);
                    pending_p = None;
                    last_paragraph = "p";
                } else if last_paragraph != "p" {
                    let cp = close_paragraph(&mut last_paragraph, &mut in_pre, false);
                    output.push_str(&cp);
                    output.push_str("<p>");
                    last_paragraph = "p";
                }
            }
        }
        if pre_close && in_pre {
            in_pre = false;
        }
        if pending_p.is_none() {
            if prefix_length == 0 {
                output.push_str(&t);
                if not_last || !last_paragraph.is_empty() {
                    output.push('\n');
                }
            } else {
                output.push_str(t.trim());
            }
        }
    }
    let pb = prefix2.as_bytes().to_vec();
    while prefix_length > 0 {
        output.push_str(close_list(pb[prefix_length - 1], &mut dt_open));
        prefix_length -= 1;
        if prefix_length == 0 && !last_paragraph.is_empty() {
            output.push('\n');
        }
    }
    let cp = close_paragraph(&mut last_paragraph, &mut in_pre, true);
    output.push_str(&cp);
    output
}

const INLINE_TAGS: &[&str] = &[
    "a", "abbr", "b", "bdi", "bdo", "big", "br", "cite", "code", "data", "del", "dfn", "em",
    "font", "i", "img", "input", "ins", "kbd", "label", "mark", "q", "rp", "rt", "ruby", "s",
    "samp", "small", "span", "strike", "strong", "sub", "sup", "time", "tt", "u", "var", "wbr",
];
const VOID_TAGS: &[&str] = &["br", "wbr", "hr", "img", "input", "meta", "link"];

/// Wraps inline content that sits directly in the body in `<p>` (what HTML
/// tidying does after block elements such as a template's `<div>`).
fn p_wrap(html: &str) -> String {
    let b = html.as_bytes();
    let mut out = String::with_capacity(html.len() + 16);
    let mut depth: usize = 0;
    let mut open_p = false;
    let mut i = 0;
    let mut text_start = 0;
    let flush_text = |out: &mut String, open_p: &mut bool, depth: usize, t: &str| {
        if t.is_empty() {
            return;
        }
        if depth == 0 && !*open_p && !t.trim().is_empty() {
            let lead = t.len() - t.trim_start().len();
            out.push_str(&t[..lead]);
            out.push_str("<p>");
            *open_p = true;
            out.push_str(&t[lead..]);
        } else {
            out.push_str(t);
        }
    };
    while i < b.len() {
        if b[i] != b'<' {
            i += 1;
            continue;
        }
        let Some(e) = html[i..].find('>') else { break };
        let tag = &html[i + 1..i + e];
        let (closing, body) = match tag.strip_prefix('/') {
            Some(x) => (true, x),
            None => (false, tag),
        };
        let name: String = body
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        if name.is_empty() {
            // A comment or stray '<': leave as text.
            i += 1;
            continue;
        }
        flush_text(&mut out, &mut open_p, depth, &html[text_start..i]);
        let inline = INLINE_TAGS.contains(&name.as_str());
        let void = VOID_TAGS.contains(&name.as_str()) || body.ends_with('/');
        if depth == 0 && !closing {
            if inline && !open_p {
                out.push_str("<p>");
                open_p = true;
            } else if !inline && open_p {
                out.push_str("</p>");
                open_p = false;
            }
        }
        out.push_str(&html[i..i + e + 1]);
        if !void {
            if closing {
                depth = depth.saturating_sub(1);
            } else {
                depth += 1;
            }
        }
        i += e + 1;
        text_start = i;
    }
    flush_text(&mut out, &mut open_p, depth, &html[text_start..]);
    if open_p {
        out.push_str("</p>");
    }
    out
}

/// Bare `&` not starting a character reference becomes `&amp;` (as HTML
/// tidying does).
fn fix_ampersands(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len() + 16);
    let mut rest = s;
    while let Some(p) = rest.find('&') {
        out.push_str(&rest[..p]);
        if sanitize::entity_len(&rest[p..]).is_some() {
            out.push('&');
        } else {
            out.push_str("&amp;");
        }
        rest = &rest[p + 1..];
    }
    out.push_str(rest);
    out
}

fn is_style_link_line(t: &str) -> bool {
    let l = t.trim().to_ascii_lowercase();
    (l.starts_with("<link") && l.ends_with('>') && l.matches('<').count() == 1)
        || (l.starts_with("<style") && l.ends_with("</style>"))
}
