//! Storage for what the parser derives from pages: the link tables, the parser
//! cache and the job queue (traits; SQLite in `sqlite/links.rs`).

use std::collections::HashMap;

use anyhow::Result;

use super::Page;

/// One `categorylinks` row to write.
#[derive(Debug, Clone, PartialEq)]
pub struct CategoryLinkRow {
    /// Category DB key.
    pub to: String,
    /// Collation key (upper-cased prefix and title).
    pub sortkey: String,
    /// The sort key as written (`[[Category:X|prefix]]`), may be empty.
    pub prefix: String,
    /// `page`, `subcat` or `file`.
    pub kind: String,
}

/// The rows of every link table for one page.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LinkSet {
    pub links: Vec<(i32, String)>,
    pub templates: Vec<(i32, String)>,
    pub categories: Vec<CategoryLinkRow>,
    /// (URL, index) — one row per index (protocol-relative URLs have two).
    pub external: Vec<(String, String)>,
    pub images: Vec<String>,
    pub langlinks: Vec<(String, String)>,
    pub iwlinks: Vec<(String, String)>,
    /// (name, value, numeric sort key).
    pub props: Vec<(String, String, Option<f64>)>,
    /// (namespace, DB key, interwiki, fragment).
    pub redirect: Option<(i32, String, String, String)>,
}

/// What changed in `categorylinks` (for category counts and jobs).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LinkChanges {
    pub categories_added: Vec<String>,
    pub categories_removed: Vec<String>,
}

/// A parser-cache entry.
#[derive(Debug, Clone, PartialEq)]
pub struct CachedParse {
    pub page: i64,
    pub rev: i64,
    pub touched: String,
    pub html: String,
    /// JSON of the parse metadata (links, sections, …).
    pub meta: String,
    pub time: String,
}

/// A job row.
#[derive(Debug, Clone, PartialEq)]
pub struct JobRow {
    pub id: i64,
    pub cmd: String,
    pub ns: i32,
    pub title: String,
    pub params: String,
    pub attempts: i64,
    pub token: String,
}

/// A job to queue.
#[derive(Debug, Clone, PartialEq)]
pub struct NewJob {
    pub cmd: String,
    pub ns: i32,
    pub title: String,
    /// JSON object.
    pub params: String,
    /// Jobs with the same hash are queued once while unclaimed.
    pub sha1: String,
}

/// Link tables a backlink query can read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkTable {
    Page,
    Template,
    Image,
    Category,
    Redirect,
}

/// One row of an outgoing-link listing (`prop=links|templates|images`).
#[derive(Debug, Clone, PartialEq)]
pub struct OutLink {
    pub from: i64,
    pub ns: i32,
    pub title: String,
}

/// A backlink listing (`list=backlinks|embeddedin`, `prop=linkshere|…`).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct BacklinkQuery {
    /// Targets: (namespace, DB key). For `Image` and `Category` the namespace is
    /// ignored.
    pub targets: Vec<(i32, String)>,
    /// Namespaces of the linking pages (empty: all).
    pub namespaces: Vec<i32>,
    /// `Some(true)`: redirects only; `Some(false)`: non-redirects only.
    pub redirects: Option<bool>,
    /// Continue at (target index, from namespace, from page id), inclusive.
    pub cont: Option<(usize, i32, i64)>,
    /// Order by the linking page's namespace before its id (`list=backlinks`).
    pub by_from_ns: bool,
    pub descending: bool,
    pub limit: usize,
}

/// One backlink: the index of the target in the query and the linking page.
#[derive(Debug, Clone, PartialEq)]
pub struct Backlink {
    pub target: usize,
    pub page: Page,
    /// For redirects: the fragment of the redirect.
    pub fragment: String,
}

/// `list=categorymembers`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CategoryMembersQuery {
    pub category: String,
    /// `page`, `subcat`, `file` (empty: all, in that order).
    pub types: Vec<String>,
    pub namespaces: Vec<i32>,
    /// Sort by `timestamp` instead of sort key.
    pub by_timestamp: bool,
    pub descending: bool,
    /// Sort key bounds (inclusive start, inclusive end).
    pub start_sortkey: Option<String>,
    pub end_sortkey: Option<String>,
    pub start_time: Option<String>,
    pub end_time: Option<String>,
    /// Continue at (type, sortkey, from id) or (timestamp, from id).
    pub cont_type: Option<String>,
    pub cont_key: Option<String>,
    pub cont_from: Option<i64>,
    pub limit: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub struct CategoryMember {
    pub page: Page,
    pub sortkey: String,
    pub prefix: String,
    pub kind: String,
    pub timestamp: String,
}

