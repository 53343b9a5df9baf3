//! `prop=categories`: the categories of each page; usable as a generator.
//! (mirrors includes/api/ApiQueryCategories.php)

use crate::api::error::ApiResult;
use crate::api::params::{ParamDef, Params};
use crate::api::query::linkutil::*;
use crate::api::query::pageset::Generated;
use crate::api::result::{Map, Val};
use crate::api::{CacheMode, Cx, Group, ModuleDef};
use crate::storage::links::PageCategory;

static PARAMS: &[ParamDef] = &[
    ParamDef::enumeration("prop", &["hidden", "sortkey", "timestamp"])
        .multi()
        .help("Extra facts to report for each category link: whether the category is hidden, the sort key, and when the page was added."),
    ParamDef::enumeration("show", &["!hidden", "hidden"])
        .multi()
        .help("Keep only hidden categories (hidden) or only visible ones (!hidden)."),
    ParamDef::limit("limit", 500, 5000)
        .default("10")
        .help("The largest number of category links to list, for all pages together."),
    ParamDef::string("continue").help("Resume an earlier request with the value its continue section returned."),
    ParamDef::string("categories")
        .multi()
        .help("Report only these categories, e.g. to test whether a page is in one of them."),
    ParamDef::enumeration("dir", &["ascending", "descending"])
        .default("ascending")
        .help("Whether to go through the categories of a page in ascending or descending order."),
];

pub static CATEGORIES: ModuleDef = ModuleDef {
    prefix: "cl",
    summary: "For each page of the set, list the categories it is in.",
    params: PARAMS,
    cache_mode: CacheMode::Public,
    help_urls: &["https://www.mediawiki.org/wiki/Special:MyLanguage/API:Categories"],
    examples: &[
        (
            "action=query&prop=categories&titles=Albert%20Einstein",
            "The categories of the page Albert Einstein.",
        ),
        (
            "action=query&generator=categories&titles=Albert%20Einstein&prop=info",
            "Page information for each category that Albert Einstein is in.",
        ),
    ],
    execute: Some(execute),
    generate: Some(generate),
    ..ModuleDef::new("categories", Group::Prop, "ApiQueryCategories")
};

fn hex(s: &str) -> String {
    s.bytes().map(|b| format!("{b:02x}")).collect()
}

fn run(cx: &mut Cx<'_>, p: &Params) -> ApiResult<(Vec<PageCategory>, Option<String>)> {
    let pages = input_pages(cx)?;
    let ids: Vec<i64> = pages.iter().map(|p| p.id).collect();
    let mut only = Vec::new();
    for c in p.list("categories") {
        if let Ok(t) = cx.app.titles.parse(c, 14) {
            if t.ns == 14 {
                only.push(t.dbkey);
            }
        }
    }
    if ids.is_empty() || (p.given("categories") && only.is_empty()) {
        return Ok((Vec::new(), None));
    }
    let cont = match p.str("continue") {
        Some(c) => {
            let parts = split_continue(c, 2)?;
            Some((cont_int(&parts[0])?, parts[1].clone()))
        }
        None => None,
    };
    let show = p.list("show").to_vec();
    let limit = limit(p);
    let desc = p.str("dir") == Some("descending");
    let mut rows = {
        let mut r = cx.app.store.read().map_err(read_err)?;
        // Fetch generously when filtering on hidden-ness afterwards.
        let fetch = if show.is_empty() {
            limit + 1
        } else {
            usize::MAX / 2
        };
        r.page_categories(&ids, &only, cont, desc, fetch)
            .map_err(read_err)?
    };
    if show.iter().any(|s| s == "hidden") {
        rows.retain(|c| c.hidden);
    } else if show.iter().any(|s| s == "!hidden") {
        rows.retain(|c| !c.hidden);
    }
    let next = if rows.len() > limit {
        let extra = rows.split_off(limit);
        extra.first().map(|c| format!("{}|{}", c.from, c.category))
    } else {
        None
    };
    Ok((rows, next))
}

fn execute(cx: &mut Cx<'_>, p: &Params) -> ApiResult<()> {
    let (rows, next) = run(cx, p)?;
    let props = p.list("prop").to_vec();
    let has = |n: &str| props.iter().any(|x| x == n);
    let mut by_page: Vec<(i64, Vec<Val>)> = Vec::new();
    for c in &rows {
        let mut e: Map = ns_title(cx, 14, &c.category);
        if has("sortkey") {
            e.set("sortkey", hex(&c.sortkey));
            e.set("sortkeyprefix", c.prefix.as_str());
        }
        if has("timestamp") {
            e.set("timestamp", crate::util::time::mw_to_iso(&c.timestamp));
        }
        if has("hidden") {
            // a BC bool: fv1 and XML leave it out when false
            e.set("hidden", c.hidden);
        }
        match by_page.iter_mut().find(|(id, _)| *id == c.from) {
            Some((_, v)) => v.push(Val::Map(e)),
            None => by_page.push((c.from, vec![Val::Map(e)])),
        }
    }
    for (id, items) in by_page {
        add_page_items(cx, id, "categories", "cl", items);
    }
    if let Some(n) = next {
        cx.add_continue(&CATEGORIES, "continue", n);
    }
    Ok(())
}

fn generate(cx: &mut Cx<'_>, p: &Params) -> ApiResult<Generated> {
    let (rows, next) = run(cx, p)?;
    let mut g = Generated::default();
    for c in rows {
        let k = (14, c.category);
        if !g.titles.contains(&k) {
            g.titles.push(k);
        }
    }
    if let Some(n) = next {
        g.continues.push(("continue", n.into()));
    }
    Ok(g)
}
