//! The Action API: module declarations, the registry and the dispatcher.
//!
//! [`execute`] follows the order of MediaWiki's `ApiMain::executeAction`, because
//! the order decides which error a client sees: CORS → main parameters → assert →
//! module parameters → token → rights → maxlag → HTTP method → module → unknown
//! parameter warning → printing. Modules are plain `const` [`ModuleDef`] data; one
//! file per module, listed in [`ACTIONS`] or `query::SUBMODULES`.

pub mod clientlogin;
pub mod createaccount;
pub mod delete;
pub mod edit;
pub mod error;
pub mod format;
pub mod help;
pub mod login;
pub mod logout;
pub mod managetags;
pub mod message;
pub mod pageset;
pub mod paraminfo;
pub mod params;
pub mod parse;
pub mod purge;
pub mod query;
pub mod request;
pub mod result;
#[cfg(test)]
mod structure_tests;
pub mod undelete;
pub mod userrights;

use std::sync::Arc;

use crate::api::error::{ApiError, ApiResult, ErrorItem};
use crate::api::format::{Printer, PrinterOpts};
use crate::api::message::Msg;
use crate::api::params::{PType, ParamDef, ParamWarning, Params, SubGroup, ValidateCx};
use crate::api::request::{Method, RawRequest};
use crate::api::result::{Map, Val};
use crate::app::App;
use crate::auth::User;

/// Where a module sits, as `action=paraminfo` reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Group {
    Main,
    Action,
    Format,
    Meta,
    List,
    Prop,
}

impl Group {
    pub fn name(self) -> &'static str {
        match self {
            Group::Main => "main",
            Group::Action => "action",
            Group::Format => "format",
            Group::Meta => "meta",
            Group::List => "list",
            Group::Prop => "prop",
        }
    }
}

/// The body of an action module (or of a query submodule run as itself).
pub type ExecFn = fn(&mut Cx<'_>, &Params) -> ApiResult<()>;

/// A query submodule run as a generator: it returns pages (rows or
/// `(namespace, dbkey)` titles) and its continuation values for the page set
/// instead of writing results. The parameters are validated with the `g` prefix.
pub type GenerateFn = fn(&mut Cx<'_>, &Params) -> ApiResult<query::pageset::Generated>;

/// One API module, declared once.
#[derive(Debug, Clone, Copy)]
pub struct ModuleDef {
    pub name: &'static str,
    pub group: Group,
    /// MediaWiki's class name, shown by paraminfo.
    pub classname: &'static str,
    /// Parameter prefix (`lg`, `ap`, …).
    pub prefix: &'static str,
    /// Needs the `read` right.
    pub read_rights: bool,
    /// A write module: needs `writeapi`, refused when the wiki is read-only.
    pub write_rights: bool,
    pub must_post: bool,
    /// Token type for modules that take a `token` parameter (it is declared too).
    pub token: Option<&'static str>,
    pub internal: bool,
    pub deprecated: bool,
    pub help_urls: &'static [&'static str],
    /// One-line summary, in our own words.
    pub summary: &'static str,
    /// Further paragraphs of help.
    pub extra_help: &'static [&'static str],
    pub params: &'static [ParamDef],
    /// (query string, description).
    pub examples: &'static [(&'static str, &'static str)],
    pub execute: Option<ExecFn>,
    /// Set for query submodules usable as `generator=`.
    pub generate: Option<GenerateFn>,
    /// Where the module comes from (`MediaWiki` for core modules), as paraminfo
    /// and help report it.
    pub source: &'static str,
    /// The SPDX name of the source's license.
    pub license: &'static str,
    /// Help for parameters whose names are not known in advance (the
    /// authentication-request fields of `clientlogin`), in our own words.
    pub dynamic_params: Option<&'static str>,
    /// How a GET answer of this (query sub)module may be cached.
    pub cache_mode: CacheMode,
}

impl ModuleDef {
    /// A module with every optional field empty.
    pub const fn new(name: &'static str, group: Group, classname: &'static str) -> ModuleDef {
        ModuleDef {
            name,
            group,
            classname,
            prefix: "",
            read_rights: true,
            write_rights: false,
            must_post: false,
            token: None,
            internal: false,
            deprecated: false,
            help_urls: &[],
            summary: "",
            extra_help: &[],
            params: &[],
            examples: &[],
            execute: None,
            generate: None,
            source: "MediaWiki",
            license: "GPL-2.0-or-later",
            dynamic_params: None,
            cache_mode: CacheMode::Private,
        }
    }

    pub fn is_main(&self) -> bool {
        self.group == Group::Main
    }

    /// How a request selects this module: `action=delete`, `action=query&list=allpages`.
    pub fn request_path(&self) -> String {
        match self.group {
            Group::Meta | Group::List | Group::Prop => {
                format!("action=query&{}={}", self.group.name(), self.name)
            }
            Group::Format => format!("format={}", self.name),
            _ => format!("action={}", self.name),
        }
    }

    /// `delete`, or `query+allpages` for query submodules.
    pub fn path(&self) -> String {
        match self.group {
            Group::Meta | Group::List | Group::Prop => format!("query+{}", self.name),
            _ => self.name.to_string(),
        }
    }
}

