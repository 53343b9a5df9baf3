//! Test wikis for bots' CI: `wikid serve --ephemeral --fixture FILE`.
//!
//! A fixture is a small TOML file that a bot project keeps beside its tests:
//!
//! ```toml
//! import = "pages.xml"          # optional MediaWiki XML export, relative to this file
//! tags = ["my-bot-tag"]         # optional change tags users may apply (tags=)
//!
//! [[users]]
//! name = "Admin"
//! password = "Admin-pass-2026!"
//! groups = ["sysop", "bureaucrat", "bot"]
//!
//! [[bot_passwords]]
//! user = "Admin"
//! appid = "ci"                  # log in as Admin@ci
//! password = "0123456789abcdefghijklmnopqrstuv"
//! grants = ["basic", "highvolume", "editpage", "delete"]
//! ```
//!
//! Users that already exist (the first administrator `serve` creates on an empty
//! database) get the fixture's password and groups. Everything goes through the
//! operator commands of [`crate::admin`] and the importer, so a fixture wiki is an
//! ordinary wiki.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use serde::Deserialize;

use crate::app::App;

#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Fixture {
    /// A MediaWiki XML export to import at start (relative to the fixture file).
    pub import: Option<PathBuf>,
    /// Change tags to define as user-applicable.
    pub tags: Vec<String>,
    pub users: Vec<FixtureUser>,
    pub bot_passwords: Vec<FixtureBotPassword>,
    /// Where the file was read from, for relative paths.
    #[serde(skip)]
    pub base: PathBuf,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FixtureUser {
    pub name: String,
    pub password: String,
    #[serde(default)]
    pub groups: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FixtureBotPassword {
    pub user: String,
    pub appid: String,
    pub password: String,
    #[serde(default)]
    pub grants: Vec<String>,
}

impl Fixture {
    /// Reads and checks a fixture file.
    pub fn from_file(path: &Path) -> Result<Fixture> {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("reading fixture {}", path.display()))?;
        let mut f: Fixture =
            toml::from_str(&text).with_context(|| format!("parsing fixture {}", path.display()))?;
        f.base = path.parent().map(Path::to_path_buf).unwrap_or_default();
        Ok(f)
    }

    /// The administrator `serve` should create on an empty database: the first
    /// listed user in the sysop group (so its password is hashed once).
    pub fn first_admin(&self) -> Option<&FixtureUser> {
        self.users
            .iter()
            .find(|u| u.groups.iter().any(|g| g == "sysop"))
    }

    /// Applies the fixture to an opened wiki. `created` is the administrator that
    /// `open_app` just created, if any (its password is not set again).
    pub fn apply(&self, app: &App, created: Option<&(String, String)>) -> Result<()> {
        for u in &self.users {
            let groups = crate::admin::parse_groups(app, &u.groups.join(","))?;
            let exists = app
                .store
                .read()?
                .user_by_name(&canonical_name(app, &u.name)?)?
                .is_some();
            if exists {
                let fresh = created.is_some_and(|(n, p)| *n == u.name && *p == u.password);
                if !fresh {
                    crate::admin::reset_password(app, &u.name, Some(u.password.clone()))?;
                }
                crate::admin::set_groups(app, &u.name, &groups)?;
            } else {
                crate::admin::create_user(app, &u.name, &u.password, &groups)?;
            }
        }
        for b in &self.bot_passwords {
            crate::admin::create_bot_password(
                app,
                &b.user,
                &b.appid,
                &b.grants.join(","),
                Some(b.password.clone()),
            )
            .with_context(|| format!("bot password {}@{}", b.user, b.appid))?;
        }
        if !self.tags.is_empty() {
            let mut w = app.store.write()?;
            for t in &self.tags {
                w.define_user_tag(t)?;
            }
            w.commit()?;
        }
        if let Some(file) = &self.import {
            let path = self.base.join(file);
            crate::wiki::import::import_file(app, &path, |_| {})
                .with_context(|| format!("importing {}", path.display()))?;
        }
        Ok(())
    }
}

fn canonical_name(app: &App, name: &str) -> Result<String> {
    crate::wiki::title::normalize_user_name(&app.titles, name)
        .with_context(|| format!("invalid user name {name:?}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_documented_example() {
        let f: Fixture = toml::from_str(
            r#"
            import = "pages.xml"
            tags = ["my-bot-tag"]
            [[users]]
            name = "Admin"
            password = "x"
            groups = ["sysop", "bot"]
            [[users]]
            name = "Alice"
            password = "y"
            [[bot_passwords]]
            user = "Admin"
            appid = "ci"
            password = "0123456789abcdefghijklmnopqrstuv"
            grants = ["basic", "delete"]
            "#,
        )
        .unwrap();
        assert_eq!(f.users.len(), 2);
        assert_eq!(f.first_admin().unwrap().name, "Admin");
        assert!(f.users[1].groups.is_empty());
        assert_eq!(f.bot_passwords[0].grants, ["basic", "delete"]);
        assert!(toml::from_str::<Fixture>("userz = []").is_err());
    }
}
