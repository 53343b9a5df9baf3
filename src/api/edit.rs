//! `action=edit`: create and change pages.
//! https://www.mediawiki.org/wiki/API:Edit (mirrors includes/api/ApiEditPage.php and
//! the save path of EditPage: the order of checks decides which error a client sees).
//!
//! Everything from the first look at the page to the last row written happens in
//! one write transaction, so two concurrent edits cannot both pass the conflict
//! check, and a failure leaves no page, revision or recent change behind.
//! Not done: `T-` template sections, signatures and `subst:` in the
//! pre-save transform.

use crate::api::error::{ApiError, ApiResult};
use crate::api::message::{Msg, Param};
use crate::api::params::{PType, ParamDef, Params};
use crate::api::query::pageset::escape_wikitext;
use crate::api::result::Map;
use crate::api::{Cx, Group, ModuleDef};
use crate::auth::User;
use crate::storage::{Page, WriteTxn};
use crate::util::time::{self, Expiry};
use crate::wiki::links;
use crate::wiki::namespace::{NS_MEDIAWIKI, NS_USER};
use crate::wiki::page::{self, ContentError, Edit};
use crate::wiki::title::Title;

/// Content formats (`contentformat`), as MediaWiki lists them.
const FORMATS: &[&str] = &[
    "application/json",
    "application/octet-stream",
    "application/unknown",
    "application/x-binary",
    "text/css",
    "text/javascript",
    "text/plain",
    "text/unknown",
    "text/x-wiki",
    "unknown/unknown",
];
const MODELS: &[&str] = &["css", "javascript", "json", "text", "unknown", "wikitext"];

/// `$wgMaxArticleSize` in KiB.
const MAX_ARTICLE_SIZE_KB: usize = 2048;
/// `$wgWatchlistExpiryMaxDuration`.
const WATCHLIST_MAX_DURATION: &str = "1 year";

static PARAMS: &[ParamDef] = &[
    ParamDef::string("title").help("The page to change or create, by title. Not allowed together with pageid."),
    ParamDef::integer("pageid").help("The page to change, by its ID. Not allowed together with title."),
    ParamDef::string("section").help(
        "Section number to replace: 0 for the text above the first heading, new to add a section.",
    ),
    ParamDef::string("sectiontitle").help("The heading of a new section (with section=new)."),
    ParamDef::text("text").help("The new content of the page (or of the section)."),
    ParamDef::string("summary").help(
        "The edit summary. With section=new and no sectiontitle, it is also the heading.",
    ),
    ParamDef::new("tags", PType::Tags)
        .multi()
        .help("Change tags that the new revision gets."),
    ParamDef::boolean("minor").help("Flag the change as a minor one."),
    ParamDef::boolean("notminor")
        .help("Never flag the change as minor, whatever the user's preferences say."),
    ParamDef::boolean("bot").help("Mark the edit as a bot edit (needs the bot right)."),
    ParamDef::integer("baserevid").help(
        "The revision the edit is based on; a newer revision on the page makes an edit conflict.",
    ),
    ParamDef::new("basetimestamp", PType::Timestamp).help(
        "Timestamp of the revision the edit is based on, to detect edit conflicts. Get it with prop=revisions&rvprop=timestamp.",
    ),
    ParamDef::new("starttimestamp", PType::Timestamp).help(
        "When the edit started (e.g. from curtimestamp), to detect that the page was deleted meanwhile.",
    ),
    ParamDef::boolean("recreate")
        .help("Save even when the page was deleted after starttimestamp."),
    ParamDef::boolean("createonly").help("Fail if the page already exists."),
    ParamDef::boolean("nocreate").help("Refuse to create the page: fail when it is missing."),
    ParamDef::boolean("watch")
        .deprecated()
        .help("Old switch: put the page on the watchlist."),
    ParamDef::boolean("unwatch")
        .deprecated()
        .help("Old switch: take the page off the watchlist."),
    ParamDef::enumeration("watchlist", &["watch", "unwatch", "preferences", "nochange"])
        .default("preferences")
        .help("Add the page to the watchlist, remove it, follow the preferences, or leave the watchlist as it is."),
    ParamDef::new("watchlistexpiry", PType::Expiry).help(
        "How long the page stays on the watchlist (a relative time such as 1 week, a timestamp, or infinite). Without it, an existing expiry is kept.",
    ),
    ParamDef::string("md5").help(
        "MD5 hash of text, or of prependtext and appendtext joined: the edit fails when it does not match.",
    ),
    ParamDef::text("prependtext").help("Add this text to the start of the page (or section)."),
    ParamDef::text("appendtext").help(
        "Add this text to the end of the page (or section); with section=new, a new section.",
    ),
    ParamDef::integer("undo")
        .range(0, i64::MAX)
        .help("Undo this revision (its changes are removed from the current text)."),
    ParamDef::integer("undoafter")
        .range(0, i64::MAX)
        .help("Undo all revisions from undo back to, but not including, this one."),
    ParamDef::boolean("redirect").help("Edit the target when the page is a redirect."),
    ParamDef::enumeration("contentformat", FORMATS)
        .help("How the text sent in text is serialised."),
    ParamDef::enumeration("contentmodel", MODELS).help("The content model the page gets with this edit."),
    ParamDef::token("csrf").help("Needs a csrf token; action=query&meta=tokens hands them out."),
];

