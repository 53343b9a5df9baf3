//! The load generator: N virtual users (tokio tasks), each with its own
//! keep-alive connection, looping over a workload's iteration until the
//! duration ends. Latencies go into HDR histograms (merged at the end);
//! non-2xx answers, transport errors and API errors are counted apart.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use hdrhistogram::Histogram;
use hyper::Method;

use crate::client::{enc, form, Conn, Endpoint, Jar, Session};
use crate::corpus::Rng;

/// The workloads of issue 8.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// The bare-server floor: POST form → small JSON.
    Floor,
    Login,
    Tokens,
    Purge1,
    Purge50,
    PurgeGenerator,
    PurgeForceLinkUpdate,
    Delete1Rev,
    Delete1000Rev,
    Undelete,
    Mixed,
}

impl Kind {
    pub const ALL: [Kind; 10] = [
        Kind::Login,
        Kind::Tokens,
        Kind::Purge1,
        Kind::Purge50,
        Kind::PurgeGenerator,
        Kind::PurgeForceLinkUpdate,
        Kind::Delete1Rev,
        Kind::Undelete,
        Kind::Delete1000Rev,
        Kind::Mixed,
    ];
    pub fn name(self) -> &'static str {
        match self {
            Kind::Floor => "floor",
            Kind::Login => "login",
            Kind::Tokens => "tokens",
            Kind::Purge1 => "purge-1",
            Kind::Purge50 => "purge-50",
            Kind::PurgeGenerator => "purge-generator",
            Kind::PurgeForceLinkUpdate => "purge-forcelinkupdate",
            Kind::Delete1Rev => "delete-1rev",
            Kind::Delete1000Rev => "delete-1000rev",
            Kind::Undelete => "undelete",
            Kind::Mixed => "mixed",
        }
    }
    pub fn describe(self) -> &'static str {
        match self {
            Kind::Floor => "bare axum handler: POST form → small JSON (no wiki)",
            Kind::Login => "one iteration = GET logintoken → POST action=login (bot password) → GET csrf token → POST action=purge of 1 title; fresh session each time",
            Kind::Tokens => "GET action=query&meta=tokens with a logged-in session",
            Kind::Purge1 => "POST action=purge of 1 random title (admin bot session)",
            Kind::Purge50 => "POST action=purge of 50 random titles",
            Kind::PurgeGenerator => "POST action=purge&generator=allpages&gaplimit=50&gapfrom=<random title>",
            Kind::PurgeForceLinkUpdate => "POST action=purge&forcelinkupdate=1 of 1 random title",
            Kind::Delete1Rev => "POST action=delete of a fresh 1-revision page per request",
            Kind::Delete1000Rev => "POST action=delete of a fresh 1 000-revision page per request",
            Kind::Undelete => "POST action=undelete of a page deleted earlier in the run",
            Kind::Mixed => "80 % reads (half /wiki/<title> views, half action=query&prop=info|revisions), 15 % edits (appendtext), 4 % purges (1 title), 1 % deletes",
        }
    }
    pub fn from_name(s: &str) -> Option<Kind> {
        Kind::ALL
            .into_iter()
            .chain([Kind::Floor])
            .find(|k| k.name() == s)
    }
}

/// Titles handed out once each, from a shared counter.
#[derive(Debug)]
pub struct Supply {
    titles: Vec<String>,
    next: AtomicUsize,
}

impl Supply {
    pub fn new(titles: Vec<String>) -> Supply {
        Supply {
            titles,
            next: AtomicUsize::new(0),
        }
    }
    pub fn take(&self) -> Option<&str> {
        let i = self.next.fetch_add(1, Ordering::Relaxed);
        self.titles.get(i).map(String::as_str)
    }
    pub fn len(&self) -> usize {
        self.titles.len()
    }
    pub fn used(&self) -> usize {
        self.next.load(Ordering::Relaxed).min(self.titles.len())
    }
    pub fn remaining(&self) -> Vec<String> {
        self.titles[self.used()..].to_vec()
    }
}

