//! What a page's current text links to, kept in the link tables (pagelinks,
//! templatelinks, categorylinks, externallinks, imagelinks, langlinks, iwlinks,
//! page_props, redirect) and the jobs that keep dependants up to date.
//!
//! The page code calls [`after_save`] inside the write transaction that stores a
//! new revision, and [`after_delete`] inside the one that deletes a page.

use anyhow::Result;

use crate::app::App;
use crate::storage::links::{CachedParse, CategoryLinkRow, LinkSet, LinkTable};
use crate::storage::{ReadTxn, WriteTxn};
use crate::wiki::jobs;
use crate::wiki::namespace::{NS_CATEGORY, NS_FILE};
use crate::wiki::parser::{self, ParseOptions, ParseOutput, ParserConfig};
use crate::wiki::title::Title;

/// A page whose new current revision was just stored.
#[derive(Debug, Clone, Copy)]
pub struct SavedPage<'a> {
    pub id: i64,
    pub title: &'a Title,
    pub rev_id: i64,
    pub text: &'a str,
    pub content_model: &'a str,
    /// The page was created by this revision.
    pub created: bool,
}

/// Updates the link tables for a saved page, caches its rendering and queues
/// the jobs for pages that depend on it. Runs in the caller's transaction.
pub fn after_save(app: &App, txn: &mut dyn WriteTxn, page: &SavedPage<'_>) -> Result<()> {
    let now = crate::util::time::to_mw(&crate::util::time::now());
    let out = if page.content_model == "wikitext" {
        Some(parse_in_txn(app, &mut *txn, page.title, page.text))
    } else {
        None
    };
    let set = match &out {
        Some(o) => link_set(app, page.title, o),
        None => LinkSet::default(),
    };
    txn.replace_links(page.id, page.title.ns, &set, &now)?;
    if let Some(o) = &out {
        let touched = txn
            .pages_by_ids(&[page.id])?
            .first()
            .map(|p| p.touched.clone())
            .unwrap_or_else(|| now.clone());
        txn.parser_cache_put(&CachedParse {
            page: page.id,
            rev: page.rev_id,
            touched,
            html: o.html.clone(),
            meta: meta_to_json(o).to_string(),
            time: now.clone(),
        })?;
    }
    let (ns, key) = (page.title.ns, page.title.dbkey.as_str());
    if page.created {
        // Red links to the page turn blue.
        if txn.has_backlinks(LinkTable::Page, ns, key)? {
            jobs::queue_html_cache_update(txn, page.title, "pagelinks", 0, &now)?;
        }
    }
    // Pages transcluding this one change with it.
    if txn.has_backlinks(LinkTable::Template, ns, key)? {
        jobs::queue_refresh_links(txn, page.title, true, 0, &now)?;
        jobs::queue_html_cache_update(txn, page.title, "templatelinks", 0, &now)?;
    }
    Ok(())
}

/// Removes a deleted page's link rows and queues updates of its dependants.
/// Runs in the deleting transaction.
pub fn after_delete(_app: &App, txn: &mut dyn WriteTxn, page_id: i64, title: &Title) -> Result<()> {
    let now = crate::util::time::to_mw(&crate::util::time::now());
    txn.delete_links(page_id)?;
    if txn.has_backlinks(LinkTable::Page, title.ns, &title.dbkey)? {
        jobs::queue_html_cache_update(txn, title, "pagelinks", 0, &now)?;
    }
    if txn.has_backlinks(LinkTable::Template, title.ns, &title.dbkey)? {
        jobs::queue_refresh_links(txn, title, true, 0, &now)?;
        jobs::queue_html_cache_update(txn, title, "templatelinks", 0, &now)?;
    }
    Ok(())
}

/// Re-parses a page's current text and rewrites its link rows (the
/// `refreshLinks` job, and purge's `forcelinkupdate`). `false` when the page
/// does not exist.
pub fn refresh_page(app: &App, txn: &mut dyn WriteTxn, page_id: i64) -> Result<bool> {
    let Some((row, text)) = txn.page_with_text_by_id(page_id)? else {
        return Ok(false);
    };
    let title = Title::local(row.ns, row.title.clone());
    let now = crate::util::time::to_mw(&crate::util::time::now());
    let set = if row.content_model == "wikitext" {
        let out = parse_in_txn(app, &mut *txn, &title, &text);
        let set = link_set(app, &title, &out);
        txn.parser_cache_put(&CachedParse {
            page: row.id,
            rev: row.latest,
            touched: row.touched.clone(),
            html: out.html.clone(),
            meta: meta_to_json(&out).to_string(),
            time: now.clone(),
        })?;
        set
    } else {
        LinkSet::default()
    };
    txn.replace_links(row.id, row.ns, &set, &now)?;
    Ok(true)
}

