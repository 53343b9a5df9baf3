//! `list=watchlist`: recent changes of the pages on a user's watchlist; usable
//! as a generator.
//! https://www.mediawiki.org/wiki/API:Watchlist (mirrors includes/api/ApiQueryWatchlist.php)

use crate::api::error::{ApiError, ApiResult};
use crate::api::message::{html_escape, Msg};
use crate::api::params::{PType, ParamDef, Params};
use crate::api::query::linkutil::{bad_continue, read_err, title_text};
use crate::api::query::pageset::Generated;
use crate::api::query::recentchanges::{set_log_info, set_patrol_flags, set_tags};
use crate::api::query::watchlistraw::watchlist_user;
use crate::api::result::{List, Map};
use crate::api::{Cx, Group, ModuleDef};
use crate::storage::lists::WatchedItem;
use crate::storage::pages::{RcQuery, RecentChange, TagTarget};
use crate::util::time;

const PROPS: &[&str] = &[
    "comment",
    "expiry",
    "flags",
    "ids",
    "loginfo",
    "notificationtimestamp",
    "parsedcomment",
    "patrol",
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
    "!unread",
    "anon",
    "autopatrolled",
    "bot",
    "minor",
    "patrolled",
    "unread",
];

static PARAMS: &[ParamDef] = &[
    ParamDef::boolean("allrev").help("List every change of a page, not only its latest one."),
    ParamDef::new("start", PType::Timestamp).help("List changes from this time on."),
    ParamDef::new("end", PType::Timestamp).help("List changes up to this time."),
    ParamDef::new("namespace", PType::Namespace)
        .multi()
        .allow_all()
        .help("Only changes in these namespaces."),
    ParamDef::new("user", PType::User)
        .user_types(&["name", "ip", "interwiki", "id"])
        .help("Only changes made by this user."),
    ParamDef::new("excludeuser", PType::User)
        .user_types(&["name", "ip", "interwiki", "id"])
        .help("Leave out changes made by this user."),
    ParamDef::enumeration("dir", &["newer", "older"])
        .default("older")
        .help("Order of the changes.")
        .value_help(&[
            ("newer", "Oldest first; wlstart must then be before wlend."),
            (
                "older",
                "Newest first (the default); wlstart must then be after wlend.",
            ),
        ]),
    ParamDef::limit("limit", 500, 5000)
        .default("10")
        .help("Largest number of changes in one answer."),
    ParamDef::enumeration("prop", PROPS)
        .multi()
        .default("ids|title|flags")
        .help("What to tell about each change.")
        .value_help(&[
            (
                "ids",
                "The ids of the page, the revision and the previous revision.",
            ),
            ("title", "The title of the page."),
            ("flags", "Whether the change was new, minor or by a bot."),
            ("user", "Who made the change."),
            ("userid", "The id of who made the change."),
            ("comment", "The summary of the change."),
            ("parsedcomment", "The summary, rendered as HTML."),
            ("timestamp", "When the change was made."),
            ("patrol", "Whether the change was patrolled."),
            ("sizes", "The page size before and after the change."),
            (
                "notificationtimestamp",
                "When the user was last notified of a change to the page.",
            ),
            ("loginfo", "For log entries, the details of the log entry."),
            ("tags", "The tags of the change."),
            ("expiry", "When the page leaves the watchlist."),
        ]),
    ParamDef::enumeration("show", SHOW)
        .multi()
        .help("Only changes that meet these criteria (a ! negates)."),
    ParamDef::enumeration("type", &["edit", "new", "log", "external", "categorize"])
        .multi()
        .default("edit|new|log|categorize")
        .help("Which kinds of changes to list.")
        .value_help(&[
            ("edit", "Edits of existing pages."),
            ("new", "Page creations."),
            ("log", "Log entries."),
            ("external", "Changes made outside the wiki."),
            ("categorize", "Pages added to or removed from categories."),
        ]),
    ParamDef::new("owner", PType::User)
        .user_types(&["name"])
        .help("Read the watchlist of this user instead of your own; needs wltoken."),
    ParamDef::string("token")
        .sensitive()
        .help("The watchlist token of the user named by wlowner (from their preferences)."),
    ParamDef::string("continue").help(
        "When more results are available, use this to continue. The value comes from the \
         continue section of the previous answer.",
    ),
];

pub static WATCHLIST: ModuleDef = ModuleDef {
    prefix: "wl",
    summary: "List recent changes to the pages on the watchlist of the current user (or of another user who shared the watchlist token).",
    params: PARAMS,
    help_urls: &["https://www.mediawiki.org/wiki/Special:MyLanguage/API:Watchlist"],
    examples: &[
        (
            "action=query&list=watchlist",
            "The latest change of each recently changed page on your watchlist.",
        ),
        (
            "action=query&list=watchlist&wlallrev=&wlprop=ids|title|timestamp|user|comment",
            "Every recent change of the watched pages, with who made it and why.",
        ),
        (
            "action=query&generator=watchlist&prop=info",
            "Page information for recently changed watched pages.",
        ),
    ],
    execute: Some(execute),
    generate: Some(generate),
    ..ModuleDef::new("watchlist", Group::List, "ApiQueryWatchlist")
};

type Row = (RecentChange, WatchedItem);

