//! `meta=userinfo`: who the current user is and what they may do.
//! https://www.mediawiki.org/wiki/API:Userinfo (mirrors includes/api/ApiQueryUserInfo.php)

use crate::api::error::ApiResult;
use crate::api::params::{ParamDef, Params};
use crate::api::result::{List, Map, Val};
use crate::api::{CacheMode, Cx, Group, ModuleDef};
use crate::auth::{ratelimit, User};

const PROPS: &[&str] = &[
    "blockinfo",
    "hasmsg",
    "groups",
    "groupmemberships",
    "implicitgroups",
    "rights",
    "changeablegroups",
    "options",
    "editcount",
    "ratelimits",
    "theoreticalratelimits",
    "email",
    "realname",
    "acceptlang",
    "registrationdate",
    "unreadcount",
    "centralids",
    "latestcontrib",
];

static PARAMS: &[ParamDef] = &[
    ParamDef::enumeration("prop", PROPS)
        .multi()
        .allow_all()
        .help("What to report about the user."),
    ParamDef::string("attachedwiki")
        .help("Together with prop=centralids: report whether the account is attached on the wiki of this ID."),
];

pub static USERINFO: ModuleDef = ModuleDef {
    prefix: "ui",
    summary: "Who the current user is: name, groups, rights, limits.",
    params: PARAMS,
    help_urls: &["https://www.mediawiki.org/wiki/Special:MyLanguage/API:Userinfo"],
    examples: &[
        (
            "action=query&meta=userinfo",
            "Get the current user's name and id.",
        ),
        (
            "action=query&meta=userinfo&uiprop=blockinfo|groups|rights|hasmsg",
            "Report on the user making the request: name and ID, and on request groups, rights and more.",
        ),
    ],
    execute: Some(execute),
    ..ModuleDef::new("userinfo", Group::Meta, "ApiQueryUserInfo")
};

/// MediaWiki 1.39's default user options, in its order (`$wgDefaultUserOptions`).
const DEFAULT_OPTIONS: &str = include_str!("../../auth/default_options.json");

fn json_to_val(v: &serde_json::Value) -> Val {
    match v {
        serde_json::Value::Bool(b) => Val::RealBool(*b),
        serde_json::Value::Number(n) => match n.as_i64() {
            Some(i) => Val::Int(i),
            None => Val::Float(n.as_f64().unwrap_or(0.0)),
        },
        serde_json::Value::String(s) => Val::Str(s.clone()),
        serde_json::Value::Array(a) => Val::List(List {
            tag: "v",
            items: a.iter().map(json_to_val).collect(),
        }),
        serde_json::Value::Object(o) => {
            let mut m = Map::new();
            for (k, v) in o {
                m.set(k.clone(), json_to_val(v));
            }
            Val::Map(m)
        }
        serde_json::Value::Null => Val::Str(String::new()),
    }
}

/// The rate limits of a user as `{action: {category: {hits, seconds}}}`.
pub fn ratelimits_map(limits: Vec<(&'static str, Vec<(&'static str, i64, i64)>)>) -> Map {
    let mut out = Map::new();
    for (action, l) in limits {
        let mut m = Map::new();
        for (cat, hits, seconds) in l {
            m.set(cat, Map::new().with("hits", hits).with("seconds", seconds));
        }
        out.set(action, m);
    }
    out
}

/// Groups that `user` may add and remove (`$wgAddGroups`/`$wgRemoveGroups` are
/// empty by default: only the `userrights` right changes groups, all of them).
pub fn changeable_groups(cx: &Cx<'_>, user: &User) -> (Vec<String>, Vec<String>) {
    if user.has("userrights") {
        let all: Vec<String> = cx
            .app
            .perms
            .explicit_groups()
            .into_iter()
            .map(str::to_string)
            .collect();
        (all.clone(), all)
    } else {
        (Vec::new(), Vec::new())
    }
}

pub fn group_memberships(cx: &Cx<'_>, user_id: i64) -> ApiResult<List> {
    let mut list = List::new("groupmembership");
    if user_id == 0 {
        return Ok(list);
    }
    let ms = cx
        .app
        .store
        .read()
        .and_then(|mut r| r.user_group_memberships(user_id))
        .map_err(crate::api::error::ApiError::internal)?;
    for m in ms {
        let expiry = match &m.expiry {
            Some(ts) => crate::util::time::parse_timestamp(ts)
                .map(|t| crate::util::time::to_iso(&t))
                .unwrap_or_else(|| ts.clone()),
            None => "infinity".into(),
        };
        list.push(Map::new().with("group", m.group).with("expiry", expiry));
    }
    Ok(list)
}

