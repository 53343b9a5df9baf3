//! `action=paraminfo`: machine-readable module descriptions from the declarations.
//! https://www.mediawiki.org/wiki/API:Parameter_information (mirrors includes/api/ApiParamInfo.php)
//!
//! Everything here is read from the `ModuleDef`/`ParamDef` data the validator
//! uses, so what paraminfo says is what the server does. Keys come in
//! MediaWiki's order; flags are BC booleans (`""` in formatversion 1, `true` in 2).

use crate::api::error::{ApiError, ApiResult};
use crate::api::message::html_escape;
use crate::api::pageset::PAGESET;
use crate::api::params::{sorted_enum_values, PType, ParamDef, Params, SubGroup};
use crate::api::result::{List, Map, Val};
use crate::api::{group_names, module_by_path, resolve_path, submodules_of, Cx, Group, ModuleDef};

static PARAMS: &[ParamDef] = &[
    ParamDef::string("modules").multi().help(
        "Paths of the modules to describe: values of action and format, main, or query \
         submodules written query+name. Add +* to a path for all of its submodules, or +** \
         for all of them recursively; * alone means every top-level module.",
    ),
    ParamDef::enumeration("helpformat", &["html", "wikitext", "raw", "none"])
        .default("none")
        .help("How help texts are returned; none leaves them out.")
        .value_help(&[
            ("html", "Rendered as HTML."),
            ("wikitext", "As wikitext source."),
            ("raw", "As message keys with their parameters."),
            ("none", "Without any help text."),
        ]),
    ParamDef::new("querymodules", PType::ModuleNames(SubGroup::Query))
        .multi()
        .deprecated()
        .help("Names of query submodules to describe; use modules=query+name instead."),
    ParamDef::string("mainmodule")
        .deprecated()
        .help("Also describe the main module; use modules=main instead."),
    ParamDef::string("pagesetmodule")
        .deprecated()
        .help("Also describe the parameters shared by every page-set module."),
    ParamDef::new("formatmodules", PType::ModuleNames(SubGroup::Format))
        .multi()
        .deprecated()
        .help("Names of output formats to describe; use modules instead."),
];

pub static PARAMINFO: ModuleDef = ModuleDef {
    read_rights: false,
    summary: "Describe API modules and their parameters in a machine-readable form.",
    params: PARAMS,
    help_urls: &["https://www.mediawiki.org/wiki/Special:MyLanguage/API:Parameter_information"],
    examples: &[
        (
            "action=paraminfo&modules=parse|phpfm|query%2Ballpages|query%2Bsiteinfo",
            "Describe action=parse, format=phpfm, list=allpages and meta=siteinfo.",
        ),
        (
            "action=paraminfo&modules=query%2B*",
            "Describe every submodule of action=query.",
        ),
    ],
    execute: Some(execute),
    ..ModuleDef::new("paraminfo", Group::Action, "ApiParamInfo")
};

/// The `helpformat` parameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HelpFormat {
    None,
    Wikitext,
    Html,
    Raw,
}

impl HelpFormat {
    fn parse(s: &str) -> HelpFormat {
        match s {
            "wikitext" => HelpFormat::Wikitext,
            "html" => HelpFormat::Html,
            "raw" => HelpFormat::Raw,
            _ => HelpFormat::None,
        }
    }
}

/// One help message: its MediaWiki key and parameters (for `raw`) and our text.
#[derive(Debug, Clone)]
pub struct Doc {
    pub key: String,
    pub params: Vec<String>,
    pub text: String,
    /// For per-value documentation: the value as wikitext and its description.
    pub value: Option<(String, String)>,
}

/// Facts about the wiki that the descriptions need.
pub struct Site<'a> {
    /// `$wgServer`, without a trailing slash.
    pub server: &'a str,
    /// `$wgArticlePath` (`/wiki/$1`).
    pub article_path: &'a str,
    pub script_path: &'a str,
}

