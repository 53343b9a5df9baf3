//! The storage boundary. Modules and domain code speak to the database only through
//! these traits; SQL lives only in `storage/sqlite.rs` (and the PostgreSQL backend
//! behind the `postgres` feature).
//!
//! Transactions are the API: [`Store::read`] gives a consistent snapshot,
//! [`Store::write`] an exclusive write transaction that `commit` consumes; dropping
//! it uncommitted rolls everything back, so an error can never leave half a write.

pub mod sqlite;

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
    pub groups: Vec<String>,
}

pub trait Store: Send + Sync {
    fn read(&self) -> Result<Box<dyn ReadTxn + '_>>;
    fn write(&self) -> Result<Box<dyn WriteTxn + '_>>;
    /// Short name of the backend (`sqlite`, `postgres`), for siteinfo.
    fn kind(&self) -> &'static str;
}

pub trait ReadTxn {
    fn meta(&mut self, key: &str) -> Result<Option<String>>;
    fn site_stats(&mut self) -> Result<SiteStats>;
    fn job_count(&mut self) -> Result<i64>;
    fn interwikis(&mut self) -> Result<Vec<Interwiki>>;
    fn user_count(&mut self) -> Result<i64>;
    fn user_by_name(&mut self, name: &str) -> Result<Option<UserRow>>;
    /// Members per group (explicit groups only).
    fn group_member_counts(&mut self) -> Result<Vec<(String, i64)>>;
}

pub trait WriteTxn: ReadTxn {
    fn set_meta(&mut self, key: &str, value: &str) -> Result<()>;
    /// Creates an account; returns its id.
    fn create_user(&mut self, name: &str, password_hash: &str, now_mw: &str) -> Result<i64>;
    fn set_user_groups(&mut self, user: i64, groups: &[String]) -> Result<()>;
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
