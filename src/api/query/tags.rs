//! `list=tags`: the change tags the software applies and those users defined.
//! https://www.mediawiki.org/wiki/API:Tags (mirrors includes/api/ApiQueryTags.php)

use std::collections::BTreeMap;

use crate::api::error::{ApiError, ApiResult};
use crate::api::managetags::SOFTWARE_TAGS;
use crate::api::params::{ParamDef, Params};
use crate::api::result::{List, Map};
use crate::api::{CacheMode, Cx, Group, ModuleDef};

static PARAMS: &[ParamDef] = &[
    ParamDef::string("continue").help(
        "When more results are available, use this to continue. The value comes from the \
         continue section of the previous answer.",
    ),
    ParamDef::limit("limit", 500, 5000)
        .default("10")
        .help("How many tags to list."),
    ParamDef::enumeration(
        "prop",
        &[
            "active",
            "defined",
            "description",
            "displayname",
            "hitcount",
            "source",
        ],
    )
    .multi()
    .default("")
    .help("The fields to show for each tag.")
    .value_help(&[
        ("displayname", "The name shown for the tag on change lists."),
        ("description", "What the tag means."),
        (
            "hitcount",
            "How many revisions and log entries carry the tag.",
        ),
        (
            "defined",
            "Whether the tag is defined (by the software or a user).",
        ),
        (
            "source",
            "Where the tag comes from: extension (the software) or manual (a user).",
        ),
        ("active", "Whether the tag can still be put on new changes."),
    ]),
];

pub static TAGS: ModuleDef = ModuleDef {
    prefix: "tg",
    cache_mode: CacheMode::Public,
    summary: "List change tags.",
    params: PARAMS,
    help_urls: &["https://www.mediawiki.org/wiki/Special:MyLanguage/API:Tags"],
    examples: &[(
        "action=query&list=tags&tgprop=displayname|description|hitcount|defined",
        "List the tags with their names, meanings, use counts and state.",
    )],
    execute: Some(execute),
    ..ModuleDef::new("tags", Group::List, "ApiQueryTags")
};

struct Entry {
    display: String,
    description: String,
    count: i64,
    software: bool,
    user_defined: bool,
}

fn execute(cx: &mut Cx<'_>, p: &Params) -> ApiResult<()> {
    let defs = {
        let mut r = cx.app.store.read().map_err(ApiError::internal)?;
        r.tag_defs().map_err(ApiError::internal)?
    };
    let mut all: BTreeMap<String, Entry> = BTreeMap::new();
    for (name, display, description) in SOFTWARE_TAGS {
        all.insert(
            name.to_string(),
            Entry {
                display: display.to_string(),
                description: description.to_string(),
                count: 0,
                software: true,
                user_defined: false,
            },
        );
    }
    for d in defs {
        let e = all.entry(d.name.clone()).or_insert_with(|| Entry {
            display: d.name.clone(),
            description: String::new(),
            count: 0,
            software: false,
            user_defined: false,
        });
        e.count = d.count;
        e.user_defined = d.user_defined;
    }
    let limit = p.int("limit").unwrap_or(10).max(1) as usize;
    let props = p.list("prop");
    let has = |n: &str| props.iter().any(|x| x == n);
    let from = p.str("continue").unwrap_or("");
    let mut list = List::new("tag");
    for (n, (name, e)) in all.range(from.to_string()..).enumerate() {
        if n == limit {
            cx.add_continue(&TAGS, "continue", name.clone());
            break;
        }
        let mut m = Map::new().with("name", name.as_str());
        if has("displayname") {
            m.set("displayname", e.display.as_str());
        }
        if has("description") {
            m.set("description", e.description.as_str());
        }
        if has("hitcount") {
            m.set("hitcount", e.count);
        }
        let defined = e.software || e.user_defined;
        if has("defined") {
            m.set("defined", defined);
        }
        if has("source") {
            let mut src = Vec::new();
            if e.software {
                src.push("extension");
            }
            if e.user_defined {
                src.push("manual");
            }
            m.set("source", List::of("source", src));
        }
        if has("active") {
            m.set("active", defined);
        }
        list.push(m);
    }
    cx.result.map_mut("query").set("tags", list);
    Ok(())
}
