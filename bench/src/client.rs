//! The HTTP client side: one keep-alive HTTP/1.1 connection (hyper, plain TCP),
//! a tiny cookie jar, form encoding and the login steps.

use std::net::SocketAddr;
use std::time::Duration;

use anyhow::{anyhow, bail, Context, Result};
use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::client::conn::http1;
use hyper::{Method, Request, StatusCode};
use hyper_util::rt::TokioIo;
use tokio::net::TcpStream;

/// Where a wiki answers: socket address, Host header, api.php path, view prefix.
#[derive(Debug, Clone)]
pub struct Endpoint {
    pub addr: SocketAddr,
    pub host: String,
    /// e.g. `/w/api.php`
    pub api_path: String,
    /// e.g. `/wiki/`
    pub view_prefix: String,
}

impl Endpoint {
    /// From `http://host:port/w/api.php`.
    pub fn from_api_url(url: &str) -> Result<Endpoint> {
        let rest = url
            .strip_prefix("http://")
            .ok_or_else(|| anyhow!("only http:// URLs are supported: {url}"))?;
        let (hostport, path) = match rest.find('/') {
            Some(i) => (&rest[..i], &rest[i..]),
            None => (rest, "/w/api.php"),
        };
        let addr = std::net::ToSocketAddrs::to_socket_addrs(&if hostport.contains(':') {
            hostport.to_string()
        } else {
            format!("{hostport}:80")
        })?
        .next()
        .ok_or_else(|| anyhow!("cannot resolve {hostport}"))?;
        Ok(Endpoint {
            addr,
            host: hostport.to_string(),
            api_path: path.to_string(),
            view_prefix: "/wiki/".to_string(),
        })
    }
}

/// A response, body collected.
#[derive(Debug)]
pub struct Resp {
    pub status: StatusCode,
    pub set_cookies: Vec<String>,
    pub body: Bytes,
}

impl Resp {
    pub fn json(&self) -> Result<serde_json::Value> {
        serde_json::from_slice(&self.body).with_context(|| {
            format!(
                "not JSON (HTTP {}): {}",
                self.status,
                String::from_utf8_lossy(&self.body[..self.body.len().min(300)])
            )
        })
    }
    /// An API error answer (`{"error":{…}}`), found without parsing the body.
    pub fn is_api_error(&self) -> bool {
        memfind(&self.body, b"\"error\":{")
    }
}

