//! `list=allpages`: pages of one namespace in title order; usable as a generator.
//! https://www.mediawiki.org/wiki/API:Allpages (mirrors includes/api/ApiQueryAllPages.php)

use crate::api::error::{ApiError, ApiResult};
use crate::api::message::Msg;
use crate::api::params::{PType, ParamDef, Params};
use crate::api::query::pageset::{escape_wikitext, page_title_text, Generated};
use crate::api::result::{List, Map};
use crate::api::{Cx, Group, ModuleDef};
use crate::storage::{Page, PageListQuery, ProtectionFilter};

static PARAMS: &[ParamDef] = &[
    ParamDef::string("from").help("List pages whose titles sort at or after this one."),
    ParamDef::string("continue")
        .help("Resume an earlier request with the value its continue section returned."),
    ParamDef::string("to").help("List pages whose titles sort at or before this one."),
    ParamDef::string("prefix").help("Only pages whose titles start with this text."),
    ParamDef::new("namespace", PType::Namespace)
        .default("0")
        .help("Namespace whose pages are listed."),
    ParamDef::enumeration("filterredir", &["all", "nonredirects", "redirects"])
        .default("all")
        .help("Whether to list redirects, other pages, or both."),
    ParamDef::integer("minsize").help("Only pages of this size in bytes or larger."),
    ParamDef::integer("maxsize").help("Only pages of this size in bytes or smaller."),
    ParamDef::enumeration("prtype", &["edit", "move", "upload"])
        .multi()
        .help("Only pages protected against this action."),
    ParamDef::enumeration("prlevel", &["", "autoconfirmed", "sysop"])
        .multi()
        .help("Only protections of this level; needs prtype."),
    ParamDef::enumeration("prfiltercascade", &["all", "cascading", "noncascading"])
        .default("all")
        .help("Only cascading or only non-cascading protections; needs prtype."),
    ParamDef::limit("limit", 500, 5000)
        .default("10")
        .help("Largest number of pages in one answer."),
    ParamDef::enumeration("dir", &["ascending", "descending"])
        .default("ascending")
        .help("Sort order of the titles."),
    ParamDef::enumeration(
        "filterlanglinks",
        &["all", "withlanglinks", "withoutlanglinks"],
    )
    .default("all")
    .help("Only pages with language links, or only pages without any."),
    ParamDef::enumeration("prexpiry", &["all", "definite", "indefinite"])
        .default("all")
        .help("Only protections that expire, or only those that never do."),
];

pub static ALLPAGES: ModuleDef = ModuleDef {
    cache_mode: crate::api::CacheMode::Public,
    prefix: "ap",
    summary: "List the pages of one namespace in title order.",
    params: PARAMS,
    help_urls: &["https://www.mediawiki.org/wiki/Special:MyLanguage/API:Allpages"],
    examples: &[
        (
            "action=query&list=allpages&apfrom=B",
            "Pages from the title B onwards.",
        ),
        (
            "action=query&generator=allpages&gaplimit=4&gapfrom=T&prop=info",
            "Page information for four pages from the title T onwards.",
        ),
    ],
    execute: Some(execute),
    generate: Some(generate),
    ..ModuleDef::new("allpages", Group::List, "ApiQueryAllPages")
};

/// `titlePartToKey`: a title fragment as a DB key in `ns` (first letter
/// upper-cased, spaces to underscores); `invalidtitle` when it cannot be one.
pub fn title_part_to_key(cx: &Cx<'_>, part: &str, ns: i32) -> ApiResult<String> {
    let codec = &cx.app.titles;
    let bad = || {
        ApiError::coded(
            "invalidtitle",
            Msg::new("apierror-invalidtitle").p(escape_wikitext(part)),
        )
    };
    let name = codec.namespaces.display_name(ns).unwrap_or_default();
    let text = if name.is_empty() {
        format!("{part}x")
    } else {
        format!("{name}:{part}x")
    };
    let t = codec.parse(&text, 0).map_err(|_| bad())?;
    if !t.fragment.is_empty() || text.contains('#') || t.ns != ns || !t.interwiki.is_empty() {
        return Err(bad());
    }
    let mut key = t.dbkey;
    key.pop();
    Ok(key)
}

