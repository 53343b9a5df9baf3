//! `action=undelete`: restore archived revisions of a deleted page.
//! https://www.mediawiki.org/wiki/API:Undelete (mirrors includes/api/ApiUndelete.php
//! and includes/page/UndeletePage.php).
//!
//! One write transaction: the restored revisions keep their ids, the page gets
//! its old id back when it is free. Files do not exist yet: `fileids` restores no
//! file versions and `fileversions` is 0.

use crate::api::delete::{
    apply_watch, edit_protected_against, site_config_errors, tag_permission_errors,
    user_config_errors, watch_mode,
};
use crate::api::edit::parse_watch_expiry;
use crate::api::error::{ApiError, ApiResult};
use crate::api::message::{Msg, Param};
use crate::api::params::{PType, ParamDef, Params};
use crate::api::query::pageset::escape_wikitext;
use crate::api::result::Map;
use crate::api::{Cx, ErrorFormat, Group, ModuleDef};
use crate::storage::WriteTxn;
use crate::util::time;
use crate::wiki::page::default_content_model;
use crate::wiki::title::Title;
use crate::wiki::undelete::{self, UndeleteError, Undeletion};

static PARAMS: &[ParamDef] = &[
    ParamDef::string("title")
        .required()
        .help("The page to restore."),
    ParamDef::string("reason")
        .default("")
        .help("Why the page is restored (shown in the log)."),
    ParamDef::new("tags", PType::Tags)
        .multi()
        .help("Change tags to put on the log entry."),
    ParamDef::new("timestamps", PType::Timestamp)
        .multi()
        .help("Restore only the revisions with these timestamps. Without timestamps and fileids, everything is restored."),
    ParamDef::integer("fileids")
        .multi()
        .help("Restore only the file versions with these ids (list=filearchive). Without timestamps and fileids, everything is restored."),
    ParamDef::boolean("undeletetalk")
        .help("Also restore every revision of the talk page, if it has deleted ones."),
    ParamDef::enumeration("watchlist", &["watch", "unwatch", "preferences", "nochange"])
        .default("preferences")
        .help("Add the page to the watchlist, remove it, follow the preferences (not for bots), or leave the watchlist as it is."),
    ParamDef::new("watchlistexpiry", PType::Expiry).help(
        "How long the page stays on the watchlist (a relative time such as 1 week, a timestamp, or infinite). Without it, an existing expiry is kept.",
    ),
    ParamDef::token("csrf").help("A csrf token from action=query&meta=tokens."),
];

pub static UNDELETE: ModuleDef = ModuleDef {
    write_rights: true,
    must_post: true,
    token: Some("csrf"),
    summary: "Restore revisions of a deleted page.",
    extra_help: &[
        "The deleted revisions (and their timestamps) can be listed with prop=deletedrevisions, \
         the deleted file ids with list=filearchive.",
    ],
    params: PARAMS,
    help_urls: &["https://www.mediawiki.org/wiki/Special:MyLanguage/API:Undelete"],
    examples: &[
        (
            "action=undelete&title=Main%20Page&token=123ABC&reason=Restoring%20main%20page",
            "Restore the page Main Page.",
        ),
        (
            "action=undelete&title=Main%20Page&token=123ABC&timestamps=2007-07-03T22:00:45Z|2007-07-02T19:48:56Z",
            "Restore two revisions of Main Page.",
        ),
    ],
    execute: Some(execute),
    ..ModuleDef::new("undelete", Group::Action, "ApiUndelete")
};

fn internal(e: anyhow::Error) -> ApiError {
    ApiError::internal(e)
}

/// PermissionManager for `undelete` on one title, in MediaWiki's order.
fn title_errors(cx: &Cx<'_>, txn: &mut dyn WriteTxn, title: &Title) -> ApiResult<Vec<ApiError>> {
    let user = &cx.user;
    let page = txn
        .page_by_title(title.ns, &title.dbkey)
        .map_err(internal)?;
    let model = match &page {
        Some(p) => p.content_model.clone(),
        None => default_content_model(title).to_string(),
    };
    let mut errors = Vec::new();
    if !user.has("undelete") {
        errors.push(crate::auth::permission_denied(cx.app, "undelete"));
    }
    errors.extend(site_config_errors(user, title, &model, "undelete"));
    errors.extend(user_config_errors(user, title, &model, "undelete"));
    // Could the user edit (and, for a missing page, create) it?
    let now = time::to_mw(&time::now());
    let mut cant_edit = !user.has("edit")
        || !site_config_errors(user, title, &model, "edit").is_empty()
        || !user_config_errors(user, title, &model, "edit").is_empty();
    if let Some(p) = &page {
        cant_edit = cant_edit || edit_protected_against(txn, user, p, &now)?;
    }
    if cant_edit {
        errors.push(ApiError::msg(Msg::new("undelete-cantedit")));
    }
    if page.is_none() {
        let right = if title.ns % 2 == 1 {
            "createtalk"
        } else {
            "createpage"
        };
        let protected = match txn
            .title_protection(title.ns, &title.dbkey)
            .map_err(internal)?
        {
            Some((level, expiry)) => {
                (expiry == "infinity" || expiry > now)
                    && !user.has(match level.as_str() {
                        "sysop" => "editprotected",
                        "autoconfirmed" => "editsemiprotected",
                        other => other,
                    })
            }
            None => false,
        };
        if !user.has(right) || protected {
            errors.push(ApiError::msg(Msg::new("undelete-cantcreate")));
        }
    }
    Ok(errors)
}