pub static EDIT: ModuleDef = ModuleDef {
    prefix: "",
    write_rights: true,
    must_post: true,
    token: Some("csrf"),
    summary: "Write a page: create it, replace its text or one section, add to it, or undo revisions.",
    params: PARAMS,
    help_urls: &["https://www.mediawiki.org/wiki/Special:MyLanguage/API:Edit"],
    examples: &[
        (
            "action=edit&title=Test&summary=test%20summary&text=article%20content&baserevid=1234567&token=123ABC",
            "Save new text on a page.",
        ),
        (
            "action=edit&title=Test&summary=NOTOC&minor=&prependtext=__NOTOC__%0A&basetimestamp=2007-08-24T12:34:54Z&token=123ABC",
            "Put __NOTOC__ in front of a page.",
        ),
        (
            "action=edit&title=Test&undo=13585&undoafter=13579&basetimestamp=2007-08-24T12:34:54Z&token=123ABC",
            "Revert revisions 13579 to 13585 of Test, letting the summary be generated.",
        ),
    ],
    execute: Some(execute),
    ..ModuleDef::new("edit", Group::Action, "ApiEditPage")
};

fn internal(e: anyhow::Error) -> ApiError {
    ApiError::internal(e)
}

/// The content format of a model.
fn default_format(model: &str) -> &'static str {
    match model {
        "css" => "text/css",
        "javascript" => "text/javascript",
        "json" => "application/json",
        "text" => "text/plain",
        _ => "text/x-wiki",
    }
}

/// `getTitleOrPageId`: the title, from `title` or `pageid`.
pub fn title_or_page_id(
    cx: &Cx<'_>,
    txn: &mut dyn WriteTxn,
    p: &Params,
) -> ApiResult<(Title, Option<Page>)> {
    match (p.str("title"), p.int("pageid")) {
        (Some(_), Some(_)) => Err(ApiError::invalid_param_mix(&["title", "pageid"])),
        (None, None) => Err(ApiError::missing_one_of(&["title", "pageid"])),
        (Some(t), None) => {
            let bad = || {
                ApiError::coded(
                    "invalidtitle",
                    Msg::new("apierror-invalidtitle").p(escape_wikitext(t)),
                )
            };
            let title = cx.app.titles.parse(t, 0).map_err(|_| bad())?;
            if !title.interwiki.is_empty() || title.dbkey.is_empty() {
                return Err(bad());
            }
            if title.ns < 0 {
                return Err(ApiError::msg(Msg::new("apierror-pagecannotexist")));
            }
            let page = txn
                .page_by_title(title.ns, &title.dbkey)
                .map_err(internal)?;
            Ok((title, page))
        }
        (None, Some(id)) => {
            let page = txn.page_by_id(id).map_err(internal)?.ok_or_else(|| {
                ApiError::msg(Msg::new("apierror-nosuchpageid").p(Param::Int(id)))
            })?;
            let title = Title::local(page.ns, page.title.clone());
            Ok((title, Some(page)))
        }
    }
}

/// The content model of a title: its page's, or the default for the title.
fn title_model(title: &Title, page: Option<&Page>) -> String {
    match page {
        Some(p) => p.content_model.clone(),
        None => page::default_content_model(title).to_string(),
    }
}

