//! `action=managetags`: create, delete, activate and deactivate change tags.
//! https://www.mediawiki.org/wiki/API:Managetags (mirrors includes/api/ApiManageTags.php
//! and ChangeTags' create/delete/activate/deactivate checks).
//!
//! Every operation writes a `managetags/<operation>` log entry on Special:Tags
//! in the same transaction as the tag change.

use crate::api::delete::tag_permission_errors;
use crate::api::error::{ApiError, ApiResult};
use crate::api::message::{Msg, Param};
use crate::api::params::{PType, ParamDef, Params};
use crate::api::result::Map;
use crate::api::{Cx, Group, ModuleDef};
use crate::util::time;
use crate::wiki::page::{insert_log, LogEntry};
use crate::wiki::title::Title;

/// Tags the software applies by itself (MediaWiki 1.39's core tags).
pub const SOFTWARE_TAGS: &[(&str, &str, &str)] = &[
    ("mw-blank", "Blanking", "Edits that blank a page"),
    (
        "mw-changed-redirect-target",
        "Redirect target changed",
        "Edits that change the target of a redirect",
    ),
    (
        "mw-contentmodelchange",
        "content model change",
        "Edits that [https://www.mediawiki.org/wiki/Special:MyLanguage/Help:ChangeContentModel change the content model] of a page",
    ),
    (
        "mw-manual-revert",
        "Manual revert",
        "Edits that manually restore the page to an exact previous state",
    ),
    (
        "mw-new-redirect",
        "New redirect",
        "Edits that create a new redirect or change a page to a redirect",
    ),
    (
        "mw-removed-redirect",
        "Removed redirect",
        "Edits that change an existing redirect to a non-redirect",
    ),
    (
        "mw-replace",
        "Replaced",
        "Edits that remove more than 90% of the content of a page",
    ),
    (
        "mw-reverted",
        "Reverted",
        "Edits that were later reverted by a different edit",
    ),
    (
        "mw-rollback",
        "Rollback",
        "Edits that roll back previous edits using the rollback link",
    ),
    (
        "mw-server-side-upload",
        "Server-side upload",
        "Media files that were uploaded via a maintenance script",
    ),
    (
        "mw-undo",
        "Undo",
        "Edits that undo previous edits using the undo link",
    ),
];

/// `ChangeTags::MAX_DELETE_USES`: tags with more uses than this cannot be deleted (`tags-delete-too-many-uses`).
const DELETE_LIMIT: i64 = 5000;

static PARAMS: &[ParamDef] = &[
    ParamDef::enumeration("operation", &["create", "delete", "activate", "deactivate"])
        .required()
        .help("What to do with the tag.")
        .value_help(&[
            ("create", "Define a new tag that users may apply by hand."),
            ("delete", "Remove the tag from every change and forget it."),
            ("activate", "Let users apply the tag again."),
            (
                "deactivate",
                "Stop users from applying the tag; existing uses stay.",
            ),
        ]),
    ParamDef::string("tag")
        .required()
        .help("The tag to work on."),
    ParamDef::string("reason")
        .default("")
        .help("Why (shown in the log)."),
    ParamDef::boolean("ignorewarnings").help("Go ahead despite warnings."),
    ParamDef::new("tags", PType::Tags)
        .multi()
        .help("Change tags to put on the tag-management log entry."),
    ParamDef::token("csrf").help("A csrf token from action=query&meta=tokens."),
];

pub static MANAGETAGS: ModuleDef = ModuleDef {
    write_rights: true,
    must_post: true,
    token: Some("csrf"),
    summary: "Work on the change tags users can apply: create, delete, activate, deactivate.",
    params: PARAMS,
    help_urls: &["https://www.mediawiki.org/wiki/Special:MyLanguage/API:Managetags"],
    examples: &[
        (
            "action=managetags&operation=create&tag=spam&reason=For+use+in+edit+patrolling&token=123ABC",
            "Create a tag named spam.",
        ),
        (
            "action=managetags&operation=deactivate&tag=spam&reason=No+longer+required&token=123ABC",
            "Deactivate the tag spam.",
        ),
    ],
    execute: Some(execute),
    ..ModuleDef::new("managetags", Group::Action, "ApiManageTags")
};

