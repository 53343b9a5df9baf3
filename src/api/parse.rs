//! `action=parse`: renders a page, a revision or given text, and reports what
//! the parse found (links, templates, categories, sections, …).
//! https://www.mediawiki.org/wiki/API:Parse (mirrors includes/api/ApiParse.php)

use crate::api::error::{ApiError, ApiResult};
use crate::api::message::Msg;
use crate::api::params::{ParamDef, Params};
use crate::api::query::pageset::escape_wikitext;
use crate::api::result::{List, Map, Val};
use crate::api::{CacheMode, Cx, Group, ModuleDef};
use crate::storage::links::CachedParse;
use crate::wiki::parser::{self, ParseOutput};
use crate::wiki::title::Title;

const PROPS: &[&str] = &[
    "categories",
    "categorieshtml",
    "displaytitle",
    "encodedjsconfigvars",
    "externallinks",
    "headhtml",
    "images",
    "indicators",
    "iwlinks",
    "jsconfigvars",
    "langlinks",
    "limitreportdata",
    "limitreporthtml",
    "links",
    "modules",
    "parsetree",
    "parsewarnings",
    "parsewarningshtml",
    "properties",
    "revid",
    "sections",
    "subtitle",
    "templates",
    "text",
    "wikitext",
    "headitems",
];

static PARAMS: &[ParamDef] = &[
    ParamDef::string("title").help(
        "The page the text is rendered as if it were on. When left out the title API is \
         assumed and contentmodel has to be set.",
    ),
    ParamDef::text("text").help("The text to render; title or contentmodel decides its content model."),
    ParamDef::integer("revid").help("A revision ID that {{REVISIONID}} and related magic words report while rendering."),
    ParamDef::string("summary").help("An edit summary to turn into HTML, instead of page text."),
    ParamDef::string("page").help("Render the latest revision of the page with this title. Not allowed together with text or title."),
    ParamDef::integer("pageid").help("Like page, but the page is chosen by its ID."),
    ParamDef::boolean("redirects").help("Follow a redirect named by page or pageid and render the page it points to."),
    ParamDef::integer("oldid").help("Render this particular old revision instead of a page's latest one."),
    ParamDef::enumeration("prop", PROPS)
        .multi()
        .default("text|langlinks|categories|links|templates|images|externallinks|sections|revid|displaytitle|iwlinks|properties|parsewarnings")
        .deprecated_values(&["headitems"])
        .help("The parts of the parser output to return."),
    ParamDef::string("wrapoutputclass")
        .default("mw-parser-output")
        .help("The class name given to the element that encloses the rendered HTML."),
    ParamDef::boolean("pst").help("Run the pre-save transform (signatures, subst: and the like) over the text first."),
    ParamDef::boolean("onlypst").help("Return the text as the pre-save transform leaves it, without rendering it."),
    ParamDef::boolean("effectivelanglinks")
        .deprecated()
        .help("Old switch asking for interlanguage links that extensions add as well."),
    ParamDef::string("section").help("Render a single section, given by its number, or new to treat the text as an added section."),
    ParamDef::string("sectiontitle").help("The heading of the added section when section is new."),
    ParamDef::boolean("disablepp")
        .deprecated()
        .help("Old name of disablelimitreport."),
    ParamDef::boolean("disablelimitreport").help("Leave the limit report out of the HTML."),
    ParamDef::boolean("disableeditsection").help("Leave the section edit links out of the HTML."),
    ParamDef::boolean("disablestylededuplication").help("Keep every inline stylesheet, even repeated ones."),
    ParamDef::boolean("showstrategykeys").help("Add to jsconfigvars the internal keys that say how values get merged."),
    ParamDef::boolean("generatexml")
        .deprecated()
        .help("Old way to ask for the preprocessor tree; prop=parsetree replaces it."),
    ParamDef::boolean("preview").help("Render the text the way an edit preview would."),
    ParamDef::boolean("sectionpreview").help("Render it as the preview of one section; this turns on preview as well."),
    ParamDef::boolean("disabletoc").help("Leave the table of contents out of the output."),
    ParamDef::enumeration("useskin", &["apioutput", "fallback", "vector", "vector-2022"])
        .help("The skin the rendered output is meant for."),
    ParamDef::enumeration(
        "contentformat",
        &[
            "application/json", "application/octet-stream", "application/unknown",
            "application/x-binary", "text/css", "text/javascript", "text/plain",
            "text/unknown", "text/x-wiki", "unknown/unknown",
        ],
    )
    .help("How the text given in text is serialised."),
    ParamDef::enumeration("contentmodel", &["css", "javascript", "json", "text", "unknown", "wikitext"])
        .help("The content model of the text given in text; by default that of title."),
];