/// What the workloads of one run share.
pub struct Shared {
    pub ep: Endpoint,
    pub kind: Kind,
    pub session: Option<Session>,
    /// Bot-password login for the login workload.
    pub bot_user: String,
    pub bot_pass: String,
    /// Pages read, edited and purged.
    pub titles: Arc<Vec<String>>,
    /// Pages to delete (delete workloads, mixed) or undelete.
    pub supply: Option<Supply>,
    /// Titles successfully deleted (for a later undelete run).
    pub deleted: Mutex<Vec<String>>,
    pub exhausted: AtomicBool,
    pub seed: u64,
}

/// Counters and histograms of one virtual user (merged at the end).
pub struct Stats {
    pub iter_hist: Histogram<u64>,
    pub req_hist: Histogram<u64>,
    pub iterations: u64,
    pub requests: u64,
    pub failed_iterations: u64,
    pub http_errors: u64,
    pub transport_errors: u64,
    pub api_errors: u64,
    pub reconnects: u64,
    pub ok_writes: u64,
    pub samples: Vec<String>,
}

impl Stats {
    fn new() -> Stats {
        Stats {
            iter_hist: Histogram::new_with_bounds(1, 600_000_000, 3).expect("bounds"),
            req_hist: Histogram::new_with_bounds(1, 600_000_000, 3).expect("bounds"),
            iterations: 0,
            requests: 0,
            failed_iterations: 0,
            http_errors: 0,
            transport_errors: 0,
            api_errors: 0,
            reconnects: 0,
            ok_writes: 0,
            samples: Vec::new(),
        }
    }
    fn merge(&mut self, o: Stats) {
        self.iter_hist.add(&o.iter_hist).ok();
        self.req_hist.add(&o.req_hist).ok();
        self.iterations += o.iterations;
        self.requests += o.requests;
        self.failed_iterations += o.failed_iterations;
        self.http_errors += o.http_errors;
        self.transport_errors += o.transport_errors;
        self.api_errors += o.api_errors;
        self.reconnects += o.reconnects;
        self.ok_writes += o.ok_writes;
        for s in o.samples {
            if self.samples.len() < 5 && !self.samples.contains(&s) {
                self.samples.push(s);
            }
        }
    }
    fn sample(&mut self, s: String) {
        if self.samples.len() < 3 {
            self.samples.push(s);
        }
    }
}

/// The result of one (workload, concurrency) run.
#[derive(Debug, Clone, serde::Serialize)]
pub struct RunResult {
    pub workload: String,
    pub concurrency: usize,
    pub seconds: f64,
    pub iterations: u64,
    pub requests: u64,
    /// Iterations per second (= requests/s for one-request workloads).
    pub rate: f64,
    pub req_rate: f64,
    pub p50_ms: f64,
    pub p90_ms: f64,
    pub p99_ms: f64,
    pub max_ms: f64,
    /// Per request (login: each of the four steps).
    pub req_p50_ms: f64,
    pub req_p99_ms: f64,
    pub http_errors: u64,
    pub transport_errors: u64,
    pub api_errors: u64,
    pub failed_iterations: u64,
    pub reconnects: u64,
    /// Successful deletes/undeletes.
    pub ok_writes: u64,
    /// Pages offered / used for delete and undelete runs.
    pub supply: Option<(usize, usize)>,
    pub supply_exhausted: bool,
    pub peak_rss_kib: Option<u64>,
    /// CPU used by the server during the run, in cores (CPU seconds ÷ wall seconds).
    pub server_cpu: Option<f64>,
    /// CPU used by the load generator (this process) during the run, in cores.
    pub loadgen_cpu: Option<f64>,
    pub samples: Vec<String>,
    /// Durability check: new log rows (delete or restore) after the run.
    pub log_rows: Option<u64>,
}

impl RunResult {
    pub fn errors(&self) -> u64 {
        self.http_errors + self.transport_errors + self.api_errors
    }
}

fn ms(h: &Histogram<u64>, q: f64) -> f64 {
    if h.is_empty() {
        return 0.0;
    }
    h.value_at_quantile(q) as f64 / 1000.0
}

/// The result of an iteration.
enum Step {
    Ok,
    Failed,
    /// No page left to delete/undelete: the user stops.
    Exhausted,
}

struct Vu {
    conn: Conn,
    stats: Stats,
    rng: Rng,
    sh: Arc<Shared>,
}

