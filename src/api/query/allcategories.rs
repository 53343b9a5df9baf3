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
    ParamDef::string("from").help("List categories whose title sorts at or after this one."),
    ParamDef::string("continue").help("Resume an earlier request with the value its continue section returned."),
    ParamDef::string("to").help("List categories whose title sorts at or before this one."),
    ParamDef::string("prefix").help("List only categories whose title starts with this text."),
    ParamDef::enumeration("dir", &["ascending", "descending"])
        .default("ascending")
        .help("Whether to go through the titles in ascending or descending order."),
    ParamDef::integer("min").help("Leave out categories with fewer members than this."),
    ParamDef::integer("max").help("Leave out categories with more members than this."),
    ParamDef::limit("limit", 500, 5000)
        .default("10")
        .help("The largest number of categories to list."),
    ParamDef::enumeration("prop", &["hidden", "size"])
        .multi()
        .help("Extra facts to report for each category: its member counts (size) and whether it is hidden."),
];

pub static ALLCATEGORIES: ModuleDef = ModuleDef {
    prefix: "ac",
    summary: "List the categories of the wiki that have members, ordered by title.",
    params: PARAMS,
    cache_mode: CacheMode::Public,
    help_urls: &["https://www.mediawiki.org/wiki/Special:MyLanguage/API:Allcategories"],
    examples: &[
        (
            "action=query&list=allcategories&acprop=size",
            "Each category together with how many pages, files and subcategories it holds.",
        ),
        (
            "action=query&generator=allcategories&gacprefix=List&prop=info",
            "Page information on the category pages whose names start with List.",
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
        if has("hidden") {
            // a BC bool: fv1 and XML leave it out when false
            e.set("hidden", c.hidden);
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
        g.continues.push(("continue", n.into()));
    }
    Ok(g)
}
