//! `prop=deletedrevisions`: archived revisions of the page set's titles.
//! https://www.mediawiki.org/wiki/API:Deletedrevisions (mirrors
//! includes/api/ApiQueryDeletedRevisions.php)
//!
//! Rights as MediaWiki: comments need `deletedhistory`, content `deletedtext` or
//! `undelete`. Not done: `revids` of deleted revisions and use as a generator.

use crate::api::error::{ApiError, ApiResult};
use crate::api::message::Msg;
use crate::api::params::{PType, ParamDef, Params};
use crate::api::query::revisions::{format_revision, warn_legacy, RevFields, BASE};
use crate::api::result::{List, Val};
use crate::api::{Cx, Group, ModuleDef};
use crate::storage::archive::{ArchiveOrder, ArchiveQuery, ArchivedRevision};
use crate::storage::pages::TagTarget;
use crate::storage::ReadTxn;
use crate::util::time;

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
    ParamDef::new("start", PType::Timestamp)
        .help("The timestamp to start listing from. Ignored when revids are given."),
    ParamDef::new("end", PType::Timestamp)
        .help("The timestamp to stop listing at. Ignored when revids are given."),
    ParamDef::enumeration("dir", &["newer", "older"])
        .default("older")
        .help("The listing direction: newer lists oldest first.")
        .value_help(&[
            ("newer", "Oldest first. start has to be before end."),
            (
                "older",
                "Newest first (the default). start has to be later than end.",
            ),
        ]),
    ParamDef::string("tag").help("Only revisions with this change tag."),
    ParamDef::new("user", PType::User)
        .user_types(&["name", "ip", "interwiki", "id"])
        .help("Only revisions by this user."),
    ParamDef::new("excludeuser", PType::User)
        .user_types(&["name", "ip", "interwiki", "id"])
        .help("Leave out revisions by this user."),
    ParamDef::string("continue").help(
        "When more results are available, use this to continue. The value comes from the \
         continue section of the previous answer.",
    ),
];

pub static DELETEDREVISIONS: ModuleDef = ModuleDef {
    prefix: "drv",
    summary: "Show archived (deleted) revisions of pages.",
    extra_help: &[
        "Works for the deleted revisions of the given titles, whether the page exists now or not.",
    ],
    params: PARAMS,
    help_urls: &["https://www.mediawiki.org/wiki/Special:MyLanguage/API:Deletedrevisions"],
    examples: &[(
        "action=query&prop=deletedrevisions&titles=Main%20Page|Talk:Main%20Page&drvslots=*&drvprop=user|comment|content",
        "List the deleted revisions of the pages Main Page and Talk:Main Page, with content.",
    )],
    execute: Some(execute),
    ..ModuleDef::new("deletedrevisions", Group::Prop, "ApiQueryDeletedRevisions")
};

pub fn bad_continue() -> ApiError {
    ApiError::coded("badcontinue", Msg::new("apierror-badcontinue"))
}

/// The limit of a deleted-revision listing (`ApiQueryRevisionsBase::parseParameters`).
pub fn listing_limit(cx: &mut Cx<'_>, def: &ModuleDef, p: &Params, f: &RevFields) -> usize {
    let (user_max, bot_max) = if f.content() { (50, 500) } else { (500, 5000) };
    let max = if cx.high_limits() { bot_max } else { user_max };
    match cx.req.get(&format!("{}limit", def.prefix)) {
        Some("max") => {
            cx.result.map_mut("limits").set(def.name, max as i64);
            max
        }
        _ => (p.int("limit").unwrap_or(10).max(1) as usize).min(max),
    }
}

/// MediaWiki's rights checks of the deleted-revision modules.
pub fn check_rights(cx: &Cx<'_>, f: &RevFields) -> ApiResult<()> {
    if (f.has("comment") || f.has("parsedcomment")) && !cx.user.has("deletedhistory") {
        return Err(ApiError::coded(
            "permissiondenied",
            Msg::new("apierror-cantview-deleted-comment"),
        ));
    }
    if f.content() && !cx.user.has("deletedtext") && !cx.user.has("undelete") {
        return Err(ApiError::coded(
            "permissiondenied",
            Msg::new("apierror-cantview-deleted-revision-content"),
        ));
    }
    Ok(())
}

