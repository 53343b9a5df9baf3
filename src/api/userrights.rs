//! `action=userrights`: change a user's group memberships.
//! https://www.mediawiki.org/wiki/API:User_group_membership (mirrors includes/api/ApiUserrights.php)

use crate::api::error::{ApiError, ApiResult};
use crate::api::message::Msg;
use crate::api::params::{PType, ParamDef, Params};
use crate::api::result::{List, Map};
use crate::api::{Cx, Group, ModuleDef};

/// Groups that can be assigned (`UserGroupManager::listAllGroups`, defaults).
const GROUPS: &[&str] = &["bot", "sysop", "interface-admin", "bureaucrat", "suppress"];

static PARAMS: &[ParamDef] = &[
    ParamDef::new("user", PType::User).help("User."),
    ParamDef::integer("userid")
        .deprecated()
        .help("Old way to name the user by ID; user=#ID replaces it."),
    ParamDef::enumeration("add", GROUPS)
        .multi()
        .help("Groups to put the user in."),
    ParamDef::string("expiry")
        .multi()
        .allow_duplicates()
        .default("infinite")
        .help("Expiry timestamps (or relative times like \"1 week\") of the added groups: one for all, or one per group."),
    ParamDef::enumeration("remove", GROUPS)
        .multi()
        .help("Groups to take the user out of."),
    ParamDef::string("reason")
        .default("")
        .help("Why the groups change; shown in the rights log."),
    ParamDef::token("userrights").help("Needs a userrights token; action=query&meta=tokens hands them out."),
    ParamDef::new("tags", PType::Tags)
        .multi()
        .help("Change tags for the user rights log entry."),
];

pub static USERRIGHTS: ModuleDef = ModuleDef {
    write_rights: true,
    must_post: true,
    token: Some("userrights"),
    summary: "Add a user to groups or take them out of groups.",
    params: PARAMS,
    help_urls: &["https://www.mediawiki.org/wiki/Special:MyLanguage/API:User_group_membership"],
    examples: &[(
        "action=userrights&user=FooBot&add=bot&remove=sysop|bureaucrat&token=123ABC",
        "Put FooBot into the bot group and take it out of sysop and bureaucrat.",
    )],
    execute: Some(execute),
    ..ModuleDef::new("userrights", Group::Action, "ApiUserrights")
};

/// An expiry value: `Some(None)` for infinity, `None` when unreadable.
pub fn parse_expiry(v: &str) -> Option<Option<chrono::DateTime<chrono::Utc>>> {
    let t = v.trim();
    if matches!(t, "infinite" | "indefinite" | "infinity" | "never" | "") {
        return Some(None);
    }
    if let Some(ts) = crate::util::time::parse_timestamp(t) {
        return Some(Some(ts));
    }
    // Relative: "1 week", "2 days", "3 hours 10 minutes".
    let words: Vec<&str> = t.split_whitespace().collect();
    if words.is_empty() || !words.len().is_multiple_of(2) {
        return None;
    }
    let mut secs: i64 = 0;
    for pair in words.chunks(2) {
        let n: i64 = pair[0].parse().ok()?;
        let unit = pair[1].trim_end_matches('s').to_ascii_lowercase();
        let size = match unit.as_str() {
            "second" | "sec" => 1,
            "minute" | "min" => 60,
            "hour" => 3600,
            "day" => 86400,
            "week" => 7 * 86400,
            "fortnight" => 14 * 86400,
            "month" => 30 * 86400,
            "year" => 365 * 86400,
            _ => return None,
        };
        secs = secs.checked_add(n.checked_mul(size)?)?;
    }
    Some(Some(
        chrono::Utc::now() + chrono::Duration::try_seconds(secs)?,
    ))
}

