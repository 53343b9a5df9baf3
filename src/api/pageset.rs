//! The page-set parameters shared by `action=query` and the page-set actions
//! (`purge`), declared once. Mirrors the parameter list of includes/api/ApiPageSet.php;
//! `action=paraminfo&pagesetmodule=1` describes this declaration.

use crate::api::params::{PType, ParamDef, SubGroup};
use crate::api::{Group, ModuleDef};

/// `titles`, `pageids`, `revids`, `generator`, `redirects`, `converttitles`.
pub const PAGESET_PARAMS: [ParamDef; 6] = [
    ParamDef::string("titles")
        .multi()
        .help("Titles of the pages to work on."),
    ParamDef::integer("pageids")
        .multi()
        .help("IDs of the pages to work on."),
    ParamDef::integer("revids").multi().help(
        "Revision IDs to work on. Most modules turn each into its page and use the page's \
         latest revision.",
    ),
    ParamDef::new("generator", PType::Submodule(SubGroup::Generator)).help(
        "Run this query module and work on the pages it returns. Its parameters take an \
         extra \"g\" in front of their usual prefix.",
    ),
    ParamDef::boolean("redirects").help(
        "Follow redirects among the pages named by titles, pageids and revids or produced \
         by the generator.",
    ),
    ParamDef::boolean("converttitles").help(
        "Convert titles to the wiki's other language variant when the content language \
         has variants.",
    ),
];

/// The page set as a pseudo-module, for paraminfo (`ApiPageSet`).
pub static PAGESET: ModuleDef = ModuleDef {
    summary: "Work on a set of pages given by titles, page IDs, revision IDs or a generator.",
    params: &PAGESET_PARAMS,
    examples: &[(
        "action=query&titles=Main%20Page&prop=info",
        "Information about one page named by its title.",
    )],
    ..ModuleDef::new("pageset", Group::Action, "ApiPageSet")
};