impl Site<'_> {
    /// Local URL of a wiki page.
    pub fn page_url(&self, title: &str) -> String {
        let t = title.replace(' ', "_");
        if self.article_path.contains("$1") {
            self.article_path.replace("$1", &t)
        } else {
            format!("{}/{}", self.article_path.trim_end_matches('/'), t)
        }
    }
}

fn execute(cx: &mut Cx<'_>, p: &Params) -> ApiResult<()> {
    let helpformat = HelpFormat::parse(p.str("helpformat").unwrap_or("none"));
    let mut paths: Vec<String> = Vec::new();
    for raw in p.list("modules") {
        let path = if raw == "*" || raw == "**" {
            format!("main+{raw}")
        } else {
            raw.clone()
        };
        let (base, recursive) = if let Some(b) = path
            .strip_suffix("+**")
            .or_else(|| path.strip_suffix(" **"))
        {
            (b, Some(true))
        } else if let Some(b) = path.strip_suffix("+*").or_else(|| path.strip_suffix(" *")) {
            (b, Some(false))
        } else {
            (path.as_str(), None)
        };
        let Some(recursive) = recursive else {
            paths.push(path.clone());
            continue;
        };
        match resolve_path(base) {
            Err(e) => warn_error(cx, e),
            Ok(m) => {
                let subs = list_all_submodules(m, recursive);
                if subs.is_empty() {
                    cx.warn_in(
                        "paraminfo",
                        "badmodule",
                        crate::api::message::Msg::new("apierror-badmodule-nosubmodules").p(base),
                        None,
                    );
                } else {
                    paths.extend(subs);
                }
            }
        }
    }
    let query_modules: Vec<String> = p.list("querymodules").to_vec();
    paths.extend(query_modules.iter().map(|m| format!("query+{m}")));
    let format_modules: Vec<String> = p.list("formatmodules").to_vec();
    paths.extend(format_modules.iter().cloned());
    let mut unique: Vec<String> = Vec::with_capacity(paths.len());
    for path in paths {
        if !unique.contains(&path) {
            unique.push(path);
        }
    }

    let server = cx.app.server_for(cx.req);
    let site = Site {
        server: &server,
        article_path: &cx.app.config.article_path,
        script_path: &cx.app.config.script_path,
    };
    let mut out = Map::new().with(
        "helpformat",
        match helpformat {
            HelpFormat::None => "none",
            HelpFormat::Wikitext => "wikitext",
            HelpFormat::Html => "html",
            HelpFormat::Raw => "raw",
        },
    );
    for path in &unique {
        let module = match resolve_path(path) {
            Ok(m) => m,
            Err(e) => {
                warn_error(cx, e);
                continue;
            }
        };
        let is_bc_query = matches!(module.group, Group::Meta | Group::List | Group::Prop)
            && query_modules.iter().any(|q| q == module.name);
        let key = if format_modules.iter().any(|f| f == module.name) {
            "formatmodules"
        } else if is_bc_query {
            "querymodules"
        } else {
            "modules"
        };
        let mut item = module_info(cx, module, helpformat, &site);
        if is_bc_query {
            item.set("querytype", module.group.name());
        }
        out.list_mut(key, "module").push(item);
    }
    if truthy(p.str("mainmodule")) {
        out.set(
            "mainmodule",
            module_info(cx, &crate::api::MAIN, helpformat, &site),
        );
    }
    if truthy(p.str("pagesetmodule")) {
        let mut info = module_info(cx, &PAGESET, helpformat, &site);
        info.remove("name");
        info.remove("path");
        info.remove("group");
        out.set("pagesetmodule", info);
    }
    cx.result.set("paraminfo", out);
    Ok(())
}

/// PHP truthiness of an optional string parameter.
fn truthy(v: Option<&str>) -> bool {
    matches!(v, Some(s) if !s.is_empty() && s != "0")
}