pub static PARSE: ModuleDef = ModuleDef {
    summary: "Render wikitext, a page or a revision to HTML and report what the parser found.",
    params: PARAMS,
    cache_mode: CacheMode::AnonPublicUserPrivate,
    help_urls: &["https://www.mediawiki.org/wiki/Special:MyLanguage/API:Parsing_wikitext#parse"],
    examples: &[
        (
            "action=parse&page=Project:Sandbox",
            "Render the project sandbox page.",
        ),
        (
            "action=parse&text={{Project:Sandbox}}&contentmodel=wikitext",
            "Render a bit of wikitext that transcludes the sandbox.",
        ),
        (
            "action=parse&text={{PAGENAME}}&title=Test",
            "Render {{PAGENAME}} as if the text were on the page Test.",
        ),
        (
            "action=parse&summary=Some+[[link]]&prop=",
            "Render an edit summary that contains a link.",
        ),
    ],
    execute: Some(execute),
    ..ModuleDef::new("parse", Group::Action, "ApiParse")
};

fn require_max_one(p: &Params, names: &[&str]) -> ApiResult<()> {
    let given: Vec<&str> = PARAMS
        .iter()
        .map(|d| d.name)
        .filter(|n| names.contains(n) && p.given(n))
        .collect();
    if given.len() > 1 {
        return Err(ApiError::invalid_param_mix(&given));
    }
    Ok(())
}

/// The text of section `section` (`0`, `1`, …) of `text`, `None` when absent.
pub fn section_text(cx: &Cx<'_>, title: &Title, text: &str, section: &str) -> Option<String> {
    let n: usize = section.parse().ok()?;
    let mut src = parser::MapSource::default();
    let out = parser::parse(
        &parser::ParserConfig::from_app(cx.app),
        &cx.app.titles,
        title,
        text,
        &mut src,
        parser::ParseOptions::default(),
    );
    let own: Vec<&parser::Section> = out
        .sections
        .iter()
        .filter(|s| !s.index.starts_with("T-") && s.byteoffset.is_some())
        .collect();
    let char_to_byte = |c: usize| {
        text.char_indices()
            .nth(c)
            .map(|(b, _)| b)
            .unwrap_or(text.len())
    };
    if n == 0 {
        let end = own
            .first()
            .and_then(|s| s.byteoffset)
            .map(char_to_byte)
            .unwrap_or(text.len());
        return Some(text[..end].trim_end().to_string());
    }
    let pos = own.iter().position(|s| s.index == n.to_string())?;
    let start = char_to_byte(own[pos].byteoffset?);
    let level = own[pos].level;
    let end = own[pos + 1..]
        .iter()
        .find(|s| s.level <= level)
        .and_then(|s| s.byteoffset)
        .map(char_to_byte)
        .unwrap_or(text.len());
    Some(text[start..end].trim_end().to_string())
}

