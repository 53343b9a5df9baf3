//! `list=alllinks`, `list=alltransclusions`, `list=allredirects`: every link
//! target of one namespace (optionally each once); usable as generators.
//! (mirrors includes/api/ApiQueryAllLinks.php)

use crate::api::error::{ApiError, ApiResult};
use crate::api::message::Msg;
use crate::api::params::{PType, ParamDef, Params};
use crate::api::query::allpages::title_part_to_key;
use crate::api::query::linkutil::*;
use crate::api::query::pageset::Generated;
use crate::api::result::{List, Map};
use crate::api::{CacheMode, Cx, Group, ModuleDef};
use crate::storage::links::{AllLinksQuery, LinkTable};

macro_rules! all_params {
    ($name:ident, $what:literal, $props:expr, $ns:literal) => {
        static $name: &[ParamDef] = &[
            ParamDef::string("continue")
                .help("Resume an earlier request with the value its continue section returned."),
            ParamDef::string("from").help(concat!(
                "List ",
                $what,
                " targets whose title sorts at or after this one."
            )),
            ParamDef::string("to").help(concat!(
                "List ",
                $what,
                " targets whose title sorts at or before this one."
            )),
            ParamDef::string("prefix").help(concat!(
                "List only ",
                $what,
                " targets whose title starts with this text."
            )),
            ParamDef::boolean("unique")
                .help("Give each target title once, however many pages point to it. Not allowed with prop=ids."),
            ParamDef::enumeration("prop", $props)
                .multi()
                .default("title")
                .help("What to report for each entry."),
            ParamDef::new("namespace", PType::Namespace)
                .default($ns)
                .help("The namespace of the targets to list."),
            ParamDef::limit("limit", 500, 5000)
                .default("10")
                .help("The largest number of entries to list."),
            ParamDef::enumeration("dir", &["ascending", "descending"])
                .default("ascending")
                .help("Whether to go through the titles in ascending or descending order."),
        ];
    };
}

all_params!(AL_PARAMS, "link", &["ids", "title"], "0");
// MediaWiki lists transclusions of templates unless told otherwise
all_params!(AT_PARAMS, "transclusion", &["ids", "title"], "10");
all_params!(
    AR_PARAMS,
    "redirect",
    &["fragment", "ids", "interwiki", "title"],
    "0"
);

pub static ALLLINKS: ModuleDef = ModuleDef {
    prefix: "al",
    summary: "List the targets of all wikilinks into one namespace, whether the target exists or not.",
    params: AL_PARAMS,
    cache_mode: CacheMode::Public,
    help_urls: &["https://www.mediawiki.org/wiki/Special:MyLanguage/API:Alllinks"],
    examples: &[
        (
            "action=query&list=alllinks&alfrom=B&alprop=ids|title",
            "Link targets from B on, existing or not, each with the ID of the page holding the link.",
        ),
        (
            "action=query&list=alllinks&alunique=&alfrom=B",
            "Each link target from B on, named only once.",
        ),
    ],
    execute: Some(exec_al),
    generate: Some(gen_al),
    ..ModuleDef::new("alllinks", Group::List, "ApiQueryAllLinks")
};

pub static ALLTRANSCLUSIONS: ModuleDef = ModuleDef {
    prefix: "at",
    summary: "List the targets of all transclusions ({{x}}) into one namespace, whether the target exists or not.",
    params: AT_PARAMS,
    cache_mode: CacheMode::Public,
    help_urls: &["https://www.mediawiki.org/wiki/Special:MyLanguage/API:Alltransclusions"],
    examples: &[
        ("action=query&list=alltransclusions&atfrom=B&atprop=ids|title", "Transcluded titles from B on, existing or not, each with the ID of the page that transcludes it."),
        ("action=query&list=alltransclusions&atunique=&atfrom=B", "Each transcluded title from B on, named only once."),
    ],
    execute: Some(exec_at),
    generate: Some(gen_at),
    ..ModuleDef::new("alltransclusions", Group::List, "ApiQueryAllLinks")
};

pub static ALLREDIRECTS: ModuleDef = ModuleDef {
    prefix: "ar",
    summary: "List the targets of all redirects that point into one namespace.",
    params: AR_PARAMS,
    cache_mode: CacheMode::Public,
    help_urls: &["https://www.mediawiki.org/wiki/Special:MyLanguage/API:Allredirects"],
    examples: &[
        (
            "action=query&list=allredirects&arfrom=B&arprop=ids|title",
            "Redirect targets from B on, existing or not, each with the ID of the redirect page.",
        ),
        (
            "action=query&list=allredirects&arunique=&arfrom=B",
            "Each redirect target from B on, named only once.",
        ),
    ],
    execute: Some(exec_ar),
    generate: Some(gen_ar),
    ..ModuleDef::new("allredirects", Group::List, "ApiQueryAllLinks")
};

