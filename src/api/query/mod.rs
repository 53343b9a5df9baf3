//! `action=query`: runs prop, list and meta submodules over a page set.
//! https://www.mediawiki.org/wiki/API:Query (mirrors includes/api/ApiQuery.php)
//!
//! Order of work, as MediaWiki does it: the requested submodules are collected
//! (prop, then list, then meta, each in request order, duplicates dropped), the
//! continuation manager reads `continue` and decides which of them run, the page
//! set is filled (titles/pageids/revids or a generator) and its general page
//! information written, then every submodule validates its own parameters and
//! runs. Last, `continue`/`batchcomplete` (or `query-continue`) go on top.

pub mod allcategories;
pub mod alldeletedrevisions;
pub mod alllinks;
pub mod allpages;
pub mod allrevisions;
pub mod backlinks;
pub mod backlinksprop;
pub mod categories;
pub mod categorymembers;
pub mod continuation;
pub mod deletedrevisions;
pub mod deletedrevs;
pub mod extlinks;
pub mod exturlusage;
pub mod info;
pub mod iwbacklinks;
pub mod iwlinks;
pub mod links;
pub mod linkutil;
pub mod logevents;
pub mod pageprops;
pub mod pageset;
pub mod pageswithprop;
pub mod prefixsearch;
pub mod protectedtitles;
pub mod querypage;
pub mod random;
pub mod recentchanges;
pub mod revisions;
pub mod search;
pub mod siteinfo;
pub mod tags;

use crate::api::error::{ApiError, ApiResult};
use crate::api::message::Msg;
use crate::api::params::{PType, ParamDef, Params, SubGroup};
use crate::api::request::Method;
use crate::api::result::{List, Val};
use crate::api::CacheMode;
use crate::api::{Cx, Group, ModuleDef};

use continuation::Continuation;
use pageset::{DataSource, PageSet};
pub mod tokens;
pub mod userinfo;
pub mod users;
pub mod watchlist;
pub mod watchlistraw;

/// Query submodules (meta, list, prop).
pub static SUBMODULES: &[&ModuleDef] = &[
    &allpages::ALLPAGES,
    &siteinfo::SITEINFO,
    &tokens::TOKENS,
    &userinfo::USERINFO,
    &users::USERS,
    &info::INFO,
    &revisions::REVISIONS,
    &recentchanges::RECENTCHANGES,
    &logevents::LOGEVENTS,
    &allrevisions::ALLREVISIONS,
    &tags::TAGS,
    &deletedrevisions::DELETEDREVISIONS,
    &alldeletedrevisions::ALLDELETEDREVISIONS,
    &deletedrevs::DELETEDREVS,
    &links::LINKS,
    &links::TEMPLATES,
    &categories::CATEGORIES,
    &backlinksprop::LINKSHERE,
    &backlinksprop::TRANSCLUDEDIN,
    &backlinksprop::REDIRECTS,
    &backlinks::BACKLINKS,
    &backlinks::EMBEDDEDIN,
    &categorymembers::CATEGORYMEMBERS,
    &extlinks::EXTLINKS,
    &iwlinks::IWLINKS,
    &pageprops::PAGEPROPS,
    &alllinks::ALLLINKS,
    &alllinks::ALLTRANSCLUSIONS,
    &alllinks::ALLREDIRECTS,
    &allcategories::ALLCATEGORIES,
    &exturlusage::EXTURLUSAGE,
    &pageswithprop::PAGESWITHPROP,
    &iwbacklinks::IWBACKLINKS,
    &iwbacklinks::LANGBACKLINKS,
    &search::SEARCH,
    &prefixsearch::PREFIXSEARCH,
    &random::RANDOM,
    &protectedtitles::PROTECTEDTITLES,
    &querypage::QUERYPAGE,
    &watchlist::WATCHLIST,
    &watchlistraw::WATCHLISTRAW,
];

/// A submodule by name, in any group.
pub fn submodule(name: &str) -> Option<&'static ModuleDef> {
    SUBMODULES.iter().copied().find(|m| m.name == name)
}

/// A submodule by group and name.
pub fn submodule_in(group: Group, name: &str) -> Option<&'static ModuleDef> {
    SUBMODULES
        .iter()
        .copied()
        .find(|m| m.group == group && m.name == name)
}

pub fn names(group: Group, _generators_only: bool) -> Vec<String> {
    SUBMODULES
        .iter()
        .filter(|m| m.group == group)
        .map(|m| m.name.to_string())
        .collect()
}

pub fn generator_names() -> Vec<String> {
    SUBMODULES
        .iter()
        .filter(|m| m.generate.is_some())
        .map(|m| m.name.to_string())
        .collect()
}

