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
    // An entry stored within this second would still look fresh: drop only that.
    txn.parser_cache_invalidate(page, now_mw)
}

/// Re-parses the page's current revision and rewrites its link tables; with
/// `recursive`, also queues a recursive `refreshLinks` job that updates every page
/// transcluding this one, in batches, through the job queue.
pub fn update_links(app: &App, txn: &mut dyn WriteTxn, page: &Page, recursive: bool) -> Result<()> {
    links::refresh_page(app, txn, page.id)?;
    if recursive {
        let title = Title::local(page.ns, page.title.clone());
        let now = crate::util::time::to_mw(&crate::util::time::now());
        crate::wiki::jobs::queue_refresh_links(txn, &title, true, 0, &now)?;
    }
    Ok(())
}

/// What `wikid purge` did with one input line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ListOutcome {
    /// The page was purged (and its links rewritten when asked).
    Purged { title: String, links_updated: bool },
    /// A valid local title without a page.
    Missing { title: String },
    /// A title that cannot exist (special page, other wiki).
    Skipped { title: String, why: &'static str },
    /// Not a valid title; the reason in MediaWiki's English words.
    Invalid { input: String, reason: String },
    /// A full URL, sent to the CDN as it is.
    Url { path: String },
}

impl std::fmt::Display for ListOutcome {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ListOutcome::Purged {
                title,
                links_updated: true,
            } => write!(f, "purged: {title} (links updated)"),
            ListOutcome::Purged { title, .. } => write!(f, "purged: {title}"),
            ListOutcome::Missing { title } => write!(f, "missing: {title}"),
            ListOutcome::Skipped { title, why } => write!(f, "skipped: {title} ({why})"),
            ListOutcome::Invalid { input, reason } => write!(f, "invalid: {input} ({reason})"),
            ListOutcome::Url { path } => write!(f, "url: {path}"),
        }
    }
}

/// Options of [`purge_list`].
#[derive(Debug, Clone, Copy, Default)]
pub struct ListOptions {
    /// Re-parse each page and rewrite its link tables.
    pub force_link_update: bool,
    /// Also queue link updates for every page that transcludes it (implies
    /// `force_link_update`).
    pub recursive: bool,
}

/// The operator's purge of a list of titles (MediaWiki's `purgeList.php`, with
/// the API's link-update options): each existing page is purged in its own
/// transaction, CDN purges are sent for the purged pages and for full URLs, and
/// `report` is called with the outcome of each input, in input order.
pub fn purge_list(
    app: &App,
    inputs: &[String],
    opts: ListOptions,
    mut report: impl FnMut(&ListOutcome),
) -> Result<Vec<ListOutcome>> {
    if let Some(reason) = &app.config.read_only {
        anyhow::bail!("The wiki is currently in read-only mode ({reason}).");
    }
    let force_links = opts.force_link_update || opts.recursive;
    let mut outcomes = Vec::with_capacity(inputs.len());
    let mut urls: Vec<String> = Vec::new();
    for input in inputs {
        let outcome = if let Some(path) = url_path(input) {
            urls.push(path.clone());
            ListOutcome::Url { path }
        } else {
            purge_one(app, input, force_links, opts.recursive)?
        };
        report(&outcome);
        outcomes.push(outcome);
    }
    if let Some(cdn) = &app.cdn {
        if !urls.is_empty() {
            cdn.purge(urls);
        }
    }
    app.flush_cdn();
    Ok(outcomes)
}

fn purge_one(app: &App, input: &str, force_links: bool, recursive: bool) -> Result<ListOutcome> {
    let title = match app.titles.parse(input, 0) {
        Ok(t) => t,
        Err(e) => {
            return Ok(ListOutcome::Invalid {
                input: input.to_string(),
                reason: e.msg().plaintext(),
            })
        }
    };
    let text = title.prefixed_text(&app.titles);
    if !title.interwiki.is_empty() {
        return Ok(ListOutcome::Skipped {
            title: text,
            why: "interwiki title",
        });
    }
    if title.ns < 0 {
        return Ok(ListOutcome::Skipped {
            title: text,
            why: "special page",
        });
    }
    let mut txn = app.store.write()?;
    let page = txn
        .pages_by_titles(&[(title.ns, title.dbkey.clone())])?
        .into_iter()
        .next();
    let Some(page) = page else {
        return Ok(ListOutcome::Missing { title: text });
    };
    let now = crate::util::time::to_mw(&crate::util::time::now());
    purge_page(txn.as_mut(), page.id, &now)?;
    if force_links {
        update_links(app, txn.as_mut(), &page, recursive)?;
    }
    txn.commit()?;
    app.purge_cdn(&[(page.ns, page.title.clone())]);
    Ok(ListOutcome::Purged {
        title: text,
        links_updated: force_links,
    })
}

/// The path and query of an `http://` or `https://` URL (purgeList.php accepts
/// URLs among the titles and purges them as they are).
fn url_path(line: &str) -> Option<String> {
    let rest = line
        .strip_prefix("http://")
        .or_else(|| line.strip_prefix("https://"))?;
    Some(match rest.find('/') {
        Some(i) => rest[i..].to_string(),
        None => "/".to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_paths() {
        assert_eq!(
            url_path("http://w.example/wiki/Foo").as_deref(),
            Some("/wiki/Foo")
        );
        assert_eq!(url_path("https://w.example").as_deref(), Some("/"));
        assert_eq!(url_path("Main Page"), None);
        assert_eq!(url_path("Http://x"), None);
    }

    #[test]
    fn outcome_lines() {
        let o = ListOutcome::Purged {
            title: "Main Page".into(),
            links_updated: true,
        };
        assert_eq!(o.to_string(), "purged: Main Page (links updated)");
        let o = ListOutcome::Invalid {
            input: "A[b".into(),
            reason: "bad".into(),
        };
        assert_eq!(o.to_string(), "invalid: A[b (bad)");
    }
}