/// MediaWiki's permission checks for `edit` on a title (quick permissions,
/// namespace protection, site and user config pages), in its order. All
/// failures are returned (the BC error format shows the first).
pub fn edit_permission_errors(user: &User, title: &Title, model: &str) -> Vec<Msg> {
    let mut errors = Vec::new();
    if !user.has("edit") {
        errors.push(if user.is_anon() {
            Msg::new("apierror-noedit-anon")
        } else {
            Msg::new("apierror-noedit")
        });
    }
    if title.ns == NS_MEDIAWIKI && !user.has("editinterface") {
        errors.push(Msg::new("protectedinterface").p("edit"));
    }
    if title.ns == NS_MEDIAWIKI {
        let key = match model {
            "css" if !user.has("editsitecss") => Some("sitecssprotected"),
            "json" if !user.has("editsitejson") => Some("sitejsonprotected"),
            "javascript" if !user.has("editsitejs") => Some("sitejsprotected"),
            _ => None,
        };
        if let Some(k) = key {
            errors.push(Msg::new(k).p("edit"));
        }
    }
    if title.ns == NS_USER && title.dbkey.contains('/') {
        let own_prefix = format!("{}/", user.name.replace(' ', "_"));
        let own = title.dbkey.starts_with(&own_prefix);
        let key = match model {
            "css" if own && !user.has("editmyusercss") && !user.has("editusercss") => {
                Some("mycustomcssprotected")
            }
            "json" if own && !user.has("editmyuserjson") && !user.has("edituserjson") => {
                Some("mycustomjsonprotected")
            }
            "javascript" if own && !user.has("editmyuserjs") && !user.has("edituserjs") => {
                Some("mycustomjsprotected")
            }
            "css" if !own && !user.has("editusercss") => Some("customcssprotected"),
            "json" if !own && !user.has("edituserjson") => Some("customjsonprotected"),
            "javascript" if !own && !user.has("edituserjs") => Some("customjsprotected"),
            _ => None,
        };
        if let Some(k) = key {
            errors.push(Msg::new(k).p("edit"));
        }
    }
    errors
}

/// Turns permission messages into one API error (all of them, for non-BC formats).
pub fn permission_error(errors: Vec<Msg>) -> Option<ApiError> {
    let mut it = errors.into_iter();
    let first = ApiError::msg(it.next()?);
    Some(it.fold(first, |acc, m| acc.and(ApiError::msg(m))))
}

