//! `prop=revisions`: revisions of the page set's pages; usable as a generator.
//! https://www.mediawiki.org/wiki/API:Revisions (mirrors includes/api/ApiQueryRevisions.php
//! and ApiQueryRevisionsBase.php)
//!
//! Two modes, as in MediaWiki: without list options each page gives its latest
//! revision (or the revisions named by `revids`); with any of `rvlimit`,
//! `rvstartid`, `rvendid`, `rvdir=newer`, `rvuser`, `rvexcludeuser`, `rvstart`,
//! `rvend` one page is listed with continuation.

use crate::api::error::{ApiError, ApiResult};
use crate::api::message::{html_escape, Msg};
use crate::api::params::{PType, ParamDef, Params};
use crate::api::query::pageset::Generated;
use crate::api::result::{List, Map, Val};
use crate::api::{CacheMode, Cx, Group, ModuleDef};
use crate::storage::pages::{Revision, RevisionQuery, TagTarget};
use crate::storage::ReadTxn;
use crate::util::time;

pub const REV_PROPS: &[&str] = &[
    "comment",
    "content",
    "contentmodel",
    "flags",
    "ids",
    "parsedcomment",
    "parsetree",
    "roles",
    "sha1",
    "size",
    "slotsha1",
    "slotsize",
    "tags",
    "timestamp",
    "user",
    "userid",
];

const FORMATS: &[&str] = &[
    "application/json",
    "application/octet-stream",
    "application/unknown",
    "application/x-binary",
    "text/css",
    "text/javascript",
    "text/plain",
    "text/unknown",
    "text/x-wiki",
    "unknown/unknown",
];

/// The parameters `prop=revisions`, `list=allrevisions` and the deleted-revision
/// modules share (`ApiQueryRevisionsBase`).
pub const BASE: [ParamDef; 11] = [
            ParamDef::enumeration("prop", REV_PROPS)
                .multi()
                .default("ids|timestamp|flags|comment|user")
                .deprecated_values(&["parsetree"])
                .help("What to report for each revision."),
            ParamDef::enumeration("slots", &["main"])
                .multi()
                .allow_all()
                .help("The slots to report on (main, or * for every slot). When left out, the main slot's data comes in the older format without slots."),
            ParamDef::limit("limit", 500, 5000)
                .help("The largest number of revisions to list; when content is asked for, at most 50 (500 with high limits)."),
            ParamDef::boolean("expandtemplates")
                .deprecated()
                .help("Deprecated, replaced by action=expandtemplates: return the content with templates expanded."),
            ParamDef::boolean("generatexml")
                .deprecated()
                .help("Deprecated, replaced by action=expandtemplates: add the XML preprocessor tree of the content."),
            ParamDef::boolean("parse")
                .deprecated()
                .help("Deprecated, replaced by action=parse: return the content rendered as HTML."),
            ParamDef::string("section").help("Return only this section of the content."),
            ParamDef::string("diffto")
                .deprecated()
                .help("Deprecated, replaced by action=compare: a revision to compare each listed one with."),
            ParamDef::string("difftotext")
                .deprecated()
                .help("Deprecated, replaced by action=compare: a text to compare each listed revision with."),
            ParamDef::boolean("difftotextpst")
                .deprecated()
                .help("Deprecated, replaced by action=compare: run the pre-save transform on difftotext first."),
            ParamDef::enumeration("contentformat", FORMATS)
                .deprecated()
                .help("Deprecated: the serialisation format to return content in."),
];

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
    ParamDef::integer("startid")
        .help("One page only: begin the list at the time this revision was made."),
    ParamDef::integer("endid")
        .help("One page only: end the list at the time this revision was made."),
    ParamDef::new("start", PType::Timestamp).help("One page only: the time the list begins at."),
    ParamDef::new("end", PType::Timestamp).help("One page only: the time the list ends at."),
    ParamDef::enumeration("dir", &["newer", "older"])
        .default("older")
        .help("The listing direction (one page only): newer lists oldest first.")
        .value_help(&[
            (
                "newer",
                "From old to new; rvstart must then come before rvend.",
            ),
            (
                "older",
                "From new to old, the default; rvstart must then come after rvend.",
            ),
        ]),
    ParamDef::new("user", PType::User)
        .user_types(&["name", "ip", "interwiki", "id"])
        .help("One page only: list just the revisions this user made."),
    ParamDef::new("excludeuser", PType::User)
        .user_types(&["name", "ip", "interwiki", "id"])
        .help("One page only: skip the revisions this user made."),
    ParamDef::string("tag").help("List only revisions carrying this change tag."),
    ParamDef::string("continue")
        .help("Resume an earlier request with the value its continue section returned."),
];

