//! Server-side sessions, MediaWiki's cookie and bot-password session providers.
//!
//! A session is a row of the `sessions` table (so several wikid processes share
//! them), named by a 32-character `[0-9a-v]` id in a cookie: `<prefix>_session`
//! for normal sessions, `<prefix>_BPsession` for bot-password sessions. A normal
//! login adds `<prefix>UserID`, `<prefix>UserName` and, with "remember me",
//! `<prefix>Token`, which can start a new session when the session has expired.
//! Session data holds the token secrets of each token family.

use std::collections::BTreeMap;

use anyhow::Result;
use serde::{Deserialize, Serialize};

use crate::api::request::RawRequest;
use crate::app::App;
use crate::auth::{tokens, User};
use crate::storage::{ReadTxn, SessionRow};

/// `$wgObjectCacheSessionExpiry`: a session ends after an hour without use.
pub const SESSION_TTL: i64 = 3600;
/// `$wgCookieExpiration`: login cookies without "remember me".
pub const COOKIE_EXPIRATION: i64 = 30 * 86400;
/// `$wgExtendedLoginCookieExpiration`: login cookies with "remember me".
pub const EXTENDED_COOKIE_EXPIRATION: i64 = 180 * 86400;

/// Which provider a session belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Provider {
    Cookie,
    BotPassword,
}

/// What a session stores.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct SessionData {
    /// Token secrets by family (`default`, `login`, `createaccount`).
    #[serde(default)]
    pub secrets: BTreeMap<String, String>,
    /// The bot password's `bp_token` at login; a reset ends the session.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bp_token: Option<String>,
}

/// The session of one request.
#[derive(Debug, Clone)]
pub struct Session {
    /// The id, once the session exists server-side (or is about to).
    pub id: Option<String>,
    pub provider: Provider,
    pub user_id: i64,
    pub bp_app: Option<String>,
    pub data: SessionData,
    pub expires: i64,
    /// Must be written back at the end of the request.
    pub dirty: bool,
    /// The id is new: its cookie must be sent.
    pub new_id: bool,
    /// The request lacks same-origin security: anonymous, no tokens, no login.
    pub suppressed: bool,
    /// Cookie name prefix (the wiki id).
    pub prefix: String,
    /// `Set-Cookie` values to send besides the session cookie.
    pub cookies: Vec<String>,
    /// Send `Secure` cookies.
    pub secure: bool,
}

fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

impl Session {
    /// No session (yet): anonymous, nothing stored.
    pub fn empty(app: &App, suppressed: bool) -> Session {
        Session {
            id: None,
            provider: Provider::Cookie,
            user_id: 0,
            bp_app: None,
            data: SessionData::default(),
            expires: 0,
            dirty: false,
            new_id: false,
            suppressed,
            prefix: app.config.wiki_id(),
            cookies: Vec::new(),
            secure: app.config.server.starts_with("https://"),
        }
    }

    /// The cookie that carries this session's id.
    pub fn cookie_name(&self) -> String {
        match self.provider {
            Provider::Cookie => format!("{}_session", self.prefix),
            Provider::BotPassword => format!("{}_BPsession", self.prefix),
        }
    }

    /// Makes sure the session will be stored and its cookie sent.
    pub fn persist(&mut self) {
        if self.suppressed {
            return;
        }
        if self.id.is_none() {
            self.id = Some(tokens::random_base32(32));
            self.new_id = true;
        }
        self.expires = now() + SESSION_TTL;
        self.dirty = true;
    }

    /// The secret of a token family, if the session has one.
    pub fn secret(&self, family: &str) -> Option<&str> {
        self.data.secrets.get(family).map(String::as_str)
    }

    /// The secret of a token family, created (and the session persisted) when new.
    pub fn secret_or_create(&mut self, family: &str) -> String {
        if let Some(s) = self.data.secrets.get(family) {
            return s.clone();
        }
        let s = tokens::new_secret();
        self.data.secrets.insert(family.to_string(), s.clone());
        self.persist();
        s
    }

    /// A token of `token_type` for this session and user (`+\` for anonymous
    /// users' CSRF-family tokens).
    pub fn token(&mut self, user: &User, token_type: &str) -> Option<String> {
        let (family, salt) = tokens::family_and_salt(token_type)?;
        if user.is_anon() && tokens::is_anon_constant(family) {
            return Some(tokens::SUFFIX.to_string());
        }
        let secret = self.secret_or_create(family);
        Some(tokens::make_now(&secret, salt))
    }

