//! `action=createaccount`: create an account (username/password flow). The new
//! account is not logged in.
//! https://www.mediawiki.org/wiki/API:Account_creation (mirrors includes/api/ApiAMCreateAccount.php)

use crate::api::error::ApiResult;
use crate::api::message::{Msg, Param};
use crate::api::params::{ParamDef, Params};
use crate::api::result::Map;
use crate::api::{Cx, Group, ModuleDef};
use crate::auth::{password, ratelimit};

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
        .help("Reuse what a failed earlier attempt left behind, where that is possible."),
    ParamDef::string("returnurl").help(
        "The absolute URL that a third-party authentication provider sends the user back to.",
    ),
    ParamDef::boolean("continue").help("Continue an earlier UI or REDIRECT answer."),
    ParamDef::token("createaccount")
        .help("Needs a createaccount token; action=query&meta=tokens hands them out."),
];

pub static CREATEACCOUNT: ModuleDef = ModuleDef {
    prefix: "create",
    read_rights: false,
    write_rights: true,
    must_post: true,
    token: Some("createaccount"),
    summary: "Register a new account with a user name and password.",
    extra_help: &[
        "Send the fields username, password and retype with a createaccount token and \
         createreturnurl.",
    ],
    params: PARAMS,
    help_urls: &["https://www.mediawiki.org/wiki/Special:MyLanguage/API:Account_creation"],
    examples: &[(
        "action=createaccount&username=Example&password=ExamplePassword&retype=ExamplePassword&createreturnurl=http://example.org/&createtoken=123ABC",
        "Create the user Example.",
    )],
    execute: Some(execute),
    ..ModuleDef::new("createaccount", Group::Action, "ApiAMCreateAccount")
};

/// `$wgAccountCreationThrottle`: accounts per IP per day.
const ACCOUNT_CREATION_THROTTLE: (i64, i64) = (6, 86400);

#[tracing::instrument(skip_all)]
fn execute(cx: &mut Cx<'_>, p: &Params) -> ApiResult<()> {
    crate::api::clientlogin::check_return_url("create", p)?;
    let format = p.str("messageformat").unwrap_or("wikitext").to_string();
    let name = cx.req.get("username").unwrap_or("").to_string();
    let pass = cx.req.get("password").unwrap_or("").to_string();
    let retype = cx.req.get("retype").map(str::to_string);
    cx.req.mark_used("email");
    cx.req.mark_used("realname");
    let outcome = create(cx, &name, &pass, retype.as_deref())?;
    let mut out = Map::new();
    match outcome {
        Ok(created) => {
            out.set("status", "PASS");
            out.set("username", created);
        }
        Err((code, msg)) => {
            out.set("status", "FAIL");
            if let Some(m) = crate::api::clientlogin::format_ui_message(&format, &msg) {
                out.set("message", m);
            }
            out.set("messagecode", code);
            out.set("canpreservestate", false);
        }
    }
    cx.result.set("createaccount", out);
    Ok(())
}

fn create(
    cx: &mut Cx<'_>,
    name: &str,
    pass: &str,
    retype: Option<&str>,
) -> ApiResult<Result<String, (String, Msg)>> {
    if !cx.user.has("createaccount") {
        let e = crate::auth::permission_denied(cx.app, "createaccount");
        let msg = match e {
            crate::api::error::ApiError::Usage { errors, .. } => errors[0].msg.clone(),
            _ => Msg::new("badaccess-group0"),
        };
        return Ok(Err(("permissiondenied".into(), msg)));
    }
    let canonical = crate::wiki::title::normalize_user_name(&cx.app.titles, name)
        .filter(|n| crate::api::query::users::is_creatable(n));
    let Some(canonical) = canonical else {
        return Ok(Err(("invaliduser".into(), Msg::new("noname"))));
    };
    if cx.app.store.read()?.user_by_name(&canonical)?.is_some() {
        return Ok(Err(("userexists".into(), Msg::new("userexists"))));
    }
    if pass.is_empty() {
        return Ok(Err((
            "authmanager-create-no-primary".into(),
            Msg::new("authmanager-create-no-primary"),
        )));
    }
    if retype.is_some_and(|r| r != pass) {
        return Ok(Err(("badretype".into(), Msg::new("badretype"))));
    }
    let hash = password::hash(pass)?;
    let now = crate::util::time::to_mw(&crate::util::time::now());
    let mut w = cx.app.store.write()?;
    if ratelimit::is_limitable(&cx.user) {
        let key = format!("acctcreate:ip:{}", cx.req.ip);
        let (count, seconds) = ACCOUNT_CREATION_THROTTLE;
        let t = chrono::Utc::now().timestamp();
        if w.counter(&key, t)? >= count {
            return Ok(Err((
                "acct_creation_throttle_hit".into(),
                Msg::new("acct_creation_throttle_hit")
                    .param(Param::Num(count))
                    .p(ratelimit::duration_text(seconds)),
            )));
        }
        w.counter_add(&key, 1, seconds, t)?;
    }
    if w.user_by_name(&canonical)?.is_some() {
        return Ok(Err(("userexists".into(), Msg::new("userexists"))));
    }
    w.create_user(&canonical, &hash, &now)?;
    w.commit()?;
    cx.wrote = true;
    tracing::info!(user = %canonical, "account created");
    Ok(Ok(canonical))
}