/// Action modules, in the order `action=` lists them.
pub static ACTIONS: &[&ModuleDef] = &[
    &help::HELP,
    &paraminfo::PARAMINFO,
    &parse::PARSE,
    &query::QUERY,
    &login::LOGIN,
    &logout::LOGOUT,
    &clientlogin::CLIENTLOGIN,
    &createaccount::CREATEACCOUNT,
    &userrights::USERRIGHTS,
    &edit::EDIT,
    &delete::DELETE,
    &undelete::UNDELETE,
    &managetags::MANAGETAGS,
    &purge::PURGE,
];

/// Output formats.
pub static FORMATS: &[&ModuleDef] = &[
    &format::JSON,
    &format::JSONFM,
    &format::NONE,
    &format::PHP,
    &format::PHPFM,
    &format::XML,
    &format::XMLFM,
];

pub fn action(name: &str) -> Option<&'static ModuleDef> {
    ACTIONS.iter().copied().find(|m| m.name == name)
}

pub fn format_module(name: &str) -> Option<&'static ModuleDef> {
    FORMATS.iter().copied().find(|m| m.name == name)
}

/// Looks a module up by path (`main`, `delete`, `query+allpages`, `json`).
pub fn module_by_path(path: &str) -> Option<&'static ModuleDef> {
    if path == "main" {
        return Some(&MAIN);
    }
    if let Some(sub) = path.strip_prefix("query+") {
        return query::submodule(sub);
    }
    action(path).or_else(|| format_module(path))
}

/// The modules of a submodule group, in registry order.
pub fn group_modules(group: SubGroup) -> Vec<&'static ModuleDef> {
    let query_group = |g: Group| -> Vec<&'static ModuleDef> {
        query::SUBMODULES
            .iter()
            .copied()
            .filter(|m| m.group == g)
            .collect()
    };
    match group {
        SubGroup::Action => ACTIONS.to_vec(),
        SubGroup::Format => FORMATS.to_vec(),
        SubGroup::Meta => query_group(Group::Meta),
        SubGroup::List => query_group(Group::List),
        SubGroup::Prop => query_group(Group::Prop),
        SubGroup::Generator => query::SUBMODULES
            .iter()
            .copied()
            .filter(|m| m.generate.is_some())
            .collect(),
        SubGroup::Query => query::SUBMODULES.to_vec(),
    }
}

/// Names of the modules of a submodule group, sorted as MediaWiki sorts them:
/// by name, with deprecated and then internal modules last.
pub fn group_names(group: SubGroup) -> Vec<String> {
    let mut mods = group_modules(group);
    mods.sort_by(|a, b| (sort_flags(a), a.name).cmp(&(sort_flags(b), b.name)));
    mods.into_iter().map(|m| m.name.to_string()).collect()
}

/// MediaWiki's ordering flags for submodule values: deprecated 1, internal 2.
fn sort_flags(m: &ModuleDef) -> u8 {
    u8::from(m.deprecated) | (u8::from(m.internal) << 1)
}

/// The modules a module manages (MediaWiki's module manager): the actions and
/// formats for `main`, the query submodules for `query`; `None` for the rest.
pub fn submodules_of(m: &ModuleDef) -> Option<Vec<&'static ModuleDef>> {
    if m.is_main() {
        let mut all = ACTIONS.to_vec();
        all.extend(FORMATS.iter().copied());
        return Some(all);
    }
    let manages = m.params.iter().any(|p| match p.ptype {
        PType::Submodule(g) => g != SubGroup::Generator && g.owner() == m.path(),
        _ => false,
    });
    if manages {
        Some(group_modules(SubGroup::Query))
    } else {
        None
    }
}

/// MediaWiki's `ApiBase::getModuleFromPath`: resolves `main`, `delete`,
/// `query+allpages` (or with spaces for `+`), failing with `badmodule` as MediaWiki does.
pub fn resolve_path(path: &str) -> ApiResult<&'static ModuleDef> {
    if path == "main" {
        return Ok(&MAIN);
    }
    let parts: Vec<&str> = if path.contains('+') {
        path.split('+').collect()
    } else {
        path.split(' ').collect()
    };
    let mut module: &'static ModuleDef = &MAIN;
    for (i, part) in parts.iter().enumerate() {
        let Some(children) = submodules_of(module) else {
            return Err(ApiError::coded(
                "badmodule",
                Msg::new("apierror-badmodule-nosubmodules").p(parts[..i].join("+")),
            ));
        };
        match children.into_iter().find(|c| c.name == *part) {
            Some(c) => module = c,
            None => {
                let parent = if i == 0 {
                    module.name.to_string()
                } else {
                    parts[..i].join("+")
                };
                return Err(ApiError::coded(
                    "badmodule",
                    Msg::new("apierror-badmodule-badsubmodule")
                        .p(parent)
                        .p(message::escape_wikitext(part)),
                ));
            }
        }
    }
    Ok(module)
}

/// The path of a module's parent (`main` for actions and formats, `query` for
/// query submodules); `None` for main.
pub fn parent_of(m: &ModuleDef) -> Option<&'static ModuleDef> {
    match m.group {
        Group::Main => None,
        Group::Action | Group::Format => Some(&MAIN),
        Group::Meta | Group::List | Group::Prop => Some(&query::QUERY),
    }
}