/// Parses with templates and link existence read through `txn`.
pub fn parse_in_txn(app: &App, txn: &mut dyn ReadTxn, title: &Title, text: &str) -> ParseOutput {
    let cfg = ParserConfig::from_app(app);
    let mut src = StoreSource::new(txn);
    parser::parse(
        &cfg,
        &app.titles,
        title,
        text,
        &mut src,
        ParseOptions::default(),
    )
}

/// The [`parser::WikiSource`] of a transaction.
pub struct StoreSource<'t> {
    txn: &'t mut dyn ReadTxn,
    interwiki: Option<Vec<crate::storage::Interwiki>>,
}

impl<'t> StoreSource<'t> {
    pub fn new(txn: &'t mut dyn ReadTxn) -> StoreSource<'t> {
        StoreSource {
            txn,
            interwiki: None,
        }
    }
}

impl parser::WikiSource for StoreSource<'_> {
    fn page_text(&mut self, ns: i32, dbkey: &str) -> Option<String> {
        match self.txn.page_with_text(ns, dbkey) {
            Ok(r) => r.map(|(_, t)| t),
            Err(e) => {
                tracing::warn!("reading {ns}:{dbkey} for the parser: {e:#}");
                None
            }
        }
    }

    fn page_facts(
        &mut self,
        titles: &[(i32, String)],
    ) -> std::collections::HashMap<(i32, String), parser::PageFacts> {
        match self.txn.page_facts(titles) {
            Ok(m) => m
                .into_iter()
                .map(|(k, (id, redirect))| (k, parser::PageFacts { id, redirect }))
                .collect(),
            Err(e) => {
                tracing::warn!("page lookup for the parser: {e:#}");
                Default::default()
            }
        }
    }

    fn interwiki_url(&mut self, prefix: &str) -> Option<String> {
        if self.interwiki.is_none() {
            self.interwiki = Some(self.txn.interwikis().unwrap_or_default());
        }
        self.interwiki
            .as_ref()?
            .iter()
            .find(|i| i.prefix.eq_ignore_ascii_case(prefix))
            .map(|i| i.url.clone())
    }
}

/// The link-table rows of a parse.
pub fn link_set(app: &App, title: &Title, out: &ParseOutput) -> LinkSet {
    let kind = match title.ns {
        NS_CATEGORY => "subcat",
        NS_FILE => "file",
        _ => "page",
    };
    let text = title.text();
    let categories = out
        .categories
        .iter()
        .map(|(cat, prefix)| {
            let key = if prefix.is_empty() {
                text.clone()
            } else {
                format!("{prefix}\n{text}")
            };
            CategoryLinkRow {
                to: cat.clone(),
                sortkey: key.to_uppercase(),
                prefix: prefix.clone(),
                kind: kind.to_string(),
            }
        })
        .collect();
    let mut external = Vec::new();
    for url in &out.external_links {
        for idx in el_indexes(url) {
            external.push((url.clone(), idx));
        }
    }
    let props = out
        .properties
        .iter()
        .map(|(k, v)| (k.clone(), v.clone(), v.trim().parse::<f64>().ok()))
        .collect();
    let redirect = out.redirect.as_ref().map(|t| {
        (
            t.ns,
            t.dbkey.clone(),
            t.interwiki.clone(),
            t.fragment.clone(),
        )
    });
    let _ = app;
    LinkSet {
        links: out.links.iter().map(|(n, k, _)| (*n, k.clone())).collect(),
        templates: out
            .templates
            .iter()
            .map(|(n, k, _)| (*n, k.clone()))
            .collect(),
        categories,
        external,
        images: out.images.clone(),
        langlinks: out.language_links.clone(),
        iwlinks: out.interwiki_links.clone(),
        props,
        redirect,
    }
}

/// `LinkFilter::makeIndexes`: the host reversed so that domain searches are
/// prefix searches (`http://com.example.www./path`).
pub fn el_indexes(url: &str) -> Vec<String> {
    if let Some(rest) = url.strip_prefix("//") {
        return vec![
            index_one(&format!("http://{rest}")),
            index_one(&format!("https://{rest}")),
        ];
    }
    vec![index_one(url)]
}