fn execute(cx: &mut Cx<'_>, p: &Params) -> ApiResult<()> {
    if !["text", "appendtext", "prependtext", "undo"]
        .iter()
        .any(|n| p.given(n))
    {
        return Err(ApiError::coded(
            "missingparam",
            Msg::new("apierror-missingparam-at-least-one-of")
                .param(Param::List(
                    ["text", "appendtext", "prependtext", "undo"]
                        .iter()
                        .map(|n| format!("<var>{n}</var>"))
                        .collect(),
                ))
                .p(4i64),
        ));
    }
    let app = cx.app;
    let now_dt = time::now();
    let now = time::to_mw(&now_dt);
    let mut txn = app.store.write().map_err(internal)?;
    let (mut title, mut page) = title_or_page_id(cx, txn.as_mut(), p)?;

    let section = p.str("section").map(str::to_string);
    let mut redirects: Option<Map> = None;
    if p.flag("redirect") {
        if !p.given("prependtext") && !p.given("appendtext") && section.as_deref() != Some("new") {
            return Err(ApiError::msg(Msg::new("apierror-redirect-appendonly")));
        }
        if let Some(pg) = page.as_ref().filter(|pg| pg.is_redirect) {
            let text = current_text(txn.as_mut(), pg)?;
            if let Some(target) = links::redirect_target(app, &pg.content_model, &text) {
                let from = title.prefixed_text(&app.titles);
                if !target.interwiki.is_empty() || target.ns < 0 {
                    let full = target.prefixed_text(&app.titles);
                    return Err(ApiError::coded(
                        "edit-invalidredirect",
                        Msg::new("apierror-edit-invalidredirect")
                            .plain(from.clone())
                            .plain(full.clone()),
                    )
                    .with_data(
                        Map::new()
                            .with("redirects", Map::new().with("from", from).with("to", full)),
                    ));
                }
                let target = Title {
                    fragment: String::new(),
                    ..target
                };
                redirects = Some(
                    Map::new()
                        .with("from", from)
                        .with("to", target.prefixed_text(&app.titles)),
                );
                page = txn
                    .page_by_title(target.ns, &target.dbkey)
                    .map_err(internal)?;
                title = target;
            }
        }
    }
    if let Some(r) = redirects {
        cx.result.set("redirects", r);
    }
    let name = {
        let t = title.prefixed_text(&app.titles);
        t.replace(' ', "_")
    };
    let page_model = title_model(&title, page.as_ref());
    let model = p.str("contentmodel").unwrap_or(&page_model).to_string();
    let undo = p.int("undo").filter(|u| *u > 0);
    if undo.is_none()
        && !["wikitext", "css", "javascript", "json", "text"].contains(&model.as_str())
    {
        return Err(ApiError::msg(
            Msg::new("apierror-no-direct-editing")
                .p(model.clone())
                .p(name.clone()),
        ));
    }
    let format = p
        .str("contentformat")
        .unwrap_or(default_format(&model))
        .to_string();
    if format != default_format(&model) {
        return Err(ApiError::msg(
            Msg::new("apierror-badformat")
                .p(format)
                .p(model.clone())
                .p(name.clone()),
        ));
    }
    let exists = page.is_some();
    if p.flag("createonly") && exists {
        return Err(ApiError::msg(Msg::new("apierror-articleexists")));
    }
    if p.flag("nocreate") && !exists {
        return Err(ApiError::msg(Msg::new("apierror-missingtitle")));
    }
    if let Some(err) = permission_error(edit_permission_errors(&cx.user, &title, &page_model)) {
        return Err(err);
    }

    let mut text = p.str("text").map(str::to_string);
    let mut to_md5 = text.clone().unwrap_or_default();
    if p.given("appendtext") || p.given("prependtext") {
        let mut base: Option<String> = match &page {
            Some(pg) => Some(current_text(txn.as_mut(), pg)?),
            None if title.ns == NS_MEDIAWIKI => Some(String::new()),
            None => Some(String::new()),
        };
        if model != "wikitext"
            && model != "css"
            && model != "javascript"
            && model != "json"
            && model != "text"
        {
            return Err(ApiError::msg(
                Msg::new("apierror-appendnotsupported").p(model.clone()),
            ));
        }
        if let Some(sec) = &section {
            if !page::supports_sections(&model) {
                return Err(ApiError::msg(
                    Msg::new("apierror-sectionsnotsupported").p(model.clone()),
                ));
            }
            if sec == "new" {
                base = None;
            } else {
                base = base.and_then(|b| page::get_section(&b, sec));
                if base.is_none() {
                    return Err(ApiError::msg(
                        Msg::new("apierror-nosuchsection").p(escape_wikitext(sec)),
                    ));
                }
            }
        }
        let pre = p.str("prependtext").unwrap_or("");
        let app_text = p.str("appendtext").unwrap_or("");
        text = Some(format!("{pre}{}{app_text}", base.unwrap_or_default()));
        to_md5 = format!("{pre}{app_text}");
    }

    let mut summary = p.str("summary").map(str::to_string);
    if let Some(undo_id) = undo {
        let (undone, undo_summary) =
            undo_text(cx, txn.as_mut(), p, undo_id, &title, page.as_ref())?;
        text = Some(undone);
        if summary.is_none() {
            summary = undo_summary;
        }
    }
    if let Some(md5) = p.str("md5") {
        if page::md5_hex(&to_md5) != md5 {
            return Err(ApiError::msg(Msg::new("apierror-badmd5")));
        }
    }
    if let Some(sec) = &section {
        let valid = sec == "new" || (!sec.is_empty() && sec.bytes().all(|b| b.is_ascii_digit()));
        if !valid {
            return Err(ApiError::msg(Msg::new("apierror-invalidsection")));
        }
        if sec != "0" && sec != "new" {
            let has = match &page {
                Some(pg) => page::get_section(&current_text(txn.as_mut(), pg)?, sec).is_some(),
                None => false,
            };
            if !has {
                return Err(ApiError::msg(
                    Msg::new("apierror-nosuchsection").p(sec.clone()),
                ));
            }
        }
    }

    // Watchlist.
    let watching = if cx.user.is_anon() {
        false
    } else {
        txn.watch_item(cx.user.id, title.ns, &title.dbkey)
            .map_err(internal)?
            .is_some()
    };
    let mut watch = match p.str("watchlist").unwrap_or("preferences") {
        "watch" => true,
        "unwatch" => false,
        "preferences" => watching || !cx.user.has("bot"),
        _ => watching,
    };
    if p.flag("watch") {
        watch = true;
    } else if p.flag("unwatch") {
        watch = false;
    }
    let expiry = match p.str("watchlistexpiry") {
        Some(raw) => Some(parse_watch_expiry(cx, raw, &now_dt)?),
        None => None,
    };

    // Content model of the base revision must match unless it is being changed.
    let contentmodel_given = p.given("contentmodel");
    if !contentmodel_given && undo.is_none() && model != page_model {
        return Err(ApiError::msg(
            Msg::new("apierror-contentmodel-mismatch")
                .p(model.clone())
                .p(page_model.clone()),
        ));
    }

    // EditPage's constraints, in order.
    let text = text.unwrap_or_default();
    if model != page_model && !cx.user.has("editcontentmodel") {
        return Err(ApiError::msg(Msg::new("apierror-cantchangecontentmodel")));
    }
    // RATE LIMIT (issue 3): the `edit` rate limit (UserRateLimitConstraint) is
    // checked here once the limiter lands, e.g.
    // `cx.app.rate_limit(&cx.user, "edit")?` → `ratelimited`.
    if text.len() > MAX_ARTICLE_SIZE_KB * 1024 {
        return Err(ApiError::msg(
            Msg::new("apierror-contenttoobig").p(MAX_ARTICLE_SIZE_KB),
        ));
    }
    if page.is_none() && !p.flag("recreate") {
        if let Some(start) = p.str("starttimestamp").and_then(time::parse_timestamp) {
            let deleted = txn
                .last_deletion(title.ns, &title.dbkey)
                .map_err(internal)?;
            if deleted.is_some_and(|d| d > time::to_mw(&start)) {
                return Err(ApiError::msg(Msg::new("apierror-pagedeleted")));
            }
        }
    }

    let section_title = p.str("sectiontitle");
    let final_text = match &page {
        None => {
            let right = if title.ns % 2 == 1 {
                "createtalk"
            } else {
                "createpage"
            };
            if !cx.user.has(right) {
                return Err(ApiError::msg(Msg::new(if cx.user.is_anon() {
                    "nocreatetext"
                } else {
                    "nocreate-loggedin"
                })));
            }
            match (section.as_deref(), section_title) {
                (Some("new"), Some(t)) if !t.is_empty() => format!("== {t} ==\n\n{text}"),
                _ => text.clone(),
            }
        }
        Some(pg) => {
            let current_ts = txn
                .revision(pg.latest)
                .map_err(internal)?
                .map(|r| r.timestamp)
                .unwrap_or_default();
            let edittime = match p.str("basetimestamp") {
                Some(b) if !b.is_empty() && b != "0" => {
                    time::parse_timestamp(b).map(|t| time::to_mw(&t))
                }
                _ if p.int("baserevid").unwrap_or(0) > 0 => None,
                _ => Some(current_ts.clone()),
            };
            let base_rev = p.int("baserevid").filter(|b| *b > 0);
            let mut conflict = edittime.as_ref().is_some_and(|e| *e != current_ts)
                || base_rev.is_some_and(|b| b != pg.latest);
            if conflict {
                if section.as_deref() == Some("new") {
                    let latest = txn.revision(pg.latest).map_err(internal)?;
                    let dup = latest.is_some_and(|r| {
                        r.user_name == cx.user.name
                            && Some(r.comment.as_str()) == summary.as_deref()
                    });
                    conflict = dup;
                } else if section.is_none() && cx.user.id > 0 {
                    if let Some(e) = &edittime {
                        let actor = txn.actor_id(&cx.user.name).map_err(internal)?;
                        if let Some(a) = actor {
                            if txn.only_actor_since(pg.id, a, e).map_err(internal)? {
                                conflict = false;
                            }
                        }
                    }
                }
            }
            let old = current_text(txn.as_mut(), pg)?;
            if conflict {
                let expected = match base_rev {
                    Some(id) => Some(id),
                    None => match &edittime {
                        Some(ts) => txn.revision_at(pg.id, ts).map_err(internal)?,
                        None => None,
                    },
                };
                merge_conflicting_edit(
                    cx,
                    txn.as_mut(),
                    expected,
                    &old,
                    &text,
                    section.as_deref(),
                    section_title,
                )?
            } else {
                match section.as_deref() {
                    None => text.clone(),
                    Some(sec) => page::replace_section(&old, sec, &text, section_title)
                        .ok_or_else(|| ApiError::msg(Msg::new("edit-conflict")))?,
                }
            }
        }
    };
    if section.as_deref() == Some("new") && summary.is_none() {
        if let Some(t) = section_title.filter(|t| !t.is_empty()) {
            summary = Some(format!("/* {t} */ new section"));
        }
    }
    let final_text = page::pre_save_transform(&model, &final_text).map_err(|e| match e {
        ContentError::InvalidJson => ApiError::msg(Msg::new("invalid-json-data").p("Syntax error")),
    })?;

    let tags = p.list("tags").to_vec();
    let minor = p.flag("minor") && !p.flag("notminor");
    let saved = page::save(
        app,
        txn.as_mut(),
        &Edit {
            title: &title,
            page: page.as_ref(),
            text: &final_text,
            model: &model,
            summary: summary.as_deref().unwrap_or(""),
            minor,
            bot: p.flag("bot"),
            tags: &tags,
            user: &cx.user,
            ip: &cx.req.ip,
            now: &now,
            recent_change: true,
            update_links: true,
            auto_summary: true,
        },
    )
    .map_err(internal)?;

    let mut watch_expiry: Option<String> = None;
    if !cx.user.is_anon() {
        if watch {
            let stored = match expiry {
                Some(Expiry::At(t)) => Some(time::to_mw(&t)),
                Some(Expiry::Infinite) => None,
                None => txn
                    .watch_item(cx.user.id, title.ns, &title.dbkey)
                    .map_err(internal)?
                    .flatten(),
            };
            txn.watch(cx.user.id, title.ns, &title.dbkey, stored.as_deref())
                .map_err(internal)?;
            watch_expiry = stored;
        } else if watching {
            txn.unwatch(cx.user.id, title.ns, &title.dbkey)
                .map_err(internal)?;
        }
    }
    txn.commit().map_err(internal)?;
    cx.wrote = true;
    if !saved.nochange {
        cx.app.purge_cdn(&[(title.ns, title.dbkey.clone())]);
    }

    let mut r = Map::new();
    if saved.created {
        r.set("new", true);
    }
    r.set("result", "Success");
    r.set("pageid", saved.page_id);
    r.set("title", title.prefixed_text(&app.titles));
    r.set("contentmodel", saved.content_model.as_str());
    if saved.nochange {
        r.set("nochange", true);
    } else {
        r.set("oldrevid", saved.old_rev);
        r.set("newrevid", saved.new_rev);
        r.set("newtimestamp", time::mw_to_iso(&saved.timestamp));
    }
    if watch {
        r.set("watched", true);
        if let Some(e) = watch_expiry {
            r.set("watchlistexpiry", time::mw_to_iso(&e));
        }
    }
    cx.result.set("edit", r);
    Ok(())
}