fn execute(cx: &mut Cx<'_>, p: &Params) -> ApiResult<()> {
    cx.cache_mode = CacheMode::AnonPublicUserPrivate;
    require_max_one(p, &["page", "pageid", "oldid", "text"])?;
    require_max_one(p, &["page", "pageid", "oldid", "title"])?;
    require_max_one(p, &["page", "pageid", "oldid", "revid"])?;
    let props: Vec<String> = p.list("prop").to_vec();
    let has = |n: &str| props.iter().any(|x| x == n);
    let section = p.str("section").map(|s| s.to_string());
    if let Some(s) = &section {
        let ok = s == "new" || {
            let d = s.strip_prefix("T-").unwrap_or(s);
            !d.is_empty() && d.chars().all(|c| c.is_ascii_digit())
        };
        if !ok {
            return Err(ApiError::msg(Msg::new("apierror-invalidsection")));
        }
    }
    let codec = &cx.app.titles;
    let mut redirects: Option<List> = None;
    let mut revid_out: Option<i64> = None;
    let title: Title;
    let pageid: i64;
    let source_text: String;
    let out: ParseOutput;
    let by_page = p.given("oldid") || p.given("pageid") || p.given("page");
    if by_page {
        if section.as_deref() == Some("new") {
            return Err(ApiError::coded(
                "invalidparammix",
                Msg::new("apierror-invalidparammix-parse-new-section"),
            ));
        }
        let mut r = cx.app.store.read().map_err(ApiError::internal)?;
        let (row, text, is_latest) = if let Some(oldid) = p.int("oldid") {
            let Some((page_id, text)) = r.revision_text(oldid).map_err(ApiError::internal)? else {
                return Err(ApiError::msg(Msg::new("apierror-nosuchrevid").p(oldid)));
            };
            let row = r
                .pages_by_ids(&[page_id])
                .map_err(ApiError::internal)?
                .into_iter()
                .next()
                .ok_or_else(|| ApiError::msg(Msg::new("apierror-nosuchrevid").p(oldid)))?;
            revid_out = Some(oldid);
            let latest = row.latest == oldid;
            (row, text, latest)
        } else {
            let mut found = if let Some(id) = p.int("pageid") {
                match r.page_with_text_by_id(id).map_err(ApiError::internal)? {
                    Some(x) => x,
                    None => return Err(ApiError::msg(Msg::new("apierror-nosuchpageid").p(id))),
                }
            } else {
                let name = p.str("page").unwrap_or_default();
                let t = codec.parse(name, 0).map_err(|_| {
                    ApiError::msg(Msg::new("apierror-invalidtitle").p(escape_wikitext(name)))
                })?;
                if !t.interwiki.is_empty() || t.ns < 0 {
                    return Err(ApiError::msg(Msg::new("apierror-missingtitle")));
                }
                match r
                    .page_with_text(t.ns, &t.dbkey)
                    .map_err(ApiError::internal)?
                {
                    Some(x) => x,
                    None => return Err(ApiError::msg(Msg::new("apierror-missingtitle"))),
                }
            };
            if p.flag("redirects") && found.0.is_redirect {
                if let Some(target) = parser::redirect_target(codec, &found.1) {
                    let from = Title::local(found.0.ns, found.0.title.clone());
                    let mut entry = Map::new()
                        .with("from", from.prefixed_text(codec))
                        .with("to", target.prefixed_text(codec));
                    if !target.fragment.is_empty() {
                        entry.set("tofragment", target.fragment.as_str());
                    }
                    redirects = Some(List::of("r", [entry]));
                    if let Some(t) = r
                        .page_with_text(target.ns, &target.dbkey)
                        .map_err(ApiError::internal)?
                    {
                        found = t;
                    } else {
                        return Err(ApiError::msg(Msg::new("apierror-missingtitle")));
                    }
                }
            }
            if has("revid") {
                revid_out = Some(found.0.latest);
            }
            (found.0, found.1, true)
        };
        drop(r);
        title = Title::local(row.ns, row.title.clone());
        pageid = row.id;
        let text = match &section {
            Some(s) => section_text(cx, &title, &text, s).ok_or_else(|| {
                let what = if p.given("oldid") {
                    format!("revision {}", p.int("oldid").unwrap_or(0))
                } else {
                    format!("page ID {}", row.id)
                };
                ApiError::coded(
                    "nosuchsection",
                    Msg::new("apierror-nosuchsection-what").p(s.clone()).p(what),
                )
            })?,
            None => text,
        };
        source_text = text.clone();
        out = if section.is_none() && is_latest && row.content_model == "wikitext" {
            cached_or_parse(cx, &row, &title, &text)?
        } else {
            parse_with_store(cx, &title, &text, &row.content_model)?
        };
    } else {
        let title_given = p.given("title");
        let name = p.str("title").unwrap_or("API").to_string();
        let t = codec
            .parse(&name, 0)
            .ok()
            .filter(|t| t.interwiki.is_empty());
        let Some(t) = t else {
            return Err(ApiError::msg(
                Msg::new("apierror-invalidtitle").p(escape_wikitext(&name)),
            ));
        };
        title = Title {
            fragment: String::new(),
            ..t
        };
        let text_given = p.given("text");
        if !text_given && title_given && !props.is_empty() {
            if p.given("revid") {
                cx.warn(
                    "parse-revidwithouttext",
                    Msg::new("apiwarn-parse-revidwithouttext"),
                );
            } else {
                cx.warn(
                    "parse-titlewithouttext",
                    Msg::new("apiwarn-parse-titlewithouttext"),
                );
            }
        }
        let model = match p.str("contentmodel") {
            Some(m) => m.to_string(),
            None if text_given && !title_given => {
                cx.warn(
                    "parse-nocontentmodel",
                    Msg::new("apiwarn-parse-nocontentmodel").p("wikitext"),
                );
                "wikitext".to_string()
            }
            None => default_model(&title),
        };
        let mut text = p.str("text").unwrap_or_default().to_string();
        if let Some(s) = &section {
            if s == "new" {
                if let Some(st) = p.str("sectiontitle") {
                    text = format!("== {st} ==\n\n{text}");
                }
            } else {
                text = section_text(cx, &title, &text, s).ok_or_else(|| {
                    ApiError::coded(
                        "nosuchsection",
                        Msg::new("apierror-nosuchsection-what")
                            .p(s.clone())
                            .p(title.prefixed_text(codec)),
                    )
                })?;
            }
        }
        pageid = if title.ns >= 0 {
            let mut r = cx.app.store.read().map_err(ApiError::internal)?;
            r.pages_by_titles(&[(title.ns, title.dbkey.clone())])
                .map_err(ApiError::internal)?
                .first()
                .map(|p| p.id)
                .unwrap_or(0)
        } else {
            0
        };
        if let Some(rv) = p.int("revid") {
            revid_out = Some(rv);
        }
        source_text = text.clone();
        out = parse_with_store(cx, &title, &text, &model)?;
    }
    if p.flag("onlypst") {
        let mut m = Map::new();
        put_text(cx, &mut m, "text", &source_text);
        if has("wikitext") {
            put_text(cx, &mut m, "wikitext", &source_text);
        }
        cx.result.set("parse", m);
        return Ok(());
    }

    let mut m = Map::new();
    m.set("title", title.prefixed_text(codec));
    m.set("pageid", pageid);
    if let Some(rv) = revid_out {
        m.set("revid", rv);
    }
    if let Some(r) = redirects {
        m.set("redirects", r);
    }
    if has("text") {
        let html = finish_html(
            &out.html,
            p.str("wrapoutputclass").unwrap_or("mw-parser-output"),
            p.flag("disableeditsection"),
            p.flag("disabletoc"),
        );
        put_text(cx, &mut m, "text", &html);
    }
    if has("langlinks") {
        let mut l = List::new("ll");
        for (lang, t) in &out.language_links {
            let mut e = Map::new().with("lang", lang.as_str());
            e.set_content("title", t.as_str());
            l.push(e);
        }
        m.set("langlinks", l);
    }
    if has("categories") {
        let cats = category_entries(cx, &out)?;
        m.set("categories", cats);
    }
    if has("links") {
        m.set("links", link_entries(cx, &out.links, "pl"));
    }
    if has("templates") {
        m.set("templates", link_entries(cx, &out.templates, "tl"));
    }
    if has("images") {
        m.set(
            "images",
            List::of("img", out.images.iter().map(|s| Val::str(s.clone()))),
        );
    }
    if has("externallinks") {
        m.set(
            "externallinks",
            List::of("el", out.external_links.iter().map(|s| Val::str(s.clone()))),
        );
    }
    if has("sections") {
        let mut l = List::new("s");
        for s in &out.sections {
            let mut e = Map::new()
                .with("toclevel", s.toclevel)
                .with("level", s.level.to_string())
                .with("line", s.line.as_str())
                .with("number", s.number.as_str())
                .with("index", s.index.as_str());
            match &s.fromtitle {
                Some(f) => e.set("fromtitle", f.as_str()),
                None => e.set("fromtitle", Val::RealBool(false)),
            };
            if let Some(b) = s.byteoffset {
                e.set("byteoffset", b);
            }
            e.set("anchor", s.anchor.as_str());
            l.push(e);
        }
        m.set("sections", l);
        m.set("showtoc", out.show_toc && !p.flag("disabletoc"));
    }
    if has("parsewarnings") {
        m.set(
            "parsewarnings",
            List::of("pw", out.warnings.iter().map(|s| Val::str(s.clone()))),
        );
    }
    if has("parsewarningshtml") {
        m.set(
            "parsewarningshtml",
            List::of("pw", out.warnings.iter().map(|s| Val::str(s.clone()))),
        );
    }
    if has("displaytitle") {
        m.set("displaytitle", out.display_title(codec, &title));
    }
    if has("iwlinks") {
        let mut l = List::new("iw");
        let iw = {
            let mut r = cx.app.store.read().map_err(ApiError::internal)?;
            r.interwikis().map_err(ApiError::internal)?
        };
        for (prefix, t) in &out.interwiki_links {
            let mut e = Map::new().with("prefix", prefix.as_str());
            if let Some(entry) = iw.iter().find(|i| i.prefix.eq_ignore_ascii_case(prefix)) {
                e.set(
                    "url",
                    entry
                        .url
                        .replace("$1", &crate::api::query::pageset::wf_urlencode(t)),
                );
            }
            e.set_content("title", format!("{prefix}:{}", t.replace('_', " ")));
            l.push(e);
        }
        m.set("iwlinks", l);
    }
    if has("wikitext") {
        put_text(cx, &mut m, "wikitext", &source_text);
    }
    if has("properties") {
        if cx.fv2 {
            let mut pm = Map::new();
            for (k, v) in &out.properties {
                pm.set(k.as_str(), v.as_str());
            }
            m.set("properties", pm);
        } else {
            let mut l = List::new("pp");
            for (k, v) in &out.properties {
                let mut e = Map::new().with("name", k.as_str());
                e.set_content("value", v.as_str());
                l.push(e);
            }
            m.set("properties", l);
        }
    }
    if has("limitreportdata") {
        m.set("limitreportdata", List::new("lr"));
    }
    if has("headitems") {
        m.set("headitems", List::new("hi"));
    }
    if has("indicators") {
        m.set("indicators", Map::kvp("ind"));
    }
    if has("modules") {
        m.set("modules", List::new("m"));
        m.set("modulescripts", List::new("m"));
        m.set("modulestyles", List::new("m"));
    }
    cx.result.set("parse", m);
    Ok(())
}

