//! `list=allrevisions`: all revisions of the wiki by time; usable as a generator.
//! https://www.mediawiki.org/wiki/API:Allrevisions (mirrors includes/api/ApiQueryAllRevisions.php)

use crate::api::error::{ApiError, ApiResult};
use crate::api::message::Msg;
use crate::api::params::{PType, ParamDef, Params};
use crate::api::query::pageset::Generated;
use crate::api::query::revisions::{format_revision, warn_legacy, RevFields, BASE};
use crate::api::result::{List, Map};
use crate::api::{CacheMode, Cx, Group, ModuleDef};
use crate::storage::pages::{Revision, RevisionQuery, TagTarget};
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
        .help("List just the revisions this user made."),
    ParamDef::new("namespace", PType::Namespace)
        .multi()
        .allow_all()
        .help("List just revisions of pages in these namespaces."),
    ParamDef::new("start", PType::Timestamp).help("The time the list begins at."),
    ParamDef::new("end", PType::Timestamp).help("The time the list ends at."),
    ParamDef::enumeration("dir", &["newer", "older"])
        .default("older")
        .help("The order of the list in time.")
        .value_help(&[
            (
                "newer",
                "From old to new; arvstart must then come before arvend.",
            ),
            (
                "older",
                "From new to old, the default; arvstart must then come after arvend.",
            ),
        ]),
    ParamDef::new("excludeuser", PType::User)
        .user_types(&["name", "ip", "interwiki", "id"])
        .help("Skip the revisions this user made."),
    ParamDef::string("continue")
        .help("Resume an earlier request with the value its continue section returned."),
    ParamDef::boolean("generatetitles")
        .help("Make the generator yield page titles; by default it yields revision IDs."),
];

pub static ALLREVISIONS: ModuleDef = ModuleDef {
    cache_mode: CacheMode::Public,
    prefix: "arv",
    summary: "List revisions of all pages, newest first by default.",
    params: PARAMS,
    help_urls: &["https://www.mediawiki.org/wiki/Special:MyLanguage/API:Allrevisions"],
    examples: &[
        (
            "action=query&list=allrevisions&arvuser=Example&arvlimit=50",
            "The 50 most recent edits of the user Example.",
        ),
        (
            "action=query&list=allrevisions&arvdir=newer&arvlimit=50",
            "The 50 oldest revisions of the wiki, from every namespace.",
        ),
    ],
    execute: Some(execute),
    generate: Some(generate),
    ..ModuleDef::new("allrevisions", Group::List, "ApiQueryAllRevisions")
};

fn run(cx: &mut Cx<'_>, p: &Params, f: &RevFields) -> ApiResult<(Vec<Revision>, Option<String>)> {
    let max = if f.content() {
        if cx.high_limits() {
            500
        } else {
            50
        }
    } else if cx.high_limits() {
        5000
    } else {
        500
    };
    let limit = p.int("limit").map(|l| l.min(max)).unwrap_or(10).max(1) as usize;
    let mut q = RevisionQuery {
        newer: p.str("dir") == Some("newer"),
        user: p
            .str("user")
            .map(|u| crate::wiki::title::ucfirst(&u.replace('_', " "))),
        exclude_user: p
            .str("excludeuser")
            .map(|u| crate::wiki::title::ucfirst(&u.replace('_', " "))),
        limit: limit + 1,
        ..RevisionQuery::default()
    };
    if p.given("namespace") {
        q.namespaces = Some(
            p.list("namespace")
                .iter()
                .filter_map(|n| n.parse().ok())
                .collect(),
        );
    }
    if let Some(s) = p.str("start").and_then(time::parse_timestamp) {
        q.start = Some((time::to_mw(&s), None));
    }
    if let Some(e) = p.str("end").and_then(time::parse_timestamp) {
        q.end = Some((time::to_mw(&e), None));
    }
    if let Some(c) = p.str("continue") {
        let bad = || ApiError::coded("badcontinue", Msg::new("apierror-badcontinue"));
        let (ts, id) = c.split_once('|').ok_or_else(bad)?;
        let id: i64 = id.parse().map_err(|_| bad())?;
        q.start = Some((ts.to_string(), Some(id)));
    }
    let mut r = cx.app.store.read().map_err(ApiError::internal)?;
    let mut rows = r.revisions(&q).map_err(ApiError::internal)?;
    let next = if rows.len() > limit {
        let extra = rows.split_off(limit);
        extra.first().map(|x| format!("{}|{}", x.timestamp, x.id))
    } else {
        None
    };
    Ok((rows, next))
}

fn execute(cx: &mut Cx<'_>, p: &Params) -> ApiResult<()> {
    let f = RevFields::from_params(p);
    warn_legacy(cx, &ALLREVISIONS, &f);
    // `getCacheMode`: users who may see revision-deleted fields get private answers.
    if cx.user.has("deletedhistory") {
        cx.cache_mode = crate::api::CacheMode::Private;
    }
    let (rows, next) = run(cx, p, &f)?;
    let mut r = cx.app.store.read().map_err(ApiError::internal)?;
    let ids: Vec<i64> = rows.iter().map(|x| x.id).collect();
    let tags = if f.has("tags") {
        r.tags_of(TagTarget::Rev, &ids)
            .map_err(ApiError::internal)?
    } else {
        Vec::new()
    };
    // Grouped by page, in order of first appearance (as MediaWiki does).
    let mut pages: Vec<(i64, List)> = Vec::new();
    for rev in &rows {
        let t: Vec<String> = tags
            .iter()
            .filter(|(id, _)| *id == rev.id)
            .map(|(_, n)| n.clone())
            .collect();
        let m = format_revision(r.as_mut(), &f, rev, &t)?;
        match pages.iter_mut().find(|(pg, _)| *pg == rev.page) {
            Some((_, l)) => l.push(m),
            None => {
                let mut l = List::new("rev");
                l.push(m);
                pages.push((rev.page, l));
            }
        }
    }
    let mut out = List::new("page");
    for (page_id, revs) in pages {
        let pg = r.page_by_id(page_id).map_err(ApiError::internal)?;
        let mut m = Map::new().with("pageid", page_id);
        if let Some(pg) = pg {
            m.set("ns", pg.ns);
            let t = Title::local(pg.ns, pg.title.clone());
            m.set("title", t.prefixed_text(&cx.app.titles));
        }
        m.set("revisions", revs);
        out.push(m);
    }
    if let Some(n) = next {
        cx.add_continue(&ALLREVISIONS, "continue", n);
    }
    cx.result.map_mut("query").set("allrevisions", out);
    Ok(())
}

fn generate(cx: &mut Cx<'_>, p: &Params) -> ApiResult<Generated> {
    let f = RevFields::from_params(p);
    // as a generator too: the page set takes on the generator's cache mode
    if cx.user.has("deletedhistory") {
        cx.cache_mode = crate::api::CacheMode::Private;
    }
    let (rows, next) = run(cx, p, &f)?;
    let mut ids: Vec<i64> = Vec::new();
    for rev in &rows {
        if !ids.contains(&rev.page) {
            ids.push(rev.page);
        }
    }
    let mut pages = {
        let mut r = cx.app.store.read().map_err(ApiError::internal)?;
        r.pages_by_ids(&ids).map_err(ApiError::internal)?
    };
    pages.sort_by_key(|pg| ids.iter().position(|i| *i == pg.id));
    let mut g = Generated {
        pages,
        ..Generated::default()
    };
    if let Some(n) = next {
        g.continues.push(("continue", n.into()));
    }
    Ok(g)
}
