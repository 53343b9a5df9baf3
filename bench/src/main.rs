//! `wikid-bench`: the benchmark suite of issue 8. Starts wikid on a fresh
//! database, loads a deterministic corpus with `wikid import`, runs the
//! workloads with its own load generator (hyper client, one keep-alive
//! connection per virtual user) at several concurrencies, does the same against
//! the reference MediaWiki when it answers and against a bare axum handler (the
//! floor), and writes a Markdown report with PNG plots.

mod client;
mod corpus;
mod floor;
mod load;
mod report;
mod server;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use clap::{Parser, Subcommand, ValueEnum};

use client::{api_json, login, Conn, Endpoint, Session};
use corpus::{Parts, Spec};
use load::{Kind, RunResult, Shared, Supply};
use report::{Report, FLOOR, MEDIAWIKI, WIKID};

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Target {
    Wikid,
    Mediawiki,
    Both,
}

#[derive(Parser, Debug)]
#[command(
    name = "wikid-bench",
    about = "Benchmark suite: wikid vs the reference MediaWiki vs a bare HTTP floor"
)]
struct Cli {
    #[command(subcommand)]
    cmd: Option<Cmd>,
    /// Which servers to measure (both: wikid, and MediaWiki when it answers).
    #[arg(long, value_enum, default_value = "both")]
    target: Target,
    /// CI mode: tiny corpus, 1 s runs, concurrency 1 and 4.
    #[arg(long)]
    quick: bool,
    /// Pages in wikid's corpus (default 100000; quick 2000).
    #[arg(long)]
    pages: Option<usize>,
    /// Seconds per run against wikid and the floor (default 10; quick 1).
    #[arg(long)]
    duration: Option<f64>,
    /// Seconds per run against MediaWiki (default 5; quick 1).
    #[arg(long)]
    mw_duration: Option<f64>,
    /// Concurrencies, comma-separated (default 1,4,16,64; quick 1,4).
    #[arg(long, value_delimiter = ',')]
    concurrency: Option<Vec<usize>>,
    /// Workloads to run, comma-separated (default all): login, tokens, purge-1,
    /// purge-50, purge-generator, purge-forcelinkupdate, delete-1rev, undelete,
    /// delete-1000rev, mixed.
    #[arg(long, value_delimiter = ',')]
    workloads: Option<Vec<String>>,
    /// Seed of the corpus and of the virtual users' choices.
    #[arg(long, default_value_t = 8)]
    seed: u64,
    /// Report folder (report.md, results.json, PNG plots).
    #[arg(long, default_value = "bench-report")]
    out: PathBuf,
    /// Scratch folder (corpus XML, wikid's data directory, logs).
    #[arg(long, default_value = "target/bench-work")]
    work_dir: PathBuf,
    /// The wikid binary.
    #[arg(long, default_value = "target/release/wikid")]
    wikid: PathBuf,
    /// Revisions of the page deleted by the big-delete measurement (default
    /// 100000; quick 2000; 0 skips it).
    #[arg(long)]
    big_revisions: Option<usize>,
    /// Pages with 1 000 revisions (default max(8, pages/500)).
    #[arg(long)]
    thousand_pages: Option<usize>,
    /// Skip the bare-server floor.
    #[arg(long)]
    no_floor: bool,
    /// Keep wikid's data directory after the run.
    #[arg(long)]
    keep_data: bool,
    /// Keep a pristine copy of the imported data directory in the work folder and,
    /// when one for the same corpus exists, copy it instead of importing again (for
    /// repeated runs while profiling; the report then gives the first import's times).
    #[arg(long)]
    reuse_import: bool,
    /// The reference MediaWiki's api.php.
    #[arg(long, default_value = "http://127.0.0.1:8080/w/api.php")]
    mw_api: String,
    /// The reference's credentials file (bot password Admin@ci).
    #[arg(long, default_value = "/tmp/refwiki/credentials.env")]
    mw_env: PathBuf,
    /// Pages of the corpus loaded into MediaWiki with importDump.php (default
    /// 1000; quick 300): MediaWiki imports 15–40 revisions/s here.
    #[arg(long)]
    mw_pages: Option<usize>,
    /// 1 000-revision pages loaded into MediaWiki (default 8; quick 2).
    #[arg(long)]
    mw_thousand_pages: Option<usize>,
    /// Do not import anything into MediaWiki (use what an earlier run loaded).
    #[arg(long)]
    mw_no_import: bool,
}

#[derive(Subcommand, Debug)]
enum Cmd {
    /// The bare-server floor (started by the bench itself).
    FloorServer {
        #[arg(long)]
        listen: String,
    },
}