    /// Whether `candidate` is a valid token of `token_type` here. Never creates a
    /// secret.
    pub fn check_token(&self, user: &User, token_type: &str, candidate: &str) -> bool {
        let Some((family, salt)) = tokens::family_and_salt(token_type) else {
            return false;
        };
        if user.is_anon() && tokens::is_anon_constant(family) {
            return tokens::matches_anonymous(candidate);
        }
        match self.secret(family) {
            Some(secret) => tokens::matches(secret, salt, candidate),
            None => false,
        }
    }

    /// Replaces this session by a fresh one of `provider` for `user_id` (login):
    /// a new id, new secrets; the old normal session row is deleted.
    pub fn start_new(
        &mut self,
        app: &App,
        provider: Provider,
        user_id: i64,
        bp_app: Option<String>,
    ) {
        if provider == Provider::Cookie {
            if let Some(old) = self.id.take() {
                if let Err(e) = delete_row(app, &old) {
                    tracing::warn!(error = %e, "could not delete the old session");
                }
            }
        }
        self.id = None;
        self.provider = provider;
        self.user_id = user_id;
        self.bp_app = bp_app;
        self.data = SessionData::default();
        self.persist();
    }

    /// Ends the session (logout): the row goes, its cookies are cleared.
    pub fn end(&mut self, app: &App) {
        if let Some(id) = self.id.take() {
            if let Err(e) = delete_row(app, &id) {
                tracing::warn!(error = %e, "could not delete the session");
            }
        }
        let name = self.cookie_name();
        self.cookies.push(cookie_delete(&name));
        if self.provider == Provider::Cookie && self.user_id != 0 {
            self.cookies
                .push(cookie_delete(&format!("{}UserID", self.prefix)));
            self.cookies
                .push(cookie_delete(&format!("{}Token", self.prefix)));
        }
        self.user_id = 0;
        self.bp_app = None;
        self.provider = Provider::Cookie;
        self.data = SessionData::default();
        self.dirty = false;
        self.new_id = false;
    }

    /// Writes the session back when it changed; returns the cookies to send.
    #[tracing::instrument(skip_all)]
    pub fn finish(&mut self, app: &App) -> Vec<String> {
        let mut out = Vec::new();
        if self.dirty && !self.suppressed {
            if let Some(id) = &self.id {
                let row = SessionRow {
                    id: id.clone(),
                    user: self.user_id,
                    bp_app: self.bp_app.clone(),
                    data: serde_json::to_string(&self.data).unwrap_or_else(|_| "{}".into()),
                    expires: self.expires,
                };
                let saved = (|| -> Result<()> {
                    let mut w = app.store.write()?;
                    w.put_session(&row)?;
                    if rand::random::<u8>() < 4 {
                        w.purge_sessions(now())?;
                    }
                    w.commit()
                })();
                match saved {
                    Ok(()) => {
                        if self.new_id {
                            out.push(cookie(&self.cookie_name(), id, None, self.secure));
                        }
                    }
                    Err(e) => tracing::error!(error = %e, "could not store the session"),
                }
            }
            self.dirty = false;
            self.new_id = false;
        }
        out.append(&mut self.cookies);
        out
    }
}

fn delete_row(app: &App, id: &str) -> Result<()> {
    let mut w = app.store.write()?;
    w.delete_session(id)?;
    w.commit()
}

/// `name=value; path=/; HttpOnly`, with `expires`/`Max-Age` for persistent cookies.
pub fn cookie(name: &str, value: &str, max_age: Option<i64>, secure: bool) -> String {
    let mut c = format!("{name}={value}");
    if let Some(age) = max_age {
        let when = chrono::Utc::now() + chrono::Duration::seconds(age);
        c.push_str(&format!(
            "; expires={}; Max-Age={age}",
            when.format("%a, %d %b %Y %H:%M:%S GMT")
        ));
    }
    c.push_str("; path=/");
    if secure {
        c.push_str("; secure");
    }
    c.push_str("; HttpOnly");
    c
}

/// The cookie that deletes `name`, as MediaWiki sends it.
pub fn cookie_delete(name: &str) -> String {
    format!("{name}=deleted; expires=Thu, 01 Jan 1970 00:00:01 GMT; Max-Age=0; path=/; HttpOnly")
}

