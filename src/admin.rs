//! Operator commands (`wikid user …`, `wikid botpassword …`), in the spirit of
//! MediaWiki's maintenance scripts createAndPromote.php, changePassword.php and
//! createBotPassword.php. They act on the data directory directly, also while a
//! server runs on it; each change is one storage transaction.

use anyhow::{bail, Context, Result};

use crate::app::App;
use crate::auth::{botpassword, password, tokens};

/// Splits and checks a comma-separated group list against the known groups.
pub fn parse_groups(app: &App, list: &str) -> Result<Vec<String>> {
    let known = app.perms.explicit_groups();
    let mut out: Vec<String> = Vec::new();
    for g in list.split(',').map(str::trim).filter(|g| !g.is_empty()) {
        if !known.contains(&g) {
            bail!("unknown group {g:?} (known: {})", known.join(", "));
        }
        if !out.iter().any(|x| x == g) {
            out.push(g.to_string());
        }
    }
    out.sort();
    Ok(out)
}

fn canonical(app: &App, name: &str) -> Result<String> {
    crate::wiki::title::normalize_user_name(&app.titles, name)
        .filter(|n| crate::api::query::users::is_creatable(n))
        .with_context(|| format!("invalid user name {name:?}"))
}

/// Creates an account; returns its canonical name.
pub fn create_user(app: &App, name: &str, pass: &str, groups: &[String]) -> Result<String> {
    if pass.is_empty() {
        bail!("the password may not be empty");
    }
    let name = canonical(app, name)?;
    let hash = password::hash(pass)?;
    let now = crate::util::time::to_mw(&crate::util::time::now());
    let mut w = app.store.write()?;
    if w.user_by_name(&name)?.is_some() {
        bail!("the user {name:?} already exists");
    }
    let id = w.create_user(&name, &hash, &now)?;
    w.set_user_groups(id, groups)?;
    w.commit()?;
    Ok(name)
}

/// Replaces the explicit groups of a user.
pub fn set_groups(app: &App, name: &str, groups: &[String]) -> Result<()> {
    let name = canonical(app, name)?;
    let mut w = app.store.write()?;
    let user = w
        .user_by_name(&name)?
        .with_context(|| format!("there is no user {name:?}"))?;
    w.set_user_groups(user.id, groups)?;
    w.commit()
}

/// Sets a new password (generated when `None`; returned) and ends "remember me"
/// logins by changing the user's token.
pub fn reset_password(app: &App, name: &str, pass: Option<String>) -> Result<String> {
    let name = canonical(app, name)?;
    let pass = pass.unwrap_or_else(|| password::generate(20));
    if pass.is_empty() {
        bail!("the password may not be empty");
    }
    let hash = password::hash(&pass)?;
    let mut w = app.store.write()?;
    let user = w
        .user_by_name(&name)?
        .with_context(|| format!("there is no user {name:?}"))?;
    w.set_user_password(user.id, &hash)?;
    w.set_user_token(user.id, &tokens::random_hex(32))?;
    w.commit()?;
    Ok(pass)
}

/// Creates a bot password; returns (login name, password).
pub fn create_bot_password(
    app: &App,
    user: &str,
    app_id: &str,
    grants: &str,
    pass: Option<String>,
) -> Result<(String, String)> {
    let list: Vec<String> = grants
        .split(',')
        .map(str::trim)
        .filter(|g| !g.is_empty())
        .map(str::to_string)
        .collect();
    botpassword::create(app, user, app_id, &list, pass)
}