fn execute(cx: &mut Cx<'_>, p: &Params) -> ApiResult<()> {
    cx.cache_mode = CacheMode::Private;
    let props: Vec<String> = p.list("prop").to_vec();
    let has = |n: &str| props.iter().any(|x| x == n);
    let user = cx.user.clone();
    let mut v = Map::new();
    v.set("id", user.id);
    v.set("name", user.name.as_str());
    if user.is_anon() {
        v.set("anon", true);
    }
    if has("hasmsg") {
        v.set("messages", false);
    }
    if has("groups") {
        v.set("groups", List::of("g", user.all_groups()));
    }
    if has("groupmemberships") {
        v.set("groupmemberships", group_memberships(cx, user.id)?);
    }
    if has("implicitgroups") {
        v.set("implicitgroups", List::of("g", user.implicit_groups()));
    }
    if has("rights") {
        v.set("rights", List::of("r", user.rights.iter()));
    }
    if has("changeablegroups") {
        let (add, remove) = changeable_groups(cx, &user);
        v.set(
            "changeablegroups",
            Map::new()
                .with("add", List::of("g", add))
                .with("remove", List::of("g", remove))
                .with("add-self", List::new("g"))
                .with("remove-self", List::new("g")),
        );
    }
    if has("options") {
        let parsed: serde_json::Value =
            serde_json::from_str(DEFAULT_OPTIONS).unwrap_or(serde_json::Value::Null);
        v.set("options", json_to_val(&parsed));
    }
    if has("editcount") {
        v.set("editcount", user.editcount);
    }
    if has("ratelimits") {
        v.set("ratelimits", ratelimits_map(ratelimit::applicable(&user)));
    }
    if has("theoreticalratelimits") {
        let mut unlimited = user.clone();
        std::sync::Arc::make_mut(&mut unlimited.rights).retain(|r| r != "noratelimit");
        v.set(
            "theoreticalratelimits",
            ratelimits_map(ratelimit::applicable(&unlimited)),
        );
    }
    if has("realname") {
        v.set("realname", "");
    }
    if has("email") && user.has("viewmyprivateinfo") {
        v.set("email", "");
    }
    if has("registrationdate") {
        if let Some(reg) = user
            .registration
            .as_deref()
            .and_then(crate::util::time::parse_timestamp)
        {
            v.set("registrationdate", crate::util::time::to_iso(&reg));
        }
    }
    if has("acceptlang") {
        let mut list = List::new("lang");
        for (code, q) in accept_languages(cx.req.header("accept-language").unwrap_or("")) {
            let mut m = Map::new().with("q", q);
            m.set_content("code", code);
            list.push(m);
        }
        v.set("acceptlang", list);
    }
    if has("unreadcount") {
        v.set("unreadcount", 0i64);
    }
    if has("centralids") {
        v.set("centralids", Map::new().with("local", user.id));
        v.set("attachedlocal", Map::new().with("local", !user.is_anon()));
        if let Some(w) = p.str("attachedwiki") {
            let attached = !user.is_anon() && w == cx.app.config.wiki_id();
            v.set("attachedwiki", Map::new().with("local", attached));
        }
    }
    cx.result.map_mut("query").set("userinfo", v);
    Ok(())
}

/// `Accept-Language` entries, lower-cased, by descending quality (`WebRequest::getAcceptLang`).
fn accept_languages(header: &str) -> Vec<(String, Val)> {
    let mut out: Vec<(String, f64)> = Vec::new();
    for part in header.split(',') {
        let mut it = part.trim().split(';');
        let code = it.next().unwrap_or("").trim().to_lowercase();
        if code.is_empty() {
            continue;
        }
        let mut q = 1.0;
        for param in it {
            if let Some(v) = param.trim().strip_prefix("q=") {
                q = v.trim().parse().unwrap_or(0.0);
            }
        }
        if q > 0.0 {
            out.push((code, q));
        }
    }
    out.sort_by(|a, b| b.1.partial_cmp(&a.1).unwrap_or(std::cmp::Ordering::Equal));
    out.into_iter()
        .map(|(c, q)| {
            let v = if q.fract() == 0.0 {
                Val::Int(q as i64)
            } else {
                Val::Float(q)
            };
            (c, v)
        })
        .collect()
}
