//! The storage boundary. Modules and domain code speak to the database only through
//! these traits; SQL lives only in `storage/sqlite.rs` (and the PostgreSQL backend
//! behind the `postgres` feature).
//!
//! Transactions are the API: [`Store::read`] gives a consistent snapshot,
//! [`Store::write`] an exclusive write transaction that `commit` consumes; dropping
//! it uncommitted rolls everything back, so an error can never leave half a write.
//!
//! Areas of the wiki (pages, links, users, …) may declare their own trait pair in
//! a file of this folder (`pages.rs`: `PagesRead`, `PagesWrite`) and add it to the
//! supertraits of [`ReadTxn`]/[`WriteTxn`]; the SQLite implementation then lives in
//! `sqlite/<area>.rs`.

pub mod archive;
pub mod durability;
pub mod links;
pub mod lists;
pub mod pages;
pub mod search;
pub mod sqlite;
pub mod tags;

pub use archive::{ArchiveRead, ArchiveWrite};
pub use pages::{PagesRead, PagesWrite};
pub use tags::{TagsRead, TagsWrite};

use anyhow::Result;

/// One row of `site_stats` plus live counts.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SiteStats {
    pub pages: i64,
    pub articles: i64,
    pub edits: i64,
    pub images: i64,
    pub users: i64,
    pub active_users: i64,
    pub jobs: i64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Interwiki {
    pub prefix: String,
    pub url: String,
    pub api: String,
    pub local: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct UserRow {
    pub id: i64,
    pub name: String,
    pub password: String,
    pub registration: Option<String>,
    pub editcount: i64,
    /// Explicit groups (unexpired), sorted.
    pub groups: Vec<String>,
    /// `user_token`: the "remember me" token (32 hex), empty when none yet.
    pub token: String,
}

/// One unexpired explicit group membership.
#[derive(Debug, Clone, PartialEq)]
pub struct GroupMembership {
    pub group: String,
    /// MediaWiki timestamp, `None` for infinity.
    pub expiry: Option<String>,
}

/// A server-side session (`sessions` table).
#[derive(Debug, Clone, PartialEq)]
pub struct SessionRow {
    pub id: String,
    /// 0 for an anonymous session.
    pub user: i64,
    /// App id for bot-password sessions.
    pub bp_app: Option<String>,
    /// JSON session data (token secrets …).
    pub data: String,
    /// Unix time after which the session is gone.
    pub expires: i64,
}

/// A bot password (`bot_passwords` table).
#[derive(Debug, Clone, PartialEq)]
pub struct BotPasswordRow {
    pub user: i64,
    pub app_id: String,
    /// Password hash (argon2 PHC string).
    pub password: String,
    /// Changes when the password is reset, ending its sessions.
    pub token: String,
    /// JSON restrictions (`{"IPAddresses":[…]}`), empty for none.
    pub restrictions: String,
    pub grants: Vec<String>,
}

/// One row of the `page` table.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Page {
    pub id: i64,
    pub ns: i32,
    /// DB key (underscores, no namespace prefix).
    pub title: String,
    pub is_redirect: bool,
    pub is_new: bool,
    /// Id of the latest revision.
    pub latest: i64,
    /// MediaWiki timestamp (`YYYYMMDDHHMMSS`).
    pub touched: String,
    pub len: i64,
    pub content_model: String,
    pub lang: Option<String>,
}

/// Protection filter of a page listing (`apprtype` and friends).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ProtectionFilter {
    pub types: Vec<String>,
    /// Empty: any level.
    pub levels: Vec<String>,
    /// `Some(true)`: cascading only; `Some(false)`: non-cascading only.
    pub cascade: Option<bool>,
    /// `Some(true)`: indefinite only; `Some(false)`: with an expiry only.
    pub indefinite: Option<bool>,
}

/// A page listing in title order within one namespace (`list=allpages`).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PageListQuery {
    pub ns: i32,
    /// Inclusive start DB key (the end in descending order).
    pub from: Option<String>,
    /// Inclusive end DB key.
    pub to: Option<String>,
    /// DB key prefix.
    pub prefix: Option<String>,
    pub descending: bool,
    /// `Some(true)`: redirects only; `Some(false)`: non-redirects only.
    pub redirects: Option<bool>,
    pub min_size: Option<i64>,
    pub max_size: Option<i64>,
    /// `Some(true)`: pages with language links only; `Some(false)`: without.
    pub langlinks: Option<bool>,
    pub protection: Option<ProtectionFilter>,
    /// Maximum number of rows.
    pub limit: usize,
}

