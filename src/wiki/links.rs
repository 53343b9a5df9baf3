//! What a page's current text links to, kept in the link tables (pagelinks,
//! templatelinks, categorylinks, externallinks, imagelinks, langlinks, iwlinks,
//! page_props, redirect) and the jobs that keep dependants up to date.
//!
//! The page code calls [`after_save`] inside the write transaction that stores a
//! new revision. This first version knows redirects only; the parser fills in the
//! link tables.

use anyhow::Result;

use crate::app::App;
use crate::storage::WriteTxn;
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

/// Updates the link tables for a saved page. Runs in the caller's transaction.
pub fn after_save(app: &App, txn: &mut dyn WriteTxn, page: &SavedPage<'_>) -> Result<()> {
    let _ = (app, txn, page);
    Ok(())
}

/// Removes a deleted page's link-table rows and queues updates of the pages that
/// linked to, embedded or redirected to it (they now show a red link). Runs in
/// the caller's transaction.
pub fn after_delete(
    app: &App,
    txn: &mut dyn WriteTxn,
    page_id: i64,
    title: &Title,
    now: &str,
) -> Result<()> {
    let _ = app;
    txn.delete_link_rows(page_id)?;
    if txn.has_backlinks(title.ns, &title.dbkey)? {
        txn.push_job(
            "htmlCacheUpdate",
            title.ns,
            &title.dbkey,
            r#"{"table":"pagelinks","recursive":true}"#,
            now,
        )?;
        txn.push_job(
            "refreshLinks",
            title.ns,
            &title.dbkey,
            r#"{"table":"templatelinks","recursive":true}"#,
            now,
        )?;
    }
    Ok(())
}

/// The target of a `#REDIRECT [[Target]]` page (wikitext only), with its fragment.
pub fn redirect_target(app: &App, content_model: &str, text: &str) -> Option<Title> {
    if content_model != "wikitext" {
        return None;
    }
    let t = text.trim_start();
    let head = t.get(..9)?;
    if !head.eq_ignore_ascii_case("#redirect") {
        return None;
    }
    let rest = t[9..].trim_start();
    let rest = rest.strip_prefix(':').unwrap_or(rest).trim_start();
    let inner = rest.strip_prefix("[[")?;
    let end = inner.find("]]")?;
    let target = inner[..end].split('|').next()?.trim();
    let title = app.titles.parse(target, 0).ok()?;
    if title.dbkey.is_empty() && title.interwiki.is_empty() {
        return None;
    }
    Some(title)
}
