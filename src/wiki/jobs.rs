//! The job queue: durable jobs in the database, written in the transaction that
//! causes them, claimed with a token, retried on failure, reclaimed when the
//! runner that claimed them died.
//!
//! Job types: `refreshLinks` (re-parse one page and rewrite its link rows; with
//! `recursive`, fan out over the pages transcluding a title, in batches) and
//! `htmlCacheUpdate` (touch the pages linking to or transcluding a title, in
//! batches, so their cached renderings are rebuilt).

use anyhow::{anyhow, Result};
use sha1::{Digest, Sha1};

use crate::app::App;
use crate::storage::links::{JobRow, LinkTable, NewJob};
use crate::storage::WriteTxn;
use crate::wiki::title::Title;

/// Claims per job before it is given up.
pub const MAX_ATTEMPTS: i64 = 3;
/// A claimed job whose runner has not finished it after this long is taken
/// over by another runner.
pub const CLAIM_TTL_SECS: i64 = 600;
/// Pages per batch of the recursive jobs.
pub const BATCH: usize = 100;

/// A job for `title` with `params` (a JSON object), deduplicated by the hash of
/// its command, title and parameters.
pub fn new_job(cmd: &str, title: &Title, params: serde_json::Value) -> NewJob {
    let params = params.to_string();
    let mut h = Sha1::new();
    h.update(cmd.as_bytes());
    h.update([0]);
    h.update(title.ns.to_string().as_bytes());
    h.update([0]);
    h.update(title.dbkey.as_bytes());
    h.update([0]);
    h.update(params.as_bytes());
    let sha1 = h
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect::<String>();
    NewJob {
        cmd: cmd.to_string(),
        ns: title.ns,
        title: title.dbkey.clone(),
        params,
        sha1,
    }
}

/// Queues `refreshLinks` for a page (or, `recursive`, for every page
/// transcluding it, from page id `offset` on).
pub fn queue_refresh_links(
    txn: &mut dyn WriteTxn,
    title: &Title,
    recursive: bool,
    offset: i64,
    now: &str,
) -> Result<bool> {
    let params = if recursive {
        serde_json::json!({"recursive": true, "table": "templatelinks", "offset": offset})
    } else {
        serde_json::json!({})
    };
    txn.push_job(&new_job("refreshLinks", title, params), now)
}

/// Queues one `refreshLinks` job that re-parses the pages with these ids (at most
/// [`BATCH`] of them, as the recursive jobs make); `title` names the job.
pub fn queue_refresh_pages(
    txn: &mut dyn WriteTxn,
    title: &Title,
    pages: &[i64],
    now: &str,
) -> Result<bool> {
    let params = serde_json::json!({ "pages": pages });
    txn.push_job(&new_job("refreshLinks", title, params), now)
}

/// Queues `htmlCacheUpdate` for the pages linking to `title` through `table`
/// (`pagelinks`, `templatelinks`, `imagelinks`, `categorylinks`).
pub fn queue_html_cache_update(
    txn: &mut dyn WriteTxn,
    title: &Title,
    table: &str,
    offset: i64,
    now: &str,
) -> Result<bool> {
    let params = serde_json::json!({"table": table, "recursive": true, "offset": offset});
    txn.push_job(&new_job("htmlCacheUpdate", title, params), now)
}

fn table_of(name: &str) -> Result<LinkTable> {
    Ok(match name {
        "pagelinks" => LinkTable::Page,
        "templatelinks" => LinkTable::Template,
        "imagelinks" => LinkTable::Image,
        "categorylinks" => LinkTable::Category,
        other => return Err(anyhow!("unknown link table {other}")),
    })
}

fn now_mw() -> String {
    crate::util::time::to_mw(&crate::util::time::now())
}

fn ago_mw(secs: i64) -> String {
    crate::util::time::to_mw(&(crate::util::time::now() - chrono::Duration::seconds(secs)))
}