/// Settings after defaults.
struct Plan {
    pages: usize,
    duration: Duration,
    mw_duration: Duration,
    cs: Vec<usize>,
    kinds: Vec<Kind>,
    big: usize,
    thousand: usize,
    mw_pages: usize,
    mw_thousand: usize,
}

fn main() -> Result<()> {
    let cli = Cli::parse();
    if let Some(Cmd::FloorServer { listen }) = &cli.cmd {
        return floor::serve(listen);
    }
    let q = cli.quick;
    let pages = cli.pages.unwrap_or(if q { 2000 } else { 100_000 });
    let kinds = match &cli.workloads {
        None => Kind::ALL.to_vec(),
        Some(ws) => ws
            .iter()
            .map(|w| Kind::from_name(w).with_context(|| format!("unknown workload {w}")))
            .collect::<Result<_>>()?,
    };
    let plan = Plan {
        pages,
        duration: Duration::from_secs_f64(cli.duration.unwrap_or(if q { 1.0 } else { 10.0 })),
        mw_duration: Duration::from_secs_f64(cli.mw_duration.unwrap_or(if q { 1.0 } else { 5.0 })),
        cs: cli
            .concurrency
            .clone()
            .unwrap_or(if q { vec![1, 4] } else { vec![1, 4, 16, 64] }),
        kinds,
        big: cli.big_revisions.unwrap_or(if q { 2000 } else { 100_000 }),
        thousand: cli.thousand_pages.unwrap_or((pages / 500).max(8)),
        mw_pages: cli.mw_pages.unwrap_or(if q { 300 } else { 1000 }),
        mw_thousand: cli.mw_thousand_pages.unwrap_or(if q { 2 } else { 8 }),
    };
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    rt.block_on(bench(cli, plan))
}

fn sh(cmd: &str, args: &[&str]) -> String {
    std::process::Command::new(cmd)
        .args(args)
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_default()
}

fn machine_facts() -> String {
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let model = cpuinfo
        .lines()
        .find(|l| l.starts_with("model name"))
        .and_then(|l| l.split_once(':'))
        .map(|(_, v)| v.trim().to_string())
        .unwrap_or_default();
    let cpus = cpuinfo
        .lines()
        .filter(|l| l.starts_with("processor"))
        .count();
    let meminfo = std::fs::read_to_string("/proc/meminfo").unwrap_or_default();
    let mem = meminfo
        .lines()
        .find(|l| l.starts_with("MemTotal"))
        .map(|l| l.trim_start_matches("MemTotal:").trim().to_string())
        .unwrap_or_default();
    let kernel = std::fs::read_to_string("/proc/sys/kernel/osrelease").unwrap_or_default();
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    format!(
        "- CPU: {cpus} × {model}\n- Memory: {mem}\n- Kernel: {}\n- Load average at start: {}\n- rustc: {}\n- The load generator runs on the same cores as the server (one process, tokio, one connection per virtual user).",
        kernel.trim(),
        load.split_whitespace().take(3).collect::<Vec<_>>().join(" "),
        sh("rustc", &["--version"])
    )
}

fn now_utc() -> String {
    let t = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    corpus::format_unix(t)
}

fn mib(k: Option<u64>) -> String {
    k.map(|k| format!("{:.0} MiB", k as f64 / 1024.0))
        .unwrap_or("?".into())
}