/// Turns a lookup failure into warnings on paraminfo, as MediaWiki does.
fn warn_error(cx: &mut Cx<'_>, e: ApiError) {
    if let ApiError::Usage { errors, .. } = e {
        for item in errors {
            cx.warn_in("paraminfo", &item.code, item.msg, item.data);
        }
    }
}

/// Paths of a module's submodules, sorted by name, optionally recursive.
pub fn list_all_submodules(m: &ModuleDef, recursive: bool) -> Vec<String> {
    let Some(mut subs) = submodules_of(m) else {
        return Vec::new();
    };
    subs.sort_by(|a, b| a.name.cmp(b.name));
    let mut out = Vec::new();
    for s in subs {
        out.push(s.path());
        if recursive && submodules_of(s).is_some() {
            out.extend(list_all_submodules(s, true));
        }
    }
    out
}

/// MediaWiki's help flags of a module, in its order.
pub fn help_flags(m: &ModuleDef) -> Vec<&'static str> {
    let mut flags = Vec::new();
    if m.deprecated {
        flags.push("deprecated");
    }
    if m.internal {
        flags.push("internal");
    }
    if m.read_rights {
        flags.push("readrights");
    }
    if m.write_rights {
        flags.push("writerights");
    }
    if m.must_post {
        flags.push("mustbeposted");
    }
    if m.generate.is_some() {
        flags.push("generator");
    }
    flags
}

/// The module's description messages: summary and extended help.
pub fn module_docs(m: &ModuleDef) -> Vec<Doc> {
    let path = m.path();
    let params = vec![m.prefix.to_string(), m.name.to_string(), path.clone()];
    vec![
        Doc {
            key: format!("apihelp-{path}-summary"),
            params: params.clone(),
            text: m.summary.to_string(),
            value: None,
        },
        Doc {
            key: format!("apihelp-{path}-extended-description"),
            params,
            text: m.extra_help.join("\n\n"),
            value: None,
        },
    ]
}

/// Values of a parameter with their help: submodule summaries for submodule
/// types, the declared per-value help for enums. Empty when there is none.
pub fn value_docs(def: &ParamDef) -> Vec<(String, &'static ModuleDef)> {
    match def.ptype {
        PType::Submodule(g) => {
            let owner = g.owner();
            group_names(g)
                .into_iter()
                .filter_map(|name| {
                    let path = if owner == "main" {
                        name.clone()
                    } else {
                        format!("{owner}+{name}")
                    };
                    module_by_path(&path).map(|m| (path, m))
                })
                .collect()
        }
        _ => Vec::new(),
    }
}

/// The description messages of one parameter, per-value entries included.
pub fn param_docs(m: &ModuleDef, def: &ParamDef) -> Vec<Doc> {
    let path = m.path();
    let mut docs = vec![Doc {
        key: format!("apihelp-{path}-param-{}", def.name),
        params: vec![
            m.prefix.to_string(),
            def.name.to_string(),
            m.name.to_string(),
            path.clone(),
        ],
        text: def.help.to_string(),
        value: None,
    }];
    for (subpath, sub) in value_docs(def) {
        let link = format!("[[Special:ApiHelp/{subpath}|{}]]", sub.name);
        docs.push(Doc {
            key: format!("apihelp-{subpath}-summary"),
            params: vec![
                sub.prefix.to_string(),
                sub.name.to_string(),
                subpath.clone(),
            ],
            text: format!(
                ";<span dir=\"ltr\" lang=\"en\">{link}</span>:{}",
                sub.summary
            ),
            value: Some((link, sub.summary.to_string())),
        });
    }
    for (value, help) in def.value_help {
        docs.push(Doc {
            key: format!("apihelp-{path}-paramvalue-{}-{value}", def.name),
            params: vec![
                m.prefix.to_string(),
                def.name.to_string(),
                m.name.to_string(),
                path.clone(),
                value.to_string(),
            ],
            text: format!(";<span dir=\"ltr\" lang=\"en\">{value}</span>:{help}"),
            value: Some((value.to_string(), help.to_string())),
        });
    }
    docs
}

