//! `prop=pageprops`: the page properties of each page (display title, default
//! sort key, …). (mirrors includes/api/ApiQueryPageProps.php)

use crate::api::error::ApiResult;
use crate::api::params::{ParamDef, Params};
use crate::api::query::linkutil::*;
use crate::api::result::Map;
use crate::api::{CacheMode, Cx, Group, ModuleDef};

static PARAMS: &[ParamDef] = &[
    ParamDef::string("continue")
        .help("Resume an earlier request with the value its continue section returned."),
    ParamDef::string("prop")
        .multi()
        .help("Report only these page properties, e.g. to test whether a page sets one of them."),
];

pub static PAGEPROPS: ModuleDef = ModuleDef {
    prefix: "pp",
    summary: "For each page of the set, list the page properties its content sets (display title, default sort key and so on).",
    params: PARAMS,
    cache_mode: CacheMode::Public,
    help_urls: &["https://www.mediawiki.org/wiki/Special:MyLanguage/API:Pageprops"],
    examples: &[(
        "action=query&prop=pageprops&titles=Main%20Page|MediaWiki",
        "The page properties of Main Page and of MediaWiki.",
    )],
    execute: Some(execute),
    ..ModuleDef::new("pageprops", Group::Prop, "ApiQueryPageProps")
};

fn execute(cx: &mut Cx<'_>, p: &Params) -> ApiResult<()> {
    let pages = input_pages(cx)?;
    let after = match p.str("continue") {
        Some(c) => cont_int(c)?,
        None => 0,
    };
    let mut ids: Vec<i64> = pages
        .iter()
        .map(|p| p.id)
        .filter(|id| *id >= after)
        .collect();
    ids.sort_unstable();
    let names = p.list("prop").to_vec();
    let rows = {
        let mut r = cx.app.store.read().map_err(read_err)?;
        r.page_props(&ids, &names).map_err(read_err)?
    };
    let mut cur: Option<(i64, Map)> = None;
    let flush = |cx: &mut Cx<'_>, cur: Option<(i64, Map)>| {
        if let Some((id, m)) = cur {
            set_page_value(cx, id, "pageprops", m);
        }
    };
    for (id, name, value) in rows {
        match &mut cur {
            Some((cid, m)) if *cid == id => {
                m.set(name, value);
            }
            _ => {
                let prev = cur.take();
                flush(cx, prev);
                let mut m = Map::new();
                m.set(name, value);
                cur = Some((id, m));
            }
        }
    }
    flush(cx, cur);
    Ok(())
}
