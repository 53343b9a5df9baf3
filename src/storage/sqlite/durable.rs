//! Group commit and background checkpointing for the SQLite backend.
//!
//! SQLite in WAL mode with `synchronous = FULL` fsyncs the WAL inside every COMMIT,
//! while the writer connection is held, so concurrent writers queue behind each
//! other's fsync. Here the writer commits with `synchronous = NORMAL` (the WAL is
//! written but not synced) and releases the writer; a dedicated sync thread
//! ([`GroupSync`]) then runs one `fdatasync` of the WAL for every commit made
//! before it started, so commits that arrive while a sync runs share the next one.
//!
//! A commit is durable once the sync thread reports a sync that started after it.
//! Who waits for that:
//! - by default the committing thread itself, inside `commit()`, exactly as with
//!   `synchronous = FULL`;
//! - in a [`crate::storage::durability`] scope (the HTTP layer opens one around each
//!   API request) `commit()` only records the commit's number, and the request
//!   waits asynchronously, without holding a thread, before its answer is sent. A
//!   client still never sees a write acknowledged before it is on disk.
//!
//! Checkpoints (copying the WAL back into the database file) are taken off the
//! commit path too: the writer runs with `wal_autocheckpoint = 0` and a
//! [`Checkpointer`] thread with its own connection checkpoints every 100 ms
//! (PASSIVE: never blocks readers or the writer). SQLite starts the WAL over from
//! its beginning only when a writer finds it wholly checkpointed and no reader
//! still using it, which never happens while readers keep arriving; so when the
//! WAL holds more than [`WAL_RESTART_FRAMES`] frames after a PASSIVE checkpoint,
//! a RESTART checkpoint follows at once. It has little left to copy then, and it
//! waits for the readers in flight (polling every 50 µs rather than with SQLite's
//! millisecond sleeps, because writers wait behind it).