static PARAMS: &[ParamDef] = &[
    ParamDef::new("prop", PType::Submodule(SubGroup::Prop))
        .multi()
        .help("Properties to read for each page of the page set."),
    ParamDef::new("list", PType::Submodule(SubGroup::List))
        .multi()
        .help("Lists of pages or other items to read."),
    ParamDef::new("meta", PType::Submodule(SubGroup::Meta))
        .multi()
        .help("Facts about the wiki or the user to read."),
    ParamDef::boolean("indexpageids").help("Also answer with the ids of the returned pages as a plain list (pageids)."),
    ParamDef::boolean("export").help("Add an XML export of the latest revision of every page in the page set."),
    ParamDef::boolean("exportnowrap")
        .help("Answer with the bare export XML (as Special:Export gives it) instead of a result wrapping it; only with export."),
    ParamDef::enumeration("exportschema", &["0.10", "0.11"])
        .default("0.11")
        .help("Version of the export XML schema; only with export."),
    ParamDef::boolean("iwurl").help("For interwiki titles, also give the URL they point to."),
    ParamDef::string("continue").help(
        "Resume an earlier query: send this together with the other values of the continue \
         section of its answer.",
    ),
    ParamDef::boolean("rawcontinue").help("Answer with the old query-continue block instead of continue."),
    crate::api::pageset::PAGESET_PARAMS[0],
    crate::api::pageset::PAGESET_PARAMS[1],
    crate::api::pageset::PAGESET_PARAMS[2],
    crate::api::pageset::PAGESET_PARAMS[3],
    crate::api::pageset::PAGESET_PARAMS[4],
    crate::api::pageset::PAGESET_PARAMS[5],
];

pub static QUERY: ModuleDef = ModuleDef {
    summary: "Read pages, lists and facts from the wiki.",
    extra_help: &[
        "Write actions need a token, which is read here with meta=tokens; this protects users from requests forged by other sites.",
    ],
    params: PARAMS,
    help_urls: &[
        "https://www.mediawiki.org/wiki/Special:MyLanguage/API:Query",
        "https://www.mediawiki.org/wiki/Special:MyLanguage/API:Meta",
        "https://www.mediawiki.org/wiki/Special:MyLanguage/API:Properties",
        "https://www.mediawiki.org/wiki/Special:MyLanguage/API:Lists",
    ],
    examples: &[
        (
            "action=query&prop=revisions&meta=siteinfo&titles=Main%20Page&rvprop=user|comment&continue=",
            "Site facts together with the revisions of Main Page.",
        ),
        (
            "action=query&generator=allpages&gapprefix=API/&prop=revisions&continue=",
            "Revisions of every page whose title starts with API/.",
        ),
    ],
    execute: Some(execute),
    ..ModuleDef::new("query", Group::Action, "ApiQuery")
};

