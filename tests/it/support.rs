//! A real wikid on 127.0.0.1:0 over a fresh SQLite file, and a small HTTP client.
#![allow(dead_code)] // helpers shared by test modules; not every module uses every one

use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};
use std::sync::mpsc;

use serde_json::Value;
use wikid::config::Config;

pub struct TestWiki {
    pub api: String,
    pub admin_password: String,
    pub db_path: std::path::PathBuf,
    /// The configuration the server runs with (same data directory).
    pub config: Config,
    _dir: tempfile::TempDir,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl TestWiki {
    /// A wiki named "Refwiki", like the reference.
    pub fn start() -> TestWiki {
        Self::start_with(|_| {})
    }

    pub fn start_with(tweak: impl FnOnce(&mut Config)) -> TestWiki {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut config = Config {
            sitename: "Refwiki".into(),
            data_dir: dir.path().join("data"),
            listen: "127.0.0.1:0".into(),
            admin_password: Some("Test-Admin-Password-1".into()),
            jobqueue_maxlag_header: Some("X-Refwiki-Jobqueue-Maxlag".into()),
            // Tests start from an empty wiki; `main_page_on_install` checks the default.
            create_main_page: false,
            ..Config::default()
        };
        tweak(&mut config);
        let config_copy = config.clone();
        let admin_password = config.admin_password.clone().unwrap_or_default();
        let db_path = config.sqlite_path();
        let (tx, rx) = mpsc::channel();
        let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
        let thread = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .expect("runtime");
            rt.block_on(async move {
                let (app, _) = wikid::open_app(config).expect("open app");
                let server = wikid::Server::bind(app).await.expect("bind");
                tx.send(server.api_url()).expect("send url");
                server
                    .run(async {
                        let _ = stop_rx.await;
                    })
                    .await
                    .expect("serve");
            });
        });
        let api = rx.recv().expect("server started");
        TestWiki {
            api,
            admin_password,
            db_path,
            config: config_copy,
            _dir: dir,
            shutdown: Some(stop_tx),
            thread: Some(thread),
        }
    }

    /// Inserts page rows directly, for read tests that need pages:
    /// (id, namespace, dbkey, is_redirect, latest revision).
    pub fn seed_pages(&self, pages: &[(i64, i32, &str, bool, i64)]) {
        let conn = rusqlite::Connection::open(&self.db_path).expect("open db");
        // The fake revisions point at no content row.
        conn.execute_batch("PRAGMA foreign_keys = OFF")
            .expect("pragma");
        for (id, ns, title, redirect, latest) in pages {
            conn.execute(
                "INSERT INTO page (page_id, page_namespace, page_title, page_is_redirect,
                   page_random, page_touched, page_latest, page_len, page_content_model)
                 VALUES (?1, ?2, ?3, ?4, 0.5, '20260101000000', ?5, 10, 'wikitext')",
                rusqlite::params![id, ns, title, *redirect as i64, latest],
            )
            .expect("insert page");
            conn.execute(
                "INSERT INTO revision (rev_id, rev_page, rev_timestamp, rev_actor, rev_len,
                   rev_sha1, rev_content_id) VALUES (?1, ?2, '20260101000000', 1, 10, '', 0)",
                rusqlite::params![latest, id],
            )
            .expect("insert revision");
        }
    }

    /// Stores a page with text (page, revision and content rows; a new revision
    /// when the page exists) and runs `links::after_save` for it, as a save
    /// does, until `action=edit` writes pages. Returns (page id, revision id).
    pub fn put_page(&self, ns: i32, dbkey: &str, text: &str) -> (i64, i64) {
        let conn = rusqlite::Connection::open(&self.db_path).expect("open db");
        conn.busy_timeout(std::time::Duration::from_secs(30))
            .unwrap();
        conn.execute_batch("BEGIN IMMEDIATE").unwrap();
        conn.execute(
            "INSERT INTO content (content_size, content_sha1, content_model, content_text)
             VALUES (?1, '', 'wikitext', ?2)",
            rusqlite::params![text.len() as i64, text],
        )
        .expect("insert content");
        let cid = conn.last_insert_rowid();
        let redirect = text
            .trim_start()
            .to_ascii_lowercase()
            .starts_with("#redirect");
        let existing: Option<i64> = conn
            .query_row(
                "SELECT page_id FROM page WHERE page_namespace = ?1 AND page_title = ?2",
                rusqlite::params![ns, dbkey],
                |r| r.get(0),
            )
            .ok();
        let pid = match existing {
            Some(id) => id,
            None => {
                conn.execute(
                    "INSERT INTO page (page_namespace, page_title, page_is_redirect, page_random,
                       page_touched, page_latest, page_len, page_content_model)
                     VALUES (?1, ?2, ?3, 0.5, '20260101000000', 0, 0, 'wikitext')",
                    rusqlite::params![ns, dbkey, redirect as i64],
                )
                .expect("insert page");
                conn.last_insert_rowid()
            }
        };
        conn.execute(
            "INSERT INTO revision (rev_page, rev_timestamp, rev_actor, rev_len, rev_sha1, rev_content_id)
             VALUES (?1, '20260101000000', 1, ?2, '', ?3)",
            rusqlite::params![pid, text.len() as i64, cid],
        )
        .expect("insert revision");
        let rid = conn.last_insert_rowid();
        conn.execute(
            "UPDATE page SET page_latest = ?1, page_len = ?2, page_is_redirect = ?3,
               page_touched = strftime('%Y%m%d%H%M%S', 'now') WHERE page_id = ?4",
            rusqlite::params![rid, text.len() as i64, redirect as i64, pid],
        )
        .expect("update page");
        conn.execute_batch("COMMIT").unwrap();
        drop(conn);
        // What a save does next: the link tables, in their own transaction here.
        let config = Config {
            sitename: "Refwiki".into(),
            data_dir: self.db_path.parent().expect("data dir").to_path_buf(),
            admin_password: Some(self.admin_password.clone()),
            ..Config::default()
        };
        let (app, _) = wikid::open_app(config).expect("open app");
        let title = app.titles.parse(dbkey, ns).expect("title");
        let title = wikid::wiki::title::Title { ns, ..title };
        let mut txn = app.store.write().expect("write");
        wikid::wiki::links::after_save(
            &app,
            &mut *txn,
            &wikid::wiki::links::SavedPage {
                id: pid,
                title: &title,
                rev_id: rid,
                text,
                content_model: "wikitext",
                created: existing.is_none(),
            },
        )
        .expect("after_save");
        txn.commit().expect("commit");
        (pid, rid)
    }

    /// Waits until the background runner emptied the job queue.
    pub fn wait_jobs(&self) {
        let conn = rusqlite::Connection::open(&self.db_path).expect("open db");
        for _ in 0..400 {
            let n: i64 = conn
                .query_row("SELECT COUNT(*) FROM job", [], |r| r.get(0))
                .unwrap_or(1);
            if n == 0 {
                return;
            }
            std::thread::sleep(std::time::Duration::from_millis(25));
        }
        panic!("the job queue did not drain");
    }

    /// The base URL of the server (`http://127.0.0.1:port`).
    pub fn base(&self) -> String {
        self.api.trim_end_matches("/w/api.php").to_string()
    }

    /// GET an arbitrary path of the server.
    pub fn get_path(&self, path_and_query: &str, headers: &[(&str, &str)]) -> Answer {
        let mut req = ureq::AgentBuilder::new().redirects(0).build().get(&format!(
            "{}{}",
            self.base(),
            path_and_query
        ));
        for (k, v) in headers {
            req = req.set(k, v);
        }
        Client::answer(req.call())
    }

    /// GET `api.php?<query>` and the raw body.
    pub fn get_text(&self, query: &str) -> String {
        self.client().get_raw(query).text()
    }

    /// GET with `format=json` (and whatever `query` adds), parsed.
    pub fn get(&self, query: &str) -> Value {
        let text = self.get_text(&format!("{query}&format=json"));
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("bad JSON {e}: {text}"))
    }

    /// Like [`TestWiki::get`] with formatversion=2.
    pub fn get2(&self, query: &str) -> Value {
        self.get(&format!("{query}&formatversion=2"))
    }

    pub fn client(&self) -> Client {
        Client {
            api: self.api.clone(),
            agent: ureq::AgentBuilder::new().build(),
            jar: None,
        }
    }

    /// A client that keeps cookies, like a browser or `requests.Session()`.
    pub fn session(&self) -> Client {
        Client {
            api: self.api.clone(),
            agent: ureq::AgentBuilder::new().build(),
            jar: Some(RefCell::new(BTreeMap::new())),
        }
    }

    /// The application over the same data directory, as the operator commands
    /// open it while the server runs.
    pub fn admin(&self) -> wikid::app::App {
        wikid::open_app_only(self.config.clone()).expect("open data directory")
    }
}