/// An edit based on an older revision than the current one (EditPage's conflict
/// path): the submitted text (a section of it put into the base revision's text)
/// is merged with the changes made since the base revision, or the edit is an
/// `editconflict` when the changes overlap, the base revision is unknown or the
/// section is not in it.
fn merge_conflicting_edit(
    cx: &Cx<'_>,
    txn: &mut dyn WriteTxn,
    base_rev: Option<i64>,
    current: &str,
    text: &str,
    section: Option<&str>,
    section_title: Option<&str>,
) -> ApiResult<String> {
    let conflict = || ApiError::msg(Msg::new("edit-conflict"));
    let base = match base_rev {
        Some(id) => match txn.revision(id).map_err(internal)? {
            Some(r) => txn.content_text(r.content_id).map_err(internal)?,
            None => None,
        },
        None => None,
    };
    let mine = match section {
        None => text.to_string(),
        // A new section always goes onto the current text.
        Some("new") => {
            page::replace_section(current, "new", text, section_title).ok_or_else(conflict)?
        }
        // Other sections are taken from the revision the edit was based on
        // (the current one when no revision matches the base).
        Some(sec) => {
            page::replace_section(base.as_deref().unwrap_or(current), sec, text, section_title)
                .ok_or_else(conflict)?
        }
    };
    if !cx.app.config.merge_edit_conflicts {
        return Err(conflict());
    }
    let base = base.ok_or_else(conflict)?;
    page::merge3(&base, &mine, current).ok_or_else(conflict)
}

