//! Purging: making everything cached for a page stale, and rebuilding its link
//! tables on request. No HTTP, no SQL.

use anyhow::Result;

use crate::app::App;
use crate::storage::{Page, WriteTxn};
use crate::wiki::links;
use crate::wiki::title::Title;

/// Drops the rendered cache of a page: bumping `page_touched` makes every
/// rendering keyed on it stale (WikiPage::doPurge), and the parser cache entry goes.
pub fn purge_page(txn: &mut dyn WriteTxn, page: i64, now_mw: &str) -> Result<()> {
    txn.touch_page(page, now_mw)?;
    // Within the same second the bump may not be visible; drop the entry outright.
    txn.parser_cache_drop(page)
}

/// Re-parses the page's current revision and rewrites its link tables; with
/// `recursive`, also queues a recursive `refreshLinks` job that updates every page
/// transcluding this one, in batches, through the job queue.
pub fn update_links(app: &App, txn: &mut dyn WriteTxn, page: &Page, recursive: bool) -> Result<()> {
    links::refresh_page(app, txn, page.id)?;
    if recursive {
        let title = Title {
            ns: page.ns,
            dbkey: page.title.clone(),
            fragment: String::new(),
            interwiki: String::new(),
        };
        let now = crate::util::time::to_mw(&crate::util::time::now());
        crate::wiki::jobs::queue_refresh_links(txn, &title, true, 0, &now)?;
    }
    Ok(())
}