/// Runs one job's work inside `txn` (the caller acknowledges it in the same
/// transaction).
pub fn execute(app: &App, txn: &mut dyn WriteTxn, job: &JobRow) -> Result<()> {
    let params: serde_json::Value = serde_json::from_str(&job.params)?;
    let title = Title::local(job.ns, job.title.clone());
    let now = now_mw();
    let offset = params.get("offset").and_then(|v| v.as_i64()).unwrap_or(0);
    match job.cmd.as_str() {
        "refreshLinks" => {
            if params.get("recursive").and_then(|v| v.as_bool()) == Some(true) {
                let ids = txn.backlink_ids(
                    LinkTable::Template,
                    title.ns,
                    &title.dbkey,
                    offset,
                    BATCH + 1,
                )?;
                let more = ids.len() > BATCH;
                let batch = &ids[..ids.len().min(BATCH)];
                // One job refreshes the whole batch (MediaWiki's partitioned
                // refreshLinks jobs carry many pages too): far fewer transactions
                // than a job per page.
                if !batch.is_empty() {
                    queue_refresh_pages(txn, &title, batch, &now)?;
                }
                if more {
                    let last = *batch.last().unwrap_or(&offset);
                    queue_refresh_links(txn, &title, true, last, &now)?;
                }
            } else if let Some(pages) = params.get("pages").and_then(|v| v.as_array()) {
                for id in pages.iter().filter_map(|v| v.as_i64()) {
                    crate::wiki::links::refresh_page(app, txn, id)?;
                }
            } else {
                let Some((row, _)) = txn.page_with_text(title.ns, &title.dbkey)? else {
                    return Ok(());
                };
                crate::wiki::links::refresh_page(app, txn, row.id)?;
            }
            Ok(())
        }
        "htmlCacheUpdate" => {
            let table = table_of(
                params
                    .get("table")
                    .and_then(|v| v.as_str())
                    .unwrap_or("pagelinks"),
            )?;
            let ids = txn.backlink_ids(table, title.ns, &title.dbkey, offset, BATCH + 1)?;
            let more = ids.len() > BATCH;
            let batch = &ids[..ids.len().min(BATCH)];
            txn.touch_pages(batch, &now)?;
            // The caches in front of the wiki drop these pages too (HTMLCacheUpdateJob).
            let pages: Vec<(i32, String)> = txn
                .pages_by_ids(batch)?
                .into_iter()
                .map(|p| (p.ns, p.title))
                .collect();
            app.purge_cdn(&pages);
            if more {
                let last = *batch.last().unwrap_or(&offset);
                let t = params
                    .get("table")
                    .and_then(|v| v.as_str())
                    .unwrap_or("pagelinks")
                    .to_string();
                queue_html_cache_update(txn, &title, &t, last, &now)?;
            }
            Ok(())
        }
        "null" => Ok(()),
        "fail" => Err(anyhow!("the fail job always fails")),
        other => Err(anyhow!("unknown job type {other}")),
    }
}

/// What [`run_one`] did.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// Nothing to run.
    Idle,
    Done(String),
    /// Failed; will be retried.
    Retry(String),
    /// Failed for the last time and removed.
    GaveUp(String),
}

fn random_token() -> String {
    use rand::Rng;
    let mut r = rand::thread_rng();
    (0..16).map(|_| format!("{:02x}", r.gen::<u8>())).collect()
}

/// Claims and runs one job (three short transactions: claim, work + ack,
/// or release on failure).
pub fn run_one(app: &App, claim_ttl_secs: i64) -> Result<Outcome> {
    // Jobs that used up their attempts are dropped with a log line.
    {
        let mut w = app.store.write()?;
        let dead = w.reap_jobs(MAX_ATTEMPTS, &ago_mw(claim_ttl_secs))?;
        w.commit()?;
        for j in dead {
            tracing::error!(job = j.id, cmd = %j.cmd, title = %j.title, attempts = j.attempts, "giving up on job");
        }
    }
    let token = random_token();
    let job = {
        let mut w = app.store.write()?;
        let job = w.claim_job(&token, &now_mw(), &ago_mw(claim_ttl_secs), MAX_ATTEMPTS)?;
        w.commit()?;
        match job {
            Some(j) => j,
            None => return Ok(Outcome::Idle),
        }
    };
    let label = format!("{} {}:{}", job.cmd, job.ns, job.title);
    let result = (|| -> Result<()> {
        let mut w = app.store.write()?;
        execute(app, &mut *w, &job)?;
        w.ack_job(job.id)?;
        w.commit()
    })();
    match result {
        Ok(()) => Ok(Outcome::Done(label)),
        Err(e) => {
            let mut w = app.store.write()?;
            if job.attempts >= MAX_ATTEMPTS {
                w.ack_job(job.id)?;
                w.commit()?;
                tracing::error!(
                    job = job.id,
                    attempts = job.attempts,
                    "giving up on job {label}: {e:#}"
                );
                Ok(Outcome::GaveUp(label))
            } else {
                w.release_job(job.id)?;
                w.commit()?;
                tracing::warn!(
                    job = job.id,
                    attempts = job.attempts,
                    "job {label} failed, will retry: {e:#}"
                );
                Ok(Outcome::Retry(label))
            }
        }
    }
}