pub static REVISIONS: ModuleDef = ModuleDef {
    cache_mode: CacheMode::Public,
    prefix: "rv",
    summary: "List revisions of the pages of the set, with their content if asked.",
    extra_help: &[
        "Works for the latest revision of several pages, for the revisions named by revids, \
         or for a list of revisions of one page with the list options.",
    ],
    params: PARAMS,
    help_urls: &["https://www.mediawiki.org/wiki/Special:MyLanguage/API:Revisions"],
    examples: &[
        (
            "action=query&prop=revisions&titles=API|Main%20Page&rvslots=*&rvprop=timestamp|user|comment|content",
            "The current revision of API and of Main Page, content included.",
        ),
        (
            "action=query&prop=revisions&titles=Main%20Page&rvlimit=5&rvprop=timestamp|user|comment",
            "The five most recent revisions of Main Page.",
        ),
    ],
    execute: Some(execute),
    generate: Some(generate),
    ..ModuleDef::new("revisions", Group::Prop, "ApiQueryRevisions")
};

/// What to show of each revision.
pub struct RevFields {
    pub props: Vec<String>,
    /// `rvslots` given: the slot format; else the legacy format.
    pub slots: bool,
    pub section: Option<String>,
}

impl RevFields {
    pub fn from_params(p: &Params) -> RevFields {
        RevFields {
            props: p.list("prop").to_vec(),
            slots: p.given("slots"),
            section: p.str("section").map(str::to_string),
        }
    }
    pub fn has(&self, n: &str) -> bool {
        self.props.iter().any(|x| x == n)
    }
    pub fn content(&self) -> bool {
        self.has("content")
    }
}

/// MediaWiki shows `rev_sha1` (base 36) as 40 hex digits.
pub fn sha1_hex(base36: &str) -> String {
    let mut n: Vec<u8> = vec![0; 20];
    for c in base36.chars() {
        let Some(d) = c.to_digit(36) else {
            return String::new();
        };
        let mut carry = d;
        for b in n.iter_mut().rev() {
            let cur = u32::from(*b) * 36 + carry;
            *b = (cur & 0xff) as u8;
            carry = cur >> 8;
        }
    }
    n.iter().map(|b| format!("{b:02x}")).collect()
}

fn content_format(model: &str) -> &'static str {
    match model {
        "css" => "text/css",
        "javascript" => "text/javascript",
        "json" => "application/json",
        "text" => "text/plain",
        _ => "text/x-wiki",
    }
}

/// One revision as `extractRevisionInfo` writes it.
pub fn format_revision(
    r: &mut dyn ReadTxn,
    f: &RevFields,
    rev: &Revision,
    tags: &[String],
) -> ApiResult<Map> {
    let mut m = Map::new();
    if f.has("ids") {
        m.set("revid", rev.id);
        m.set("parentid", rev.parent_id);
    }
    if f.has("flags") {
        m.set("minor", rev.minor);
    }
    if f.has("user") || f.has("userid") {
        if f.has("user") {
            m.set("user", rev.user_name.as_str());
        }
        if f.has("userid") {
            m.set("userid", rev.user_id);
        }
        if rev.user_id == 0 {
            m.set("anon", true);
        }
    }
    if f.has("timestamp") {
        m.set("timestamp", time::mw_to_iso(&rev.timestamp));
    }
    if f.has("size") {
        m.set("size", rev.len);
    }
    if f.has("sha1") {
        m.set("sha1", sha1_hex(&rev.sha1));
    }
    let mut content_text = None;
    if f.content() {
        let text = r
            .content_text(rev.content_id)
            .map_err(ApiError::internal)?
            .unwrap_or_default();
        let text = match &f.section {
            Some(s) => match crate::wiki::page::get_section(&text, s) {
                Some(t) => t,
                None => {
                    return Err(ApiError::coded(
                        "nosuchsection",
                        Msg::new("apierror-nosuchsection-what")
                            .p(s.clone())
                            .p(format!("r{}", rev.id)),
                    ))
                }
            },
            None => text,
        };
        content_text = Some(text);
    }
    if f.slots {
        if f.has("roles") {
            m.set("roles", List::of("role", ["main"]));
        }
        let mut slot = Map::new();
        if f.has("slotsize") {
            slot.set("size", rev.len);
        }
        if f.has("slotsha1") {
            slot.set("sha1", sha1_hex(&rev.sha1));
        }
        if f.has("contentmodel") || f.content() {
            slot.set("contentmodel", rev.content_model.as_str());
        }
        if let Some(t) = content_text {
            slot.set("contentformat", content_format(&rev.content_model));
            slot.set_content("content", t);
        }
        let mut slots = Map::new();
        slots.tag = Some("slot");
        slots.set("main", slot);
        if !slots
            .get("main")
            .is_some_and(|v| matches!(v, Val::Map(s) if s.is_empty()))
        {
            m.set("slots", slots);
        }
    } else {
        if f.has("contentmodel") {
            m.set("contentmodel", rev.content_model.as_str());
        }
        if let Some(t) = content_text {
            m.set("contentformat", content_format(&rev.content_model));
            m.set("contentmodel", rev.content_model.as_str());
            m.set_content("content", t);
        }
    }
    if f.has("comment") {
        m.set("comment", rev.comment.as_str());
    }
    if f.has("parsedcomment") {
        m.set("parsedcomment", html_escape(&rev.comment));
    }
    if f.has("tags") {
        m.set("tags", List::of("tag", tags.iter().map(String::as_str)));
    }
    Ok(m)
}