fn run(
    cx: &mut Cx<'_>,
    p: &Params,
    def: &ModuleDef,
    table: LinkTable,
) -> ApiResult<(Vec<(i64, String)>, Option<String>, i32)> {
    let ns: i32 = p.str("namespace").and_then(|s| s.parse().ok()).unwrap_or(0);
    let unique = p.flag("unique");
    let props = p.list("prop").to_vec();
    if unique && props.iter().any(|x| x == "ids") {
        return Err(ApiError::coded(
            "invalidparammix",
            Msg::new("apierror-invalidparammix-cannotusewith")
                .p(format!("{}prop=ids", def.prefix))
                .p(format!("{}unique", def.prefix)),
        ));
    }
    let key = |cx: &Cx<'_>, v: Option<&str>| -> ApiResult<Option<String>> {
        match v {
            Some(s) => Ok(Some(title_part_to_key(cx, s, ns)?)),
            None => Ok(None),
        }
    };
    let cont = match p.str("continue") {
        Some(c) if unique => Some((c.to_string(), 0)),
        Some(c) => {
            let parts = split_continue(c, 2)?;
            Some((parts[0].clone(), cont_int(&parts[1])?))
        }
        None => None,
    };
    let limit = limit(p);
    let q = AllLinksQuery {
        ns,
        from: key(cx, p.str("from"))?,
        to: key(cx, p.str("to"))?,
        prefix: key(cx, p.str("prefix"))?,
        unique,
        cont,
        descending: p.str("dir") == Some("descending"),
        limit: limit + 1,
    };
    let mut rows = {
        let mut r = cx.app.store.read().map_err(read_err)?;
        r.all_links(table, &q).map_err(read_err)?
    };
    let next = if rows.len() > limit {
        let extra = rows.split_off(limit);
        extra.first().map(|(f, t)| {
            if unique {
                t.clone()
            } else {
                format!("{t}|{f}")
            }
        })
    } else {
        None
    };
    Ok((rows, next, ns))
}

fn execute(
    cx: &mut Cx<'_>,
    p: &Params,
    def: &'static ModuleDef,
    table: LinkTable,
    tag: &'static str,
) -> ApiResult<()> {
    let (rows, next, ns) = run(cx, p, def, table)?;
    let props = p.list("prop").to_vec();
    let has = |n: &str| props.iter().any(|x| x == n);
    let mut list = List::new(tag);
    // allredirects: the fragment and interwiki prefix of each redirect, when
    // asked for and not empty (rows of one page each, unless unique)
    let redirect_extras =
        table == LinkTable::Redirect && !p.flag("unique") && (has("fragment") || has("interwiki"));
    let mut reader = if redirect_extras {
        Some(cx.app.store.read().map_err(read_err)?)
    } else {
        None
    };
    for (from, t) in &rows {
        let mut e = Map::new();
        if has("ids") {
            e.set("fromid", *from);
        }
        if has("title") {
            e.set("ns", ns);
            e.set("title", title_text(cx, ns, t));
        }
        if let Some(r) = reader.as_mut() {
            if let Some((_, _, fragment, interwiki)) = r.redirect_row(*from).map_err(read_err)? {
                if has("fragment") && !fragment.is_empty() {
                    e.set("fragment", fragment);
                }
                if has("interwiki") && !interwiki.is_empty() {
                    e.set("interwiki", interwiki);
                }
            }
        }
        list.push(e);
    }
    drop(reader);
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
    let (rows, next, ns) = run(cx, p, def, table)?;
    let mut g = Generated::default();
    if p.flag("unique") {
        g.titles = rows.into_iter().map(|(_, t)| (ns, t)).collect();
    } else {
        let mut ids: Vec<i64> = rows.into_iter().map(|(f, _)| f).collect();
        ids.dedup();
        let mut r = cx.app.store.read().map_err(read_err)?;
        g.pages = r.pages_by_ids(&ids).map_err(read_err)?;
    }
    if let Some(n) = next {
        g.continues.push(("continue", n.into()));
    }
    Ok(g)
}

fn exec_al(cx: &mut Cx<'_>, p: &Params) -> ApiResult<()> {
    execute(cx, p, &ALLLINKS, LinkTable::Page, "l")
}
fn gen_al(cx: &mut Cx<'_>, p: &Params) -> ApiResult<Generated> {
    generate(cx, p, &ALLLINKS, LinkTable::Page)
}
fn exec_at(cx: &mut Cx<'_>, p: &Params) -> ApiResult<()> {
    execute(cx, p, &ALLTRANSCLUSIONS, LinkTable::Template, "t")
}
fn gen_at(cx: &mut Cx<'_>, p: &Params) -> ApiResult<Generated> {
    generate(cx, p, &ALLTRANSCLUSIONS, LinkTable::Template)
}
fn exec_ar(cx: &mut Cx<'_>, p: &Params) -> ApiResult<()> {
    execute(cx, p, &ALLREDIRECTS, LinkTable::Redirect, "r")
}
fn gen_ar(cx: &mut Cx<'_>, p: &Params) -> ApiResult<Generated> {
    generate(cx, p, &ALLREDIRECTS, LinkTable::Redirect)
}
