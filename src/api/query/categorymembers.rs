//! `list=categorymembers`: the pages in a category, by sort key or by the time
//! they were added; usable as a generator.
//! (mirrors includes/api/ApiQueryCategoryMembers.php)

use crate::api::error::{ApiError, ApiResult};
use crate::api::message::Msg;
use crate::api::params::{PType, ParamDef, Params};
use crate::api::query::linkutil::*;
use crate::api::query::pageset::Generated;
use crate::api::result::List;
use crate::api::{CacheMode, Cx, Group, ModuleDef};
use crate::storage::links::{CategoryMember, CategoryMembersQuery};

static PARAMS: &[ParamDef] = &[
    ParamDef::string("title").help(
        "The category whose members to list, written with its Category: prefix. Either this or pageid is needed, not both.",
    ),
    ParamDef::integer("pageid").help("The category, given by the ID of its page instead of by title."),
    ParamDef::enumeration("prop", &["ids", "sortkey", "sortkeyprefix", "timestamp", "title", "type"])
        .multi()
        .default("ids|title")
        .help("What to report for each member."),
    ParamDef::new("namespace", PType::Namespace)
        .multi()
        .allow_all()
        .help("List only members from these namespaces."),
    ParamDef::enumeration("type", &["file", "page", "subcat"])
        .multi()
        .default("page|subcat|file")
        .help("The kinds of member to list: ordinary pages, subcategories, files. Has no effect with sort=timestamp."),
    ParamDef::string("continue").help("Resume an earlier request with the value its continue section returned."),
    ParamDef::limit("limit", 500, 5000)
        .default("10")
        .help("The largest number of members to list."),
    ParamDef::enumeration("sort", &["sortkey", "timestamp"])
        .default("sortkey")
        .help("Order members by their sort key or by the time they were added."),
    ParamDef::enumeration("dir", &["asc", "ascending", "desc", "descending", "newer", "older"])
        .default("ascending")
        .help("Whether the order runs forwards or backwards."),
    ParamDef::new("start", PType::Timestamp).help("With cmsort=timestamp only: the time at which the list begins."),
    ParamDef::new("end", PType::Timestamp).help("With cmsort=timestamp only: the time at which the list ends."),
    ParamDef::string("starthexsortkey").help("With cmsort=sortkey only: begin at this sort key, in the hex form prop=sortkey reports."),
    ParamDef::string("endhexsortkey").help("With cmsort=sortkey only: stop at this sort key, in the hex form prop=sortkey reports."),
    ParamDef::string("startsortkeyprefix").help("With cmsort=sortkey only: begin at members whose sort key prefix is this text. Takes precedence over starthexsortkey."),
    ParamDef::string("endsortkeyprefix").help("With cmsort=sortkey only: stop just before members whose sort key prefix is this text (they are left out). Takes precedence over endhexsortkey."),
    ParamDef::string("startsortkey").deprecated().help("Old name; starthexsortkey replaces it."),
    ParamDef::string("endsortkey").deprecated().help("Old name; endhexsortkey replaces it."),
];

pub static CATEGORYMEMBERS: ModuleDef = ModuleDef {
    prefix: "cm",
    summary: "List the pages, subcategories and files in one category.",
    params: PARAMS,
    cache_mode: CacheMode::Public,
    help_urls: &["https://www.mediawiki.org/wiki/Special:MyLanguage/API:Categorymembers"],
    examples: &[
        (
            "action=query&list=categorymembers&cmtitle=Category:Physics",
            "The first ten members of Category:Physics.",
        ),
        (
            "action=query&generator=categorymembers&gcmtitle=Category:Physics&prop=info",
            "Page information for the first ten members of Category:Physics.",
        ),
    ],
    execute: Some(execute),
    generate: Some(generate),
    ..ModuleDef::new("categorymembers", Group::List, "ApiQueryCategoryMembers")
};

fn unhex(s: &str) -> Option<String> {
    if !s.len().is_multiple_of(2) {
        return None;
    }
    let bytes: Option<Vec<u8>> = (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok())
        .collect();
    Some(String::from_utf8_lossy(&bytes?).into_owned())
}

fn hex(s: &str) -> String {
    s.bytes().map(|b| format!("{b:02x}")).collect()
}