fn run(cx: &mut Cx<'_>, p: &Params, listing: bool) -> ApiResult<(Vec<Row>, Option<String>)> {
    let owner = watchlist_user(cx, p)?;
    let props: Vec<String> = p.list("prop").to_vec();
    if listing
        && props.iter().any(|x| x == "patrol")
        && !cx.user.has("patrol")
        && !cx.user.has("patrolmarks")
    {
        return Err(ApiError::coded(
            "patrol",
            Msg::new("apierror-permissiondenied-patrolflag"),
        ));
    }
    let show: Vec<String> = p.list("show").to_vec();
    let on = |n: &str| show.iter().any(|s| s == n);
    for (a, b) in [
        ("minor", "!minor"),
        ("bot", "!bot"),
        ("anon", "!anon"),
        ("patrolled", "!patrolled"),
        ("autopatrolled", "!autopatrolled"),
        ("autopatrolled", "!patrolled"),
        ("unread", "!unread"),
    ] {
        if on(a) && on(b) {
            return Err(ApiError::coded("show", Msg::new("apierror-show")));
        }
    }
    if (on("patrolled") || on("!patrolled"))
        && !cx.user.has("patrol")
        && !cx.user.has("patrolmarks")
    {
        return Err(ApiError::coded(
            "permissiondenied",
            Msg::new("apierror-permissiondenied-patrolflag"),
        ));
    }
    if p.given("user") && p.given("excludeuser") {
        return Err(ApiError::invalid_param_mix(&["wluser", "wlexcludeuser"]));
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
        patrolled: flag("patrolled", "!patrolled"),
        autopatrolled: flag("autopatrolled", "!autopatrolled"),
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
    q.types = Some(
        p.list("type")
            .iter()
            .filter_map(|t| match t.as_str() {
                "edit" => Some(0),
                "new" => Some(1),
                "log" => Some(3),
                "external" => Some(5),
                "categorize" => Some(6),
                _ => None,
            })
            .collect(),
    );
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
    if let Some(c) = p.str("continue") {
        let (ts, id) = c.split_once('|').ok_or_else(bad_continue)?;
        if id.contains('|') {
            return Err(bad_continue());
        }
        let id: i64 = id.parse().map_err(|_| bad_continue())?;
        q.start = Some((ts.to_string(), Some(id)));
    }
    let now = time::to_mw(&time::now());
    let mut r = cx.app.store.read().map_err(read_err)?;
    let mut rows = r
        .watchlist_changes(owner, &now, p.flag("allrev"), flag("unread", "!unread"), &q)
        .map_err(read_err)?;
    let next = if rows.len() > limit {
        rows.split_off(limit)
            .first()
            .map(|(rc, _)| format!("{}|{}", rc.timestamp, rc.id))
    } else {
        None
    };
    Ok((rows, next))
}

fn execute(cx: &mut Cx<'_>, p: &Params) -> ApiResult<()> {
    let (rows, next) = run(cx, p, true)?;
    let props: Vec<String> = p.list("prop").to_vec();
    let has = |n: &str| props.iter().any(|x| x == n);
    let tags = if has("tags") {
        let ids: Vec<i64> = rows.iter().map(|(rc, _)| rc.id).collect();
        let mut r = cx.app.store.read().map_err(read_err)?;
        r.tags_of(TagTarget::Rc, &ids).map_err(read_err)?
    } else {
        Vec::new()
    };
    let mut list = List::new("item");
    for (rc, item) in &rows {
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
            m.set("title", title_text(cx, rc.ns, &rc.title));
        }
        if has("ids") {
            m.set("pageid", rc.cur_id);
            m.set("revid", rc.this_oldid);
            m.set("old_revid", rc.last_oldid);
        }
        if has("user") || has("userid") {
            if has("userid") {
                m.set("userid", rc.user_id);
                m.set("user", rc.user_id);
            }
            if has("user") {
                m.set("user", rc.user_name.as_str());
            }
            m.set("anon", rc.user_id == 0);
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
        if has("notificationtimestamp") {
            m.set(
                "notificationtimestamp",
                item.notification
                    .as_deref()
                    .map(time::mw_to_iso)
                    .unwrap_or_default(),
            );
        }
        if has("comment") {
            m.set("comment", rc.comment.as_str());
        }
        if has("parsedcomment") {
            m.set("parsedcomment", html_escape(&rc.comment));
        }
        if has("patrol") {
            set_patrol_flags(&mut m, rc);
        }
        if has("loginfo") {
            set_log_info(&mut m, rc);
        }
        if has("tags") {
            set_tags(&mut m, &tags, rc.id);
        }
        if has("expiry") {
            match &item.expiry {
                Some(e) => m.set("expiry", time::mw_to_iso(e)),
                None => m.set("expiry", false),
            };
        }
        list.push(m);
    }
    if let Some(n) = next {
        cx.add_continue(&WATCHLIST, "continue", n);
    }
    cx.result.map_mut("query").set("watchlist", list);
    Ok(())
}

fn generate(cx: &mut Cx<'_>, p: &Params) -> ApiResult<Generated> {
    let (rows, next) = run(cx, p, false)?;
    let mut g = Generated::default();
    let mut ids: Vec<i64> = Vec::new();
    let all = p.flag("allrev");
    for (rc, _) in rows {
        let id = if all { rc.this_oldid } else { rc.cur_id };
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    let pages = {
        let mut r = cx.app.store.read().map_err(read_err)?;
        if all {
            let revs = r.revision_pages(&ids).map_err(read_err)?;
            let pids: Vec<i64> = revs.iter().map(|(_, p)| *p).collect();
            r.pages_by_ids(&pids).map_err(read_err)?
        } else {
            r.pages_by_ids(&ids).map_err(read_err)?
        }
    };
    g.pages = pages;
    if let Some(n) = next {
        g.continues.push(("continue", n.into()));
    }
    Ok(g)
}