/// `prop=categories` rows.
#[derive(Debug, Clone, PartialEq)]
pub struct PageCategory {
    pub from: i64,
    pub category: String,
    pub sortkey: String,
    pub prefix: String,
    pub timestamp: String,
    pub hidden: bool,
}

/// One entry of `list=allcategories`.
#[derive(Debug, Clone, PartialEq)]
pub struct CategoryInfo {
    pub title: String,
    pub pages: i64,
    pub subcats: i64,
    pub files: i64,
    pub hidden: bool,
}

/// A listing over all rows of a link table (`list=alllinks`, …): distinct
/// targets, or (target, from) pairs.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct AllLinksQuery {
    pub ns: i32,
    pub from: Option<String>,
    pub to: Option<String>,
    pub prefix: Option<String>,
    pub unique: bool,
    /// Continue at (title, from id).
    pub cont: Option<(String, i64)>,
    pub descending: bool,
    pub limit: usize,
}

pub trait LinksRead {
    /// The latest text of a page by title: its row and the text.
    fn page_with_text(&mut self, ns: i32, dbkey: &str) -> Result<Option<(Page, String)>>;
    /// The latest text of a page by id.
    fn page_with_text_by_id(&mut self, id: i64) -> Result<Option<(Page, String)>>;
    /// The text of any live revision: (page id, text).
    fn revision_text(&mut self, rev_id: i64) -> Result<Option<(i64, String)>>;
    /// Existence and redirect flag of pages: (ns, dbkey) → (id, is_redirect).
    fn page_facts(
        &mut self,
        titles: &[(i32, String)],
    ) -> Result<HashMap<(i32, String), (i64, bool)>>;
    /// The parser-cache entry of a page, whatever its validity.
    fn parser_cache_get(&mut self, page: i64) -> Result<Option<CachedParse>>;
    /// Outgoing links of pages, ordered by (from, ns, title) (descending when asked),
    /// restricted to namespaces / targets when given, starting at `cont`.
    fn outgoing_links(
        &mut self,
        table: LinkTable,
        from: &[i64],
        namespaces: &[i32],
        targets: &[(i32, String)],
        cont: Option<(i64, i32, String)>,
        descending: bool,
        limit: usize,
    ) -> Result<Vec<OutLink>>;
    /// Pages linking to targets, ordered by (target, from id).
    fn backlinks(&mut self, table: LinkTable, q: &BacklinkQuery) -> Result<Vec<Backlink>>;
    /// Whether any page links to the target in `table`.
    fn has_backlinks(&mut self, table: LinkTable, ns: i32, dbkey: &str) -> Result<bool>;
    /// Backlink page ids after `after`, ascending, at most `limit`.
    fn backlink_ids(
        &mut self,
        table: LinkTable,
        ns: i32,
        dbkey: &str,
        after: i64,
        limit: usize,
    ) -> Result<Vec<i64>>;
    fn category_members(&mut self, q: &CategoryMembersQuery) -> Result<Vec<CategoryMember>>;
    /// Categories of pages, ordered by (from, category).
    fn page_categories(
        &mut self,
        from: &[i64],
        only: &[String],
        cont: Option<(i64, String)>,
        descending: bool,
        limit: usize,
    ) -> Result<Vec<PageCategory>>;
    /// `list=allcategories`: categories with members, in title order.
    fn all_categories(
        &mut self,
        from: Option<&str>,
        to: Option<&str>,
        prefix: Option<&str>,
        descending: bool,
        min: Option<i64>,
        max: Option<i64>,
        limit: usize,
    ) -> Result<Vec<CategoryInfo>>;
    /// `list=alllinks`/`alltransclusions`/`allredirects`: (from id, title).
    fn all_links(&mut self, table: LinkTable, q: &AllLinksQuery) -> Result<Vec<(i64, String)>>;
    /// External links of pages: (from, url), ordered by (from, id).
    fn external_links(
        &mut self,
        from: &[i64],
        cont: Option<(i64, i64)>,
        limit: usize,
    ) -> Result<Vec<(i64, i64, String)>>;
    /// Interwiki links of pages (`prop=iwlinks`): (from, prefix, title), ordered by
    /// (from, prefix, title) (descending when asked), optionally only one prefix and
    /// title, continuing at that triple (inclusive).
    fn interwiki_links(
        &mut self,
        from: &[i64],
        prefix: Option<&str>,
        title: Option<&str>,
        cont: Option<(i64, String, String)>,
        descending: bool,
        limit: usize,
    ) -> Result<Vec<(i64, String, String)>>;
    /// Page properties of pages: (page, name, value), by page then name.
    fn page_props(&mut self, pages: &[i64], names: &[String])
        -> Result<Vec<(i64, String, String)>>;
    /// `list=exturlusage`: (page, url) whose index starts with one of
    /// `index_prefixes` (all when empty), by link id, from `offset`.
    fn ext_url_usage(
        &mut self,
        index_prefixes: &[String],
        namespaces: &[i32],
        offset: usize,
        limit: usize,
    ) -> Result<Vec<(Page, String)>>;
    /// `list=iwbacklinks` (`lang == false`) / `list=langbacklinks`: pages with an
    /// interwiki/language link, optionally to one prefix and title; ordered by
    /// (prefix, title, from), continuing at that triple.
    fn prefix_backlinks(
        &mut self,
        lang: bool,
        prefix: Option<&str>,
        title: Option<&str>,
        cont: Option<(String, String, i64)>,
        descending: bool,
        limit: usize,
    ) -> Result<Vec<(Page, String, String)>>;
    /// Pages with a property: (page, value), by page id.
    fn pages_with_prop(
        &mut self,
        name: &str,
        after: Option<i64>,
        descending: bool,
        limit: usize,
    ) -> Result<Vec<(Page, String)>>;
}