/// The main module's parameters (`ApiMain::getAllowedParams`), in MediaWiki's order.
pub static MAIN_PARAMS: &[ParamDef] = &[
    ParamDef::new("action", PType::Submodule(SubGroup::Action))
        .default("help")
        .help("The module to run."),
    ParamDef::new("format", PType::Submodule(SubGroup::Format))
        .default("jsonfm")
        .help("How the result is printed."),
    ParamDef::integer("maxlag").help(
        "For wikis on replicated databases: refuse to run while the replicas are more than this many seconds behind, answering with a <samp>maxlag</samp> error instead. Well-behaved bots send this and retry after a pause.",
    ),
    ParamDef::integer("smaxage")
        .default("0")
        .help("Let shared caches keep the answer this many seconds (the s-maxage cache header). Errors are not cached."),
    ParamDef::integer("maxage")
        .default("0")
        .help("Let caches keep the answer this many seconds (the max-age cache header). Errors are not cached."),
    ParamDef::enumeration("assert", &["anon", "user", "bot"])
        .help("Fail unless the request runs logged out (anon), logged in (user) or as a user with the bot right (bot).")
        .value_help(&[
            ("anon", "The request must run without a logged-in user."),
            ("user", "The request must run as a logged-in user."),
            ("bot", "The request must run as a user with the bot right."),
        ]),
    ParamDef::new("assertuser", PType::User)
        .user_types(&["name"])
        .help("Fail unless the request runs as the named user."),
    ParamDef::string("requestid")
        .help("Any text; it is returned unchanged in the result, to match answers to requests."),
    ParamDef::boolean("servedby")
        .help("Add the name of the answering host to the result, when the wiki shows host names."),
    ParamDef::boolean("curtimestamp").help("Report the server's current time in the answer."),
    ParamDef::boolean("responselanginfo")
        .help("Report in the answer which languages uselang and errorlang resolved to."),
    ParamDef::string("origin").help(
        "For browser requests from another site (CORS): the origin of the calling page, which must match the Origin header. Use * for an anonymous request from any site. It must be in the query string, also for POST requests.",
    ),
    ParamDef::string("uselang").default("user").help(
        "The language of translated texts; user means the user's preference and content the wiki's content language.",
    ),
    ParamDef::string("variant")
        .help("The variant of the language to use, for languages that have variants."),
    ParamDef::enumeration("errorformat", &["plaintext", "wikitext", "html", "raw", "none", "bc"])
        .default("bc")
        .help("How the texts of warnings and errors are given.")
        .value_help(&[
            ("plaintext", "Wikitext with the markup removed."),
            ("wikitext", "Wikitext, unparsed."),
            ("html", "Rendered as HTML."),
            ("raw", "The bare key of each message, with its parameters."),
            ("none", "Only the codes, no text."),
            ("bc", "The old format of MediaWiki before 1.29; errorlang and errorsuselocal do not apply."),
        ]),
    ParamDef::string("errorlang").default("uselang").help(
        "The language of warnings and errors: a language code, content for the wiki's content language, or uselang to follow uselang.",
    ),
    ParamDef::boolean("errorsuselocal")
        .help("Use messages customised on the wiki, where there are any, for error texts."),
];

pub static MAIN: ModuleDef = ModuleDef {
    group: Group::Main,
    read_rights: false,
    summary: "The entry point of the API. Choose a module with action and an output format with format.",
    extra_help: &[
        "Every request names one action module; its own parameters are described on its page. Write requests need a token from the tokens query module (meta=tokens) and must be sent as POST.",
    ],
    params: MAIN_PARAMS,
    examples: &[
        ("action=help", "The documentation of the main module."),
        (
            "action=help&recursivesubmodules=1",
            "The documentation of every module on a single page.",
        ),
    ],
    ..ModuleDef::new("main", Group::Main, "ApiMain")
};

/// How warnings and errors are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorFormat {
    Bc,
    Plaintext,
    Wikitext,
    Html,
    Raw,
    None,
}

impl ErrorFormat {
    fn parse(s: &str) -> ErrorFormat {
        match s {
            "plaintext" => ErrorFormat::Plaintext,
            "wikitext" => ErrorFormat::Wikitext,
            "html" => ErrorFormat::Html,
            "raw" => ErrorFormat::Raw,
            "none" => ErrorFormat::None,
            _ => ErrorFormat::Bc,
        }
    }
}

/// A warning, attributed to a module path.
#[derive(Debug, Clone)]
pub struct Warning {
    pub module: String,
    pub code: String,
    pub msg: Msg,
    pub data: Option<Map>,
}

/// How a successful GET answer may be cached (MediaWiki's `getCacheMode`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum CacheMode {
    /// The same for everyone.
    Public,
    /// Public for anonymous requests without a session, private otherwise.
    AnonPublicUserPrivate,
    /// Depends on the user.
    Private,
}

