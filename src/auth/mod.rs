//! Who is asking: users, groups and rights. Sessions, tokens, passwords and bot
//! passwords plug in here.

pub mod password;
pub mod rights;

use crate::auth::rights::GroupPermissions;

/// The user a request runs as.
#[derive(Debug, Clone)]
pub struct User {
    /// 0 for anonymous.
    pub id: i64,
    /// The account name, or the IP address for anonymous users.
    pub name: String,
    /// Explicit groups, sorted.
    pub groups: Vec<String>,
    /// Effective rights (grants already applied).
    pub rights: Vec<String>,
}

impl User {
    pub fn anonymous(ip: &str, perms: &GroupPermissions) -> User {
        User {
            id: 0,
            name: ip.to_string(),
            groups: Vec::new(),
            rights: perms.rights_for(["*"]),
        }
    }

    /// A registered user with explicit `groups` (implicit ones are added).
    pub fn registered(id: i64, name: &str, groups: Vec<String>, perms: &GroupPermissions) -> User {
        let mut all: Vec<&str> = groups.iter().map(String::as_str).collect();
        all.extend(["*", "user", "autoconfirmed"]);
        let rights = perms.rights_for(all);
        User {
            id,
            name: name.to_string(),
            groups,
            rights,
        }
    }

    pub fn is_anon(&self) -> bool {
        self.id == 0
    }

    pub fn has(&self, right: &str) -> bool {
        self.rights.iter().any(|r| r == right)
    }

    /// All groups, explicit then implicit, as `meta=userinfo` lists them.
    pub fn all_groups(&self) -> Vec<String> {
        let mut g = self.groups.clone();
        g.push("*".into());
        if !self.is_anon() {
            g.push("user".into());
            g.push("autoconfirmed".into());
        }
        g
    }
}
