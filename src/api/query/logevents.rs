//! `list=logevents`: entries of the log.
//! https://www.mediawiki.org/wiki/API:Logevents (mirrors includes/api/ApiQueryLogEvents.php)
//!
//! `log_params` is stored as a JSON object already in the shape the API shows
//! (`{"userid": 5}`, `{"target_ns": 0, "target_title": "B"}`), so `details`
//! renders it as is.

use crate::api::error::{ApiError, ApiResult};
use crate::api::message::{html_escape, Msg};
use crate::api::params::{PType, ParamDef, Params};
use crate::api::query::pageset::escape_wikitext;
use crate::api::result::{List, Map, Val};
use crate::api::{CacheMode, Cx, Group, ModuleDef};
use crate::storage::pages::{LogQuery, TagTarget};
use crate::util::time;

const TYPES: &[&str] = &[
    "",
    "block",
    "contentmodel",
    "create",
    "delete",
    "import",
    "managetags",
    "merge",
    "move",
    "newusers",
    "patrol",
    "protect",
    "rights",
    "suppress",
    "tag",
    "upload",
];
const ACTIONS: &[&str] = &[
    "block/block",
    "block/reblock",
    "block/unblock",
    "contentmodel/change",
    "contentmodel/new",
    "create/create",
    "delete/delete",
    "delete/delete_redir",
    "delete/delete_redir2",
    "delete/event",
    "delete/restore",
    "delete/revision",
    "import/interwiki",
    "import/upload",
    "managetags/activate",
    "managetags/create",
    "managetags/deactivate",
    "managetags/delete",
    "merge/merge",
    "move/move",
    "move/move_redir",
    "newusers/autocreate",
    "newusers/byemail",
    "newusers/create",
    "newusers/create2",
    "newusers/newusers",
    "patrol/autopatrol",
    "patrol/patrol",
    "protect/modify",
    "protect/move_prot",
    "protect/protect",
    "protect/unprotect",
    "rights/autopromote",
    "rights/rights",
    "suppress/block",
    "suppress/delete",
    "suppress/event",
    "suppress/reblock",
    "suppress/revision",
    "tag/update",
    "upload/overwrite",
    "upload/revert",
    "upload/upload",
];

static PARAMS: &[ParamDef] = &[
    ParamDef::enumeration(
        "prop",
        &[
            "ids",
            "title",
            "type",
            "user",
            "userid",
            "timestamp",
            "comment",
            "parsedcomment",
            "details",
            "tags",
        ],
    )
    .multi()
    .default("ids|title|type|user|timestamp|comment|details")
    .help("What to report for each log entry.")
    .value_help(&[
        ("ids", "The log entry ID and the page ID."),
        ("title", "The title of the page the entry is about."),
        ("type", "The type and action of the entry."),
        ("user", "Who made the entry."),
        ("userid", "The user ID of who made the entry."),
        ("timestamp", "When the entry was made."),
        ("comment", "The comment of the entry."),
        ("parsedcomment", "The comment rendered as HTML."),
        ("details", "Extra details of the entry."),
        ("tags", "The change tags of the entry."),
    ]),
    ParamDef::enumeration("type", TYPES).help("List only entries of this log type."),
    ParamDef::enumeration("action", ACTIONS)
        .help("List only entries of this type/action pair; takes precedence over letype. A type/* value matches every action of that type."),
    ParamDef::new("start", PType::Timestamp).help("The time the list begins at."),
    ParamDef::new("end", PType::Timestamp).help("The time the list ends at."),
    ParamDef::enumeration("dir", &["newer", "older"])
        .default("older")
        .help("The order of the list in time.")
        .value_help(&[
            ("newer", "From old to new; lestart must then come before leend."),
            (
                "older",
                "From new to old, the default; lestart must then come after leend.",
            ),
        ]),
    ParamDef::new("user", PType::User)
        .user_types(&["name", "ip", "interwiki", "id"])
        .help("List only entries this user made."),
    ParamDef::string("title").help("List only entries whose target is this page."),
    ParamDef::new("namespace", PType::Namespace).help("List only entries whose target is in this namespace."),
    ParamDef::string("prefix").help("List only entries whose target title starts with this text."),
    ParamDef::string("tag").help("List only entries carrying this change tag."),
    ParamDef::limit("limit", 500, 5000)
        .default("10")
        .help("The largest number of log entries to list."),
    ParamDef::string("continue").help(
        "Resume an earlier request with the value its continue section returned.",
    ),
];

pub static LOGEVENTS: ModuleDef = ModuleDef {
    cache_mode: CacheMode::AnonPublicUserPrivate,
    prefix: "le",
    summary: "List entries of the wiki's logs, newest first by default.",
    params: PARAMS,
    help_urls: &["https://www.mediawiki.org/wiki/Special:MyLanguage/API:Logevents"],
    examples: &[("action=query&list=logevents", "The latest log entries.")],
    execute: Some(execute),
    ..ModuleDef::new("logevents", Group::List, "ApiQueryLogEvents")
};

