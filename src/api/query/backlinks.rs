//! `list=backlinks` and `list=embeddedin`: pages linking to or transcluding a
//! title; usable as generators. (mirrors includes/api/ApiQueryBacklinks.php)

use crate::api::error::{ApiError, ApiResult};
use crate::api::message::Msg;
use crate::api::params::{PType, ParamDef, Params};
use crate::api::query::linkutil::*;
use crate::api::query::pageset::Generated;
use crate::api::result::List;
use crate::api::{CacheMode, Cx, Group, ModuleDef};
use crate::storage::links::{BacklinkQuery, LinkTable};
use crate::storage::Page;

macro_rules! params {
    ($name:ident, $what:literal, $extra:expr) => {
        static $name: &[ParamDef] = &[
            ParamDef::string("title").help(concat!(
                "List the pages that ",
                $what,
                " the page with this title. Not allowed together with pageid."
            )),
            ParamDef::integer("pageid").help(concat!(
                "List the pages that ",
                $what,
                " the page with this ID. Not allowed together with title."
            )),
            ParamDef::string("continue")
                .help("Resume an earlier request with the value its continue section returned."),
            ParamDef::new("namespace", PType::Namespace)
                .multi()
                .allow_all()
                .help("List only pages from these namespaces."),
            ParamDef::enumeration("dir", &["ascending", "descending"])
                .default("ascending")
                .help("Whether to go through the pages in ascending or descending order."),
            ParamDef::enumeration("filterredir", &["all", "nonredirects", "redirects"])
                .default("all")
                .help("Whether to list every page, only redirects, or only pages that are not redirects."),
            ParamDef::limit("limit", 500, 5000)
                .default("10")
                .help("The largest number of pages to list."),
            $extra,
        ];
    };
}

params!(
    BL_PARAMS,
    "link to",
    ParamDef::boolean("redirect").help(
        "Accepted for compatibility; links that reach the page through a redirect are not followed yet."
    )
);

static EI_PARAMS: &[ParamDef] = &[
    ParamDef::string("title").help("List the pages that transclude the page with this title. Not allowed together with pageid."),
    ParamDef::integer("pageid").help("List the pages that transclude the page with this ID. Not allowed together with title."),
    ParamDef::string("continue").help("Resume an earlier request with the value its continue section returned."),
    ParamDef::new("namespace", PType::Namespace)
        .multi()
        .allow_all()
        .help("List only pages from these namespaces."),
    ParamDef::enumeration("dir", &["ascending", "descending"])
        .default("ascending")
        .help("Whether to go through the pages in ascending or descending order."),
    ParamDef::enumeration("filterredir", &["all", "nonredirects", "redirects"])
        .default("all")
        .help("Whether to list every page, only redirects, or only pages that are not redirects."),
    ParamDef::limit("limit", 500, 5000)
        .default("10")
        .help("The largest number of pages to list."),
];

pub static BACKLINKS: ModuleDef = ModuleDef {
    prefix: "bl",
    summary: "List the pages that have a wikilink to one page.",
    params: BL_PARAMS,
    cache_mode: CacheMode::Public,
    help_urls: &["https://www.mediawiki.org/wiki/Special:MyLanguage/API:Backlinks"],
    examples: &[
        (
            "action=query&list=backlinks&bltitle=Main%20Page",
            "The pages with a link to Main Page.",
        ),
        (
            "action=query&generator=backlinks&gbltitle=Main%20Page&prop=info",
            "Page information for each page that links to Main Page.",
        ),
    ],
    execute: Some(exec_bl),
    generate: Some(gen_bl),
    ..ModuleDef::new("backlinks", Group::List, "ApiQueryBacklinks")
};

pub static EMBEDDEDIN: ModuleDef = ModuleDef {
    prefix: "ei",
    summary: "List the pages that transclude one page, usually a template.",
    params: EI_PARAMS,
    cache_mode: CacheMode::Public,
    help_urls: &["https://www.mediawiki.org/wiki/Special:MyLanguage/API:Embeddedin"],
    examples: &[
        (
            "action=query&list=embeddedin&eititle=Template:Stub",
            "The pages that use Template:Stub.",
        ),
        (
            "action=query&generator=embeddedin&geititle=Template:Stub&prop=info",
            "Page information for each page that uses Template:Stub.",
        ),
    ],
    execute: Some(exec_ei),
    generate: Some(gen_ei),
    ..ModuleDef::new("embeddedin", Group::List, "ApiQueryBacklinks")
};