fn put_text(cx: &Cx<'_>, m: &mut Map, key: &str, text: &str) {
    if cx.fv2 {
        m.set(key, text);
    } else {
        let mut inner = Map::new();
        inner.set_content("content", text);
        m.set(key, inner);
    }
}

fn default_model(t: &Title) -> String {
    let k = &t.dbkey;
    if t.ns == 8 || t.ns == 2 {
        if k.ends_with(".css") {
            return "css".into();
        }
        if k.ends_with(".js") {
            return "javascript".into();
        }
        if k.ends_with(".json") {
            return "json".into();
        }
    }
    "wikitext".into()
}

/// The HTML as `getText` gives it: wrapper class, edit links and TOC as asked.
pub fn finish_html(html: &str, wrap: &str, no_edit: bool, no_toc: bool) -> String {
    let mut h = html.to_string();
    if no_edit {
        h = strip_edit_sections(&h);
    }
    if no_toc {
        if let Some(s) = h.find("<div id=\"toc\"") {
            if let Some(e) = h[s..].find("</ul>\n</div>\n") {
                h.replace_range(s..s + e + "</ul>\n</div>\n".len(), "");
            }
        }
    }
    if wrap != "mw-parser-output" {
        let inner = h
            .strip_prefix("<div class=\"mw-parser-output\">")
            .and_then(|x| x.strip_suffix("</div>"))
            .unwrap_or(&h)
            .to_string();
        h = if wrap.is_empty() {
            inner
        } else {
            format!(
                "<div class=\"{}\">{inner}</div>",
                parser::sanitize::escape_html(wrap)
            )
        };
    }
    h
}

