//! Who is asking: users, groups and rights, sessions, tokens, passwords, bot
//! passwords, grants and rate limits.
//!
//! [`User`] carries a request's effective rights; they are computed in one place,
//! [`effective_rights`], where blocks will plug in later.

pub mod botpassword;
pub mod grants;
pub mod password;
pub mod ratelimit;
pub mod rights;
pub mod session;
pub mod tokens;

use crate::api::error::ApiError;
use crate::api::message::{Msg, Param};
use crate::auth::rights::GroupPermissions;
use crate::storage::UserRow;

/// The user a request runs as.
#[derive(Debug, Clone)]
pub struct User {
    /// 0 for anonymous.
    pub id: i64,
    /// The account name, or the IP address for anonymous users.
    pub name: String,
    /// Explicit groups, sorted.
    pub groups: Vec<String>,
    /// Effective rights (grants already applied), shared by every user with the
    /// same groups and grants.
    pub rights: std::sync::Arc<Vec<String>>,
    pub editcount: i64,
    /// MediaWiki timestamp of the registration.
    pub registration: Option<String>,
    /// The app id when the request runs in a bot-password session.
    pub bot_app: Option<String>,
}

impl User {
    pub fn anonymous(ip: &str, perms: &GroupPermissions) -> User {
        User {
            id: 0,
            name: ip.to_string(),
            groups: Vec::new(),
            rights: effective_rights(perms, &[], true, None),
            editcount: 0,
            registration: None,
            bot_app: None,
        }
    }

    /// A registered user with explicit `groups` (implicit ones are added).
    pub fn registered(id: i64, name: &str, groups: Vec<String>, perms: &GroupPermissions) -> User {
        let rights = effective_rights(perms, &groups, false, None);
        User {
            id,
            name: name.to_string(),
            groups,
            rights,
            editcount: 0,
            registration: None,
            bot_app: None,
        }
    }

    /// The user of a stored account; `grants` restrict a bot-password session.
    pub fn from_row(
        row: &UserRow,
        perms: &GroupPermissions,
        bot: Option<(&str, &[String])>,
    ) -> User {
        let rights = effective_rights(perms, &row.groups, false, bot.map(|b| b.1));
        User {
            id: row.id,
            name: row.name.clone(),
            groups: row.groups.clone(),
            rights,
            editcount: row.editcount,
            registration: row.registration.clone(),
            bot_app: bot.map(|b| b.0.to_string()),
        }
    }

    pub fn is_anon(&self) -> bool {
        self.id == 0
    }

    pub fn has(&self, right: &str) -> bool {
        self.rights.iter().any(|r| r == right)
    }

    /// Implicit groups, as `meta=userinfo` lists them.
    pub fn implicit_groups(&self) -> Vec<String> {
        if self.is_anon() {
            vec!["*".into()]
        } else {
            vec!["*".into(), "user".into(), "autoconfirmed".into()]
        }
    }

    /// All groups, explicit then implicit, as `meta=userinfo` lists them.
    pub fn all_groups(&self) -> Vec<String> {
        let mut g = self.groups.clone();
        g.extend(self.implicit_groups());
        g
    }
}

/// Effective rights: the rights of the explicit groups (in their order) then of the
/// implicit groups `*`, `user`, `autoconfirmed`, first occurrence wins; in a
/// bot-password session only those some grant contains. Every registered user is
/// autoconfirmed (`$wgAutoConfirmAge` = `$wgAutoConfirmCount` = 0). Blocks and
/// `$wgRevokePermissions` belong here.
pub fn effective_rights(
    perms: &GroupPermissions,
    explicit: &[String],
    anonymous: bool,
    grants: Option<&[String]>,
) -> std::sync::Arc<Vec<String>> {
    // Every request computes its user's rights; the answer depends only on these
    // inputs, so it is worked out once per combination (a sysop's ~150 rights
    // were 7 % of a purge request's CPU).
    let key = (explicit.to_vec(), anonymous, grants.map(<[String]>::to_vec));
    if let Some(hit) = perms.memo_get(&key) {
        return hit;
    }
    let implicit: &[&str] = if anonymous {
        &["*"]
    } else {
        &["*", "user", "autoconfirmed"]
    };
    let groups = explicit
        .iter()
        .map(String::as_str)
        .chain(implicit.iter().copied());
    let mut rights = perms.rights_for(groups);
    if let Some(g) = grants {
        let granted = grants::granted_rights(g);
        rights.retain(|r| granted.contains(r.as_str()));
    }
    perms.memo_put(key, rights)
}

/// MediaWiki's permission error for a missing right: `badaccess-groups` listing
/// every group that has it (as `[[Project:Page|Name]]` links), or
/// `badaccess-group0` when none does. Code `permissiondenied`.
pub fn permission_denied(app: &crate::app::App, right: &str) -> ApiError {
    let groups = app.perms.groups_with(right);
    if groups.is_empty() {
        return ApiError::msg(Msg::new("badaccess-group0"));
    }
    let project = app.config.meta_namespace().replace('_', " ");
    let links: Vec<String> = groups.iter().map(|g| group_link(g, &project)).collect();
    ApiError::msg(
        Msg::new("badaccess-groups")
            .param(Param::Text(links.join(", ")))
            .param(Param::Int(groups.len() as i64)),
    )
}

/// `[[<group page>|<group name>]]`, or the bare name without a page message.
pub fn group_link(group: &str, project: &str) -> String {
    if group == "*" {
        return "*".into();
    }
    let name = crate::api::message::english(&format!("group-{group}"))
        .map(str::to_string)
        .unwrap_or_else(|| group.to_string());
    match crate::api::message::english(&format!("grouppage-{group}")) {
        Some(page) => format!("[[{}|{}]]", page.replace("{{ns:project}}", project), name),
        None => name,
    }
}