fn internal(e: anyhow::Error) -> ApiError {
    ApiError::internal(e)
}

fn is_software_tag(name: &str) -> bool {
    SOFTWARE_TAGS.iter().any(|(n, _, _)| *n == name)
}

fn execute(cx: &mut Cx<'_>, p: &Params) -> ApiResult<()> {
    let app = cx.app;
    let op = p.str("operation").unwrap_or("create").to_string();
    let tag = p.str("tag").unwrap_or("").to_string();
    let reason = p.str("reason").unwrap_or("").to_string();
    let tags = p.list("tags").to_vec();
    let right = if op == "delete" {
        "deletechangetags"
    } else {
        "managechangetags"
    };
    if !cx.user.has(right) {
        let key = if op == "delete" {
            "tags-delete-no-permission"
        } else {
            "tags-manage-no-permission"
        };
        return Err(ApiError::coded("permissiondenied", Msg::new(key)));
    }
    if let Some(e) = tag_permission_errors(&cx.user, &tags).into_iter().next() {
        return Err(e);
    }
    let now = time::to_mw(&time::now());
    let mut txn = app.store.write().map_err(internal)?;
    let def = txn.tag_def(&tag).map_err(internal)?;
    let fail = |key: &str| ApiError::msg(Msg::new(key.to_string()).p(tag.clone()));
    let mut log_params = serde_json::json!({ "tag": tag });
    match op.as_str() {
        "create" => {
            if tag.is_empty() {
                return Err(ApiError::msg(Msg::new("tags-create-no-name")));
            }
            if tag.contains([',', '|', '/']) {
                return Err(ApiError::msg(Msg::new("tags-create-invalid-chars")));
            }
            if app.titles.parse(&format!("Tag-{tag}"), 8).is_err() {
                return Err(ApiError::msg(Msg::new("tags-create-invalid-title-chars")));
            }
            if def.is_some() || is_software_tag(&tag) {
                return Err(fail("tags-create-already-exists"));
            }
            txn.set_tag_defined(&tag, true).map_err(internal)?;
        }
        "activate" => match &def {
            None if !is_software_tag(&tag) => return Err(fail("tags-activate-not-found")),
            Some(d) if !d.user_defined && !is_software_tag(&tag) => {
                txn.set_tag_defined(&tag, true).map_err(internal)?;
            }
            _ => return Err(fail("tags-activate-not-allowed")),
        },
        "deactivate" => match &def {
            Some(d) if d.user_defined => {
                if d.count == 0 {
                    txn.delete_tag(&tag).map_err(internal)?;
                } else {
                    txn.set_tag_defined(&tag, false).map_err(internal)?;
                }
            }
            _ => return Err(fail("tags-deactivate-not-allowed")),
        },
        _ => {
            if is_software_tag(&tag) {
                return Err(ApiError::msg(Msg::new("tags-delete-not-allowed")));
            }
            let Some(d) = &def else {
                return Err(fail("tags-delete-not-found"));
            };
            if d.count > DELETE_LIMIT && !p.flag("ignorewarnings") {
                return Err(ApiError::msg(
                    Msg::new("tags-delete-too-many-uses")
                        .p(tag.clone())
                        .param(Param::Num(DELETE_LIMIT)),
                ));
            }
            txn.delete_tag(&tag).map_err(internal)?;
            log_params = serde_json::json!({ "tag": tag, "count": d.count });
        }
    }
    let target = Title::local(-1, "Tags");
    let log_id = insert_log(
        txn.as_mut(),
        &LogEntry {
            log_type: "managetags",
            action: &op,
            user: &cx.user,
            ip: &cx.req.ip,
            title: &target,
            page_id: 0,
            comment: &crate::wiki::delete::stored_comment(&reason),
            params: log_params,
            tags: &tags,
            now: &now,
            recent_change: true,
        },
    )
    .map_err(internal)?;
    txn.commit().map_err(internal)?;
    cx.wrote = true;
    cx.result.set(
        "managetags",
        Map::new()
            .with("operation", op)
            .with("tag", tag)
            .with("success", true)
            .with("logid", log_id),
    );
    Ok(())
}