/// A tiny wikitext-to-HTML step for our own help texts: internal links only.
pub fn doc_html(text: &str, site: &Site<'_>) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("[[") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let Some(end) = after.find("]]") else {
            out.push_str(&rest[start..]);
            rest = "";
            break;
        };
        let inner = &after[..end];
        let (target, label) = inner.split_once('|').unwrap_or((inner, inner));
        out.push_str(&format!(
            "<a href=\"{}\" title=\"{}\">{}</a>",
            html_escape(&site.page_url(target.trim())),
            html_escape(target.trim()),
            label
        ));
        rest = &after[end + 2..];
    }
    out.push_str(rest);
    out
}

/// Renders one message as a block, as `Message::parseAsBlock` would.
fn doc_block(d: &Doc, site: &Site<'_>) -> String {
    if let Some((value, desc)) = &d.value {
        return format!(
            "<dl><dt><span dir=\"ltr\" lang=\"en\">{}</span></dt>\n<dd>{}</dd></dl>",
            doc_html(value, site),
            doc_html(desc, site)
        );
    }
    if d.text.is_empty() {
        return String::new();
    }
    d.text
        .split("\n\n")
        .map(|para| format!("<p>{}\n</p>", doc_html(para, site)))
        .collect()
}

/// Sets `key` on `res` to the messages in the requested help format
/// (`ApiParamInfo::formatHelpMessages`).
fn format_docs(
    res: &mut Map,
    key: &str,
    docs: &[Doc],
    fmt: HelpFormat,
    join_lists: bool,
    site: &Site<'_>,
) {
    match fmt {
        HelpFormat::None => {}
        HelpFormat::Wikitext => {
            let mut text = String::new();
            for (i, d) in docs.iter().enumerate() {
                if i > 0 {
                    let prev = &docs[i - 1].text;
                    let same_list = join_lists
                        && d.text
                            .chars()
                            .next()
                            .filter(|c| matches!(c, '*' | '#' | ':' | ';'))
                            .is_some_and(|c| prev.rsplit('\n').next().unwrap_or("").starts_with(c));
                    text.push_str(if same_list { "\n" } else { "\n\n" });
                }
                text.push_str(&d.text);
            }
            res.set(key, text);
        }
        HelpFormat::Html => {
            let mut html = docs
                .iter()
                .map(|d| doc_block(d, site))
                .collect::<Vec<_>>()
                .join("\n");
            if join_lists {
                html = html.replace("</dl>\n<dl>", "\n");
            }
            res.set(key, strip_outer_paragraph(&html));
        }
        HelpFormat::Raw => {
            let mut list = List::new("msg");
            for d in docs {
                let mut m = Map::new().with("key", d.key.as_str()).with(
                    "params",
                    List::of("param", d.params.iter().map(String::as_str)),
                );
                if let Some((value, _)) = &d.value {
                    m.set("forvalue", value.as_str());
                }
                list.push(m);
            }
            res.set(key, list);
        }
    }
}

/// `Parser::stripOuterParagraph`: drops a single wrapping `<p>…</p>`.
fn strip_outer_paragraph(html: &str) -> String {
    let trimmed = html.strip_suffix('\n').unwrap_or(html);
    if let Some(inner) = trimmed
        .strip_prefix("<p>")
        .and_then(|s| s.strip_suffix("</p>"))
    {
        if !inner.contains("</p>") {
            return inner.strip_suffix('\n').unwrap_or(inner).to_string();
        }
    }
    html.to_string()
}

