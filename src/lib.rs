//! wikid: a wiki server that speaks MediaWiki's Action API.
//!
//! Start at [`serve`]; one request flows `http` → `api::execute` → a module in
//! `api/` → `wiki` and `storage`. See ARCHITECTURE.md.

pub mod admin;
pub mod api;
pub mod app;
pub mod auth;
pub mod cdn;
pub mod config;
pub mod fixture;
pub mod http;
pub mod storage;
pub mod util;
pub mod wiki;

use std::net::SocketAddr;
use std::sync::Arc;

use anyhow::{Context, Result};

use crate::app::App;
use crate::config::Config;

/// Opens storage, creates the first administrator on an empty database, and builds
/// the application. Returns the admin password when one was generated.
pub fn open_app(config: Config) -> Result<(App, Option<(String, String)>)> {
    let store = storage::open(&config)?;
    let created = ensure_admin(&config, store.as_ref())?;
    let app = App::new(config, store)?;
    ensure_main_page(&app)?;
    Ok((app, created))
}

/// The text of the Main Page a new wiki starts with.
const MAIN_PAGE_TEXT: &str = "'''This wiki runs on wikid.'''\n\n\
Bots and tools talk to it through the Action API at <code>api.php</code>, \
as they would to MediaWiki.\n";

/// On a new installation, creates the Main Page as MediaWiki's installer does:
/// the first revision, by the system user "MediaWiki default", with a creation
/// log entry. Runs once; a later deletion of the page is respected.
fn ensure_main_page(app: &App) -> Result<()> {
    let mut w = app.store.write()?;
    if w.meta("installed")?.is_some() || !app.config.create_main_page {
        return Ok(());
    }
    let now = util::time::to_mw(&util::time::now());
    let title = app
        .titles
        .parse("Main Page", 0)
        .map_err(|e| anyhow::anyhow!("main page title: {}", e.key()))?;
    if w.page_by_title(title.ns, &title.dbkey)?.is_none() {
        let system = auth::User {
            name: "MediaWiki default".into(),
            ..auth::User::anonymous("127.0.0.1", &app.perms)
        };
        wiki::page::save(
            app,
            w.as_mut(),
            &wiki::page::Edit {
                title: &title,
                page: None,
                text: MAIN_PAGE_TEXT,
                model: "wikitext",
                summary: "",
                minor: false,
                bot: false,
                tags: &[],
                user: &system,
                ip: "127.0.0.1",
                now: &now,
                recent_change: true,
                update_links: true,
                auto_summary: false,
            },
        )?;
    }
    w.set_meta("installed", &now)?;
    w.commit()
}

/// Opens storage and builds the application without creating anything (for the
/// operator commands).
pub fn open_app_only(config: Config) -> Result<App> {
    let store = storage::open(&config)?;
    App::new(config, store)
}

/// On an empty user table, creates the configured administrator (sysop,
/// bureaucrat). Returns (name, password) when it did.
fn ensure_admin(config: &Config, store: &dyn storage::Store) -> Result<Option<(String, String)>> {
    let mut w = store.write()?;
    if w.user_count()? > 0 {
        return Ok(None);
    }
    let password = config
        .admin_password
        .clone()
        .unwrap_or_else(|| auth::password::generate(20));
    let hash = auth::password::hash(&password)?;
    let now = util::time::to_mw(&util::time::now());
    let id = w.create_user(&config.admin_user, &hash, &now)?;
    w.set_user_groups(id, &["bureaucrat".to_string(), "sysop".to_string()])?;
    w.commit()?;
    Ok(Some((config.admin_user.clone(), password)))
}

/// A server bound to an address, ready to run.
pub struct Server {
    pub addr: SocketAddr,
    listener: tokio::net::TcpListener,
    app: Arc<App>,
}

impl Server {
    pub async fn bind(app: App) -> Result<Server> {
        let listener = tokio::net::TcpListener::bind(&app.config.listen)
            .await
            .with_context(|| format!("binding {}", app.config.listen))?;
        let addr = listener.local_addr()?;
        Ok(Server {
            addr,
            listener,
            app: Arc::new(app),
        })
    }

    pub fn api_url(&self) -> String {
        if self.app.config.server.is_empty() {
            format!(
                "http://{}{}/api.php",
                self.addr, self.app.config.script_path
            )
        } else {
            format!(
                "{}{}/api.php",
                self.app.config.server, self.app.config.script_path
            )
        }
    }

    /// Serves until `shutdown` resolves, then finishes in-flight requests.
    pub async fn run(
        self,
        shutdown: impl std::future::Future<Output = ()> + Send + 'static,
    ) -> Result<()> {
        use axum::serve::ListenerExt;
        let listener = self.listener.tap_io(|tcp| {
            let _ = tcp.set_nodelay(true);
        });
        let router = http::router(self.app.clone());
        let runner = self
            .app
            .config
            .run_jobs
            .then(|| tokio::spawn(run_job_queue(self.app.clone())));
        let served = axum::serve(
            listener,
            router.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(shutdown)
        .await;
        if let Some(r) = runner {
            r.abort();
        }
        served?;
        Ok(())
    }
}

/// The background job runner: runs queued jobs one at a time (the work on a
/// blocking thread), sleeping briefly whenever the queue is empty.
async fn run_job_queue(app: Arc<App>) {
    loop {
        let a = app.clone();
        let res = tokio::task::spawn_blocking(move || {
            wiki::jobs::run_one(&a, wiki::jobs::CLAIM_TTL_SECS)
        })
        .await;
        let idle = match res {
            Ok(Ok(wiki::jobs::Outcome::Idle)) => true,
            Ok(Ok(_)) => false,
            Ok(Err(e)) => {
                tracing::warn!("job runner: {e:#}");
                true
            }
            Err(e) => {
                tracing::error!("job runner task: {e}");
                true
            }
        };
        if idle {
            tokio::time::sleep(std::time::Duration::from_millis(250)).await;
        }
    }
}

/// Resolves on SIGINT or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
    tracing::info!("shutting down");
}