/// Parses a `ns|title|timestamp|ar_id` continuation.
pub fn parse_title_continue(c: &str) -> ApiResult<(i32, String, String, i64)> {
    let parts: Vec<&str> = c.split('|').collect();
    if parts.len() != 4 {
        return Err(bad_continue());
    }
    let ns: i32 = parts[0].parse().map_err(|_| bad_continue())?;
    let id: i64 = parts[3].parse().map_err(|_| bad_continue())?;
    if ns.to_string() != parts[0] || id.to_string() != parts[3] {
        return Err(bad_continue());
    }
    let ts = time::parse_timestamp(parts[2])
        .map(|t| time::to_mw(&t))
        .ok_or_else(bad_continue)?;
    Ok((ns, parts[1].to_string(), ts, id))
}

/// Formats archived revisions with their tags.
pub fn format_all(
    r: &mut dyn ReadTxn,
    f: &RevFields,
    rows: &[ArchivedRevision],
) -> ApiResult<Vec<crate::api::result::Map>> {
    let tags = if f.has("tags") {
        let ids: Vec<i64> = rows.iter().map(|a| a.rev.id).collect();
        r.tags_of(TagTarget::Rev, &ids)
            .map_err(ApiError::internal)?
    } else {
        Vec::new()
    };
    rows.iter()
        .map(|a| {
            let t: Vec<String> = tags
                .iter()
                .filter(|(id, _)| *id == a.rev.id)
                .map(|(_, n)| n.clone())
                .collect();
            format_revision(r, f, &a.rev, &t)
        })
        .collect()
}

fn execute(cx: &mut Cx<'_>, p: &Params) -> ApiResult<()> {
    let ps = cx.pageset.take().unwrap_or_default();
    // (namespace, DB key) → key of the page entry in the result.
    let mut keys: Vec<((i32, String), String)> = Vec::new();
    for g in &ps.good {
        keys.push(((g.ns, g.title.clone()), g.id.to_string()));
    }
    for m in &ps.missing {
        keys.push(((m.title.ns, m.title.dbkey.clone()), m.fake_id.to_string()));
    }
    cx.pageset = Some(ps);
    if keys.is_empty() {
        return Ok(());
    }
    if p.given("user") && p.given("excludeuser") {
        return Err(ApiError::coded(
            "invalidparammix",
            Msg::new("apierror-invalidparammix")
                .param(crate::api::message::Param::List(vec![
                    "<var>drvuser</var>".into(),
                    "<var>drvexcludeuser</var>".into(),
                ]))
                .p(2i64),
        ));
    }
    let f = RevFields::from_params(p);
    warn_legacy(cx, &DELETEDREVISIONS, &f);
    let limit = listing_limit(cx, &DELETEDREVISIONS, p, &f);
    check_rights(cx, &f)?;
    let newer = p.str("dir") == Some("newer");
    let mut distinct_ns: Vec<i32> = keys.iter().map(|((ns, _), _)| *ns).collect();
    distinct_ns.dedup();
    let ts = |n: &str| {
        p.str(n)
            .and_then(time::parse_timestamp)
            .map(|t| time::to_mw(&t))
    };
    let q = ArchiveQuery {
        titles: Some(keys.iter().map(|(t, _)| t.clone()).collect()),
        user: p.str("user").map(str::to_string),
        exclude_user: p.str("excludeuser").map(str::to_string),
        start: ts("start"),
        end: ts("end"),
        newer,
        order: ArchiveOrder::ByTitle,
        sort_by_title: keys.len() > 1,
        cont_title: match p.str("continue") {
            Some(c) => Some(parse_title_continue(c)?),
            None => None,
        },
        tag: p.str("tag").map(str::to_string),
        limit: limit + 1,
        ..ArchiveQuery::default()
    };
    let mut r = cx.app.store.read().map_err(ApiError::internal)?;
    let mut rows = r.archived_revisions(&q).map_err(ApiError::internal)?;
    let next = if rows.len() > limit {
        rows.split_off(limit).into_iter().next()
    } else {
        None
    };
    let formatted = format_all(r.as_mut(), &f, &rows)?;
    drop(r);
    for (a, m) in rows.iter().zip(formatted) {
        let Some((_, key)) = keys.iter().find(|(t, _)| t.0 == a.ns && t.1 == a.title) else {
            continue;
        };
        let pages = cx.result.map_mut("query").map_mut("pages");
        if let Some(Val::Map(entry)) = pages.get_mut(key) {
            if entry.get("deletedrevisions").is_none() {
                entry.set("deletedrevisions", List::new("rev"));
            }
            if let Some(Val::List(l)) = entry.get_mut("deletedrevisions") {
                l.push(m);
            }
        }
    }
    if let Some(n) = next {
        cx.add_continue(
            &DELETEDREVISIONS,
            "continue",
            format!("{}|{}|{}|{}", n.ns, n.title, n.rev.timestamp, n.ar_id),
        );
    }
    Ok(())
}
