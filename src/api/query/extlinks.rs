//! `prop=extlinks`: the external URLs each page links to.
//! (mirrors includes/api/ApiQueryExternalLinks.php)

use crate::api::error::ApiResult;
use crate::api::params::{ParamDef, Params};
use crate::api::query::linkutil::*;
use crate::api::result::{Map, Val};
use crate::api::{CacheMode, Cx, Group, ModuleDef};

static PARAMS: &[ParamDef] = &[
    ParamDef::limit("limit", 500, 5000)
        .default("10")
        .help("The largest number of URLs to list, for all pages together."),
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
    .help("Keep only URLs with this scheme. Left empty while query is given, both http and https URLs match."),
    ParamDef::string("query").help("Keep only URLs that start with this text (written without the scheme), e.g. to test whether a page links to some site."),
    ParamDef::boolean("expandurl")
        .deprecated()
        .help("Deprecated and without effect here: URLs are reported as they are stored."),
];

pub static EXTLINKS: ModuleDef = ModuleDef {
    prefix: "el",
    summary: "For each page of the set, list the external URLs it links to; interwiki links are not included.",
    params: PARAMS,
    cache_mode: CacheMode::Public,
    help_urls: &["https://www.mediawiki.org/wiki/Special:MyLanguage/API:Extlinks"],
    examples: &[(
        "action=query&prop=extlinks&titles=Main%20Page",
        "The external URLs that Main Page links to.",
    )],
    execute: Some(execute),
    ..ModuleDef::new("extlinks", Group::Prop, "ApiQueryExternalLinks")
};

fn execute(cx: &mut Cx<'_>, p: &Params) -> ApiResult<()> {
    let pages = input_pages(cx)?;
    let ids: Vec<i64> = pages.iter().map(|p| p.id).collect();
    let cont = match p.str("continue") {
        Some(c) => {
            let parts = split_continue(c, 2)?;
            Some((cont_int(&parts[0])?, cont_int(&parts[1])?))
        }
        None => None,
    };
    let limit = limit(p);
    let mut rows = {
        let mut r = cx.app.store.read().map_err(read_err)?;
        r.external_links(&ids, cont, usize::MAX / 2)
            .map_err(read_err)?
    };
    let proto = p.str("protocol").unwrap_or("");
    if let Some(q) = p.str("query") {
        let schemes: Vec<String> = if proto.is_empty() {
            vec!["http://".into(), "https://".into()]
        } else {
            vec![format!("{proto}:")]
        };
        rows.retain(|(_, _, u)| {
            schemes.iter().any(|s| {
                u.starts_with(s.as_str()) && u[s.len()..].trim_start_matches('/').starts_with(q)
            })
        });
    } else if !proto.is_empty() {
        rows.retain(|(_, _, u)| u.starts_with(&format!("{proto}:")));
    }
    let next = if rows.len() > limit {
        rows.split_off(limit)
            .first()
            .map(|(f, id, _)| format!("{f}|{id}"))
    } else {
        None
    };
    let mut by_page: Vec<(i64, Vec<Val>)> = Vec::new();
    for (from, _, url) in rows {
        let mut e = Map::new();
        e.set_content("url", url);
        match by_page.iter_mut().find(|(id, _)| *id == from) {
            Some((_, v)) => v.push(Val::Map(e)),
            None => by_page.push((from, vec![Val::Map(e)])),
        }
    }
    for (id, items) in by_page {
        add_page_items(cx, id, "extlinks", "el", items);
    }
    if let Some(n) = next {
        cx.add_continue(&EXTLINKS, "continue", n);
    }
    Ok(())
}
