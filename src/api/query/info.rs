//! `prop=info`: basic facts about the pages of the page set.
//! https://www.mediawiki.org/wiki/API:Info (mirrors includes/api/ApiQueryInfo.php)

use crate::api::error::{ApiError, ApiResult};
use crate::api::params::{ParamDef, Params};
use crate::api::query::pageset::wf_urlencode;
use crate::api::result::{List, Map, Val};
use crate::api::{CacheMode, Cx, Group, ModuleDef};
use crate::storage::Page;
use crate::util::time;
use crate::wiki::namespace::{Namespaces, NS_FILE};
use crate::wiki::title::Title;

const PROPS: &[&str] = &[
    "protection",
    "talkid",
    "watched",
    "watchers",
    "visitingwatchers",
    "notificationtimestamp",
    "subjectid",
    "associatedpage",
    "url",
    "readable",
    "preload",
    "displaytitle",
    "varianttitles",
    "linkclasses",
];

static PARAMS: &[ParamDef] = &[
    ParamDef::enumeration("prop", PROPS)
        .multi()
        .deprecated_values(&["readable"])
        .help("Facts to report beyond the basic ones.")
        .value_help(&[
            (
                "protection",
                "Who may edit or move the page: its protection entries.",
            ),
            ("talkid", "For a subject page, the ID of its talk page."),
            ("watched", "Whether you watch each page."),
            (
                "watchers",
                "How many users watch each page, when you may know.",
            ),
            (
                "visitingwatchers",
                "How many watchers visited recent edits, when you may know.",
            ),
            (
                "notificationtimestamp",
                "When you were last notified of a change, for watched pages.",
            ),
            (
                "subjectid",
                "For a talk page, the ID of the page it discusses.",
            ),
            (
                "associatedpage",
                "The title of the talk page of a subject page, or the other way round.",
            ),
            (
                "url",
                "Links to the page: to read it, to edit it, and its canonical address.",
            ),
            (
                "readable",
                "Whether you may read the page (deprecated: use intestactions=read).",
            ),
            (
                "preload",
                "The text shown when a missing page is opened for editing.",
            ),
            ("displaytitle", "How the title is shown."),
            (
                "varianttitles",
                "How the title is written in every variant of the content language.",
            ),
            (
                "linkclasses",
                "The CSS classes a link to the page gets in linkcontext.",
            ),
        ]),
    ParamDef::string("linkcontext")
        .default("Main Page")
        .help("The page whose links linkclasses is about."),
    ParamDef::string("testactions")
        .multi()
        .help("Check whether you may do these actions on each page."),
    ParamDef::enumeration("testactionsdetail", &["boolean", "full", "quick"])
        .default("boolean")
        .help("How much detail the test actions give."),
    ParamDef::boolean("testactionsautocreate")
        .help("Check whether the action would create a temporary account."),
    ParamDef::string("continue")
        .help("Resume an earlier request with the value its continue section returned."),
];

pub static INFO: ModuleDef = ModuleDef {
    cache_mode: CacheMode::Public,
    prefix: "in",
    summary: "Basic facts about each page: ids, length, touched time, latest revision, protection.",
    params: PARAMS,
    help_urls: &["https://www.mediawiki.org/wiki/Special:MyLanguage/API:Info"],
    examples: &[
        (
            "action=query&prop=info&titles=Main%20Page",
            "The basic facts about Main Page.",
        ),
        (
            "action=query&prop=info&inprop=protection&titles=Main%20Page",
            "The basic facts about Main Page, with its protection.",
        ),
    ],
    execute: Some(execute),
    ..ModuleDef::new("info", Group::Prop, "ApiQueryInfo")
};

/// One entry of `query.pages` to fill.
struct Target {
    key: String,
    title: Title,
    page: Option<Page>,
}

