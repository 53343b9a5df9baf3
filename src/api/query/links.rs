//! `prop=links` and `prop=templates`: the pages a page links to or transcludes,
//! from pagelinks/templatelinks; both usable as generators.
//! (mirrors includes/api/ApiQueryLinks.php)

use crate::api::error::ApiResult;
use crate::api::params::{PType, ParamDef, Params};
use crate::api::query::linkutil::*;
use crate::api::query::pageset::Generated;
use crate::api::result::Val;
use crate::api::{CacheMode, Cx, Group, ModuleDef};
use crate::storage::links::LinkTable;

static LINKS_PARAMS: &[ParamDef] = &[
    ParamDef::new("namespace", PType::Namespace)
        .multi()
        .allow_all()
        .help("List only links into these namespaces."),
    ParamDef::limit("limit", 500, 5000)
        .default("10")
        .help("The largest number of links to list, for all pages together."),
    ParamDef::string("continue")
        .help("Resume an earlier request with the value its continue section returned."),
    ParamDef::string("titles").multi().help(
        "Report only links to these titles, e.g. to test whether a page links to one of them.",
    ),
    ParamDef::enumeration("dir", &["ascending", "descending"])
        .default("ascending")
        .help("Whether to go through the targets in ascending or descending order."),
];

static TEMPLATES_PARAMS: &[ParamDef] = &[
    ParamDef::new("namespace", PType::Namespace)
        .multi()
        .allow_all()
        .help("List only transcluded pages from these namespaces."),
    ParamDef::limit("limit", 500, 5000)
        .default("10")
        .help("The largest number of transcluded pages to list, for all pages together."),
    ParamDef::string("continue")
        .help("Resume an earlier request with the value its continue section returned."),
    ParamDef::string("templates")
        .multi()
        .help("Report only these pages, e.g. to test whether a page uses one of these templates."),
    ParamDef::enumeration("dir", &["ascending", "descending"])
        .default("ascending")
        .help("Whether to go through the targets in ascending or descending order."),
];

pub static LINKS: ModuleDef = ModuleDef {
    prefix: "pl",
    summary: "For each page of the set, list the pages it has wikilinks to.",
    params: LINKS_PARAMS,
    cache_mode: CacheMode::Public,
    help_urls: &["https://www.mediawiki.org/wiki/Special:MyLanguage/API:Links"],
    examples: &[
        (
            "action=query&prop=links&titles=Main%20Page",
            "The pages that Main Page links to.",
        ),
        (
            "action=query&generator=links&titles=Main%20Page&prop=info",
            "Page information for each page that Main Page links to.",
        ),
    ],
    execute: Some(exec_links),
    generate: Some(gen_links),
    ..ModuleDef::new("links", Group::Prop, "ApiQueryLinks")
};

pub static TEMPLATES: ModuleDef = ModuleDef {
    prefix: "tl",
    summary: "For each page of the set, list the pages (templates, mostly) it transcludes.",
    params: TEMPLATES_PARAMS,
    cache_mode: CacheMode::Public,
    help_urls: &["https://www.mediawiki.org/wiki/Special:MyLanguage/API:Templates"],
    examples: &[
        (
            "action=query&prop=templates&titles=Main%20Page",
            "The templates that Main Page uses.",
        ),
        (
            "action=query&generator=templates&titles=Main%20Page&prop=info",
            "Page information for each template that Main Page uses.",
        ),
    ],
    execute: Some(exec_templates),
    generate: Some(gen_templates),
    ..ModuleDef::new("templates", Group::Prop, "ApiQueryLinks")
};

struct Run {
    rows: Vec<crate::storage::links::OutLink>,
    next: Option<String>,
}

fn run(cx: &mut Cx<'_>, p: &Params, table: LinkTable, filter_param: &str) -> ApiResult<Run> {
    let pages = input_pages(cx)?;
    let ids: Vec<i64> = pages.iter().map(|p| p.id).collect();
    let mut targets = Vec::new();
    for t in p.list(filter_param) {
        if let Ok(t) = cx.app.titles.parse(t, 0) {
            if t.interwiki.is_empty() && t.ns >= 0 {
                targets.push((t.ns, t.dbkey));
            }
        }
    }
    let cont = match p.str("continue") {
        Some(c) => {
            let parts = split_continue(c, 3)?;
            Some((
                cont_int(&parts[0])?,
                cont_int(&parts[1])? as i32,
                parts[2].clone(),
            ))
        }
        None => None,
    };
    let limit = limit(p);
    let desc = p.str("dir") == Some("descending");
    if ids.is_empty() || (p.given(filter_param) && targets.is_empty()) {
        return Ok(Run {
            rows: Vec::new(),
            next: None,
        });
    }
    let mut rows = {
        let mut r = cx.app.store.read().map_err(read_err)?;
        r.outgoing_links(
            table,
            &ids,
            &namespaces(p, "namespace"),
            &targets,
            cont,
            desc,
            limit + 1,
        )
        .map_err(read_err)?
    };
    let next = if rows.len() > limit {
        let n = rows.split_off(limit);
        n.first()
            .map(|l| format!("{}|{}|{}", l.from, l.ns, l.title))
    } else {
        None
    };
    Ok(Run { rows, next })
}

fn execute(
    cx: &mut Cx<'_>,
    p: &Params,
    def: &'static ModuleDef,
    table: LinkTable,
    filter: &str,
    key: &str,
    tag: &'static str,
) -> ApiResult<()> {
    let r = run(cx, p, table, filter)?;
    let mut by_page: Vec<(i64, Vec<Val>)> = Vec::new();
    for l in &r.rows {
        let e = Val::Map(ns_title(cx, l.ns, &l.title));
        match by_page.iter_mut().find(|(id, _)| *id == l.from) {
            Some((_, v)) => v.push(e),
            None => by_page.push((l.from, vec![e])),
        }
    }
    for (id, items) in by_page {
        add_page_items(cx, id, key, tag, items);
    }
    if let Some(n) = r.next {
        cx.add_continue(def, "continue", n);
    }
    Ok(())
}

fn generate(cx: &mut Cx<'_>, p: &Params, table: LinkTable, filter: &str) -> ApiResult<Generated> {
    let r = run(cx, p, table, filter)?;
    let mut g = Generated::default();
    for l in r.rows {
        if !g.titles.contains(&(l.ns, l.title.clone())) {
            g.titles.push((l.ns, l.title));
        }
    }
    if let Some(n) = r.next {
        g.continues.push(("continue", n.into()));
    }
    Ok(g)
}

fn exec_links(cx: &mut Cx<'_>, p: &Params) -> ApiResult<()> {
    execute(cx, p, &LINKS, LinkTable::Page, "titles", "links", "pl")
}
fn gen_links(cx: &mut Cx<'_>, p: &Params) -> ApiResult<Generated> {
    generate(cx, p, LinkTable::Page, "titles")
}
fn exec_templates(cx: &mut Cx<'_>, p: &Params) -> ApiResult<()> {
    execute(
        cx,
        p,
        &TEMPLATES,
        LinkTable::Template,
        "templates",
        "templates",
        "tl",
    )
}
fn gen_templates(cx: &mut Cx<'_>, p: &Params) -> ApiResult<Generated> {
    generate(cx, p, LinkTable::Template, "templates")
}