/// Runs jobs until the queue is idle or `max` jobs ran; returns how many ran.
pub fn run_jobs(app: &App, max: Option<usize>) -> Result<usize> {
    let mut n = 0;
    loop {
        if max.is_some_and(|m| n >= m) {
            return Ok(n);
        }
        match run_one(app, CLAIM_TTL_SECS)? {
            Outcome::Idle => return Ok(n),
            _ => n += 1,
        }
    }
}

/// `index.php?title=Special:RunJobs`: runs queued jobs for a caller that signs its
/// request with the wiki's secret key (`$wgSecretKey`), as MediaWiki's
/// `SpecialRunJobs` does for its HTTP job runners and MediaWiki's API test suite.
/// Takes the POSTed parameters; returns (HTTP status, JSON body).
pub fn special_run_jobs(app: &App, params: &[(String, String)]) -> (u16, String) {
    use hmac::{Hmac, Mac};
    let secret = &app.config.secret_key;
    let get = |k: &str| {
        params
            .iter()
            .rev()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.as_str())
    };
    let refuse = |msg: &str| (400, serde_json::json!({ "error": msg }).to_string());
    if secret.is_empty() {
        return refuse("Special:RunJobs needs a secret_key in the configuration.");
    }
    // The signature covers every other parameter, sorted by name, form-encoded.
    let mut signed: Vec<(&str, &str)> = params
        .iter()
        .filter(|(k, _)| k != "signature")
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    signed.sort_by(|a, b| a.0.cmp(b.0));
    signed.dedup_by(|a, b| a.0 == b.0);
    let query = signed
        .iter()
        .map(|(k, v)| {
            format!(
                "{}={}",
                crate::api::request::rawurlencode(k.as_bytes()),
                crate::api::request::rawurlencode(v.as_bytes())
            )
        })
        .collect::<Vec<_>>()
        .join("&");
    let Ok(mut mac) = Hmac::<Sha1>::new_from_slice(secret.as_bytes()) else {
        return refuse("Invalid or stale signature provided.");
    };
    mac.update(query.as_bytes());
    let given = get("signature").unwrap_or("");
    let expiry: i64 = get("sigexpiry").and_then(|v| v.parse().ok()).unwrap_or(0);
    let valid_sig = hex_decode(given).is_some_and(|g| mac.verify_slice(&g).is_ok());
    if !valid_sig || expiry < chrono::Utc::now().timestamp() {
        return refuse("Invalid or stale signature provided.");
    }
    let max_jobs: usize = get("maxjobs").and_then(|v| v.parse().ok()).unwrap_or(10);
    let max_time: u64 = get("maxtime").and_then(|v| v.parse().ok()).unwrap_or(30);
    let started = std::time::Instant::now();
    let mut jobs = Vec::new();
    let reached = loop {
        if jobs.len() >= max_jobs {
            break "job-limit";
        }
        if started.elapsed().as_secs() >= max_time {
            break "time-limit";
        }
        match run_one(app, CLAIM_TTL_SECS) {
            Ok(Outcome::Idle) => break "none-ready",
            Ok(Outcome::Done(cmd)) => jobs.push(serde_json::json!({"type": cmd, "status": "ok"})),
            Ok(Outcome::Retry(cmd)) | Ok(Outcome::GaveUp(cmd)) => {
                jobs.push(serde_json::json!({"type": cmd, "status": "failed"}))
            }
            Err(e) => {
                tracing::error!(error = %e, "running jobs for Special:RunJobs");
                break "none-possible";
            }
        }
    };
    let body = serde_json::json!({
        "jobs": jobs,
        "reached": reached,
        "backoffs": {},
        "elapsed": started.elapsed().as_millis() as u64,
    });
    (200, body.to_string())
}