use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::{Arc, Condvar, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

use rusqlite::Connection;

/// How often the background thread checkpoints.
const CHECKPOINT_EVERY: Duration = Duration::from_millis(100);
/// WAL length (in frames of one page) above which a RESTART checkpoint follows
/// the PASSIVE one: 8 192 frames, about 32 MB with 4 KiB pages. A RESTART holds up
/// writes for tens of milliseconds on a large database, but a WAL that keeps
/// growing makes every fsync of it slower (the file's size changes each time);
/// under a purge load at 100 000 pages 8 192 frames (a RESTART a second) gave
/// the best tail latencies of 2 048, 8 192, 16 384 and 65 536.
const WAL_RESTART_FRAMES: i64 = 8192;

fn wal_path(db: &Path) -> PathBuf {
    let mut s = db.as_os_str().to_owned();
    s.push("-wal");
    PathBuf::from(s)
}

/// What the sync thread has done so far (published to async waiters).
#[derive(Clone, Copy, Default, Debug, PartialEq)]
struct Progress {
    /// Every commit up to this number is on disk.
    synced: u64,
    /// A sync covering commits up to this number failed (0: none has).
    failed: u64,
}

impl Progress {
    /// `Some(result)` once commit `seq` is settled. A failure wins: after a failed
    /// sync (or COMMIT) nothing at or before it is reported as durable.
    fn outcome(&self, seq: u64) -> Option<std::io::Result<()>> {
        if self.failed >= seq {
            Some(Err(std::io::Error::other(
                "the write-ahead log could not be committed or synced",
            )))
        } else if self.synced >= seq {
            Some(Ok(()))
        } else {
            None
        }
    }
}

#[derive(Default)]
struct SyncState {
    /// Sequence number of the last commit.
    committed: u64,
    progress: Progress,
    /// The sync thread is asleep waiting for commits.
    idle: bool,
    stop: bool,
}

struct Shared {
    wal: PathBuf,
    state: Mutex<SyncState>,
    /// Wakes the sync thread.
    work: Condvar,
    /// Wakes blocking waiters after each sync.
    done: Condvar,
    /// Tells async waiters after each sync.
    progress: tokio::sync::watch::Sender<Progress>,
}

/// Shares WAL fsyncs between the transactions that committed while one ran, on a
/// thread of its own; stops and joins when dropped.
pub(super) struct GroupSync {
    shared: Arc<Shared>,
    thread: Option<JoinHandle<()>>,
}

impl GroupSync {
    pub(super) fn new(db: &Path) -> std::io::Result<GroupSync> {
        let shared = Arc::new(Shared {
            wal: wal_path(db),
            state: Mutex::new(SyncState::default()),
            work: Condvar::new(),
            done: Condvar::new(),
            progress: tokio::sync::watch::Sender::new(Progress::default()),
        });
        let s = shared.clone();
        let thread = std::thread::Builder::new()
            .name("sqlite-sync".into())
            .spawn(move || sync_loop(&s))?;
        Ok(GroupSync {
            shared,
            thread: Some(thread),
        })
    }

    /// Called with the writer still held, right after COMMIT: numbers the commit
    /// and lets the sync thread know.
    pub(super) fn committed(&self) -> u64 {
        let mut st = self.shared.state.lock().unwrap_or_else(|e| e.into_inner());
        st.committed += 1;
        if st.idle {
            st.idle = false;
            self.shared.work.notify_one();
        }
        st.committed
    }

    /// The number the next commit will get (stable while the writer is held).
    pub(super) fn next_seq(&self) -> u64 {
        self.shared
            .state
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .committed
            + 1
    }

    /// Numbers commits so far.
    pub(super) fn committed_count(&self) -> u64 {
        self.shared
            .state
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .committed
    }

    /// Called with the writer still held when a COMMIT failed: the number is used
    /// up and every waiter on it (and before it) gets an error.
    pub(super) fn commit_failed(&self) -> u64 {
        let mut st = self.shared.state.lock().unwrap_or_else(|e| e.into_inner());
        st.committed += 1;
        st.progress.failed = st.progress.failed.max(st.committed);
        self.shared.done.notify_all();
        self.shared.progress.send_replace(st.progress);
        st.committed
    }

    /// Blocks until commit `seq` is on disk (or its sync failed).
    pub(super) fn wait_durable(&self, seq: u64) -> std::io::Result<()> {
        let mut st = self.shared.state.lock().unwrap_or_else(|e| e.into_inner());
        loop {
            if let Some(r) = st.progress.outcome(seq) {
                return r;
            }
            st = self.shared.done.wait(st).unwrap_or_else(|e| e.into_inner());
        }
    }

    /// Resolves once commit `seq` is on disk (or its sync failed), without
    /// holding a thread while it waits.
    pub(super) fn durable(
        &self,
        seq: u64,
    ) -> impl std::future::Future<Output = std::io::Result<()>> + Send + 'static {
        let mut rx = self.shared.progress.subscribe();
        async move {
            loop {
                if let Some(r) = rx.borrow_and_update().outcome(seq) {
                    return r;
                }
                if rx.changed().await.is_err() {
                    return Err(std::io::Error::other("the sync thread stopped"));
                }
            }
        }
    }
}

fn sync_loop(shared: &Shared) {
    let mut file: Option<File> = None;
    let mut st = shared.state.lock().unwrap_or_else(|e| e.into_inner());
    loop {
        if st.committed == st.progress.synced.max(st.progress.failed) {
            if st.stop {
                return;
            }
            st.idle = true;
            st = shared.work.wait(st).unwrap_or_else(|e| e.into_inner());
            continue;
        }
        // One fsync for everything committed so far.
        let target = st.committed;
        drop(st);
        let res = fdatasync(&shared.wal, &mut file);
        st = shared.state.lock().unwrap_or_else(|e| e.into_inner());
        match res {
            Ok(()) => st.progress.synced = st.progress.synced.max(target),
            Err(e) => {
                tracing::error!("fdatasync of {}: {e}", shared.wal.display());
                st.progress.failed = target;
                file = None;
            }
        }
        shared.done.notify_all();
        shared.progress.send_replace(st.progress);
    }
}

fn fdatasync(wal: &Path, file: &mut Option<File>) -> std::io::Result<()> {
    let f = match file {
        Some(f) => f,
        // The WAL exists from the first write on and is never removed while the
        // writer connection is open (SQLite deletes it when the last one closes).
        None => file.insert(std::fs::OpenOptions::new().write(true).open(wal)?),
    };
    f.sync_data()
}