pub trait LinksWrite {
    /// Rewrites every link table row of a page; sets `page_links_updated`.
    fn replace_links(
        &mut self,
        page: i64,
        page_ns: i32,
        set: &LinkSet,
        now: &str,
    ) -> Result<LinkChanges>;
    /// Removes every link table row of a page (page deletion).
    fn delete_links(&mut self, page: i64) -> Result<LinkChanges>;
    fn parser_cache_put(&mut self, entry: &CachedParse) -> Result<()>;
    fn parser_cache_drop(&mut self, page: i64) -> Result<()>;
    /// After `page_touched` was set to `now`: drops the page's parser cache entry
    /// only if it would still look fresh, i.e. it was stored within the same
    /// second (timestamps have whole seconds). Older entries are stale by their
    /// `touched` already and stay untouched, so a purge writes no cache row.
    fn parser_cache_invalidate(&mut self, page: i64, now: &str) -> Result<()>;
    /// Sets `page_touched` to `now` (when older) and invalidates the parser cache
    /// of the pages (as [`LinksWrite::parser_cache_invalidate`]).
    fn touch_pages(&mut self, ids: &[i64], now: &str) -> Result<()>;
}

pub trait JobsWrite {
    /// Queues a job unless an unclaimed one with the same hash waits; returns
    /// whether it was queued.
    fn push_job(&mut self, job: &NewJob, now: &str) -> Result<bool>;
    /// Claims the oldest runnable job (unclaimed, or claimed before
    /// `stale_before` by a runner that died) with fewer than `max_attempts`
    /// attempts.
    fn claim_job(
        &mut self,
        token: &str,
        now: &str,
        stale_before: &str,
        max_attempts: i64,
    ) -> Result<Option<JobRow>>;
    /// Removes a finished job.
    fn ack_job(&mut self, id: i64) -> Result<()>;
    /// Releases a failed job for a retry.
    fn release_job(&mut self, id: i64) -> Result<()>;
    /// Removes jobs that used up their attempts and are not running; returns them.
    fn reap_jobs(&mut self, max_attempts: i64, stale_before: &str) -> Result<Vec<JobRow>>;
}