/// Per-request context handed to modules.
pub struct Cx<'a> {
    pub app: &'a App,
    pub req: &'a RawRequest,
    pub user: User,
    /// The request's session (token secrets, login state).
    pub session: crate::auth::session::Session,
    /// The result tree modules write into.
    pub result: Map,
    pub warnings: Vec<Warning>,
    /// Path of the module now running (warnings are attributed to it).
    pub module_path: String,
    pub errorformat: ErrorFormat,
    /// Non-BC error texts in the `qqx` pseudo-language (message keys).
    pub qqx: bool,
    /// Whether the output will be formatversion 2.
    pub fv2: bool,
    /// Response headers a module wants to add.
    pub headers: Vec<(String, String)>,
    /// Cookies to set, as full `Set-Cookie` values.
    pub set_cookies: Vec<String>,
    /// A module that prints raw output (help) puts it here.
    pub raw_output: Option<RawOutput>,
    /// Set by read modules that may be cached; private by default.
    pub cache_mode: CacheMode,
    /// Set by modules that committed a change to the wiki's data: the answer then
    /// carries MediaWiki's short-lived chronology cookies.
    pub wrote: bool,
    /// The continuation manager while `action=query` (or another module with a
    /// page set) runs; submodules add their continuation values here.
    pub continuation: Option<query::continuation::Continuation>,
    /// The page set of the running `action=query`, for prop modules (take it
    /// with `Option::take` while working and put it back).
    pub pageset: Option<query::pageset::PageSet>,
}

/// Output that bypasses the printer (the help page).
#[derive(Debug, Clone)]
pub struct RawOutput {
    pub content_type: String,
    /// Sent as `Content-Disposition: inline; filename=…`.
    pub filename: String,
    pub body: String,
}

impl<'a> Cx<'a> {
    /// Adds a warning to the running module.
    pub fn warn(&mut self, code: &str, msg: Msg) {
        let module = self.module_path.clone();
        self.warn_in(&module, code, msg, None);
    }

    pub fn warn_in(&mut self, module: &str, code: &str, msg: Msg, data: Option<Map>) {
        // MediaWiki creates the `warnings` key on top of the result when the first
        // warning arrives; keys added on top later (batchcomplete, continue) go before it.
        if self.result.get("warnings").is_none() {
            self.result.prepend("warnings", Map::new());
        }
        self.warnings.push(Warning {
            module: module.to_string(),
            code: code.to_string(),
            msg,
            data,
        });
    }

    /// Adds the `deprecation` warning and the mailing-list note.
    pub fn warn_deprecated(&mut self, msg: Msg, feature: &str) {
        let module = self.module_path.clone();
        self.warn_in(
            &module,
            "deprecation",
            msg,
            Some(Map::new().with("feature", feature)),
        );
        self.warn_in(
            "main",
            "deprecation-help",
            Msg::new("api-usage-mailinglist-ref"),
            None,
        );
    }

    /// Records a continuation value of the running query submodule (`name`
    /// unprefixed); as a generator it goes to the generator's continuation.
    pub fn add_continue(&mut self, def: &ModuleDef, name: &str, value: impl Into<Val>) {
        if let Some(c) = self.continuation.as_mut() {
            c.add(def.name, &format!("{}{}", def.prefix, name), value);
        }
    }

    /// Whether the user may pass 500 values instead of 50.
    pub fn high_limits(&self) -> bool {
        self.user.has("apihighlimits")
    }

    /// Validates the parameters of `def` under `prefix`.
    pub fn params_for(&mut self, def: &'static ModuleDef, prefix: &str) -> ApiResult<Params> {
        let dynamic = |t: &PType| -> Vec<String> { self.dynamic_values(t) };
        let vcx = ValidateCx {
            raw: self.req,
            prefix,
            high_limits: self.user.has("apihighlimits"),
            dynamic: &dynamic,
        };
        let mut pw: Vec<ParamWarning> = Vec::new();
        let res = params::validate(def.params, &vcx, &mut pw);
        let path = def.path();
        for w in pw {
            if w.code == "deprecation" {
                // MediaWiki names the feature by the module's path in the request
                // (`action=delete&watch`, `action=query&prop=info&intoken`).
                let param = match w.msg.params.first() {
                    Some(message::Param::Text(n)) => n.clone(),
                    _ => String::new(),
                };
                // A deprecated value names itself (`srprop=score`).
                let param = match w.data.as_ref().and_then(|d| d.get("feature")) {
                    Some(Val::Str(f)) => f.clone(),
                    _ => param,
                };
                let feature = format!("{}&{param}", def.request_path());
                let saved = std::mem::replace(&mut self.module_path, path.clone());
                self.warn_deprecated(w.msg, &feature);
                self.module_path = saved;
            } else {
                self.warn_in(&path, &w.code, w.msg, w.data);
            }
        }
        let p = res.map_err(|e| e.in_module(&path))?;
        // `limit=max` reports the value used under `limits`, keyed by module.
        if let Some((_, v)) = p.max_limits.last() {
            self.result.map_mut("limits").set(def.name, *v);
        }
        Ok(p)
    }

    /// The values of enum-like types that are not fixed in the declaration.
    pub fn dynamic_values(&self, t: &PType) -> Vec<String> {
        match t {
            PType::Submodule(g) | PType::ModuleNames(g) => group_names(*g),
            PType::Namespace => self.app.namespaces.ids().map(|i| i.to_string()).collect(),
            // Tags users may apply (defined with action=managetags).
            PType::Tags => self
                .app
                .store
                .read()
                .and_then(|mut r| r.applicable_tags())
                .unwrap_or_default(),
            _ => Vec::new(),
        }
    }

    /// Absolute URL of api.php, for the docref.
    pub fn api_url(&self) -> String {
        format!(
            "{}{}/api.php",
            self.app.server_for(self.req),
            self.app.config.script_path
        )
    }
}

