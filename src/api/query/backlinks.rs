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
        "For each redirect among the linking pages, also list the pages that link to that redirect (the limits are halved)."
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

/// One page of the answer: a page linking to the target, and with `blredirect`,
/// the pages that link to it when it is a redirect.
struct Row {
    page: Page,
    redirlinks: Vec<Page>,
}

/// A continuation value: 2 parts (first query), 6 (also the redirect query), or
/// 7/8 (MediaWiki's result-size positions, accepted and not needed here). Each
/// number must be written as PHP writes it back.
struct Cont {
    first: Option<(i32, i64)>,
    second: Option<(i32, String, i32, i64)>,
}

fn parse_cont(c: &str) -> ApiResult<Cont> {
    let parts: Vec<&str> = c.split('|').collect();
    let int = |s: &str| -> ApiResult<i64> {
        match s.parse::<i64>() {
            Ok(i) if i.to_string() == s => Ok(i),
            _ => Err(bad_continue()),
        }
    };
    match parts.len() {
        2 | 6 | 7 | 8 => {}
        _ => return Err(bad_continue()),
    }
    if parts.len() >= 7 {
        for x in &parts[6..] {
            int(x)?;
        }
    }
    let second = if parts.len() >= 6 {
        Some((
            int(parts[2])? as i32,
            parts[3].to_string(),
            int(parts[4])? as i32,
            int(parts[5])?,
        ))
    } else {
        None
    };
    Ok(Cont {
        first: Some((int(parts[0])? as i32, int(parts[1])?)),
        second,
    })
}

fn run(
    cx: &mut Cx<'_>,
    p: &Params,
    def: &ModuleDef,
    table: LinkTable,
    generator: bool,
) -> ApiResult<(Vec<Row>, Option<String>)> {
    let pre = |n: &str| format!("{}{}", def.prefix, n);
    // `blredirect` halves the limits (each page may bring its redirect's links).
    let redirect = table == LinkTable::Page && p.flag("redirect");
    let mut limit = limit(p);
    if redirect {
        let (max, max2) = (250usize, 2500usize);
        let top = if cx.high_limits() { max2 } else { max };
        if p.max_limits.iter().any(|(n, _)| *n == "limit") {
            limit = top;
            cx.result.map_mut("limits").set(def.name, top as i64);
        } else if limit > top {
            let full = format!("{}{}", if generator { "g" } else { "" }, pre("limit"));
            cx.warn_in(
                &def.path(),
                "outofrange",
                Msg::new("paramvalidator-outofrange-minmax")
                    .plain(full)
                    .plain(limit.to_string())
                    .p(1i64)
                    .p(top as i64),
                None,
            );
            limit = top;
        }
    }
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
        Some(c) => parse_cont(c)?,
        None => Cont {
            first: None,
            second: None,
        },
    };
    let from_namespaces = namespaces(p, "namespace");
    // MediaWiki orders by the linking page's namespace only when more than one
    // namespace is asked for; otherwise by page id alone
    let by_from_ns = from_namespaces.len() > 1;
    let descending = p.str("dir") == Some("descending");
    let filter = match p.str("filterredir") {
        Some("redirects") => Some(true),
        Some("nonredirects") => Some(false),
        _ => None,
    };
    let q = BacklinkQuery {
        targets: vec![target],
        namespaces: from_namespaces.clone(),
        // Pages that are not redirects cannot be followed through: with
        // blredirect, filterredir=nonredirects applies to the redirects' links only.
        redirects: if redirect && filter == Some(false) {
            None
        } else {
            filter
        },
        cont: cont.first.map(|(ns, id)| (0, ns, id)),
        by_from_ns,
        descending,
        limit: limit + 1,
    };
    let mut first = {
        let mut r = cx.app.store.read().map_err(read_err)?;
        r.backlinks(table, &q).map_err(read_err)?
    };
    let mut next = if first.len() > limit {
        let extra = first.split_off(limit);
        extra
            .first()
            .map(|b| format!("{}|{}", b.page.ns, b.page.id))
    } else {
        None
    };
    // The first query's position is kept in the continuation of the second.
    let first_pos = cont
        .first
        .or_else(|| first.first().map(|b| (b.page.ns, b.page.id)));
    let mut rows: Vec<Row> = first
        .into_iter()
        .map(|b| Row {
            page: b.page,
            redirlinks: Vec::new(),
        })
        .collect();
    let mut redirects: Vec<(i32, String)> = rows
        .iter()
        .filter(|r| r.page.is_redirect)
        .map(|r| (r.page.ns, r.page.title.clone()))
        .collect();
    if redirect && !redirects.is_empty() {
        // Ordered by the redirect's namespace and title, then the linking page.
        redirects.sort();
        redirects.dedup();
        let cont2 = match &cont.second {
            Some((ns, title, from_ns, from)) => {
                let key = (*ns, title.clone());
                let idx = if descending {
                    redirects.iter().rposition(|t| *t <= key)
                } else {
                    redirects.iter().position(|t| *t >= key)
                };
                match idx {
                    Some(i) if redirects[i] == key => Some((i, *from_ns, *from)),
                    // The position's title is gone: start at the next one.
                    Some(i) if descending => Some((i, i32::MAX, i64::MAX)),
                    Some(i) => Some((i, i32::MIN, i64::MIN)),
                    None => Some((redirects.len(), 0, 0)),
                }
            }
            None => None,
        };
        let done = matches!(cont2, Some((i, _, _)) if i >= redirects.len());
        let mut second = if done {
            Vec::new()
        } else {
            let q2 = BacklinkQuery {
                targets: redirects.clone(),
                namespaces: from_namespaces,
                redirects: filter,
                cont: cont2,
                by_from_ns,
                descending,
                limit: limit + 1,
            };
            let mut r = cx.app.store.read().map_err(read_err)?;
            r.backlinks(table, &q2).map_err(read_err)?
        };
        if second.len() > limit {
            let extra = second.split_off(limit);
            if let (Some(b), Some((fns, fid))) = (extra.first(), first_pos) {
                let (ns, title) = &redirects[b.target];
                next = Some(format!(
                    "{fns}|{fid}|{ns}|{title}|{}|{}",
                    b.page.ns, b.page.id
                ));
            }
        }
        for b in second {
            let (ns, title) = &redirects[b.target];
            if let Some(parent) = rows
                .iter_mut()
                .find(|r| r.page.ns == *ns && r.page.title == *title)
            {
                parent.redirlinks.push(b.page);
            }
        }
    }
    Ok((rows, next))
}

fn execute(
    cx: &mut Cx<'_>,
    p: &Params,
    def: &'static ModuleDef,
    table: LinkTable,
) -> ApiResult<()> {
    let (rows, next) = run(cx, p, def, table, false)?;
    let tag = if def.name == "backlinks" { "bl" } else { "ei" };
    let mut list = List::new(tag);
    for row in &rows {
        let pg = &row.page;
        let mut e = page_entry(cx, pg);
        if pg.is_redirect {
            e.set("redirect", true);
        }
        if !row.redirlinks.is_empty() {
            let mut rl = List::new(tag);
            for r in &row.redirlinks {
                let mut x = page_entry(cx, r);
                if r.is_redirect {
                    x.set("redirect", true);
                }
                rl.push(x);
            }
            e.set("redirlinks", rl);
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
    let (rows, next) = run(cx, p, def, table, true)?;
    let mut g = Generated::default();
    for row in rows {
        for pg in std::iter::once(row.page).chain(row.redirlinks) {
            if !g.pages.iter().any(|x| x.id == pg.id) {
                g.pages.push(pg);
            }
        }
    }
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
