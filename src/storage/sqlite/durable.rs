//! Group commit and background checkpointing for the SQLite backend.
//!
//! SQLite in WAL mode with `synchronous = FULL` fsyncs the WAL inside every COMMIT,
//! while the writer connection is held, so concurrent writers queue behind each
//! other's fsync. Here the writer commits with `synchronous = NORMAL` (the WAL is
//! written but not synced), releases the writer, and then waits in [`GroupSync`]
//! until an `fdatasync` of the WAL that started after its commit has finished. One
//! such fsync covers every transaction committed before it began, so writers that
//! arrive while a sync runs share the next one. A write is durable before its
//! caller sees `commit()` return, exactly as with `synchronous = FULL`.
//!
//! Checkpoints (copying the WAL back into the database file) are taken off the
//! commit path too: the writer runs with `wal_autocheckpoint = 0` and a
//! [`Checkpointer`] thread with its own connection checkpoints every 100 ms
//! (PASSIVE: never blocks readers or the writer). If the WAL still grows past
//! [`WAL_RESTART_BYTES`] (long readers kept it from restarting) it asks for a
//! RESTART checkpoint, which waits briefly for readers and lets the WAL start over.

use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::{Condvar, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

use rusqlite::Connection;

/// How often the background thread checkpoints.
const CHECKPOINT_EVERY: Duration = Duration::from_millis(100);
/// WAL size above which a RESTART checkpoint is requested.
const WAL_RESTART_BYTES: u64 = 128 << 20;

fn wal_path(db: &Path) -> PathBuf {
    let mut s = db.as_os_str().to_owned();
    s.push("-wal");
    PathBuf::from(s)
}

#[derive(Default)]
struct SyncState {
    /// Sequence number of the last commit.
    committed: u64,
    /// Every commit up to this number is on disk.
    synced: u64,
    /// A thread is running fdatasync now.
    syncing: bool,
}

/// Shares WAL fsyncs between the transactions that committed while one ran.
pub(super) struct GroupSync {
    wal: PathBuf,
    file: Mutex<Option<File>>,
    state: Mutex<SyncState>,
    done: Condvar,
}

impl GroupSync {
    pub(super) fn new(db: &Path) -> GroupSync {
        GroupSync {
            wal: wal_path(db),
            file: Mutex::new(None),
            state: Mutex::new(SyncState::default()),
            done: Condvar::new(),
        }
    }

    /// Called with the writer still held, right after COMMIT: numbers the commit.
    pub(super) fn committed(&self) -> u64 {
        let mut st = self.state.lock().unwrap_or_else(|e| e.into_inner());
        st.committed += 1;
        st.committed
    }

    /// Returns once commit `seq` is on disk.
    pub(super) fn wait_durable(&self, seq: u64) -> std::io::Result<()> {
        let mut st = self.state.lock().unwrap_or_else(|e| e.into_inner());
        loop {
            if st.synced >= seq {
                return Ok(());
            }
            if !st.syncing {
                // Lead: one fsync for everything committed so far.
                st.syncing = true;
                let target = st.committed;
                drop(st);
                let res = self.fdatasync();
                st = self.state.lock().unwrap_or_else(|e| e.into_inner());
                st.syncing = false;
                if res.is_ok() {
                    st.synced = st.synced.max(target);
                }
                self.done.notify_all();
                res?;
            } else {
                st = self.done.wait(st).unwrap_or_else(|e| e.into_inner());
            }
        }
    }

    fn fdatasync(&self) -> std::io::Result<()> {
        let mut f = self.file.lock().unwrap_or_else(|e| e.into_inner());
        if f.is_none() {
            // The WAL exists from the first write on and is never removed while the
            // writer connection is open (SQLite deletes it when the last one closes).
            *f = Some(std::fs::OpenOptions::new().write(true).open(&self.wal)?);
        }
        f.as_ref().expect("opened above").sync_data()
    }
}

/// The background checkpoint thread; stops and joins when dropped.
pub(super) struct Checkpointer {
    stop: Option<mpsc::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl Checkpointer {
    pub(super) fn start(db: &Path) -> anyhow::Result<Checkpointer> {
        let conn = Connection::open(db)?;
        conn.busy_timeout(Duration::from_millis(200))?;
        let wal = wal_path(db);
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
                let big = std::fs::metadata(&wal)
                    .map(|m| m.len() > WAL_RESTART_BYTES)
                    .unwrap_or(false);
                let mode = if big { "RESTART" } else { "PASSIVE" };
                if let Err(e) = checkpoint(&conn, mode) {
                    tracing::debug!("checkpoint {mode}: {e}");
                }
            })?;
        Ok(Checkpointer {
            stop: Some(tx),
            thread: Some(thread),
        })
    }
}

fn checkpoint(conn: &Connection, mode: &str) -> rusqlite::Result<()> {
    conn.query_row(&format!("PRAGMA wal_checkpoint({mode})"), [], |_| Ok(()))
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
    use std::sync::Arc;

    #[test]
    fn one_fsync_covers_every_earlier_commit() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("x.sqlite");
        std::fs::write(wal_path(&db), b"wal").unwrap();
        let g = Arc::new(GroupSync::new(&db));
        let seqs: Vec<u64> = (0..5).map(|_| g.committed()).collect();
        assert_eq!(seqs, vec![1, 2, 3, 4, 5]);
        g.wait_durable(5).unwrap();
        // Everything up to 5 is synced now; earlier numbers return at once.
        assert_eq!(g.state.lock().unwrap().synced, 5);
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
        let st = g.state.lock().unwrap();
        assert_eq!(st.synced, 21);
        assert!(!st.syncing);
    }

    #[test]
    fn a_missing_wal_is_an_error_not_a_false_success() {
        let dir = tempfile::tempdir().unwrap();
        let g = GroupSync::new(&dir.path().join("none.sqlite"));
        let s = g.committed();
        assert!(g.wait_durable(s).is_err());
        assert_eq!(g.state.lock().unwrap().synced, 0);
    }
}
