//! `list=allcategories`: every category with members, in title order; usable as
//! a generator. (mirrors includes/api/ApiQueryAllCategories.php)

use crate::api::error::ApiResult;
use crate::api::params::{ParamDef, Params};
use crate::api::query::allpages::title_part_to_key;
use crate::api::query::linkutil::*;
use crate::api::query::pageset::Generated;
use crate::api::result::{List, Map};
use crate::api::{CacheMode, Cx, Group, ModuleDef};
use crate::storage::links::CategoryInfo;

static PARAMS: &[ParamDef] = &[
    ParamDef::string("from").help("The category to start enumerating from."),
    ParamDef::string("continue").help("When more results are available, use this to continue."),
    ParamDef::string("to").help("The category to stop enumerating at."),
    ParamDef::string("prefix").help("Search for all category titles that begin with this value."),
    ParamDef::enumeration("dir", &["ascending", "descending"])
        .default("ascending")
        .help("Direction to sort in."),
    ParamDef::integer("min").help("Only return categories with at least this many members."),
    ParamDef::integer("max").help("Only return categories with at most this many members."),
    ParamDef::limit("limit", 500, 5000)
        .default("10")
        .help("How many categories to return."),
    ParamDef::enumeration("prop", &["hidden", "size"])
        .multi()
        .help("Which properties to get."),
];

pub static ALLCATEGORIES: ModuleDef = ModuleDef {
    prefix: "ac",
    summary: "Enumerate all categories.",
    params: PARAMS,
    cache_mode: CacheMode::Public,
    help_urls: &["https://www.mediawiki.org/wiki/Special:MyLanguage/API:Allcategories"],
    examples: &[
        (
            "action=query&list=allcategories&acprop=size",
            "List categories with information on the number of pages in each.",
        ),
        (
            "action=query&generator=allcategories&gacprefix=List&prop=info",
            "Retrieve info about the category page itself for categories prefixed List.",
        ),
    ],
    execute: Some(execute),
    generate: Some(generate),
    ..ModuleDef::new("allcategories", Group::List, "ApiQueryAllCategories")
};

fn run(cx: &mut Cx<'_>, p: &Params) -> ApiResult<(Vec<CategoryInfo>, Option<String>)> {
    let key = |cx: &Cx<'_>, v: Option<&str>| -> ApiResult<Option<String>> {
        match v {
            Some(s) => Ok(Some(title_part_to_key(cx, s, 14)?)),
            None => Ok(None),
        }
    };
    let desc = p.str("dir") == Some("descending");
    let mut from = key(cx, p.str("from"))?;
    if let Some(c) = p.str("continue") {
        from = Some(c.to_string());
    }
    let to = key(cx, p.str("to"))?;
    let prefix = key(cx, p.str("prefix"))?;
    let limit = limit(p);
    let mut rows = {
        let mut r = cx.app.store.read().map_err(read_err)?;
        r.all_categories(
            from.as_deref(),
            to.as_deref(),
            prefix.as_deref(),
            desc,
            p.int("min"),
            p.int("max"),
            limit + 1,
        )
        .map_err(read_err)?
    };
    let next = if rows.len() > limit {
        rows.split_off(limit).first().map(|c| c.title.clone())
    } else {
        None
    };
    Ok((rows, next))
}

fn execute(cx: &mut Cx<'_>, p: &Params) -> ApiResult<()> {
    let (rows, next) = run(cx, p)?;
    let props = p.list("prop").to_vec();
    let has = |n: &str| props.iter().any(|x| x == n);
    let mut list = List::new("c");
    for c in &rows {
        let mut e = Map::new();
        e.set_content("category", c.title.replace('_', " "));
        if has("size") {
            e.set("size", c.pages);
            e.set("pages", c.pages - c.subcats - c.files);
            e.set("files", c.files);
            e.set("subcats", c.subcats);
        }
        if has("hidden") && c.hidden {
            e.set("hidden", true);
        }
        list.push(e);
    }
    if let Some(n) = next {
        cx.add_continue(&ALLCATEGORIES, "continue", n);
    }
    cx.result.map_mut("query").set("allcategories", list);
    Ok(())
}

fn generate(cx: &mut Cx<'_>, p: &Params) -> ApiResult<Generated> {
    let (rows, next) = run(cx, p)?;
    let mut g = Generated {
        titles: rows.into_iter().map(|c| (14, c.title)).collect(),
        ..Generated::default()
    };
    if let Some(n) = next {
        g.continues.push(("continue", n));
    }
    Ok(g)
}
