//! `wikid import FILE.xml`: loads a MediaWiki XML export (Special:Export or
//! dumpBackup.php, any number of revisions per page) in bulk transactions, and
//! queues `refreshLinks` jobs for the imported pages, [`jobs::BATCH`] pages per
//! job, so the link tables fill in the background.
//!
//! Every committed transaction leaves the wiki consistent: a page row is written
//! together with its first revision and moved to each newer revision in the same
//! transaction as that revision, so a crash mid-import leaves whole pages and
//! revisions only (re-running the import skips revisions already there). A
//! finished page's job goes into the batch being filled, and that batch is queued
//! before any transaction commits, so a committed page is never left without one.

use std::io::BufRead;

use anyhow::{Context, Result};
use quick_xml::events::Event;
use quick_xml::Reader;

use crate::app::App;
use crate::storage::pages::{NewPage, NewRevision};
use crate::storage::WriteTxn;
use crate::util::time;
use crate::wiki::jobs;
use crate::wiki::links;
use crate::wiki::page::{is_countable, sha1_base36};
use crate::wiki::title::Title;

/// Revisions per write transaction.
pub const BATCH: usize = 1000;

/// One `<revision>` of the dump.
#[derive(Debug, Clone, Default)]
pub struct DumpRevision {
    pub timestamp: String,
    pub user: String,
    pub user_id: i64,
    pub comment: String,
    pub minor: bool,
    pub model: String,
    pub text: String,
}

/// What an import did.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ImportStats {
    pub pages: usize,
    pub revisions: usize,
    /// Revisions already present (same page, timestamp and text).
    pub skipped: usize,
}

struct PageState {
    title: Title,
    id: i64,
    latest: i64,
    created: bool,
    last_text: Option<(String, String)>,
}

/// Imports `path`; `progress` is called after each committed batch.
pub fn import_file(
    app: &App,
    path: &std::path::Path,
    mut progress: impl FnMut(&ImportStats),
) -> Result<ImportStats> {
    let file = std::fs::File::open(path).with_context(|| format!("opening {}", path.display()))?;
    import_reader(app, std::io::BufReader::new(file), &mut progress)
}

