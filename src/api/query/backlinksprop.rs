//! `prop=linkshere`, `prop=transcludedin`, `prop=redirects`: for each page of the
//! set, the pages linking to it, transcluding it or redirecting to it; usable as
//! generators. (mirrors includes/api/ApiQueryBacklinksprop.php)

use crate::api::error::ApiResult;
use crate::api::params::{PType, ParamDef, Params};
use crate::api::query::linkutil::*;
use crate::api::query::pageset::Generated;
use crate::api::result::{Map, Val};
use crate::api::{CacheMode, Cx, Group, ModuleDef};
use crate::storage::links::{Backlink, BacklinkQuery, LinkTable};

const LH_PARAMS: &[ParamDef] = &[
    ParamDef::enumeration("prop", &["pageid", "title", "redirect"])
        .multi()
        .default("pageid|title|redirect")
        .help("What to report for each page found: its ID, its title, whether it is a redirect."),
    ParamDef::new("namespace", PType::Namespace)
        .multi()
        .allow_all()
        .help("List only pages from these namespaces."),
    ParamDef::enumeration("show", &["!redirect", "redirect"])
        .multi()
        .help("Keep only redirects (redirect) or only other pages (!redirect)."),
    ParamDef::limit("limit", 500, 5000)
        .default("10")
        .help("The largest number of entries to list, for all pages together."),
    ParamDef::string("continue")
        .help("Resume an earlier request with the value its continue section returned."),
];

const RD_PARAMS: &[ParamDef] = &[
    ParamDef::enumeration("prop", &["pageid", "title", "fragment"])
        .multi()
        .default("pageid|title")
        .help("What to report for each redirect: its ID, its title, the section it points to."),
    ParamDef::new("namespace", PType::Namespace)
        .multi()
        .allow_all()
        .help("List only pages from these namespaces."),
    ParamDef::enumeration("show", &["!fragment", "fragment"])
        .multi()
        .help(
            "Keep only redirects to a section (fragment) or only ones to a whole page (!fragment).",
        ),
    ParamDef::limit("limit", 500, 5000)
        .default("10")
        .help("The largest number of entries to list, for all pages together."),
    ParamDef::string("continue")
        .help("Resume an earlier request with the value its continue section returned."),
];

pub static LINKSHERE: ModuleDef = ModuleDef {
    prefix: "lh",
    summary: "For each page of the set, list the pages that have a wikilink to it.",
    params: LH_PARAMS,
    cache_mode: CacheMode::Public,
    help_urls: &["https://www.mediawiki.org/wiki/Special:MyLanguage/API:Linkshere"],
    examples: &[
        (
            "action=query&prop=linkshere&titles=Main%20Page",
            "The pages with a link to Main Page.",
        ),
        (
            "action=query&generator=linkshere&titles=Main%20Page&prop=info",
            "Page information for each page that links to Main Page.",
        ),
    ],
    execute: Some(exec_lh),
    generate: Some(gen_lh),
    ..ModuleDef::new("linkshere", Group::Prop, "ApiQueryBacklinksprop")
};

pub static TRANSCLUDEDIN: ModuleDef = ModuleDef {
    prefix: "ti",
    summary: "For each page of the set, list the pages that transclude it.",
    params: LH_PARAMS,
    cache_mode: CacheMode::Public,
    help_urls: &["https://www.mediawiki.org/wiki/Special:MyLanguage/API:Transcludedin"],
    examples: &[
        (
            "action=query&prop=transcludedin&titles=Main%20Page",
            "The pages that transclude Main Page.",
        ),
        (
            "action=query&generator=transcludedin&titles=Main%20Page&prop=info",
            "Page information for each page that transcludes Main Page.",
        ),
    ],
    execute: Some(exec_ti),
    generate: Some(gen_ti),
    ..ModuleDef::new("transcludedin", Group::Prop, "ApiQueryBacklinksprop")
};

pub static REDIRECTS: ModuleDef = ModuleDef {
    prefix: "rd",
    summary: "For each page of the set, list the redirects that point to it.",
    params: RD_PARAMS,
    cache_mode: CacheMode::Public,
    help_urls: &["https://www.mediawiki.org/wiki/Special:MyLanguage/API:Redirects"],
    examples: &[
        (
            "action=query&prop=redirects&titles=Main%20Page|MediaWiki",
            "The redirects to Main Page and to MediaWiki.",
        ),
        (
            "action=query&generator=redirects&titles=Main%20Page&prop=info",
            "Page information for each redirect to Main Page.",
        ),
    ],
    execute: Some(exec_rd),
    generate: Some(gen_rd),
    ..ModuleDef::new("redirects", Group::Prop, "ApiQueryBacklinksprop")
};