/// The default as MediaWiki declares it: integers for numeric types.
pub fn default_val(def: &ParamDef) -> Option<Val> {
    let d = def.default?;
    if def.ptype == PType::Boolean {
        return None;
    }
    let numeric = matches!(
        def.ptype,
        PType::Integer { .. } | PType::Limit { .. } | PType::Namespace
    );
    // Multi-valued namespaces default to the integer NS_MAIN in MediaWiki too.
    if numeric && (!def.multi || def.ptype == PType::Namespace) {
        if let Ok(i) = d.parse::<i64>() {
            return Some(Val::Int(i));
        }
    }
    Some(Val::str(d))
}

/// `ApiParamInfo::getModuleInfo`.
pub fn module_info(cx: &Cx<'_>, m: &ModuleDef, fmt: HelpFormat, site: &Site<'_>) -> Map {
    let path = m.path();
    let mut ret = Map::new()
        .with("name", m.name)
        .with("classname", m.classname)
        .with("path", path.as_str());
    if !m.is_main() {
        ret.set("group", m.group.name());
    }
    ret.set("prefix", m.prefix);
    ret.set("source", m.source);
    ret.set("sourcename", m.source);
    ret.set("licensetag", m.license);
    ret.set(
        "licenselink",
        format!(
            "{}{}",
            site.server,
            site.page_url(&format!("Special:Version/License/{}", m.source))
        ),
    );
    format_docs(&mut ret, "description", &module_docs(m), fmt, false, site);
    for flag in help_flags(m) {
        ret.set(flag, true);
    }
    ret.set("helpurls", List::of("helpurl", m.help_urls.iter().copied()));
    if fmt != HelpFormat::None {
        let mut examples = List::new("example");
        for (i, (query, desc)) in m.examples.iter().enumerate() {
            let mut item = Map::new().with("query", *query);
            let doc = Doc {
                key: format!("apihelp-{path}-example-{}", i + 1),
                params: vec![m.prefix.to_string(), m.name.to_string(), path.clone()],
                text: desc.to_string(),
                value: None,
            };
            format_docs(&mut item, "description", &[doc], fmt, false, site);
            // A single message comes back as itself, not as a one-item list.
            if let Some(Val::List(l)) = item.get("description") {
                if let Some(first) = l.items.first().cloned() {
                    item.set("description", first);
                }
            } else {
                item.set_subelement("description");
            }
            examples.push(item);
        }
        ret.set("examples", examples);
    }
    let mut params = List::new("param");
    for (i, def) in m.params.iter().enumerate() {
        let mut item = Map::new().with("index", i + 1).with("name", def.name);
        format_docs(
            &mut item,
            "description",
            &param_docs(m, def),
            fmt,
            true,
            site,
        );
        param_info(cx, m, def, &mut item);
        params.push(item);
    }
    ret.set("parameters", params);
    ret.set("templatedparameters", List::new("param"));
    if let Some(dynamic) = m.dynamic_params {
        if fmt == HelpFormat::None {
            ret.set("dynamicparameters", true);
        } else {
            let doc = Doc {
                key: format!("apihelp-{path}-dynamicparameters"),
                params: vec![m.prefix.to_string(), m.name.to_string(), path.clone()],
                text: dynamic.to_string(),
                value: None,
            };
            format_docs(&mut ret, "dynamicparameters", &[doc], fmt, false, site);
        }
    }
    ret
}