async fn bench(cli: Cli, plan: Plan) -> Result<()> {
    std::fs::create_dir_all(&cli.out)?;
    std::fs::create_dir_all(&cli.work_dir)?;
    let mut rep = Report::default();
    let command = std::env::var("BENCH_COMMAND").unwrap_or_else(|_| {
        std::env::args()
            .map(|a| if a.contains(' ') { format!("'{a}'") } else { a })
            .collect::<Vec<_>>()
            .join(" ")
    });
    let mut commit = sh("git", &["rev-parse", "--short=12", "HEAD"]);
    if !sh("git", &["status", "--porcelain", "--untracked-files=no"]).is_empty() {
        commit.push_str(" (with uncommitted changes)");
    }
    rep.title_lines.push("# wikid benchmark report".into());
    rep.title_lines.push(String::new());
    rep.title_lines
        .push(format!("- Started: {} (UTC)", now_utc()));
    rep.title_lines.push(format!("- Command: `{command}`"));
    rep.title_lines.push(format!("- Git commit: {commit}"));
    rep.title_lines.push(format!(
        "- Runs: {} s each against wikid and the floor, {} s against MediaWiki; concurrency {:?}; seed {}",
        plan.duration.as_secs_f64(),
        plan.mw_duration.as_secs_f64(),
        plan.cs,
        cli.seed
    ));
    rep.sections.push(("Machine".into(), machine_facts()));
    rep.workloads = plan
        .kinds
        .iter()
        .map(|k| (k.name().to_string(), k.describe().to_string()))
        .collect();
    let t_all = Instant::now();

    // 1. The floor.
    if !cli.no_floor {
        let (proc, ep) = server::start_floor().await?;
        let pid = proc.pid();
        println!("== floor (bare axum handler) on {}", ep.host);
        for &c in &plan.cs {
            let shd = shared(&ep, Kind::Floor, None, "", "", vec![], None, cli.seed);
            let r = load::run(shd, c, plan.duration, Some(probe_of_pid(pid))).await;
            println!("{}", report::line(FLOOR, &r));
            rep.results.push((FLOOR.into(), r));
        }
        drop(proc);
    }

    // 2. wikid.
    if matches!(cli.target, Target::Wikid | Target::Both) {
        run_wikid(&cli, &plan, &mut rep).await?;
    }

    // 3. MediaWiki.
    if matches!(cli.target, Target::Mediawiki | Target::Both) {
        let ep = Endpoint::from_api_url(&cli.mw_api)?;
        let up = server::wait_ready(&ep, Duration::from_secs(2))
            .await
            .is_ok();
        if up {
            if let Err(e) = run_mediawiki(&cli, &plan, &mut rep, &ep).await {
                eprintln!("MediaWiki part failed: {e:#}");
                rep.sections.push((
                    "MediaWiki".into(),
                    format!("The MediaWiki part failed: `{e:#}`"),
                ));
            }
        } else {
            let msg = format!(
                "MediaWiki did not answer at {}: no MediaWiki figures in this run.",
                cli.mw_api
            );
            println!("{msg}");
            if cli.target == Target::Mediawiki {
                bail!(msg);
            }
            rep.sections.push(("MediaWiki".into(), msg));
        }
    }

    // 4. Targets of issue 8, then the report.
    rep.sections
        .push(("Targets of issue 8".into(), targets(&rep, &plan)));
    rep.title_lines.push(format!(
        "- Total time: {:.0} s",
        t_all.elapsed().as_secs_f64()
    ));
    let plots = match rep.plots(&cli.out) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("plots skipped: {e:#}");
            rep.sections
                .push(("Plots".into(), format!("No plots in this run: {e:#}")));
            Vec::new()
        }
    };
    let md = rep.markdown(&plots);
    std::fs::write(cli.out.join("report.md"), &md)?;
    let json: Vec<serde_json::Value> = rep
        .results
        .iter()
        .map(|(t, r)| {
            let mut v = serde_json::to_value(r).unwrap_or_default();
            v["target"] = serde_json::Value::String(t.clone());
            v
        })
        .collect();
    std::fs::write(
        cli.out.join("results.json"),
        serde_json::to_string_pretty(&json)?,
    )?;
    println!(
        "\nreport: {} ({} plots)",
        cli.out.join("report.md").display(),
        plots.len()
    );
    Ok(())
}

fn probe_of_pid(pid: u32) -> load::Probe {
    load::Probe {
        rss: Arc::new(move || server::proc_status_kib(pid, "VmRSS")),
        cpu: Arc::new(move || server::cpu_seconds(&pid.to_string())),
    }
}

fn shared(
    ep: &Endpoint,
    kind: Kind,
    session: Option<Session>,
    bot_user: &str,
    bot_pass: &str,
    titles: Vec<String>,
    supply: Option<Supply>,
    seed: u64,
) -> Arc<Shared> {
    Arc::new(Shared {
        ep: ep.clone(),
        kind,
        session,
        bot_user: bot_user.into(),
        bot_pass: bot_pass.into(),
        titles: Arc::new(titles),
        supply,
        deleted: Mutex::new(Vec::new()),
        exhausted: AtomicBool::new(false),
        seed,
    })
}

/// What a suite needs to know about one wiki.
struct Wiki<'a> {
    target: &'static str,
    ep: Endpoint,
    session: Session,
    bot_user: String,
    bot_pass: String,
    general: Vec<String>,
    delete_pool: Vec<String>,
    thousand: Vec<String>,
    duration: Duration,
    probe: load::Probe,
    rep: &'a mut Report,
}

