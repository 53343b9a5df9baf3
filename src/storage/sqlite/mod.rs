//! The embedded SQLite backend: WAL, one writer connection (writes are serialised,
//! as SQLite requires) and a small pool of readers.

mod archive;
mod durable;
mod links;
mod lists;
mod pages;
mod search;
mod tags;

use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use rusqlite::{params, Connection, OptionalExtension};

use super::{
    BotPasswordRow, GroupMembership, Interwiki, Page, PageListQuery, ReadTxn, SessionRow,
    SiteStats, Store, UserRow, WriteTxn,
};

/// Migrations in order; `PRAGMA user_version` records how many ran.
const MIGRATIONS: &[&str] = &[
    include_str!("../../../migrations/sqlite/0001_init.sql"),
    include_str!("../../../migrations/sqlite/0002_pages.sql"),
    include_str!("../../../migrations/sqlite/0003_links.sql"),
    include_str!("../../../migrations/sqlite/0004_archive.sql"),
    include_str!("../../../migrations/sqlite/0005_indexes.sql"),
];

/// Idle reader connections kept open. Opening one reads the schema, which costs
/// more than most requests, so the pool keeps as many as requests run at once
/// (tokio's blocking threads) in practice.
const MAX_IDLE_READERS: usize = 64;

const INTERWIKI_DEFAULTS: &str = include_str!("../interwiki.tsv");

pub struct SqliteStore {
    path: std::path::PathBuf,
    writer: Mutex<Writer>,
    /// Threads waiting for the writer.
    waiting: AtomicUsize,
    readers: Mutex<Vec<Connection>>,
    sync: durable::GroupSync,
    _checkpointer: durable::Checkpointer,
}

/// Busy handler of every connection: retry every 50 µs for the first 10 ms, then
/// every millisecond, for about 30 s in all. (SQLite's own handler sleeps 1, 2,
/// 5, 10, 15… ms between attempts, so a write that waited for a checkpoint
/// could oversleep it by as much again, and every write queued behind it.)
fn busy_wait(attempt: i32) -> bool {
    let attempt = attempt as u32;
    if attempt < 200 {
        std::thread::sleep(std::time::Duration::from_micros(50));
        true
    } else if attempt < 200 + 30_000 {
        std::thread::sleep(std::time::Duration::from_millis(1));
        true
    } else {
        false
    }
}

fn configure(conn: &mut Connection) -> Result<()> {
    conn.busy_handler(Some(busy_wait))?;
    // rusqlite keeps 16 prepared statements by default; one delete alone runs
    // more distinct statements than that, so each was compiled again every time
    // (a fifth of a delete's CPU). Every statement wikid runs fits in 512.
    conn.set_prepared_statement_cache_capacity(512);
    conn.execute_batch(
        "PRAGMA journal_mode = WAL;
         PRAGMA synchronous = FULL;
         PRAGMA foreign_keys = OFF;
         PRAGMA cache_size = -1024;
         PRAGMA temp_store = MEMORY;",
    )?;
    Ok(())
}

impl SqliteStore {
    pub fn open(path: &Path) -> Result<SqliteStore> {
        let mut conn = Connection::open(path)
            .with_context(|| format!("opening database {}", path.display()))?;
        configure(&mut conn)?;
        migrate(&conn)?;
        // Commits only write the WAL; `SqliteWrite::commit` makes them durable
        // through the group fsync, and the checkpointer thread checkpoints.
        // The writer keeps a larger page cache (16 MB); readers keep 1 MB each and
        // rely on the operating system's file cache, so that many readers do not
        // multiply the server's memory.
        conn.execute_batch(
            "PRAGMA synchronous = NORMAL; PRAGMA wal_autocheckpoint = 0; PRAGMA cache_size = -16384;",
        )?;
        Ok(SqliteStore {
            path: path.to_path_buf(),
            writer: Mutex::new(Writer { conn, batch: None }),
            waiting: AtomicUsize::new(0),
            readers: Mutex::new(Vec::new()),
            sync: durable::GroupSync::new(path)?,
            _checkpointer: durable::Checkpointer::start(path)?,
        })
    }

    fn reader(&self) -> Result<Connection> {
        if let Some(c) = self.readers.lock().map_err(poisoned)?.pop() {
            return Ok(c);
        }
        let mut c = Connection::open(&self.path)?;
        configure(&mut c)?;
        Ok(c)
    }
}

/// Runs a transaction-control statement through the statement cache (these run
/// twice per request; `execute_batch` would parse them every time).
fn run(conn: &Connection, sql: &str) -> rusqlite::Result<()> {
    conn.prepare_cached(sql)?.execute([])?;
    Ok(())
}