/// Warns about the legacy output format when content is asked for without slots.
pub fn warn_legacy(cx: &mut Cx<'_>, def: &ModuleDef, f: &RevFields) {
    if f.content() && !f.slots {
        cx.warn_deprecated(
            Msg::new("apiwarn-deprecation-missingparam").p(format!("{}slots", def.prefix)),
            &format!(
                "action=query&{}={}&!{}slots",
                match def.group {
                    Group::Prop => "prop",
                    _ => "list",
                },
                def.name,
                def.prefix
            ),
        );
    }
}

/// Whether the list options (enum mode) are in use.
fn enum_mode(p: &Params) -> bool {
    [
        "limit",
        "startid",
        "endid",
        "user",
        "excludeuser",
        "start",
        "end",
    ]
    .iter()
    .any(|n| p.given(n))
        || p.str("dir") == Some("newer")
}

/// The rows of the listing and the continuation value.
struct Listed {
    /// (page id, revisions).
    per_page: Vec<(i64, Vec<Revision>)>,
    next: Option<String>,
}

fn list(cx: &mut Cx<'_>, p: &Params, as_generator: bool) -> ApiResult<Listed> {
    let ps = cx.pageset.take().unwrap_or_default();
    let good: Vec<i64> = ps.good.iter().map(|g| g.id).collect();
    let latest: Vec<(i64, i64)> = ps.good.iter().map(|g| (g.id, g.latest)).collect();
    let rev_ids = ps.rev_ids.clone();
    cx.pageset = Some(ps);
    let f = RevFields::from_params(p);
    let mut r = cx.app.store.read().map_err(ApiError::internal)?;
    let pf = REVISIONS.prefix;
    if enum_mode(p) {
        if !rev_ids.is_empty() {
            return Err(ApiError::coded(
                "invalidparammix",
                Msg::new("apierror-revisions-norevids").p(pf),
            ));
        }
        if good.len() > 1 {
            return Err(ApiError::coded(
                "multpages",
                Msg::new("apierror-revisions-singlepage").p(pf),
            ));
        }
        let Some(&page) = good.first() else {
            return Ok(Listed {
                per_page: Vec::new(),
                next: None,
            });
        };
        let newer = p.str("dir") == Some("newer");
        let max = if f.content() && !as_generator {
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
        let limit = match p.int("limit") {
            Some(l) => {
                if l > max {
                    max
                } else {
                    l
                }
            }
            None if f.content() => 1,
            None => 10,
        }
        .max(1) as usize;
        let mut q = RevisionQuery {
            page: Some(page),
            newer,
            user: p.str("user").map(|u| u.replace('_', " ")),
            exclude_user: p.str("excludeuser").map(|u| u.replace('_', " ")),
            limit: limit + 1,
            ..RevisionQuery::default()
        };
        if let Some(s) = p.str("start").and_then(time::parse_timestamp) {
            q.start = Some((time::to_mw(&s), None));
        }
        if let Some(e) = p.str("end").and_then(time::parse_timestamp) {
            q.end = Some((time::to_mw(&e), None));
        }
        for (name, slot) in [("startid", true), ("endid", false)] {
            if let Some(id) = p.int(name) {
                let rev = r.revision(id).map_err(ApiError::internal)?;
                match rev {
                    Some(rv) if rv.page == page => {
                        if slot {
                            q.start = Some((rv.timestamp, Some(rv.id)));
                        } else {
                            q.end = Some((rv.timestamp, Some(rv.id)));
                        }
                    }
                    _ => {
                        return Err(ApiError::coded(
                            "badid_".to_string() + pf + name,
                            Msg::new("apierror-revisions-badid").p(format!("{pf}{name}")),
                        ))
                    }
                }
            }
        }
        if let Some(c) = p.str("continue") {
            let (ts, id) = c.split_once('|').ok_or_else(bad_continue)?;
            let id: i64 = id.parse().map_err(|_| bad_continue())?;
            q.start = Some((ts.to_string(), Some(id)));
        }
        let mut rows = r.revisions(&q).map_err(ApiError::internal)?;
        let next = if rows.len() > limit {
            let extra = rows.split_off(limit);
            extra.first().map(|x| format!("{}|{}", x.timestamp, x.id))
        } else {
            None
        };
        return Ok(Listed {
            per_page: vec![(page, rows)],
            next,
        });
    }
    // Single-revision mode.
    let mut per_page: Vec<(i64, Vec<Revision>)> = Vec::new();
    let start = match p.str("continue") {
        Some(c) => Some(c.parse::<i64>().map_err(|_| bad_continue())?),
        None => None,
    };
    let ids: Vec<(i64, i64)> = if !rev_ids.is_empty() {
        rev_ids.iter().map(|(rev, page)| (*page, *rev)).collect()
    } else {
        latest
    };
    let mut ids = ids;
    ids.sort_by_key(|(_, rev)| *rev);
    for (page, rev_id) in ids {
        if start.is_some_and(|s| rev_id < s) {
            continue;
        }
        if let Some(rev) = r.revision(rev_id).map_err(ApiError::internal)? {
            match per_page.iter_mut().find(|(pg, _)| *pg == page) {
                Some((_, list)) => list.push(rev),
                None => per_page.push((page, vec![rev])),
            }
        }
    }
    Ok(Listed {
        per_page,
        next: None,
    })
}

fn bad_continue() -> ApiError {
    ApiError::coded("badcontinue", Msg::new("apierror-badcontinue"))
}

fn execute(cx: &mut Cx<'_>, p: &Params) -> ApiResult<()> {
    let f = RevFields::from_params(p);
    warn_legacy(cx, &REVISIONS, &f);
    // `getCacheMode`: users who may see revision-deleted fields get private answers.
    if cx.user.has("deletedhistory") {
        cx.cache_mode = crate::api::CacheMode::Private;
    }
    let listed = list(cx, p, false)?;
    let mut r = cx.app.store.read().map_err(ApiError::internal)?;
    let all_ids: Vec<i64> = listed
        .per_page
        .iter()
        .flat_map(|(_, revs)| revs.iter().map(|x| x.id))
        .collect();
    let tags = if f.has("tags") {
        r.tags_of(TagTarget::Rev, &all_ids)
            .map_err(ApiError::internal)?
    } else {
        Vec::new()
    };
    for (page, revs) in &listed.per_page {
        let mut list = List::new("rev");
        for rev in revs {
            let t: Vec<String> = tags
                .iter()
                .filter(|(id, _)| *id == rev.id)
                .map(|(_, n)| n.clone())
                .collect();
            list.push(format_revision(r.as_mut(), &f, rev, &t)?);
        }
        let pages = cx.result.map_mut("query").map_mut("pages");
        if let Some(Val::Map(entry)) = pages.get_mut(&page.to_string()) {
            entry.set("revisions", list);
        }
    }
    if let Some(n) = listed.next {
        cx.add_continue(&REVISIONS, "continue", n);
    }
    Ok(())
}

fn generate(cx: &mut Cx<'_>, p: &Params) -> ApiResult<Generated> {
    let listed = list(cx, p, true)?;
    let ids: Vec<i64> = listed.per_page.iter().map(|(pg, _)| *pg).collect();
    let pages = {
        let mut r = cx.app.store.read().map_err(ApiError::internal)?;
        r.pages_by_ids(&ids).map_err(ApiError::internal)?
    };
    let mut g = Generated {
        pages,
        ..Generated::default()
    };
    if let Some(n) = listed.next {
        g.continues.push(("continue", n.into()));
    }
    Ok(g)
}

#[cfg(test)]
mod tests {
    #[test]
    fn sha1_hex_roundtrip() {
        let b36 = crate::wiki::page::sha1_base36("");
        assert_eq!(
            super::sha1_hex(&b36),
            "da39a3ee5e6b4b0d3255bfef95601890afd80709"
        );
    }
}
