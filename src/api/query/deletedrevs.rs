//! `list=deletedrevs` (deprecated): archived revisions of the given titles, of a
//! user, or of a namespace by title.
//! https://www.mediawiki.org/wiki/API:Deletedrevs (mirrors includes/api/ApiQueryDeletedrevs.php)

use crate::api::error::{ApiError, ApiResult};
use crate::api::message::{html_escape, Msg};
use crate::api::params::{PType, ParamDef, Params};
use crate::api::query::deletedrevisions::{bad_continue, parse_title_continue};
use crate::api::query::revisions::sha1_hex;
use crate::api::result::{List, Map};
use crate::api::{Cx, Group, ModuleDef};
use crate::storage::archive::{ArchiveOrder, ArchiveQuery};
use crate::storage::pages::TagTarget;
use crate::util::time;
use crate::wiki::title::Title;

static PARAMS: &[ParamDef] = &[
    ParamDef::new("start", PType::Timestamp)
        .help("The timestamp to start listing from (modes 1 and 2)."),
    ParamDef::new("end", PType::Timestamp)
        .help("The timestamp to stop listing at (modes 1 and 2)."),
    ParamDef::enumeration("dir", &["newer", "older"])
        .default("older")
        .help("The listing direction (modes 1 and 3): newer lists oldest first.")
        .value_help(&[
            ("newer", "Oldest first. start has to be before end."),
            (
                "older",
                "Newest first (the default). start has to be later than end.",
            ),
        ]),
    ParamDef::string("from").help("Start listing at this title (mode 3)."),
    ParamDef::string("to").help("Stop listing at this title (mode 3)."),
    ParamDef::string("prefix").help("Only titles that begin with this (mode 3)."),
    ParamDef::boolean("unique").help("Only one revision per title (mode 3)."),
    ParamDef::new("namespace", PType::Namespace)
        .default("0")
        .help("Only pages in this namespace (mode 3)."),
    ParamDef::string("tag").help("Only revisions with this change tag."),
    ParamDef::new("user", PType::User)
        .user_types(&["name", "ip", "interwiki", "id"])
        .help("Only revisions by this user."),
    ParamDef::new("excludeuser", PType::User)
        .user_types(&["name", "ip", "interwiki", "id"])
        .help("Leave out revisions by this user."),
    ParamDef::enumeration(
        "prop",
        &[
            "comment",
            "content",
            "len",
            "minor",
            "parentid",
            "parsedcomment",
            "revid",
            "sha1",
            "tags",
            "user",
            "userid",
            "token",
        ],
    )
    .multi()
    .default("user|comment")
    .deprecated_values(&["token"])
    .help("The fields to show for each deleted revision."),
    ParamDef::limit("limit", 500, 5000)
        .default("10")
        .help("How many revisions to list."),
    ParamDef::string("continue").help(
        "When more results are available, use this to continue. The value comes from the \
         continue section of the previous answer.",
    ),
];

pub static DELETEDREVS: ModuleDef = ModuleDef {
    prefix: "dr",
    deprecated: true,
    summary: "Archived revisions by title, by user or by namespace (old interface).",
    extra_help: &[
        "Three modes: the deleted revisions of the given titles, sorted by timestamp (1); \
         the deleted contributions of a user (2, with druser); every deleted revision of a \
         namespace (3). Use prop=deletedrevisions or list=alldeletedrevisions instead.",
    ],
    params: PARAMS,
    help_urls: &["https://www.mediawiki.org/wiki/Special:MyLanguage/API:Deletedrevs"],
    examples: &[
        (
            "action=query&list=deletedrevs&titles=Main%20Page|Talk:Main%20Page&drprop=user|comment|content",
            "List the last deleted revisions of the pages Main Page and Talk:Main Page, with content (mode 1).",
        ),
        (
            "action=query&list=deletedrevs&druser=Bob&drlimit=50",
            "The 50 newest deleted edits of Bob (mode 2).",
        ),
    ],
    execute: Some(execute),
    ..ModuleDef::new("deletedrevs", Group::List, "ApiQueryDeletedrevs")
};

