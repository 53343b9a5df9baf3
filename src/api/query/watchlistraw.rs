//! `list=watchlistraw`: the titles on a user's watchlist; usable as a generator.
//! https://www.mediawiki.org/wiki/API:Watchlistraw (mirrors includes/api/ApiQueryWatchlistRaw.php)

use crate::api::error::{ApiError, ApiResult};
use crate::api::message::Msg;
use crate::api::params::{PType, ParamDef, Params};
use crate::api::query::linkutil::{bad_continue, read_err, title_text};
use crate::api::query::pageset::{escape_wikitext, Generated};
use crate::api::result::{List, Map};
use crate::api::{Cx, Group, ModuleDef};
use crate::storage::lists::{WatchedItem, WatchedQuery};
use crate::util::time;

static PARAMS: &[ParamDef] = &[
    ParamDef::string("continue").help(
        "When more results are available, use this to continue. The value comes from the \
         continue section of the previous answer.",
    ),
    ParamDef::new("namespace", PType::Namespace)
        .multi()
        .allow_all()
        .help("Only titles in these namespaces."),
    ParamDef::limit("limit", 500, 5000)
        .default("10")
        .help("Largest number of titles in one answer."),
    ParamDef::enumeration("prop", &["changed"])
        .multi()
        .help("What else to tell about each title.")
        .value_help(&[(
            "changed",
            "When the user was last notified of a change to the page.",
        )]),
    ParamDef::enumeration("show", &["!changed", "changed"])
        .multi()
        .help("Only titles with (changed) or without (!changed) an unseen change."),
    ParamDef::new("owner", PType::User)
        .user_types(&["name"])
        .help("Read the watchlist of this user instead of your own; needs wrtoken."),
    ParamDef::string("token")
        .sensitive()
        .help("The watchlist token of the user named by wrowner (from their preferences)."),
    ParamDef::enumeration("dir", &["ascending", "descending"])
        .default("ascending")
        .help("Order of the titles."),
    ParamDef::string("fromtitle").help("List titles from this one on (with its namespace prefix)."),
    ParamDef::string("totitle").help("List titles up to this one (with its namespace prefix)."),
];

pub static WATCHLISTRAW: ModuleDef = ModuleDef {
    prefix: "wr",
    summary: "List the titles on the watchlist of the current user (or of another user who shared the watchlist token).",
    params: PARAMS,
    help_urls: &["https://www.mediawiki.org/wiki/Special:MyLanguage/API:Watchlistraw"],
    examples: &[
        ("action=query&list=watchlistraw", "The titles on your watchlist."),
        (
            "action=query&generator=watchlistraw&gwrshow=changed&prop=info",
            "Page information for the watched pages with changes you have not seen.",
        ),
    ],
    execute: Some(execute),
    generate: Some(generate),
    ..ModuleDef::new("watchlistraw", Group::List, "ApiQueryWatchlistRaw")
};

/// `ApiBase::getWatchlistUser`: the owner named with a matching token, else the
/// logged-in user with the right to read their watchlist. Returns the user id.
pub fn watchlist_user(cx: &mut Cx<'_>, p: &Params) -> ApiResult<i64> {
    if let (Some(owner), Some(token)) = (p.str("owner"), p.str("token")) {
        let mut r = cx.app.store.read().map_err(read_err)?;
        let name = crate::wiki::title::ucfirst(&owner.replace('_', " "));
        let Some(user) = r.user_by_name(&name).map_err(read_err)? else {
            return Err(ApiError::coded(
                "bad_wlowner",
                Msg::new("nosuchusershort").p(escape_wikitext(owner)),
            ));
        };
        let stored = r
            .user_option(user.id, "watchlisttoken")
            .map_err(read_err)?
            .unwrap_or_default();
        let same = stored.len() == token.len()
            && subtle::ConstantTimeEq::ct_eq(stored.as_bytes(), token.as_bytes()).into();
        if stored.is_empty() || !same {
            return Err(ApiError::coded(
                "bad_wltoken",
                Msg::new("apierror-bad-watchlist-token"),
            ));
        }
        return Ok(user.id);
    }
    if cx.user.is_anon() {
        return Err(ApiError::coded(
            "notloggedin",
            Msg::new("watchlistanontext"),
        ));
    }
    if !cx.user.has("viewmywatchlist") {
        let action = crate::api::message::english("action-viewmywatchlist").unwrap_or("");
        return Err(ApiError::coded(
            "permissiondenied",
            Msg::new("apierror-permissiondenied").p(action),
        ));
    }
    Ok(cx.user.id)
}