/// The current text of a page.
fn current_text(txn: &mut dyn WriteTxn, page: &Page) -> ApiResult<String> {
    let rev = txn.revision(page.latest).map_err(internal)?;
    Ok(match rev {
        Some(r) => txn
            .content_text(r.content_id)
            .map_err(internal)?
            .unwrap_or_default(),
        None => String::new(),
    })
}

/// `watchlistexpiry`: a time in the future, at most a year away (the maximum is
/// used instead, with a warning).
pub fn parse_watch_expiry(
    cx: &mut Cx<'_>,
    raw: &str,
    now: &chrono::DateTime<chrono::Utc>,
) -> ApiResult<Expiry> {
    let e = time::parse_expiry(raw, now).ok_or_else(|| {
        ApiError::coded(
            "badexpiry",
            Msg::new("paramvalidator-badexpiry")
                .plain("watchlistexpiry")
                .plain(raw),
        )
    })?;
    if let Expiry::At(t) = e {
        if t < *now {
            return Err(ApiError::coded(
                "badexpiry-past",
                Msg::new("paramvalidator-badexpiry-past")
                    .plain("watchlistexpiry")
                    .plain(raw),
            ));
        }
    }
    let max = match time::parse_expiry(WATCHLIST_MAX_DURATION, now) {
        Some(Expiry::At(m)) => m,
        _ => return Ok(e),
    };
    let over = match e {
        Expiry::Infinite => false,
        Expiry::At(t) => t > max,
    };
    if over {
        cx.warn(
            "badexpiry-duration-max",
            Msg::new("paramvalidator-badexpiry-duration-max")
                .plain("watchlistexpiry")
                .plain(raw)
                .plain(WATCHLIST_MAX_DURATION),
        );
        return Ok(Expiry::At(max));
    }
    Ok(e)
}