/// Runs the listing: up to `limit` rows, and the continuation value when more exist.
fn run(cx: &mut Cx<'_>, p: &Params) -> ApiResult<(Vec<Page>, Option<String>)> {
    let ns = p
        .str("namespace")
        .and_then(|s| s.parse::<i32>().ok())
        .unwrap_or(0);
    let descending = p.str("dir") == Some("descending");
    let mut from = match p.str("from") {
        Some(f) => Some(title_part_to_key(cx, f, ns)?),
        None => None,
    };
    let to = match p.str("to") {
        Some(t) => Some(title_part_to_key(cx, t, ns)?),
        None => None,
    };
    let prefix = match p.str("prefix") {
        Some(s) => Some(title_part_to_key(cx, s, ns)?),
        None => None,
    };
    if let Some(c) = p.str("continue") {
        if c.contains('|') {
            return Err(ApiError::coded(
                "badcontinue",
                Msg::new("apierror-badcontinue"),
            ));
        }
        // Both bounds apply: keep the tighter one.
        let c = c.to_string();
        from = Some(match from {
            Some(f)
                if (descending && f.as_bytes() < c.as_bytes())
                    || (!descending && f.as_bytes() > c.as_bytes()) =>
            {
                f
            }
            _ => c,
        });
    }
    let prtypes = p.list("prtype").to_vec();
    let prexpiry = p.str("prexpiry").unwrap_or("all");
    let protection = if !prtypes.is_empty() || prexpiry != "all" {
        Some(ProtectionFilter {
            types: prtypes.clone(),
            levels: p
                .list("prlevel")
                .iter()
                .filter(|l| !l.is_empty() && *l != "*")
                .cloned()
                .collect(),
            cascade: match p.str("prfiltercascade") {
                Some("cascading") if !prtypes.is_empty() => Some(true),
                Some("noncascading") if !prtypes.is_empty() => Some(false),
                _ => None,
            },
            indefinite: match prexpiry {
                "indefinite" => Some(true),
                "definite" => Some(false),
                _ => None,
            },
        })
    } else {
        if p.given("prlevel") {
            return Err(ApiError::coded(
                "invalidparammix",
                Msg::new("apierror-invalidparammix-mustusewith")
                    .p("prlevel")
                    .p("prtype"),
            ));
        }
        None
    };
    let limit = p.int("limit").unwrap_or(10).max(1) as usize;
    let q = PageListQuery {
        ns,
        from,
        to,
        prefix,
        descending,
        redirects: match p.str("filterredir") {
            Some("redirects") => Some(true),
            Some("nonredirects") => Some(false),
            _ => None,
        },
        min_size: p.int("minsize"),
        max_size: p.int("maxsize"),
        langlinks: match p.str("filterlanglinks") {
            Some("withlanglinks") => Some(true),
            Some("withoutlanglinks") => Some(false),
            _ => None,
        },
        protection,
        limit: limit + 1,
    };
    let mut rows = {
        let mut r = cx.app.store.read().map_err(ApiError::internal)?;
        r.list_pages(&q).map_err(ApiError::internal)?
    };
    let next = if rows.len() > limit {
        let extra = rows.split_off(limit);
        extra.into_iter().next().map(|p| p.title)
    } else {
        None
    };
    Ok((rows, next))
}

fn execute(cx: &mut Cx<'_>, p: &Params) -> ApiResult<()> {
    let (rows, next) = run(cx, p)?;
    let mut list = List::new("p");
    for row in &rows {
        list.push(
            Map::new()
                .with("pageid", row.id)
                .with("ns", row.ns)
                .with("title", page_title_text(cx, row)),
        );
    }
    if let Some(n) = next {
        cx.add_continue(&ALLPAGES, "continue", n);
    }
    cx.result.map_mut("query").set("allpages", list);
    Ok(())
}

fn generate(cx: &mut Cx<'_>, p: &Params) -> ApiResult<Generated> {
    if cx.req.get("redirects").is_some() {
        return Err(ApiError::coded(
            "params",
            Msg::new("apierror-allpages-generator-redirects"),
        ));
    }
    let (rows, next) = run(cx, p)?;
    let mut g = Generated {
        pages: rows,
        ..Generated::default()
    };
    if let Some(n) = next {
        g.continues.push(("continue", n.into()));
    }
    Ok(g)
}