fn memfind(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

/// One keep-alive connection; reconnects when the server closed it.
pub struct Conn {
    ep: Endpoint,
    sender: Option<http1::SendRequest<Full<Bytes>>>,
    pub reconnects: u64,
    pub timeout: Duration,
}

impl Conn {
    pub fn new(ep: &Endpoint) -> Conn {
        Conn {
            ep: ep.clone(),
            sender: None,
            reconnects: 0,
            timeout: Duration::from_secs(300),
        }
    }

    async fn connect(&mut self) -> Result<()> {
        let stream = TcpStream::connect(self.ep.addr).await?;
        stream.set_nodelay(true)?;
        let (sender, conn) = http1::handshake(TokioIo::new(stream)).await?;
        tokio::spawn(async move {
            let _ = conn.await;
        });
        if self.sender.is_some() {
            self.reconnects += 1;
        }
        self.sender = Some(sender);
        Ok(())
    }

    /// Sends a request: `path_and_query`, an optional form body, a Cookie header.
    pub async fn send(
        &mut self,
        method: Method,
        path_and_query: &str,
        form: Option<String>,
        cookie: &str,
    ) -> Result<Resp> {
        let fresh = match &self.sender {
            Some(s) if !s.is_closed() => false,
            _ => {
                self.connect().await?;
                true
            }
        };
        let sender = self.sender.as_mut().expect("connected");
        if sender.ready().await.is_err() {
            if fresh {
                self.sender = None;
                bail!("connection closed right after connecting");
            }
            self.connect().await?;
        }
        let mut req = Request::builder()
            .method(method)
            .uri(path_and_query)
            .header("host", &self.ep.host)
            .header("user-agent", "wikid-bench/0.1");
        if !cookie.is_empty() {
            req = req.header("cookie", cookie);
        }
        let body = match form {
            Some(f) => {
                req = req.header("content-type", "application/x-www-form-urlencoded");
                Full::new(Bytes::from(f))
            }
            None => Full::new(Bytes::new()),
        };
        let req = req.body(body)?;
        let sender = self.sender.as_mut().expect("connected");
        let fut = async {
            let resp = sender.send_request(req).await?;
            let (parts, body) = resp.into_parts();
            let body = body.collect().await?.to_bytes();
            anyhow::Ok((parts, body))
        };
        match tokio::time::timeout(self.timeout, fut).await {
            Ok(Ok((parts, body))) => Ok(Resp {
                status: parts.status,
                set_cookies: parts
                    .headers
                    .get_all("set-cookie")
                    .iter()
                    .filter_map(|v| v.to_str().ok().map(str::to_string))
                    .collect(),
                body,
            }),
            Ok(Err(e)) => {
                self.sender = None;
                Err(e)
            }
            Err(_) => {
                self.sender = None;
                bail!("timed out after {:?}", self.timeout)
            }
        }
    }
}

/// Form/query encoding (everything but unreserved characters percent-encoded).
pub fn enc(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// `a=1&b=2` from pairs.
pub fn form(pairs: &[(&str, &str)]) -> String {
    let mut s = String::new();
    for (k, v) in pairs {
        if !s.is_empty() {
            s.push('&');
        }
        s.push_str(k);
        s.push('=');
        s.push_str(&enc(v));
    }
    s
}

/// Cookies by name, in the order first set.
#[derive(Debug, Clone, Default)]
pub struct Jar(Vec<(String, String)>);

impl Jar {
    pub fn update(&mut self, set_cookies: &[String]) {
        for sc in set_cookies {
            let first = sc.split(';').next().unwrap_or("");
            let Some((name, value)) = first.split_once('=') else {
                continue;
            };
            let name = name.trim().to_string();
            let lower = sc.to_ascii_lowercase();
            let gone = value == "deleted"
                || lower.contains("max-age=0")
                || lower.contains("expires=thu, 01 jan 1970")
                || lower.contains("expires=thu, 01-jan-1970");
            self.0.retain(|(n, _)| *n != name);
            if !gone {
                self.0.push((name, value.trim().to_string()));
            }
        }
    }
    pub fn header(&self) -> String {
        self.0
            .iter()
            .map(|(n, v)| format!("{n}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }
}

/// A logged-in session: its Cookie header and CSRF token.
#[derive(Debug, Clone)]
pub struct Session {
    pub cookie: String,
    pub csrf: String,
}

/// Logs in with a bot password (logintoken → login → csrf token), on `conn`.
pub async fn login(conn: &mut Conn, ep: &Endpoint, user: &str, pass: &str) -> Result<Session> {
    let mut jar = Jar::default();
    let api = &ep.api_path;
    let r = conn
        .send(
            Method::GET,
            &format!("{api}?action=query&meta=tokens&type=login&format=json"),
            None,
            "",
        )
        .await?;
    jar.update(&r.set_cookies);
    let token = r.json()?["query"]["tokens"]["logintoken"]
        .as_str()
        .ok_or_else(|| anyhow!("no login token"))?
        .to_string();
    let body = form(&[
        ("action", "login"),
        ("format", "json"),
        ("lgname", user),
        ("lgpassword", pass),
        ("lgtoken", &token),
    ]);
    let r = conn
        .send(Method::POST, api, Some(body), &jar.header())
        .await?;
    jar.update(&r.set_cookies);
    let j = r.json()?;
    if j["login"]["result"] != "Success" {
        bail!("login as {user} failed: {j}");
    }
    let r = conn
        .send(
            Method::GET,
            &format!("{api}?action=query&meta=tokens&format=json"),
            None,
            &jar.header(),
        )
        .await?;
    jar.update(&r.set_cookies);
    let csrf = r.json()?["query"]["tokens"]["csrftoken"]
        .as_str()
        .ok_or_else(|| anyhow!("no csrf token"))?
        .to_string();
    if csrf == "+\\" {
        bail!("session of {user} is anonymous after login");
    }
    Ok(Session {
        cookie: jar.header(),
        csrf,
    })
}

/// One API call that must succeed; returns the JSON.
pub async fn api_json(
    conn: &mut Conn,
    ep: &Endpoint,
    session: Option<&Session>,
    post: bool,
    pairs: &[(&str, &str)],
) -> Result<serde_json::Value> {
    let cookie = session.map(|s| s.cookie.as_str()).unwrap_or("");
    let mut pairs: Vec<(&str, &str)> = pairs.to_vec();
    pairs.push(("format", "json"));
    let r = if post {
        conn.send(Method::POST, &ep.api_path, Some(form(&pairs)), cookie)
            .await?
    } else {
        conn.send(
            Method::GET,
            &format!("{}?{}", ep.api_path, form(&pairs)),
            None,
            cookie,
        )
        .await?
    };
    if !r.status.is_success() {
        bail!(
            "HTTP {}: {}",
            r.status,
            String::from_utf8_lossy(&r.body[..r.body.len().min(300)])
        );
    }
    r.json()
}
