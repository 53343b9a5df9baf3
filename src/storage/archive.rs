//! The deletion archive: moving a page's revisions to `archive` and back, and
//! reading archived revisions. Revisions and archive rows point at the same
//! `content` rows, so deleting and undeleting move small rows and never copy or
//! drop text. Every method runs inside the caller's transaction.

use anyhow::Result;

use super::pages::Revision;

/// One archived revision. `rev.page` is the page id it had (`ar_page_id`).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ArchivedRevision {
    pub ar_id: i64,
    pub ns: i32,
    /// DB key.
    pub title: String,
    pub rev: Revision,
}

/// Sort order of an archive listing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ArchiveOrder {
    /// (namespace, title, timestamp, ar_id): per page, as the deleted-revision
    /// modules list without a user filter.
    #[default]
    ByTitle,
    /// (timestamp, ar_id): `list=alldeletedrevisions` with `adruser`.
    ByTimestamp,
}

/// Which archived revisions to list.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ArchiveQuery {
    /// Only these pages (namespace, DB key).
    pub titles: Option<Vec<(i32, String)>>,
    /// Only these revision ids.
    pub rev_ids: Option<Vec<i64>>,
    pub namespaces: Option<Vec<i32>>,
    /// Inclusive DB-key bounds and prefix (within the namespaces).
    pub from: Option<String>,
    pub to: Option<String>,
    pub prefix: Option<String>,
    pub user: Option<String>,
    pub exclude_user: Option<String>,
    /// Inclusive timestamp bounds in listing direction.
    pub start: Option<String>,
    pub end: Option<String>,
    /// Ascending instead of descending.
    pub newer: bool,
    pub order: ArchiveOrder,
    /// Whether the namespace/title columns take part in the sort (several pages).
    pub sort_by_title: bool,
    /// Continue from (namespace, title, timestamp, ar_id) – inclusive.
    pub cont_title: Option<(i32, String, String, i64)>,
    /// Continue from (timestamp, ar_id) – inclusive.
    pub cont_time: Option<(String, i64)>,
    /// Only revisions with this change tag.
    pub tag: Option<String>,
    pub limit: usize,
}

/// What archiving moved.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Archived {
    /// Revisions moved to the archive.
    pub revisions: i64,
}

/// What a restore moved back.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Restored {
    pub revisions: i64,
    /// Archive rows left behind because their revision id is in use.
    pub duplicates: i64,
}

pub trait ArchiveRead {
    /// Archived revisions by the filters of [`ArchiveQuery`], up to `limit`.
    fn archived_revisions(&mut self, q: &ArchiveQuery) -> Result<Vec<ArchivedRevision>>;
    /// Number of archived revisions of a title.
    fn archive_count(&mut self, ns: i32, dbkey: &str) -> Result<i64>;
    /// The newest archived revision of a title that can be restored (its
    /// revision id not in use), restricted to `timestamps` when given.
    fn newest_restorable(
        &mut self,
        ns: i32,
        dbkey: &str,
        timestamps: Option<&[String]>,
    ) -> Result<Option<ArchivedRevision>>;
    /// Actor names of at most `limit` revisions of a page whose user is not
    /// hidden, in the order of MediaWiki's `rev_page_actor_timestamp` index
    /// (for the "only contributor" of the automatic deletion reason).
    fn contributor_sample(&mut self, page: i64, limit: usize) -> Result<Vec<String>>;
}

pub trait ArchiveWrite {
    /// Moves every revision of `page` to the archive under (`ns`, `dbkey`) with
    /// one `INSERT … SELECT` (no revision passes through memory), then removes
    /// the revisions.
    fn archive_page_revisions(&mut self, page: i64, ns: i32, dbkey: &str) -> Result<Archived>;
    /// Removes the page row and what hangs on it only: restrictions, the search
    /// index entry, the parser cache, and the non-log recent changes of the page
    /// (by page id, or by title before `now`).
    fn remove_page_row(&mut self, page: i64, ns: i32, dbkey: &str, now: &str) -> Result<()>;
    /// Creates a page row with the given id (when free) or a new one; returns the id.
    fn insert_page_with_id(&mut self, id: Option<i64>, page: &super::pages::NewPage)
        -> Result<i64>;
    /// Moves archived revisions of a title back to `revision` under `page`
    /// (optionally only those with the given timestamps), keeping their ids;
    /// rows whose revision id is in use stay in the archive.
    fn restore_archived(
        &mut self,
        ns: i32,
        dbkey: &str,
        timestamps: Option<&[String]>,
        page: i64,
    ) -> Result<Restored>;
}
