//! `action=delete`: delete a page (and, with `deletetalk`, its talk page).
//! https://www.mediawiki.org/wiki/API:Delete (mirrors includes/api/ApiDelete.php and
//! includes/page/DeletePage.php; the order of checks decides which error a client sees).
//!
//! Everything from reading the page to the last row written is one write
//! transaction: two simultaneous deletes of a page cannot both succeed, and a
//! failure leaves the page wholly live. Deletion is never batched into a job
//! (MediaWiki ≥ 1.37 does so above 1000 revisions and answers `scheduled`): the
//! archive move is one `INSERT … SELECT`, fast and memory-flat for any page, and
//! the answer always carries the `logid`. Files do not exist yet, so the File
//! namespace takes the page branch (as MediaWiki does for a File page without a
//! local file) and `oldimage` is accepted and ignored there.

use crate::api::edit::{parse_watch_expiry, title_or_page_id};
use crate::api::error::{ApiError, ApiResult};
use crate::api::message::{Msg, Param};
use crate::api::params::{PType, ParamDef, Params};
use crate::api::result::Map;
use crate::api::{Cx, Group, ModuleDef};
use crate::auth::User;
use crate::storage::{Page, WriteTxn};
use crate::util::time::{self, Expiry};
use crate::wiki::delete::{self, AutoReasonError, Deletion};
use crate::wiki::namespace::{NS_MEDIAWIKI, NS_USER};
use crate::wiki::title::Title;

static PARAMS: &[ParamDef] = &[
    ParamDef::string("title").help("The page to delete. Not together with pageid."),
    ParamDef::integer("pageid").help("Id of the page to delete. Not together with title."),
    ParamDef::string("reason").help(
        "Why the page is deleted. Without it, a reason is made from the page's content and authors.",
    ),
    ParamDef::new("tags", PType::Tags)
        .multi()
        .help("Change tags to put on the deletion log entry."),
    ParamDef::boolean("deletetalk").help("Delete the talk page too, when there is one."),
    ParamDef::boolean("watch")
        .deprecated()
        .help("Add the page to your watchlist."),
    ParamDef::enumeration("watchlist", &["watch", "unwatch", "preferences", "nochange"])
        .default("preferences")
        .help("Add the page to the watchlist, remove it, follow the preferences (not for bots), or leave the watchlist as it is."),
    ParamDef::new("watchlistexpiry", PType::Expiry).help(
        "How long the page stays on the watchlist (a relative time such as 1 week, a timestamp, or infinite). Without it, an existing expiry is kept.",
    ),
    ParamDef::boolean("unwatch")
        .deprecated()
        .help("Remove the page from your watchlist."),
    ParamDef::string("oldimage").help(
        "Archive name of an old file version to delete (from prop=imageinfo&iiprop=archivename).",
    ),
    ParamDef::token("csrf").help("A csrf token from action=query&meta=tokens."),
];

pub static DELETE: ModuleDef = ModuleDef {
    write_rights: true,
    must_post: true,
    token: Some("csrf"),
    summary: "Delete a page.",
    params: PARAMS,
    help_urls: &["https://www.mediawiki.org/wiki/Special:MyLanguage/API:Delete"],
    examples: &[
        (
            "action=delete&title=Main%20Page&token=123ABC",
            "Delete the Main Page.",
        ),
        (
            "action=delete&title=Main%20Page&token=123ABC&reason=Preparing%20for%20move",
            "Delete the Main Page, giving a reason.",
        ),
    ],
    execute: Some(execute),
    ..ModuleDef::new("delete", Group::Action, "ApiDelete")
};

fn internal(e: anyhow::Error) -> ApiError {
    ApiError::internal(e)
}

/// A title of a page row.
pub fn page_title(page: &Page) -> Title {
    Title::local(page.ns, page.title.clone())
}

/// MediaWiki's raw-HTML interface messages (`$wgRawHtmlMessages`).
const RAW_HTML_MESSAGES: &[&str] = &[
    "Copyright",
    "History_copyright",
    "Googlesearch",
    "Youhavenewmessagesmanyusers",
    "Youhavenewmessages",
];

/// Namespace protection and site configuration pages (PermissionManager's
/// `checkSiteConfigPermissions`), for `action` (`delete`, `undelete`, `edit`).
pub fn site_config_errors(user: &User, title: &Title, model: &str, action: &str) -> Vec<ApiError> {
    let mut errors = Vec::new();
    if title.ns != NS_MEDIAWIKI {
        return errors;
    }
    if !user.has("editinterface") {
        errors.push(ApiError::msg(Msg::new("protectedinterface").p(action)));
    }
    let key = &title.dbkey;
    let raw_html = RAW_HTML_MESSAGES
        .iter()
        .any(|m| key == m || key.starts_with(&format!("{m}/")));
    if raw_html {
        if !user.has("editsitecss") || !user.has("editsitejs") {
            errors.push(ApiError::msg(Msg::new("siterawhtmlprotected").p(action)));
        }
    } else if model == "css" || key.ends_with(".css") {
        if !user.has("editsitecss") {
            errors.push(ApiError::msg(Msg::new("sitecssprotected").p(action)));
        }
    } else if model == "json" || key.ends_with(".json") {
        if !user.has("editsitejson") {
            errors.push(ApiError::msg(Msg::new("sitejsonprotected").p(action)));
        }
    } else if (model == "javascript" || key.ends_with(".js")) && !user.has("editsitejs") {
        errors.push(ApiError::msg(Msg::new("sitejsprotected").p(action)));
    }
    errors
}

