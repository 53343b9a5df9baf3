//! `action=query`: runs meta, list and prop submodules over a page set.
//! https://www.mediawiki.org/wiki/API:Query (mirrors includes/api/ApiQuery.php)

use crate::api::error::ApiResult;
use crate::api::params::{PType, ParamDef, Params, SubGroup};
use crate::api::{Cx, Group, ModuleDef};

pub mod tokens;
pub mod userinfo;
pub mod users;

/// Query submodules (meta, list, prop).
pub static SUBMODULES: &[&ModuleDef] = &[&tokens::TOKENS, &userinfo::USERINFO, &users::USERS];

pub fn submodule(name: &str) -> Option<&'static ModuleDef> {
    SUBMODULES.iter().copied().find(|m| m.name == name)
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
        .help("Which properties to get for the queried pages."),
    ParamDef::new("list", PType::Submodule(SubGroup::List))
        .multi()
        .help("Which lists to get."),
    ParamDef::new("meta", PType::Submodule(SubGroup::Meta))
        .multi()
        .help("Which metadata to get."),
];

pub static QUERY: ModuleDef = ModuleDef {
    summary: "Fetch data from and about the wiki.",
    params: PARAMS,
    help_urls: &["https://www.mediawiki.org/wiki/Special:MyLanguage/API:Query"],
    execute: Some(execute),
    ..ModuleDef::new("query", Group::Action, "ApiQuery")
};

fn execute(cx: &mut Cx<'_>, p: &Params) -> ApiResult<()> {
    cx.result.prepend("batchcomplete", true);
    // Placeholder until the query frame lands: run list and meta submodules in order;
    // the answer is as cacheable as its least cacheable part.
    cx.cache_mode = crate::api::CacheMode::Public;
    for group in ["list", "meta"] {
        for name in p.list(group).to_vec() {
            let Some(m) = submodule(&name) else { continue };
            let params = cx.params_for(m, m.prefix)?;
            let saved = std::mem::replace(&mut cx.module_path, m.path());
            if let Some(exec) = m.execute {
                exec(cx, &params).map_err(|e| e.in_module(&m.path()))?;
            }
            cx.module_path = saved;
        }
    }
    Ok(())
}