fn run(cx: &mut Cx<'_>, p: &Params) -> ApiResult<(Vec<CategoryMember>, Option<String>)> {
    let category = match (p.str("title"), p.int("pageid")) {
        (Some(_), Some(_)) => return Err(ApiError::invalid_param_mix(&["cmtitle", "cmpageid"])),
        (None, None) => return Err(ApiError::missing_one_of(&["cmtitle", "cmpageid"])),
        (Some(t), None) => match cx.app.titles.parse(t, 0) {
            Ok(t) if t.ns == 14 && t.interwiki.is_empty() => t.dbkey,
            _ => return Err(ApiError::msg(Msg::new("apierror-invalidcategory"))),
        },
        (None, Some(id)) => {
            let mut r = cx.app.store.read().map_err(read_err)?;
            match r.pages_by_ids(&[id]).map_err(read_err)?.into_iter().next() {
                Some(pg) if pg.ns == 14 => pg.title,
                Some(_) => return Err(ApiError::msg(Msg::new("apierror-invalidcategory"))),
                None => return Err(ApiError::msg(Msg::new("apierror-nosuchpageid").p(id))),
            }
        }
    };
    let by_ts = p.str("sort") == Some("timestamp");
    let desc = matches!(
        p.str("dir"),
        Some("desc") | Some("descending") | Some("older")
    );
    let mut q = CategoryMembersQuery {
        category,
        types: if by_ts {
            Vec::new()
        } else {
            p.list("type").to_vec()
        },
        namespaces: namespaces(p, "namespace"),
        by_timestamp: by_ts,
        descending: desc,
        limit: limit(p) + 1,
        ..Default::default()
    };
    if q.types.is_empty() {
        q.types = vec!["page".into(), "subcat".into(), "file".into()];
    }
    let to_mw = |s: &str| {
        crate::util::time::parse_timestamp(s)
            .map(|t| crate::util::time::to_mw(&t))
            .unwrap_or_default()
    };
    if by_ts {
        q.start_time = p.str("start").map(to_mw);
        q.end_time = p.str("end").map(to_mw);
    } else {
        q.start_sortkey = match p.str("startsortkeyprefix") {
            Some(s) => Some(s.to_uppercase()),
            None => p
                .str("starthexsortkey")
                .and_then(unhex)
                .or(p.str("startsortkey").map(|s| s.to_string())),
        };
        q.end_sortkey = match p.str("endsortkeyprefix") {
            Some(s) => Some(s.to_uppercase()),
            None => p
                .str("endhexsortkey")
                .and_then(unhex)
                .or(p.str("endsortkey").map(|s| s.to_string())),
        };
    }
    if let Some(c) = p.str("continue") {
        if by_ts {
            let parts = split_continue(c, 2)?;
            q.cont_key = Some(to_mw(&parts[0]).chars().take(14).collect::<String>());
            if q.cont_key.as_deref() == Some("") {
                q.cont_key = Some(parts[0].clone());
            }
            q.cont_from = Some(cont_int(&parts[1])?);
        } else {
            let parts = split_continue(c, 3)?;
            if !["page", "subcat", "file"].contains(&parts[0].as_str()) {
                return Err(bad_continue());
            }
            q.cont_type = Some(parts[0].clone());
            q.cont_key = Some(unhex(&parts[1]).ok_or_else(bad_continue)?);
            q.cont_from = Some(cont_int(&parts[2])?);
        }
    }
    let limit = q.limit - 1;
    let mut rows = {
        let mut r = cx.app.store.read().map_err(read_err)?;
        r.category_members(&q).map_err(read_err)?
    };
    let next = if rows.len() > limit {
        let extra = rows.split_off(limit);
        extra.first().map(|m| {
            if by_ts {
                format!(
                    "{}|{}",
                    crate::util::time::mw_to_iso(&m.timestamp),
                    m.page.id
                )
            } else {
                format!("{}|{}|{}", m.kind, hex(&m.sortkey), m.page.id)
            }
        })
    } else {
        None
    };
    Ok((rows, next))
}

fn execute(cx: &mut Cx<'_>, p: &Params) -> ApiResult<()> {
    let (rows, next) = run(cx, p)?;
    let props = p.list("prop").to_vec();
    let has = |n: &str| props.iter().any(|x| x == n);
    let mut list = List::new("cm");
    for m in &rows {
        let mut e = crate::api::result::Map::new();
        if has("ids") {
            e.set("pageid", m.page.id);
        }
        if has("title") {
            e.set("ns", m.page.ns);
            e.set("title", title_text(cx, m.page.ns, &m.page.title));
        }
        if has("sortkey") {
            e.set("sortkey", hex(&m.sortkey));
        }
        if has("sortkeyprefix") {
            e.set("sortkeyprefix", m.prefix.as_str());
        }
        if has("type") {
            e.set("type", m.kind.as_str());
        }
        if has("timestamp") {
            e.set("timestamp", crate::util::time::mw_to_iso(&m.timestamp));
        }
        list.push(e);
    }
    if let Some(n) = next {
        cx.add_continue(&CATEGORYMEMBERS, "continue", n);
    }
    cx.result.map_mut("query").set("categorymembers", list);
    Ok(())
}

fn generate(cx: &mut Cx<'_>, p: &Params) -> ApiResult<Generated> {
    let (rows, next) = run(cx, p)?;
    let mut g = Generated {
        pages: rows.into_iter().map(|m| m.page).collect(),
        ..Generated::default()
    };
    if let Some(n) = next {
        g.continues.push(("continue", n.into()));
    }
    Ok(g)
}
