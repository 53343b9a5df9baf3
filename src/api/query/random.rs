//! `list=random`: pages picked at random (by their stored random number);
//! usable as a generator.
//! https://www.mediawiki.org/wiki/API:Random (mirrors includes/api/ApiQueryRandom.php)

use crate::api::error::{ApiError, ApiResult};
use crate::api::params::{PType, ParamDef, Params};
use crate::api::query::linkutil::{bad_continue, read_err, title_text};
use crate::api::query::pageset::Generated;
use crate::api::result::{List, Map};
use crate::api::{CacheMode, Cx, Group, ModuleDef};
use crate::storage::Page;

static PARAMS: &[ParamDef] = &[
    ParamDef::new("namespace", PType::Namespace)
        .multi()
        .allow_all()
        .help("Only pages of these namespaces (all when left out)."),
    ParamDef::enumeration("filterredir", &["all", "redirects", "nonredirects"])
        .default("nonredirects")
        .help("Whether to pick redirects, other pages, or both."),
    ParamDef::boolean("redirect")
        .deprecated()
        .help("Pick redirects only; the same as filterredir=redirects."),
    ParamDef::limit("limit", 500, 5000)
        .default("1")
        .help("How many pages to pick."),
    ParamDef::string("continue").help(
        "When more results are available, use this to continue. The value comes from the \
         continue section of the previous answer.",
    ),
];

pub static RANDOM: ModuleDef = ModuleDef {
    cache_mode: CacheMode::Public,
    prefix: "rn",
    summary: "Pick pages at random.",
    extra_help: &[
        "The pages come in a fixed order that starts at a random point, so the same pages tend to follow each other; this suits sampling, not secrecy.",
    ],
    params: PARAMS,
    help_urls: &["https://www.mediawiki.org/wiki/Special:MyLanguage/API:Random"],
    examples: &[
        (
            "action=query&list=random&rnnamespace=0&rnlimit=2",
            "Two random pages of the main namespace.",
        ),
        (
            "action=query&generator=random&grnnamespace=0&grnlimit=2&prop=info",
            "Page information for two random pages of the main namespace.",
        ),
    ],
    execute: Some(execute),
    generate: Some(generate),
    ..ModuleDef::new("random", Group::List, "ApiQueryRandom")
};

fn is_fraction(s: &str) -> bool {
    s.strip_prefix("0.")
        .is_some_and(|d| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit()))
}

struct Run {
    rows: Vec<(Page, f64)>,
    /// `rncontinue` for the next batch.
    next: Option<String>,
    /// What a generator repeats while prop modules continue.
    noncontinue: String,
}

fn run(cx: &mut Cx<'_>, p: &Params, prefix: &str) -> ApiResult<Run> {
    if cx.req.get(&format!("{prefix}filterredir")).is_some() && p.flag("redirect") {
        let a = format!("{prefix}filterredir");
        let b = format!("{prefix}redirect");
        return Err(ApiError::invalid_param_mix(&[a.as_str(), b.as_str()]));
    }
    let (rand, start, start_id, mut end): (String, String, i64, Option<String>) =
        match p.str("continue") {
            Some(c) => {
                let parts: Vec<&str> = c.split('|').collect();
                if parts.len() != 4 {
                    return Err(bad_continue());
                }
                let id: i64 = parts[2].parse().unwrap_or(0);
                if !is_fraction(parts[0])
                    || !is_fraction(parts[1])
                    || parts[2] != id.to_string()
                    || (parts[3] != "0" && parts[3] != "1")
                {
                    return Err(bad_continue());
                }
                let end = (parts[3] == "1").then(|| parts[0].to_string());
                (parts[0].to_string(), parts[1].to_string(), id, end)
            }
            None => {
                let r = format!("{:.12}", rand::random::<f64>());
                (r.clone(), r, 0, None)
            }
        };
    let noncontinue = format!(
        "{rand}|{start}|{start_id}|{}",
        if end.is_some() { 1 } else { 0 }
    );
    let namespaces: Option<Vec<i32>> = p.given("namespace").then(|| {
        p.list("namespace")
            .iter()
            .filter_map(|n| n.parse().ok())
            .collect()
    });
    let redirects = if p.flag("redirect") || p.str("filterredir") == Some("redirects") {
        Some(true)
    } else if p.str("filterredir") == Some("nonredirects") {
        Some(false)
    } else {
        None
    };
    let limit = p.int("limit").unwrap_or(1).max(1) as usize;
    let num = |s: &str| s.parse::<f64>().unwrap_or(0.0);
    let mut r = cx.app.store.read().map_err(read_err)?;
    let mut query = |start: Option<(f64, i64)>,
                     end: Option<f64>,
                     limit: usize|
     -> ApiResult<(Vec<(Page, f64)>, Option<String>)> {
        let mut rows = r
            .random_pages(namespaces.as_deref(), redirects, start, end, limit + 1)
            .map_err(read_err)?;
        let cont = if rows.len() > limit {
            let extra = rows.split_off(limit);
            extra.first().map(|(pg, v)| format!("{v}|{}", pg.id))
        } else {
            None
        };
        Ok((rows, cont))
    };
    let (mut rows, mut cont) = query(
        Some((num(&start), start_id)),
        end.as_deref().map(num),
        limit,
    )?;
    if end.is_none() && cont.is_none() {
        // Wrap around to the pages before the starting point.
        end = Some(rand.clone());
        let left = limit - rows.len();
        let (more, c) = query(None, Some(num(&rand)), left)?;
        rows.extend(more);
        cont = c;
    }
    let next = cont.map(|c| format!("{rand}|{c}|{}", if end.is_some() { 1 } else { 0 }));
    Ok(Run {
        rows,
        next,
        noncontinue,
    })
}

fn execute(cx: &mut Cx<'_>, p: &Params) -> ApiResult<()> {
    let res = run(cx, p, RANDOM.prefix)?;
    let show_redirect = p.str("filterredir") == Some("all") && !p.flag("redirect");
    let mut list = List::new("page");
    for (row, _) in &res.rows {
        let mut m = Map::new()
            .with("id", row.id)
            .with("ns", row.ns)
            .with("title", title_text(cx, row.ns, &row.title));
        if show_redirect {
            m.set("redirect", row.is_redirect);
        }
        list.push(m);
    }
    if let Some(n) = res.next {
        cx.add_continue(&RANDOM, "continue", n);
    }
    cx.result.map_mut("query").set("random", list);
    Ok(())
}

fn generate(cx: &mut Cx<'_>, p: &Params) -> ApiResult<Generated> {
    let res = run(cx, p, "grn")?;
    if let Some(c) = cx.continuation.as_mut() {
        c.add_generator_noncontinue(RANDOM.name, "grncontinue", res.noncontinue.clone());
    }
    let mut g = Generated {
        pages: res.rows.into_iter().map(|(pg, _)| pg).collect(),
        ..Generated::default()
    };
    if let Some(n) = res.next {
        g.continues.push(("continue", n.into()));
    }
    Ok(g)
}
