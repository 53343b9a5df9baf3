//! `action=logout`: end the session.
//! https://www.mediawiki.org/wiki/API:Logout (mirrors includes/api/ApiLogout.php)

use crate::api::error::ApiResult;
use crate::api::params::{ParamDef, Params};
use crate::api::{Cx, Group, ModuleDef};
use crate::auth::User;

static PARAMS: &[ParamDef] = &[
    ParamDef::token("csrf").help("Needs a csrf token; action=query&meta=tokens hands them out.")
];

pub static LOGOUT: ModuleDef = ModuleDef {
    read_rights: false,
    must_post: true,
    token: Some("csrf"),
    summary: "End the session: forget the logged-in user and drop the session data.",
    params: PARAMS,
    help_urls: &["https://www.mediawiki.org/wiki/Special:MyLanguage/API:Logout"],
    examples: &[(
        "action=logout&token=123ABC",
        "End the session of the current user.",
    )],
    execute: Some(execute),
    ..ModuleDef::new("logout", Group::Action, "ApiLogout")
};

#[tracing::instrument(skip_all)]
fn execute(cx: &mut Cx<'_>, _p: &Params) -> ApiResult<()> {
    let app = cx.app;
    cx.session.end(app);
    cx.user = User::anonymous(&cx.req.ip, &app.perms);
    // The answer is an empty object.
    Ok(())
}