/// Runs every workload at every concurrency against one wiki.
async fn suite(w: &mut Wiki<'_>, plan: &Plan, seed: u64) -> Result<()> {
    // A tenth of the delete pool goes to the mixed workload.
    let mut del_pool = std::mem::take(&mut w.delete_pool);
    let mut mixed_pool = del_pool.split_off(del_pool.len() - del_pool.len() / 10);
    let mut thousand = std::mem::take(&mut w.thousand);
    let mut deleted: Vec<String> = Vec::new();
    for &kind in &plan.kinds {
        for (k, &c) in plan.cs.iter().enumerate() {
            let left = plan.cs.len() - k;
            let pool: Option<&mut Vec<String>> = match kind {
                Kind::Delete1Rev => Some(&mut del_pool),
                Kind::Delete1000Rev => Some(&mut thousand),
                Kind::Undelete => Some(&mut deleted),
                Kind::Mixed => Some(&mut mixed_pool),
                _ => None,
            };
            // Each run gets a fair share of what is left for the runs to come.
            let supply = pool.map(|p| {
                let share = p.len() / left;
                let rest = p.split_off(share);
                let mine = std::mem::replace(p, rest);
                Supply::new(mine)
            });
            let writes = matches!(
                kind,
                Kind::Delete1Rev | Kind::Delete1000Rev | Kind::Undelete | Kind::Mixed
            );
            let log0 = if writes {
                Some(server::newest_log_id(&w.ep, &w.session).await?)
            } else {
                None
            };
            let shd = shared(
                &w.ep,
                kind,
                Some(w.session.clone()),
                &w.bot_user,
                &w.bot_pass,
                w.general.clone(),
                supply,
                seed ^ (c as u64) << 32,
            );
            let mut r = load::run(shd.clone(), c, w.duration, Some(w.probe.clone())).await;
            // Titles handed out but not used go back to the pool.
            if let Some(s) = &shd.supply {
                let back = s.remaining();
                let pool = match kind {
                    Kind::Delete1Rev => &mut del_pool,
                    Kind::Delete1000Rev => &mut thousand,
                    Kind::Undelete => &mut deleted,
                    _ => &mut mixed_pool,
                };
                pool.extend(back);
            }
            if kind == Kind::Delete1Rev {
                deleted.extend(shd.deleted.lock().expect("lock").drain(..));
            }
            if let Some(l0) = log0 {
                let action = if kind == Kind::Undelete {
                    "restore"
                } else {
                    "delete"
                };
                let rows = server::count_log(&w.ep, &w.session, l0, action).await?;
                r.log_rows = Some(rows);
                if rows != r.ok_writes {
                    println!(
                        "!!! DURABILITY MISMATCH: {} {} c={c}: {} successful {action}s but {rows} new log rows",
                        w.target, r.workload, r.ok_writes
                    );
                }
            }
            println!("{}", report::line(w.target, &r));
            w.rep.results.push((w.target.into(), r));
        }
        // Let the job queue drain between workloads (link updates of edits
        // and forcelinkupdate purges), so one workload's jobs do not run
        // during the next.
        if matches!(kind, Kind::PurgeForceLinkUpdate | Kind::Mixed) {
            let (t, left) = server::wait_jobs(&w.ep, Duration::from_secs(60)).await?;
            if t > 1.0 || left > 0 {
                println!("   (job queue drained in {t:.1} s; {left} left)");
            }
        }
    }
    Ok(())
}