/// User CSS/JS/JSON subpages (`checkUserConfigPermissions`), by content model.
pub fn user_config_errors(user: &User, title: &Title, model: &str, action: &str) -> Vec<ApiError> {
    let mut errors = Vec::new();
    if title.ns != NS_USER || !title.dbkey.contains('/') {
        return errors;
    }
    let own = title
        .dbkey
        .starts_with(&format!("{}/", user.name.replace(' ', "_")));
    let (any_right, my_right, other_key, my_key) = match model {
        "css" => (
            "editusercss",
            "editmyusercss",
            "customcssprotected",
            "mycustomcssprotected",
        ),
        "json" => (
            "edituserjson",
            "editmyuserjson",
            "customjsonprotected",
            "mycustomjsonprotected",
        ),
        "javascript" => (
            "edituserjs",
            "editmyuserjs",
            "customjsprotected",
            "mycustomjsprotected",
        ),
        _ => return errors,
    };
    if own {
        if !user.has(my_right) && !user.has(any_right) {
            errors.push(ApiError::msg(Msg::new(my_key).p(action)));
        }
    } else if !user.has(any_right) {
        errors.push(ApiError::msg(Msg::new(other_key).p(action)));
    }
    errors
}

/// The right an edit-protection level requires.
fn level_right(level: &str) -> &str {
    match level {
        "sysop" => "editprotected",
        "autoconfirmed" => "editsemiprotected",
        other => other,
    }
}

/// Whether the page's edit protection keeps `user` from editing it.
pub fn edit_protected_against(
    txn: &mut dyn WriteTxn,
    user: &User,
    page: &Page,
    now: &str,
) -> ApiResult<bool> {
    let prot = txn.page_protections(page.id).map_err(internal)?;
    Ok(prot.iter().any(|(kind, level, expiry, _)| {
        let live = expiry == "infinity" || expiry.as_str() > now;
        kind == "edit" && live && !level.is_empty() && !user.has(level_right(level))
    }))
}

/// The permission errors of deleting one page (PermissionManager for `delete`),
/// in MediaWiki's order.
fn page_errors(
    cx: &Cx<'_>,
    txn: &mut dyn WriteTxn,
    page: &Page,
    now: &str,
) -> ApiResult<Vec<ApiError>> {
    let user = &cx.user;
    let title = page_title(page);
    let mut errors = Vec::new();
    if !user.has("delete") {
        errors.push(crate::auth::permission_denied(cx.app, "delete"));
    }
    errors.extend(site_config_errors(
        user,
        &title,
        &page.content_model,
        "delete",
    ));
    if edit_protected_against(txn, user, page, now)? {
        errors.push(ApiError::msg(Msg::new("deleteprotected")));
    }
    let limit = cx.app.config.delete_revisions_limit;
    if limit > 0 && !user.has("bigdelete") {
        let n = txn.revision_count(page.id).map_err(internal)?;
        if n > limit {
            errors.push(ApiError::coded(
                "bigdelete",
                Msg::new("delete-toobig").param(Param::Num(limit)).p(cx
                    .app
                    .config
                    .sitename
                    .as_str()),
            ));
        }
    }
    Ok(errors)
}

/// `ChangeTags::canAddTagsAccompanyingChange` beyond the parameter check.
pub fn tag_permission_errors(user: &User, tags: &[String]) -> Vec<ApiError> {
    if !tags.is_empty() && !user.has("applychangetags") {
        return vec![ApiError::msg(Msg::new("tags-apply-no-permission"))];
    }
    Vec::new()
}

/// `User::isBot`: in the bot group and holding the bot right.
pub fn is_bot(user: &User) -> bool {
    user.groups.iter().any(|g| g == "bot") && user.has("bot")
}

/// The watchlist mode of `watch`/`unwatch`/`watchlist`.
pub fn watch_mode(p: &Params) -> &str {
    if p.flag("watch") {
        "watch"
    } else if p.flag("unwatch") {
        "unwatch"
    } else {
        p.str("watchlist").unwrap_or("preferences")
    }
}

