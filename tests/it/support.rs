//! Test helpers: a real wikid server on 127.0.0.1:0 with a temporary data dir,
//! spoken to over HTTP.

use std::sync::mpsc;

use serde_json::Value;

pub struct TestWiki {
    pub api: String,
    pub db_path: std::path::PathBuf,
    _dir: tempfile::TempDir,
}

impl TestWiki {
    /// Starts a wiki named "Refwiki" (the reference wiki's name).
    pub fn start() -> TestWiki {
        let dir = tempfile::tempdir().expect("tempdir");
        let config = wikid::config::Config {
            sitename: "Refwiki".into(),
            listen: "127.0.0.1:0".into(),
            data_dir: dir.path().to_path_buf(),
            admin_password: Some("Test-Password-123!".into()),
            ..wikid::config::Config::default()
        };
        let db_path = config.sqlite_path();
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .expect("runtime");
            rt.block_on(async move {
                let (app, _) = wikid::open_app(config).expect("open app");
                let server = wikid::Server::bind(app).await.expect("bind");
                tx.send(server.api_url()).expect("send url");
                let _ = server.run(std::future::pending::<()>()).await;
            });
        });
        let api = rx.recv().expect("server started");
        TestWiki {
            api,
            db_path,
            _dir: dir,
        }
    }

    /// Inserts page rows directly (there is no edit module yet):
    /// (id, namespace, dbkey, is_redirect, latest revision).
    pub fn seed_pages(&self, pages: &[(i64, i32, &str, bool, i64)]) {
        let conn = rusqlite::Connection::open(&self.db_path).expect("open db");
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

    /// GET `api.php?<query>` and the raw body.
    pub fn get_text(&self, query: &str) -> String {
        let url = format!("{}?{}", self.api, query);
        match ureq::get(&url).call() {
            Ok(r) => r.into_string().expect("body"),
            Err(ureq::Error::Status(_, r)) => r.into_string().expect("body"),
            Err(e) => panic!("request failed: {e}"),
        }
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
}

/// Object keys in order.
pub fn keys(v: &Value) -> Vec<String> {
    v.as_object()
        .map(|o| o.keys().cloned().collect())
        .unwrap_or_default()
}
