//! `list=exturlusage`: pages linking to a given external URL (or any); usable as
//! a generator. (mirrors includes/api/ApiQueryExtLinksUsage.php)

use crate::api::error::ApiResult;
use crate::api::params::{PType, ParamDef, Params};
use crate::api::query::linkutil::*;
use crate::api::query::pageset::Generated;
use crate::api::result::{List, Map};
use crate::api::{CacheMode, Cx, Group, ModuleDef};
use crate::storage::Page;

static PARAMS: &[ParamDef] = &[
    ParamDef::enumeration("prop", &["ids", "title", "url"])
        .multi()
        .default("ids|title|url")
        .help("What to report for each link found: the page ID, the page title, the URL."),
    ParamDef::string("continue").help("Resume an earlier request with the value its continue section returned."),
    ParamDef::enumeration(
        "protocol",
        &[
            "", "bitcoin", "ftp", "ftps", "geo", "git", "gopher", "http", "https", "irc", "ircs",
            "magnet", "mailto", "matrix", "mms", "news", "nntp", "redis", "sftp", "sip", "sips",
            "sms", "ssh", "svn", "tel", "telnet", "urn", "worldwind", "xmpp",
        ],
    )
    .default("")
    .help("Keep only URLs with this scheme. Left empty while query is given, both http and https URLs match; with query empty too, every external link is listed."),
    ParamDef::string("query").help("Keep only URLs that start with this text, written without the scheme (as on Special:LinkSearch). Empty means no such filter."),
    ParamDef::new("namespace", PType::Namespace)
        .multi()
        .allow_all()
        .help("List only pages from these namespaces."),
    ParamDef::limit("limit", 500, 5000)
        .default("10")
        .help("The largest number of links to list."),
    ParamDef::boolean("expandurl")
        .deprecated()
        .help("Deprecated and without effect here: URLs are reported as they are stored."),
];

pub static EXTURLUSAGE: ModuleDef = ModuleDef {
    prefix: "eu",
    summary: "List the pages that link to an external URL, or to any external URL.",
    params: PARAMS,
    cache_mode: CacheMode::Public,
    help_urls: &["https://www.mediawiki.org/wiki/Special:MyLanguage/API:Exturlusage"],
    examples: &[(
        "action=query&list=exturlusage&euquery=www.mediawiki.org",
        "The pages with a link into www.mediawiki.org.",
    )],
    execute: Some(execute),
    generate: Some(generate),
    ..ModuleDef::new("exturlusage", Group::List, "ApiQueryExtLinksUsage")
};

/// Index prefixes for a `query` (`LinkFilter::makeLikeArray`, without wildcards
/// beyond a leading `*.`).
fn prefixes(proto: &str, query: &str) -> Vec<String> {
    let schemes: Vec<String> = if proto.is_empty() {
        vec!["http://".into(), "https://".into()]
    } else if matches!(
        proto,
        "mailto"
            | "news"
            | "tel"
            | "sip"
            | "sips"
            | "sms"
            | "urn"
            | "xmpp"
            | "geo"
            | "magnet"
            | "bitcoin"
            | "matrix"
    ) {
        vec![format!("{proto}:")]
    } else {
        vec![format!("{proto}://")]
    };
    let (wild, q) = match query.strip_prefix("*.") {
        Some(r) => (true, r),
        None => (false, query),
    };
    let mut out = Vec::new();
    for s in schemes {
        let idx = crate::wiki::links::el_indexes(&format!("{s}{q}"));
        for mut i in idx {
            if wild || !q.contains('/') {
                // Domain search: cut after the reversed host.
                if let Some(p) = i[s.len()..].find('/') {
                    i.truncate(s.len() + p);
                }
            }
            out.push(i);
        }
    }
    out
}

fn run(cx: &mut Cx<'_>, p: &Params) -> ApiResult<(Vec<(Page, String)>, Option<String>)> {
    // The continue value names the next link as MediaWiki does (its index, then
    // a number); the number is our position in the listing, which goes by link id.
    let offset = match p.str("continue") {
        Some(c) => cont_int(c.rsplit('|').next().unwrap_or(c))? as usize,
        None => 0,
    };
    let pfx = match p.str("query").filter(|q| !q.is_empty()) {
        Some(q) => prefixes(p.str("protocol").unwrap_or(""), q),
        None => match p.str("protocol").filter(|s| !s.is_empty()) {
            Some(pr) => vec![format!("{pr}:")],
            None => Vec::new(),
        },
    };
    let limit = limit(p);
    let mut rows = {
        let mut r = cx.app.store.read().map_err(read_err)?;
        r.ext_url_usage(&pfx, &namespaces(p, "namespace"), offset, limit + 1)
            .map_err(read_err)?
    };
    let next = if rows.len() > limit {
        let index = crate::wiki::links::el_indexes(&rows[limit].1)
            .into_iter()
            .next()
            .unwrap_or_default();
        rows.truncate(limit);
        Some(format!("{index}|{}", offset + limit))
    } else {
        None
    };
    Ok((rows, next))
}

fn execute(cx: &mut Cx<'_>, p: &Params) -> ApiResult<()> {
    let (rows, next) = run(cx, p)?;
    let props = p.list("prop").to_vec();
    let has = |n: &str| props.iter().any(|x| x == n);
    let mut list = List::new("p");
    for (pg, url) in &rows {
        let mut e = Map::new();
        if has("ids") {
            e.set("pageid", pg.id);
        }
        if has("title") {
            e.set("ns", pg.ns);
            e.set("title", title_text(cx, pg.ns, &pg.title));
        }
        if has("url") {
            e.set("url", url.as_str());
        }
        list.push(e);
    }
    if let Some(n) = next {
        cx.add_continue(&EXTURLUSAGE, "continue", n);
    }
    cx.result.map_mut("query").set("exturlusage", list);
    Ok(())
}

fn generate(cx: &mut Cx<'_>, p: &Params) -> ApiResult<Generated> {
    let (rows, next) = run(cx, p)?;
    let mut g = Generated::default();
    for (pg, _) in rows {
        if !g.pages.iter().any(|x| x.id == pg.id) {
            g.pages.push(pg);
        }
    }
    if let Some(n) = next {
        g.continues.push(("continue", n.into()));
    }
    Ok(g)
}
