//! `action=login`: log in with a bot password (or, deprecated, the main account).
//! https://www.mediawiki.org/wiki/API:Login (mirrors includes/api/ApiLogin.php)

use std::sync::OnceLock;

use crate::api::error::{code_for_key, ApiError, ApiResult};
use crate::api::message::Msg;
use crate::api::params::{PType, ParamDef, Params};
use crate::api::result::{Map, Val};
use crate::api::{format_message, Cx, ErrorFormat, Group, ModuleDef};
use crate::auth::session::{self, Provider};
use crate::auth::{botpassword, password, ratelimit, User};
use crate::storage::UserRow;

static PARAMS: &[ParamDef] = &[
    ParamDef::string("name").help("User name."),
    ParamDef::new("password", PType::Password)
        .sensitive()
        .help("Password."),
    ParamDef::string("domain").help("The authentication domain, where the wiki uses several."),
    ParamDef::string("token")
        .sensitive()
        .help("Needs a login token; action=query&meta=tokens hands them out."),
];

pub static LOGIN: ModuleDef = ModuleDef {
    prefix: "lg",
    read_rights: false,
    write_rights: true,
    must_post: true,
    summary:
        "Start a logged-in session, preferably with a bot password; the session lives in cookies.",
    extra_help: &[
        "This action should only be used with bot passwords (Special:BotPasswords); \
         main-account login still works but is deprecated. To log in with the main \
         account, use action=clientlogin.",
    ],
    params: PARAMS,
    help_urls: &["https://www.mediawiki.org/wiki/Special:MyLanguage/API:Login"],
    examples: &[(
        "action=login&lgname=user&lgpassword=password&lgtoken=123ABC",
        "Log in with a bot password (user name `Name@appid`) and a login token from meta=tokens.",
    )],
    execute: Some(execute),
    ..ModuleDef::new("login", Group::Action, "ApiLogin")
};

/// A `reason`: plain English in BC mode, an error-like object otherwise.
pub fn format_reason(cx: &Cx<'_>, code: &str, msg: &Msg) -> Val {
    if cx.errorformat == ErrorFormat::Bc {
        Val::Str(msg.plaintext())
    } else {
        Val::Map(format_message(
            cx.errorformat,
            cx.qqx,
            code,
            msg,
            None,
            None,
        ))
    }
}

/// A hash to verify against when the account does not exist, so that both cases
/// take the same time.
fn dummy_hash() -> &'static str {
    static H: OnceLock<String> = OnceLock::new();
    H.get_or_init(|| password::hash("dummy password for timing").unwrap_or_default())
}

/// Why a main-account login failed: (code, message).
pub type LoginFailure = (String, Msg);

/// Checks main-account credentials as MediaWiki's password provider does, with
/// the password-attempt throttle. Does not touch the session.
#[tracing::instrument(skip_all)]
pub fn check_main_account(
    cx: &Cx<'_>,
    name: &str,
    pass: &str,
) -> ApiResult<Result<UserRow, LoginFailure>> {
    let no_primary = || {
        Ok(Err((
            "authmanager-authn-no-primary".to_string(),
            Msg::new("authmanager-authn-no-primary"),
        )))
    };
    if name.is_empty() || pass.is_empty() {
        return no_primary();
    }
    let Some(canonical) = crate::wiki::title::normalize_user_name(&cx.app.titles, name) else {
        return no_primary();
    };
    let app = cx.app;
    let mut w = app.store.write()?;
    let wait = ratelimit::throttle_increase(w.as_mut(), "password", &canonical, &cx.req.ip)?;
    w.commit()?;
    if let Some(wait) = wait {
        let msg = Msg::new("login-throttled").p(ratelimit::duration_text(wait));
        return Ok(Err(("login-throttled".into(), msg)));
    }
    let row = app.store.read()?.user_by_name(&canonical)?;
    let ok = match &row {
        Some(r) => password::verify(pass, &r.password),
        None => {
            let _ = password::verify(pass, dummy_hash());
            false
        }
    };
    match row {
        Some(r) if ok => {
            let mut w = app.store.write()?;
            ratelimit::throttle_clear(w.as_mut(), "password", &canonical, &cx.req.ip)?;
            w.commit()?;
            Ok(Ok(r))
        }
        _ => Ok(Err(("wrongpassword".into(), Msg::new("wrongpassword")))),
    }
}

/// Starts a normal session for `row` with the login cookies (`Token` only when
/// remembered), and makes it the request's user.
pub fn start_main_session(cx: &mut Cx<'_>, row: &UserRow, remember: bool) -> ApiResult<()> {
    let app = cx.app;
    cx.session.start_new(app, Provider::Cookie, row.id, None);
    let prefix = cx.session.prefix.clone();
    let secure = cx.session.secure;
    let age = if remember {
        session::EXTENDED_COOKIE_EXPIRATION
    } else {
        session::COOKIE_EXPIRATION
    };
    cx.session.cookies.push(session::cookie(
        &format!("{prefix}UserID"),
        &row.id.to_string(),
        Some(age),
        secure,
    ));
    cx.session.cookies.push(session::cookie(
        &format!("{prefix}UserName"),
        &cookie_value(&row.name),
        Some(age),
        secure,
    ));
    if remember {
        let token = if row.token.is_empty() {
            let t = crate::auth::tokens::random_hex(32);
            let mut w = app.store.write()?;
            w.set_user_token(row.id, &t)?;
            w.commit()?;
            t
        } else {
            row.token.clone()
        };
        cx.session.cookies.push(session::cookie(
            &format!("{prefix}Token"),
            &token,
            Some(session::EXTENDED_COOKIE_EXPIRATION),
            secure,
        ));
    }
    cx.user = User::from_row(row, &app.perms, None);
    Ok(())
}

