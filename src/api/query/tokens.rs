//! `meta=tokens`: tokens for data-modifying actions.
//! https://www.mediawiki.org/wiki/API:Tokens (mirrors includes/api/ApiQueryTokens.php)

use crate::api::error::ApiResult;
use crate::api::message::Msg;
use crate::api::params::{ParamDef, Params};
use crate::api::result::Map;
use crate::api::{CacheMode, Cx, Group, ModuleDef};
use crate::auth::tokens::TYPE_NAMES;

static PARAMS: &[ParamDef] = &[ParamDef::enumeration("type", TYPE_NAMES)
    .multi()
    .allow_all()
    .default("csrf")
    .help("The kinds of token wanted.")];

pub static TOKENS: ModuleDef = ModuleDef {
    read_rights: false,
    summary: "Get tokens for actions that change data.",
    params: PARAMS,
    help_urls: &["https://www.mediawiki.org/wiki/Special:MyLanguage/API:Tokens"],
    examples: &[
        (
            "action=query&meta=tokens",
            "Ask for the default token, the csrf one.",
        ),
        (
            "action=query&meta=tokens&type=watch|patrol",
            "Ask for both a watch and a patrol token.",
        ),
    ],
    execute: Some(execute),
    ..ModuleDef::new("tokens", Group::Meta, "ApiQueryTokens")
};

#[tracing::instrument(skip_all)]
fn execute(cx: &mut Cx<'_>, p: &Params) -> ApiResult<()> {
    cx.cache_mode = CacheMode::Private;
    if cx.session.suppressed {
        cx.warn("tokens-origin", Msg::new("apiwarn-tokens-origin"));
        return Ok(());
    }
    let mut out = Map::new();
    for t in p.list("type") {
        if let Some(token) = cx.session.token(&cx.user, t) {
            out.set(format!("{t}token"), token);
        }
    }
    cx.result.map_mut("query").set("tokens", out);
    Ok(())
}