fn execute(cx: &mut Cx<'_>, p: &Params) -> ApiResult<()> {
    if !cx.user.has("deletedhistory") {
        return Err(ApiError::coded(
            "permissiondenied",
            Msg::new("apierror-permissiondenied")
                .p(crate::api::message::english("action-deletedhistory")
                    .unwrap_or("deletedhistory")),
        ));
    }
    cx.warn_deprecated(
        Msg::new("apiwarn-deprecation-deletedrevs"),
        "action=query&list=deletedrevs",
    );
    let props: Vec<String> = p.list("prop").to_vec();
    let has = |n: &str| props.iter().any(|x| x == n);
    let titles: Vec<(i32, String)> = match &cx.pageset {
        Some(ps) => ps
            .good
            .iter()
            .map(|g| (g.ns, g.title.clone()))
            .chain(
                ps.missing
                    .iter()
                    .map(|m| (m.title.ns, m.title.dbkey.clone())),
            )
            .collect(),
        None => Vec::new(),
    };
    let mode = if !titles.is_empty() {
        "revs"
    } else if p.given("user") {
        "user"
    } else {
        "all"
    };
    if mode != "all" {
        for n in ["from", "to", "prefix"] {
            if p.given(n) {
                return Err(ApiError::coded(
                    "badparams",
                    Msg::new("apierror-deletedrevs-param-not-1-2").p(n),
                ));
            }
        }
    } else {
        for n in ["start", "end"] {
            if p.given(n) {
                return Err(ApiError::coded(
                    "badparams",
                    Msg::new("apierror-deletedrevs-param-not-3").p(n),
                ));
            }
        }
    }
    if p.given("user") && p.given("excludeuser") {
        return Err(ApiError::coded(
            "badparams",
            Msg::new("user and excludeuser cannot be used together"),
        ));
    }
    if has("content") && !cx.user.has("deletedtext") && !cx.user.has("undelete") {
        return Err(ApiError::coded(
            "permissiondenied",
            Msg::new("apierror-permissiondenied")
                .p(crate::api::message::english("action-deletedtext").unwrap_or("deletedtext")),
        ));
    }
    let (user_max, bot_max) = if has("content") {
        (50, 500)
    } else {
        (500, 5000)
    };
    let max = if cx.high_limits() { bot_max } else { user_max };
    let limit = (p.int("limit").unwrap_or(10).max(1) as usize).min(max);
    let ns: i32 = p.str("namespace").and_then(|n| n.parse().ok()).unwrap_or(0);
    let key = |s: &str| crate::wiki::title::ucfirst(&s.replace(' ', "_"));
    let ts = |n: &str| {
        p.str(n)
            .and_then(time::parse_timestamp)
            .map(|t| time::to_mw(&t))
    };
    let mut q = ArchiveQuery {
        user: p
            .str("user")
            .map(|u| crate::wiki::title::ucfirst(&u.replace('_', " "))),
        exclude_user: p
            .str("excludeuser")
            .map(|u| crate::wiki::title::ucfirst(&u.replace('_', " "))),
        newer: p.str("dir") == Some("newer"),
        tag: p.str("tag").map(str::to_string),
        limit: limit + 1,
        ..ArchiveQuery::default()
    };
    match mode {
        "revs" => {
            q.titles = Some(titles);
            q.sort_by_title = true;
            q.start = ts("start");
            q.end = ts("end");
        }
        "user" => {
            q.order = ArchiveOrder::ByTimestamp;
            q.start = ts("start");
            q.end = ts("end");
        }
        _ => {
            q.namespaces = Some(vec![ns]);
            q.sort_by_title = true;
            q.from = p.str("from").map(key);
            q.to = p.str("to").map(key);
            q.prefix = p.str("prefix").map(key);
        }
    }
    if let Some(c) = p.str("continue") {
        if mode == "user" {
            let (t, id) = c.split_once('|').ok_or_else(bad_continue)?;
            let id: i64 = id.parse().map_err(|_| bad_continue())?;
            let t = time::parse_timestamp(t)
                .map(|x| time::to_mw(&x))
                .ok_or_else(bad_continue)?;
            q.cont_time = Some((t, id));
        } else {
            q.cont_title = Some(parse_title_continue(c)?);
        }
    }
    let mut r = cx.app.store.read().map_err(ApiError::internal)?;
    let mut rows = r.archived_revisions(&q).map_err(ApiError::internal)?;
    if mode == "all" && p.flag("unique") {
        let mut seen = std::collections::HashSet::new();
        rows.retain(|a| seen.insert(a.title.clone()));
    }
    let next = if rows.len() > limit {
        rows.split_off(limit).into_iter().next().map(|n| {
            if mode == "user" {
                format!("{}|{}", n.rev.timestamp, n.ar_id)
            } else {
                format!("{}|{}|{}|{}", n.ns, n.title, n.rev.timestamp, n.ar_id)
            }
        })
    } else {
        None
    };
    let tags = if has("tags") {
        let ids: Vec<i64> = rows.iter().map(|a| a.rev.id).collect();
        r.tags_of(TagTarget::Rev, &ids)
            .map_err(ApiError::internal)?
    } else {
        Vec::new()
    };
    let mut groups: Vec<((i32, String), List)> = Vec::new();
    for a in &rows {
        let rev = &a.rev;
        let mut m = Map::new().with("timestamp", time::mw_to_iso(&rev.timestamp));
        if has("revid") {
            m.set("revid", rev.id);
        }
        if has("parentid") {
            m.set("parentid", rev.parent_id);
        }
        if has("user") {
            m.set("user", rev.user_name.as_str());
        }
        if has("userid") {
            m.set("userid", rev.user_id);
        }
        if has("comment") {
            m.set("comment", rev.comment.as_str());
        }
        if has("parsedcomment") {
            m.set("parsedcomment", html_escape(&rev.comment));
        }
        if has("minor") {
            m.set("minor", rev.minor);
        }
        if has("len") {
            m.set("len", rev.len);
        }
        if has("sha1") {
            m.set("sha1", sha1_hex(&rev.sha1));
        }
        if has("content") {
            let text = r
                .content_text(rev.content_id)
                .map_err(ApiError::internal)?
                .unwrap_or_default();
            m.set_content("text", text);
        }
        if has("tags") {
            let t: Vec<&str> = tags
                .iter()
                .filter(|(id, _)| *id == rev.id)
                .map(|(_, n)| n.as_str())
                .collect();
            m.set("tags", List::of("tag", t));
        }
        let k = (a.ns, a.title.clone());
        match groups.iter_mut().find(|(g, _)| *g == k) {
            Some((_, l)) => l.push(m),
            None => {
                let mut l = List::new("rev");
                l.push(m);
                groups.push((k, l));
            }
        }
    }
    let mut out = List::new("page");
    for ((ns, dbkey), revs) in groups {
        let t = Title::local(ns, dbkey);
        out.push(
            Map::new()
                .with("revisions", revs)
                .with("ns", ns)
                .with("title", t.prefixed_text(&cx.app.titles)),
        );
    }
    if let Some(n) = next {
        cx.add_continue(&DELETEDREVS, "continue", n);
    }
    cx.result.map_mut("query").set("deletedrevs", out);
    Ok(())
}
