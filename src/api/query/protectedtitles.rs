//! `list=protectedtitles`: titles that may not be created (create protection);
//! usable as a generator.
//! https://www.mediawiki.org/wiki/API:Protectedtitles (mirrors includes/api/ApiQueryProtectedTitles.php)

use crate::api::error::ApiResult;
use crate::api::message::html_escape;
use crate::api::params::{PType, ParamDef, Params};
use crate::api::query::linkutil::{bad_continue, read_err, title_text};
use crate::api::query::pageset::Generated;
use crate::api::result::{List, Map};
use crate::api::{CacheMode, Cx, Group, ModuleDef};
use crate::storage::lists::{ProtectedTitle, ProtectedTitleQuery};
use crate::util::time;

static PARAMS: &[ParamDef] = &[
    ParamDef::new("namespace", PType::Namespace)
        .multi()
        .allow_all()
        .help("Only titles in these namespaces."),
    ParamDef::enumeration("level", &["autoconfirmed", "sysop"])
        .multi()
        .help("Only titles protected at these levels."),
    ParamDef::limit("limit", 500, 5000)
        .default("10")
        .help("Largest number of titles in one answer."),
    ParamDef::enumeration("dir", &["newer", "older"])
        .default("older")
        .help("Order of the protection times.")
        .value_help(&[
            (
                "newer",
                "Oldest protection first; ptstart must then be before ptend.",
            ),
            (
                "older",
                "Newest protection first (the default); ptstart must then be after ptend.",
            ),
        ]),
    ParamDef::new("start", PType::Timestamp).help("List protections from this time on."),
    ParamDef::new("end", PType::Timestamp).help("List protections up to this time."),
    ParamDef::enumeration(
        "prop",
        &[
            "comment",
            "expiry",
            "level",
            "parsedcomment",
            "timestamp",
            "user",
            "userid",
        ],
    )
    .multi()
    .default("timestamp|level")
    .help("What to tell about each protection.")
    .value_help(&[
        ("timestamp", "When the protection was set."),
        ("user", "Who set the protection."),
        ("userid", "The id of who set the protection."),
        ("comment", "The reason given for the protection."),
        ("parsedcomment", "The reason, rendered as HTML."),
        ("expiry", "When the protection ends."),
        ("level", "Who may still create the page."),
    ]),
    ParamDef::string("continue").help(
        "When more results are available, use this to continue. The value comes from the \
         continue section of the previous answer.",
    ),
];

pub static PROTECTEDTITLES: ModuleDef = ModuleDef {
    cache_mode: CacheMode::Public,
    prefix: "pt",
    summary: "List titles that are protected against creation.",
    params: PARAMS,
    help_urls: &["https://www.mediawiki.org/wiki/Special:MyLanguage/API:Protectedtitles"],
    examples: &[
        (
            "action=query&list=protectedtitles",
            "Titles that may not be created.",
        ),
        (
            "action=query&generator=protectedtitles&gptnamespace=0&prop=linkshere",
            "Pages linking to protected titles of the main namespace.",
        ),
    ],
    execute: Some(execute),
    generate: Some(generate),
    ..ModuleDef::new("protectedtitles", Group::List, "ApiQueryProtectedTitles")
};

fn run(cx: &mut Cx<'_>, p: &Params) -> ApiResult<(Vec<ProtectedTitle>, Option<String>)> {
    let newer = p.str("dir") == Some("newer");
    let limit = p.int("limit").unwrap_or(10).max(1) as usize;
    let ts = |name: &str| {
        p.str(name)
            .and_then(time::parse_timestamp)
            .map(|t| time::to_mw(&t))
    };
    let mut q = ProtectedTitleQuery {
        namespaces: p.given("namespace").then(|| {
            p.list("namespace")
                .iter()
                .filter_map(|n| n.parse().ok())
                .collect()
        }),
        levels: p.given("level").then(|| p.list("level").to_vec()),
        newer,
        start: ts("start").map(|t| (t, None)),
        end: ts("end"),
        limit: limit + 1,
    };
    if let Some(c) = p.str("continue") {
        let parts: Vec<&str> = c.splitn(3, '|').collect();
        if parts.len() != 3 {
            return Err(bad_continue());
        }
        let ns: i32 = parts[1].trim().parse().map_err(|_| bad_continue())?;
        let stamp = time::parse_timestamp(parts[0])
            .map(|t| time::to_mw(&t))
            .ok_or_else(bad_continue)?;
        q.start = Some((stamp, Some((ns, parts[2].to_string()))));
    }
    let mut r = cx.app.store.read().map_err(read_err)?;
    let mut rows = r.protected_titles(&q).map_err(read_err)?;
    let next = if rows.len() > limit {
        rows.split_off(limit)
            .first()
            .map(|x| format!("{}|{}|{}", x.timestamp, x.ns, x.title))
    } else {
        None
    };
    Ok((rows, next))
}

fn execute(cx: &mut Cx<'_>, p: &Params) -> ApiResult<()> {
    let (rows, next) = run(cx, p)?;
    let props = p.list("prop").to_vec();
    let has = |n: &str| props.iter().any(|x| x == n);
    let mut list = List::new("pt");
    for row in &rows {
        let mut m = Map::new()
            .with("ns", row.ns)
            .with("title", title_text(cx, row.ns, &row.title));
        if has("timestamp") {
            m.set("timestamp", time::mw_to_iso(&row.timestamp));
        }
        if has("user") && !row.user_name.is_empty() {
            m.set("user", row.user_name.as_str());
        }
        if has("userid") || has("user") {
            m.set("userid", row.user_id);
        }
        if has("comment") {
            m.set("comment", row.reason.as_str());
        }
        if has("parsedcomment") {
            m.set("parsedcomment", html_escape(&row.reason));
        }
        if has("expiry") {
            m.set(
                "expiry",
                match &row.expiry {
                    Some(e) => time::mw_to_iso(e),
                    None => "infinity".to_string(),
                },
            );
        }
        if has("level") {
            m.set("level", row.level.as_str());
        }
        list.push(m);
    }
    if let Some(n) = next {
        cx.add_continue(&PROTECTEDTITLES, "continue", n);
    }
    cx.result.map_mut("query").set("protectedtitles", list);
    Ok(())
}

fn generate(cx: &mut Cx<'_>, p: &Params) -> ApiResult<Generated> {
    let (rows, next) = run(cx, p)?;
    let mut g = Generated::default();
    for row in rows {
        g.titles.push((row.ns, row.title));
    }
    if let Some(n) = next {
        g.continues.push(("continue", n.into()));
    }
    Ok(g)
}