fn index_one(url: &str) -> String {
    let (scheme, delim, rest) = match url.find("://") {
        Some(p) => (&url[..p], "://", &url[p + 3..]),
        None => match url.find(':') {
            Some(p) => (&url[..p], ":", &url[p + 1..]),
            None => return url.to_string(),
        },
    };
    let scheme = scheme.to_ascii_lowercase();
    if delim == ":" {
        // mailto:user@host → mailto:host reversed, then @user
        if let Some((user, host)) = rest.split_once('@') {
            return format!("{scheme}:{}@{user}", reverse_host(host));
        }
        return format!("{scheme}:{rest}");
    }
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let authority = &rest[..end];
    let tail = &rest[end..];
    let host_port = authority
        .rsplit_once('@')
        .map(|(_, h)| h)
        .unwrap_or(authority);
    let (host, port) = match host_port.rsplit_once(':') {
        Some((h, p))
            if !h.is_empty() && p.chars().all(|c| c.is_ascii_digit()) && !h.ends_with(']')
                || (h.ends_with(']') && !p.is_empty() && p.chars().all(|c| c.is_ascii_digit())) =>
        {
            (h, Some(p))
        }
        _ => (host_port, None),
    };
    let mut out = format!("{scheme}://{}", reverse_host(host));
    if let Some(p) = port {
        out.push(':');
        out.push_str(p);
    }
    if tail.is_empty() || !tail.starts_with('/') {
        out.push('/');
    }
    out.push_str(tail);
    out
}

fn reverse_host(host: &str) -> String {
    let host = host.to_lowercase();
    if host.starts_with('[') || host.chars().all(|c| c.is_ascii_digit() || c == '.') {
        return host;
    }
    let mut parts: Vec<&str> = host.split('.').filter(|p| !p.is_empty()).collect();
    parts.reverse();
    format!("{}.", parts.join("."))
}

/// The parse metadata stored beside the HTML in the parser cache.
pub fn meta_to_json(o: &ParseOutput) -> serde_json::Value {
    serde_json::json!({
        "links": o.links,
        "templates": o.templates,
        "categories": o.categories,
        "external": o.external_links,
        "images": o.images,
        "iwlinks": o.interwiki_links,
        "langlinks": o.language_links,
        "props": o.properties,
        "sections": o.sections.iter().map(|s| serde_json::json!([
            s.toclevel, s.level, s.line, s.number, s.index, s.fromtitle, s.byteoffset, s.anchor, s.linkanchor
        ])).collect::<Vec<_>>(),
        "showtoc": o.show_toc,
        "warnings": o.warnings,
    })
}

/// Rebuilds a [`ParseOutput`] from the parser cache (`None` on a bad entry).
pub fn meta_from_json(
    html: &str,
    meta: &str,
    codec: &crate::wiki::title::TitleCodec,
    text: Option<&str>,
) -> Option<ParseOutput> {
    let v: serde_json::Value = serde_json::from_str(meta).ok()?;
    let pairs = |k: &str| -> Option<Vec<(String, String)>> {
        serde_json::from_value(v.get(k)?.clone()).ok()
    };
    let mut out = ParseOutput {
        html: html.to_string(),
        links: serde_json::from_value(v.get("links")?.clone()).ok()?,
        templates: serde_json::from_value(v.get("templates")?.clone()).ok()?,
        categories: pairs("categories")?,
        external_links: serde_json::from_value(v.get("external")?.clone()).ok()?,
        images: serde_json::from_value(v.get("images")?.clone()).ok()?,
        interwiki_links: pairs("iwlinks")?,
        language_links: pairs("langlinks")?,
        properties: pairs("props")?,
        show_toc: v.get("showtoc")?.as_bool()?,
        warnings: serde_json::from_value(v.get("warnings")?.clone()).ok()?,
        ..Default::default()
    };
    for s in v.get("sections")?.as_array()? {
        let a = s.as_array()?;
        out.sections.push(parser::Section {
            toclevel: a.first()?.as_u64()? as usize,
            level: a.get(1)?.as_u64()? as usize,
            line: a.get(2)?.as_str()?.to_string(),
            number: a.get(3)?.as_str()?.to_string(),
            index: a.get(4)?.as_str()?.to_string(),
            fromtitle: a.get(5)?.as_str().map(|s| s.to_string()),
            byteoffset: a.get(6)?.as_u64().map(|n| n as usize),
            anchor: a.get(7)?.as_str()?.to_string(),
            linkanchor: a.get(8)?.as_str()?.to_string(),
        });
    }
    if let Some(t) = text {
        out.redirect = parser::redirect_target(codec, t);
    }
    Some(out)
}

/// The target of a `#REDIRECT [[Target]]` page (wikitext only), with its fragment.
pub fn redirect_target(app: &App, content_model: &str, text: &str) -> Option<Title> {
    if content_model != "wikitext" {
        return None;
    }
    parser::redirect_target(&app.titles, text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn external_link_indexes() {
        assert_eq!(
            el_indexes("http://www.Example.com"),
            vec!["http://com.example.www./"]
        );
        assert_eq!(
            el_indexes("https://example.com:8080/a?b#c"),
            vec!["https://com.example.:8080/a?b#c"]
        );
        assert_eq!(
            el_indexes("//x.org/p"),
            vec!["http://org.x./p", "https://org.x./p"]
        );
        assert_eq!(el_indexes("mailto:a@b.c"), vec!["mailto:c.b.@a"]);
    }
}