/// A cookie value as PHP's `setcookie` encodes it (`rawurlencode`-like).
fn cookie_value(v: &str) -> String {
    crate::api::request::rawurlencode(v.as_bytes()).replace("%20", "+")
}

enum Outcome {
    Success,
    NeedToken(String),
    WrongToken,
    Failed(String, Msg),
    Aborted(Msg),
}

#[tracing::instrument(skip_all)]
fn execute(cx: &mut Cx<'_>, p: &Params) -> ApiResult<()> {
    if cx.session.suppressed {
        return answer(cx, Outcome::Aborted(Msg::new("api-login-fail-sameorigin")));
    }
    let in_query: Vec<String> = ["lgpassword", "lgtoken"]
        .iter()
        .filter(|n| cx.req.in_query.contains(**n))
        .map(|n| n.to_string())
        .collect();
    if !in_query.is_empty() {
        let n = in_query.len();
        return Err(ApiError::coded(
            "mustpostparams",
            Msg::new("apierror-mustpostparams")
                .p(in_query.join(", "))
                .p(n),
        ));
    }
    cx.session.persist();
    if cx.session.provider == Provider::BotPassword {
        return answer(
            cx,
            Outcome::Aborted(
                Msg::new("api-login-fail-badsessionprovider")
                    .p("MediaWiki\\Session\\BotPasswordSessionProvider sessions"),
            ),
        );
    }
    let name = p.str("name").unwrap_or("").to_string();
    let pass = p.str("password").unwrap_or("").to_string();
    let token = p.str("token").unwrap_or("");
    let had_secret = cx.session.secret("login").is_some();
    let secret = cx.session.secret_or_create("login");
    let outcome = if token.is_empty() {
        Outcome::NeedToken(crate::auth::tokens::make_now(&secret, ""))
    } else if !had_secret {
        Outcome::Failed(
            "sessionlost".into(),
            Msg::new("authpage-cannot-login-continue"),
        )
    } else if !cx.session.check_token(&cx.user, "login", token) {
        Outcome::WrongToken
    } else {
        authenticate(cx, &name, &pass)?
    };
    answer(cx, outcome)
}

fn authenticate(cx: &mut Cx<'_>, name: &str, pass: &str) -> ApiResult<Outcome> {
    let app = cx.app;
    if let Some((bot_name, bot_pass)) = botpassword::canonicalize_login_data(name, pass) {
        match botpassword::login(app, &bot_name, &bot_pass, &cx.req.ip)? {
            Ok(done) => {
                cx.session.start_new(
                    app,
                    Provider::BotPassword,
                    done.user.id,
                    Some(done.bot.app_id.clone()),
                );
                cx.session.data.bp_token = Some(done.bot.token.clone());
                cx.user = User::from_row(
                    &done.user,
                    &app.perms,
                    Some((done.bot.app_id.as_str(), done.bot.grants.as_slice())),
                );
                tracing::info!(user = %done.user.name, "bot password login");
                return Ok(Outcome::Success);
            }
            Err(botpassword::Failure::Reported(msg)) => {
                return Ok(Outcome::Failed(code_for_key(&msg.key), msg));
            }
            Err(botpassword::Failure::Other(_)) => {}
        }
    }
    match check_main_account(cx, name, pass)? {
        Ok(row) => {
            start_main_session(cx, &row, true)?;
            let saved = std::mem::replace(&mut cx.module_path, "login".into());
            cx.warn_deprecated(
                Msg::new("apiwarn-deprecation-login-botpw"),
                "main-account-login",
            );
            cx.module_path = saved;
            tracing::info!(user = %row.name, "main-account login via action=login");
            Ok(Outcome::Success)
        }
        Err((code, msg)) => Ok(Outcome::Failed(code, msg)),
    }
}

fn answer(cx: &mut Cx<'_>, outcome: Outcome) -> ApiResult<()> {
    let mut r = Map::new();
    match outcome {
        Outcome::Success => {
            r.set("result", "Success");
            r.set("lguserid", cx.user.id);
            r.set("lgusername", cx.user.name.as_str());
        }
        Outcome::NeedToken(token) => {
            r.set("result", "NeedToken");
            r.set("token", token);
            cx.warn_deprecated(
                Msg::new("apiwarn-deprecation-login-token"),
                "action=login&!lgtoken",
            );
        }
        Outcome::WrongToken => {
            r.set("result", "WrongToken");
        }
        Outcome::Failed(code, msg) => {
            r.set("result", "Failed");
            r.set("reason", format_reason(cx, &code, &msg));
        }
        Outcome::Aborted(msg) => {
            let code = code_for_key(&msg.key);
            r.set("result", "Aborted");
            r.set("reason", format_reason(cx, &code, &msg));
        }
    }
    cx.result.set("login", r);
    Ok(())
}