/// `ApiWatchlistTrait::setWatch`: watches or unwatches a title (subject and talk
/// page) after a change. `preference` is the user option that decides for
/// `preferences` (the default options apply: wikid stores none yet).
pub fn apply_watch(
    cx: &mut Cx<'_>,
    txn: &mut dyn WriteTxn,
    title: &Title,
    mode: &str,
    expiry: Option<Expiry>,
    preference: bool,
) -> ApiResult<()> {
    if cx.user.is_anon() {
        return Ok(());
    }
    let current = txn
        .watch_item(cx.user.id, title.ns, &title.dbkey)
        .map_err(internal)?;
    let watching = current.is_some();
    let watch = match mode {
        "watch" => true,
        "unwatch" => false,
        "preferences" => {
            if watching {
                true
            } else if is_bot(&cx.user) {
                watching
            } else {
                preference
            }
        }
        _ => watching,
    };
    if watch {
        let stored = match expiry {
            Some(Expiry::At(t)) => Some(time::to_mw(&t)),
            Some(Expiry::Infinite) => None,
            None => current.flatten(),
        };
        if watching && expiry.is_none() {
            return Ok(());
        }
        txn.watch(cx.user.id, title.ns, &title.dbkey, stored.as_deref())
            .map_err(internal)?;
    } else if watching && cx.user.has("editmywatchlist") {
        txn.unwatch(cx.user.id, title.ns, &title.dbkey)
            .map_err(internal)?;
    }
    Ok(())
}

fn execute(cx: &mut Cx<'_>, p: &Params) -> ApiResult<()> {
    let app = cx.app;
    let now_dt = time::now();
    let now = time::to_mw(&now_dt);
    let mut txn = app.store.write().map_err(internal)?;
    let (_, page) = title_or_page_id(cx, txn.as_mut(), p)?;
    let Some(page) = page else {
        return Err(ApiError::msg(Msg::new("apierror-missingtitle")));
    };
    let title = page_title(&page);
    let display = title.prefixed_text(&app.titles);
    let tags = p.list("tags").to_vec();

    let reason = match p.str("reason") {
        Some(r) => r.to_string(),
        None => match delete::auto_reason(txn.as_mut(), &page).map_err(internal)? {
            Ok(r) => r,
            Err(AutoReasonError::NoRevision) => {
                return Err(ApiError::msg(Msg::new("cannotdelete").p(display)))
            }
        },
    };

    let mut talk: Option<Page> = None;
    if p.flag("deletetalk") {
        if title.ns % 2 == 1 {
            cx.warn(
                "delete-error-associated-alreadytalk",
                Msg::new("delete-error-associated-alreadytalk"),
            );
        } else {
            match txn
                .page_by_title(title.ns + 1, &title.dbkey)
                .map_err(internal)?
            {
                Some(t) => talk = Some(t),
                None => cx.warn(
                    "delete-error-associated-doesnotexist",
                    Msg::new("delete-error-associated-doesnotexist"),
                ),
            }
        }
    }

    // DeletePage::authorizeDeletion: the page, the talk page, the whole size, tags.
    let mut errors = page_errors(cx, txn.as_mut(), &page, &now)?;
    if let Some(t) = &talk {
        errors.extend(page_errors(cx, txn.as_mut(), t, &now)?);
    }
    let limit = app.config.delete_revisions_limit;
    if limit > 0 && !cx.user.has("bigdelete") {
        let mut n = txn.revision_count(page.id).map_err(internal)?;
        if let Some(t) = &talk {
            n += txn.revision_count(t.id).map_err(internal)?;
        }
        if n > limit {
            errors.push(ApiError::coded(
                "delete-toomanyrevisions",
                Msg::new("delete-toomanyrevisions")
                    .param(Param::Num(limit))
                    .p(app.config.sitename.as_str()),
            ));
        }
    }
    errors.extend(tag_permission_errors(&cx.user, &tags));
    if let Some(err) = errors.into_iter().reduce(|acc, e| acc.and(e)) {
        return Err(err);
    }

    let expiry = match p.str("watchlistexpiry") {
        Some(raw) => Some(parse_watch_expiry(cx, raw, &now_dt)?),
        None => None,
    };

    let deleted = delete::delete_page(
        app,
        txn.as_mut(),
        &Deletion {
            title: &title,
            page: &page,
            reason: &reason,
            tags: &tags,
            user: &cx.user,
            ip: &cx.req.ip,
            now: &now,
        },
    )
    .map_err(internal)?;
    if let Some(t) = &talk {
        let talk_title = page_title(t);
        let talk_reason = Msg::new("delete-talk-summary-prefix")
            .p(reason.clone())
            .wikitext();
        delete::delete_page(
            app,
            txn.as_mut(),
            &Deletion {
                title: &talk_title,
                page: t,
                reason: &talk_reason,
                tags: &tags,
                user: &cx.user,
                ip: &cx.req.ip,
                now: &now,
            },
        )
        .map_err(internal)?;
    }
    // The watchlist follows the deletion; it never makes the request fail.
    let mode = watch_mode(p).to_string();
    apply_watch(cx, txn.as_mut(), &title, &mode, expiry, false)?;
    txn.commit().map_err(internal)?;
    cx.wrote = true;

    cx.result.set(
        "delete",
        Map::new()
            .with("title", display)
            .with("reason", reason)
            .with("logid", deleted.log_id),
    );
    Ok(())
}
