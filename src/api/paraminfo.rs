//! `action=paraminfo`: machine-readable module descriptions from the declarations.
//! https://www.mediawiki.org/wiki/API:Parameter_information (mirrors includes/api/ApiParamInfo.php)

use crate::api::error::ApiResult;
use crate::api::params::{ParamDef, Params};
use crate::api::result::{List, Map};
use crate::api::{module_by_path, Cx, Group, ModuleDef};

static PARAMS: &[ParamDef] = &[
    ParamDef::string("modules")
        .multi()
        .help("Module paths to describe (main, delete, query+allpages, …)."),
    ParamDef::enumeration("helpformat", &["html", "none", "raw", "wikitext"])
        .default("none")
        .help("Format of help strings."),
];

pub static PARAMINFO: ModuleDef = ModuleDef {
    read_rights: false,
    summary: "Get information about API modules.",
    params: PARAMS,
    help_urls: &["https://www.mediawiki.org/wiki/Special:MyLanguage/API:Parameter_information"],
    examples: &[(
        "action=paraminfo&modules=parse|phpfm|query+allpages|query+siteinfo",
        "Show information for four modules.",
    )],
    execute: Some(execute),
    ..ModuleDef::new("paraminfo", Group::Action, "ApiParamInfo")
};

fn execute(cx: &mut Cx<'_>, p: &Params) -> ApiResult<()> {
    let mut modules = List::new("module");
    for path in p.list("modules") {
        if let Some(m) = module_by_path(path) {
            modules.push(Map::new().with("name", m.name).with("path", m.path()));
        }
    }
    let out = Map::new()
        .with("helpformat", p.str("helpformat").unwrap_or("none"))
        .with("modules", modules);
    cx.result.set("paraminfo", out);
    Ok(())
}