/// What the HTTP layer sends back.
#[derive(Debug)]
pub struct ApiResponse {
    pub status: u16,
    pub content_type: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

/// Runs one API request from start to finish. Never panics on bad input: every
/// failure becomes an API error in the requested format.
pub fn execute(app: &App, req: &RawRequest) -> ApiResponse {
    let started = std::time::Instant::now();
    let mut headers: Vec<(String, String)> = vec![
        ("X-Content-Type-Options".into(), "nosniff".into()),
        ("X-Frame-Options".into(), "DENY".into()),
    ];

    // 1. CORS.
    let origin_param = req.peek("origin").map(str::to_string);
    let mut anonymous_only = false;
    if let Some(origin) = &origin_param {
        req.mark_used("origin");
        if origin == "*" {
            headers.push(("Access-Control-Allow-Origin".into(), "*".into()));
            headers.push(("Access-Control-Allow-Credentials".into(), "false".into()));
            anonymous_only = true;
        } else {
            let sent: Vec<&str> = req
                .header("origin")
                .map(|h| h.split_whitespace().collect())
                .unwrap_or_default();
            if !sent.contains(&origin.as_str()) {
                return ApiResponse {
                    status: 403,
                    content_type: "text/html; charset=UTF-8".into(),
                    headers: vec![("Cache-Control".into(), "no-cache".into())],
                    body: b"'origin' parameter does not match Origin header\n".to_vec(),
                };
            }
            if app
                .config
                .cors_domains
                .iter()
                .any(|d| d == origin || d == "*")
            {
                headers.push(("Access-Control-Allow-Origin".into(), origin.clone()));
                headers.push(("Access-Control-Allow-Credentials".into(), "true".into()));
                headers.push(("Timing-Allow-Origin".into(), origin.clone()));
                headers.push(("Vary".into(), "Origin".into()));
            } else {
                headers.push(("MediaWiki-CORS-Rejection".into(), "Origin mismatch".into()));
            }
        }
        if req.method != Method::Options {
            headers.push((
                "Access-Control-Expose-Headers".into(),
                "MediaWiki-API-Error, Retry-After, X-Database-Lag, MediaWiki-Login-Suppressed"
                    .into(),
            ));
        }
    }
    // 2. OPTIONS ends here.
    if req.method == Method::Options {
        if req.header("access-control-request-method").is_some() {
            headers.push((
                "Access-Control-Allow-Methods".into(),
                "POST, GET, HEAD".into(),
            ));
            if let Some(h) = req.header("access-control-request-headers") {
                headers.push(("Access-Control-Allow-Headers".into(), h.to_string()));
            }
        }
        return ApiResponse {
            status: 200,
            content_type: "text/html; charset=utf-8".into(),
            headers,
            body: Vec::new(),
        };
    }
    if req.peek("callback").is_some() || req.header("treat-as-untrusted").is_some() {
        anonymous_only = true;
    }
    if anonymous_only {
        headers.push(("MediaWiki-Login-Suppressed".into(), "true".into()));
    }

    let (user, session) = app.user_for(req, anonymous_only);
    let errorformat = ErrorFormat::parse(req.peek("errorformat").unwrap_or("bc"));
    let mut cx = Cx {
        app,
        req,
        user,
        session,
        result: Map::new(),
        warnings: Vec::new(),
        module_path: "main".into(),
        errorformat,
        qqx: {
            let uselang = req.peek("uselang").unwrap_or("user");
            match req.peek("errorlang").unwrap_or("uselang") {
                "uselang" => uselang == "qqx",
                other => other == "qqx",
            }
        },
        fv2: false,
        headers: Vec::new(),
        set_cookies: Vec::new(),
        raw_output: None,
        cache_mode: CacheMode::Private,
        wrote: false,
        continuation: None,
        pageset: None,
    };

    // The printer is chosen before anything can fail, so errors print in it.
    let format_name = req.peek("format").unwrap_or("jsonfm").to_string();
    let printer = format::printer_for(&format_name);
    cx.fv2 = printer
        .as_ref()
        .map(|p| p.fv2_requested(req))
        .unwrap_or(false);

    let outcome = run(&mut cx);
    let printer = printer.unwrap_or(Printer::JsonFm);
    let mut status = 200;
    match outcome {
        Ok(()) => {
            if matches!(req.method, Method::Get | Method::Head) && cx.raw_output.is_none() {
                let public = match cx.cache_mode {
                    CacheMode::Public => true,
                    CacheMode::AnonPublicUserPrivate => {
                        cx.user.is_anon() && cx.set_cookies.is_empty()
                    }
                    CacheMode::Private => false,
                };
                if public {
                    headers.push((
                        "Vary".into(),
                        "Accept-Encoding,Treat-as-Untrusted,Cookie".into(),
                    ));
                }
            }
            if cx.wrote {
                // MediaWiki's ChronologyProtector and CDN cookies after a write: the
                // next requests of this client within 10 s read the primary data.
                let position = format!("1@{}", crate::util::time::now().timestamp());
                for (name, value) in [
                    ("cpPosIndex", position.as_str()),
                    ("UseDC", "master"),
                    ("UseCDNCache", "false"),
                ] {
                    cx.set_cookies
                        .push(crate::auth::session::cookie(name, value, Some(10), false));
                }
            }
            // Unknown parameters, after success only.
            printer.mark_params_used(req);
            let unused = req.unused();
            if !unused.is_empty() {
                let n = unused.len();
                cx.warn_in(
                    "main",
                    "unrecognizedparams",
                    Msg::new("apierror-unrecognizedparams")
                        .p(unused.join(", "))
                        .p(n),
                    None,
                );
            }
        }
        Err(err) => {
            status = error_into_result(&mut cx, err, &mut headers);
        }
    }
    let elapsed = started.elapsed();
    tracing::debug!(?elapsed, "api request");
    headers.append(&mut cx.headers);
    let session_cookies = cx.session.finish(app);
    for c in session_cookies.into_iter().chain(cx.set_cookies.drain(..)) {
        headers.push(("Set-Cookie".into(), c));
    }
    finish(&mut cx, printer, status, headers)
}

/// Steps 3–12 of the request.
fn run(cx: &mut Cx<'_>) -> ApiResult<()> {
    let req = cx.req;
    // 3. Bookkeeping fields, which also appear in errors.
    if let Some(id) = req.get("requestid") {
        cx.result.set("requestid", id);
    }
    if req.get("curtimestamp").is_some() {
        cx.result.set(
            "curtimestamp",
            crate::util::time::to_iso(&crate::util::time::now()),
        );
    }
    if req.get("responselanginfo").is_some() {
        cx.result.set("uselang", "en");
        cx.result.set("errorlang", "en");
    }
    for name in &req.arrays {
        cx.warn_in(
            "main",
            "unsupportedarray",
            Msg::new("apiwarn-unsupportedarray").p(name.clone()),
            None,
        );
    }
    // 4. Main parameters.
    let main = cx.params_for(&MAIN, "")?;
    // 5. assert / assertuser.
    check_assert(cx, &main)?;
    if req.post_without_content_type {
        cx.warn_deprecated(
            Msg::new("apiwarn-deprecation-post-without-content-type"),
            "post-without-content-type",
        );
    }
    let action_name = main.str("action").unwrap_or("help").to_string();
    let module = action(&action_name).ok_or_else(|| ApiError::bad_value("action", &action_name))?;
    cx.module_path = module.path();
    // 6. Module parameters (tokens are declared, so a missing one fails here).
    let params = cx.params_for(module, module.prefix)?;
    // 7. Token.
    if let Some(token_type) = module.token {
        check_token(cx, module, token_type, &params)?;
    }
    // 8. Rights.
    if module.read_rights && !cx.user.has("read") {
        return Err(ApiError::msg(Msg::new("apierror-readapidenied")).in_module("main"));
    }
    if module.write_rights {
        if !cx.user.has("writeapi") {
            return Err(ApiError::msg(Msg::new("apierror-writeapidenied")).in_module("main"));
        }
        if req.header("promise-non-write-api-action").is_some() {
            return Err(ApiError::msg(Msg::new("apierror-promised-nonwrite-api")).in_module("main"));
        }
        if let Some(reason) = &cx.app.config.read_only {
            return Err(ApiError::coded("readonly", Msg::new("apierror-readonly"))
                .with_data(Map::new().with("readonlyreason", reason.as_str()))
                .in_module("main"));
        }
    }
    // 9. maxlag.
    if let Some(maxlag) = main.int("maxlag") {
        check_maxlag(cx, maxlag)?;
    }
    // 11. HTTP method.
    match req.method {
        Method::Get | Method::Head | Method::Post => {}
        _ => {
            return Err(ApiError::msg(Msg::new("apierror-invalidmethod"))
                .with_status(405)
                .in_module("main"))
        }
    }
    if module.must_post && req.method != Method::Post {
        return Err(ApiError::must_be_posted(module.name).in_module("main"));
    }
    // 12. The module.
    let exec = module
        .execute
        .ok_or_else(|| ApiError::internal(anyhow::anyhow!("module {} cannot run", module.name)))?;
    exec(cx, &params).map_err(|e| e.in_module(&module.path()))
}

fn check_assert(cx: &mut Cx<'_>, main: &Params) -> ApiResult<()> {
    if let Some(a) = main.str("assert") {
        let fail = match a {
            "anon" if !cx.user.is_anon() => Some("apierror-assertanonfailed"),
            "user" if cx.user.is_anon() => Some("apierror-assertuserfailed"),
            "bot" if !cx.user.has("bot") => Some("apierror-assertbotfailed"),
            _ => None,
        };
        if let Some(key) = fail {
            return Err(ApiError::msg(Msg::new(key)).in_module("main"));
        }
    }
    if let Some(name) = main.str("assertuser") {
        let wanted =
            crate::wiki::title::normalize_user_name(&cx.app.titles, name).ok_or_else(|| {
                ApiError::coded(
                    "baduser",
                    Msg::new("paramvalidator-baduser")
                        .plain("assertuser")
                        .plain(name),
                )
                .in_module("main")
            })?;
        if cx.user.is_anon() || cx.user.name != wanted {
            return Err(
                ApiError::msg(Msg::new("apierror-assertnameduserfailed").p(name)).in_module("main"),
            );
        }
    }
    Ok(())
}

fn check_token(
    cx: &mut Cx<'_>,
    module: &ModuleDef,
    token_type: &str,
    params: &Params,
) -> ApiResult<()> {
    let name = format!("{}token", module.prefix);
    if cx.req.in_query.contains(&name) {
        return Err(ApiError::coded(
            "mustpostparams",
            Msg::new("apierror-mustpostparams").p(name).p(1i64),
        )
        .in_module("main"));
    }
    let token = params.str("token").unwrap_or("");
    if !cx.app.check_token(&cx.session, &cx.user, token_type, token) {
        return Err(ApiError::msg(Msg::new("apierror-badtoken")).in_module(&module.path()));
    }
    Ok(())
}

fn check_maxlag(cx: &mut Cx<'_>, maxlag: i64) -> ApiResult<()> {
    let app = cx.app;
    let (host, lag, kind, jobs) = match &app.config.jobqueue_maxlag_header {
        Some(h) if cx.req.header(h) == Some("1") => {
            let jobs = app
                .store
                .read()
                .and_then(|mut r| r.job_count())
                .unwrap_or(0);
            let lag = jobs as f64 / app.config.jobqueue_maxlag_factor;
            (app.hostname.clone(), lag, "jobqueue", Some(jobs))
        }
        _ => (String::new(), -1.0, "db", None),
    };
    if lag <= maxlag as f64 {
        return Ok(());
    }
    let lag_text = if lag.fract() == 0.0 {
        format!("{}", lag as i64)
    } else {
        format!("{lag}")
    };
    let msg = if app.config.show_hostnames {
        Msg::new("apierror-maxlag").p(lag_text).p(host.clone())
    } else {
        Msg::new("apierror-maxlag-generic").p(lag_text)
    };
    let mut data = Map::new().with("host", host);
    if kind == "db" {
        // A replica lag is whole seconds; the job-queue lag is a fraction.
        data.set("lag", lag as i64);
    } else {
        data.set("lag", lag);
    }
    data.set("type", kind);
    if let Some(j) = jobs {
        data.set("jobs", j);
    }
    cx.headers
        .push(("Retry-After".into(), maxlag.max(5).to_string()));
    cx.headers
        .push(("X-Database-Lag".into(), (lag as i64).to_string()));
    Err(ApiError::coded("maxlag", msg)
        .with_data(data)
        .in_module("main"))
}

/// Replaces the result with the error (keeping warnings and bookkeeping fields),
/// returning the HTTP status.
fn error_into_result(cx: &mut Cx<'_>, err: ApiError, headers: &mut Vec<(String, String)>) -> u16 {
    let (errors, status) = match err {
        ApiError::Usage { errors, status } => (errors, status),
        ApiError::Internal(e) => {
            let id = request_id();
            tracing::error!(request_id = %id, error = ?e, "internal error");
            let kind = "Exception";
            (
                vec![ErrorItem {
                    code: format!("internal_api_error_{kind}"),
                    msg: Msg::new("apierror-exceptioncaught").p(id).p(kind),
                    data: Some(Map::new().with("errorclass", kind)),
                    module: Some("main".into()),
                }],
                200,
            )
        }
    };
    let codes: Vec<&str> = errors.iter().map(|e| e.code.as_str()).collect();
    headers.push(("MediaWiki-API-Error".into(), codes.join(", ")));
    let keep: Vec<(String, Val)> = cx
        .result
        .entries
        .iter()
        .filter(|(k, _)| {
            matches!(
                k.as_str(),
                "requestid" | "curtimestamp" | "servedby" | "uselang" | "errorlang"
            )
        })
        .cloned()
        .collect();
    cx.result = Map::new();
    let (docref_msg, list_msg) = (
        Msg::new("api-usage-docref").p(cx.api_url()),
        Msg::new("api-usage-mailinglist-ref"),
    );
    let docref = if cx.qqx && cx.errorformat != ErrorFormat::Bc {
        format!("{} {}", docref_msg.qqx(), list_msg.qqx())
    } else {
        format!("{} {}", docref_msg.wikitext(), list_msg.wikitext())
    };
    if cx.errorformat == ErrorFormat::Bc {
        let first = &errors[0];
        let mut e = Map::new()
            .with("code", first.code.as_str())
            .with("info", first.msg.plaintext());
        if let Some(d) = &first.data {
            for (k, v) in &d.entries {
                e.set(k.clone(), v.clone());
            }
        }
        e.set_content("docref", docref);
        cx.result.set("error", e);
    } else {
        let mut list = result::List::new("error");
        for item in &errors {
            list.push(format_message(
                cx.errorformat,
                cx.qqx,
                &item.code,
                &item.msg,
                item.data.as_ref(),
                Some(item.module.as_deref().unwrap_or("main")),
            ));
        }
        cx.result.set("errors", list);
        let mut holder = std::mem::take(&mut cx.result);
        holder.set_content("docref", docref);
        // XML prints it as its own element after <errors>.
        holder.set_subelement("docref");
        cx.result = holder;
    }
    for (k, v) in keep {
        cx.result.set(k, v);
    }
    status
}

/// A warning or error entry in a non-BC format.
pub fn format_message(
    fmt: ErrorFormat,
    qqx: bool,
    code: &str,
    msg: &Msg,
    data: Option<&Map>,
    module: Option<&str>,
) -> Map {
    let mut m = Map::new().with("code", code);
    match fmt {
        ErrorFormat::Plaintext | ErrorFormat::Wikitext if qqx => m.set_content("text", msg.qqx()),
        ErrorFormat::Html if qqx => m.set_content("html", msg.qqx()),
        ErrorFormat::Plaintext | ErrorFormat::Bc => m.set_content("text", msg.plaintext()),
        ErrorFormat::Wikitext => m.set_content("text", msg.wikitext()),
        ErrorFormat::Html => m.set_content("html", msg.html()),
        ErrorFormat::Raw => {
            m.set("key", msg.key.as_str());
            m.set("params", msg.raw_params());
        }
        ErrorFormat::None => {}
    }
    if let Some(d) = data {
        if !d.is_empty() {
            m.set("data", d.clone());
        }
    }
    if let Some(module) = module {
        m.set("module", module);
    }
    m
}

/// Places the collected warnings into the result.
fn place_warnings(cx: &mut Cx<'_>) {
    if cx.warnings.is_empty() {
        cx.result.remove("warnings");
        return;
    }
    if cx.errorformat == ErrorFormat::Bc {
        let mut warnings = Map::new();
        for w in &cx.warnings {
            let name = w.module.rsplit('+').next().unwrap_or(&w.module).to_string();
            let text = w.msg.plaintext();
            // MediaWiki creates each module's key on top (ApiResult::ADD_ON_TOP),
            // so the module warned last comes first.
            if warnings.get(&name).is_none() {
                warnings.prepend(name.clone(), Map::new());
            }
            let entry = warnings.map_mut(&name);
            let joined = match entry.get("warnings") {
                Some(Val::Str(existing)) => {
                    if existing.lines().any(|l| l == text) {
                        existing.clone()
                    } else {
                        format!("{existing}\n{text}")
                    }
                }
                _ => text,
            };
            entry.set_content("warnings", joined);
        }
        insert_warnings(cx, warnings.into());
    } else {
        let mut list = result::List::new("warning");
        for w in &cx.warnings {
            let m = format_message(
                cx.errorformat,
                cx.qqx,
                &w.code,
                &w.msg,
                w.data.as_ref(),
                Some(&w.module),
            );
            if !list.items.contains(&Val::Map(m.clone())) {
                list.push(m);
            }
        }
        insert_warnings(cx, list.into());
    }
}

/// Fills the `warnings` slot made by the first warning; after an error the slot
/// follows `error`/`errors`.
fn insert_warnings(cx: &mut Cx<'_>, v: Val) {
    if let Some(slot) = cx.result.get_mut("warnings") {
        *slot = v;
        return;
    }
    let pos = match cx.result.entries.first() {
        Some((k, _)) if k == "error" || k == "errors" => 1,
        _ => 0,
    };
    cx.result.entries.insert(pos, ("warnings".into(), v));
}

fn finish(
    cx: &mut Cx<'_>,
    printer: Printer,
    mut status: u16,
    mut headers: Vec<(String, String)>,
) -> ApiResponse {
    if let Some(raw) = cx.raw_output.take() {
        headers.push((
            "Cache-Control".into(),
            "private, must-revalidate, max-age=0".into(),
        ));
        headers.push(("Vary".into(), "Accept-Encoding,Cookie".into()));
        headers.push(("Expires".into(), "Thu, 01 Jan 1970 00:00:00 GMT".into()));
        headers.push((
            "Content-Disposition".into(),
            format!("inline; filename={}", raw.filename),
        ));
        return ApiResponse {
            status,
            content_type: raw.content_type,
            headers,
            body: raw.body.into_bytes(),
        };
    }
    // Printer parameters are checked only now (MediaWiki validates them at print time).
    let opts = match printer.options(cx) {
        Ok(o) => o,
        Err((warning_module, err)) => {
            let msg = match &err {
                ApiError::Usage { errors, .. } => errors[0].msg.clone(),
                ApiError::Internal(_) => Msg::new("apierror-unknownerror-nocode"),
            };
            cx.warnings.clear();
            cx.warn_in(&warning_module, "badvalue", msg, None);
            cx.warn_in(
                "main",
                "errorprinterfailed",
                Msg::new("apiwarn-errorprinterfailed"),
                None,
            );
            headers.retain(|(k, _)| k != "MediaWiki-API-Error");
            status = error_into_result(cx, err, &mut headers);
            // Here MediaWiki's result already holds the warnings when the error is
            // added, so they come first.
            cx.result.prepend("warnings", Map::new());
            PrinterOpts::default()
        }
    };
    place_warnings(cx);
    let out = printer.print(cx, &opts, status);
    headers.push((
        "Cache-Control".into(),
        "private, must-revalidate, max-age=0".into(),
    ));
    if printer.is_html() {
        // The HTML printers answer through MediaWiki's page output.
        headers.retain(|(k, _)| k != "Vary");
        headers.push(("Vary".into(), "Accept-Encoding,Cookie".into()));
        headers.push(("Expires".into(), "Thu, 01 Jan 1970 00:00:00 GMT".into()));
    }
    headers.push((
        "Content-Disposition".into(),
        format!("inline; filename={}", out.filename),
    ));
    ApiResponse {
        status: if printer.is_html() { 200 } else { status },
        content_type: out.content_type,
        headers,
        body: out.body.into_bytes(),
    }
}

fn request_id() -> String {
    use rand::Rng;
    let mut rng = rand::thread_rng();
    (0..24)
        .map(|_| {
            let n = rng.gen_range(0..36);
            std::char::from_digit(n, 36).unwrap_or('0')
        })
        .collect()
}

/// Shared handle used by the HTTP layer.
pub type AppRef = Arc<App>;
