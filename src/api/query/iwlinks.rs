//! `prop=iwlinks`: the interwiki links of each page, from the iwlinks table.
//! (mirrors includes/api/ApiQueryIWLinks.php)

use crate::api::error::{ApiError, ApiResult};
use crate::api::message::Msg;
use crate::api::params::{ParamDef, Params};
use crate::api::query::linkutil::*;
use crate::api::query::pageset::wf_urlencode;
use crate::api::result::{Map, Val};
use crate::api::{CacheMode, Cx, Group, ModuleDef};

static PARAMS: &[ParamDef] = &[
    ParamDef::enumeration("prop", &["url"])
        .multi()
        .help("Extra facts to give for each link: url, the full address on the other wiki."),
    ParamDef::string("prefix").help("Report only links with this interwiki prefix."),
    ParamDef::string("title")
        .help("Report only links to this title of the other wiki; needs iwprefix as well."),
    ParamDef::enumeration("dir", &["ascending", "descending"])
        .default("ascending")
        .help("Whether to go through the links in ascending or descending order."),
    ParamDef::limit("limit", 500, 5000)
        .default("10")
        .help("The largest number of links to list, for all pages together."),
    ParamDef::string("continue")
        .help("Resume an earlier request with the value its continue section returned."),
    ParamDef::boolean("url")
        .deprecated()
        .help("Deprecated: the same as iwprop=url."),
];

pub static IWLINKS: ModuleDef = ModuleDef {
    prefix: "iw",
    summary: "For each page of the set, list its links to other wikis through interwiki prefixes.",
    params: PARAMS,
    cache_mode: CacheMode::Public,
    help_urls: &["https://www.mediawiki.org/wiki/Special:MyLanguage/API:Iwlinks"],
    examples: &[(
        "action=query&prop=iwlinks&titles=Main%20Page",
        "The interwiki links on Main Page.",
    )],
    execute: Some(execute),
    ..ModuleDef::new("iwlinks", Group::Prop, "ApiQueryIWLinks")
};

fn execute(cx: &mut Cx<'_>, p: &Params) -> ApiResult<()> {
    let pages = input_pages(cx)?;
    if pages.is_empty() {
        return Ok(());
    }
    let ids: Vec<i64> = pages.iter().map(|p| p.id).collect();
    let prefix = p.str("prefix");
    let title = p.str("title");
    if title.is_some() && prefix.is_none() {
        return Err(ApiError::coded(
            "invalidparammix",
            Msg::new("apierror-invalidparammix-mustusewith")
                .p("iwtitle")
                .p("iwprefix"),
        ));
    }
    if p.given("prop") && p.flag("url") {
        return Err(ApiError::invalid_param_mix(&["iwprop", "iwurl"]));
    }
    let want_url = p.flag("url") || p.list("prop").iter().any(|x| x == "url");
    let cont = match p.str("continue") {
        Some(c) => {
            let parts: Vec<&str> = c.split('|').collect();
            if parts.len() != 3 {
                return Err(bad_continue());
            }
            // PHP's (int) cast: a leading number, else 0.
            Some((
                php_int(parts[0]),
                parts[1].to_string(),
                parts[2].to_string(),
            ))
        }
        None => None,
    };
    let limit = limit(p);
    let desc = p.str("dir") == Some("descending");
    let mut rows = {
        let mut r = cx.app.store.read().map_err(read_err)?;
        r.interwiki_links(&ids, prefix, title, cont, desc, limit + 1)
            .map_err(read_err)?
    };
    let next = if rows.len() > limit {
        rows.split_off(limit)
            .first()
            .map(|(f, pf, t)| format!("{f}|{pf}|{t}"))
    } else {
        None
    };
    let map = if want_url && !rows.is_empty() {
        let mut r = cx.app.store.read().map_err(read_err)?;
        r.interwikis().map_err(read_err)?
    } else {
        Vec::new()
    };
    let server = cx.app.server_for(cx.req);
    let mut by_page: Vec<(i64, Vec<Val>)> = Vec::new();
    for (from, pf, t) in rows {
        let mut e = Map::new().with("prefix", pf.as_str());
        if want_url {
            if let Some(url) = link_url(cx, &map, &server, &pf, &t) {
                e.set("url", url);
            }
        }
        e.set_content("title", t);
        match by_page.iter_mut().find(|(id, _)| *id == from) {
            Some((_, v)) => v.push(Val::Map(e)),
            None => by_page.push((from, vec![Val::Map(e)])),
        }
    }
    for (id, items) in by_page {
        add_page_items(cx, id, "iwlinks", "iw", items);
    }
    if let Some(n) = next {
        cx.add_continue(&IWLINKS, "continue", n);
    }
    Ok(())
}

/// The address of `prefix:title`: the interwiki URL with the title filled in, or
/// the local page's full URL when the prefix names this wiki.
fn link_url(
    cx: &Cx<'_>,
    map: &[crate::storage::Interwiki],
    server: &str,
    prefix: &str,
    title: &str,
) -> Option<String> {
    let t = cx.app.titles.parse(&format!("{prefix}:{title}"), 0).ok()?;
    if t.interwiki.is_empty() {
        let key = wf_urlencode(&t.prefixed_dbkey(&cx.app.titles));
        return Some(format!(
            "{server}{}",
            cx.app.config.article_path.replace("$1", &key)
        ));
    }
    let entry = map
        .iter()
        .find(|e| e.prefix.eq_ignore_ascii_case(&t.interwiki))?;
    let rest = t
        .prefixed_text(&cx.app.titles)
        .split_once(':')
        .map(|(_, r)| r.replace(' ', "_"))
        .unwrap_or_default();
    let mut url = entry.url.replace("$1", &wf_urlencode(&rest));
    if !t.fragment.is_empty() {
        url.push('#');
        url.push_str(&crate::wiki::parser::sanitize::escape_id_link(&t.fragment));
    }
    Some(url)
}

fn php_int(s: &str) -> i64 {
    let s = s.trim_start();
    let (neg, digits) = match s.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, s.strip_prefix('+').unwrap_or(s)),
    };
    let end = digits
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(digits.len());
    let n: i64 = digits[..end].parse().unwrap_or(0);
    if neg {
        -n
    } else {
        n
    }
}