fn execute(cx: &mut Cx<'_>, p: &Params) -> ApiResult<()> {
    // Requested submodules: prop, list, meta; duplicates dropped.
    let mut modules: Vec<&'static ModuleDef> = Vec::new();
    let mut prop_names: Vec<String> = Vec::new();
    for (param, group) in [
        ("prop", Group::Prop),
        ("list", Group::List),
        ("meta", Group::Meta),
    ] {
        for name in p.list(param) {
            let Some(def) = submodule_in(group, name) else {
                continue;
            };
            if cx.req.method != Method::Post && def.must_post {
                return Err(ApiError::must_be_posted(def.name));
            }
            if !modules.iter().any(|m| m.name == def.name) {
                modules.push(def);
                if group == Group::Prop {
                    prop_names.push(def.name.to_string());
                }
            }
        }
    }
    let names: Vec<String> = modules.iter().map(|m| m.name.to_string()).collect();
    let cont = Continuation::new(cx.req, &names, &prop_names)?;
    // Modules skipped by `continue` still read their parameters (no unknown-
    // parameter warnings for them).
    for def in &modules {
        if !cont.runs(def.name) {
            cx.params_for(def, def.prefix)?;
        }
    }
    let generator_done = cont.generator_done();
    cx.continuation = Some(cont);

    let mut ps = PageSet::new(p.flag("redirects"));
    ps.convert_titles = p.flag("converttitles");
    // A generator may narrow the cache mode while it runs (e.g. allrevisions
    // for a user who can see deleted revisions); start from public to see it.
    cx.cache_mode = CacheMode::Public;
    if generator_done {
        // Validates the generator and marks its parameters as used.
        if PageSet::data_source(p)? == DataSource::Generator {
            run_generator(cx, p, &mut ps, true)?;
        }
    } else {
        if PageSet::data_source(p)? == DataSource::Generator {
            run_generator(cx, p, &mut ps, false)?;
        } else {
            ps.populate(cx, p, "")?;
        }
        output_general_page_info(cx, p, &ps)?;
    }
    cx.pageset = Some(ps);

    // The answer may be cached only as far as every submodule allows, the
    // generator included (MediaWiki's page set takes on its cache mode).
    let generator_mode = p
        .str("generator")
        .and_then(submodule)
        .map(|g| g.cache_mode)
        .unwrap_or(CacheMode::Public)
        .max(cx.cache_mode);
    cx.cache_mode = modules
        .iter()
        .map(|m| m.cache_mode)
        .max()
        .unwrap_or(CacheMode::Public)
        .max(CacheMode::Public)
        .max(generator_mode);

    for def in &modules {
        let runs = cx.continuation.as_ref().is_some_and(|c| c.runs(def.name));
        if !runs {
            continue;
        }
        let path = def.path();
        let saved = std::mem::replace(&mut cx.module_path, path.clone());
        let params = cx.params_for(def, def.prefix)?;
        let exec = def
            .execute
            .ok_or_else(|| ApiError::internal(anyhow::anyhow!("module {path} cannot run")))?;
        exec(cx, &params).map_err(|e| e.in_module(&path))?;
        cx.module_path = saved;
    }

    let cont = cx.continuation.take().unwrap_or_default();
    cx.pageset = None;
    if p.flag("rawcontinue") {
        let non = cont.raw_noncontinuation();
        if !non.is_empty() {
            cx.result.prepend("query-noncontinue", non);
        }
        let raw = cont.raw_continuation();
        if !raw.is_empty() {
            cx.result.prepend("query-continue", raw);
        }
    } else {
        cont.set_into_result(&mut cx.result);
    }
    Ok(())
}

/// Runs `generator=` (only validating it when `dry`), feeding its pages to `ps`.
pub(crate) fn run_generator(
    cx: &mut Cx<'_>,
    p: &Params,
    ps: &mut PageSet,
    dry: bool,
) -> ApiResult<()> {
    let name = p.str("generator").unwrap_or_default().to_string();
    let def = submodule(&name).ok_or_else(|| {
        ApiError::coded(
            "badgenerator",
            Msg::new("apierror-badgenerator-unknown").p(name.clone()),
        )
    })?;
    let generate = def.generate.ok_or_else(|| {
        ApiError::coded(
            "badgenerator",
            Msg::new("apierror-badgenerator-notgenerator").p(name.clone()),
        )
    })?;
    let prefix = format!("g{}", def.prefix);
    let path = def.path();
    let saved = std::mem::replace(&mut cx.module_path, path.clone());
    let gp = cx.params_for(def, &prefix)?;
    if dry {
        cx.module_path = saved;
        return Ok(());
    }
    let generated = generate(cx, &gp).map_err(|e| e.in_module(&path))?;
    cx.module_path = saved;
    if let Some(c) = cx.continuation.as_mut() {
        for (k, v) in &generated.continues {
            c.add_generator(def.name, &format!("{prefix}{k}"), v.clone());
        }
    }
    ps.add_generated(cx, generated)
}

/// `normalized`, `interwiki`, `badrevids`, `pageids` and `pages` of `query`.
fn output_general_page_info(cx: &mut Cx<'_>, p: &Params, ps: &PageSet) -> ApiResult<()> {
    let normalized = ps.normalized_result();
    if !normalized.is_empty() {
        cx.result.map_mut("query").set("normalized", normalized);
    }
    let converted = ps.converted_result();
    if !converted.is_empty() {
        cx.result.map_mut("query").set("converted", converted);
    }
    let interwiki = ps.interwiki_result(cx, p.flag("iwurl"))?;
    if !interwiki.is_empty() {
        cx.result.map_mut("query").set("interwiki", interwiki);
    }
    let redirects = ps.redirects_result();
    if !redirects.is_empty() {
        cx.result.map_mut("query").set("redirects", redirects);
    }
    if !ps.missing_rev_ids.is_empty() {
        let bad = ps.bad_revids_result();
        cx.result.map_mut("query").set("badrevids", bad);
    }
    let pages = ps.general_page_info(cx);
    if !pages.is_empty() {
        let q = cx.result.map_mut("query");
        if p.flag("indexpageids") {
            let ids: Vec<Val> = pages
                .entries
                .iter()
                .map(|(k, _)| Val::str(k.clone()))
                .collect();
            q.set("pageids", List::of("id", ids));
        }
        q.set("pages", pages);
    }
    Ok(())
}
