//! Groups and rights: MediaWiki 1.39's default `$wgGroupPermissions`, as ordered data,
//! overridable from the config file.

use std::collections::{BTreeMap, HashMap};

/// Default group permissions in MediaWiki's order (the order shows in
/// `meta=siteinfo&siprop=usergroups` and in permission-denied messages).
pub const DEFAULT_GROUPS: &[(&str, &[&str])] = &[
    (
        "*",
        &[
            "createaccount",
            "read",
            "edit",
            "createpage",
            "createtalk",
            "writeapi",
            "viewmywatchlist",
            "editmywatchlist",
            "viewmyprivateinfo",
            "editmyprivateinfo",
            "editmyoptions",
        ],
    ),
    (
        "user",
        &[
            "move",
            "move-subpages",
            "move-rootuserpages",
            "move-categorypages",
            "movefile",
            "read",
            "edit",
            "createpage",
            "createtalk",
            "writeapi",
            "upload",
            "reupload",
            "reupload-shared",
            "minoredit",
            "editmyusercss",
            "editmyuserjson",
            "editmyuserjs",
            "editmyuserjsredirect",
            "purge",
            // MediaWiki's `sendemail` is left out: wikid sends no e-mail (as a
            // MediaWiki with $wgEnableEmail = false, like the reference wiki).
            "applychangetags",
            "changetags",
            "editcontentmodel",
        ],
    ),
    ("autoconfirmed", &["autoconfirmed", "editsemiprotected"]),
    (
        "bot",
        &[
            "bot",
            "autoconfirmed",
            "editsemiprotected",
            "nominornewtalk",
            "autopatrol",
            "suppressredirect",
            "apihighlimits",
            "writeapi",
        ],
    ),
    (
        "sysop",
        &[
            "block",
            "createaccount",
            "delete",
            "bigdelete",
            "deletedhistory",
            "deletedtext",
            "undelete",
            "editinterface",
            "editsitejson",
            "edituserjson",
            "import",
            "importupload",
            "move",
            "move-subpages",
            "move-rootuserpages",
            "move-categorypages",
            "patrol",
            "autopatrol",
            "protect",
            "editprotected",
            "rollback",
            "upload",
            "reupload",
            "reupload-shared",
            "unwatchedpages",
            "autoconfirmed",
            "editsemiprotected",
            "ipblock-exempt",
            "blockemail",
            "markbotedits",
            "apihighlimits",
            "browsearchive",
            "noratelimit",
            "movefile",
            "unblockself",
            "suppressredirect",
            "mergehistory",
            "managechangetags",
            "deletechangetags",
        ],
    ),
    (
        "interface-admin",
        &[
            "editinterface",
            "editsitecss",
            "editsitejson",
            "editsitejs",
            "editusercss",
            "edituserjson",
            "edituserjs",
        ],
    ),
    ("bureaucrat", &["userrights", "noratelimit"]),
    (
        "suppress",
        &[
            "hideuser",
            "suppressrevision",
            "viewsuppressed",
            "suppressionlog",
            "deleterevision",
            "deletelogentry",
        ],
    ),
];

/// Groups every user is in implicitly (never stored).
pub const IMPLICIT_GROUPS: &[&str] = &["*", "user", "autoconfirmed"];

/// Inputs of [`crate::auth::effective_rights`]: explicit groups, anonymous, grants.
pub type RightsKey = (Vec<String>, bool, Option<Vec<String>>);

/// The effective group → rights table.
#[derive(Debug, Clone)]
pub struct GroupPermissions {
    /// Groups in order, each with its rights in order.
    pub groups: Vec<(String, Vec<String>)>,
    /// Effective rights already worked out, by their inputs (bounded: cleared
    /// when it grows past [`MEMO_MAX`] combinations).
    memo: std::sync::Arc<std::sync::Mutex<HashMap<RightsKey, std::sync::Arc<Vec<String>>>>>,
}

/// Distinct (groups, grants) combinations remembered at most.
const MEMO_MAX: usize = 1024;

impl GroupPermissions {
    /// MediaWiki's defaults with `overrides` applied (`true` adds, `false` removes).
    pub fn new(overrides: &BTreeMap<String, BTreeMap<String, bool>>) -> GroupPermissions {
        let mut groups: Vec<(String, Vec<String>)> = DEFAULT_GROUPS
            .iter()
            .map(|(g, r)| (g.to_string(), r.iter().map(|s| s.to_string()).collect()))
            .collect();
        for (group, rights) in overrides {
            let idx = match groups.iter().position(|(g, _)| g == group) {
                Some(i) => i,
                None => {
                    groups.push((group.clone(), Vec::new()));
                    groups.len() - 1
                }
            };
            for (right, granted) in rights {
                let list = &mut groups[idx].1;
                if *granted {
                    if !list.contains(right) {
                        list.push(right.clone());
                    }
                } else {
                    list.retain(|r| r != right);
                }
            }
        }
        GroupPermissions {
            groups,
            memo: Default::default(),
        }
    }

    pub fn rights_of(&self, group: &str) -> &[String] {
        self.groups
            .iter()
            .find(|(g, _)| g == group)
            .map(|(_, r)| r.as_slice())
            .unwrap_or(&[])
    }

    pub(crate) fn memo_get(&self, key: &RightsKey) -> Option<std::sync::Arc<Vec<String>>> {
        self.memo.lock().ok()?.get(key).cloned()
    }

    pub(crate) fn memo_put(
        &self,
        key: RightsKey,
        rights: Vec<String>,
    ) -> std::sync::Arc<Vec<String>> {
        let rights = std::sync::Arc::new(rights);
        if let Ok(mut m) = self.memo.lock() {
            if m.len() >= MEMO_MAX {
                m.clear();
            }
            m.insert(key, rights.clone());
        }
        rights
    }

    /// Union of rights of `groups`, first occurrence wins.
    pub fn rights_for<'a>(&self, groups: impl IntoIterator<Item = &'a str>) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for g in groups {
            for r in self.rights_of(g) {
                if seen.insert(r.as_str()) {
                    out.push(r.clone());
                }
            }
        }
        out
    }

    /// Groups (in table order) that have `right`.
    pub fn groups_with(&self, right: &str) -> Vec<&str> {
        self.groups
            .iter()
            .filter(|(_, r)| r.iter().any(|x| x == right))
            .map(|(g, _)| g.as_str())
            .collect()
    }

    /// Groups that can be assigned explicitly (not implicit).
    pub fn explicit_groups(&self) -> Vec<&str> {
        self.groups
            .iter()
            .map(|(g, _)| g.as_str())
            .filter(|g| !IMPLICIT_GROUPS.contains(g))
            .collect()
    }
}
