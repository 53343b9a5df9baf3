//! Storage of the remaining list modules: random pages, create-protected
//! titles, the special-page reports of `list=querypage` and the watchlist
//! listings. SQLite in `sqlite/lists.rs`.

use anyhow::Result;

use super::pages::{RcQuery, RecentChange};
use super::Page;

/// A `protected_titles` row.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ProtectedTitle {
    pub ns: i32,
    pub title: String,
    pub user_id: i64,
    /// The protecting user's name (empty when unknown).
    pub user_name: String,
    pub reason: String,
    pub timestamp: String,
    /// `None`: never expires.
    pub expiry: Option<String>,
    pub level: String,
}

/// Filters of `list=protectedtitles` (`newer`: oldest first).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ProtectedTitleQuery {
    pub namespaces: Option<Vec<i32>>,
    pub levels: Option<Vec<String>>,
    pub newer: bool,
    /// Inclusive (timestamp, namespace, DB key) where listing starts.
    pub start: Option<(String, Option<(i32, String)>)>,
    pub end: Option<String>,
    pub limit: usize,
}

/// One row of a special-page report.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct QueryPageRow {
    pub ns: i32,
    pub title: String,
    /// The report's number (length, count, timestamp, …), if it has one.
    pub value: Option<String>,
}

/// One watchlist entry.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct WatchedItem {
    pub ns: i32,
    pub title: String,
    pub notification: Option<String>,
    pub expiry: Option<String>,
}

/// Filters of `list=watchlistraw`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct WatchedQuery {
    pub user: i64,
    pub namespaces: Option<Vec<i32>>,
    /// `Some(true)`: only entries with a notification timestamp.
    pub changed: Option<bool>,
    pub descending: bool,
    /// Inclusive (namespace, DB key) bounds, in listing direction.
    pub start: Option<(i32, String)>,
    pub from: Option<(i32, String)>,
    pub until: Option<(i32, String)>,
    /// Entries that expired before this MediaWiki timestamp are left out.
    pub now: String,
    pub limit: usize,
}

pub trait ListsRead {
    /// Pages ordered by (`page_random`, id) from a start (inclusive) to an end
    /// (exclusive), with their random values.
    fn random_pages(
        &mut self,
        namespaces: Option<&[i32]>,
        redirects: Option<bool>,
        start: Option<(f64, i64)>,
        end: Option<f64>,
        limit: usize,
    ) -> Result<Vec<(Page, f64)>>;
    fn protected_titles(&mut self, q: &ProtectedTitleQuery) -> Result<Vec<ProtectedTitle>>;
    /// A special-page report by name (`Shortpages`, …): rows after `offset`.
    /// `None` for reports not known here.
    fn query_page(
        &mut self,
        name: &str,
        limit: usize,
        offset: usize,
    ) -> Result<Option<Vec<QueryPageRow>>>;
    fn watched_items(&mut self, q: &WatchedQuery) -> Result<Vec<WatchedItem>>;
    /// Recent changes of titles a user watches (unexpired at `now`), with the
    /// watchlist entry of each; `all_revisions` false keeps only the latest
    /// revision of each page (and every log entry); `unread` keeps only changes
    /// the user has (`Some(true)`) or has not seen.
    fn watchlist_changes(
        &mut self,
        user: i64,
        now: &str,
        all_revisions: bool,
        unread: Option<bool>,
        q: &RcQuery,
    ) -> Result<Vec<(RecentChange, WatchedItem)>>;
    /// A user preference (`user_properties`).
    fn user_option(&mut self, user: i64, name: &str) -> Result<Option<String>>;
}