impl Vu {
    /// One request, timed and classified. `Some` only for a 2xx answer
    /// without an API error.
    async fn call(
        &mut self,
        method: Method,
        path: &str,
        body: Option<String>,
        cookie: &str,
        api: bool,
    ) -> Option<crate::client::Resp> {
        let t0 = Instant::now();
        let r = self.conn.send(method, path, body, cookie).await;
        let us = t0.elapsed().as_micros().max(1) as u64;
        self.stats.requests += 1;
        self.stats.req_hist.saturating_record(us);
        match r {
            Err(e) => {
                self.stats.transport_errors += 1;
                self.stats.sample(format!("transport: {e:#}"));
                None
            }
            Ok(resp) if !resp.status.is_success() => {
                self.stats.http_errors += 1;
                let b = String::from_utf8_lossy(&resp.body[..resp.body.len().min(200)]);
                self.stats.sample(format!("HTTP {}: {b}", resp.status));
                None
            }
            Ok(resp) if api && resp.is_api_error() => {
                self.stats.api_errors += 1;
                let b = String::from_utf8_lossy(&resp.body[..resp.body.len().min(300)]);
                self.stats.sample(format!("API error: {b}"));
                None
            }
            Ok(resp) => Some(resp),
        }
    }

    async fn post(&mut self, pairs: &[(&str, &str)]) -> Option<crate::client::Resp> {
        let sh = self.sh.clone();
        let s = sh.session.as_ref().expect("workload needs a session");
        let mut body = form(pairs);
        body.push_str("&format=json&token=");
        body.push_str(&enc(&s.csrf));
        self.call(Method::POST, &sh.ep.api_path, Some(body), &s.cookie, true)
            .await
    }

    fn random_title(&mut self) -> String {
        let n = self.sh.titles.len() as u64;
        self.sh.titles[self.rng.below(n) as usize].clone()
    }

    async fn delete_next(&mut self) -> Step {
        let sh = self.sh.clone();
        let Some(title) = sh.supply.as_ref().and_then(|s| s.take()) else {
            sh.exhausted.store(true, Ordering::Relaxed);
            return Step::Exhausted;
        };
        let action = if sh.kind == Kind::Undelete {
            "undelete"
        } else {
            "delete"
        };
        match self
            .post(&[("action", action), ("title", title), ("reason", "bench")])
            .await
        {
            Some(_) => {
                self.stats.ok_writes += 1;
                if action == "delete" {
                    sh.deleted.lock().expect("lock").push(title.to_string());
                }
                Step::Ok
            }
            None => Step::Failed,
        }
    }

    async fn iteration(&mut self) -> Step {
        let sh = self.sh.clone();
        let ok = |r: Option<crate::client::Resp>| if r.is_some() { Step::Ok } else { Step::Failed };
        match sh.kind {
            Kind::Floor => {
                let body = "action=purge&format=json&formatversion=2&forcelinkupdate=1&titles=Main_Page%7CSandbox%7CHelp%3AContents%7CProject%3AAbout%7CTalk%3AMain_Page%7CUser%3AExample%7CTemplate%3AInfobox&token=%2B%5C&maxlag=5".to_string();
                let r = self
                    .call(Method::POST, &sh.ep.api_path, Some(body), "", true)
                    .await;
                ok(r)
            }
            Kind::Login => self.login_iteration().await,
            Kind::Tokens => {
                let s = sh.session.as_ref().expect("session");
                let path = format!("{}?action=query&meta=tokens&format=json", sh.ep.api_path);
                let r = self.call(Method::GET, &path, None, &s.cookie, true).await;
                match r {
                    Some(r) if r.body.len() > 40 => Step::Ok,
                    Some(_) => Step::Failed,
                    None => Step::Failed,
                }
            }
            Kind::Purge1 => {
                let t = self.random_title();
                ok(self.post(&[("action", "purge"), ("titles", &t)]).await)
            }
            Kind::Purge50 => {
                let ts: Vec<String> = (0..50).map(|_| self.random_title()).collect();
                let t = ts.join("|");
                ok(self.post(&[("action", "purge"), ("titles", &t)]).await)
            }
            Kind::PurgeGenerator => {
                let from = self.random_title();
                ok(self
                    .post(&[
                        ("action", "purge"),
                        ("generator", "allpages"),
                        ("gaplimit", "50"),
                        ("gapfrom", &from),
                    ])
                    .await)
            }
            Kind::PurgeForceLinkUpdate => {
                let t = self.random_title();
                ok(self
                    .post(&[
                        ("action", "purge"),
                        ("titles", &t),
                        ("forcelinkupdate", "1"),
                    ])
                    .await)
            }
            Kind::Delete1Rev | Kind::Delete1000Rev | Kind::Undelete => self.delete_next().await,
            Kind::Mixed => {
                let p = self.rng.below(100);
                if p < 40 {
                    let t = self.random_title();
                    let path = format!("{}{}", sh.ep.view_prefix, enc(&t.replace(' ', "_")));
                    ok(self.call(Method::GET, &path, None, "", false).await)
                } else if p < 80 {
                    let t = self.random_title();
                    let path = format!(
                        "{}?action=query&prop=info%7Crevisions&titles={}&format=json",
                        sh.ep.api_path,
                        enc(&t)
                    );
                    ok(self.call(Method::GET, &path, None, "", true).await)
                } else if p < 95 {
                    let t = self.random_title();
                    let text = format!("\nBench edit {}.", self.rng.next_u64() % 1_000_000);
                    ok(self
                        .post(&[
                            ("action", "edit"),
                            ("title", &t),
                            ("appendtext", &text),
                            ("summary", "bench edit"),
                            ("nocreate", "1"),
                        ])
                        .await)
                } else if p < 99 {
                    let t = self.random_title();
                    ok(self.post(&[("action", "purge"), ("titles", &t)]).await)
                } else {
                    match self.delete_next().await {
                        // Out of pages to delete: do a read instead.
                        Step::Exhausted => {
                            let t = self.random_title();
                            let path =
                                format!("{}{}", sh.ep.view_prefix, enc(&t.replace(' ', "_")));
                            ok(self.call(Method::GET, &path, None, "", false).await)
                        }
                        s => s,
                    }
                }
            }
        }
    }

