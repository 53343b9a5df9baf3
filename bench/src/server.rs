//! The servers under test: wikid (started here on a fresh data directory), the
//! bare floor server (this binary, `floor-server`), and the reference MediaWiki
//! (already running; found through its credentials file). Also: RSS readings
//! from /proc and the durability check through `list=logevents`.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{anyhow, bail, Context, Result};

use crate::client::{api_json, Conn, Endpoint, Session};

/// A free TCP port on 127.0.0.1 (bound, read, released).
pub fn free_port() -> Result<u16> {
    let l = std::net::TcpListener::bind("127.0.0.1:0")?;
    Ok(l.local_addr()?.port())
}

/// A child process we started; stopped (SIGTERM, then SIGKILL) when dropped.
pub struct Proc {
    pub child: Child,
    pub name: String,
}

impl Proc {
    pub fn pid(&self) -> u32 {
        self.child.id()
    }
}

impl Drop for Proc {
    fn drop(&mut self) {
        let pid = self.child.id().to_string();
        let _ = Command::new("kill").args(["-TERM", &pid]).status();
        let t0 = Instant::now();
        while t0.elapsed() < Duration::from_secs(10) {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        eprintln!("{} did not stop on SIGTERM; killing it", self.name);
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A field of `/proc/<pid>/status` in KiB (VmRSS, VmHWM).
pub fn proc_status_kib(pid: u32, field: &str) -> Option<u64> {
    let s = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    s.lines()
        .find(|l| l.starts_with(field))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}

/// Pids whose command line contains `needle`.
pub fn pids_matching(needle: &str) -> Vec<u32> {
    let mut out = Vec::new();
    if let Ok(rd) = std::fs::read_dir("/proc") {
        for e in rd.flatten() {
            let Some(pid) = e.file_name().to_str().and_then(|s| s.parse::<u32>().ok()) else {
                continue;
            };
            if let Ok(cmd) = std::fs::read(format!("/proc/{pid}/cmdline")) {
                let cmd = String::from_utf8_lossy(&cmd).replace('\0', " ");
                if cmd.contains(needle) {
                    out.push(pid);
                }
            }
        }
    }
    out
}

/// Sum of VmRSS over the processes whose command line contains `needle`.
/// CPU time (user + system, in seconds) a process has used so far, from
/// `/proc/<pid>/stat` (fields 14 and 15, in clock ticks of 1/100 s on Linux).
pub fn cpu_seconds(pid: &str) -> Option<f64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The command name (field 2) may hold spaces: count fields after its ')'.
    let rest = &stat[stat.rfind(')')? + 1..];
    let f: Vec<&str> = rest.split_whitespace().collect();
    let utime: f64 = f.get(11)?.parse().ok()?;
    let stime: f64 = f.get(12)?.parse().ok()?;
    Some((utime + stime) / 100.0)
}

/// CPU seconds used so far by every process whose command line contains `needle`
/// (processes that ended in between are missed: best effort).
pub fn cpu_sum_seconds(needle: &str) -> Option<f64> {
    sum_matching(needle, |p| cpu_seconds(&p.to_string()))
}

/// `f` summed over the processes whose command line contains `needle` (None when
/// there is none).
fn sum_matching<T: std::iter::Sum<T>>(needle: &str, f: impl Fn(u32) -> Option<T>) -> Option<T> {
    let pids = pids_matching(needle);
    if pids.is_empty() {
        return None;
    }
    Some(pids.into_iter().filter_map(f).sum())
}

/// RSS (KiB) summed over every process whose command line contains `needle`.
pub fn rss_sum_kib(needle: &str) -> Option<u64> {
    sum_matching(needle, |p| proc_status_kib(p, "VmRSS"))
}

/// Waits until `ep` answers a siteinfo query.
pub async fn wait_ready(ep: &Endpoint, timeout: Duration) -> Result<()> {
    let t0 = Instant::now();
    loop {
        let mut c = Conn::new(ep);
        c.timeout = Duration::from_secs(5);
        if api_json(&mut c, ep, None, false, &[("action", "query")])
            .await
            .is_ok()
        {
            return Ok(());
        }
        if t0.elapsed() > timeout {
            bail!("{} did not answer within {timeout:?}", ep.host);
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Runs a wikid operator command on `data_dir`; returns its stdout.
pub fn wikid_cmd(wikid: &Path, data_dir: &Path, args: &[&str]) -> Result<String> {
    let out = Command::new(wikid)
        .arg("--data-dir")
        .arg(data_dir)
        .args(["--sitename", "Benchwiki"])
        .args(args)
        .env("WIKID_LOG", "warn")
        .output()
        .with_context(|| format!("running {}", wikid.display()))?;
    if !out.status.success() {
        bail!(
            "wikid {} failed ({}): {}",
            args.join(" "),
            out.status,
            String::from_utf8_lossy(&out.stderr)
        );
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// Starts `wikid serve` on a free port.
pub async fn start_wikid(wikid: &Path, data_dir: &Path, log: &Path) -> Result<(Proc, Endpoint)> {
    let port = free_port()?;
    let listen = format!("127.0.0.1:{port}");
    let logf = std::fs::File::create(log)?;
    let child = Command::new(wikid)
        .arg("--data-dir")
        .arg(data_dir)
        .args(["--sitename", "Benchwiki", "serve", "--listen", &listen])
        .env("WIKID_LOG", "warn")
        .stdout(logf.try_clone()?)
        .stderr(logf)
        .spawn()
        .with_context(|| format!("starting {}", wikid.display()))?;
    let proc = Proc {
        child,
        name: "wikid".into(),
    };
    let ep = Endpoint::from_api_url(&format!("http://{listen}/w/api.php"))?;
    wait_ready(&ep, Duration::from_secs(120)).await?;
    Ok((proc, ep))
}

/// Starts this binary's floor server on a free port.
pub async fn start_floor() -> Result<(Proc, Endpoint)> {
    let port = free_port()?;
    let listen = format!("127.0.0.1:{port}");
    let child = Command::new(std::env::current_exe()?)
        .args(["floor-server", "--listen", &listen])
        .stdout(Stdio::null())
        .spawn()?;
    let proc = Proc {
        child,
        name: "floor-server".into(),
    };
    let ep = Endpoint::from_api_url(&format!("http://{listen}/w/api.php"))?;
    let t0 = Instant::now();
    while tokio::net::TcpStream::connect(ep.addr).await.is_err() {
        if t0.elapsed() > Duration::from_secs(10) {
            bail!("floor server did not start");
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    Ok((proc, ep))
}

/// The reference MediaWiki's credentials file (`KEY='value'` lines).
#[derive(Debug, Clone)]
pub struct MwCreds {
    pub bot_user: String,
    pub bot_pass: String,
    /// The directory of the credentials file (the reference's data dir).
    pub dir: PathBuf,
}

pub fn read_mw_env(path: &Path) -> Result<MwCreds> {
    let s = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let get = |k: &str| -> Option<String> {
        s.lines().find_map(|l| {
            let v = l.strip_prefix(k)?.strip_prefix('=')?;
            Some(v.trim().trim_matches('\'').trim_matches('"').to_string())
        })
    };
    Ok(MwCreds {
        bot_user: get("REFWIKI_BOT_USER").ok_or_else(|| anyhow!("no REFWIKI_BOT_USER"))?,
        bot_pass: get("REFWIKI_BOT_PASS").ok_or_else(|| anyhow!("no REFWIKI_BOT_PASS"))?,
        dir: path.parent().unwrap_or(Path::new("/")).to_path_buf(),
    })
}

/// Runs a MediaWiki maintenance script as www-data against the reference's
/// LocalSettings.php (as the reference's setup.sh does).
pub fn mw_maintenance(dir: &Path, script: &str, args: &[&str]) -> Result<String> {
    let out = Command::new("runuser")
        .args(["-u", "www-data", "--", "env"])
        .arg(format!(
            "MW_CONFIG_FILE={}/LocalSettings.php",
            dir.display()
        ))
        .arg(format!("HOME={}/tmp", dir.display()))
        .arg("php")
        .arg(format!("/usr/share/mediawiki/maintenance/{script}"))
        .args(args)
        .stderr(Stdio::piped())
        .output()
        .context("running runuser/php")?;
    if !out.status.success() {
        bail!(
            "{script} failed ({}): {}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        );
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// Queued jobs according to `meta=siteinfo&siprop=statistics`.
pub async fn job_count(ep: &Endpoint) -> Result<i64> {
    let mut c = Conn::new(ep);
    let j = api_json(
        &mut c,
        ep,
        None,
        false,
        &[
            ("action", "query"),
            ("meta", "siteinfo"),
            ("siprop", "statistics"),
        ],
    )
    .await?;
    j["query"]["statistics"]["jobs"]
        .as_i64()
        .ok_or_else(|| anyhow!("no job count: {j}"))
}

/// Waits until the job queue is empty, stops shrinking for 10 s (MediaWiki's
/// count is an estimate and can keep a few delayed jobs), or `timeout`; returns
/// the seconds waited and the jobs left.
pub async fn wait_jobs(ep: &Endpoint, timeout: Duration) -> Result<(f64, i64)> {
    let t0 = Instant::now();
    let mut last = (i64::MAX, Instant::now());
    loop {
        let n = job_count(ep).await?;
        if n < last.0 {
            last = (n, Instant::now());
        }
        if n <= 0 || t0.elapsed() > timeout || last.1.elapsed() > Duration::from_secs(10) {
            return Ok((t0.elapsed().as_secs_f64(), n));
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
}

/// The newest log id (0 on an empty log).
pub async fn newest_log_id(ep: &Endpoint, s: &Session) -> Result<i64> {
    let mut c = Conn::new(ep);
    let j = api_json(
        &mut c,
        ep,
        Some(s),
        false,
        &[
            ("action", "query"),
            ("list", "logevents"),
            ("leprop", "ids"),
            ("lelimit", "1"),
        ],
    )
    .await?;
    Ok(j["query"]["logevents"][0]["logid"].as_i64().unwrap_or(0))
}

/// Entries of the delete log newer than `after` with action `action`
/// (`delete` or `restore`), newest first through continuation.
pub async fn count_log(ep: &Endpoint, s: &Session, after: i64, action: &str) -> Result<u64> {
    let mut c = Conn::new(ep);
    let mut n = 0u64;
    let mut cont: Option<(String, String)> = None;
    let leaction = format!("delete/{action}");
    loop {
        let mut pairs: Vec<(&str, &str)> = vec![
            ("action", "query"),
            ("list", "logevents"),
            ("leprop", "ids"),
            ("leaction", &leaction),
            ("lelimit", "max"),
        ];
        if let Some((a, b)) = &cont {
            pairs.push(("lecontinue", a));
            pairs.push(("continue", b));
        }
        let j = api_json(&mut c, ep, Some(s), false, &pairs).await?;
        let list = j["query"]["logevents"]
            .as_array()
            .ok_or_else(|| anyhow!("no logevents: {j}"))?;
        let mut older = false;
        for e in list {
            if e["logid"].as_i64().unwrap_or(0) > after {
                n += 1;
            } else {
                older = true;
            }
        }
        match (&j["continue"]["lecontinue"], &j["continue"]["continue"]) {
            (serde_json::Value::String(a), serde_json::Value::String(b)) if !older => {
                cont = Some((a.clone(), b.clone()))
            }
            _ => return Ok(n),
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn cpu_seconds_reads_this_process_and_grows_with_work() {
        let before = super::cpu_seconds("self").expect("own /proc stat");
        let mut x = 0u64;
        let t0 = std::time::Instant::now();
        while t0.elapsed() < std::time::Duration::from_millis(100) {
            x = x.wrapping_mul(6364136223846793005).wrapping_add(1);
        }
        std::hint::black_box(x);
        let after = super::cpu_seconds("self").unwrap();
        assert!(
            after >= before && after - before > 0.03,
            "{before} → {after}"
        );
        assert!(super::cpu_seconds("0").is_none());
    }
}
