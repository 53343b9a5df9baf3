//! `list=alldeletedrevisions`: every archived revision, by title or (with
//! `adruser`) by time; usable as a generator of titles.
//! https://www.mediawiki.org/wiki/API:Alldeletedrevisions (mirrors
//! includes/api/ApiQueryAllDeletedRevisions.php)

use crate::api::error::{ApiError, ApiResult};
use crate::api::message::Msg;
use crate::api::params::{PType, ParamDef, Params};
use crate::api::query::deletedrevisions::{
    bad_continue, check_rights, format_all, listing_limit, parse_title_continue,
};
use crate::api::query::pageset::Generated;
use crate::api::query::revisions::{warn_legacy, RevFields, BASE};
use crate::api::result::{List, Map};
use crate::api::{Cx, Group, ModuleDef};
use crate::storage::archive::{ArchiveOrder, ArchiveQuery, ArchivedRevision};
use crate::util::time;
use crate::wiki::title::Title;

static PARAMS: &[ParamDef] = &[
    BASE[0],
    BASE[1],
    BASE[2],
    BASE[3],
    BASE[4],
    BASE[5],
    BASE[6],
    BASE[7],
    BASE[8],
    BASE[9],
    BASE[10],
    ParamDef::new("user", PType::User)
        .user_types(&["name", "ip", "interwiki", "id"])
        .help("Only revisions by this user."),
    ParamDef::new("namespace", PType::Namespace)
        .multi()
        .allow_all()
        .help("Only pages in these namespaces."),
    ParamDef::new("start", PType::Timestamp)
        .help("The timestamp to start listing from (with user only)."),
    ParamDef::new("end", PType::Timestamp)
        .help("The timestamp to stop listing at (with user only)."),
    ParamDef::enumeration("dir", &["newer", "older"])
        .default("older")
        .help("The listing direction: newer lists oldest (or alphabetically first) first.")
        .value_help(&[
            ("newer", "Oldest first. start has to be before end."),
            (
                "older",
                "Newest first (the default). start has to be later than end.",
            ),
        ]),
    ParamDef::string("from").help("Start listing at this title (without user only)."),
    ParamDef::string("to").help("Stop listing at this title (without user only)."),
    ParamDef::string("prefix").help("Only titles that begin with this (without user only)."),
    ParamDef::new("excludeuser", PType::User)
        .user_types(&["name", "ip", "interwiki", "id"])
        .help("Leave out revisions by this user (without user only)."),
    ParamDef::string("tag").help("Only revisions with this change tag."),
    ParamDef::string("continue").help(
        "When more results are available, use this to continue. The value comes from the \
         continue section of the previous answer.",
    ),
    ParamDef::boolean("generatetitles")
        .help("As a generator, give titles instead of revision IDs."),
];

pub static ALLDELETEDREVISIONS: ModuleDef = ModuleDef {
    prefix: "adr",
    summary: "List all deleted revisions, by a user or in a namespace.",
    params: PARAMS,
    help_urls: &["https://www.mediawiki.org/wiki/Special:MyLanguage/API:Alldeletedrevisions"],
    examples: &[
        (
            "action=query&list=alldeletedrevisions&adruser=Example&adrprop=comment&adrlimit=50",
            "The 50 newest deleted edits of the user Example.",
        ),
        (
            "action=query&list=alldeletedrevisions&adrdir=newer&adrnamespace=0&adrlimit=50",
            "The 50 oldest deleted revisions of articles (namespace 0).",
        ),
    ],
    execute: Some(execute),
    generate: Some(generate),
    ..ModuleDef::new(
        "alldeletedrevisions",
        Group::List,
        "ApiQueryAllDeletedRevisions",
    )
};

/// A title part (`Foo bar`) as a DB key in a namespace.
fn title_part_key(s: &str) -> String {
    crate::wiki::title::ucfirst(&s.replace(' ', "_"))
}

