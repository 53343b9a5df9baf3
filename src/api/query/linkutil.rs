//! Shared pieces of the link-table query modules: the pages a prop module works
//! on, per-page result lists, continuation strings and titles.

use crate::api::error::{ApiError, ApiResult};
use crate::api::message::Msg;
use crate::api::params::{split_multi, Params};
use crate::api::query::pageset::{escape_wikitext, PageSet};
use crate::api::result::{List, Map, Val};
use crate::api::Cx;
use crate::storage::Page;
use crate::wiki::title::Title;

/// The existing pages a prop module runs over: the query's page set, or, when
/// the module runs as a generator, the pages named by `titles`/`pageids`/`revids`.
pub fn input_pages(cx: &mut Cx<'_>) -> ApiResult<Vec<Page>> {
    if let Some(ps) = &cx.pageset {
        return Ok(ps.good.clone());
    }
    let mut ps = PageSet::new(false);
    if let Some(t) = cx.req.get("titles").map(|s| s.to_string()) {
        ps.add_titles(cx, &split_multi(&t))?;
    } else if let Some(ids) = cx.req.get("pageids").map(|s| s.to_string()) {
        let ids: Vec<i64> = split_multi(&ids)
            .iter()
            .filter_map(|s| s.parse().ok())
            .collect();
        ps.add_page_ids(cx, &ids)?;
    } else if let Some(ids) = cx.req.get("revids").map(|s| s.to_string()) {
        let ids: Vec<i64> = split_multi(&ids)
            .iter()
            .filter_map(|s| s.parse().ok())
            .collect();
        ps.add_rev_ids(cx, &ids)?;
    }
    Ok(ps.good)
}

/// Appends `items` to `query.pages[id][key]`.
pub fn add_page_items(cx: &mut Cx<'_>, page: i64, key: &str, tag: &'static str, items: Vec<Val>) {
    let pages = cx.result.map_mut("query").map_mut("pages");
    let entry = pages.map_mut(&page.to_string());
    let list = entry.list_mut(key, tag);
    for i in items {
        list.push(i);
    }
}

/// Sets `query.pages[id][key]`.
pub fn set_page_value(cx: &mut Cx<'_>, page: i64, key: &str, v: impl Into<Val>) {
    let pages = cx.result.map_mut("query").map_mut("pages");
    pages.map_mut(&page.to_string()).set(key, v);
}

pub fn title_text(cx: &Cx<'_>, ns: i32, dbkey: &str) -> String {
    Title::local(ns, dbkey.to_string()).prefixed_text(&cx.app.titles)
}

pub fn namespaces(p: &Params, name: &str) -> Vec<i32> {
    p.list(name).iter().filter_map(|s| s.parse().ok()).collect()
}

pub fn limit(p: &Params) -> usize {
    p.int("limit").unwrap_or(10).max(1) as usize
}

pub fn bad_continue() -> ApiError {
    ApiError::coded("badcontinue", Msg::new("apierror-badcontinue"))
}

/// Splits a continuation value into exactly `n` parts.
pub fn split_continue(v: &str, n: usize) -> ApiResult<Vec<String>> {
    let parts: Vec<String> = v.splitn(n, '|').map(|s| s.to_string()).collect();
    if parts.len() != n {
        return Err(bad_continue());
    }
    Ok(parts)
}

pub fn cont_int(s: &str) -> ApiResult<i64> {
    s.parse().map_err(|_| bad_continue())
}

/// `{ns, title}` of a link entry.
pub fn ns_title(cx: &Cx<'_>, ns: i32, dbkey: &str) -> Map {
    Map::new()
        .with("ns", ns)
        .with("title", title_text(cx, ns, dbkey))
}

/// A page's `pageid`, `ns`, `title`.
pub fn page_entry(cx: &Cx<'_>, p: &Page) -> Map {
    Map::new()
        .with("pageid", p.id)
        .with("ns", p.ns)
        .with("title", title_text(cx, p.ns, &p.title))
}

/// A title parameter (`bltitle`) as a local title, or `invalidtitle`.
pub fn title_param(cx: &Cx<'_>, name: &str) -> ApiResult<Title> {
    match cx.app.titles.parse(name, 0) {
        Ok(t) if t.interwiki.is_empty() && !t.dbkey.is_empty() => Ok(t),
        _ => Err(ApiError::coded(
            "invalidtitle",
            Msg::new("apierror-invalidtitle").p(escape_wikitext(name)),
        )),
    }
}

pub fn read_err(e: anyhow::Error) -> ApiError {
    ApiError::internal(e)
}

/// Lists of `(ns, title)` entries for the generator output.
pub fn to_list(tag: &'static str, items: Vec<Map>) -> List {
    List::of(tag, items)
}