/// Removes `<span class="mw-editsection">…</span>` blocks.
pub fn strip_edit_sections(html: &str) -> String {
    const OPEN: &str = "<span class=\"mw-editsection\">";
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(p) = rest.find(OPEN) {
        out.push_str(&rest[..p]);
        // The block ends at the `</span></span>` closing it.
        let after = &rest[p..];
        match after.find("<span class=\"mw-editsection-bracket\">]</span></span>") {
            Some(e) => {
                rest = &after[e + "<span class=\"mw-editsection-bracket\">]</span></span>".len()..];
            }
            None => {
                out.push_str(after);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

fn link_entries(cx: &Cx<'_>, links: &[(i32, String, i64)], tag: &'static str) -> List {
    let mut l = List::new(tag);
    for (ns, k, id) in links {
        let t = Title::local(*ns, k.clone());
        let mut e = Map::new().with("ns", *ns);
        e.set_content("title", t.prefixed_text(&cx.app.titles));
        e.set("exists", *id != 0);
        l.push(e);
    }
    l
}

fn category_entries(cx: &Cx<'_>, out: &ParseOutput) -> ApiResult<List> {
    let mut l = List::new("cl");
    if out.categories.is_empty() {
        return Ok(l);
    }
    let keys: Vec<(i32, String)> = out
        .categories
        .iter()
        .map(|(c, _)| (14, c.clone()))
        .collect();
    let (pages, hidden) = {
        let mut r = cx.app.store.read().map_err(ApiError::internal)?;
        let pages = r.pages_by_titles(&keys).map_err(ApiError::internal)?;
        let ids: Vec<i64> = pages.iter().map(|p| p.id).collect();
        let hidden = r
            .page_props(&ids, &["hiddencat".to_string()])
            .map_err(ApiError::internal)?;
        (pages, hidden)
    };
    for (cat, sort) in &out.categories {
        let mut e = Map::new().with("sortkey", sort.as_str());
        e.set_content("category", cat.as_str());
        match pages.iter().find(|p| &p.title == cat) {
            None => {
                e.set("missing", true);
            }
            Some(pg) => {
                if hidden.iter().any(|(id, _, _)| *id == pg.id) {
                    e.set("hidden", true);
                }
            }
        }
        l.push(e);
    }
    Ok(l)
}

/// Parses with templates and existence read from storage (no caching).
fn parse_with_store(cx: &Cx<'_>, title: &Title, text: &str, model: &str) -> ApiResult<ParseOutput> {
    if model != "wikitext" {
        let class = match model {
            "css" => "mw-code mw-css",
            "javascript" => "mw-code mw-js",
            "json" => "mw-json",
            _ => "",
        };
        let html = if class.is_empty() {
            format!(
                "<div class=\"mw-parser-output\"><p>{}\n</p></div>",
                parser::sanitize::escape_html(text)
            )
        } else {
            format!(
                "<div class=\"mw-parser-output\"><pre class=\"{class}\" dir=\"ltr\">\n{}\n</pre></div>",
                parser::sanitize::escape_html(text)
            )
        };
        return Ok(ParseOutput {
            html,
            ..Default::default()
        });
    }
    let mut r = cx.app.store.read().map_err(ApiError::internal)?;
    Ok(crate::wiki::links::parse_in_txn(
        cx.app, &mut *r, title, text,
    ))
}

/// The parser cache: a valid entry (same revision, not older than the page),
/// or a fresh parse that is stored for the next reader.
pub fn cached_or_parse(
    cx: &Cx<'_>,
    row: &crate::storage::Page,
    title: &Title,
    text: &str,
) -> ApiResult<ParseOutput> {
    cached_or_parse_app(cx.app, row, title, text).map_err(ApiError::internal)
}

/// [`cached_or_parse`] without a request (page views).
pub fn cached_or_parse_app(
    app: &crate::app::App,
    row: &crate::storage::Page,
    title: &Title,
    text: &str,
) -> anyhow::Result<ParseOutput> {
    {
        let mut r = app.store.read()?;
        if let Some(c) = r.parser_cache_get(row.id)? {
            if c.rev == row.latest && c.touched.as_str() >= row.touched.as_str() {
                if let Some(o) =
                    crate::wiki::links::meta_from_json(&c.html, &c.meta, &app.titles, Some(text))
                {
                    return Ok(o);
                }
            }
        }
    }
    let out = {
        let mut r = app.store.read()?;
        crate::wiki::links::parse_in_txn(app, &mut *r, title, text)
    };
    let now = crate::util::time::to_mw(&crate::util::time::now());
    let mut w = app.store.write()?;
    // Store only if the page did not change meanwhile.
    let current = w.pages_by_ids(&[row.id])?;
    if current.first().is_some_and(|c| c.latest == row.latest) {
        w.parser_cache_put(&CachedParse {
            page: row.id,
            rev: row.latest,
            touched: current[0].touched.clone().max(now.clone()),
            html: out.html.clone(),
            meta: crate::wiki::links::meta_to_json(&out).to_string(),
            time: now,
        })?;
        w.commit()?;
    }
    Ok(out)
}