/// `ParamValidator::getParamInfo` and the type-specific additions, in MediaWiki's
/// key order.
fn param_info(cx: &Cx<'_>, m: &ModuleDef, def: &ParamDef, item: &mut Map) {
    let type_val: Val = match def.ptype {
        PType::String => "string".into(),
        PType::Text => "text".into(),
        PType::Integer { .. } => "integer".into(),
        PType::Limit { .. } => "limit".into(),
        PType::Boolean => "boolean".into(),
        PType::Timestamp => "timestamp".into(),
        PType::Expiry => "expiry".into(),
        PType::User => "user".into(),
        PType::Title => "title".into(),
        PType::Namespace => "namespace".into(),
        PType::Password => "password".into(),
        PType::Upload => "upload".into(),
        PType::Enum(values) => {
            List::of("t", sorted_enum_values(values, def.deprecated_values)).into()
        }
        PType::Submodule(g) | PType::ModuleNames(g) => List::of("t", group_names(g)).into(),
        PType::Tags => {
            let tags = cx.dynamic_values(&PType::Tags);
            let refs: Vec<&str> = tags.iter().map(String::as_str).collect();
            List::of("t", sorted_enum_values(&refs, &[])).into()
        }
    };
    item.set("type", type_val);
    item.set("required", def.required);
    if def.deprecated {
        item.set("deprecated", true);
    }
    if def.sensitive {
        item.set("sensitive", true);
    }
    if let Some(d) = default_val(def) {
        item.set("default", d);
    }
    let multi = def.multi && !matches!(def.ptype, PType::Limit { .. });
    item.set("multi", multi);
    if multi {
        let (low, high) = def.limits;
        let high = high.max(low);
        let limit = if high > low && cx.high_limits() {
            high
        } else {
            low
        };
        item.set("lowlimit", low);
        item.set("highlimit", high);
        item.set("limit", limit);
        if def.allow_duplicates {
            item.set("allowsduplicates", true);
        }
        if def.allow_all {
            item.set("allspecifier", "*");
        }
    }
    match def.ptype {
        PType::Integer { min, max } => {
            item.set_opt("min", min);
            item.set_opt("max", max);
        }
        PType::Limit { max, max2 } => {
            item.set("min", 1i64);
            item.set("max", max);
            if max2 > max {
                item.set("highmax", max2);
            }
        }
        PType::User => {
            item.set("subtypes", List::of("_v", def.user_kinds().iter().copied()));
        }
        PType::Title => {
            item.set("mustExist", false);
        }
        PType::Submodule(g) => {
            let owner = g.owner();
            let names = group_names(g);
            let mut map = Map::new();
            let mut deprecated = Vec::new();
            let mut internal = Vec::new();
            for name in &names {
                let sub_path = if owner == "main" {
                    name.clone()
                } else {
                    format!("{owner}+{name}")
                };
                if let Some(sub) = module_by_path(&sub_path) {
                    if sub.deprecated {
                        deprecated.push(name.clone());
                    }
                    if sub.internal {
                        internal.push(name.clone());
                    }
                }
                map.set(name.as_str(), sub_path);
            }
            item.set("submodules", map);
            if g == SubGroup::Generator {
                item.set("submoduleparamprefix", "g");
            }
            deprecated.sort();
            internal.sort();
            if !deprecated.is_empty() {
                item.set("deprecatedvalues", List::of("_v", deprecated));
            }
            if !internal.is_empty() {
                item.set("internalvalues", List::of("_v", internal));
            }
        }
        PType::Enum(values) => {
            let deprecated: Vec<&str> = values
                .iter()
                .copied()
                .filter(|v| def.deprecated_values.contains(v))
                .collect();
            if !deprecated.is_empty() {
                item.set(
                    "deprecatedvalues",
                    List::of("_v", sorted_enum_values(&deprecated, &[])),
                );
            }
        }
        _ => {}
    }
    if def.name == "token" {
        if let Some(t) = m.token {
            item.set("tokentype", t);
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::api::request::{Method, RawRequest};

    /// Runs one GET request against a fresh wiki in a temporary directory.
    pub(crate) fn get(query: &str) -> (crate::api::ApiResponse, tempfile::TempDir) {
        let dir = tempfile::tempdir().expect("temp dir");
        let config = crate::config::Config {
            data_dir: dir.path().to_path_buf(),
            server: "http://127.0.0.1:8080".into(),
            sitename: "Refwiki".into(),
            admin_password: Some("Test-password-1".into()),
            ..crate::config::Config::default()
        };
        let (app, _) = crate::open_app(config).expect("app");
        let mut req = RawRequest::new(Method::Get);
        req.add_urlencoded(query.as_bytes(), true);
        let resp = crate::api::execute(&app, &req);
        (resp, dir)
    }

    pub(crate) fn get_json(query: &str) -> serde_json::Value {
        let (resp, _dir) = get(query);
        serde_json::from_slice(&resp.body).expect("JSON body")
    }

    /// MediaWiki 1.39's `action=paraminfo&modules=main&formatversion=2` for the
    /// main parameters after `action` and `format` (whose values depend on the
    /// modules installed).
    const MAIN_REST: &str = r#"[
      {"index":3,"name":"maxlag","type":"integer","required":false,"multi":false},
      {"index":4,"name":"smaxage","type":"integer","required":false,"default":0,"multi":false},
      {"index":5,"name":"maxage","type":"integer","required":false,"default":0,"multi":false},
      {"index":6,"name":"assert","type":["anon","bot","user"],"required":false,"multi":false},
      {"index":7,"name":"assertuser","type":"user","required":false,"multi":false,"subtypes":["name"]},
      {"index":8,"name":"requestid","type":"string","required":false,"multi":false},
      {"index":9,"name":"servedby","type":"boolean","required":false,"multi":false},
      {"index":10,"name":"curtimestamp","type":"boolean","required":false,"multi":false},
      {"index":11,"name":"responselanginfo","type":"boolean","required":false,"multi":false},
      {"index":12,"name":"origin","type":"string","required":false,"multi":false},
      {"index":13,"name":"uselang","type":"string","required":false,"default":"user","multi":false},
      {"index":14,"name":"variant","type":"string","required":false,"multi":false},
      {"index":15,"name":"errorformat","type":["bc","html","none","plaintext","raw","wikitext"],"required":false,"default":"bc","multi":false},
      {"index":16,"name":"errorlang","type":"string","required":false,"default":"uselang","multi":false},
      {"index":17,"name":"errorsuselocal","type":"boolean","required":false,"multi":false}
    ]"#;

    #[test]
    fn main_module_matches_mediawiki() {
        let v = get_json("action=paraminfo&modules=main&format=json&formatversion=2");
        let m = &v["paraminfo"]["modules"][0];
        let keys: Vec<&str> = m
            .as_object()
            .expect("module object")
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(
            keys,
            [
                "name",
                "classname",
                "path",
                "prefix",
                "source",
                "sourcename",
                "licensetag",
                "licenselink",
                "helpurls",
                "parameters",
                "templatedparameters"
            ]
        );
        assert_eq!(
            m["licenselink"],
            "http://127.0.0.1:8080/wiki/Special:Version/License/MediaWiki"
        );
        let params = m["parameters"].as_array().expect("parameters");
        let rest: serde_json::Value = serde_json::from_str(MAIN_REST).expect("literal");
        assert_eq!(serde_json::Value::Array(params[2..].to_vec()), rest);

        let action = &params[0];
        assert_eq!(action["name"], "action");
        assert_eq!(action["default"], "help");
        let names = group_names(SubGroup::Action);
        assert_eq!(action["type"], serde_json::json!(names));
        for n in &names {
            assert_eq!(action["submodules"][n.as_str()], n.as_str());
        }
        let format = &params[1];
        assert_eq!(format["default"], "jsonfm");
        assert_eq!(
            format["type"],
            serde_json::json!(group_names(SubGroup::Format))
        );
    }

    #[test]
    fn formatversion_1_uses_bc_booleans() {
        let v = get_json("action=paraminfo&modules=json|paraminfo&format=json");
        let json = &v["paraminfo"]["modules"][0];
        assert_eq!(json["readrights"], "");
        let p = &json["parameters"][3];
        assert_eq!(p["name"], "formatversion");
        assert_eq!(p["type"], serde_json::json!(["1", "2", "latest"]));
        assert_eq!(p["default"], "1");
        assert!(p.get("required").is_none());
        assert!(p.get("multi").is_none());
        let pi = &v["paraminfo"]["modules"][1];
        assert!(pi.get("readrights").is_none());
        assert_eq!(pi["parameters"][2]["name"], "querymodules");
        assert_eq!(pi["parameters"][2]["deprecated"], "");
        assert_eq!(pi["parameters"][2]["multi"], "");
        assert_eq!(pi["parameters"][2]["limit"], 50);
    }

    #[test]
    fn unknown_modules_and_wildcards_warn() {
        let v = get_json(
            "action=paraminfo&modules=nosuch|help%2B*|main%2Bhelp|help%2Bx%2By&format=json",
        );
        assert_eq!(
            v["warnings"]["paraminfo"]["*"],
            "The module \"help\" has no submodules.\n\
             The module \"main\" does not have a submodule \"nosuch\".\n\
             The module \"main\" does not have a submodule \"main\"."
        );
        assert_eq!(v["paraminfo"], serde_json::json!({"helpformat": "none"}));

        let v = get_json("action=paraminfo&modules=*&format=json&formatversion=2");
        let paths: Vec<&str> = v["paraminfo"]["modules"]
            .as_array()
            .expect("modules")
            .iter()
            .filter_map(|m| m["path"].as_str())
            .collect();
        let mut expected: Vec<String> = crate::api::ACTIONS
            .iter()
            .chain(crate::api::FORMATS.iter())
            .map(|m| m.name.to_string())
            .collect();
        expected.sort();
        assert_eq!(paths, expected);
    }

    #[test]
    fn help_formats_and_deprecated_modules() {
        let v = get_json(
            "action=paraminfo&modules=help&helpformat=raw&mainmodule=1&pagesetmodule=1\
             &format=json&formatversion=2",
        );
        let help = &v["paraminfo"]["modules"][0];
        assert_eq!(help["description"][0]["key"], "apihelp-help-summary");
        assert_eq!(
            help["description"][0]["params"],
            serde_json::json!(["", "help", "help"])
        );
        assert_eq!(
            help["examples"][0]["description"]["params"],
            serde_json::json!(["", "help", "help"])
        );
        assert_eq!(
            help["parameters"][0]["description"][0]["params"],
            serde_json::json!(["", "modules", "help", "help"])
        );
        assert_eq!(v["paraminfo"]["mainmodule"]["path"], "main");
        let pageset = &v["paraminfo"]["pagesetmodule"];
        assert!(pageset.get("name").is_none());
        assert_eq!(pageset["classname"], "ApiPageSet");
        assert_eq!(pageset["parameters"][3]["submoduleparamprefix"], "g");
        assert_eq!(
            v["warnings"]["paraminfo"]["warnings"],
            "The parameter \"mainmodule\" has been deprecated.\n\
             The parameter \"pagesetmodule\" has been deprecated."
        );

        let v = get_json("action=paraminfo&modules=help&helpformat=html&format=json");
        let help = &v["paraminfo"]["modules"][0];
        assert_eq!(help["description"], HELP_SUMMARY);
        let v = get_json("action=paraminfo&modules=help&helpformat=wikitext&format=json");
        let help = &v["paraminfo"]["modules"][0];
        assert_eq!(help["description"], format!("{HELP_SUMMARY}\n\n"));
    }

    const HELP_SUMMARY: &str = "Show the documentation of API modules as an HTML page.";

    #[test]
    fn natural_order_of_enum_values() {
        assert_eq!(
            sorted_enum_values(&["wikitext", "html", "none", "raw"], &[]),
            ["html", "none", "raw", "wikitext"]
        );
        assert_eq!(
            sorted_enum_values(&["0.11", "0.10", "2", "10", "1"], &[]),
            ["0.10", "0.11", "1", "2", "10"]
        );
        assert_eq!(sorted_enum_values(&["b", "a"], &["a"]), ["b", "a"]);
    }
}