fn run(
    cx: &mut Cx<'_>,
    p: &Params,
    f: &RevFields,
) -> ApiResult<(Vec<ArchivedRevision>, Option<String>)> {
    let pfx = ALLDELETEDREVISIONS.prefix;
    let user_mode = p.given("user");
    if user_mode {
        for n in ["from", "to", "prefix", "excludeuser"] {
            if p.given(n) {
                return Err(ApiError::coded(
                    "invalidparammix",
                    Msg::new("apierror-invalidparammix-cannotusewith")
                        .p(format!("{pfx}{n}"))
                        .p(format!("{pfx}user")),
                ));
            }
        }
    } else {
        for n in ["start", "end"] {
            if p.given(n) {
                return Err(ApiError::coded(
                    "invalidparammix",
                    Msg::new("apierror-invalidparammix-mustusewith")
                        .p(format!("{pfx}{n}"))
                        .p(format!("{pfx}user")),
                ));
            }
        }
    }
    let limit = listing_limit(cx, &ALLDELETEDREVISIONS, p, f);
    check_rights(cx, f)?;
    let namespaces: Option<Vec<i32>> = if p.given("namespace") {
        Some(
            p.list("namespace")
                .iter()
                .filter_map(|n| n.parse().ok())
                .collect(),
        )
    } else {
        None
    };
    let ts = |n: &str| {
        p.str(n)
            .and_then(time::parse_timestamp)
            .map(|t| time::to_mw(&t))
    };
    let mut q = ArchiveQuery {
        namespaces: namespaces.clone(),
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
    if user_mode {
        q.order = ArchiveOrder::ByTimestamp;
        q.start = ts("start");
        q.end = ts("end");
        if let Some(c) = p.str("continue") {
            let (t, id) = c.split_once('|').ok_or_else(bad_continue)?;
            let id: i64 = id.parse().map_err(|_| bad_continue())?;
            let t = time::parse_timestamp(t)
                .map(|x| time::to_mw(&x))
                .ok_or_else(bad_continue)?;
            q.cont_time = Some((t, id));
        }
    } else {
        q.order = ArchiveOrder::ByTitle;
        q.sort_by_title = true;
        q.from = p.str("from").map(title_part_key);
        q.to = p.str("to").map(title_part_key);
        q.prefix = p.str("prefix").map(title_part_key);
        if let Some(c) = p.str("continue") {
            q.cont_title = Some(parse_title_continue(c)?);
        }
    }
    let mut r = cx.app.store.read().map_err(ApiError::internal)?;
    let mut rows = r.archived_revisions(&q).map_err(ApiError::internal)?;
    let next = if rows.len() > limit {
        rows.split_off(limit).into_iter().next().map(|n| {
            if user_mode {
                format!("{}|{}", n.rev.timestamp, n.ar_id)
            } else {
                format!("{}|{}|{}|{}", n.ns, n.title, n.rev.timestamp, n.ar_id)
            }
        })
    } else {
        None
    };
    Ok((rows, next))
}

fn execute(cx: &mut Cx<'_>, p: &Params) -> ApiResult<()> {
    if p.given("namespace") && p.list("namespace").is_empty() {
        cx.result
            .map_mut("query")
            .set("alldeletedrevisions", List::new("page"));
        return Ok(());
    }
    let f = RevFields::from_params(p);
    warn_legacy(cx, &ALLDELETEDREVISIONS, &f);
    let (rows, next) = run(cx, p, &f)?;
    let mut r = cx.app.store.read().map_err(ApiError::internal)?;
    let formatted = format_all(r.as_mut(), &f, &rows)?;
    // Grouped by title in order of first appearance.
    let mut groups: Vec<((i32, String), List)> = Vec::new();
    for (a, m) in rows.iter().zip(formatted) {
        let key = (a.ns, a.title.clone());
        match groups.iter_mut().find(|(k, _)| *k == key) {
            Some((_, l)) => l.push(m),
            None => {
                let mut l = List::new("rev");
                l.push(m);
                groups.push((key, l));
            }
        }
    }
    let mut out = List::new("page");
    for ((ns, dbkey), revs) in groups {
        let page_id = r
            .page_by_title(ns, &dbkey)
            .map_err(ApiError::internal)?
            .map(|pg| pg.id)
            .unwrap_or(0);
        let t = Title::local(ns, dbkey);
        out.push(
            Map::new()
                .with("pageid", page_id)
                .with("revisions", revs)
                .with("ns", ns)
                .with("title", t.prefixed_text(&cx.app.titles)),
        );
    }
    if let Some(n) = next {
        cx.add_continue(&ALLDELETEDREVISIONS, "continue", n);
    }
    cx.result.map_mut("query").set("alldeletedrevisions", out);
    Ok(())
}

fn generate(cx: &mut Cx<'_>, p: &Params) -> ApiResult<Generated> {
    if p.flag("generatetitles") && p.str("dir") != Some("newer") && !p.given("user") {
        cx.warn(
            "alldeletedrevisions-performance",
            Msg::new("apiwarn-alldeletedrevisions-performance").p("gadr"),
        );
    }
    let f = RevFields::from_params(p);
    let (rows, next) = run(cx, p, &f)?;
    let mut titles: Vec<(i32, String)> = Vec::new();
    for a in rows {
        let key = (a.ns, a.title);
        if !titles.contains(&key) {
            titles.push(key);
        }
    }
    let mut g = Generated {
        titles,
        ..Generated::default()
    };
    if let Some(n) = next {
        g.continues.push(("continue", n.into()));
    }
    Ok(g)
}