/// The text of an undo: the current text with the changes of `undo` (back to
/// `undoafter`) removed. Only a clean undo of the latest revisions is done: when
/// `undo` is the latest revision the result is the text of `undoafter`;
/// otherwise the current text must equal `undo`'s (nothing changed since).
fn undo_text(
    _cx: &Cx<'_>,
    txn: &mut dyn WriteTxn,
    p: &Params,
    undo_id: i64,
    title: &Title,
    page: Option<&Page>,
) -> ApiResult<(String, Option<String>)> {
    let undo_rev = txn
        .revision(undo_id)
        .map_err(internal)?
        .ok_or_else(|| ApiError::msg(Msg::new("apierror-nosuchrevid").p(Param::Int(undo_id))))?;
    let after_param = p.int("undoafter").filter(|a| *a > 0);
    let after_rev = match after_param {
        Some(a) => txn.revision(a).map_err(internal)?,
        None => txn.previous_revision(&undo_rev).map_err(internal)?,
    }
    .ok_or_else(|| {
        ApiError::msg(Msg::new("apierror-nosuchrevid").p(Param::Int(after_param.unwrap_or(0))))
    })?;
    let page_id = page.map(|pg| pg.id).unwrap_or(0);
    let name = title.dbkey.replace('_', " ");
    for r in [&undo_rev, &after_rev] {
        if r.page != page_id {
            return Err(ApiError::msg(
                Msg::new("apierror-revwrongpage")
                    .p(Param::Int(r.id))
                    .p(name.clone()),
            ));
        }
    }
    let Some(pg) = page else {
        return Err(ApiError::msg(Msg::new("undo-failure")));
    };
    let current = current_text(txn, pg)?;
    let undo_text = txn
        .content_text(undo_rev.content_id)
        .map_err(internal)?
        .unwrap_or_default();
    let after_text = txn
        .content_text(after_rev.content_id)
        .map_err(internal)?
        .unwrap_or_default();
    if pg.latest != undo_rev.id && current != undo_text {
        return Err(ApiError::coded("undofailure", Msg::new("undo-failure")));
    }
    // An automatic summary when exactly one revision is undone.
    let summary = if undo_rev.parent_id == after_rev.id {
        Some(
            Msg::new("undo-summary")
                .p(Param::Int(undo_rev.id))
                .p(undo_rev.user_name.clone())
                .wikitext(),
        )
    } else {
        None
    };
    Ok((after_text, summary))
}
