//! `action=purge`: drop the rendered cache of pages, optionally rebuilding their
//! link tables. https://www.mediawiki.org/wiki/API:Purge (mirrors includes/api/ApiPurge.php)

use crate::api::error::ApiResult;
use crate::api::message::Msg;
use crate::api::pageset::PAGESET_PARAMS;
use crate::api::params::{ParamDef, Params};
use crate::api::query::continuation::Continuation;
use crate::api::query::pageset::{page_title_text, DataSource, PageSet};
use crate::api::result::{List, Map};
use crate::api::{Cx, Group, ModuleDef};
use crate::auth::ratelimit;
use crate::wiki::purge as domain;

static PARAMS: &[ParamDef] = &[
    ParamDef::boolean("forcelinkupdate")
        .help("Also parse each page again and rewrite its link tables now."),
    ParamDef::boolean("forcerecursivelinkupdate").help(
        "Like forcelinkupdate, and also queue link-table updates for every page that \
         transcludes this one.",
    ),
    ParamDef::string("continue").help(
        "When a generator has more pages, pass the continue values of the previous answer \
         to go on.",
    ),
    PAGESET_PARAMS[0],
    PAGESET_PARAMS[1],
    PAGESET_PARAMS[2],
    PAGESET_PARAMS[3],
    PAGESET_PARAMS[4],
    PAGESET_PARAMS[5],
];

pub static PURGE: ModuleDef = ModuleDef {
    write_rights: true,
    must_post: true,
    help_urls: &["https://www.mediawiki.org/wiki/Special:MyLanguage/API:Purge"],
    summary: "Throw away the cached rendering of pages, so the next view renders them anew.",
    extra_help: &["Anonymous users must send a POST request too."],
    params: PARAMS,
    examples: &[
        (
            "action=purge&titles=Main_Page|API",
            "Purge the pages Main Page and API.",
        ),
        (
            "action=purge&generator=allpages&gapnamespace=0&gaplimit=10",
            "Clear the caches of ten pages from the main namespace, the first by title.",
        ),
    ],
    execute: Some(execute),
    ..ModuleDef::new("purge", Group::Action, "ApiPurge")
};

fn execute(cx: &mut Cx<'_>, p: &Params) -> ApiResult<()> {
    let force_recursive = p.flag("forcerecursivelinkupdate");
    let force_links = p.flag("forcelinkupdate") || force_recursive;

    // The page set, with a continuation manager for a generator.
    cx.continuation = Some(Continuation::for_generator_only(cx.req)?);
    let mut ps = PageSet::new(p.flag("redirects"));
    ps.convert_titles = p.flag("converttitles");
    if PageSet::data_source(p)? == DataSource::Generator {
        crate::api::query::run_generator(cx, p, &mut ps, false)?;
    } else {
        ps.populate(cx, p, "")?;
    }

    let mut entries = List::new("page");
    for m in ps.invalid_titles_and_revisions(cx) {
        entries.push(m);
    }

    let now = crate::util::time::to_mw(&crate::util::time::now());
    let mut throttled = false;
    let mut entries_written = false;
    let mut cdn: Vec<(i32, String)> = Vec::new();
    let mut txn = cx.app.store.write()?;
    for page in &ps.good {
        let mut entry = Map::new()
            .with("ns", page.ns)
            .with("title", page_title_text(cx, page));
        if ratelimit::limit(txn.as_mut(), &cx.user, &cx.req.ip, "purge", 1)? {
            throttled = true;
        } else {
            domain::purge_page(txn.as_mut(), page.id, &now)?;
            entry.set("purged", true);
            entries_written = true;
            cdn.push((page.ns, page.title.clone()));
        }
        if force_links {
            if ratelimit::limit(txn.as_mut(), &cx.user, &cx.req.ip, "linkpurge", 1)? {
                throttled = true;
            } else {
                domain::update_links(cx.app, txn.as_mut(), page, force_recursive)?;
                entry.set("linkupdate", true);
                entries_written = true;
            }
        }
        entries.push(entry);
    }
    txn.commit()?;
    cx.wrote = entries_written;
    cx.app.purge_cdn(&cdn);
    if throttled {
        cx.warn("ratelimited", Msg::new("apierror-ratelimited"));
    }

    cx.result.set("purge", entries);
    let normalized = ps.normalized_result();
    if !normalized.is_empty() {
        cx.result.set("normalized", normalized);
    }
    let converted = ps.converted_result();
    if !converted.is_empty() {
        cx.result.set("converted", converted);
    }
    let redirects = ps.redirects_result();
    if !redirects.is_empty() {
        cx.result.set("redirects", redirects);
    }
    if let Some(cont) = cx.continuation.take() {
        cont.set_into_result(&mut cx.result);
    }
    Ok(())
}
