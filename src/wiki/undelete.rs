//! Restoring archived revisions (MediaWiki's `UndeletePage`): all of a title's
//! archived revisions or those of given timestamps go back to `revision` with
//! their ids, the page is recreated (with its old id when free) or extended, its
//! latest revision and derived data updated, and a `delete/restore` log entry
//! written – all inside the caller's write transaction. No HTTP, no SQL.

use anyhow::Result;

use crate::app::App;
use crate::auth::User;
use crate::storage::pages::NewPage;
use crate::storage::WriteTxn;
use crate::wiki::delete::stored_comment;
use crate::wiki::links::{self, SavedPage};
use crate::wiki::page::{self, insert_log, LogEntry};
use crate::wiki::title::Title;

/// An undeletion to perform.
#[derive(Debug, Clone)]
pub struct Undeletion<'a> {
    pub title: &'a Title,
    /// Only archived revisions with these timestamps (`YYYYMMDDHHMMSS`); all when `None`.
    pub timestamps: Option<&'a [String]>,
    pub reason: &'a str,
    pub tags: &'a [String],
    pub user: &'a User,
    pub ip: &'a str,
    pub now: &'a str,
}

/// What an undeletion did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Undeleted {
    pub revisions: i64,
    /// Archived revisions left behind because their id is in use.
    pub duplicates: i64,
    pub page_id: i64,
    pub created: bool,
    pub log_id: Option<i64>,
}

/// Why nothing was restored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UndeleteError {
    /// No archived revision matched (`undelete-no-results`).
    NoResults,
    /// Every match has a revision id in use (`undeleterevision-duplicate-revid`).
    AllDuplicates(i64),
    /// The revision that would become current has hidden text (`undeleterevdel`).
    RevDeleted,
}

/// Restores archived revisions of a title inside `txn`.
pub fn undelete(
    app: &App,
    txn: &mut dyn WriteTxn,
    u: &Undeletion<'_>,
) -> Result<std::result::Result<Undeleted, UndeleteError>> {
    let title = u.title;
    let Some(newest) = txn.newest_restorable(title.ns, &title.dbkey, u.timestamps)? else {
        let any = match u.timestamps {
            None => txn.archive_count(title.ns, &title.dbkey)?,
            Some(ts) => {
                let q = crate::storage::archive::ArchiveQuery {
                    titles: Some(vec![(title.ns, title.dbkey.clone())]),
                    limit: usize::MAX,
                    ..Default::default()
                };
                txn.archived_revisions(&q)?
                    .iter()
                    .filter(|a| ts.contains(&a.rev.timestamp))
                    .count() as i64
            }
        };
        return Ok(Err(if any > 0 {
            UndeleteError::AllDuplicates(any)
        } else {
            UndeleteError::NoResults
        }));
    };
    let existing = txn.page_by_title(title.ns, &title.dbkey)?;
    let current = match &existing {
        Some(p) => txn.revision(p.latest)?,
        None => None,
    };
    let becomes_latest = match &current {
        None => true,
        Some(c) => (newest.rev.timestamp.as_str(), newest.rev.id) > (c.timestamp.as_str(), c.id),
    };
    if becomes_latest && newest.rev.deleted & 1 != 0 {
        return Ok(Err(UndeleteError::RevDeleted));
    }
    let text = txn.content_text(newest.rev.content_id)?.unwrap_or_default();
    let model = newest.rev.content_model.clone();
    let is_redirect = links::redirect_target(app, &model, &text).is_some();
    let (page_id, created, old_countable) = match &existing {
        Some(p) => {
            let old_text = match &current {
                Some(c) => txn.content_text(c.content_id)?.unwrap_or_default(),
                None => String::new(),
            };
            let was = page::is_countable(p.ns, p.is_redirect, &p.content_model, &old_text);
            (p.id, false, was)
        }
        None => {
            let id = txn.insert_page_with_id(
                Some(newest.rev.page),
                &NewPage {
                    ns: title.ns,
                    title: title.dbkey.clone(),
                    is_redirect,
                    latest: 0,
                    touched: u.now.to_string(),
                    len: newest.rev.len,
                    content_model: model.clone(),
                    random: rand::random::<f64>(),
                },
            )?;
            (id, true, false)
        }
    };
    let restored = txn.restore_archived(title.ns, &title.dbkey, u.timestamps, page_id)?;
    if restored.revisions == 0 {
        anyhow::bail!("undelete of {} restored nothing", title.dbkey);
    }
    if becomes_latest {
        txn.update_page_latest(
            page_id,
            newest.rev.id,
            u.now,
            newest.rev.len,
            is_redirect,
            &model,
        )?;
        txn.index_page(page_id, &title.dbkey.replace('_', " "), &text)?;
        links::after_save(
            app,
            txn,
            &SavedPage {
                id: page_id,
                title,
                rev_id: newest.rev.id,
                text: &text,
                content_model: &model,
                created,
            },
        )?;
        let now_countable = page::is_countable(title.ns, is_redirect, &model, &text);
        txn.bump_stats(
            0,
            i64::from(created),
            i64::from(now_countable) - i64::from(old_countable),
        )?;
    } else if let Some(p) = &existing {
        // Older revisions only: the history grew (the page is no longer "new").
        txn.update_page_latest(
            p.id,
            p.latest,
            &p.touched,
            p.len,
            p.is_redirect,
            &p.content_model,
        )?;
    }
    let comment = stored_comment(u.reason);
    let log_id = insert_log(
        txn,
        &LogEntry {
            log_type: "delete",
            action: "restore",
            user: u.user,
            ip: u.ip,
            title,
            page_id,
            comment: &comment,
            params: serde_json::json!({"count": {"revisions": restored.revisions, "files": 0}}),
            tags: u.tags,
            now: u.now,
            recent_change: true,
        },
    )?;
    Ok(Ok(Undeleted {
        revisions: restored.revisions,
        duplicates: restored.duplicates,
        page_id,
        created,
        log_id: Some(log_id),
    }))
}
