//! `action=help`: HTML documentation generated from the module declarations.
//! https://www.mediawiki.org/wiki/API:Main_page (mirrors includes/api/ApiHelp.php)

use crate::api::error::ApiResult;
use crate::api::message::html_escape;
use crate::api::params::{PType, ParamDef, Params};
use crate::api::result::Map;
use crate::api::{module_by_path, Cx, Group, ModuleDef, RawOutput};

static PARAMS: &[ParamDef] = &[
    ParamDef::string("modules")
        .multi()
        .default("main")
        .help("Modules to show help for (values of action and format, or main). Submodules are written with a +."),
    ParamDef::boolean("submodules").help("Also show the help of the named modules' submodules."),
    ParamDef::boolean("recursivesubmodules").help("Show the help of submodules, recursively."),
    ParamDef::boolean("wrap").help("Wrap the output in a standard API response structure."),
    ParamDef::boolean("toc").help("Add a table of contents to the HTML output."),
];

pub static HELP: ModuleDef = ModuleDef {
    read_rights: false,
    summary: "Show help for the named modules.",
    params: PARAMS,
    examples: &[
        ("action=help", "Help for the main module."),
        (
            "action=help&modules=query&submodules=1",
            "Help for action=query and all its submodules.",
        ),
        ("action=help&recursivesubmodules=1", "All help on one page."),
        (
            "action=help&modules=help",
            "Help for the help module itself.",
        ),
        (
            "action=help&modules=query+info|query+categorymembers",
            "Help for two query submodules.",
        ),
    ],
    execute: Some(execute),
    ..ModuleDef::new("help", Group::Action, "ApiHelp")
};

fn execute(cx: &mut Cx<'_>, p: &Params) -> ApiResult<()> {
    let mut html = String::new();
    for path in p.list("modules") {
        if let Some(m) = module_by_path(path) {
            module_html(&mut html, m);
        }
    }
    let page = format!(
        "<!DOCTYPE html>\n<html lang=\"en\" dir=\"ltr\">\n<head>\n<meta charset=\"UTF-8\"/>\n\
         <title>MediaWiki API help - {}</title>\n</head>\n<body>\n{html}</body>\n</html>\n",
        html_escape(&cx.app.config.sitename)
    );
    if p.flag("wrap") {
        cx.result.set(
            "help",
            Map::new()
                .with("mime", "text/html")
                .with("filename", "api-help.html")
                .with("help", page),
        );
    } else {
        cx.raw_output = Some(RawOutput {
            content_type: "text/html; charset=utf-8".into(),
            body: page,
        });
    }
    Ok(())
}

fn module_html(out: &mut String, m: &ModuleDef) {
    out.push_str(&format!(
        "<h2>{}</h2>\n<p>{}</p>\n<dl>\n",
        html_escape(&m.path()),
        html_escape(m.summary)
    ));
    for def in m.params {
        out.push_str(&format!(
            "<dt>{}{}</dt><dd>{} ({})</dd>\n",
            m.prefix,
            def.name,
            html_escape(def.help),
            type_name(&def.ptype)
        ));
    }
    out.push_str("</dl>\n");
}

fn type_name(t: &PType) -> &'static str {
    match t {
        PType::Boolean => "boolean",
        PType::Integer { .. } => "integer",
        PType::Limit { .. } => "limit",
        _ => "string",
    }
}
