//! Purging: making everything cached for a page stale, and rebuilding its link
//! tables on request. No HTTP, no SQL.

use anyhow::Result;

use crate::app::App;
use crate::storage::{Page, WriteTxn};
use crate::wiki::links::{self, SavedPage};
use crate::wiki::title::Title;

/// Drops the rendered cache of a page: bumping `page_touched` makes the parser
/// cache entry and every rendering keyed on it stale (WikiPage::doPurge).
pub fn purge_page(txn: &mut dyn WriteTxn, page: i64, now_mw: &str) -> Result<()> {
    txn.touch_page(page, now_mw)
}

/// Re-parses the page's current revision and rewrites its link tables; with
/// `recursive`, also queues a recursive `refreshLinks` job that updates every page
/// transcluding this one, in batches, through the job queue.
pub fn update_links(app: &App, txn: &mut dyn WriteTxn, page: &Page, recursive: bool) -> Result<()> {
    let title = Title {
        ns: page.ns,
        dbkey: page.title.clone(),
        fragment: String::new(),
        interwiki: String::new(),
    };
    let Some(rev) = txn.revision(page.latest)? else {
        return Ok(());
    };
    let text = txn.content_text(rev.content_id)?.unwrap_or_default();
    links::after_save(
        app,
        txn,
        &SavedPage {
            id: page.id,
            title: &title,
            rev_id: rev.id,
            text: &text,
            content_model: &page.content_model,
            created: false,
        },
    )?;
    if recursive {
        let now = crate::util::time::to_mw(&crate::util::time::now());
        txn.push_job(
            "refreshLinks",
            page.ns,
            &page.title,
            r#"{"recursive":true}"#,
            &now,
        )?;
    }
    Ok(())
}