fn poisoned<T>(_: std::sync::PoisonError<T>) -> anyhow::Error {
    anyhow::anyhow!("database lock poisoned")
}

fn migrate(conn: &Connection) -> Result<()> {
    let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(version as usize) {
        conn.execute_batch("BEGIN IMMEDIATE")?;
        let step = (|| -> Result<()> {
            conn.execute_batch(sql)?;
            if i == 0 {
                seed_interwiki(conn)?;
            }
            conn.execute_batch(&format!("PRAGMA user_version = {}", i + 1))?;
            Ok(())
        })();
        match step {
            Ok(()) => conn.execute_batch("COMMIT")?,
            Err(e) => {
                let _ = conn.execute_batch("ROLLBACK");
                return Err(e.context(format!("running migration {}", i + 1)));
            }
        }
    }
    Ok(())
}

fn seed_interwiki(conn: &Connection) -> Result<()> {
    let mut stmt = conn.prepare(
        "INSERT OR IGNORE INTO interwiki (iw_prefix, iw_url, iw_api, iw_local) VALUES (?1, ?2, ?3, ?4)",
    )?;
    for line in INTERWIKI_DEFAULTS.lines() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let f: Vec<&str> = line.split('\t').collect();
        if f.len() < 4 {
            continue;
        }
        stmt.execute(params![f[0], f[1], f[2], f[3] == "1"])?;
    }
    Ok(())
}

impl Store for SqliteStore {
    fn read(&self) -> Result<Box<dyn ReadTxn + '_>> {
        // A request reads its own writes: if one of them waits in a batch that is
        // still open, commit the batch first.
        // (Not while this thread holds the writer: its batch is the open one, and
        // a read transaction never saw an uncommitted write anyway.)
        if let Some(t) = crate::storage::durability::pending() {
            if !HOLDS_WRITER.with(|h| h.get()) && self.sync.committed_count() < t {
                let mut w = self.writer.lock().map_err(poisoned)?;
                if w.batch.as_ref().is_some_and(|b| b.seq == t && b.txns > 0) {
                    if let Some(Err(e)) = self.end_batch(&mut w) {
                        return Err(e);
                    }
                }
            }
        }
        let conn = self.reader()?;
        run(&conn, "BEGIN")?;
        Ok(Box::new(SqliteRead {
            conn: Some(conn),
            store: self,
        }))
    }

    fn write(&self) -> Result<Box<dyn WriteTxn + '_>> {
        self.waiting.fetch_add(1, Ordering::SeqCst);
        let guard = self.writer.lock();
        self.waiting.fetch_sub(1, Ordering::SeqCst);
        let mut guard = guard.map_err(poisoned)?;
        if guard.batch.is_none() {
            run(&guard, "BEGIN IMMEDIATE")?;
            guard.batch = Some(Batch {
                seq: self.sync.next_seq(),
                txns: 0,
                started: Instant::now(),
            });
        }
        if let Err(e) = run(&guard, "SAVEPOINT w") {
            self.end_batch(&mut guard);
            return Err(e.into());
        }
        HOLDS_WRITER.with(|h| h.set(true));
        Ok(Box::new(SqliteWrite {
            conn: guard,
            store: self,
            done: false,
        }))
    }

    fn kind(&self) -> &'static str {
        "sqlite"
    }

    fn version(&self) -> String {
        rusqlite::version().to_string()
    }

    fn durable(&self, ticket: u64) -> crate::storage::durability::Wait {
        let wait = self.sync.durable(ticket);
        Box::pin(async move {
            wait.await
                .context("syncing the write-ahead log after commit")
        })
    }
}

/// The writer connection and the batch of write transactions it has open.
///
/// Write transactions made inside an API request (a `durability::deferred`
/// scope) are batched: each runs in a SAVEPOINT of one SQLite transaction, and
/// while other writers are waiting, the last one leaves the transaction open for
/// them instead of committing; the last of a burst (or the 64th, or one 2 ms
/// after the batch began) commits it. One COMMIT then writes the pages of the
/// whole batch to the WAL once, and one fsync makes it durable. Nobody learns of a
/// batched write before that: the request awaits the batch's commit number (its
/// ticket) before it answers, and a request that reads after its own write commits
/// the batch first. Writes outside a scope commit at once.
pub(crate) struct Writer {
    conn: Connection,
    batch: Option<Batch>,
}

impl std::ops::Deref for Writer {
    type Target = Connection;
    fn deref(&self) -> &Connection {
        &self.conn
    }
}