fn run(
    cx: &mut Cx<'_>,
    p: &Params,
    def: &ModuleDef,
    table: LinkTable,
) -> ApiResult<(Vec<Page>, Option<String>)> {
    let pre = |n: &str| format!("{}{}", def.prefix, n);
    let target = match (p.str("title"), p.int("pageid")) {
        (Some(_), Some(_)) => {
            let a = pre("title");
            let b = pre("pageid");
            return Err(ApiError::invalid_param_mix(&[a.as_str(), b.as_str()]));
        }
        (None, None) => {
            let a = pre("title");
            let b = pre("pageid");
            return Err(ApiError::missing_one_of(&[a.as_str(), b.as_str()]));
        }
        (Some(t), None) => {
            let t = title_param(cx, t)?;
            (t.ns, t.dbkey)
        }
        (None, Some(id)) => {
            let mut r = cx.app.store.read().map_err(read_err)?;
            match r.pages_by_ids(&[id]).map_err(read_err)?.into_iter().next() {
                Some(pg) => (pg.ns, pg.title),
                None => return Err(ApiError::msg(Msg::new("apierror-nosuchpageid").p(id))),
            }
        }
    };
    let cont = match p.str("continue") {
        Some(c) => {
            let parts = split_continue(c, 2)?;
            Some((0, cont_int(&parts[0])? as i32, cont_int(&parts[1])?))
        }
        None => None,
    };
    let limit = limit(p);
    let from_namespaces = namespaces(p, "namespace");
    // MediaWiki orders by the linking page's namespace only when more than one
    // namespace is asked for; otherwise by page id alone
    let by_from_ns = from_namespaces.len() > 1;
    let q = BacklinkQuery {
        targets: vec![target],
        namespaces: from_namespaces,
        redirects: match p.str("filterredir") {
            Some("redirects") => Some(true),
            Some("nonredirects") => Some(false),
            _ => None,
        },
        cont,
        by_from_ns,
        descending: p.str("dir") == Some("descending"),
        limit: limit + 1,
    };
    let mut rows = {
        let mut r = cx.app.store.read().map_err(read_err)?;
        r.backlinks(table, &q).map_err(read_err)?
    };
    let next = if rows.len() > limit {
        let extra = rows.split_off(limit);
        extra
            .first()
            .map(|b| format!("{}|{}", b.page.ns, b.page.id))
    } else {
        None
    };
    Ok((rows.into_iter().map(|b| b.page).collect(), next))
}

fn execute(
    cx: &mut Cx<'_>,
    p: &Params,
    def: &'static ModuleDef,
    table: LinkTable,
) -> ApiResult<()> {
    let (rows, next) = run(cx, p, def, table)?;
    let tag = if def.name == "backlinks" { "bl" } else { "ei" };
    let mut list = List::new(tag);
    for pg in &rows {
        let mut e = page_entry(cx, pg);
        if pg.is_redirect {
            e.set("redirect", true);
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
    table: LinkTable,
) -> ApiResult<Generated> {
    let (rows, next) = run(cx, p, def, table)?;
    let mut g = Generated {
        pages: rows,
        ..Generated::default()
    };
    if let Some(n) = next {
        g.continues.push(("continue", n.into()));
    }
    Ok(g)
}

fn exec_bl(cx: &mut Cx<'_>, p: &Params) -> ApiResult<()> {
    execute(cx, p, &BACKLINKS, LinkTable::Page)
}
fn gen_bl(cx: &mut Cx<'_>, p: &Params) -> ApiResult<Generated> {
    generate(cx, p, &BACKLINKS, LinkTable::Page)
}
fn exec_ei(cx: &mut Cx<'_>, p: &Params) -> ApiResult<()> {
    execute(cx, p, &EMBEDDEDIN, LinkTable::Template)
}
fn gen_ei(cx: &mut Cx<'_>, p: &Params) -> ApiResult<Generated> {
    generate(cx, p, &EMBEDDEDIN, LinkTable::Template)
}
