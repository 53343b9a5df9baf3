//! `list=users`: information about a list of users.
//! https://www.mediawiki.org/wiki/API:Users (mirrors includes/api/ApiQueryUsers.php)

use crate::api::error::{ApiError, ApiResult};
use crate::api::params::{PType, ParamDef, Params};
use crate::api::result::{List, Map};
use crate::api::{CacheMode, Cx, Group, ModuleDef};
use crate::auth::User;
use crate::storage::UserRow;

const PROPS: &[&str] = &[
    "blockinfo",
    "groups",
    "groupmemberships",
    "implicitgroups",
    "rights",
    "editcount",
    "registration",
    "emailable",
    "gender",
    "centralids",
    "cancreate",
];

static PARAMS: &[ParamDef] = &[
    ParamDef::enumeration("prop", PROPS)
        .multi()
        .help("What to report about the user."),
    ParamDef::string("attachedwiki")
        .help("Together with prop=centralids: report whether the account is attached on the wiki of this ID."),
    ParamDef::new("users", PType::User)
        .multi()
        .help("The user names to report on."),
    ParamDef::integer("userids")
        .multi()
        .help("The user IDs to report on."),
];

pub static USERS: ModuleDef = ModuleDef {
    // The lowest mode; `execute` raises it for private props.
    cache_mode: crate::api::CacheMode::Public,
    prefix: "us",
    summary: "Facts about the named accounts: ids, groups, rights, edit counts.",
    params: PARAMS,
    help_urls: &["https://www.mediawiki.org/wiki/Special:MyLanguage/API:Users"],
    examples: &[(
        "action=query&list=users&ususers=Example&usprop=groups|editcount|gender",
        "The facts about the user Example.",
    )],
    execute: Some(execute),
    ..ModuleDef::new("users", Group::List, "ApiQueryUsers")
};

/// Whether a (canonical) name could be registered (`UserNameUtils::isCreatable`).
pub fn is_creatable(name: &str) -> bool {
    !name.contains(['@', ':', '>']) && name.len() <= 255
}

fn execute(cx: &mut Cx<'_>, p: &Params) -> ApiResult<()> {
    if p.given("users") && p.given("userids") {
        return Err(ApiError::invalid_param_mix(&["ususers", "ususerids"]));
    }
    let props: Vec<String> = p.list("prop").to_vec();
    let has = |n: &str| props.iter().any(|x| x == n);
    // Everything but blockinfo is the same for everyone.
    let mode = if has("blockinfo") {
        CacheMode::AnonPublicUserPrivate
    } else {
        CacheMode::Public
    };
    cx.cache_mode = cx.cache_mode.max(mode);
    let mut out = List::new("user");
    let mut good: Vec<String> = Vec::new();
    for u in p.list("users") {
        match crate::wiki::title::normalize_user_name(&cx.app.titles, u) {
            Some(n) if !n.is_empty() => good.push(n),
            _ => out.push(Map::new().with("name", u.as_str()).with("invalid", true)),
        }
    }
    let mut r = cx.app.store.read().map_err(ApiError::internal)?;
    let by_names = p.given("users");
    let rows: Vec<(String, Option<UserRow>)> = if by_names {
        let mut v = Vec::new();
        for n in &good {
            v.push((n.clone(), r.user_by_name(n).map_err(ApiError::internal)?));
        }
        v
    } else {
        let mut v = Vec::new();
        for id in p.int_list("userids") {
            v.push((
                id.to_string(),
                r.user_by_id(*id).map_err(ApiError::internal)?,
            ));
        }
        v
    };
    drop(r);
    for (key, row) in rows {
        let Some(row) = row else {
            if by_names {
                let mut m = Map::new().with("name", key.as_str()).with("missing", true);
                if has("cancreate") {
                    if is_creatable(&key) {
                        m.set("cancreate", true);
                    } else {
                        m.set("cancreate", false);
                        m.set(
                            "cancreateerror",
                            List::of(
                                "error",
                                [Map::new()
                                    .with("message", "noname")
                                    .with("params", List::new("param"))
                                    .with("code", "noname")
                                    .with("type", "error")],
                            ),
                        );
                    }
                }
                out.push(m);
            } else {
                let id: i64 = key.parse().unwrap_or(0);
                out.push(Map::new().with("userid", id).with("missing", true));
            }
            continue;
        };
        let user = User::from_row(&row, &cx.app.perms, None);
        let mut m = Map::new()
            .with("userid", row.id)
            .with("name", row.name.as_str());
        if has("editcount") {
            m.set("editcount", row.editcount);
        }
        if has("registration") {
            let reg = row
                .registration
                .as_deref()
                .and_then(crate::util::time::parse_timestamp)
                .map(|t| crate::util::time::to_iso(&t));
            match reg {
                Some(r) => m.set("registration", r),
                None => m.set("registration", crate::api::result::Val::Str(String::new())),
            };
        }
        if has("groups") {
            m.set("groups", List::of("g", user.all_groups()));
        }
        if has("groupmemberships") {
            m.set(
                "groupmemberships",
                super::userinfo::group_memberships(cx, row.id)?,
            );
        }
        if has("implicitgroups") {
            m.set("implicitgroups", List::of("g", user.implicit_groups()));
        }
        if has("rights") {
            m.set("rights", List::of("r", user.rights.iter()));
        }
        if has("emailable") {
            m.set("emailable", false);
        }
        if has("gender") {
            m.set("gender", "unknown");
        }
        if has("centralids") {
            m.set("centralids", Map::new().with("local", row.id));
            m.set("attachedlocal", Map::new().with("local", true));
        }
        out.push(m);
    }
    cx.result.map_mut("query").set("users", out);
    Ok(())
}