/// An open SQLite transaction holding the writes of one or more requests.
struct Batch {
    /// The commit number it will get.
    seq: u64,
    /// Write transactions released into it.
    txns: usize,
    started: Instant,
}

thread_local! {
    /// This thread holds the writer (a write transaction is open on it).
    static HOLDS_WRITER: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

const BATCH_MAX_TXNS: usize = 64;
const BATCH_MAX_AGE: Duration = Duration::from_millis(2);

impl SqliteStore {
    /// Whether the open batch may stay open for the writers waiting.
    fn keep_open(&self, w: &Writer) -> bool {
        crate::storage::durability::in_scope()
            && self.waiting.load(Ordering::SeqCst) > 0
            && w.batch
                .as_ref()
                .is_some_and(|b| b.txns < BATCH_MAX_TXNS && b.started.elapsed() < BATCH_MAX_AGE)
    }

    /// Commits the open batch (rolls it back when it holds nothing); returns its
    /// commit number, or the error of a COMMIT that failed (every request in the
    /// batch then gets an error).
    fn end_batch(&self, w: &mut Writer) -> Option<Result<u64>> {
        let batch = w.batch.take()?;
        if batch.txns == 0 {
            let _ = run(w, "ROLLBACK");
            return None;
        }
        Some(match run(w, "COMMIT") {
            Ok(()) => Ok(self.sync.committed()),
            Err(e) => {
                let _ = run(w, "ROLLBACK");
                self.sync.commit_failed();
                Err(anyhow::Error::from(e).context("committing the write transaction"))
            }
        })
    }
}

/// A read transaction on a pooled connection.
pub(crate) struct SqliteRead<'a> {
    conn: Option<Connection>,
    store: &'a SqliteStore,
}

impl Drop for SqliteRead<'_> {
    fn drop(&mut self) {
        if let Some(c) = self.conn.take() {
            if run(&c, "COMMIT").is_ok() {
                if let Ok(mut pool) = self.store.readers.lock() {
                    if pool.len() < MAX_IDLE_READERS {
                        pool.push(c);
                    }
                }
            }
        }
    }
}

/// The write transaction holds the writer connection until commit or drop.
pub(crate) struct SqliteWrite<'a> {
    conn: MutexGuard<'a, Writer>,
    store: &'a SqliteStore,
    done: bool,
}

impl Drop for SqliteWrite<'_> {
    fn drop(&mut self) {
        HOLDS_WRITER.with(|h| h.set(false));
        if self.done {
            return;
        }
        // Undo this transaction only; the batch keeps the others.
        let undone = run(&self.conn, "ROLLBACK TO w").and_then(|()| run(&self.conn, "RELEASE w"));
        if undone.is_err() {
            // The savepoint is gone (SQLite rolled the whole transaction back):
            // the batch's earlier writes are lost too, and their requests must
            // hear of it.
            if let Some(b) = self.conn.batch.take() {
                let _ = run(&self.conn, "ROLLBACK");
                if b.txns > 0 {
                    self.store.sync.commit_failed();
                }
            }
            return;
        }
        if !self.store.keep_open(&self.conn) {
            let _ = self.store.end_batch(&mut self.conn);
        }
    }
}

/// Queries shared by the read and write transactions. Area files in this folder
/// implement their read traits for every `T: Conn` and their write traits for
/// [`SqliteWrite`].
pub(crate) trait Conn {
    fn c(&self) -> &Connection;
}

impl Conn for SqliteRead<'_> {
    fn c(&self) -> &Connection {
        self.conn.as_ref().expect("connection present until drop")
    }
}

impl Conn for SqliteWrite<'_> {
    fn c(&self) -> &Connection {
        &self.conn
    }
}

const PAGE_COLUMNS: &str = "page_id, page_namespace, page_title, page_is_redirect, page_is_new, \
     page_latest, page_touched, page_len, page_content_model, page_lang";

fn page_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Page> {
    Ok(Page {
        id: r.get(0)?,
        ns: r.get(1)?,
        title: r.get(2)?,
        is_redirect: r.get::<_, i64>(3)? != 0,
        is_new: r.get::<_, i64>(4)? != 0,
        latest: r.get(5)?,
        touched: r.get(6)?,
        len: r.get(7)?,
        content_model: r.get(8)?,
        lang: r.get(9)?,
    })
}

/// `?,?,?` for `n` placeholders.
fn placeholders(n: usize) -> String {
    vec!["?"; n].join(",")
}