impl Drop for TestWiki {
    fn drop(&mut self) {
        if let Some(s) = self.shutdown.take() {
            let _ = s.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// An HTTP answer: status, headers (lower-case names) and body.
pub struct Answer {
    pub status: u16,
    pub headers: HashMap<String, Vec<String>>,
    pub body: Vec<u8>,
}

impl Answer {
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text()))
    }
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .get(&name.to_ascii_lowercase())
            .and_then(|v| v.first())
            .map(String::as_str)
    }
}

pub struct Client {
    pub api: String,
    agent: ureq::Agent,
    /// Cookies by name, when this client keeps them.
    pub jar: Option<RefCell<BTreeMap<String, String>>>,
}

impl Client {
    /// A cookie-keeping client for any api.php URL.
    pub fn for_url(api: &str) -> Client {
        Client {
            api: api.to_string(),
            agent: ureq::AgentBuilder::new().build(),
            jar: Some(RefCell::new(BTreeMap::new())),
        }
    }

    fn with_cookies(&self, req: ureq::Request) -> ureq::Request {
        match &self.jar {
            Some(jar) if !jar.borrow().is_empty() => {
                let header: Vec<String> = jar
                    .borrow()
                    .iter()
                    .map(|(k, v)| format!("{k}={v}"))
                    .collect();
                req.set("Cookie", &header.join("; "))
            }
            _ => req,
        }
    }

