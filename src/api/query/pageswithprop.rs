//! `list=pageswithprop`: pages that have a given page property; usable as a
//! generator. (mirrors includes/api/ApiQueryPagesWithProp.php)

use crate::api::error::ApiResult;
use crate::api::params::{ParamDef, Params};
use crate::api::query::linkutil::*;
use crate::api::query::pageset::Generated;
use crate::api::result::{List, Map};
use crate::api::{CacheMode, Cx, Group, ModuleDef};
use crate::storage::Page;

static PARAMS: &[ParamDef] = &[
    ParamDef::string("propname")
        .required()
        .help("The name of the page property whose pages to list."),
    ParamDef::enumeration("prop", &["ids", "title", "value"])
        .multi()
        .default("ids|title")
        .help("What to report for each page: its ID, its title, the value of the property."),
    ParamDef::string("continue")
        .help("Resume an earlier request with the value its continue section returned."),
    ParamDef::limit("limit", 500, 5000)
        .default("10")
        .help("The largest number of pages to list."),
    ParamDef::enumeration("dir", &["ascending", "descending"])
        .default("ascending")
        .help("Whether to go through the pages in ascending or descending order."),
];

pub static PAGESWITHPROP: ModuleDef = ModuleDef {
    prefix: "pwp",
    summary: "List the pages that set one page property.",
    params: PARAMS,
    cache_mode: CacheMode::Public,
    help_urls: &["https://www.mediawiki.org/wiki/Special:MyLanguage/API:Pageswithprop"],
    examples: &[
        (
            "action=query&list=pageswithprop&pwppropname=displaytitle&pwpprop=ids|title|value",
            "Ten pages that set a display title, with its value.",
        ),
        (
            "action=query&generator=pageswithprop&gpwppropname=notoc&prop=info",
            "Page information for ten pages that contain __NOTOC__.",
        ),
    ],
    execute: Some(execute),
    generate: Some(generate),
    ..ModuleDef::new("pageswithprop", Group::List, "ApiQueryPagesWithProp")
};

fn run(cx: &mut Cx<'_>, p: &Params) -> ApiResult<(Vec<(Page, String)>, Option<String>)> {
    let name = p.str("propname").unwrap_or_default().to_string();
    let after = match p.str("continue") {
        Some(c) => Some(cont_int(c)?),
        None => None,
    };
    let limit = limit(p);
    let mut rows = {
        let mut r = cx.app.store.read().map_err(read_err)?;
        r.pages_with_prop(&name, after, p.str("dir") == Some("descending"), limit + 1)
            .map_err(read_err)?
    };
    let next = if rows.len() > limit {
        rows.split_off(limit)
            .first()
            .map(|(pg, _)| pg.id.to_string())
    } else {
        None
    };
    Ok((rows, next))
}

fn execute(cx: &mut Cx<'_>, p: &Params) -> ApiResult<()> {
    let (rows, next) = run(cx, p)?;
    let props = p.list("prop").to_vec();
    let has = |n: &str| props.iter().any(|x| x == n);
    let mut list = List::new("page");
    for (pg, v) in &rows {
        let mut e = Map::new();
        if has("ids") {
            e.set("pageid", pg.id);
        }
        if has("title") {
            e.set("ns", pg.ns);
            e.set("title", title_text(cx, pg.ns, &pg.title));
        }
        if has("value") {
            e.set("value", v.as_str());
        }
        list.push(e);
    }
    if let Some(n) = next {
        cx.add_continue(&PAGESWITHPROP, "continue", n);
    }
    cx.result.map_mut("query").set("pageswithprop", list);
    Ok(())
}

fn generate(cx: &mut Cx<'_>, p: &Params) -> ApiResult<Generated> {
    let (rows, next) = run(cx, p)?;
    let mut g = Generated {
        pages: rows.into_iter().map(|(pg, _)| pg).collect(),
        ..Generated::default()
    };
    if let Some(n) = next {
        g.continues.push(("continue", n.into()));
    }
    Ok(g)
}