pub trait Store: Send + Sync {
    fn read(&self) -> Result<Box<dyn ReadTxn + '_>>;
    fn write(&self) -> Result<Box<dyn WriteTxn + '_>>;
    /// Short name of the backend (`sqlite`, `postgres`), for siteinfo.
    fn kind(&self) -> &'static str;
    /// Version of the database software, for siteinfo's `dbversion`.
    fn version(&self) -> String {
        String::new()
    }
    /// Resolves once the commit numbered `ticket` (from a
    /// [`durability::deferred`] scope) is on disk. A backend whose commits are
    /// durable when they return never hands out tickets; this default says so.
    fn durable(&self, ticket: u64) -> durability::Wait {
        let _ = ticket;
        Box::pin(std::future::ready(Ok(())))
    }
}

pub trait ReadTxn:
    PagesRead + ArchiveRead + TagsRead + links::LinksRead + search::SearchRead + lists::ListsRead
{
    fn meta(&mut self, key: &str) -> Result<Option<String>>;
    fn site_stats(&mut self) -> Result<SiteStats>;
    fn job_count(&mut self) -> Result<i64>;
    fn interwikis(&mut self) -> Result<Vec<Interwiki>>;
    fn user_count(&mut self) -> Result<i64>;
    fn user_by_name(&mut self, name: &str) -> Result<Option<UserRow>>;
    /// Members per group (explicit groups only).
    fn group_member_counts(&mut self) -> Result<Vec<(String, i64)>>;
    /// Pages with the given (namespace, DB key) pairs. Order: namespaces in the
    /// order of their first appearance in `titles`, each sorted by DB key.
    fn pages_by_titles(&mut self, titles: &[(i32, String)]) -> Result<Vec<Page>>;
    /// Pages with the given ids, ascending by id.
    fn pages_by_ids(&mut self, ids: &[i64]) -> Result<Vec<Page>>;
    /// (revision id, page id) of the given live revisions, ascending by revision id.
    fn revision_pages(&mut self, rev_ids: &[i64]) -> Result<Vec<(i64, i64)>>;
    /// A page listing (see [`PageListQuery`]).
    fn list_pages(&mut self, q: &PageListQuery) -> Result<Vec<Page>>;
    fn user_by_id(&mut self, id: i64) -> Result<Option<UserRow>>;
    /// Unexpired explicit group memberships, sorted by group.
    fn user_group_memberships(&mut self, user: i64) -> Result<Vec<GroupMembership>>;
    /// A session by id (expired ones included; callers check `expires`).
    fn session(&mut self, id: &str) -> Result<Option<SessionRow>>;
    fn bot_password(&mut self, user: i64, app_id: &str) -> Result<Option<BotPasswordRow>>;
    /// The value of a counter (rate limits, throttles) unless its window ended.
    fn counter(&mut self, key: &str, now: i64) -> Result<i64>;
}

pub trait WriteTxn:
    ReadTxn + PagesWrite + ArchiveWrite + TagsWrite + links::LinksWrite + links::JobsWrite
{
    fn set_meta(&mut self, key: &str, value: &str) -> Result<()>;
    /// Creates an account; returns its id.
    fn create_user(&mut self, name: &str, password_hash: &str, now_mw: &str) -> Result<i64>;
    fn set_user_groups(&mut self, user: i64, groups: &[String]) -> Result<()>;
    /// Adds a group or updates its expiry (MediaWiki timestamp, `None` = infinity).
    fn add_user_group(&mut self, user: i64, group: &str, expiry: Option<&str>) -> Result<()>;
    fn remove_user_group(&mut self, user: i64, group: &str) -> Result<()>;
    fn set_user_password(&mut self, user: i64, password_hash: &str) -> Result<()>;
    fn set_user_token(&mut self, user: i64, token: &str) -> Result<()>;
    /// Inserts or replaces a session.
    fn put_session(&mut self, row: &SessionRow) -> Result<()>;
    fn delete_session(&mut self, id: &str) -> Result<()>;
    /// Deletes sessions that expired before `now`.
    fn purge_sessions(&mut self, now: i64) -> Result<()>;
    /// Inserts or replaces a bot password.
    fn put_bot_password(&mut self, row: &BotPasswordRow) -> Result<()>;
    /// Adds `by` to a counter whose window of `ttl` seconds starts at its first hit;
    /// returns the new value.
    fn counter_add(&mut self, key: &str, by: i64, ttl: i64, now: i64) -> Result<i64>;
    fn counter_delete(&mut self, key: &str) -> Result<()>;
    fn commit(self: Box<Self>) -> Result<()>;
}

/// Opens the store the configuration names.
pub fn open(config: &crate::config::Config) -> Result<std::sync::Arc<dyn Store>> {
    if config.database_url.starts_with("postgres") {
        anyhow::bail!(
            "this build of wikid has no PostgreSQL backend (build with --features postgres)"
        );
    }
    let path = if let Some(p) = config.database_url.strip_prefix("sqlite://") {
        std::path::PathBuf::from(p)
    } else {
        std::fs::create_dir_all(&config.data_dir)?;
        config.sqlite_path()
    };
    Ok(std::sync::Arc::new(sqlite::SqliteStore::open(&path)?))
}