/// Rows (page id of the target, backlink) and the continuation.
fn run(
    cx: &mut Cx<'_>,
    p: &Params,
    table: LinkTable,
) -> ApiResult<(Vec<(i64, Backlink)>, Option<String>)> {
    let mut pages = input_pages(cx)?;
    pages.sort_by(|a, b| (a.ns, a.title.as_bytes()).cmp(&(b.ns, b.title.as_bytes())));
    let targets: Vec<(i32, String)> = pages.iter().map(|p| (p.ns, p.title.clone())).collect();
    let multi_ns = pages.iter().any(|p| p.ns != pages[0].ns);
    let nfields = if targets.len() > 1 {
        if multi_ns {
            3
        } else {
            2
        }
    } else {
        1
    };
    let cont = match p.str("continue") {
        Some(c) => {
            let parts = split_continue(c, nfields)?;
            let from = cont_int(&parts[nfields - 1])?;
            let idx = match nfields {
                1 => 0,
                2 => targets
                    .iter()
                    .position(|(_, t)| *t == parts[0])
                    .ok_or_else(bad_continue)?,
                _ => {
                    let ns = cont_int(&parts[0])? as i32;
                    targets
                        .iter()
                        .position(|(n, t)| *n == ns && *t == parts[1])
                        .ok_or_else(bad_continue)?
                }
            };
            Some((idx, 0, from))
        }
        None => None,
    };
    if targets.is_empty() {
        return Ok((Vec::new(), None));
    }
    let show = p.list("show");
    let redirects = if table == LinkTable::Redirect {
        None
    } else if show.iter().any(|s| s == "redirect") {
        Some(true)
    } else if show.iter().any(|s| s == "!redirect") {
        Some(false)
    } else {
        None
    };
    let limit = limit(p);
    let q = BacklinkQuery {
        targets: targets.clone(),
        namespaces: namespaces(p, "namespace"),
        redirects,
        cont,
        by_from_ns: false,
        descending: false,
        limit: limit + 1,
    };
    let mut rows = {
        let mut r = cx.app.store.read().map_err(read_err)?;
        r.backlinks(table, &q).map_err(read_err)?
    };
    if table == LinkTable::Redirect {
        if show.iter().any(|s| s == "fragment") {
            rows.retain(|b| !b.fragment.is_empty());
        } else if show.iter().any(|s| s == "!fragment") {
            rows.retain(|b| b.fragment.is_empty());
        }
    }
    let next = if rows.len() > limit {
        let extra = rows.split_off(limit);
        extra.first().map(|b| {
            let (ns, t) = &targets[b.target];
            match nfields {
                1 => b.page.id.to_string(),
                2 => format!("{t}|{}", b.page.id),
                _ => format!("{ns}|{t}|{}", b.page.id),
            }
        })
    } else {
        None
    };
    let out = rows.into_iter().map(|b| (pages[b.target].id, b)).collect();
    Ok((out, next))
}

fn execute(
    cx: &mut Cx<'_>,
    p: &Params,
    def: &'static ModuleDef,
    table: LinkTable,
) -> ApiResult<()> {
    let (rows, next) = run(cx, p, table)?;
    let props = p.list("prop").to_vec();
    let has = |n: &str| props.iter().any(|x| x == n);
    let tag = match def.name {
        "linkshere" => "lh",
        "transcludedin" => "ti",
        _ => "rd",
    };
    let mut by_page: Vec<(i64, Vec<Val>)> = Vec::new();
    for (target, b) in &rows {
        let mut e = Map::new();
        if has("pageid") {
            e.set("pageid", b.page.id);
        }
        if has("title") {
            e.set("ns", b.page.ns);
            e.set("title", title_text(cx, b.page.ns, &b.page.title));
        }
        if has("redirect") {
            e.set("redirect", b.page.is_redirect);
        }
        if has("fragment") && !b.fragment.is_empty() {
            e.set("fragment", b.fragment.as_str());
        }
        match by_page.iter_mut().find(|(id, _)| id == target) {
            Some((_, v)) => v.push(Val::Map(e)),
            None => by_page.push((*target, vec![Val::Map(e)])),
        }
    }
    for (id, items) in by_page {
        add_page_items(cx, id, def.name, tag, items);
    }
    if let Some(n) = next {
        cx.add_continue(def, "continue", n);
    }
    Ok(())
}

fn generate(cx: &mut Cx<'_>, p: &Params, table: LinkTable) -> ApiResult<Generated> {
    let (rows, next) = run(cx, p, table)?;
    let mut g = Generated::default();
    for (_, b) in rows {
        g.pages.push(b.page);
    }
    if let Some(n) = next {
        g.continues.push(("continue", n.into()));
    }
    Ok(g)
}

fn exec_lh(cx: &mut Cx<'_>, p: &Params) -> ApiResult<()> {
    execute(cx, p, &LINKSHERE, LinkTable::Page)
}
fn gen_lh(cx: &mut Cx<'_>, p: &Params) -> ApiResult<Generated> {
    generate(cx, p, LinkTable::Page)
}
fn exec_ti(cx: &mut Cx<'_>, p: &Params) -> ApiResult<()> {
    execute(cx, p, &TRANSCLUDEDIN, LinkTable::Template)
}
fn gen_ti(cx: &mut Cx<'_>, p: &Params) -> ApiResult<Generated> {
    generate(cx, p, LinkTable::Template)
}
fn exec_rd(cx: &mut Cx<'_>, p: &Params) -> ApiResult<()> {
    execute(cx, p, &REDIRECTS, LinkTable::Redirect)
}
fn gen_rd(cx: &mut Cx<'_>, p: &Params) -> ApiResult<Generated> {
    generate(cx, p, LinkTable::Redirect)
}