fn execute(cx: &mut Cx<'_>, p: &Params) -> ApiResult<()> {
    let props: Vec<String> = p.list("prop").to_vec();
    let has = |n: &str| props.iter().any(|x| x == n);
    let limit = p.int("limit").unwrap_or(10).max(1) as usize;
    let mut q = LogQuery {
        newer: p.str("dir") == Some("newer"),
        limit: limit + 1,
        ..LogQuery::default()
    };
    if let Some(a) = p.str("action") {
        let (t, act) = a.split_once('/').unwrap_or((a, "*"));
        q.log_type = Some(t.to_string());
        if act != "*" {
            q.action = Some(act.to_string());
        }
    } else if let Some(t) = p.str("type").filter(|t| !t.is_empty()) {
        q.log_type = Some(t.to_string());
    }
    if let Some(s) = p.str("start").and_then(time::parse_timestamp) {
        q.start = Some((time::to_mw(&s), None));
    }
    if let Some(e) = p.str("end").and_then(time::parse_timestamp) {
        q.end = Some(time::to_mw(&e));
    }
    if let Some(u) = p.str("user") {
        q.user = Some(crate::wiki::title::ucfirst(&u.replace('_', " ")));
    }
    if let Some(t) = p.str("title") {
        let title = cx.app.titles.parse(t, 0).map_err(|_| {
            ApiError::coded(
                "invalidtitle",
                Msg::new("apierror-invalidtitle").p(escape_wikitext(t)),
            )
        })?;
        q.title = Some((title.ns, title.dbkey));
    }
    if let Some(ns) = p.str("namespace").and_then(|n| n.parse::<i32>().ok()) {
        q.namespace = Some(ns);
    }
    if let Some(prefix) = p.str("prefix") {
        let title = cx.app.titles.parse(prefix, 0).map_err(|_| {
            ApiError::coded(
                "invalidtitle",
                Msg::new("apierror-invalidtitle").p(escape_wikitext(prefix)),
            )
        })?;
        q.namespace = Some(title.ns);
        q.prefix = Some(title.dbkey);
    }
    q.tag = p.str("tag").map(str::to_string);
    if let Some(c) = p.str("continue") {
        let (ts, id) = c
            .split_once('|')
            .ok_or_else(|| ApiError::coded("badcontinue", Msg::new("apierror-badcontinue")))?;
        let id: i64 = id
            .parse()
            .map_err(|_| ApiError::coded("badcontinue", Msg::new("apierror-badcontinue")))?;
        q.start = Some((ts.to_string(), Some(id)));
    }
    let mut r = cx.app.store.read().map_err(ApiError::internal)?;
    let mut rows = r.log_events(&q).map_err(ApiError::internal)?;
    let next = if rows.len() > limit {
        let extra = rows.split_off(limit);
        extra.first().map(|x| format!("{}|{}", x.timestamp, x.id))
    } else {
        None
    };
    let ids: Vec<i64> = rows.iter().map(|x| x.id).collect();
    let tags = if has("tags") {
        r.tags_of(TagTarget::Log, &ids)
            .map_err(ApiError::internal)?
    } else {
        Vec::new()
    };
    let mut list = List::new("item");
    for row in &rows {
        let mut m = Map::new();
        if has("ids") {
            m.set("logid", row.id);
        }
        if has("title") {
            m.set("ns", row.ns);
            let title = crate::wiki::title::Title::local(row.ns, row.title.clone());
            m.set("title", title.prefixed_text(&cx.app.titles));
        }
        if has("ids") {
            let current = if row.ns >= 0 {
                r.page_by_title(row.ns, &row.title)
                    .map_err(ApiError::internal)?
                    .map(|pg| pg.id)
                    .unwrap_or(0)
            } else {
                0
            };
            m.set("pageid", current);
            m.set("logpage", row.page);
        }
        if has("details") {
            m.set("params", params_map(&row.params));
        }
        if has("type") {
            m.set("type", row.log_type.as_str());
            m.set("action", row.action.as_str());
        }
        if has("user") || has("userid") {
            if has("user") {
                m.set("user", row.user_name.as_str());
            }
            if has("userid") {
                m.set("userid", row.user_id);
            }
            if row.user_id == 0 {
                m.set("anon", true);
            }
        }
        if has("timestamp") {
            m.set("timestamp", time::mw_to_iso(&row.timestamp));
        }
        if has("comment") {
            m.set("comment", row.comment.as_str());
        }
        if has("parsedcomment") {
            m.set("parsedcomment", html_escape(&row.comment));
        }
        if has("tags") {
            let t: Vec<&str> = tags
                .iter()
                .filter(|(id, _)| *id == row.id)
                .map(|(_, n)| n.as_str())
                .collect();
            m.set("tags", List::of("tag", t));
        }
        list.push(m);
    }
    if let Some(n) = next {
        cx.add_continue(&LOGEVENTS, "continue", n);
    }
    cx.result.map_mut("query").set("logevents", list);
    Ok(())
}

/// The stored parameters as a result map (always an object).
pub fn params_map(json: &str) -> Map {
    let mut m = Map::new();
    if let Ok(serde_json::Value::Object(o)) = serde_json::from_str::<serde_json::Value>(json) {
        for (k, v) in o {
            m.set(k, json_to_val(&v));
        }
    }
    m
}

fn json_to_val(v: &serde_json::Value) -> Val {
    use serde_json::Value;
    match v {
        Value::Null => Val::Str(String::new()),
        Value::Bool(b) => Val::Bool(*b),
        Value::Number(n) => match n.as_i64() {
            Some(i) => Val::Int(i),
            None => Val::Float(n.as_f64().unwrap_or(0.0)),
        },
        Value::String(s) => Val::Str(s.clone()),
        Value::Array(a) => Val::List(List {
            tag: "param",
            items: a.iter().map(json_to_val).collect(),
        }),
        Value::Object(o) => {
            let mut m = Map::new();
            for (k, v) in o {
                m.set(k.clone(), json_to_val(v));
            }
            Val::Map(m)
        }
    }
}
