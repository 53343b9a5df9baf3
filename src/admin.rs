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

/// The account a maintenance command acts as: `name`, created as a system
/// account (no password) when it does not exist, as `User::newSystemUser` does.
fn script_user(app: &App, name: &str) -> Result<crate::auth::User> {
    let name = crate::wiki::title::normalize_user_name(&app.titles, name)
        .with_context(|| format!("invalid user name {name:?}"))?;
    let now = crate::util::time::to_mw(&crate::util::time::now());
    let mut w = app.store.write()?;
    let row = match w.user_by_name(&name)? {
        Some(r) => r,
        None => {
            w.create_user(&name, "", &now)?;
            w.user_by_name(&name)?
                .context("system user vanished after creation")?
        }
    };
    w.commit()?;
    Ok(crate::auth::User::from_row(&row, &app.perms, None))
}

/// What `delete-batch` did with one input line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BatchOutcome {
    Deleted { title: String, log_id: i64 },
    Missing(String),
    Invalid(String),
}

/// MediaWiki's deleteBatch.php: deletes the pages named one per line (blank
/// lines skipped), each in its own transaction, as `user` with `reason`.
pub fn delete_batch(
    app: &App,
    lines: impl Iterator<Item = String>,
    reason: &str,
    user: &str,
    mut report: impl FnMut(usize, &BatchOutcome),
) -> Result<usize> {
    let user = script_user(app, user)?;
    let mut deleted = 0;
    for (n, line) in lines.enumerate() {
        let raw = line.trim();
        if raw.is_empty() {
            continue;
        }
        let outcome = match app.titles.parse(raw, 0) {
            Ok(t) if t.interwiki.is_empty() && !t.dbkey.is_empty() && t.ns >= 0 => {
                let title = crate::wiki::title::Title {
                    fragment: String::new(),
                    ..t
                };
                let now = crate::util::time::to_mw(&crate::util::time::now());
                let mut w = app.store.write()?;
                match w.page_by_title(title.ns, &title.dbkey)? {
                    None => BatchOutcome::Missing(title.prefixed_text(&app.titles)),
                    Some(page) => {
                        let d = crate::wiki::delete::delete_page(
                            app,
                            w.as_mut(),
                            &crate::wiki::delete::Deletion {
                                title: &title,
                                page: &page,
                                reason,
                                tags: &[],
                                user: &user,
                                ip: "127.0.0.1",
                                now: &now,
                            },
                        )?;
                        w.commit()?;
                        deleted += 1;
                        BatchOutcome::Deleted {
                            title: title.prefixed_text(&app.titles),
                            log_id: d.log_id,
                        }
                    }
                }
            }
            _ => BatchOutcome::Invalid(raw.to_string()),
        };
        report(n + 1, &outcome);
    }
    Ok(deleted)
}

/// MediaWiki's undelete.php: restores every archived revision of a title as
/// `user`; returns the prefixed title and the number of revisions restored.
pub fn undelete_title(app: &App, title: &str, reason: &str, user: &str) -> Result<(String, i64)> {
    let user = script_user(app, user)?;
    let t = app
        .titles
        .parse(title, 0)
        .ok()
        .filter(|t| t.interwiki.is_empty() && !t.dbkey.is_empty() && t.ns >= 0)
        .with_context(|| format!("invalid title {title:?}"))?;
    let t = crate::wiki::title::Title {
        fragment: String::new(),
        ..t
    };
    let now = crate::util::time::to_mw(&crate::util::time::now());
    let mut w = app.store.write()?;
    let done = crate::wiki::undelete::undelete(
        app,
        w.as_mut(),
        &crate::wiki::undelete::Undeletion {
            title: &t,
            timestamps: None,
            reason,
            tags: &[],
            user: &user,
            ip: "127.0.0.1",
            now: &now,
        },
    )?;
    match done {
        Ok(u) => {
            w.commit()?;
            Ok((t.prefixed_text(&app.titles), u.revisions))
        }
        Err(e) => bail!(
            "nothing to undelete for {:?}: {e:?}",
            t.prefixed_text(&app.titles)
        ),
    }
}