    /// The four steps of a bot-password login, then one write with the token.
    async fn login_iteration(&mut self) -> Step {
        let sh = self.sh.clone();
        let api = &sh.ep.api_path;
        let mut jar = Jar::default();
        let Some(r) = self
            .call(
                Method::GET,
                &format!("{api}?action=query&meta=tokens&type=login&format=json"),
                None,
                "",
                true,
            )
            .await
        else {
            return Step::Failed;
        };
        jar.update(&r.set_cookies);
        let Some(token) = r.json().ok().and_then(|j| {
            j["query"]["tokens"]["logintoken"]
                .as_str()
                .map(str::to_string)
        }) else {
            self.stats.api_errors += 1;
            return Step::Failed;
        };
        let body = form(&[
            ("action", "login"),
            ("format", "json"),
            ("lgname", &sh.bot_user),
            ("lgpassword", &sh.bot_pass),
            ("lgtoken", &token),
        ]);
        let Some(r) = self
            .call(Method::POST, api, Some(body), &jar.header(), true)
            .await
        else {
            return Step::Failed;
        };
        jar.update(&r.set_cookies);
        if !r.body.windows(9).any(|w| w == b"\"Success\"") {
            self.stats.api_errors += 1;
            let b = String::from_utf8_lossy(&r.body[..r.body.len().min(300)]).to_string();
            self.stats.sample(format!("login: {b}"));
            return Step::Failed;
        }
        let Some(r) = self
            .call(
                Method::GET,
                &format!("{api}?action=query&meta=tokens&format=json"),
                None,
                &jar.header(),
                true,
            )
            .await
        else {
            return Step::Failed;
        };
        jar.update(&r.set_cookies);
        let Some(csrf) = r.json().ok().and_then(|j| {
            j["query"]["tokens"]["csrftoken"]
                .as_str()
                .map(str::to_string)
        }) else {
            self.stats.api_errors += 1;
            return Step::Failed;
        };
        let t = self.random_title();
        let body = form(&[
            ("action", "purge"),
            ("format", "json"),
            ("titles", &t),
            ("token", &csrf),
        ]);
        match self
            .call(Method::POST, api, Some(body), &jar.header(), true)
            .await
        {
            Some(_) => Step::Ok,
            None => Step::Failed,
        }
    }
}