/// Whether a cookie value can be a session id.
fn plausible_id(v: &str) -> bool {
    v.len() == 32
        && v.bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'v').contains(&b))
}

/// Loads the session and user of a request. Unknown, expired or invalid session
/// cookies give an anonymous user (a stale bot-password cookie is cleared).
#[tracing::instrument(skip_all)]
pub fn load(app: &App, req: &RawRequest, suppressed: bool) -> (Session, User) {
    let mut session = Session::empty(app, suppressed);
    let anon = User::anonymous(&req.ip, &app.perms);
    if suppressed {
        return (session, anon);
    }
    match load_inner(app, req, &mut session) {
        Ok(Some(user)) => (session, user),
        Ok(None) => (session, anon),
        Err(e) => {
            tracing::error!(error = %e, "could not load the session");
            (Session::empty(app, false), anon)
        }
    }
}

fn load_inner(app: &App, req: &RawRequest, session: &mut Session) -> Result<Option<User>> {
    let now = now();
    let prefix = session.prefix.clone();
    let mut r = app.store.read()?;
    // 1. Bot-password sessions win.
    let bp_name = format!("{prefix}_BPsession");
    if let Some(id) = req.cookies.get(&bp_name) {
        if let Some(user) = load_bp(app, r.as_mut(), session, id, now)? {
            return Ok(Some(user));
        }
        session.cookies.push(cookie_delete(&bp_name));
    }
    // 2. The normal session cookie.
    if let Some(id) = req.cookies.get(&format!("{prefix}_session")) {
        if plausible_id(id) {
            if let Some(row) = r.session(id)? {
                if row.expires > now && row.bp_app.is_none() {
                    session.id = Some(row.id.clone());
                    session.user_id = row.user;
                    session.data = serde_json::from_str(&row.data).unwrap_or_default();
                    session.expires = row.expires;
                    if row.expires - now < SESSION_TTL / 2 {
                        session.expires = now + SESSION_TTL;
                        session.dirty = true;
                    }
                    if row.user == 0 {
                        return Ok(None);
                    }
                    if let Some(u) = r.user_by_id(row.user)? {
                        return Ok(Some(User::from_row(&u, &app.perms, None)));
                    }
                    // The account is gone: the session is worthless.
                    session.user_id = 0;
                    return Ok(None);
                }
            }
        }
    }
    // 3. "Remember me": UserID + Token cookies start a new session.
    let uid = req
        .cookies
        .get(&format!("{prefix}UserID"))
        .and_then(|v| v.parse::<i64>().ok());
    let token = req.cookies.get(&format!("{prefix}Token"));
    if let (Some(uid), Some(token)) = (uid, token) {
        if let Some(u) = r.user_by_id(uid)? {
            use subtle::ConstantTimeEq;
            if !u.token.is_empty()
                && u.token.len() == token.len()
                && bool::from(u.token.as_bytes().ct_eq(token.as_bytes()))
            {
                drop(r);
                session.id = None;
                session.user_id = u.id;
                session.persist();
                return Ok(Some(User::from_row(&u, &app.perms, None)));
            }
        }
    }
    Ok(None)
}

fn load_bp(
    app: &App,
    r: &mut dyn ReadTxn,
    session: &mut Session,
    id: &str,
    now: i64,
) -> Result<Option<User>> {
    if !plausible_id(id) {
        return Ok(None);
    }
    let Some(row) = r.session(id)? else {
        return Ok(None);
    };
    let Some(app_id) = row.bp_app.clone() else {
        return Ok(None);
    };
    if row.expires <= now {
        return Ok(None);
    }
    let data: SessionData = serde_json::from_str(&row.data).unwrap_or_default();
    let Some(bp) = r.bot_password(row.user, &app_id)? else {
        return Ok(None);
    };
    if data.bp_token.as_deref() != Some(bp.token.as_str()) {
        return Ok(None);
    }
    let Some(u) = r.user_by_id(row.user)? else {
        return Ok(None);
    };
    session.id = Some(row.id.clone());
    session.provider = Provider::BotPassword;
    session.user_id = row.user;
    session.bp_app = Some(app_id.clone());
    session.data = data;
    session.expires = row.expires;
    if row.expires - now < SESSION_TTL / 2 {
        session.expires = now + SESSION_TTL;
        session.dirty = true;
    }
    let _ = app;
    Ok(Some(User::from_row(
        &u,
        &app.perms,
        Some((app_id.as_str(), bp.grants.as_slice())),
    )))
}