/// A user's unexpired group memberships, by group name. Expiry and order are
/// done here rather than in SQL: with either, SQLite's STAT4 planner marked the
/// user id parameter as plan-dependent and compiled the statement again on every
/// run (a seventh of the CPU of a purge request).
fn live_groups(c: &Connection, user: i64) -> Result<Vec<(String, Option<String>)>> {
    let now = crate::util::time::to_mw(&crate::util::time::now());
    let mut stmt =
        c.prepare_cached("SELECT ug_group, ug_expiry FROM user_groups WHERE ug_user = ?1")?;
    let rows = stmt.query_map([user], |r| {
        Ok((r.get::<_, String>(0)?, r.get::<_, Option<String>>(1)?))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (group, expiry) = row?;
        if expiry.as_deref().is_none_or(|e| e > now.as_str()) {
            out.push((group, expiry));
        }
    }
    out.sort();
    Ok(out)
}

fn load_user(c: &Connection, cond: &str, key: rusqlite::types::Value) -> Result<Option<UserRow>> {
    let sql = format!(
        "SELECT user_id, user_name, user_password, user_registration, user_editcount, user_token
         FROM user WHERE {cond}"
    );
    let row = c
        .prepare_cached(&sql)?
        .query_row([key], |r| {
            Ok(UserRow {
                id: r.get(0)?,
                name: r.get(1)?,
                password: r.get(2)?,
                registration: r.get(3)?,
                editcount: r.get(4)?,
                groups: Vec::new(),
                token: r.get(5)?,
            })
        })
        .optional()?;
    let Some(mut row) = row else { return Ok(None) };
    row.groups = live_groups(c, row.id)?
        .into_iter()
        .map(|(g, _)| g)
        .collect();
    Ok(Some(row))
}

impl<T: Conn> ReadTxn for T {
    fn meta(&mut self, key: &str) -> Result<Option<String>> {
        Ok(self
            .c()
            .prepare_cached("SELECT sm_value FROM site_meta WHERE sm_key = ?1")?
            .query_row([key], |r| r.get(0))
            .optional()?)
    }

    fn site_stats(&mut self) -> Result<SiteStats> {
        let c = self.c();
        let (edits, articles, pages, users, active, images): (i64, i64, i64, i64, i64, i64) = c
            .prepare_cached(
                "SELECT ss_total_edits, ss_good_articles, ss_total_pages, ss_users,
                        ss_active_users, ss_images FROM site_stats WHERE ss_row_id = 1",
            )?
            .query_row([], |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                ))
            })?;
        let jobs: i64 = c
            .prepare_cached("SELECT COUNT(*) FROM job")?
            .query_row([], |r| r.get(0))?;
        Ok(SiteStats {
            pages,
            articles,
            edits,
            images,
            users,
            active_users: active,
            jobs,
        })
    }

    fn job_count(&mut self) -> Result<i64> {
        Ok(self
            .c()
            .prepare_cached("SELECT COUNT(*) FROM job")?
            .query_row([], |r| r.get(0))?)
    }

    fn interwikis(&mut self) -> Result<Vec<Interwiki>> {
        let mut stmt = self.c().prepare_cached(
            "SELECT iw_prefix, iw_url, iw_api, iw_local FROM interwiki ORDER BY iw_prefix",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(Interwiki {
                prefix: r.get(0)?,
                url: r.get(1)?,
                api: r.get(2)?,
                local: r.get(3)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn user_count(&mut self) -> Result<i64> {
        Ok(self
            .c()
            .prepare_cached("SELECT COUNT(*) FROM user")?
            .query_row([], |r| r.get(0))?)
    }

    fn user_by_name(&mut self, name: &str) -> Result<Option<UserRow>> {
        load_user(
            self.c(),
            "user_name = ?1",
            rusqlite::types::Value::Text(name.into()),
        )
    }

    fn user_by_id(&mut self, id: i64) -> Result<Option<UserRow>> {
        load_user(
            self.c(),
            "user_id = ?1",
            rusqlite::types::Value::Integer(id),
        )
    }

    fn user_group_memberships(&mut self, user: i64) -> Result<Vec<GroupMembership>> {
        Ok(live_groups(self.c(), user)?
            .into_iter()
            .map(|(group, expiry)| GroupMembership { group, expiry })
            .collect())
    }

    fn session(&mut self, id: &str) -> Result<Option<SessionRow>> {
        Ok(self
            .c()
            .prepare_cached(
                "SELECT s_id, s_user, s_bp_app, s_data, s_expires FROM sessions WHERE s_id = ?1",
            )?
            .query_row([id], |r| {
                Ok(SessionRow {
                    id: r.get(0)?,
                    user: r.get(1)?,
                    bp_app: r.get(2)?,
                    data: r.get(3)?,
                    expires: r.get(4)?,
                })
            })
            .optional()?)
    }

    fn bot_password(&mut self, user: i64, app_id: &str) -> Result<Option<BotPasswordRow>> {
        let row = self
            .c()
            .prepare_cached(
                "SELECT bp_user, bp_app_id, bp_password, bp_token, bp_restrictions, bp_grants
                 FROM bot_passwords WHERE bp_user = ?1 AND bp_app_id = ?2",
            )?
            .query_row(params![user, app_id], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, String>(4)?,
                    r.get::<_, String>(5)?,
                ))
            })
            .optional()?;
        Ok(row.map(
            |(user, app_id, password, token, restrictions, grants)| BotPasswordRow {
                user,
                app_id,
                password,
                token,
                restrictions,
                grants: serde_json::from_str(&grants).unwrap_or_default(),
            },
        ))
    }

    fn counter(&mut self, key: &str, now: i64) -> Result<i64> {
        let v: Option<(i64, i64)> = self
            .c()
            .prepare_cached("SELECT rl_window, rl_count FROM ratelimit WHERE rl_key = ?1")?
            .query_row([key], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        Ok(match v {
            Some((until, count)) if until > now => count,
            _ => 0,
        })
    }

    fn group_member_counts(&mut self) -> Result<Vec<(String, i64)>> {
        let mut stmt = self
            .c()
            .prepare_cached("SELECT ug_group, COUNT(*) FROM user_groups GROUP BY ug_group")?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn pages_by_titles(&mut self, titles: &[(i32, String)]) -> Result<Vec<Page>> {
        let mut groups: Vec<(i32, Vec<&str>)> = Vec::new();
        for (ns, key) in titles {
            match groups.iter_mut().find(|(g, _)| g == ns) {
                Some((_, keys)) => keys.push(key),
                None => groups.push((*ns, vec![key])),
            }
        }
        let mut out = Vec::new();
        for (ns, keys) in groups {
            for chunk in keys.chunks(500) {
                let sql = format!(
                    "SELECT {PAGE_COLUMNS} FROM page WHERE page_namespace = ? AND page_title IN ({}) \
                     ORDER BY page_title",
                    placeholders(chunk.len())
                );
                let mut stmt = self.c().prepare_cached(&sql)?;
                let mut args: Vec<rusqlite::types::Value> = vec![i64::from(ns).into()];
                args.extend(
                    chunk
                        .iter()
                        .map(|k| rusqlite::types::Value::Text(k.to_string())),
                );
                let rows = stmt.query_map(rusqlite::params_from_iter(args), page_row)?;
                for r in rows {
                    out.push(r?);
                }
            }
            // Chunks are each sorted; keep the whole group sorted.
            let start = out.len() - out.iter().rev().take_while(|p| p.ns == ns).count();
            out[start..].sort_by(|a, b| a.title.as_bytes().cmp(b.title.as_bytes()));
        }
        Ok(out)
    }

    fn pages_by_ids(&mut self, ids: &[i64]) -> Result<Vec<Page>> {
        let mut out = Vec::new();
        for chunk in ids.chunks(500) {
            let sql = format!(
                "SELECT {PAGE_COLUMNS} FROM page WHERE page_id IN ({}) ORDER BY page_id",
                placeholders(chunk.len())
            );
            let mut stmt = self.c().prepare_cached(&sql)?;
            let rows = stmt.query_map(rusqlite::params_from_iter(chunk.iter()), page_row)?;
            for r in rows {
                out.push(r?);
            }
        }
        out.sort_by_key(|p| p.id);
        Ok(out)
    }

    fn revision_pages(&mut self, rev_ids: &[i64]) -> Result<Vec<(i64, i64)>> {
        let mut out = Vec::new();
        for chunk in rev_ids.chunks(500) {
            let sql = format!(
                "SELECT rev_id, rev_page FROM revision WHERE rev_id IN ({}) ORDER BY rev_id",
                placeholders(chunk.len())
            );
            let mut stmt = self.c().prepare_cached(&sql)?;
            let rows = stmt.query_map(rusqlite::params_from_iter(chunk.iter()), |r| {
                Ok((r.get(0)?, r.get(1)?))
            })?;
            for r in rows {
                out.push(r?);
            }
        }
        out.sort_unstable();
        Ok(out)
    }

    fn list_pages(&mut self, q: &PageListQuery) -> Result<Vec<Page>> {
        use rusqlite::types::Value;
        let mut sql = format!("SELECT {PAGE_COLUMNS} FROM page WHERE page_namespace = ?");
        let mut args: Vec<Value> = vec![i64::from(q.ns).into()];
        let (ge, le) = if q.descending {
            ("<=", ">=")
        } else {
            (">=", "<=")
        };
        if let Some(from) = &q.from {
            sql.push_str(&format!(" AND page_title {ge} ?"));
            args.push(Value::Text(from.clone()));
        }
        if let Some(to) = &q.to {
            sql.push_str(&format!(" AND page_title {le} ?"));
            args.push(Value::Text(to.clone()));
        }
        if let Some(prefix) = &q.prefix {
            // GLOB/LIKE are case-insensitive or pattern-based; compare bytes instead.
            sql.push_str(" AND substr(page_title, 1, length(?)) = ?");
            args.push(Value::Text(prefix.clone()));
            args.push(Value::Text(prefix.clone()));
        }
        match q.redirects {
            Some(true) => sql.push_str(" AND page_is_redirect = 1"),
            Some(false) => sql.push_str(" AND page_is_redirect = 0"),
            None => {}
        }
        if let Some(min) = q.min_size {
            sql.push_str(" AND page_len >= ?");
            args.push(min.into());
        }
        if let Some(max) = q.max_size {
            sql.push_str(" AND page_len <= ?");
            args.push(max.into());
        }
        match q.langlinks {
            Some(true) => {
                sql.push_str(" AND EXISTS (SELECT 1 FROM langlinks WHERE ll_from = page_id)")
            }
            Some(false) => {
                sql.push_str(" AND NOT EXISTS (SELECT 1 FROM langlinks WHERE ll_from = page_id)")
            }
            None => {}
        }
        if let Some(pf) = &q.protection {
            sql.push_str(&format!(
                " AND EXISTS (SELECT 1 FROM page_restrictions WHERE pr_page = page_id AND pr_type IN ({})",
                placeholders(pf.types.len())
            ));
            args.extend(pf.types.iter().map(|t| Value::Text(t.clone())));
            if !pf.levels.is_empty() {
                sql.push_str(&format!(
                    " AND pr_level IN ({})",
                    placeholders(pf.levels.len())
                ));
                args.extend(pf.levels.iter().map(|t| Value::Text(t.clone())));
            }
            match pf.cascade {
                Some(true) => sql.push_str(" AND pr_cascade = 1"),
                Some(false) => sql.push_str(" AND pr_cascade = 0"),
                None => {}
            }
            match pf.indefinite {
                Some(true) => sql.push_str(" AND (pr_expiry IS NULL OR pr_expiry = 'infinity')"),
                Some(false) => {
                    sql.push_str(" AND pr_expiry IS NOT NULL AND pr_expiry != 'infinity'")
                }
                None => {}
            }
            sql.push(')');
        }
        sql.push_str(if q.descending {
            " ORDER BY page_title DESC LIMIT ?"
        } else {
            " ORDER BY page_title LIMIT ?"
        });
        args.push((q.limit.min(i64::MAX as usize) as i64).into());
        let mut stmt = self.c().prepare_cached(&sql)?;
        let rows = stmt.query_map(rusqlite::params_from_iter(args), page_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}

impl WriteTxn for SqliteWrite<'_> {
    fn set_meta(&mut self, key: &str, value: &str) -> Result<()> {
        self.conn
            .prepare_cached(
                "INSERT INTO site_meta (sm_key, sm_value) VALUES (?1, ?2)
                 ON CONFLICT (sm_key) DO UPDATE SET sm_value = excluded.sm_value",
            )?
            .execute([key, value])?;
        Ok(())
    }

    fn create_user(&mut self, name: &str, password_hash: &str, now_mw: &str) -> Result<i64> {
        let c = &*self.conn;
        c.prepare_cached(
            "INSERT INTO user (user_name, user_password, user_registration, user_touched)
             VALUES (?1, ?2, ?3, ?3)",
        )?
        .execute(params![name, password_hash, now_mw])?;
        let id = c.last_insert_rowid();
        c.prepare_cached("INSERT OR IGNORE INTO actor (actor_user, actor_name) VALUES (?1, ?2)")?
            .execute(params![id, name])?;
        c.prepare_cached("UPDATE site_stats SET ss_users = ss_users + 1 WHERE ss_row_id = 1")?
            .execute([])?;
        Ok(id)
    }

    fn set_user_groups(&mut self, user: i64, groups: &[String]) -> Result<()> {
        let c = &*self.conn;
        c.prepare_cached("DELETE FROM user_groups WHERE ug_user = ?1")?
            .execute([user])?;
        let mut ins =
            c.prepare_cached("INSERT INTO user_groups (ug_user, ug_group) VALUES (?1, ?2)")?;
        for g in groups {
            ins.execute(params![user, g])?;
        }
        Ok(())
    }

    fn add_user_group(&mut self, user: i64, group: &str, expiry: Option<&str>) -> Result<()> {
        self.conn
            .prepare_cached(
                "INSERT INTO user_groups (ug_user, ug_group, ug_expiry) VALUES (?1, ?2, ?3)
                 ON CONFLICT (ug_user, ug_group) DO UPDATE SET ug_expiry = excluded.ug_expiry",
            )?
            .execute(params![user, group, expiry])?;
        Ok(())
    }

    fn remove_user_group(&mut self, user: i64, group: &str) -> Result<()> {
        self.conn
            .prepare_cached("DELETE FROM user_groups WHERE ug_user = ?1 AND ug_group = ?2")?
            .execute(params![user, group])?;
        Ok(())
    }

    fn set_user_password(&mut self, user: i64, password_hash: &str) -> Result<()> {
        self.conn
            .prepare_cached("UPDATE user SET user_password = ?2 WHERE user_id = ?1")?
            .execute(params![user, password_hash])?;
        Ok(())
    }

    fn set_user_token(&mut self, user: i64, token: &str) -> Result<()> {
        self.conn
            .prepare_cached("UPDATE user SET user_token = ?2 WHERE user_id = ?1")?
            .execute(params![user, token])?;
        Ok(())
    }

    fn put_session(&mut self, row: &SessionRow) -> Result<()> {
        self.conn
            .prepare_cached(
                "INSERT INTO sessions (s_id, s_user, s_bp_app, s_data, s_expires)
                 VALUES (?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT (s_id) DO UPDATE SET s_user = excluded.s_user,
                   s_bp_app = excluded.s_bp_app, s_data = excluded.s_data,
                   s_expires = excluded.s_expires",
            )?
            .execute(params![row.id, row.user, row.bp_app, row.data, row.expires])?;
        Ok(())
    }

    fn delete_session(&mut self, id: &str) -> Result<()> {
        self.conn
            .prepare_cached("DELETE FROM sessions WHERE s_id = ?1")?
            .execute([id])?;
        Ok(())
    }

    fn purge_sessions(&mut self, now: i64) -> Result<()> {
        self.conn
            .prepare_cached("DELETE FROM sessions WHERE s_expires < ?1")?
            .execute([now])?;
        self.conn
            .prepare_cached("DELETE FROM ratelimit WHERE rl_window < ?1")?
            .execute([now])?;
        Ok(())
    }

    fn put_bot_password(&mut self, row: &BotPasswordRow) -> Result<()> {
        let grants = serde_json::to_string(&row.grants)?;
        self.conn
            .prepare_cached(
                "INSERT INTO bot_passwords
                   (bp_user, bp_app_id, bp_password, bp_token, bp_restrictions, bp_grants)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                 ON CONFLICT (bp_user, bp_app_id) DO UPDATE SET bp_password = excluded.bp_password,
                   bp_token = excluded.bp_token, bp_restrictions = excluded.bp_restrictions,
                   bp_grants = excluded.bp_grants",
            )?
            .execute(params![
                row.user,
                row.app_id,
                row.password,
                row.token,
                row.restrictions,
                grants
            ])?;
        Ok(())
    }

    fn counter_add(&mut self, key: &str, by: i64, ttl: i64, now: i64) -> Result<i64> {
        let c = &*self.conn;
        let current: Option<(i64, i64)> = c
            .prepare_cached("SELECT rl_window, rl_count FROM ratelimit WHERE rl_key = ?1")?
            .query_row([key], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        let (until, count) = match current {
            Some((until, count)) if until > now => (until, count + by),
            _ => (now + ttl, by),
        };
        c.prepare_cached(
            "INSERT INTO ratelimit (rl_key, rl_window, rl_count) VALUES (?1, ?2, ?3)
             ON CONFLICT (rl_key) DO UPDATE SET rl_window = excluded.rl_window,
               rl_count = excluded.rl_count",
        )?
        .execute(params![key, until, count])?;
        Ok(count)
    }

    fn counter_delete(&mut self, key: &str) -> Result<()> {
        self.conn
            .prepare_cached("DELETE FROM ratelimit WHERE rl_key = ?1")?
            .execute([key])?;
        Ok(())
    }

    fn commit(mut self: Box<Self>) -> Result<()> {
        run(&self.conn, "RELEASE w")?;
        self.done = true;
        let store = self.store;
        let Some(batch) = self.conn.batch.as_mut() else {
            // `write()` always opens a batch and only the holder of the writer
            // ends one; a missing batch means that invariant broke.
            anyhow::bail!("write transaction committed outside a batch");
        };
        batch.txns += 1;
        let mut seq = batch.seq;
        if !store.keep_open(&self.conn) {
            seq = match store.end_batch(&mut self.conn) {
                Some(r) => r?,
                None => anyhow::bail!("the batch of this write transaction was empty"),
            };
        }
        // Release the writer first, so that the next transaction runs while this
        // one waits for the fsync it will share.
        drop(self);
        if crate::storage::durability::defer(seq) {
            return Ok(());
        }
        store
            .sync
            .wait_durable(seq)
            .context("syncing the write-ahead log after commit")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn batched_writes_commit_together_and_a_rollback_undoes_only_its_own() {
        use crate::storage::durability::deferred;
        use std::sync::Arc;
        let dir = tempfile::tempdir().unwrap();
        let store = Arc::new(SqliteStore::open(&dir.path().join("t.sqlite")).unwrap());
        let before = store.sync.committed_count();
        // A writes inside a request scope while B waits for the writer.
        let mut a = store.write().unwrap();
        a.create_user("Kept", "", "20260101000000").unwrap();
        let s2 = store.clone();
        let b = std::thread::spawn(move || {
            deferred(|| {
                let mut w = s2.write().unwrap();
                w.create_user("Dropped", "", "20260101000000").unwrap();
                // dropped: rolled back, and as the last writer it commits the batch
            })
        });
        while store.waiting.load(Ordering::SeqCst) == 0 {
            std::thread::yield_now();
        }
        let ((), ticket) = deferred(move || {
            a.commit().unwrap();
        });
        let ticket = ticket.expect("a deferred commit leaves a ticket");
        assert_eq!(ticket, before + 1);
        let ((), none) = b.join().unwrap();
        assert_eq!(none, None, "a rolled-back write leaves no ticket");
        // The batch was committed once, by B, and is durable.
        assert_eq!(store.sync.committed_count(), before + 1);
        store.sync.wait_durable(ticket).unwrap();
        let mut r = store.read().unwrap();
        assert!(r.user_by_name("Kept").unwrap().is_some());
        assert!(r.user_by_name("Dropped").unwrap().is_none());
    }

    #[test]
    fn a_request_reads_its_own_batched_write() {
        use crate::storage::durability::deferred;
        use std::sync::Arc;
        let dir = tempfile::tempdir().unwrap();
        let store = Arc::new(SqliteStore::open(&dir.path().join("t.sqlite")).unwrap());
        let mut a = store.write().unwrap();
        a.create_user("Mine", "", "20260101000000").unwrap();
        let s2 = store.clone();
        let gate = Arc::new(std::sync::Barrier::new(2));
        let g2 = gate.clone();
        let b = std::thread::spawn(move || {
            deferred(|| {
                let w = s2.write().unwrap();
                // Hold the writer until A has committed into the open batch.
                g2.wait();
                std::thread::sleep(std::time::Duration::from_millis(20));
                w.commit().unwrap();
            })
        });
        while store.waiting.load(Ordering::SeqCst) == 0 {
            std::thread::yield_now();
        }
        deferred(|| {
            a.commit().unwrap();
            gate.wait();
            // B holds the writer with the batch open; reading waits for the
            // batch to be committed and then sees the write.
            let mut r = store.read().unwrap();
            assert!(r.user_by_name("Mine").unwrap().is_some());
        });
        b.join().unwrap();
    }

    #[test]
    fn migrates_and_rolls_back_on_drop() {
        let dir = tempfile::tempdir().unwrap();
        let store = SqliteStore::open(&dir.path().join("t.sqlite")).unwrap();
        {
            let mut w = store.write().unwrap();
            w.create_user("Dropped", "", "20260101000000").unwrap();
            // dropped without commit
        }
        assert_eq!(store.read().unwrap().user_count().unwrap(), 0);
        let mut w = store.write().unwrap();
        let id = w.create_user("Kept", "", "20260101000000").unwrap();
        w.set_user_groups(id, &["sysop".into()]).unwrap();
        w.commit().unwrap();
        let mut r = store.read().unwrap();
        assert_eq!(
            r.user_by_name("Kept").unwrap().unwrap().groups,
            vec!["sysop"]
        );
        assert!(r
            .interwikis()
            .unwrap()
            .iter()
            .any(|i| i.prefix == "wikipedia"));
        // Reopening does not re-run migrations.
        drop(r);
        drop(store);
        SqliteStore::open(&dir.path().join("t.sqlite")).unwrap();
    }
}