/// How to watch the server during a run: its RSS in KiB and the CPU seconds it
/// has used so far.
#[derive(Clone)]
pub struct Probe {
    pub rss: Arc<dyn Fn() -> Option<u64> + Send + Sync>,
    pub cpu: Arc<dyn Fn() -> Option<f64> + Send + Sync>,
}

/// Runs `sh.kind` with `concurrency` users for `duration`, sampling the
/// server's RSS every 50 ms and its CPU time (and the load generator's) at the
/// start and the end.
pub async fn run(
    sh: Arc<Shared>,
    concurrency: usize,
    duration: Duration,
    probe: Option<Probe>,
) -> RunResult {
    let cpu = probe.as_ref().map(|p| p.cpu.clone());
    let rss = probe.map(|p| p.rss);
    let server_cpu0 = cpu.as_ref().and_then(|f| f());
    let self_cpu0 = crate::server::cpu_seconds("self");
    let stop_sampling = Arc::new(AtomicBool::new(false));
    let sampler = rss.map(|f| {
        let stop = stop_sampling.clone();
        tokio::spawn(async move {
            let mut peak: Option<u64> = None;
            while !stop.load(Ordering::Relaxed) {
                let f2 = f.clone();
                if let Ok(Some(v)) = tokio::task::spawn_blocking(move || f2()).await {
                    peak = Some(peak.map_or(v, |p| p.max(v)));
                }
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
            peak
        })
    });
    let start = Instant::now();
    let deadline = start + duration;
    let mut tasks = Vec::new();
    for i in 0..concurrency {
        let sh = sh.clone();
        tasks.push(tokio::spawn(async move {
            let mut vu = Vu {
                conn: Conn::new(&sh.ep),
                stats: Stats::new(),
                rng: Rng::new(sh.seed.wrapping_mul(1_000_003) ^ (i as u64 + 1)),
                sh: sh.clone(),
            };
            while Instant::now() < deadline {
                let t0 = Instant::now();
                let step = vu.iteration().await;
                match step {
                    Step::Exhausted => break,
                    Step::Ok => {}
                    Step::Failed => vu.stats.failed_iterations += 1,
                }
                vu.stats.iterations += 1;
                let us = t0.elapsed().as_micros().max(1) as u64;
                vu.stats.iter_hist.saturating_record(us);
            }
            vu.stats.reconnects = vu.conn.reconnects;
            vu.stats
        }));
    }
    let mut all = Stats::new();
    for t in tasks {
        if let Ok(s) = t.await {
            all.merge(s);
        }
    }
    let seconds = start.elapsed().as_secs_f64();
    let per_second = |a: Option<f64>, b: Option<f64>| match (a, b) {
        (Some(a), Some(b)) if seconds > 0.0 => Some((b - a).max(0.0) / seconds),
        _ => None,
    };
    let server_cpu = per_second(server_cpu0, cpu.as_ref().and_then(|f| f()));
    let loadgen_cpu = per_second(self_cpu0, crate::server::cpu_seconds("self"));
    stop_sampling.store(true, Ordering::Relaxed);
    let peak_rss_kib = match sampler {
        Some(h) => h.await.ok().flatten(),
        None => None,
    };
    let supply = sh.supply.as_ref().map(|s| (s.len(), s.used()));
    RunResult {
        workload: sh.kind.name().to_string(),
        concurrency,
        seconds,
        iterations: all.iterations,
        requests: all.requests,
        rate: all.iterations as f64 / seconds,
        req_rate: all.requests as f64 / seconds,
        p50_ms: ms(&all.iter_hist, 0.50),
        p90_ms: ms(&all.iter_hist, 0.90),
        p99_ms: ms(&all.iter_hist, 0.99),
        max_ms: if all.iter_hist.is_empty() {
            0.0
        } else {
            all.iter_hist.max() as f64 / 1000.0
        },
        req_p50_ms: ms(&all.req_hist, 0.50),
        req_p99_ms: ms(&all.req_hist, 0.99),
        http_errors: all.http_errors,
        transport_errors: all.transport_errors,
        api_errors: all.api_errors,
        failed_iterations: all.failed_iterations,
        reconnects: all.reconnects,
        ok_writes: all.ok_writes,
        supply,
        supply_exhausted: sh.exhausted.load(Ordering::Relaxed),
        peak_rss_kib,
        server_cpu,
        loadgen_cpu,
        samples: all.samples,
        log_rows: None,
    }
}
