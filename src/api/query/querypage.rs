//! `list=querypage`: the reports of special pages such as Shortpages or
//! Wantedpages, computed from the page and link tables; usable as a generator.
//! https://www.mediawiki.org/wiki/API:Querypage (mirrors includes/api/ApiQueryQueryPage.php)

use crate::api::error::ApiResult;
use crate::api::params::{ParamDef, Params};
use crate::api::query::linkutil::{read_err, title_text};
use crate::api::query::pageset::Generated;
use crate::api::result::{List, Map};
use crate::api::{CacheMode, Cx, Group, ModuleDef};
use crate::storage::lists::QueryPageRow;
use crate::util::time;

/// The report names MediaWiki 1.39 core offers.
pub const PAGES: &[&str] = &[
    "Ancientpages",
    "BrokenRedirects",
    "Deadendpages",
    "DoubleRedirects",
    "Fewestrevisions",
    "ListDuplicatedFiles",
    "Listredirects",
    "Lonelypages",
    "Longpages",
    "MediaStatistics",
    "Mostcategories",
    "Mostimages",
    "Mostinterwikis",
    "Mostlinked",
    "Mostlinkedcategories",
    "Mostlinkedtemplates",
    "Mostrevisions",
    "Shortpages",
    "Uncategorizedcategories",
    "Uncategorizedimages",
    "Uncategorizedpages",
    "Uncategorizedtemplates",
    "Unusedcategories",
    "Unusedimages",
    "Unusedtemplates",
    "Unwatchedpages",
    "Wantedcategories",
    "Wantedfiles",
    "Wantedpages",
    "Wantedtemplates",
    "Withoutinterwiki",
];

static PARAMS: &[ParamDef] = &[
    ParamDef::enumeration("page", PAGES)
        .required()
        .help("The report (special page) to read."),
    ParamDef::integer("offset")
        .default("0")
        .help("How many rows to skip; continuation answers give the next value."),
    ParamDef::limit("limit", 500, 5000)
        .default("10")
        .help("Largest number of rows in one answer."),
];

pub static QUERYPAGE: ModuleDef = ModuleDef {
    cache_mode: CacheMode::Public,
    prefix: "qp",
    summary: "Read the report of a special page that lists pages (short pages, wanted pages, …).",
    params: PARAMS,
    help_urls: &["https://www.mediawiki.org/wiki/Special:MyLanguage/API:Querypage"],
    examples: &[(
        "action=query&list=querypage&qppage=Ancientpages",
        "The pages that were edited longest ago.",
    )],
    execute: Some(execute),
    generate: Some(generate),
    ..ModuleDef::new("querypage", Group::List, "ApiQueryQueryPage")
};

fn run(cx: &mut Cx<'_>, p: &Params) -> ApiResult<(String, Vec<QueryPageRow>, Option<i64>)> {
    let name = p.str("page").unwrap_or_default().to_string();
    let limit = p.int("limit").unwrap_or(10).max(1) as usize;
    let offset = p.int("offset").unwrap_or(0);
    let mut r = cx.app.store.read().map_err(read_err)?;
    let mut rows = r
        .query_page(&name, limit + 1, offset.max(0) as usize)
        .map_err(read_err)?
        .unwrap_or_default();
    let next = if rows.len() > limit {
        rows.truncate(limit);
        Some(offset + limit as i64)
    } else {
        None
    };
    Ok((name, rows, next))
}

fn execute(cx: &mut Cx<'_>, p: &Params) -> ApiResult<()> {
    let (name, rows, next) = run(cx, p)?;
    let timestamps = name == "Ancientpages";
    let mut results = List::new("page");
    for row in &rows {
        let mut m = Map::new();
        if let Some(v) = &row.value {
            m.set("value", v.as_str());
            if timestamps {
                m.set("timestamp", time::mw_to_iso(v));
            }
        }
        m.set("ns", row.ns);
        m.set("title", title_text(cx, row.ns, &row.title));
        results.push(m);
    }
    if let Some(n) = next {
        cx.add_continue(&QUERYPAGE, "offset", n);
    }
    let mut out = Map::new();
    out.set("name", name.as_str());
    out.set("results", results);
    cx.result.map_mut("query").set("querypage", out);
    Ok(())
}

fn generate(cx: &mut Cx<'_>, p: &Params) -> ApiResult<Generated> {
    let (_, rows, next) = run(cx, p)?;
    let mut g = Generated::default();
    for row in rows {
        if !g.titles.contains(&(row.ns, row.title.clone())) {
            g.titles.push((row.ns, row.title));
        }
    }
    if let Some(n) = next {
        g.continues.push(("offset", n.into()));
    }
    Ok(g)
}