    fn keep_cookies(&self, a: &Answer) {
        let Some(jar) = &self.jar else { return };
        for c in a.headers.get("set-cookie").into_iter().flatten() {
            let first = c.split(';').next().unwrap_or("");
            let Some((name, value)) = first.split_once('=') else {
                continue;
            };
            let expired = c.to_ascii_lowercase().contains("max-age=0");
            if expired || value == "deleted" {
                jar.borrow_mut().remove(name);
            } else {
                jar.borrow_mut().insert(name.to_string(), value.to_string());
            }
        }
    }

    /// Sets or removes a cookie by hand.
    pub fn set_cookie(&self, name: &str, value: Option<&str>) {
        if let Some(jar) = &self.jar {
            match value {
                Some(v) => jar.borrow_mut().insert(name.to_string(), v.to_string()),
                None => jar.borrow_mut().remove(name),
            };
        }
    }

    pub fn cookie(&self, name: &str) -> Option<String> {
        self.jar
            .as_ref()
            .and_then(|j| j.borrow().get(name).cloned())
    }

    fn send(&self, r: Result<ureq::Response, ureq::Error>) -> Answer {
        let a = Self::answer(r);
        self.keep_cookies(&a);
        a
    }

    fn answer(r: Result<ureq::Response, ureq::Error>) -> Answer {
        let resp = match r {
            Ok(r) => r,
            Err(ureq::Error::Status(_, r)) => r,
            Err(e) => panic!("transport error: {e}"),
        };
        let status = resp.status();
        let mut headers: HashMap<String, Vec<String>> = HashMap::new();
        for name in resp.headers_names() {
            let values = resp.all(&name).into_iter().map(str::to_string).collect();
            headers.insert(name.to_ascii_lowercase(), values);
        }
        let mut body = Vec::new();
        std::io::Read::read_to_end(&mut resp.into_reader(), &mut body).expect("read body");
        Answer {
            status,
            headers,
            body,
        }
    }

