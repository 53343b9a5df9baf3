//! `App`: everything a request needs that lives as long as the server — config,
//! storage, the title codec and the permission table. Passed by reference; there
//! are no globals.

use std::collections::HashSet;
use std::sync::Arc;

use anyhow::Result;

use crate::api::request::RawRequest;
use crate::auth::rights::GroupPermissions;
use crate::auth::session::Session;
use crate::auth::User;
use crate::config::Config;
use crate::storage::Store;
use crate::wiki::namespace::Namespaces;
use crate::wiki::title::TitleCodec;

pub struct App {
    pub config: Config,
    pub store: Arc<dyn Store>,
    pub namespaces: Namespaces,
    pub titles: TitleCodec,
    pub perms: GroupPermissions,
    /// This machine's name, for `servedby` and maxlag's `host`.
    pub hostname: String,
    /// The purger of the caches in front of the wiki, when configured.
    pub cdn: Option<crate::cdn::Cdn>,
}

impl App {
    pub fn new(config: Config, store: Arc<dyn Store>) -> Result<App> {
        let namespaces = Namespaces::english(&config.meta_namespace());
        let mut r = store.read()?;
        let iw = r.interwikis()?;
        drop(r);
        let prefixes: HashSet<String> = iw.iter().map(|i| i.prefix.to_lowercase()).collect();
        let mut titles = TitleCodec::new(namespaces.clone(), prefixes);
        titles.local_interwikis = iw
            .iter()
            .filter(|i| i.local && i.url.contains(&config.server) && !config.server.is_empty())
            .map(|i| i.prefix.to_lowercase())
            .collect();
        let mut perms = GroupPermissions::new(&config.group_permissions);
        if !config.enable_email {
            // SetupDynamicConfig: no email, no `sendemail` for users.
            if let Some((_, rights)) = perms.groups.iter_mut().find(|(g, _)| g == "user") {
                rights.retain(|r| r != "sendemail");
            }
        }
        let hostname = std::fs::read_to_string("/etc/hostname")
            .map(|s| s.trim().to_string())
            .unwrap_or_else(|_| "localhost".into());
        let cdn_host = if config.server.is_empty() {
            config.listen.clone()
        } else {
            config
                .server
                .split("://")
                .nth(1)
                .unwrap_or(&config.server)
                .trim_end_matches('/')
                .to_string()
        };
        let cdn = crate::cdn::Cdn::start(config.cdn_servers.clone(), cdn_host);
        Ok(App {
            config,
            store,
            namespaces,
            titles,
            perms,
            hostname,
            cdn,
        })
    }

    /// Sends CDN purges for these pages (namespace, DB key), when caches are configured.
    pub fn purge_cdn(&self, pages: &[(i32, String)]) {
        let Some(cdn) = &self.cdn else { return };
        let mut paths = Vec::new();
        for (ns, dbkey) in pages {
            let title = crate::wiki::title::Title::local(*ns, dbkey.clone());
            paths.extend(crate::cdn::page_paths(
                &self.config.article_path,
                &self.config.script_path,
                &title.prefixed_dbkey(&self.titles),
            ));
        }
        cdn.purge(paths);
    }

    /// Waits until the CDN purges queued so far have been sent.
    pub fn flush_cdn(&self) {
        if let Some(cdn) = &self.cdn {
            cdn.flush();
        }
    }

    /// `$wgServer`, or the request's own scheme and host when not configured.
    pub fn server_for(&self, req: &RawRequest) -> String {
        if !self.config.server.is_empty() {
            return self.config.server.trim_end_matches('/').to_string();
        }
        let host = req.host.as_deref().unwrap_or(&self.config.listen);
        format!("{}://{}", req.scheme, host)
    }

    /// The session and user a request runs as. Without same-origin security
    /// (`anonymous_only`) cookies are ignored.
    pub fn user_for(&self, req: &RawRequest, anonymous_only: bool) -> (User, Session) {
        let (session, user) = crate::auth::session::load(self, req, anonymous_only);
        (user, session)
    }

    /// Checks a token of `token_type` for this request's session (constant time).
    pub fn check_token(
        &self,
        session: &Session,
        user: &User,
        token_type: &str,
        token: &str,
    ) -> bool {
        session.check_token(user, token_type, token)
    }
}