/// Imports a dump from any reader.
pub fn import_reader<R: BufRead>(
    app: &App,
    input: R,
    progress: &mut dyn FnMut(&ImportStats),
) -> Result<ImportStats> {
    let mut reader = Reader::from_reader(input);
    reader.config_mut().trim_text(false);
    let mut buf = Vec::new();
    let mut stack: Vec<String> = Vec::new();
    let mut text_acc = String::new();
    let mut stats = ImportStats::default();
    let mut txn: Option<Box<dyn WriteTxn + '_>> = None;
    let mut in_batch = 0usize;
    let mut page_title: Option<String> = None;
    let mut page_ns: Option<i32> = None;
    let mut page: Option<PageState> = None;
    let mut rev = DumpRevision::default();
    // Finished pages whose links job is not queued yet: (first title, ids).
    let mut pending: Option<(Title, Vec<i64>)> = None;
    loop {
        let ev = reader.read_event_into(&mut buf)?;
        match ev {
            Event::Start(e) => {
                let name = String::from_utf8_lossy(e.local_name().as_ref()).into_owned();
                if name == "page" {
                    page_title = None;
                    page_ns = None;
                    page = None;
                } else if name == "revision" {
                    rev = DumpRevision::default();
                }
                stack.push(name);
                text_acc.clear();
            }
            Event::Empty(e) => {
                let name = String::from_utf8_lossy(e.local_name().as_ref()).into_owned();
                if name == "minor" && stack.last().map(String::as_str) == Some("revision") {
                    rev.minor = true;
                }
            }
            Event::Text(t) => {
                text_acc.push_str(&t.unescape()?);
            }
            Event::CData(t) => {
                text_acc.push_str(&String::from_utf8_lossy(&t));
            }
            Event::End(_) => {
                let name = stack.pop().unwrap_or_default();
                let parent = stack.last().map(String::as_str).unwrap_or("");
                let value = std::mem::take(&mut text_acc);
                match (parent, name.as_str()) {
                    ("page", "title") => page_title = Some(value),
                    ("page", "ns") => page_ns = value.trim().parse().ok(),
                    ("revision", "timestamp") => {
                        rev.timestamp = time::parse_timestamp(&value)
                            .map(|t| time::to_mw(&t))
                            .unwrap_or_default()
                    }
                    ("contributor", "username") | ("contributor", "ip") => rev.user = value,
                    ("contributor", "id") => rev.user_id = value.trim().parse().unwrap_or(0),
                    ("revision", "comment") => rev.comment = value,
                    ("revision", "model") => rev.model = value,
                    ("revision", "text") => rev.text = value,
                    (_, "revision") => {
                        if txn.is_none() {
                            txn = Some(app.store.write()?);
                        }
                        let t = txn.as_mut().expect("transaction open");
                        if page.is_none() {
                            let raw = page_title.clone().unwrap_or_default();
                            let title = app
                                .titles
                                .parse(&raw, 0)
                                .map_err(|e| anyhow::anyhow!("bad title {raw:?}: {e:?}"))?;
                            if let Some(ns) = page_ns {
                                if ns != title.ns {
                                    anyhow::bail!("title {raw:?} is not in namespace {ns}");
                                }
                            }
                            page = Some(open_page(t.as_mut(), title)?);
                            stats.pages += 1;
                        }
                        let st = page.as_mut().expect("page open");
                        if add_revision(app, t.as_mut(), st, &rev)? {
                            stats.revisions += 1;
                        } else {
                            stats.skipped += 1;
                        }
                        in_batch += 1;
                        if in_batch >= BATCH {
                            if let Some(mut t) = txn.take() {
                                queue_pending(t.as_mut(), &mut pending)?;
                                t.commit()?;
                            }
                            in_batch = 0;
                            progress(&stats);
                        }
                    }
                    (_, "page") => {
                        if let Some(st) = page.take() {
                            if txn.is_none() {
                                txn = Some(app.store.write()?);
                            }
                            let t = txn.as_mut().expect("transaction open");
                            if let Some(id) = finish_page(app, t.as_mut(), &st)? {
                                match &mut pending {
                                    Some((_, ids)) => ids.push(id),
                                    None => pending = Some((st.title.clone(), vec![id])),
                                }
                                if pending
                                    .as_ref()
                                    .is_some_and(|(_, ids)| ids.len() >= jobs::BATCH)
                                {
                                    queue_pending(t.as_mut(), &mut pending)?;
                                }
                            }
                        }
                    }
                    _ => {}
                }
            }
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    if pending.is_some() && txn.is_none() {
        txn = Some(app.store.write()?);
    }
    if let Some(mut t) = txn.take() {
        queue_pending(t.as_mut(), &mut pending)?;
        t.commit()?;
    }
    progress(&stats);
    Ok(stats)
}

/// Queues the links job of the finished pages collected so far.
fn queue_pending(txn: &mut dyn WriteTxn, pending: &mut Option<(Title, Vec<i64>)>) -> Result<()> {
    if let Some((title, ids)) = pending.take() {
        jobs::queue_refresh_pages(txn, &title, &ids, &time::to_mw(&time::now()))?;
    }
    Ok(())
}

fn open_page(txn: &mut dyn WriteTxn, title: Title) -> Result<PageState> {
    Ok(match txn.page_by_title(title.ns, &title.dbkey)? {
        Some(p) => {
            let last = match txn.revision(p.latest)? {
                Some(r) => txn
                    .content_text(r.content_id)?
                    .map(|t| (t, r.content_model.clone())),
                None => None,
            };
            PageState {
                title,
                id: p.id,
                latest: p.latest,
                created: false,
                last_text: last,
            }
        }
        None => PageState {
            title,
            id: 0,
            latest: 0,
            created: true,
            last_text: None,
        },
    })
}

/// Adds one revision; false when the page already has it.
fn add_revision(
    app: &App,
    txn: &mut dyn WriteTxn,
    st: &mut PageState,
    rev: &DumpRevision,
) -> Result<bool> {
    let model = if rev.model.is_empty() {
        crate::wiki::page::default_content_model(&st.title).to_string()
    } else {
        rev.model.clone()
    };
    let sha1 = sha1_base36(&rev.text);
    if st.id > 0 {
        let existing = txn.revisions(&crate::storage::pages::RevisionQuery {
            page: Some(st.id),
            start: Some((rev.timestamp.clone(), None)),
            end: Some((rev.timestamp.clone(), None)),
            limit: 100,
            ..Default::default()
        })?;
        if existing.iter().any(|r| r.sha1 == sha1) {
            return Ok(false);
        }
    }
    let local_user = if rev.user_id > 0 {
        txn.user_by_name(&rev.user)?.map(|u| u.id).unwrap_or(0)
    } else {
        0
    };
    let actor = txn.ensure_actor(local_user, &rev.user)?;
    let content_id = txn.insert_content(&rev.text, &model, &sha1)?;
    let len = rev.text.len() as i64;
    let is_redirect = links::redirect_target(app, &model, &rev.text).is_some();
    let newest = match txn.revision(st.latest)? {
        Some(cur) => rev.timestamp >= cur.timestamp,
        None => true,
    };
    if st.id == 0 {
        st.id = txn.insert_page(&NewPage {
            ns: st.title.ns,
            title: st.title.dbkey.clone(),
            is_redirect,
            latest: 0,
            touched: rev.timestamp.clone(),
            len,
            content_model: model.clone(),
            random: rand::random::<f64>(),
        })?;
    }
    let rev_id = txn.insert_revision(&NewRevision {
        page: st.id,
        parent_id: if newest { st.latest } else { 0 },
        timestamp: rev.timestamp.clone(),
        actor,
        comment: rev.comment.clone(),
        minor: rev.minor,
        len,
        sha1,
        content_id,
    })?;
    txn.bump_stats(1, 0, 0)?;
    if local_user > 0 {
        txn.bump_user_editcount(local_user)?;
    }
    if newest {
        let touched = time::to_mw(&time::now());
        txn.update_page_latest(st.id, rev_id, &touched, len, is_redirect, &model)?;
        st.latest = rev_id;
        st.last_text = Some((rev.text.clone(), model));
    }
    Ok(true)
}

/// After a page's last revision: statistics and search index. Returns the id of
/// the page, whose link tables are to be refreshed.
fn finish_page(app: &App, txn: &mut dyn WriteTxn, st: &PageState) -> Result<Option<i64>> {
    let Some(p) = txn.page_by_id(st.id)? else {
        return Ok(None);
    };
    let (text, model) = st.last_text.clone().unwrap_or_default();
    let countable = is_countable(p.ns, p.is_redirect, &model, &text);
    if st.created {
        txn.bump_stats(0, 1, i64::from(countable))?;
    }
    txn.index_page(p.id, &st.title.dbkey.replace('_', " "), &text)?;
    let _ = app;
    Ok(Some(p.id))
}