fn execute(cx: &mut Cx<'_>, p: &Params) -> ApiResult<()> {
    let app = cx.app;
    let now_dt = time::now();
    let now = time::to_mw(&now_dt);
    let raw = p.str("title").unwrap_or("");
    let bad = || {
        ApiError::coded(
            "invalidtitle",
            Msg::new("apierror-invalidtitle").p(escape_wikitext(raw)),
        )
    };
    let title = app.titles.parse(raw, 0).map_err(|_| bad())?;
    if !title.interwiki.is_empty() || title.dbkey.is_empty() {
        return Err(bad());
    }
    if title.ns < 0 {
        return Err(ApiError::msg(Msg::new("apierror-pagecannotexist")));
    }
    let title = Title {
        fragment: String::new(),
        ..title
    };
    let display = title.prefixed_text(&app.titles);
    let tags = p.list("tags").to_vec();
    let reason = p.str("reason").unwrap_or("").to_string();
    let undelete_talk = p.flag("undeletetalk");
    let talk_title = Title {
        ns: title.ns + 1,
        ..title.clone()
    };

    let mut txn = app.store.write().map_err(internal)?;
    let mut errors = title_errors(cx, txn.as_mut(), &title)?;
    if undelete_talk && title.ns % 2 == 0 {
        errors.extend(title_errors(cx, txn.as_mut(), &talk_title)?);
    }
    errors.extend(tag_permission_errors(&cx.user, &tags));
    if let Some(err) = errors.into_iter().reduce(|acc, e| acc.and(e)) {
        return Err(err);
    }
    let expiry = match p.str("watchlistexpiry") {
        Some(raw) => Some(parse_watch_expiry(cx, raw, &now_dt)?),
        None => None,
    };

    // "Restore everything" unless timestamps or fileids select something (empty
    // values, as some clients send them, select nothing).
    let ts_given = !p.list("timestamps").is_empty();
    let fileids_only = !p.int_list("fileids").is_empty() && !ts_given;
    let timestamps: Option<Vec<String>> = if ts_given {
        Some(
            p.list("timestamps")
                .iter()
                .filter_map(|t| time::parse_timestamp(t))
                .map(|t| time::to_mw(&t))
                .collect(),
        )
    } else {
        None
    };
    let mut revisions = 0i64;
    let mut failure: Option<UndeleteError> = None;
    if fileids_only {
        failure = Some(UndeleteError::NoResults);
    } else {
        match undelete::undelete(
            app,
            txn.as_mut(),
            &Undeletion {
                title: &title,
                timestamps: timestamps.as_deref(),
                reason: &reason,
                tags: &tags,
                user: &cx.user,
                ip: &cx.req.ip,
                now: &now,
            },
        )
        .map_err(internal)?
        {
            Ok(u) => {
                revisions = u.revisions;
                if u.duplicates > 0 {
                    cx.warn(
                        "undeleterevision-duplicate-revid",
                        Msg::new("undeleterevision-duplicate-revid")
                            .param(Param::Num(u.duplicates)),
                    );
                }
            }
            Err(e) => failure = Some(e),
        }
    }
    if let Some(UndeleteError::RevDeleted) = failure {
        return Err(ApiError::msg(Msg::new("undeleterevdel")));
    }
    if let Some(UndeleteError::AllDuplicates(n)) = failure {
        cx.warn(
            "undeleterevision-duplicate-revid",
            Msg::new("undeleterevision-duplicate-revid").param(Param::Num(n)),
        );
    }
    if undelete_talk {
        if title.ns % 2 == 1 {
            cx.warn(
                "undelete-error-associated-alreadytalk",
                Msg::new("undelete-error-associated-alreadytalk"),
            );
        } else if txn
            .archive_count(talk_title.ns, &talk_title.dbkey)
            .map_err(internal)?
            == 0
        {
            cx.warn(
                "undelete-error-associated-notdeleted",
                Msg::new("undelete-error-associated-notdeleted"),
            );
        } else if failure.is_none() {
            let talk_reason = Msg::new("undelete-talk-summary-prefix")
                .p(reason.clone())
                .wikitext();
            if let Ok(u) = undelete::undelete(
                app,
                txn.as_mut(),
                &Undeletion {
                    title: &talk_title,
                    timestamps: None,
                    reason: &talk_reason,
                    tags: &tags,
                    user: &cx.user,
                    ip: &cx.req.ip,
                    now: &now,
                },
            )
            .map_err(internal)?
            {
                revisions += u.revisions;
            }
        }
    }
    if revisions == 0 {
        let cant = ApiError::coded("cantundelete", Msg::new("apierror-cantundelete"));
        // BC shows only `cantundelete`; the other formats list the cause first.
        let no_results = matches!(failure, Some(UndeleteError::NoResults) | None);
        return Err(if no_results && cx.errorformat != ErrorFormat::Bc {
            ApiError::coded("undelete-no-results", Msg::new("undelete-no-results")).and(cant)
        } else {
            cant
        });
    }
    let mode = watch_mode(p).to_string();
    // `preferences`: watchdefault (on by default) decides.
    apply_watch(cx, txn.as_mut(), &title, &mode, expiry, true)?;
    txn.commit().map_err(internal)?;
    cx.wrote = true;
    cx.result.set(
        "undelete",
        Map::new()
            .with("title", display)
            .with("revisions", revisions)
            .with("fileversions", 0i64)
            .with("reason", reason),
    );
    Ok(())
}
