//! Purging caches in front of the wiki (`$wgCdnServers`): HTTP `PURGE` requests
//! for a page's URLs, sent in the background to every configured cache server,
//! as MediaWiki's `CdnCacheUpdate` does.

use std::io::{Read, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::sync::mpsc::{self, Sender};
use std::time::Duration;

/// A handle to the background purger; cloning it is cheap.
#[derive(Clone)]
pub struct Cdn {
    tx: Sender<Work>,
}

/// What the purger thread is asked to do.
enum Work {
    Purge(Vec<String>),
    /// Answer once everything queued before has been sent.
    Flush(Sender<()>),
}

impl Cdn {
    /// Starts the purger thread for `servers` (`host:port`), sending requests with
    /// `host` as the Host header. `None` when no server is configured.
    pub fn start(servers: Vec<String>, host: String) -> Option<Cdn> {
        if servers.is_empty() {
            return None;
        }
        let (tx, rx) = mpsc::channel::<Work>();
        std::thread::Builder::new()
            .name("cdn-purge".into())
            .spawn(move || {
                for work in rx {
                    let paths = match work {
                        Work::Purge(paths) => paths,
                        Work::Flush(done) => {
                            let _ = done.send(());
                            continue;
                        }
                    };
                    for server in &servers {
                        for path in &paths {
                            if let Err(e) = purge_one(server, &host, path) {
                                tracing::warn!(%server, %path, error = %e, "cdn purge failed");
                            }
                        }
                    }
                }
            })
            .ok()?;
        Some(Cdn { tx })
    }

    /// Queues purges of these URL paths (`/wiki/Main_Page`, …).
    pub fn purge(&self, paths: Vec<String>) {
        let _ = self.tx.send(Work::Purge(paths));
    }

    /// Waits until every purge queued so far has been sent (for commands that
    /// exit right after purging).
    pub fn flush(&self) {
        let (done_tx, done_rx) = mpsc::channel();
        if self.tx.send(Work::Flush(done_tx)).is_ok() {
            let _ = done_rx.recv();
        }
    }
}

fn purge_one(server: &str, host: &str, path: &str) -> std::io::Result<()> {
    let addr = server
        .to_socket_addrs()?
        .next()
        .ok_or_else(|| std::io::Error::other("no address"))?;
    let mut s = TcpStream::connect_timeout(&addr, Duration::from_secs(2))?;
    s.set_read_timeout(Some(Duration::from_secs(2)))?;
    s.set_write_timeout(Some(Duration::from_secs(2)))?;
    write!(
        s,
        "PURGE {path} HTTP/1.1\r\nHost: {host}\r\nUser-Agent: wikid-cdn-purge\r\nConnection: close\r\n\r\n"
    )?;
    let mut buf = [0u8; 512];
    let _ = s.read(&mut buf)?;
    Ok(())
}

/// The URL paths MediaWiki purges for a page: the view, its history and its raw text.
pub fn page_paths(article_path: &str, script_path: &str, prefixed_dbkey: &str) -> Vec<String> {
    let enc = crate::api::query::pageset::wf_urlencode(prefixed_dbkey);
    vec![
        article_path.replace("$1", &enc),
        format!("{script_path}/index.php?title={enc}&action=history"),
        format!("{script_path}/index.php?title={enc}&action=raw"),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_of_a_page() {
        assert_eq!(
            page_paths("/wiki/$1", "/w", "Talk:Foo_bar"),
            vec![
                "/wiki/Talk:Foo_bar".to_string(),
                "/w/index.php?title=Talk:Foo_bar&action=history".to_string(),
                "/w/index.php?title=Talk:Foo_bar&action=raw".to_string(),
            ]
        );
    }
}