impl Drop for GroupSync {
    fn drop(&mut self) {
        {
            let mut st = self.shared.state.lock().unwrap_or_else(|e| e.into_inner());
            st.stop = true;
            self.shared.work.notify_one();
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// The background checkpoint thread; stops and joins when dropped.
pub(super) struct Checkpointer {
    stop: Option<mpsc::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl Checkpointer {
    pub(super) fn start(db: &Path) -> anyhow::Result<Checkpointer> {
        let mut conn = Connection::open(db)?;
        conn.busy_handler(Some(checkpoint_busy))?;
        let (tx, rx) = mpsc::channel::<()>();
        let thread = std::thread::Builder::new()
            .name("sqlite-checkpoint".into())
            .spawn(move || loop {
                match rx.recv_timeout(CHECKPOINT_EVERY) {
                    Err(RecvTimeoutError::Timeout) => {}
                    _ => {
                        // Leave the database checkpointed when the store closes.
                        let _ = checkpoint(&conn, "PASSIVE");
                        return;
                    }
                }
                match checkpoint(&conn, "PASSIVE") {
                    Ok(frames) if frames > WAL_RESTART_FRAMES => {
                        if let Err(e) = checkpoint(&conn, "RESTART") {
                            tracing::debug!("checkpoint RESTART: {e}");
                        }
                    }
                    Ok(_) => {}
                    Err(e) => tracing::debug!("checkpoint PASSIVE: {e}"),
                }
            })?;
        Ok(Checkpointer {
            stop: Some(tx),
            thread: Some(thread),
        })
    }
}

/// Runs a checkpoint; returns the number of frames in the WAL.
fn checkpoint(conn: &Connection, mode: &str) -> rusqlite::Result<i64> {
    conn.query_row(&format!("PRAGMA wal_checkpoint({mode})"), [], |r| {
        r.get::<_, i64>(1)
    })
}

/// Busy handler of the checkpoint connection: retry every 50 µs for at most
/// about 200 ms.
fn checkpoint_busy(attempt: i32) -> bool {
    if attempt >= 4000 {
        return false;
    }
    std::thread::sleep(Duration::from_micros(50));
    true
}

impl Drop for Checkpointer {
    fn drop(&mut self) {
        drop(self.stop.take());
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_fsync_covers_every_earlier_commit() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("x.sqlite");
        std::fs::write(wal_path(&db), b"wal").unwrap();
        let g = Arc::new(GroupSync::new(&db).unwrap());
        let seqs: Vec<u64> = (0..5).map(|_| g.committed()).collect();
        assert_eq!(seqs, vec![1, 2, 3, 4, 5]);
        g.wait_durable(5).unwrap();
        // Everything up to 5 is synced now; earlier numbers return at once.
        assert_eq!(g.shared.state.lock().unwrap().progress.synced, 5);
        g.wait_durable(2).unwrap();
        // Many threads: every one returns, none waits forever.
        let handles: Vec<_> = (0..16)
            .map(|_| {
                let g = g.clone();
                std::thread::spawn(move || {
                    let s = g.committed();
                    g.wait_durable(s).unwrap();
                    s
                })
            })
            .collect();
        for h in handles {
            h.join().unwrap();
        }
        let st = g.shared.state.lock().unwrap();
        assert_eq!(st.progress.synced, 21);
        assert_eq!(st.progress.failed, 0);
    }

    #[test]
    fn async_waiters_resolve_after_the_sync() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("x.sqlite");
        std::fs::write(wal_path(&db), b"wal").unwrap();
        let g = GroupSync::new(&db).unwrap();
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let waits: Vec<_> = (0..8).map(|_| g.durable(g.committed())).collect();
        rt.block_on(async {
            for w in waits {
                w.await.unwrap();
            }
        });
        assert_eq!(g.shared.state.lock().unwrap().progress.synced, 8);
    }

    #[test]
    fn a_missing_wal_is_an_error_not_a_false_success() {
        let dir = tempfile::tempdir().unwrap();
        let g = GroupSync::new(&dir.path().join("none.sqlite")).unwrap();
        let s = g.committed();
        assert!(g.wait_durable(s).is_err());
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        assert!(rt.block_on(g.durable(s)).is_err());
        assert_eq!(g.shared.state.lock().unwrap().progress.synced, 0);
    }
}
