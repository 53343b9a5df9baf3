//! Pages, revisions, text, actors, recent changes, the log, change tags and the
//! watchlist: the storage area of `wiki::page` and the query modules that read
//! page history.

use anyhow::Result;

use super::Page;

/// One revision, joined with its actor (and, for a page's revisions, the text's
/// model).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Revision {
    pub id: i64,
    pub page: i64,
    /// 0 for a page's first revision.
    pub parent_id: i64,
    /// `YYYYMMDDHHMMSS`.
    pub timestamp: String,
    pub actor: i64,
    /// The user name or IP address of the actor.
    pub user_name: String,
    /// 0 for anonymous actors.
    pub user_id: i64,
    pub comment: String,
    pub minor: bool,
    pub deleted: i64,
    pub len: i64,
    pub sha1: String,
    pub content_id: i64,
    pub content_model: String,
}

/// A revision to insert.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct NewRevision {
    pub page: i64,
    pub parent_id: i64,
    pub timestamp: String,
    pub actor: i64,
    pub comment: String,
    pub minor: bool,
    pub len: i64,
    pub sha1: String,
    pub content_id: i64,
}

/// A page row to insert (its id comes from storage).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct NewPage {
    pub ns: i32,
    pub title: String,
    pub is_redirect: bool,
    pub latest: i64,
    pub touched: String,
    pub len: i64,
    pub content_model: String,
    pub random: f64,
}

/// Which revisions to list, newest first unless `newer` (`rvdir`).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RevisionQuery {
    /// One page's revisions; `None` for all pages (`list=allrevisions`).
    pub page: Option<i64>,
    /// Only revisions of pages in these namespaces (all pages only).
    pub namespaces: Option<Vec<i32>>,
    /// Ascending by (timestamp, id) instead of descending.
    pub newer: bool,
    /// Inclusive bounds, in the direction of listing: (timestamp, id).
    pub start: Option<(String, Option<i64>)>,
    pub end: Option<(String, Option<i64>)>,
    /// Inclusive id bounds, in the direction of listing.
    pub start_id: Option<i64>,
    pub end_id: Option<i64>,
    /// Only by this actor name / not by it.
    pub user: Option<String>,
    pub exclude_user: Option<String>,
    pub limit: usize,
}

/// One `recentchanges` row (also what is inserted; `id` is then ignored).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RecentChange {
    pub id: i64,
    pub timestamp: String,
    pub actor: i64,
    pub user_name: String,
    pub user_id: i64,
    pub ns: i32,
    pub title: String,
    pub comment: String,
    pub minor: bool,
    pub bot: bool,
    pub new: bool,
    pub cur_id: i64,
    pub this_oldid: i64,
    pub last_oldid: i64,
    /// 0 edit, 1 new, 3 log, 6 categorize.
    pub rc_type: i64,
    /// `mw.edit`, `mw.new`, `mw.log`, …
    pub source: String,
    /// 0 unpatrolled, 1 patrolled, 2 autopatrolled.
    pub patrolled: i64,
    pub ip: String,
    pub old_len: Option<i64>,
    pub new_len: Option<i64>,
    pub deleted: i64,
    pub logid: i64,
    pub log_type: Option<String>,
    pub log_action: Option<String>,
    pub params: Option<String>,
    /// Filled in on reads when asked for (`redirect` of `rcshow`/`rcprop`).
    pub page_is_redirect: bool,
}

/// Filters of `list=recentchanges`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RcQuery {
    pub newer: bool,
    /// (timestamp, id) bounds in listing direction; ids may be absent.
    pub start: Option<(String, Option<i64>)>,
    pub end: Option<String>,
    pub namespaces: Option<Vec<i32>>,
    pub user: Option<String>,
    pub exclude_user: Option<String>,
    /// rc_type values.
    pub types: Option<Vec<i64>>,
    pub minor: Option<bool>,
    pub bot: Option<bool>,
    pub anon: Option<bool>,
    pub redirect: Option<bool>,
    /// Some(true): patrolled (1 or 2); Some(false): unpatrolled.
    pub patrolled: Option<bool>,
    pub autopatrolled: Option<bool>,
    /// Only the latest change of each page.
    pub top_only: bool,
    pub title: Option<(i32, String)>,
    pub tag: Option<String>,
    pub limit: usize,
}

/// One `logging` row.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct LogRow {
    pub id: i64,
    pub log_type: String,
    pub action: String,
    pub timestamp: String,
    pub actor: i64,
    pub user_name: String,
    pub user_id: i64,
    pub ns: i32,
    pub title: String,
    pub page: i64,
    pub comment: String,
    /// JSON object.
    pub params: String,
    pub deleted: i64,
}

/// Filters of `list=logevents`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct LogQuery {
    pub newer: bool,
    pub start: Option<(String, Option<i64>)>,
    pub end: Option<String>,
    pub log_type: Option<String>,
    pub action: Option<String>,
    pub user: Option<String>,
    pub title: Option<(i32, String)>,
    pub namespace: Option<i32>,
    /// DB-key prefix within `namespace`.
    pub prefix: Option<String>,
    pub tag: Option<String>,
    pub limit: usize,
}

/// What a change tag is attached to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TagTarget {
    Rc,
    Rev,
    Log,
}

