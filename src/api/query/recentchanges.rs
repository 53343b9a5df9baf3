//! `list=recentchanges`: recent edits, page creations and log entries; usable as
//! a generator.
//! https://www.mediawiki.org/wiki/API:RecentChanges (mirrors includes/api/ApiQueryRecentChanges.php)

use crate::api::error::{ApiError, ApiResult};
use crate::api::message::{html_escape, Msg};
use crate::api::params::{PType, ParamDef, Params};
use crate::api::query::logevents::params_map;
use crate::api::query::pageset::{escape_wikitext, Generated};
use crate::api::query::revisions::sha1_hex;
use crate::api::result::{List, Map};
use crate::api::{CacheMode, Cx, Group, ModuleDef};
use crate::storage::pages::{RcQuery, RecentChange, TagTarget};
use crate::util::time;
use crate::wiki::title::Title;

const PROPS: &[&str] = &[
    "comment",
    "flags",
    "ids",
    "loginfo",
    "parsedcomment",
    "patrolled",
    "redirect",
    "sha1",
    "sizes",
    "tags",
    "timestamp",
    "title",
    "user",
    "userid",
];
const SHOW: &[&str] = &[
    "!anon",
    "!autopatrolled",
    "!bot",
    "!minor",
    "!patrolled",
    "!redirect",
    "anon",
    "autopatrolled",
    "bot",
    "minor",
    "patrolled",
    "redirect",
    "unpatrolled",
];

static PARAMS: &[ParamDef] = &[
    ParamDef::new("start", PType::Timestamp).help("The time the list begins at."),
    ParamDef::new("end", PType::Timestamp).help("The time the list ends at."),
    ParamDef::enumeration("dir", &["newer", "older"])
        .default("older")
        .help("The order of the list in time.")
        .value_help(&[
            ("newer", "From old to new; rcstart must then come before rcend."),
            ("older", "From new to old, the default; rcstart must then come after rcend."),
        ]),
    ParamDef::new("namespace", PType::Namespace)
        .multi()
        .allow_all()
        .help("List only changes to pages in these namespaces."),
    ParamDef::new("user", PType::User)
        .user_types(&["name", "ip", "interwiki", "id"])
        .help("List only changes this user made."),
    ParamDef::new("excludeuser", PType::User)
        .user_types(&["name", "ip", "interwiki", "id"])
        .help("Skip the changes this user made."),
    ParamDef::string("tag").help("List only changes carrying this change tag."),
    ParamDef::enumeration("prop", PROPS)
        .multi()
        .default("title|timestamp|ids")
        .help("What to report for each change."),
    ParamDef::enumeration("show", SHOW)
        .multi()
        .help("Conditions every listed change must meet; a leading ! turns a condition around, e.g. minor|!anon."),
    ParamDef::limit("limit", 500, 5000)
        .default("10")
        .help("The largest number of changes to list."),
    ParamDef::enumeration("type", &["edit", "new", "log", "external", "categorize"])
        .multi()
        .default("edit|new|log|categorize")
        .help("The kinds of change to list: edits, page creations, log entries, category changes."),
    ParamDef::boolean("toponly").help("List only changes whose revision is still the current one of its page."),
    ParamDef::string("title").help("List only changes to this page."),
    ParamDef::string("continue").help(
        "Resume an earlier request with the value its continue section returned.",
    ),
    ParamDef::boolean("generaterevisions").help(
        "Make the generator yield revision IDs instead of page titles. Changes without a revision, such as most log entries, then yield nothing.",
    ),
    ParamDef::enumeration("slot", &["main"]).help("List only changes that modify this slot."),
];

pub static RECENTCHANGES: ModuleDef = ModuleDef {
    cache_mode: CacheMode::AnonPublicUserPrivate,
    prefix: "rc",
    summary: "List the recent changes of the wiki: edits, new pages and log entries, newest first by default.",
    params: PARAMS,
    help_urls: &["https://www.mediawiki.org/wiki/Special:MyLanguage/API:RecentChanges"],
    examples: &[
        ("action=query&list=recentchanges", "The latest changes."),
        (
            "action=query&generator=recentchanges&grcshow=!patrolled&prop=info",
            "Page information for the pages with recent changes that nobody has patrolled.",
        ),
    ],
    execute: Some(execute),
    generate: Some(generate),
    ..ModuleDef::new("recentchanges", Group::List, "ApiQueryRecentChanges")
};

