//! Grants of bot passwords: MediaWiki 1.39's default `$wgGrantPermissions`, as data.
//! A bot-password session has the rights its user has *and* some granted grant
//! contains; `basic` is always granted.

const EDITPAGE: &[&str] = &[
    "edit",
    "minoredit",
    "applychangetags",
    "changetags",
    "editcontentmodel",
];

/// grant → (includes the `editpage` rights, own rights).
pub const GRANTS: &[(&str, bool, &[&str])] = &[
    (
        "basic",
        false,
        &[
            "autocreateaccount",
            "autoconfirmed",
            "autopatrol",
            "editsemiprotected",
            "ipblock-exempt",
            "nominornewtalk",
            "patrolmarks",
            "purge",
            "read",
            "writeapi",
            "unwatchedpages",
        ],
    ),
    (
        "highvolume",
        false,
        &["bot", "apihighlimits", "noratelimit", "markbotedits"],
    ),
    ("import", false, &["import", "importupload"]),
    ("editpage", true, &[]),
    ("editprotected", true, &["editprotected"]),
    (
        "editmycssjs",
        true,
        &["editmyusercss", "editmyuserjson", "editmyuserjs"],
    ),
    ("editmyoptions", false, &["editmyoptions", "editmyuserjson"]),
    (
        "editinterface",
        true,
        &["editinterface", "edituserjson", "editsitejson"],
    ),
    (
        "editsiteconfig",
        true,
        &[
            "editinterface",
            "edituserjson",
            "editsitejson",
            "editusercss",
            "edituserjs",
            "editsitecss",
            "editsitejs",
        ],
    ),
    (
        "createeditmovepage",
        true,
        &[
            "createpage",
            "createtalk",
            "delete-redirect",
            "move",
            "move-rootuserpages",
            "move-subpages",
            "move-categorypages",
            "suppressredirect",
        ],
    ),
    ("uploadfile", false, &["upload", "reupload-own"]),
    (
        "uploadeditmovefile",
        false,
        &[
            "upload",
            "reupload-own",
            "reupload",
            "reupload-shared",
            "upload_by_url",
            "movefile",
            "suppressredirect",
        ],
    ),
    ("patrol", false, &["patrol"]),
    ("rollback", false, &["rollback"]),
    ("blockusers", false, &["block", "blockemail"]),
    (
        "viewdeleted",
        false,
        &["browsearchive", "deletedhistory", "deletedtext"],
    ),
    ("viewrestrictedlogs", false, &["suppressionlog"]),
    (
        "delete",
        true,
        &[
            "browsearchive",
            "deletedhistory",
            "deletedtext",
            "delete",
            "bigdelete",
            "deletelogentry",
            "deleterevision",
            "undelete",
        ],
    ),
    ("oversight", false, &["suppressrevision", "viewsuppressed"]),
    ("protect", true, &["editprotected", "protect"]),
    ("viewmywatchlist", false, &["viewmywatchlist"]),
    ("editmywatchlist", false, &["editmywatchlist"]),
    ("sendemail", false, &["sendemail"]),
    ("createaccount", false, &["createaccount"]),
    ("privateinfo", false, &["viewmyprivateinfo"]),
    ("mergehistory", false, &["mergehistory"]),
];

/// Whether `name` is a known grant.
pub fn is_grant(name: &str) -> bool {
    GRANTS.iter().any(|(g, _, _)| *g == name)
}

/// Every right contained in one of `grants` (`basic` always counts).
pub fn granted_rights(grants: &[String]) -> std::collections::HashSet<&'static str> {
    let mut out = std::collections::HashSet::new();
    for (g, editpage, rights) in GRANTS {
        if *g == "basic" || grants.iter().any(|x| x == g) {
            out.extend(rights.iter().copied());
            if *editpage {
                out.extend(EDITPAGE.iter().copied());
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grants_right(grants: &[String], right: &str) -> bool {
        granted_rights(grants).contains(right)
    }

    #[test]
    fn grant_rights() {
        let g = vec!["delete".to_string()];
        assert!(grants_right(&g, "delete"));
        assert!(grants_right(&g, "edit"));
        assert!(grants_right(&g, "read"));
        assert!(!grants_right(&g, "userrights"));
        assert!(!grants_right(&g, "block"));
        assert!(!grants_right(&[], "edit"));
        assert!(!grants_right(&g, "noratelimit"));
    }
}
