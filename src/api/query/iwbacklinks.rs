//! `list=iwbacklinks` and `list=langbacklinks`: pages with interwiki or language
//! links, optionally to one prefix/title; usable as generators.
//! (mirrors includes/api/ApiQueryIWBacklinks.php, ApiQueryLangBacklinks.php)

use crate::api::error::{ApiError, ApiResult};
use crate::api::message::Msg;
use crate::api::params::{ParamDef, Params};
use crate::api::query::linkutil::*;
use crate::api::query::pageset::Generated;
use crate::api::result::{List, Map};
use crate::api::{CacheMode, Cx, Group, ModuleDef};
use crate::storage::Page;

static IW_PARAMS: &[ParamDef] = &[
    ParamDef::string("prefix").help("List only links with this interwiki prefix, e.g. wikibooks."),
    ParamDef::string("title")
        .help("List only links to this title of the other wiki; needs iwblprefix as well."),
    ParamDef::string("continue")
        .help("Resume an earlier request with the value its continue section returned."),
    ParamDef::limit("limit", 500, 5000)
        .default("10")
        .help("The largest number of pages to list."),
    ParamDef::enumeration("prop", &["iwprefix", "iwtitle"])
        .multi()
        .help("Also report the prefix (iwprefix) or the title (iwtitle) of each link."),
    ParamDef::enumeration("dir", &["ascending", "descending"])
        .default("ascending")
        .help("Whether to go through the links in ascending or descending order."),
];

static LANG_PARAMS: &[ParamDef] = &[
    ParamDef::string("lang").help("List only language links to this language code, e.g. fr."),
    ParamDef::string("title")
        .help("List only language links to this title; needs lbllang as well."),
    ParamDef::string("continue")
        .help("Resume an earlier request with the value its continue section returned."),
    ParamDef::limit("limit", 500, 5000)
        .default("10")
        .help("The largest number of pages to list."),
    ParamDef::enumeration("prop", &["lllang", "lltitle"])
        .multi()
        .help("Also report the language code (lllang) or the title (lltitle) of each link."),
    ParamDef::enumeration("dir", &["ascending", "descending"])
        .default("ascending")
        .help("Whether to go through the links in ascending or descending order."),
];

pub static IWBACKLINKS: ModuleDef = ModuleDef {
    prefix: "iwbl",
    summary: "List the pages with interwiki links, to one prefix or one title if asked.",
    params: IW_PARAMS,
    cache_mode: CacheMode::Public,
    help_urls: &["https://www.mediawiki.org/wiki/Special:MyLanguage/API:Iwbacklinks"],
    examples: &[
        (
            "action=query&list=iwbacklinks&iwbltitle=Test&iwblprefix=wikibooks",
            "The pages with a link to wikibooks:Test.",
        ),
        (
            "action=query&generator=iwbacklinks&giwbltitle=Test&giwblprefix=wikibooks&prop=info",
            "Page information for each page that links to wikibooks:Test.",
        ),
    ],
    execute: Some(exec_iw),
    generate: Some(gen_iw),
    ..ModuleDef::new("iwbacklinks", Group::List, "ApiQueryIWBacklinks")
};

pub static LANGBACKLINKS: ModuleDef = ModuleDef {
    prefix: "lbl",
    summary: "List the pages with language links, to one language or one title if asked.",
    params: LANG_PARAMS,
    cache_mode: CacheMode::Public,
    help_urls: &["https://www.mediawiki.org/wiki/Special:MyLanguage/API:Langbacklinks"],
    examples: &[
        (
            "action=query&list=langbacklinks&lbltitle=Test&lbllang=fr",
            "The pages with a language link to fr:Test.",
        ),
        (
            "action=query&generator=langbacklinks&glbltitle=Test&glbllang=fr&prop=info",
            "Page information for each page with a language link to fr:Test.",
        ),
    ],
    execute: Some(exec_lang),
    generate: Some(gen_lang),
    ..ModuleDef::new("langbacklinks", Group::List, "ApiQueryLangBacklinks")
};

fn run(
    cx: &mut Cx<'_>,
    p: &Params,
    def: &ModuleDef,
    lang: bool,
) -> ApiResult<(Vec<(Page, String, String)>, Option<String>)> {
    let pname = if lang { "lang" } else { "prefix" };
    let prefix = p.str(pname).map(|s| s.to_string());
    let title = p.str("title").map(|s| s.replace(' ', "_"));
    if title.is_some() && prefix.is_none() {
        return Err(ApiError::coded(
            "invalidparammix",
            Msg::new("apierror-invalidparammix-mustusewith")
                .p(format!("{}title", def.prefix))
                .p(format!("{}{pname}", def.prefix)),
        ));
    }
    let cont = match p.str("continue") {
        Some(c) => {
            let parts = split_continue(c, 3)?;
            Some((parts[0].clone(), parts[1].clone(), cont_int(&parts[2])?))
        }
        None => None,
    };
    let limit = limit(p);
    let mut rows = {
        let mut r = cx.app.store.read().map_err(read_err)?;
        r.prefix_backlinks(
            lang,
            prefix.as_deref(),
            title.as_deref(),
            cont,
            p.str("dir") == Some("descending"),
            limit + 1,
        )
        .map_err(read_err)?
    };
    let next = if rows.len() > limit {
        rows.split_off(limit)
            .first()
            .map(|(pg, pf, t)| format!("{pf}|{t}|{}", pg.id))
    } else {
        None
    };
    Ok((rows, next))
}

fn execute(cx: &mut Cx<'_>, p: &Params, def: &'static ModuleDef, lang: bool) -> ApiResult<()> {
    let (rows, next) = run(cx, p, def, lang)?;
    let props = p.list("prop").to_vec();
    let has = |n: &str| props.iter().any(|x| x == n);
    let (pk, tk, tag) = if lang {
        ("lllang", "lltitle", "lbl")
    } else {
        ("iwprefix", "iwtitle", "iw")
    };
    let mut list = List::new(tag);
    for (pg, pf, t) in &rows {
        let mut e: Map = page_entry(cx, pg);
        if pg.is_redirect {
            e.set("redirect", true);
        }
        if has(pk) {
            e.set(pk, pf.as_str());
        }
        if has(tk) {
            e.set(tk, t.as_str());
        }
        list.push(e);
    }
    if let Some(n) = next {
        cx.add_continue(def, "continue", n);
    }
    cx.result.map_mut("query").set(def.name, list);
    Ok(())
}

fn generate(
    cx: &mut Cx<'_>,
    p: &Params,
    def: &'static ModuleDef,
    lang: bool,
) -> ApiResult<Generated> {
    let (rows, next) = run(cx, p, def, lang)?;
    let mut g = Generated::default();
    for (pg, _, _) in rows {
        if !g.pages.iter().any(|x| x.id == pg.id) {
            g.pages.push(pg);
        }
    }
    if let Some(n) = next {
        g.continues.push(("continue", n.into()));
    }
    Ok(g)
}

fn exec_iw(cx: &mut Cx<'_>, p: &Params) -> ApiResult<()> {
    execute(cx, p, &IWBACKLINKS, false)
}
fn gen_iw(cx: &mut Cx<'_>, p: &Params) -> ApiResult<Generated> {
    generate(cx, p, &IWBACKLINKS, false)
}
fn exec_lang(cx: &mut Cx<'_>, p: &Params) -> ApiResult<()> {
    execute(cx, p, &LANGBACKLINKS, true)
}
fn gen_lang(cx: &mut Cx<'_>, p: &Params) -> ApiResult<Generated> {
    generate(cx, p, &LANGBACKLINKS, true)
}