/// `parsePrefixedTitlePart`: a title fragment with its namespace, as a key.
fn title_part(cx: &Cx<'_>, part: &str) -> ApiResult<(i32, String)> {
    let bad = || {
        ApiError::coded(
            "invalidtitle",
            Msg::new("apierror-invalidtitle").p(escape_wikitext(part)),
        )
    };
    let t = cx
        .app
        .titles
        .parse(&format!("{part}X"), 0)
        .map_err(|_| bad())?;
    if !t.interwiki.is_empty() || !t.fragment.is_empty() {
        return Err(bad());
    }
    let mut key = t.dbkey;
    key.pop();
    Ok((t.ns, key))
}

fn run(cx: &mut Cx<'_>, p: &Params) -> ApiResult<(Vec<WatchedItem>, Option<String>)> {
    let user = watchlist_user(cx, p)?;
    let show = p.list("show").to_vec();
    let changed = show.iter().any(|s| s == "changed");
    let not_changed = show.iter().any(|s| s == "!changed");
    if changed && not_changed {
        return Err(ApiError::coded("show", Msg::new("apierror-show")));
    }
    let limit = p.int("limit").unwrap_or(10).max(1) as usize;
    let mut q = WatchedQuery {
        user,
        namespaces: p.given("namespace").then(|| {
            p.list("namespace")
                .iter()
                .filter_map(|n| n.parse().ok())
                .collect()
        }),
        changed: if changed {
            Some(true)
        } else if not_changed {
            Some(false)
        } else {
            None
        },
        descending: p.str("dir") == Some("descending"),
        now: time::to_mw(&time::now()),
        limit: limit + 1,
        ..WatchedQuery::default()
    };
    if let Some(c) = p.str("continue") {
        let (ns, title) = c.split_once('|').ok_or_else(bad_continue)?;
        let n: i32 = ns.parse().map_err(|_| bad_continue())?;
        if n.to_string() != ns || title.is_empty() {
            return Err(bad_continue());
        }
        q.start = Some((n, title.to_string()));
    }
    if let Some(f) = p.str("fromtitle") {
        q.from = Some(title_part(cx, f)?);
    }
    if let Some(t) = p.str("totitle") {
        q.until = Some(title_part(cx, t)?);
    }
    let mut r = cx.app.store.read().map_err(read_err)?;
    let mut rows = r.watched_items(&q).map_err(read_err)?;
    let next = if rows.len() > limit {
        rows.split_off(limit)
            .first()
            .map(|x| format!("{}|{}", x.ns, x.title))
    } else {
        None
    };
    Ok((rows, next))
}

fn execute(cx: &mut Cx<'_>, p: &Params) -> ApiResult<()> {
    let (rows, next) = run(cx, p)?;
    let changed = p.list("prop").iter().any(|x| x == "changed");
    let mut list = List::new("wr");
    for row in &rows {
        let mut m = Map::new()
            .with("ns", row.ns)
            .with("title", title_text(cx, row.ns, &row.title));
        if changed {
            if let Some(n) = &row.notification {
                m.set("changed", time::mw_to_iso(n));
            }
        }
        list.push(m);
    }
    if let Some(n) = next {
        cx.add_continue(&WATCHLISTRAW, "continue", n);
    }
    cx.result.set("watchlistraw", list);
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