    /// GET with a raw (already encoded) query string.
    pub fn get_raw(&self, query: &str) -> Answer {
        let req = self.with_cookies(self.agent.get(&format!("{}?{}", self.api, query)));
        self.send(req.call())
    }

    pub fn get(&self, params: &[(&str, &str)]) -> Answer {
        let mut req = self.with_cookies(self.agent.get(&self.api));
        for (k, v) in params {
            req = req.query(k, v);
        }
        self.send(req.call())
    }

    pub fn post(&self, params: &[(&str, &str)]) -> Answer {
        let req = self.with_cookies(self.agent.post(&self.api));
        self.send(req.send_form(params))
    }

    /// POST with some parameters in the query string and others in the body.
    pub fn post_split(&self, query: &[(&str, &str)], body: &[(&str, &str)]) -> Answer {
        let mut req = self.with_cookies(self.agent.post(&self.api));
        for (k, v) in query {
            req = req.query(k, v);
        }
        self.send(req.send_form(body))
    }

    /// POST a raw body with a content type.
    pub fn post_raw(&self, content_type: &str, body: &[u8]) -> Answer {
        Self::answer(
            self.agent
                .post(&self.api)
                .set("Content-Type", content_type)
                .send_bytes(body),
        )
    }

    /// Any method, raw query string, no body.
    pub fn request(&self, method: &str, query: &str) -> Answer {
        Self::answer(
            self.agent
                .request(method, &format!("{}?{}", self.api, query))
                .call(),
        )
    }
}

/// Object keys in order.
pub fn keys(v: &Value) -> Vec<String> {
    v.as_object()
        .map(|o| o.keys().cloned().collect())
        .unwrap_or_default()
}

/// A logged-in session with its csrf token: the seed's steps 1–3.
pub struct Session {
    pub client: Client,
    pub token: String,
}

impl Session {
    /// Logs `name` in (a bot password `Name@app` or a main account) on `client`.
    pub fn login(client: Client, name: &str, pass: &str) -> Session {
        let lt = client.get(&[
            ("action", "query"),
            ("meta", "tokens"),
            ("type", "login"),
            ("format", "json"),
        ]);
        let lt = lt.json()["query"]["tokens"]["logintoken"]
            .as_str()
            .expect("login token")
            .to_string();
        let r = client.post(&[
            ("action", "login"),
            ("lgname", name),
            ("lgpassword", pass),
            ("lgtoken", &lt),
            ("format", "json"),
        ]);
        assert_eq!(r.json()["login"]["result"], "Success", "login of {name}");
        let t = client.get(&[("action", "query"), ("meta", "tokens"), ("format", "json")]);
        let token = t.json()["query"]["tokens"]["csrftoken"]
            .as_str()
            .expect("csrf token")
            .to_string();
        Session { client, token }
    }

    /// POSTs a write action with the token, format=json.
    pub fn post(&self, params: &[(&str, &str)]) -> Value {
        let mut all: Vec<(&str, &str)> = vec![("format", "json"), ("token", &self.token)];
        all.extend_from_slice(params);
        self.client.post(&all).json()
    }

    /// GETs with format=json.
    pub fn get(&self, params: &[(&str, &str)]) -> Value {
        let mut all: Vec<(&str, &str)> = vec![("format", "json")];
        all.extend_from_slice(params);
        self.client.get(&all).json()
    }
}

impl TestWiki {
    /// The first administrator (sysop, bureaucrat, bot) logged in with its main
    /// account.
    pub fn admin_session(&self) -> Session {
        let app = self.admin();
        let groups = wikid::admin::parse_groups(&app, "sysop,bureaucrat,bot").unwrap();
        wikid::admin::set_groups(&app, "Admin", &groups).unwrap();
        Session::login(self.session(), "Admin", &self.admin_password)
    }

    /// A plain user account (created when missing), logged in.
    pub fn user_session(&self, name: &str) -> Session {
        let app = self.admin();
        let pass = format!("{name}-Password-1");
        let _ = wikid::admin::create_user(&app, name, &pass, &[]);
        Session::login(self.session(), name, &pass)
    }
}
