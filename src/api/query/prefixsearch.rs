//! `list=prefixsearch`: titles starting with a text, as the search box's
//! suggestions find them; usable as a generator.
//! https://www.mediawiki.org/wiki/API:Prefixsearch (mirrors includes/api/ApiQueryPrefixSearch.php
//! and the default title prefix search of includes/search/SearchEngine.php)

use crate::api::error::ApiResult;
use crate::api::params::{PType, ParamDef, Params};
use crate::api::query::allpages::title_part_to_key;
use crate::api::query::linkutil::{read_err, title_text};
use crate::api::query::pageset::Generated;
use crate::api::result::{List, Map};
use crate::api::{CacheMode, Cx, Group, ModuleDef};
use crate::storage::Page;
use crate::wiki::namespace::NS_SPECIAL;

static PARAMS: &[ParamDef] = &[
    ParamDef::string("search")
        .required()
        .help("The beginning of the titles to find."),
    ParamDef::new("namespace", PType::Namespace)
        .multi()
        .allow_all()
        .default("0")
        .help("Namespaces to look in. A namespace name before a colon in the search text takes precedence."),
    ParamDef::limit("limit", 500, 5000)
        .default("10")
        .help("Largest number of titles in one answer."),
    ParamDef::integer("offset")
        .default("0")
        .help("How many matches to skip; continuation answers give the next value."),
];

pub static PREFIXSEARCH: ModuleDef = ModuleDef {
    cache_mode: CacheMode::Public,
    prefix: "ps",
    summary: "Find pages whose titles begin with a given text, the way title suggestions do.",
    params: PARAMS,
    help_urls: &["https://www.mediawiki.org/wiki/Special:MyLanguage/API:Prefixsearch"],
    examples: &[(
        "action=query&list=prefixsearch&pssearch=meaning",
        "Titles starting with meaning.",
    )],
    execute: Some(execute),
    generate: Some(generate),
    ..ModuleDef::new("prefixsearch", Group::List, "ApiQueryPrefixSearch")
};

/// The search without what can never be part of a title (MediaWiki drops
/// matches of its invalid-title pattern: `[]{}|#<>`, controls, `%XX`, entities).
fn strip_invalid(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if matches!(c, '#' | '<' | '>' | '[' | ']' | '|' | '{' | '}' | '\u{7f}') || c < ' ' {
            i += 1;
            continue;
        }
        if c == '%'
            && chars.get(i + 1).is_some_and(|h| h.is_ascii_hexdigit())
            && chars.get(i + 2).is_some_and(|h| h.is_ascii_hexdigit())
        {
            i += 3;
            continue;
        }
        if c == '&' {
            let mut j = i + 1;
            if chars.get(j) == Some(&'#') {
                j += 1;
            }
            let start = j;
            while j < chars.len() && (chars[j].is_alphanumeric() || !chars[j].is_ascii()) {
                j += 1;
            }
            if j > start && chars.get(j) == Some(&';') {
                i = j + 1;
                continue;
            }
        }
        out.push(c);
        i += 1;
    }
    out
}

/// A namespace named before the first colon of the search (`Talk:Foo`): the
/// search without it and that namespace.
pub fn namespace_prefix(cx: &Cx<'_>, search: &str) -> Option<(String, i32)> {
    let (prefix, rest) = search.split_once(':')?;
    let ns = cx.app.namespaces.lookup(&prefix.replace(' ', "_"))?;
    Some((rest.to_string(), ns))
}

/// The pages found (up to `limit`, after `offset`) and whether there are more.
fn run(cx: &mut Cx<'_>, p: &Params) -> ApiResult<(Vec<Page>, bool, i64)> {
    let limit = p.int("limit").unwrap_or(10).max(1) as usize;
    let offset = p.int("offset").unwrap_or(0);
    let mut search = p.str("search").unwrap_or_default().to_string();
    let mut namespaces: Vec<i32> = p
        .list("namespace")
        .iter()
        .filter_map(|n| n.parse().ok())
        .collect();
    if search.trim().is_empty() {
        return Ok((Vec::new(), false, offset));
    }
    if let Some((rest, ns)) = namespace_prefix(cx, &search) {
        search = rest;
        namespaces = vec![ns];
    }
    let search = search.trim().to_string();
    if namespaces.is_empty() {
        namespaces = vec![0];
    }
    if namespaces.contains(&NS_SPECIAL) {
        // Special pages are not listed in the page table.
        return Ok((Vec::new(), false, offset));
    }
    let mut prefixes: Vec<(String, Vec<i32>)> = Vec::new();
    let cleaned = strip_invalid(&search);
    for ns in &namespaces {
        let key = if search.is_empty() {
            String::new()
        } else {
            match title_part_to_key(cx, &cleaned, *ns) {
                Ok(k) => k,
                Err(_) => continue,
            }
        };
        match prefixes.iter_mut().find(|(k, _)| *k == key) {
            Some((_, list)) => list.push(*ns),
            None => prefixes.push((key, vec![*ns])),
        }
    }
    let mut r = cx.app.store.read().map_err(read_err)?;
    let mut rows = r
        .prefix_pages(&prefixes, limit + 1, offset.max(0) as usize)
        .map_err(read_err)?;
    let more = rows.len() > limit;
    rows.truncate(limit);
    // An exact title match goes first (on the first page of results only).
    if offset == 0 && !search.is_empty() {
        if let Ok(t) = cx.app.titles.parse(&search, namespaces[0]) {
            if t.interwiki.is_empty() && namespaces.contains(&t.ns) {
                match rows.iter().position(|p| p.ns == t.ns && p.title == t.dbkey) {
                    Some(0) => {}
                    Some(i) => {
                        let row = rows.remove(i);
                        rows.insert(0, row);
                    }
                    None => {
                        if let Some(pg) = r.page_by_title(t.ns, &t.dbkey).map_err(read_err)? {
                            rows.insert(0, pg);
                            rows.truncate(limit);
                        }
                    }
                }
            }
        }
    }
    Ok((rows, more, offset + limit as i64))
}

fn execute(cx: &mut Cx<'_>, p: &Params) -> ApiResult<()> {
    let (rows, more, next) = run(cx, p)?;
    let mut list = List::new("ps");
    for row in &rows {
        list.push(
            Map::new()
                .with("ns", row.ns)
                .with("title", title_text(cx, row.ns, &row.title))
                .with("pageid", row.id),
        );
    }
    if more {
        cx.add_continue(&PREFIXSEARCH, "offset", next);
    }
    cx.result.map_mut("query").set("prefixsearch", list);
    Ok(())
}

fn generate(cx: &mut Cx<'_>, p: &Params) -> ApiResult<Generated> {
    let offset = p.int("offset").unwrap_or(0);
    let (rows, more, next) = run(cx, p)?;
    let mut g = Generated::default();
    for (i, row) in rows.into_iter().enumerate() {
        g.data.push((
            (row.ns, row.title.clone()),
            Map::new().with("index", offset + i as i64 + 1),
        ));
        g.pages.push(row);
    }
    if more {
        g.continues.push(("offset", next.into()));
    }
    Ok(g)
}