fn hex_decode(s: &str) -> Option<Vec<u8>> {
    if !s.len().is_multiple_of(2) || s.len() > 128 {
        return None;
    }
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wiki::title::Title;

    fn app() -> (tempfile::TempDir, App) {
        let dir = tempfile::tempdir().unwrap();
        let config = crate::config::Config {
            data_dir: dir.path().to_path_buf(),
            admin_password: Some("Test-Admin-Password-1".into()),
            ..Default::default()
        };
        let (app, _) = crate::open_app(config).unwrap();
        (dir, app)
    }

    fn push(app: &App, cmd: &str, key: &str) -> bool {
        let t = Title::local(0, key);
        let mut w = app.store.write().unwrap();
        let queued = w
            .push_job(&new_job(cmd, &t, serde_json::json!({})), &now_mw())
            .unwrap();
        w.commit().unwrap();
        queued
    }

    fn count(app: &App) -> i64 {
        app.store.read().unwrap().job_count().unwrap()
    }

    #[test]
    fn a_job_claimed_by_a_runner_that_died_runs_again() {
        let (_d, app) = app();
        push(&app, "null", "A");
        // A runner claims the job and dies before finishing it.
        {
            let mut w = app.store.write().unwrap();
            let j = w
                .claim_job(
                    "dead-runner",
                    &now_mw(),
                    &ago_mw(CLAIM_TTL_SECS),
                    MAX_ATTEMPTS,
                )
                .unwrap();
            assert!(j.is_some());
            w.commit().unwrap();
        }
        // While the claim is fresh, nobody else takes it; it is not lost either.
        assert_eq!(run_one(&app, CLAIM_TTL_SECS).unwrap(), Outcome::Idle);
        assert_eq!(count(&app), 1);
        // Once the claim is stale, another runner takes it over and finishes it.
        assert_eq!(run_one(&app, -5).unwrap(), Outcome::Done("null 0:A".into()));
        assert_eq!(count(&app), 0);
    }

    #[test]
    fn failing_jobs_are_retried_then_given_up() {
        let (_d, app) = app();
        push(&app, "fail", "B");
        assert_eq!(
            run_one(&app, CLAIM_TTL_SECS).unwrap(),
            Outcome::Retry("fail 0:B".into())
        );
        assert_eq!(count(&app), 1);
        assert_eq!(
            run_one(&app, CLAIM_TTL_SECS).unwrap(),
            Outcome::Retry("fail 0:B".into())
        );
        assert_eq!(
            run_one(&app, CLAIM_TTL_SECS).unwrap(),
            Outcome::GaveUp("fail 0:B".into())
        );
        assert_eq!(count(&app), 0);
        assert_eq!(run_one(&app, CLAIM_TTL_SECS).unwrap(), Outcome::Idle);
    }

    #[test]
    fn waiting_duplicates_are_queued_once_and_the_queue_drains() {
        let (_d, app) = app();
        assert!(push(&app, "null", "C"));
        assert!(!push(&app, "null", "C"));
        assert!(push(&app, "null", "D"));
        assert_eq!(count(&app), 2);
        assert_eq!(run_jobs(&app, None).unwrap(), 2);
        assert_eq!(count(&app), 0);
    }

    #[test]
    fn a_transaction_that_rolls_back_leaves_no_job() {
        let (_d, app) = app();
        {
            let mut w = app.store.write().unwrap();
            let t = Title::local(0, "E");
            w.push_job(&new_job("null", &t, serde_json::json!({})), &now_mw())
                .unwrap();
            // dropped without commit
        }
        assert_eq!(count(&app), 0);
    }
}
