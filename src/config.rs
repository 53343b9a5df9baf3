//! Configuration: an optional TOML file, `WIKID_*` environment variables and flags
//! over it (flags win). Every field has a default that gives a working wiki.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::Context;
use serde::Deserialize;

#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// `$wgSitename`: shows in the Project namespace, cookie prefix and messages.
    pub sitename: String,
    /// `$wgServer`, e.g. `http://127.0.0.1:8080`. When empty, taken from each
    /// request's Host header.
    pub server: String,
    /// `$wgScriptPath`: `api.php` lives at `<script_path>/api.php`.
    pub script_path: String,
    /// `$wgArticlePath`.
    pub article_path: String,
    pub data_dir: PathBuf,
    pub listen: String,
    /// Empty: embedded SQLite in `data_dir`. `postgres://…` for PostgreSQL.
    pub database_url: String,
    /// Content language code. `sr` has the variants `sr-ec` (Cyrillic) and
    /// `sr-el` (Latin), used by `converttitles`.
    pub lang: String,
    /// `$wgVariantArticlePath`, e.g. `/$2/$1`; empty: none (false in siteinfo).
    pub variant_article_path: String,
    /// `$wgShowHostnames`: add `servedby` and the host in maxlag errors.
    pub show_hostnames: bool,
    /// `$wgReadOnly`: a reason makes the wiki read-only.
    pub read_only: Option<String>,
    /// `$wgCrossSiteAJAXdomains`: origins allowed to make credentialed CORS requests.
    pub cors_domains: Vec<String>,
    /// A request header that makes queued jobs count as replication lag for
    /// `maxlag` (the reference wiki's `X-Refwiki-Jobqueue-Maxlag: 1` test switch).
    pub jobqueue_maxlag_header: Option<String>,
    /// `$wgJobQueueIncludeInMaxLagFactor` for that switch.
    pub jobqueue_maxlag_factor: f64,
    /// `$wgGroupPermissions` overrides: group → right → granted.
    pub group_permissions: BTreeMap<String, BTreeMap<String, bool>>,
    /// `$wgAPIMaxResultSize`.
    pub max_result_size: usize,
    /// Largest request body accepted, in bytes.
    pub max_body_bytes: usize,
    /// `$wgEnableEmail`. wikid sends no mail, so it is off and, as in MediaWiki,
    /// the `sendemail` right is then taken from the `user` group.
    pub enable_email: bool,
    /// `$wgDeleteRevisionsLimit`: deleting pages with more revisions needs the
    /// `bigdelete` right; 0 turns the check off.
    pub delete_revisions_limit: i64,
    /// `$wgSecretKey`: signs requests to `index.php?title=Special:RunJobs` (empty:
    /// that page refuses every request).
    pub secret_key: String,
    /// Run queued jobs in the server's background (off: only `wikid run-jobs` runs
    /// them, as on a MediaWiki whose api.php never runs jobs).
    pub run_jobs: bool,
    /// `$wgCdnServers`: caches in front of the wiki (`host:port`) that receive HTTP
    /// `PURGE` requests when pages change or are purged.
    pub cdn_servers: Vec<String>,
    /// Create the Main Page on a new installation, as MediaWiki's installer does.
    pub create_main_page: bool,
    /// Merge an edit based on an older revision with the changes made since, line
    /// by line, when they do not overlap (MediaWiki with `$wgDiff3` set, its
    /// default); off: every such edit is an edit conflict (`$wgDiff3 = ''`).
    pub merge_edit_conflicts: bool,
    /// The first administrator, created on an empty database.
    pub admin_user: String,
    pub admin_password: Option<String>,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            sitename: "Wikid".into(),
            server: String::new(),
            script_path: "/w".into(),
            article_path: "/wiki/$1".into(),
            data_dir: PathBuf::from("wikid-data"),
            listen: "127.0.0.1:8080".into(),
            database_url: String::new(),
            lang: "en".into(),
            variant_article_path: String::new(),
            show_hostnames: false,
            read_only: None,
            cors_domains: Vec::new(),
            jobqueue_maxlag_header: None,
            jobqueue_maxlag_factor: 1000.0,
            group_permissions: BTreeMap::new(),
            max_result_size: 8_388_608,
            max_body_bytes: 64 * 1024 * 1024,
            enable_email: false,
            delete_revisions_limit: 0,
            secret_key: String::new(),
            run_jobs: true,
            cdn_servers: Vec::new(),
            create_main_page: true,
            merge_edit_conflicts: true,
            admin_user: "Admin".into(),
            admin_password: None,
        }
    }
}

impl Config {
    pub fn from_file(path: &Path) -> anyhow::Result<Config> {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("reading config {}", path.display()))?;
        toml::from_str(&text).with_context(|| format!("parsing config {}", path.display()))
    }

    /// `$wgMetaNamespace`: the site name with spaces as underscores.
    pub fn meta_namespace(&self) -> String {
        self.sitename.replace(' ', "_")
    }

    /// The wiki id used as cookie prefix (MediaWiki: the database name).
    pub fn wiki_id(&self) -> String {
        let id: String = self
            .sitename
            .to_lowercase()
            .chars()
            .filter(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        if id.is_empty() {
            "wikid".into()
        } else {
            id
        }
    }

    pub fn sqlite_path(&self) -> PathBuf {
        self.data_dir.join("wikid.sqlite")
    }
}