async fn run_wikid(cli: &Cli, plan: &Plan, rep: &mut Report) -> Result<()> {
    let work = &cli.work_dir;
    let wikid = &cli.wikid;
    if !wikid.exists() {
        bail!(
            "{} not found: build it first (cargo build --release)",
            wikid.display()
        );
    }
    let spec = Spec::scaled(plan.pages, cli.seed, plan.thousand, plan.big);
    let xml = work.join(format!(
        "corpus-{}-{}-{}-{}.xml",
        plan.pages, cli.seed, plan.thousand, plan.big
    ));
    let t0 = Instant::now();
    let all = Parts {
        general: true,
        delete_pool: true,
        thousand: true,
        big: true,
    };
    let written = corpus::write(&spec, all, &xml)?;
    let t_gen = t0.elapsed().as_secs_f64();
    println!(
        "== wikid: corpus {} pages, {} revisions, {} MB of text ({t_gen:.1} s to write {})",
        written.pages,
        written.revisions,
        written.text_bytes / 1_000_000,
        xml.display()
    );
    let data = work.join("wikid-data");
    if data.exists() {
        std::fs::remove_dir_all(&data)?;
    }
    let pristine = work.join(format!(
        "wikid-data-pristine-{}-{}-{}-{}",
        plan.pages, cli.seed, plan.thousand, plan.big
    ));
    let bot_pass = "benchbot0password0000000000000001".to_string();
    let times_file = pristine.join("bench-import-times");
    let (t_import, t_jobs) = if cli.reuse_import && times_file.exists() {
        let t0 = Instant::now();
        copy_dir(&pristine, &data)?;
        std::fs::remove_file(data.join("bench-import-times")).ok();
        let times = std::fs::read_to_string(&times_file)?;
        let mut it = times
            .split_whitespace()
            .map(|x| x.parse::<f64>().unwrap_or(0.0));
        let (a, b) = (it.next().unwrap_or(0.0), it.next().unwrap_or(0.0));
        println!(
            "   copied the pristine import {} ({:.1} s; it was imported in {a:.1} s, jobs {b:.1} s)",
            pristine.display(),
            t0.elapsed().as_secs_f64()
        );
        (a, b)
    } else {
        std::fs::create_dir_all(&data)?;
        let t0 = Instant::now();
        server::wikid_cmd(wikid, &data, &["import", xml.to_str().context("path")?])?;
        let t_import = t0.elapsed().as_secs_f64();
        println!(
            "   import: {t_import:.1} s ({:.0} revisions/s)",
            written.revisions as f64 / t_import
        );
        let t0 = Instant::now();
        let jobs_out = server::wikid_cmd(wikid, &data, &["run-jobs"])?;
        let t_jobs = t0.elapsed().as_secs_f64();
        println!("   run-jobs: {t_jobs:.1} s ({})", jobs_out.trim());
        let admin_pass = format!("Bench-admin-{}-password", cli.seed);
        server::wikid_cmd(
            wikid,
            &data,
            &["user", "reset-password", "Admin", "--password", &admin_pass],
        )?;
        server::wikid_cmd(
            wikid,
            &data,
            &[
                "botpassword",
                "create",
                "Admin",
                "bench",
                "--grants",
                "basic,highvolume,editpage,createeditmovepage,delete",
                "--password",
                &bot_pass,
            ],
        )?;
        if cli.reuse_import {
            if pristine.exists() {
                std::fs::remove_dir_all(&pristine)?;
            }
            copy_dir(&data, &pristine)?;
            std::fs::write(&times_file, format!("{t_import} {t_jobs}\n"))?;
        }
        (t_import, t_jobs)
    };
    let db_size = dir_size(&data);
    let log = work.join("wikid.log");
    let (proc, ep) = server::start_wikid(wikid, &data, &log).await?;
    let pid = proc.pid();
    let rss0 = server::proc_status_kib(pid, "VmRSS");
    println!(
        "   wikid serving on {} (pid {pid}, RSS {})",
        ep.host,
        mib(rss0)
    );
    let mut conn = Conn::new(&ep);
    let session = login(&mut conn, &ep, "Admin@bench", &bot_pass).await?;
    rep.sections.push((
        "Corpus loaded into wikid".into(),
        format!(
            "Generated from seed {} by wikid-bench (`corpus.rs`) as a MediaWiki XML export and loaded with `wikid import` (the real import path), then `wikid run-jobs` until the queue was empty:\n\n\
             - {} pages, {} revisions, {} MB of wikitext ({} MB XML)\n\
             - {} general pages `Bench page NNNNNN` with 1–50 revisions each (1 + ⌊49·u⁹⌋: two thirds have one), 200–2 000 bytes of wikitext each with links and 1–2 categories; the first {} embed `{}`\n\
             - {} one-revision pages `Bench del NNNNNN` (the delete supply; a tenth of them for the mixed workload)\n\
             - {} pages `Bench thousand NNNN` with exactly 1 000 revisions\n\
             - `{}` with {} revisions (the big delete)\n\
             - import {:.1} s ({:.0} revisions/s); link-table jobs {:.1} s; data directory {} MB; server RSS after start {}\n",
            cli.seed,
            written.pages,
            written.revisions,
            written.text_bytes / 1_000_000,
            std::fs::metadata(&xml).map(|m| m.len() / 1_000_000).unwrap_or(0),
            spec.general,
            spec.embeds,
            corpus::TEMPLATE,
            spec.delete_pool,
            spec.thousand,
            corpus::BIG_PAGE,
            spec.big_revisions,
            t_import,
            written.revisions as f64 / t_import,
            t_jobs,
            db_size / 1_000_000,
            mib(rss0),
        ),
    ));
    let mut w = Wiki {
        target: WIKID,
        ep: ep.clone(),
        session: session.clone(),
        bot_user: "Admin@bench".into(),
        bot_pass: bot_pass.clone(),
        general: spec.general_titles(),
        delete_pool: spec.delete_titles(),
        thousand: spec.thousand_titles(),
        duration: plan.duration,
        probe: probe_of_pid(pid),
        rep,
    };
    suite(&mut w, plan, cli.seed).await?;

    // The big delete: one request, its time and the server's memory.
    if spec.big_revisions > 0 {
        let before = server::proc_status_kib(pid, "VmRSS");
        let hwm_before = server::proc_status_kib(pid, "VmHWM");
        let stop = Arc::new(AtomicBool::new(false));
        let stop2 = stop.clone();
        let sampler = tokio::spawn(async move {
            let mut peak = 0;
            while !stop2.load(std::sync::atomic::Ordering::Relaxed) {
                peak = peak.max(server::proc_status_kib(pid, "VmRSS").unwrap_or(0));
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
            peak
        });
        let log0 = server::newest_log_id(&ep, &session).await?;
        let mut c = Conn::new(&ep);
        c.timeout = Duration::from_secs(3600);
        let t0 = Instant::now();
        let res = api_json(
            &mut c,
            &ep,
            Some(&session),
            true,
            &[
                ("action", "delete"),
                ("title", corpus::BIG_PAGE),
                ("reason", "bench big delete"),
                ("token", &session.csrf),
            ],
        )
        .await;
        let secs = t0.elapsed().as_secs_f64();
        stop.store(true, std::sync::atomic::Ordering::Relaxed);
        let peak = sampler.await.unwrap_or(0);
        let after = server::proc_status_kib(pid, "VmRSS");
        let hwm_after = server::proc_status_kib(pid, "VmHWM");
        let rows = server::count_log(&ep, &session, log0, "delete").await?;
        let answer = match &res {
            Ok(j) if j.get("error").is_none() => "ok".to_string(),
            Ok(j) => format!("API error: {}", j["error"]),
            Err(e) => format!("failed: {e:#}"),
        };
        let text = format!(
            "`action=delete` of `{}` ({} revisions) on wikid: **{secs:.2} s** for the request ({answer}); \
             delete log rows added: {rows}.\n\n\
             Server RSS: {} before, **peak {} during** (sampled every 20 ms), {} after; \
             VmHWM (peak over the server's life) {} before, {} after.\n",
            corpus::BIG_PAGE,
            spec.big_revisions,
            mib(before),
            mib(Some(peak)),
            mib(after),
            mib(hwm_before),
            mib(hwm_after),
        );
        println!(
            "wikid     big delete ({} revisions): {secs:.2} s, {answer}; RSS {} → peak {} → {}",
            spec.big_revisions,
            mib(before),
            mib(Some(peak)),
            mib(after)
        );
        w.rep.sections.push(("Big delete".into(), text));
    }
    let hwm = server::proc_status_kib(pid, "VmHWM");
    w.rep.sections.push((
        "wikid memory".into(),
        format!(
            "Peak RSS of the wikid process over the whole run (VmHWM): {}.",
            mib(hwm)
        ),
    ));
    drop(proc);
    if !cli.keep_data {
        std::fs::remove_dir_all(&data).ok();
    }
    Ok(())
}

fn copy_dir(from: &Path, to: &Path) -> Result<()> {
    std::fs::create_dir_all(to)?;
    for e in std::fs::read_dir(from)? {
        let e = e?;
        let target = to.join(e.file_name());
        if e.file_type()?.is_dir() {
            copy_dir(&e.path(), &target)?;
        } else {
            std::fs::copy(e.path(), &target)?;
        }
    }
    Ok(())
}

fn dir_size(p: &Path) -> u64 {
    std::fs::read_dir(p)
        .map(|rd| {
            rd.flatten()
                .map(|e| match e.metadata() {
                    Ok(m) if m.is_dir() => dir_size(&e.path()),
                    Ok(m) => m.len(),
                    Err(_) => 0,
                })
                .sum()
        })
        .unwrap_or(0)
}

/// Loads the scaled corpus into the reference with importDump.php (as www-data),
/// then runs the suite against it.
async fn run_mediawiki(cli: &Cli, plan: &Plan, rep: &mut Report, ep: &Endpoint) -> Result<()> {
    let creds = server::read_mw_env(&cli.mw_env)?;
    let spec = Spec::scaled(plan.mw_pages, cli.seed, plan.mw_thousand, 0);
    println!("== MediaWiki at {}", cli.mw_api);
    let mut conn = Conn::new(ep);
    let session = login(&mut conn, ep, &creds.bot_user, &creds.bot_pass).await?;
    let mut notes = String::new();
    let _ = writeln!(
        notes,
        "The reference MediaWiki at `{}` (credentials `{}`, bot password `{}`). \
         Importing wikid's corpus there would take hours, so it gets the same generator scaled to {} pages (seed {}):\n\n\
         - {} general pages `Bench page NNNNNN` (same shape as wikid's; the first {} embed `{}`)\n\
         - {} one-revision pages `Bench del NNNNNN`\n\
         - {} pages with 1 000 revisions\n\
         - no big page (MediaWiki deletes pages of more than 1 000 revisions through the job queue)\n",
        cli.mw_api,
        cli.mw_env.display(),
        creds.bot_user,
        plan.mw_pages,
        cli.seed,
        spec.general,
        spec.embeds,
        corpus::TEMPLATE,
        spec.delete_pool,
        spec.thousand
    );
    if !cli.mw_no_import {
        let dir = PathBuf::from("/tmp/wikid-bench-mw");
        std::fs::create_dir_all(&dir)?;
        // The general pages once (skipped when the last one exists); the
        // delete supply every run (importDump.php recreates pages deleted by
        // an earlier run and skips revisions that exist).
        let last = Spec::general_title(spec.general - 1);
        let j = api_json(
            &mut conn,
            ep,
            Some(&session),
            false,
            &[("action", "query"), ("titles", &last), ("prop", "info")],
        )
        .await?;
        let have_general = j["query"]["pages"]
            .as_object()
            .map(|m| m.values().all(|p| p.get("missing").is_none()))
            .unwrap_or(false);
        let mut imports: Vec<(&str, Parts, Option<std::collections::HashSet<String>>)> = Vec::new();
        if !have_general {
            let general = Parts {
                general: true,
                delete_pool: false,
                thousand: false,
                big: false,
            };
            imports.push(("general", general, None));
        } else {
            let _ = writeln!(
                notes,
                "- the general pages were already there from an earlier run (`{last}` exists)"
            );
        }
        // 1 000-revision pages deleted by an earlier run are restored with
        // action=undelete (much faster than importing them again).
        let have = existing(&mut conn, ep, &session, &spec.thousand_titles()).await?;
        let mut restored = 0;
        let mut missing = std::collections::HashSet::new();
        for t in spec.thousand_titles() {
            if have.contains(&t) {
                continue;
            }
            let r = api_json(
                &mut conn,
                ep,
                Some(&session),
                true,
                &[
                    ("action", "undelete"),
                    ("title", &t),
                    ("reason", "bench: restore the supply"),
                    ("token", &session.csrf),
                ],
            )
            .await;
            match r {
                Ok(j) if j.get("error").is_none() => restored += 1,
                _ => {
                    missing.insert(t);
                }
            }
        }
        // One-revision pages deleted by an earlier run are imported again.
        let have = existing(&mut conn, ep, &session, &spec.delete_titles()).await?;
        missing.extend(
            spec.delete_titles()
                .into_iter()
                .filter(|t| !have.contains(t)),
        );
        let _ = writeln!(
            notes,
            "- supply: {restored} 1 000-revision pages restored with action=undelete (not measured); {} pages imported again",
            missing.len()
        );
        if !missing.is_empty() {
            let pool = Parts {
                general: false,
                delete_pool: true,
                thousand: true,
                big: false,
            };
            imports.push(("pool", pool, Some(missing)));
        }
        for (name, p, only) in imports {
            let xml = dir.join(format!(
                "{name}-{}-{}-{}.xml",
                plan.mw_pages, cli.seed, plan.mw_thousand
            ));
            let wr = match &only {
                Some(set) => corpus::write_some(&spec, p, &xml, &|t| set.contains(t))?,
                None => corpus::write(&spec, p, &xml)?,
            };
            let t0 = Instant::now();
            println!(
                "   importDump.php {} ({} pages, {} revisions)…",
                xml.display(),
                wr.pages,
                wr.revisions
            );
            let path = xml.to_str().context("path")?;
            // The supply needs no link tables.
            let args: Vec<&str> = if only.is_some() {
                vec!["--no-updates", path]
            } else {
                vec![path]
            };
            server::mw_maintenance(&creds.dir, "importDump.php", &args)?;
            let t = t0.elapsed().as_secs_f64();
            println!("   … {t:.0} s");
            let _ = writeln!(
                notes,
                "- `importDump.php{}` of the {name} part ({} pages, {} revisions): {t:.0} s ({:.0} revisions/s)",
                if only.is_some() { " --no-updates" } else { "" },
                wr.pages,
                wr.revisions,
                wr.revisions as f64 / t
            );
        }
        let (t, left) = server::wait_jobs(ep, Duration::from_secs(120)).await?;
        let _ = writeln!(
            notes,
            "- job queue after import: drained in {t:.0} s ({left} left)"
        );
    } else {
        let _ = writeln!(notes, "- `--mw-no-import`: nothing imported in this run");
    }
    // What is really there: the supply that exists now.
    let have = existing(&mut conn, ep, &session, &spec.delete_titles()).await?;
    let delete_pool: Vec<String> = spec
        .delete_titles()
        .into_iter()
        .filter(|t| have.contains(t))
        .collect();
    let have = existing(&mut conn, ep, &session, &spec.thousand_titles()).await?;
    let thousand: Vec<String> = spec
        .thousand_titles()
        .into_iter()
        .filter(|t| have.contains(t))
        .collect();
    let _ = writeln!(
        notes,
        "- present at the start of the measurements: {} of {} delete pages, {} of {} 1 000-revision pages",
        delete_pool.len(),
        spec.delete_pool,
        thousand.len(),
        spec.thousand
    );
    let needle = format!("{}/apache/httpd.conf", creds.dir.display());
    let rss0 = server::rss_sum_kib(&needle);
    let _ = writeln!(
        notes,
        "- RSS: sum of VmRSS of the processes whose command line contains `{needle}` (best effort; shared pages are counted in each process): {} at the start",
        mib(rss0)
    );
    rep.sections
        .push(("Corpus loaded into MediaWiki".into(), notes));
    let mut w = Wiki {
        target: MEDIAWIKI,
        ep: ep.clone(),
        session,
        bot_user: creds.bot_user.clone(),
        bot_pass: creds.bot_pass.clone(),
        general: spec.general_titles(),
        delete_pool,
        thousand,
        duration: plan.mw_duration,
        probe: load::Probe {
            rss: Arc::new({
                let needle = needle.clone();
                move || server::rss_sum_kib(&needle)
            }),
            cpu: Arc::new(move || server::cpu_sum_seconds(&needle)),
        },
        rep,
    };
    suite(&mut w, plan, cli.seed).await
}

/// The titles of `titles` that exist as pages.
async fn existing(
    conn: &mut Conn,
    ep: &Endpoint,
    session: &Session,
    titles: &[String],
) -> Result<std::collections::HashSet<String>> {
    let mut out = std::collections::HashSet::new();
    for chunk in titles.chunks(50) {
        let joined = chunk.join("|");
        let j = api_json(
            conn,
            ep,
            Some(session),
            false,
            &[
                ("action", "query"),
                ("titles", &joined),
                ("prop", "info"),
                ("formatversion", "2"),
            ],
        )
        .await?;
        for p in j["query"]["pages"].as_array().into_iter().flatten() {
            if p.get("missing").is_none() {
                if let Some(t) = p["title"].as_str() {
                    out.insert(t.to_string());
                }
            }
        }
    }
    Ok(out)
}

/// The section "Targets of issue 8".
fn targets(rep: &Report, plan: &Plan) -> String {
    let mut s = String::new();
    let c = if plan.cs.contains(&16) {
        16
    } else {
        *plan.cs.last().unwrap_or(&1)
    };
    s.push_str("| target | c | wikid it/s | p99 ms | MediaWiki it/s | wikid ÷ MediaWiki | floor it/s | wikid ÷ floor |\n|---|---|---|---|---|---|---|---|\n");
    for w in ["purge-1", "delete-1rev"] {
        let wr = rep.get(WIKID, w, c);
        let mr = rep.get(MEDIAWIKI, w, c);
        let fr = rep.get(FLOOR, "floor", c);
        let f = |r: Option<&RunResult>| r.map(|r| report::fmt_rate(r.rate)).unwrap_or("–".into());
        let _ = writeln!(
            s,
            "| {w} | {c} | {} | {} | {} | {} | {} | {} |",
            f(wr),
            wr.map(|r| report::fmt_ms(r.p99_ms)).unwrap_or("–".into()),
            f(mr),
            rep.ratio_of(w, c, MEDIAWIKI, w),
            f(fr),
            rep.ratio_of(w, c, FLOOR, "floor"),
        );
    }
    let mixed: Vec<String> = rep
        .results
        .iter()
        .filter(|(t, r)| t == WIKID && r.workload == "mixed")
        .map(|(_, r)| format!("c={}: {}", r.concurrency, mib(r.peak_rss_kib)))
        .collect();
    let _ = write!(
        s,
        "\nwikid's peak RSS under the mixed workload: {}.\n",
        if mixed.is_empty() {
            "not measured".into()
        } else {
            mixed.join(", ")
        }
    );
    let mmixed: Vec<String> = rep
        .results
        .iter()
        .filter(|(t, r)| t == MEDIAWIKI && r.workload == "mixed")
        .map(|(_, r)| format!("c={}: {}", r.concurrency, mib(r.peak_rss_kib)))
        .collect();
    if !mmixed.is_empty() {
        let _ = write!(
            s,
            "\nMediaWiki's (sum over Apache processes): {}.\n",
            mmixed.join(", ")
        );
    }
    s.push_str("\nThe big delete: see the section “Big delete”.\n");
    s
}