pub trait PagesRead {
    /// The page with this namespace and DB key.
    fn page_by_title(&mut self, ns: i32, dbkey: &str) -> Result<Option<Page>>;
    fn page_by_id(&mut self, id: i64) -> Result<Option<Page>>;
    /// The `redirect` row of a page: (namespace, DB key, fragment, interwiki).
    fn redirect_row(&mut self, page: i64) -> Result<Option<(i32, String, String, String)>>;
    fn revision(&mut self, id: i64) -> Result<Option<Revision>>;
    /// Revisions by the filters of [`RevisionQuery`], up to `limit`.
    fn revisions(&mut self, q: &RevisionQuery) -> Result<Vec<Revision>>;
    /// The revision that precedes `rev` on its page (by timestamp, then id).
    fn previous_revision(&mut self, rev: &Revision) -> Result<Option<Revision>>;
    /// Number of live revisions of a page.
    fn revision_count(&mut self, page: i64) -> Result<i64>;
    /// Text of the given content rows.
    fn content_text(&mut self, content_id: i64) -> Result<Option<String>>;
    /// The actor id of a user name or IP address, if it ever acted.
    fn actor_id(&mut self, name: &str) -> Result<Option<i64>>;
    /// Timestamp of the latest `delete/delete` log entry of a title.
    fn last_deletion(&mut self, ns: i32, dbkey: &str) -> Result<Option<String>>;
    /// Whether `actor` made every revision of `page` after `since` (MediaWiki's
    /// `userWasLastToEdit`). False when there are none.
    fn only_actor_since(&mut self, page: i64, actor: i64, since: &str) -> Result<bool>;
    /// The (first) revision of a page saved at exactly `timestamp`.
    fn revision_at(&mut self, page: i64, timestamp: &str) -> Result<Option<i64>>;
    fn recent_changes(&mut self, q: &RcQuery) -> Result<Vec<RecentChange>>;
    fn log_events(&mut self, q: &LogQuery) -> Result<Vec<LogRow>>;
    /// Tags of the given rows, as (row id, tag name), sorted by tag name.
    fn tags_of(&mut self, target: TagTarget, ids: &[i64]) -> Result<Vec<(i64, String)>>;
    /// Tags that users may apply (defined by users and active).
    fn applicable_tags(&mut self) -> Result<Vec<String>>;
    /// `Some(expiry)` when `user` watches the title (`None` inside: no expiry).
    fn watch_item(&mut self, user: i64, ns: i32, dbkey: &str) -> Result<Option<Option<String>>>;
    /// The notification timestamp of `user`'s unexpired watch of the title, if
    /// it has one.
    fn watch_notification(
        &mut self,
        user: i64,
        ns: i32,
        dbkey: &str,
        now: &str,
    ) -> Result<Option<String>>;
    /// Number of users watching a title (its subject or talk page) with an
    /// unexpired entry at `now`.
    fn watcher_count(&mut self, ns: i32, dbkey: &str, now: &str) -> Result<i64>;
    /// (type, level, expiry, cascade) of a page's protections.
    fn page_protections(&mut self, page: i64) -> Result<Vec<(String, String, String, bool)>>;
    /// (type, level, expiry) of a missing title's create protection.
    fn title_protection(&mut self, ns: i32, dbkey: &str) -> Result<Option<(String, String)>>;
    /// Every page id with its latest revision id and that revision's content id
    /// (for consistency checks and imports).
    fn page_heads(&mut self) -> Result<Vec<(i64, i64, Option<i64>)>>;
}

pub trait PagesWrite {
    /// The actor of a user (id > 0) or IP address, created on first use.
    fn ensure_actor(&mut self, user_id: i64, name: &str) -> Result<i64>;
    fn insert_content(&mut self, text: &str, model: &str, sha1: &str) -> Result<i64>;
    fn insert_revision(&mut self, rev: &NewRevision) -> Result<i64>;
    fn insert_page(&mut self, page: &NewPage) -> Result<i64>;
    /// Points a page at its new latest revision.
    fn update_page_latest(
        &mut self,
        page: i64,
        latest: i64,
        touched: &str,
        len: i64,
        is_redirect: bool,
        content_model: &str,
    ) -> Result<()>;
    fn insert_recent_change(&mut self, rc: &RecentChange) -> Result<i64>;
    fn insert_log(&mut self, row: &LogRow) -> Result<i64>;
    /// Attaches tags (defined on first use, counted) to a change.
    fn add_tags(
        &mut self,
        tags: &[String],
        rc: Option<i64>,
        rev: Option<i64>,
        log: Option<i64>,
    ) -> Result<()>;
    /// Defines (or re-defines) a change tag that users may apply with `tags=`.
    fn define_user_tag(&mut self, name: &str) -> Result<()>;
    /// Adds to the site statistics counters.
    fn bump_stats(&mut self, edits: i64, pages: i64, articles: i64) -> Result<()>;
    /// Sets `page_touched` to `now` unless it is already as new (purge, cache
    /// invalidation): everything cached for the page becomes stale.
    fn touch_page(&mut self, page: i64, now: &str) -> Result<()>;
    fn bump_user_editcount(&mut self, user: i64) -> Result<()>;
    /// Keeps the full-text index of a page (title and latest text).
    fn index_page(&mut self, page: i64, title: &str, text: &str) -> Result<()>;
    /// Watches a title (subject and talk page) for a user, with an expiry or none.
    fn watch(&mut self, user: i64, ns: i32, dbkey: &str, expiry: Option<&str>) -> Result<()>;
    fn unwatch(&mut self, user: i64, ns: i32, dbkey: &str) -> Result<()>;
    /// A change to a title was published at `timestamp`: every watcher of it but
    /// the `editor` (user id, 0 for an IP) whose item has not expired and carries
    /// no notification timestamp yet gets `timestamp` as one (MediaWiki's
    /// `WatchedItemStore::updateNotificationTimestamp`).
    fn notify_watchers(&mut self, ns: i32, dbkey: &str, editor: i64, timestamp: &str)
        -> Result<()>;
}
