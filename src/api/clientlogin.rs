//! `action=clientlogin`: interactive login (here: the username/password flow).
//! https://www.mediawiki.org/wiki/API:Login (mirrors includes/api/ApiClientLogin.php)

use crate::api::error::{ApiError, ApiResult};
use crate::api::message::{Msg, Param};
use crate::api::params::{ParamDef, Params};
use crate::api::result::Map;
use crate::api::{Cx, Group, ModuleDef};
use crate::auth::session::Provider;

static PARAMS: &[ParamDef] = &[
    ParamDef::string("requests")
        .multi()
        .help("Only use these authentication requests."),
    ParamDef::enumeration("messageformat", &["html", "wikitext", "raw", "none"])
        .default("wikitext")
        .help("Format of the messages in the answer."),
    ParamDef::boolean("mergerequestfields")
        .help("Combine the fields that the authentication requests ask for into a single list."),
    ParamDef::boolean("preservestate")
        .help("Reuse what a failed earlier login attempt left behind, where that is possible."),
    ParamDef::string("returnurl").help(
        "The absolute URL that a third-party authentication provider sends the user back to.",
    ),
    ParamDef::boolean("continue").help("Continue an earlier UI or REDIRECT answer."),
    ParamDef::token("login").help("Needs a login token; action=query&meta=tokens hands them out."),
];

pub static CLIENTLOGIN: ModuleDef = ModuleDef {
    prefix: "login",
    read_rights: false,
    write_rights: true,
    must_post: true,
    token: Some("login"),
    summary: "Start a session by the step-by-step authentication flow that the web login form uses.",
    extra_help: &[
        "Send the fields username, password and optionally rememberMe with a login \
         token and loginreturnurl.",
    ],
    params: PARAMS,
    help_urls: &["https://www.mediawiki.org/wiki/Special:MyLanguage/API:Login"],
    examples: &[(
        "action=clientlogin&username=Example&password=ExamplePassword&loginreturnurl=http://example.org/&logintoken=123ABC",
        "Log in as user Example.",
    )],
    execute: Some(execute),
    ..ModuleDef::new("clientlogin", Group::Action, "ApiClientLogin")
};

/// `returnurl`/`continue` rules shared by clientlogin and createaccount.
pub fn check_return_url(prefix: &str, p: &Params) -> ApiResult<()> {
    if !p.flag("continue") && p.str("returnurl").is_none() {
        let names = [format!("{prefix}continue"), format!("{prefix}returnurl")];
        return Err(ApiError::coded(
            "missingparam",
            Msg::new("apierror-missingparam-at-least-one-of")
                .param(Param::List(
                    names.iter().map(|n| format!("<var>{n}</var>")).collect(),
                ))
                .p(2i64),
        ));
    }
    if let Some(url) = p.str("returnurl") {
        let scheme_ok = url.split_once("://").is_some_and(|(s, rest)| {
            !s.is_empty()
                && !rest.is_empty()
                && s.chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        });
        if !scheme_ok {
            let name = format!("{prefix}returnurl");
            return Err(ApiError::coded(
                format!("badurl_{name}"),
                Msg::new("apierror-badurl").p(name.clone()).plain(url),
            ));
        }
    }
    Ok(())
}

/// A message as `loginmessageformat`/`createmessageformat` asks.
pub fn format_ui_message(format: &str, msg: &Msg) -> Option<String> {
    match format {
        "html" => Some(msg.html()),
        "raw" => Some(msg.key.clone()),
        "none" => None,
        _ => Some(msg.wikitext()),
    }
}

#[tracing::instrument(skip_all)]
fn execute(cx: &mut Cx<'_>, p: &Params) -> ApiResult<()> {
    check_return_url("login", p)?;
    let format = p.str("messageformat").unwrap_or("wikitext").to_string();
    let name = cx.req.get("username").unwrap_or("").to_string();
    let pass = cx.req.get("password").unwrap_or("").to_string();
    let remember = cx
        .req
        .get("rememberMe")
        .is_some_and(|v| !v.is_empty() && v != "0");
    let mut out = Map::new();
    let failure = if cx.session.provider == Provider::BotPassword {
        Some((
            "cannotloginnow-text".to_string(),
            Msg::new("cannotloginnow-text")
                .p("MediaWiki\\Session\\BotPasswordSessionProvider sessions"),
        ))
    } else {
        match crate::api::login::check_main_account(cx, &name, &pass)? {
            Ok(row) => {
                crate::api::login::start_main_session(cx, &row, remember)?;
                tracing::info!(user = %row.name, "clientlogin");
                out.set("status", "PASS");
                out.set("username", row.name.as_str());
                None
            }
            Err(f) => Some(f),
        }
    };
    if let Some((code, msg)) = failure {
        out.set("status", "FAIL");
        if let Some(m) = format_ui_message(&format, &msg) {
            out.set("message", m);
        }
        out.set("messagecode", code);
        out.set("canpreservestate", false);
    }
    cx.result.set("clientlogin", out);
    Ok(())
}