#[tracing::instrument(skip_all)]
fn execute(cx: &mut Cx<'_>, p: &Params) -> ApiResult<()> {
    let add: Vec<String> = p.list("add").to_vec();
    let remove: Vec<String> = p.list("remove").to_vec();
    let mut expiries: Vec<String> = p.list("expiry").to_vec();
    if expiries.is_empty() {
        expiries.push("infinite".into());
    }
    let expiries: Vec<String> = if add.is_empty() {
        Vec::new()
    } else if expiries.len() == add.len() {
        expiries
    } else if expiries.len() == 1 {
        vec![expiries[0].clone(); add.len()]
    } else {
        return Err(ApiError::msg(
            Msg::new("apierror-toofewexpiries")
                .p(expiries.len())
                .p(add.len()),
        ));
    };
    let now = chrono::Utc::now();
    let mut group_expiry: Vec<(String, Option<String>)> = Vec::new();
    for (group, e) in add.iter().zip(&expiries) {
        match parse_expiry(e) {
            None => {
                return Err(ApiError::msg(
                    Msg::new("apierror-invalidexpiry").p(e.clone()),
                ))
            }
            Some(Some(t)) if t < now => {
                return Err(ApiError::msg(Msg::new("apierror-pastexpiry").p(e.clone())))
            }
            Some(t) => group_expiry.push((group.clone(), t.map(|t| crate::util::time::to_mw(&t)))),
        }
    }
    // The target user.
    let target = match (p.str("user"), p.int("userid")) {
        (Some(_), Some(_)) => return Err(ApiError::invalid_param_mix(&["user", "userid"])),
        (None, None) => return Err(ApiError::missing_one_of(&["user", "userid"])),
        (Some(u), None) => u.to_string(),
        (None, Some(id)) => format!("#{id}"),
    };
    let row = {
        let mut r = cx.app.store.read()?;
        let name = target.trim();
        if name.is_empty() {
            return Err(ApiError::coded(
                "nouserspecified",
                Msg::new("nouserspecified"),
            ));
        }
        if let Some(id) = name.strip_prefix('#') {
            let id: i64 = id.trim().parse().unwrap_or(0);
            match r.user_by_id(id)? {
                Some(row) => row,
                None => return Err(ApiError::coded("noname", Msg::new("noname"))),
            }
        } else {
            let canonical = crate::wiki::title::normalize_user_name(&cx.app.titles, name);
            let found = match canonical {
                Some(c) => r.user_by_name(&c)?,
                None => None,
            };
            match found {
                Some(row) => row,
                None => return Err(ApiError::msg(Msg::new("nosuchusershort").p(target.clone()))),
            }
        }
    };
    let (addable, removable) = super::query::userinfo::changeable_groups(cx, &cx.user);
    let app = cx.app;
    let mut w = app.store.write()?;
    let current = w.user_group_memberships(row.id)?;
    let mut removed: Vec<String> = Vec::new();
    for g in &remove {
        if removable.contains(g) && current.iter().any(|m| &m.group == g) && !removed.contains(g) {
            w.remove_user_group(row.id, g)?;
            removed.push(g.clone());
        }
    }
    let mut added: Vec<String> = Vec::new();
    for (g, expiry) in &group_expiry {
        if !addable.contains(g) || added.contains(g) {
            continue;
        }
        let existing = current.iter().find(|m| &m.group == g);
        // Only-addable groups may not have their expiry brought forward.
        if let Some(m) = existing {
            let older = m.expiry.clone().unwrap_or_else(|| "infinity".into());
            let newer = expiry.clone().unwrap_or_else(|| "infinity".into());
            if !removable.contains(g) && older > newer {
                continue;
            }
            if m.expiry == *expiry && !removed.contains(g) {
                continue;
            }
        }
        w.add_user_group(row.id, g, expiry.as_deref())?;
        added.push(g.clone());
    }
    w.commit()?;
    if !added.is_empty() || !removed.is_empty() {
        tracing::info!(target = %row.name, ?added, ?removed, "user groups changed");
    }
    let out = Map::new()
        .with("user", row.name.as_str())
        .with("userid", row.id)
        .with("added", List::of("group", added))
        .with("removed", List::of("group", removed));
    cx.result.set("userrights", out);
    Ok(())
}