fn bad_continue() -> ApiError {
    ApiError::coded("badcontinue", Msg::new("apierror-badcontinue"))
}

fn run(cx: &mut Cx<'_>, p: &Params) -> ApiResult<(Vec<RecentChange>, Option<String>)> {
    let show: Vec<String> = p.list("show").to_vec();
    let on = |n: &str| show.iter().any(|s| s == n);
    for (a, b) in [
        ("minor", "!minor"),
        ("bot", "!bot"),
        ("anon", "!anon"),
        ("redirect", "!redirect"),
        ("patrolled", "!patrolled"),
        ("patrolled", "unpatrolled"),
        ("!patrolled", "!unpatrolled"),
        ("autopatrolled", "!autopatrolled"),
        ("autopatrolled", "unpatrolled"),
    ] {
        if on(a) && on(b) {
            return Err(ApiError::coded("show", Msg::new("apierror-show")));
        }
    }
    let patrol_show = [
        "patrolled",
        "!patrolled",
        "unpatrolled",
        "autopatrolled",
        "!autopatrolled",
    ];
    if show.iter().any(|s| patrol_show.contains(&s.as_str()))
        && !cx.user.has("patrol")
        && !cx.user.has("patrolmarks")
    {
        return Err(ApiError::coded(
            "permissiondenied",
            Msg::new("apierror-permissiondenied-patrolflag"),
        ));
    }
    let flag = |yes: &str, no: &str| -> Option<bool> {
        if on(yes) {
            Some(true)
        } else if on(no) {
            Some(false)
        } else {
            None
        }
    };
    let limit = p.int("limit").unwrap_or(10).max(1) as usize;
    let mut q = RcQuery {
        newer: p.str("dir") == Some("newer"),
        minor: flag("minor", "!minor"),
        bot: flag("bot", "!bot"),
        anon: flag("anon", "!anon"),
        redirect: flag("redirect", "!redirect"),
        patrolled: if on("patrolled") {
            Some(true)
        } else if on("!patrolled") || on("unpatrolled") {
            Some(false)
        } else {
            None
        },
        autopatrolled: flag("autopatrolled", "!autopatrolled"),
        top_only: p.flag("toponly"),
        tag: p.str("tag").map(str::to_string),
        limit: limit + 1,
        ..RcQuery::default()
    };
    if p.given("namespace") {
        q.namespaces = Some(
            p.list("namespace")
                .iter()
                .filter_map(|n| n.parse().ok())
                .collect(),
        );
    }
    let types: Vec<i64> = p
        .list("type")
        .iter()
        .filter_map(|t| match t.as_str() {
            "edit" => Some(0),
            "new" => Some(1),
            "log" => Some(3),
            "external" => Some(5),
            "categorize" => Some(6),
            _ => None,
        })
        .collect();
    q.types = Some(types);
    if let Some(s) = p.str("start").and_then(time::parse_timestamp) {
        q.start = Some((time::to_mw(&s), None));
    }
    if let Some(e) = p.str("end").and_then(time::parse_timestamp) {
        q.end = Some(time::to_mw(&e));
    }
    if let Some(u) = p.str("user") {
        q.user = Some(crate::wiki::title::ucfirst(&u.replace('_', " ")));
    }
    if let Some(u) = p.str("excludeuser") {
        q.exclude_user = Some(crate::wiki::title::ucfirst(&u.replace('_', " ")));
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
    if let Some(c) = p.str("continue") {
        let (ts, id) = c.split_once('|').ok_or_else(bad_continue)?;
        let id: i64 = id.parse().map_err(|_| bad_continue())?;
        q.start = Some((ts.to_string(), Some(id)));
    }
    let mut r = cx.app.store.read().map_err(ApiError::internal)?;
    let mut rows = r.recent_changes(&q).map_err(ApiError::internal)?;
    let next = if rows.len() > limit {
        let extra = rows.split_off(limit);
        extra.first().map(|x| format!("{}|{}", x.timestamp, x.id))
    } else {
        None
    };
    Ok((rows, next))
}

fn execute(cx: &mut Cx<'_>, p: &Params) -> ApiResult<()> {
    let props: Vec<String> = p.list("prop").to_vec();
    let has = |n: &str| props.iter().any(|x| x == n);
    if has("patrolled") && !cx.user.has("patrol") && !cx.user.has("patrolmarks") {
        return Err(ApiError::coded(
            "permissiondenied",
            Msg::new("apierror-permissiondenied-patrolflag"),
        ));
    }
    let (rows, next) = run(cx, p)?;
    let mut r = cx.app.store.read().map_err(ApiError::internal)?;
    let ids: Vec<i64> = rows.iter().map(|x| x.id).collect();
    let tags = if has("tags") {
        r.tags_of(TagTarget::Rc, &ids).map_err(ApiError::internal)?
    } else {
        Vec::new()
    };
    let mut list = List::new("rc");
    for rc in &rows {
        let mut m = Map::new();
        m.set(
            "type",
            match rc.rc_type {
                0 => "edit",
                1 => "new",
                3 => "log",
                5 => "external",
                6 => "categorize",
                _ => "unknown",
            },
        );
        if has("title") {
            m.set("ns", rc.ns);
            let t = Title::local(rc.ns, rc.title.clone());
            m.set("title", t.prefixed_text(&cx.app.titles));
        }
        if has("ids") {
            m.set("pageid", rc.cur_id);
            m.set("revid", rc.this_oldid);
            m.set("old_revid", rc.last_oldid);
            m.set("rcid", rc.id);
        }
        if has("user") || has("userid") {
            if has("user") {
                m.set("user", rc.user_name.as_str());
            }
            if has("userid") {
                m.set("userid", rc.user_id);
            }
            if rc.user_id == 0 {
                m.set("anon", true);
            }
        }
        if has("flags") {
            m.set("bot", rc.bot);
            m.set("new", rc.rc_type == 1);
            m.set("minor", rc.minor);
        }
        if has("sizes") {
            m.set("oldlen", rc.old_len.unwrap_or(0));
            m.set("newlen", rc.new_len.unwrap_or(0));
        }
        if has("timestamp") {
            m.set("timestamp", time::mw_to_iso(&rc.timestamp));
        }
        if has("comment") {
            m.set("comment", rc.comment.as_str());
        }
        if has("parsedcomment") {
            m.set("parsedcomment", html_escape(&rc.comment));
        }
        if has("redirect") {
            m.set("redirect", rc.page_is_redirect);
        }
        if has("patrolled") {
            set_patrol_flags(&mut m, rc);
        }
        if has("loginfo") {
            set_log_info(&mut m, rc);
        }
        if has("tags") {
            set_tags(&mut m, &tags, rc.id);
        }
        if has("sha1") && (rc.rc_type == 0 || rc.rc_type == 1) {
            if let Some(rev) = r.revision(rc.this_oldid).map_err(ApiError::internal)? {
                m.set("sha1", sha1_hex(&rev.sha1));
            }
        }
        list.push(m);
    }
    if let Some(n) = next {
        cx.add_continue(&RECENTCHANGES, "continue", n);
    }
    cx.result.map_mut("query").set("recentchanges", list);
    Ok(())
}

fn generate(cx: &mut Cx<'_>, p: &Params) -> ApiResult<Generated> {
    let (rows, next) = run(cx, p)?;
    let mut g = Generated::default();
    for rc in rows {
        if rc.ns >= 0 && !g.titles.contains(&(rc.ns, rc.title.clone())) {
            g.titles.push((rc.ns, rc.title));
        }
    }
    if let Some(n) = next {
        g.continues.push(("continue", n.into()));
    }
    Ok(g)
}

/// `patrolled`, `unpatrolled`, `autopatrolled` of a change (recentchanges, watchlist).
pub(super) fn set_patrol_flags(m: &mut Map, rc: &RecentChange) {
    m.set("patrolled", rc.patrolled != 0);
    m.set("unpatrolled", rc.patrolled == 0);
    m.set("autopatrolled", rc.patrolled == 2);
}

/// The log fields of a log change (recentchanges, watchlist).
pub(super) fn set_log_info(m: &mut Map, rc: &RecentChange) {
    if rc.rc_type != 3 {
        return;
    }
    m.set("logid", rc.logid);
    m.set("logtype", rc.log_type.clone().unwrap_or_default());
    m.set("logaction", rc.log_action.clone().unwrap_or_default());
    m.set(
        "logparams",
        params_map(rc.params.as_deref().unwrap_or("{}")),
    );
}

/// The change tags of change `rc_id`, from the (change id, tag) pairs of the batch.
pub(super) fn set_tags(m: &mut Map, tags: &[(i64, String)], rc_id: i64) {
    let t: Vec<&str> = tags
        .iter()
        .filter(|(id, _)| *id == rc_id)
        .map(|(_, n)| n.as_str())
        .collect();
    m.set("tags", List::of("tag", t));
}