fn execute(cx: &mut Cx<'_>, p: &Params) -> ApiResult<()> {
    let Some(ps) = cx.pageset.take() else {
        return Ok(());
    };
    // `getCacheMode`: watchlist properties depend on the user.
    if p.list("prop").iter().any(|x| {
        [
            "watched",
            "watchers",
            "visitingwatchers",
            "notificationtimestamp",
        ]
        .contains(&x.as_str())
    }) {
        cx.cache_mode = crate::api::CacheMode::Private;
    }
    let mut targets: Vec<Target> = Vec::new();
    for m in &ps.missing {
        targets.push(Target {
            key: m.fake_id.to_string(),
            title: m.title.clone(),
            page: None,
        });
    }
    for g in &ps.good {
        targets.push(Target {
            key: g.id.to_string(),
            title: Title::local(g.ns, g.title.clone()),
            page: Some(g.clone()),
        });
    }
    cx.pageset = Some(ps);
    let props: Vec<String> = p.list("prop").to_vec();
    let has = |n: &str| props.iter().any(|x| x == n);
    let (start, skip) = match p.str("continue") {
        Some(c) => (c.parse::<i64>().ok(), true),
        None => (None, false),
    };
    let _ = skip;
    let app = cx.app;
    let server = app.server_for(cx.req);
    let now = time::to_mw(&time::now());
    let mut r = app.store.read().map_err(ApiError::internal)?;
    for t in targets {
        if let (Some(s), Some(pg)) = (start, &t.page) {
            if pg.id < s {
                continue;
            }
        }
        let codec = &app.titles;
        let mut m = Map::new();
        let model = match &t.page {
            Some(pg) => pg.content_model.clone(),
            None => crate::wiki::page::default_content_model(&t.title).to_string(),
        };
        m.set("contentmodel", model);
        m.set("pagelanguage", "en");
        m.set("pagelanguagehtmlcode", "en");
        m.set("pagelanguagedir", "ltr");
        if let Some(pg) = &t.page {
            m.set("touched", time::mw_to_iso(&pg.touched));
            m.set("lastrevid", pg.latest);
            m.set("length", pg.len);
            if pg.is_redirect {
                m.set("redirect", true);
            }
            if pg.is_new {
                m.set("new", true);
            }
        }
        if has("protection") {
            let mut list = List::new("pr");
            if let Some(pg) = &t.page {
                for (ty, level, expiry, cascade) in
                    r.page_protections(pg.id).map_err(ApiError::internal)?
                {
                    let mut e = Map::new()
                        .with("type", ty)
                        .with("level", level)
                        .with("expiry", format_expiry(&expiry));
                    if cascade {
                        e.set("cascade", true);
                    }
                    list.push(e);
                }
            } else if let Some((level, expiry)) = r
                .title_protection(t.title.ns, &t.title.dbkey)
                .map_err(ApiError::internal)?
            {
                list.push(
                    Map::new()
                        .with("type", "create")
                        .with("level", level)
                        .with("expiry", format_expiry(&expiry)),
                );
            }
            m.set("protection", list);
            let types: Vec<&str> = match (&t.page, t.title.ns) {
                (None, _) => vec!["create"],
                (Some(_), NS_FILE) => vec!["edit", "move", "upload"],
                (Some(_), _) => vec!["edit", "move"],
            };
            m.set("restrictiontypes", List::of("rt", types));
        }
        let registered = !cx.user.is_anon();
        if has("watched") && registered && cx.user.has("viewmywatchlist") {
            let w = r
                .watch_item(cx.user.id, t.title.ns, &t.title.dbkey)
                .map_err(ApiError::internal)?;
            let watched = match &w {
                Some(Some(exp)) => exp.as_str() > now.as_str(),
                Some(None) => true,
                None => false,
            };
            m.set("watched", watched);
            if let Some(Some(exp)) = &w {
                if watched {
                    m.set("watchlistexpiry", time::mw_to_iso(exp));
                }
            }
        }
        if has("watchers") && cx.user.has("unwatchedpages") {
            let n = r
                .watcher_count(t.title.ns, &t.title.dbkey, &now)
                .map_err(ApiError::internal)?;
            m.set("watchers", n);
        }
        if has("visitingwatchers") && cx.user.has("unwatchedpages") {
            let n = r
                .watcher_count(t.title.ns, &t.title.dbkey, &now)
                .map_err(ApiError::internal)?;
            m.set("visitingwatchers", n);
        }
        if has("notificationtimestamp") && cx.user.has("viewmywatchlist") {
            let ts = if registered {
                r.watch_notification(cx.user.id, t.title.ns, &t.title.dbkey, &now)
                    .map_err(ApiError::internal)?
            } else {
                None
            };
            m.set(
                "notificationtimestamp",
                ts.map(|t| time::mw_to_iso(&t)).unwrap_or_default(),
            );
        }
        let is_talk = Namespaces::is_talk(t.title.ns);
        let other = Title {
            ns: if is_talk {
                Namespaces::subject(t.title.ns)
            } else {
                Namespaces::talk(t.title.ns)
            },
            dbkey: t.title.dbkey.clone(),
            fragment: String::new(),
            interwiki: String::new(),
        };
        let wants_other = (has("talkid") && !is_talk) || (has("subjectid") && is_talk);
        if wants_other && t.page.is_some() {
            if let Some(op) = r
                .page_by_title(other.ns, &other.dbkey)
                .map_err(ApiError::internal)?
            {
                m.set(if is_talk { "subjectid" } else { "talkid" }, op.id);
            }
        }
        if has("associatedpage") {
            m.set("associatedpage", other.prefixed_text(codec));
        }
        if has("url") {
            let key = wf_urlencode(&t.title.prefixed_dbkey(codec));
            let article = format!("{server}{}", app.config.article_path.replace("$1", &key));
            m.set("fullurl", article.as_str());
            m.set(
                "editurl",
                format!(
                    "{server}{}/index.php?title={key}&action=edit",
                    app.config.script_path
                ),
            );
            m.set("canonicalurl", article);
        }
        if has("readable") {
            m.set("readable", cx.user.has("read"));
        }
        if has("preload") && t.page.is_some() {
            m.set("preload", "");
        }
        if has("displaytitle") {
            // the page's {{DISPLAYTITLE:}} (stored as HTML), else the escaped title
            let shown = match &t.page {
                Some(pg) => r
                    .page_props(&[pg.id], &["displaytitle".to_string()])
                    .map_err(ApiError::internal)?
                    .into_iter()
                    .next()
                    .map(|(_, _, v)| v),
                None => None,
            };
            m.set(
                "displaytitle",
                shown.unwrap_or_else(|| {
                    // htmlspecialchars with ENT_NOQUOTES: quotes stay as they are
                    t.title
                        .prefixed_text(codec)
                        .replace('&', "&amp;")
                        .replace('<', "&lt;")
                        .replace('>', "&gt;")
                }),
            );
        }
        if has("varianttitles") && t.page.is_some() {
            m.set(
                "varianttitles",
                Map::new().with("en", t.title.prefixed_text(codec)),
            );
        }
        let pages = cx.result.map_mut("query").map_mut("pages");
        if let Some(Val::Map(entry)) = pages.get_mut(&t.key) {
            for (k, v) in m.entries {
                entry.set(k, v);
            }
        }
    }
    Ok(())
}

/// `ApiResult::formatExpiry`: `infinity` or ISO 8601.
pub fn format_expiry(e: &str) -> String {
    if e.is_empty() || e == "infinity" {
        "infinity".into()
    } else {
        time::mw_to_iso(e)
    }
}
