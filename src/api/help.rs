//! `action=help`: HTML documentation generated from the module declarations.
//! https://www.mediawiki.org/wiki/API:Main_page (mirrors includes/api/ApiHelp.php)
//!
//! The page has the structure of MediaWiki's generated help (header, link trail,
//! flags, description, help URLs, parameters with their type notes, examples,
//! submodules), built from the same `ModuleDef`/`ParamDef` data that drives
//! validation and paraminfo. The descriptions are our own words.

use crate::api::error::ApiResult;
use crate::api::message::{format_num, html_escape};
use crate::api::paraminfo::{help_flags, value_docs, Site};
use crate::api::params::{sorted_enum_values, PType, ParamDef, Params};
use crate::api::result::Map;
use crate::api::RawOutput;
use crate::api::{group_names, parent_of, resolve_path, submodules_of, Cx, Group, ModuleDef};

static PARAMS: &[ParamDef] = &[
    ParamDef::string("modules").multi().default("main").help(
        "The modules to document: values of action and format, or main. Query submodules \
         and other submodules are written with a +, as in query+allpages.",
    ),
    ParamDef::boolean("submodules")
        .help("Document the submodules of each named module as well, one level deep."),
    ParamDef::boolean("recursivesubmodules")
        .help("Document the submodules of each named module, and theirs, all the way down."),
    ParamDef::boolean("wrap").help(
        "Return the page inside an ordinary API result (keys mime, filename and help) \
         instead of as a bare HTML document.",
    ),
    ParamDef::boolean("toc").help("Put a table of contents above the documentation."),
];

pub static HELP: ModuleDef = ModuleDef {
    read_rights: false,
    summary: "Show the documentation of API modules as an HTML page.",
    params: PARAMS,
    help_urls: &[
        "https://www.mediawiki.org/wiki/Special:MyLanguage/API:Main_page",
        "https://www.mediawiki.org/wiki/Special:MyLanguage/API:FAQ",
        "https://www.mediawiki.org/wiki/Special:MyLanguage/API:Quick_start_guide",
    ],
    examples: &[
        ("action=help", "The documentation of the main module."),
        (
            "action=help&modules=query&submodules=1",
            "action=query together with every query submodule.",
        ),
        (
            "action=help&recursivesubmodules=1",
            "Every module of the API on a single page.",
        ),
        (
            "action=help&modules=help",
            "The documentation of this help module.",
        ),
        (
            "action=help&modules=query+info|query+categorymembers",
            "Two query submodules side by side.",
        ),
    ],
    execute: Some(execute),
    ..ModuleDef::new("help", Group::Action, "ApiHelp")
};

/// What the page should contain.
#[derive(Debug, Clone, Copy)]
struct Opts {
    submodules: bool,
    recursive: bool,
}

/// One heading, for the table of contents and for local links.
struct Heading {
    anchor: String,
    level: usize,
    number: String,
    line: String,
}

/// Builds the page for one request.
struct Page<'a> {
    site: Site<'a>,
    /// `…/api.php`, relative to the server.
    api: String,
    headings: Vec<Heading>,
    /// Module paths documented on this page (links to them stay on the page).
    local: Vec<String>,
    namespaces: Vec<String>,
}

fn execute(cx: &mut Cx<'_>, p: &Params) -> ApiResult<()> {
    let mut modules: Vec<&'static ModuleDef> = Vec::new();
    for path in p.list("modules") {
        modules.push(resolve_path(path)?);
    }
    let recursive = p.flag("recursivesubmodules");
    let opts = Opts {
        submodules: recursive || p.flag("submodules"),
        recursive,
    };
    let server = cx.app.server_for(cx.req);
    let mut page = Page {
        site: Site {
            server: &server,
            article_path: &cx.app.config.article_path,
            script_path: &cx.app.config.script_path,
        },
        api: format!("{}/api.php", cx.app.config.script_path),
        headings: Vec::new(),
        local: Vec::new(),
        namespaces: cx.dynamic_values(&PType::Namespace),
    };
    collect_local(&modules, opts, &mut page.local);
    let mut body = String::new();
    body.push_str(
        "<p>This is an auto-generated MediaWiki API documentation page.\n</p>\
         <p>Documentation and examples: <a class=\"external free\" \
         href=\"https://www.mediawiki.org/wiki/Special:MyLanguage/API:Main_page\">\
         https://www.mediawiki.org/wiki/Special:MyLanguage/API:Main_page</a>\n</p>",
    );
    let mut tocnumber = vec![0usize];
    let content = page.modules_html(&modules, opts, 2, &mut tocnumber, modules.len() == 1);
    if p.flag("toc") && !page.headings.is_empty() {
        body.push_str(&page.toc());
    }
    body.push_str(&content);
    let html = format!(
        "<!DOCTYPE html>\n<html class=\"client-nojs\" lang=\"en\" dir=\"ltr\">\n<head>\n\
         <meta charset=\"UTF-8\"/>\n<title>MediaWiki API help - {sitename}</title>\n\
         <meta name=\"robots\" content=\"noindex,nofollow\"/>\n</head>\n\
         <body class=\"mediawiki ltr sitedir-ltr mw-hide-empty-elt ns--1 ns-special \
         mw-special-ApiHelp page-Special_ApiHelp rootpage-Special_ApiHelp skin-apioutput \
         action-view\"><div class=\"mw-body\" role=\"main\">\n\
         \t<h1 id=\"firstHeading\">MediaWiki API help</h1>\n\
         \t<div class=\"mw-body-content\">\n\
         \t\t<div id=\"mw-content-text\" class=\"mw-body-content\">{body}</div>\n\
         \t</div>\n</div>\n</body>\n</html>",
        sitename = html_escape(&cx.app.config.sitename),
    );
    if p.flag("wrap") {
        let mut data = Map::new()
            .with("mime", "text/html")
            .with("filename", "api-help.html")
            .with("help", html);
        data.set_subelement("help");
        cx.result.set("help", data);
    } else {
        cx.raw_output = Some(RawOutput {
            content_type: "text/html; charset=utf-8".into(),
            filename: "api-help.html".into(),
            body: html,
        });
    }
    Ok(())
}

/// Paths of every module the page will document.
fn collect_local(modules: &[&'static ModuleDef], opts: Opts, out: &mut Vec<String>) {
    for m in modules {
        out.push(m.path());
        if opts.submodules {
            let subs = documented_submodules(m);
            let sub_opts = Opts {
                submodules: opts.recursive,
                ..opts
            };
            collect_local(&subs, sub_opts, out);
        }
    }
}

/// The submodules `action=help&submodules=1` documents: those of each submodule
/// parameter's group, in parameter order, sorted by name within a group.
fn documented_submodules(m: &ModuleDef) -> Vec<&'static ModuleDef> {
    let Some(children) = submodules_of(m) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for def in m.params {
        let PType::Submodule(g) = def.ptype else {
            continue;
        };
        let group_name = g.name();
        let mut names: Vec<&'static ModuleDef> = children
            .iter()
            .copied()
            .filter(|c| c.group.name() == group_name)
            .collect();
        names.sort_by(|a, b| a.name.cmp(b.name));
        out.extend(names);
    }
    out
}

/// The flag sentences of the help page.
fn flag_text(flag: &str) -> &'static str {
    match flag {
        "deprecated" => "This module is deprecated.",
        "internal" => {
            "<strong>This module is internal or unstable.</strong> It may change without notice."
        }
        "readrights" => "This module requires read rights.",
        "writerights" => "This module requires write rights.",
        "mustbeposted" => "This module only accepts POST requests.",
        "generator" => "This module can be used as a generator.",
        _ => "",
    }
}

impl Page<'_> {
    /// URL of the help of `path`: an anchor when it is on this page.
    fn help_link(&self, path: &str) -> String {
        if self.local.iter().any(|l| l == path) {
            format!("#{path}")
        } else {
            format!(
                "{}?action=help&amp;modules={}",
                self.api,
                path.replace('+', "%2B")
            )
        }
    }

    /// URL of a section of the main module's help (`main/datatype/boolean`).
    fn main_section_link(&self, section: &str) -> String {
        if self.local.iter().any(|l| l == "main") {
            format!("#main/{section}")
        } else {
            format!("{}?action=help&amp;modules=main#main/{section}", self.api)
        }
    }

    fn modules_html(
        &mut self,
        modules: &[&'static ModuleDef],
        opts: Opts,
        level: usize,
        tocnumber: &mut Vec<usize>,
        single: bool,
    ) -> String {
        let mut out = String::new();
        for m in modules {
            if let Some(last) = tocnumber.last_mut() {
                *last += 1;
            }
            let path = m.path();
            let mut parts: Vec<String> = Vec::new();

            // Header and link trail.
            let mut anchor = path.clone();
            let mut i = 1;
            while self.headings.iter().any(|h| h.anchor == anchor) {
                i += 1;
                anchor = format!("{path}|{i}");
            }
            let (content, attrs) = if m.is_main() {
                (
                    "Main module".to_string(),
                    "class=\"apihelp-header\"".to_string(),
                )
            } else {
                let group = match m.group {
                    Group::Action => "action",
                    Group::Format => "format",
                    other => other.name(),
                };
                let mut c = html_escape(&format!("{group}={}", m.name));
                if !m.prefix.is_empty() {
                    c.push_str(&format!(" ({})", html_escape(m.prefix)));
                }
                (
                    c,
                    "class=\"apihelp-header apihelp-module-name\" dir=\"ltr\" lang=\"en\""
                        .to_string(),
                )
            };
            let hl = level.min(6);
            let mut header = format!(
                "<h{hl} {attrs} id=\"{}\">{content}</h{hl}>",
                html_escape(&anchor)
            );
            self.headings.push(Heading {
                anchor: anchor.clone(),
                level,
                number: tocnumber
                    .iter()
                    .map(|n| n.to_string())
                    .collect::<Vec<_>>()
                    .join("."),
                line: content.clone(),
            });
            let mut chain: Vec<&ModuleDef> = vec![m];
            while let Some(parent) = chain.last().and_then(|c| parent_of(c)) {
                chain.push(parent);
            }
            chain.reverse();
            let mut links = Vec::new();
            let mut any = false;
            for c in &chain {
                let is_self = std::ptr::eq(*c, *m);
                let expands = opts.submodules && submodules_of(c).is_some();
                if single && is_self && !expands {
                    links.push(format!(
                        "<b dir=\"ltr\" lang=\"en\">{}</b>",
                        html_escape(c.name)
                    ));
                } else {
                    links.push(format!(
                        "<a href=\"{}?action=help&amp;modules={}\" class=\"apihelp-linktrail\" \
                         dir=\"ltr\" lang=\"en\">{}</a>",
                        self.api,
                        c.path().replace('+', "%2B"),
                        html_escape(c.name)
                    ));
                    any = true;
                }
            }
            if any {
                header.push_str(&format!(
                    "<div class=\"apihelp-linktrail\">({})</div>",
                    links.join(" | ")
                ));
            }
            parts.push(header);

            // Flags, source and license.
            let mut flags = String::from("<div class=\"apihelp-block apihelp-flags\"><ul>");
            for flag in help_flags(m) {
                flags.push_str(&format!(
                    "<li><span class=\"apihelp-flag-{flag}\">{}</span></li>",
                    flag_text(flag)
                ));
            }
            flags.push_str(&format!(
                "<li><span class=\"apihelp-source\">Source: <span dir=\"ltr\" lang=\"en\">{}</span></span></li>",
                html_escape(m.source)
            ));
            let license_page = format!("Special:Version/License/{}", m.source);
            flags.push_str(&format!(
                "<li><span class=\"apihelp-license\">License: <a href=\"{}\" title=\"{}\">\
                 <span dir=\"ltr\" lang=\"en\">{}</span></a></span></li></ul></div>",
                html_escape(&self.site.page_url(&license_page)),
                html_escape(&license_page),
                html_escape(m.license)
            ));
            parts.push(flags);

            // Description.
            let mut desc = String::new();
            for para in std::iter::once(m.summary).chain(m.extra_help.iter().copied()) {
                if !para.is_empty() {
                    desc.push_str(&format!("<p>{para}\n</p>"));
                }
            }
            parts.push(desc);

            // Help URLs.
            let mut urls = String::new();
            if !m.help_urls.is_empty() {
                urls.push_str("<div class=\"apihelp-block apihelp-help-urls\"><ul>");
                for u in m.help_urls {
                    let u = html_escape(u);
                    urls.push_str(&format!("<li><a href=\"{u}\" dir=\"ltr\">{u}</a></li>"));
                }
                urls.push_str("</ul></div>");
            }
            parts.push(urls);

            parts.push(self.params_html(m));
            parts.push(self.examples_html(m));

            // Submodules.
            let mut subs_html = String::new();
            if opts.submodules {
                let subs = documented_submodules(m);
                if !subs.is_empty() {
                    tocnumber.push(0);
                    let sub_opts = Opts {
                        submodules: opts.recursive,
                        ..opts
                    };
                    subs_html = self.modules_html(&subs, sub_opts, level + 1, tocnumber, false);
                    tocnumber.pop();
                }
            }
            parts.push(subs_html);
            if m.is_main() {
                parts.push(self.datatypes_html(level + 1));
            }
            out.push_str(&parts.join("\n"));
        }
        out
    }

    fn params_html(&self, m: &ModuleDef) -> String {
        if m.params.is_empty() && m.dynamic_params.is_none() {
            return String::new();
        }
        let mut h = String::from(
            "<div class=\"apihelp-block apihelp-parameters\">\
             <div class=\"apihelp-block-head\">Parameters:</div>",
        );
        if !m.is_main() {
            h.push_str(
                "<div class=\"apihelp-block-header\">The parameters of the main module \
                 apply as well.</div>",
            );
        }
        h.push_str("<dl>");
        for def in m.params {
            h.push_str(&format!(
                "<dt><span dir=\"ltr\" lang=\"en\">{}{}</span></dt>",
                html_escape(m.prefix),
                html_escape(def.name)
            ));
            if def.deprecated {
                h.push_str(
                    "<dd class=\"info\"><strong class=\"apihelp-deprecated\">Deprecated.\
                     </strong></dd>",
                );
            }
            let mut desc = if def.help.is_empty() {
                "<span class=\"apihelp-empty\">(no description)</span>".to_string()
            } else {
                format!("<p>{}\n</p>", def.help)
            };
            let mut values: Vec<(String, String)> = value_docs(def)
                .into_iter()
                .map(|(path, sub)| {
                    (
                        format!(
                            "<a href=\"{}\">{}</a>",
                            self.help_link(&path),
                            html_escape(sub.name)
                        ),
                        sub.summary.to_string(),
                    )
                })
                .collect();
            values.extend(
                def.value_help
                    .iter()
                    .map(|(v, d)| (html_escape(v), d.to_string())),
            );
            if !values.is_empty() {
                let items: Vec<String> = values
                    .iter()
                    .map(|(v, d)| {
                        format!("<dt><span dir=\"ltr\" lang=\"en\">{v}</span></dt>\n<dd>{d}</dd>")
                    })
                    .collect();
                desc.push_str(&format!("<dl>{}</dl>", items.join("\n")));
            }
            h.push_str(&format!("<dd class=\"description\">{desc}</dd>"));
            for info in self.param_info_lines(def) {
                h.push_str(&format!("<dd class=\"info\">{info}</dd>"));
            }
        }
        if let Some(dynamic) = m.dynamic_params {
            h.push_str(&format!(
                "<dt>*</dt><dd class=\"description\">{dynamic}</dd>"
            ));
        }
        h.push_str("</dl></div>");
        h
    }

    /// The type, limit and default notes under a parameter.
    fn param_info_lines(&self, def: &ParamDef) -> Vec<String> {
        let mut lines = Vec::new();
        if def.required {
            lines.push("This parameter is required.".to_string());
        }
        let multi = def.multi && !matches!(def.ptype, PType::Limit { .. });
        let (low, high) = def.limits;
        let separator = "Separate values with <kbd>|</kbd>.".to_string();
        let max_values = if high > low {
            format!(
                "Maximum number of values is {} ({} for bots).",
                format_num(low as i64),
                format_num(high as i64)
            )
        } else {
            format!("Maximum number of values is {}.", format_num(low as i64))
        };
        let details = |section: &str, name: &str| {
            format!(
                "Type: {name} (<a href=\"{}\">details</a>)",
                self.main_section_link(&format!("datatype/{section}"))
            )
        };
        let enum_values: Option<Vec<String>> = match def.ptype {
            PType::Enum(values) => Some(
                sorted_enum_values(values, def.deprecated_values)
                    .iter()
                    .map(|v| format!("<span dir=\"ltr\" lang=\"en\">{}</span>", html_escape(v)))
                    .collect(),
            ),
            PType::Submodule(g) => {
                let owner = g.owner();
                Some(
                    group_names(g)
                        .iter()
                        .map(|n| {
                            let path = if owner == "main" {
                                n.clone()
                            } else {
                                format!("{owner}+{n}")
                            };
                            format!(
                                "<a href=\"{}\"><span dir=\"ltr\" lang=\"en\">{}</span></a>",
                                self.help_link(&path),
                                html_escape(n)
                            )
                        })
                        .collect(),
                )
            }
            PType::ModuleNames(g) => Some(
                group_names(g)
                    .iter()
                    .map(|v| format!("<span dir=\"ltr\" lang=\"en\">{}</span>", html_escape(v)))
                    .collect(),
            ),
            PType::Namespace => Some(
                self.namespaces
                    .iter()
                    .map(|v| format!("<span dir=\"ltr\" lang=\"en\">{v}</span>"))
                    .collect(),
            ),
            PType::Tags => Some(Vec::new()),
            _ => None,
        };
        match (&enum_values, def.ptype) {
            (Some(values), _) => {
                let can_be_empty = matches!(def.ptype, PType::Enum(v) if v.contains(&""));
                let prefix = if can_be_empty {
                    "Can be empty, or "
                } else {
                    ""
                };
                if values.is_empty() {
                    lines.push("No values are accepted at present.".to_string());
                } else if multi {
                    lines.push(format!(
                        "{prefix}Values (separate with <kbd>|</kbd>): {}",
                        values.join(", ")
                    ));
                    if values.len() > low {
                        lines.push(max_values.clone());
                    }
                } else {
                    let one = if can_be_empty {
                        "one of the following values"
                    } else {
                        "One of the following values"
                    };
                    lines.push(format!("{prefix}{one}: {}", values.join(", ")));
                }
            }
            (None, PType::Boolean) => lines.push(details("boolean", "boolean")),
            (None, PType::Timestamp) => {
                let t = if multi {
                    "list of timestamps"
                } else {
                    "timestamp"
                };
                lines.push(details("timestamp", t));
            }
            (None, PType::Expiry) => lines.push(details("expiry", "expiry")),
            (None, PType::Integer { min, max }) => {
                lines.push(if multi {
                    "Type: list of integers".to_string()
                } else {
                    "Type: integer".to_string()
                });
                match (min, max) {
                    (Some(lo), Some(hi)) => lines.push(format!(
                        "The value must be between {} and {}.",
                        format_num(lo),
                        format_num(hi)
                    )),
                    (Some(lo), None) => lines.push(format!(
                        "The value must be no less than {}.",
                        format_num(lo)
                    )),
                    (None, Some(hi)) => lines.push(format!(
                        "The value must be no greater than {}.",
                        format_num(hi)
                    )),
                    (None, None) => {}
                }
            }
            (None, PType::Limit { max, max2 }) => {
                lines.push("Type: integer or <kbd>max</kbd>".to_string());
                if max2 > max {
                    lines.push(format!(
                        "The value must be between 1 and {} ({} for bots).",
                        format_num(max),
                        format_num(max2)
                    ));
                } else {
                    lines.push(format!(
                        "The value must be between 1 and {}.",
                        format_num(max)
                    ));
                }
            }
            (None, PType::User) => lines.push(format!(
                "Type: user, by {}",
                def.user_kinds()
                    .iter()
                    .map(|k| match *k {
                        "name" => "user name",
                        "ip" => "IP address",
                        "cidr" => "IP range",
                        "interwiki" => "interwiki name",
                        "id" => "user ID",
                        other => other,
                    })
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
            (None, PType::Title) => lines.push("Type: page title".to_string()),
            (None, PType::Password) => lines.push("Type: password".to_string()),
            (None, PType::Upload) => lines.push(
                "Must be sent as a file upload, in a multipart/form-data request.".to_string(),
            ),
            _ => {}
        }
        if multi && enum_values.is_none() {
            lines.push(separator);
            lines.push(max_values);
        }
        if multi && def.allow_all {
            lines.push("To select every value, use <kbd>*</kbd>.".to_string());
        }
        if let Some(d) = def.default {
            if def.ptype != PType::Boolean {
                if d.is_empty() {
                    lines.push("Default: <span class=\"apihelp-empty\">(empty)</span>".into());
                } else {
                    lines.push(format!("Default: {}", html_escape(d)));
                }
            }
        }
        lines
    }

    fn examples_html(&self, m: &ModuleDef) -> String {
        if m.examples.is_empty() {
            return String::new();
        }
        let mut h = String::from(
            "<div class=\"apihelp-block apihelp-examples\">\
             <div class=\"apihelp-block-head\">Examples:</div><dl>",
        );
        for (query, desc) in m.examples {
            h.push_str(&format!(
                "<dt>{desc}</dt><dd><a href=\"{}?{}\" dir=\"ltr\" rel=\"nofollow\">api.php?{}</a></dd>",
                self.api,
                html_escape(&query.replace('|', "%7C")),
                html_escape(query)
            ));
        }
        h.push_str("</dl></div>");
        h
    }

    /// The data-type notes of the main module, which type lines link to.
    fn datatypes_html(&self, level: usize) -> String {
        let hl = level.min(6);
        let sub = (level + 1).min(6);
        let section = |id: &str, title: &str, level: usize| {
            format!(
                "<h{level} class=\"apihelp-header\"><span class=\"mw-headline\" id=\"main/{id}\">\
                 {title}</span></h{level}>"
            )
        };
        let mut h = section("datatypes", "Data types", hl);
        h.push_str(
            "<p>Send text as UTF-8 in Unicode normalization form C. Other input is converted, \
             which can make some operations fail.\n</p>\
             <p>Parameters that take several values accept them separated by <kbd>|</kbd>. \
             When a value itself contains <kbd>|</kbd>, start the whole parameter with the \
             character U+001F and separate the values with U+001F instead.\n</p>",
        );
        h.push_str(&section("datatype/boolean", "boolean", sub));
        h.push_str(
            "<p>A boolean parameter is true when it is present in the request, whatever its \
             value, and false when it is left out. <kbd>flag=false</kbd> and <kbd>flag=0</kbd> \
             are therefore true.\n</p>",
        );
        h.push_str(&section("datatype/expiry", "expiry", sub));
        h.push_str(
            "<p>An expiry is either a relative time such as <kbd>5 months</kbd> or \
             <kbd>2 weeks</kbd>, an absolute timestamp (see below), or one of \
             <kbd>infinite</kbd>, <kbd>indefinite</kbd>, <kbd>infinity</kbd> and \
             <kbd>never</kbd> for no expiry.\n</p>",
        );
        h.push_str(&section("datatype/timestamp", "timestamp", sub));
        h.push_str(
            "<p>Timestamps are accepted as ISO 8601 (<kbd>2001-01-15T14:56:00Z</kbd>), as \
             MediaWiki's 14-digit form (<kbd>20010115145600</kbd>) and in several other \
             common formats; they are read as UTC. The value <kbd>now</kbd> stands for the \
             current time.\n</p>",
        );
        h
    }

    /// A nested table of contents of the headings.
    fn toc(&self) -> String {
        let mut h = String::from(
            "<div id=\"toc\" class=\"toc\" role=\"navigation\" aria-labelledby=\"mw-toc-heading\">\
             <div class=\"toctitle\" lang=\"en\" dir=\"ltr\"><h2 id=\"mw-toc-heading\">Contents</h2></div>\n<ul>\n",
        );
        let base = self.headings.first().map(|f| f.level).unwrap_or(2);
        let mut depth = 0usize;
        for (i, hd) in self.headings.iter().enumerate() {
            let d = hd.level.saturating_sub(base);
            if i > 0 {
                if d > depth {
                    h.push_str("\n<ul>\n");
                } else {
                    h.push_str("</li>\n");
                    for _ in d..depth {
                        h.push_str("</ul>\n</li>\n");
                    }
                }
            }
            depth = d;
            h.push_str(&format!(
                "<li class=\"toclevel-{} tocsection-{}\"><a href=\"#{}\"><span class=\"tocnumber\">{}</span> \
                 <span class=\"toctext\">{}</span></a>",
                d + 1,
                i + 1,
                html_escape(&hd.anchor),
                hd.number,
                hd.line
            ));
        }
        h.push_str("</li>\n");
        for _ in 0..depth {
            h.push_str("</ul>\n</li>\n");
        }
        h.push_str("</ul>\n</div>\n");
        h
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::MAIN;

    #[test]
    fn documented_submodules_follow_parameter_groups() {
        let subs = documented_submodules(&MAIN);
        let names: Vec<&str> = subs.iter().map(|m| m.name).collect();
        let mut actions: Vec<&str> = crate::api::ACTIONS.iter().map(|m| m.name).collect();
        actions.sort();
        let mut formats: Vec<&str> = crate::api::FORMATS.iter().map(|m| m.name).collect();
        formats.sort();
        let expected: Vec<&str> = actions.into_iter().chain(formats).collect();
        assert_eq!(names, expected);
        assert!(documented_submodules(&HELP).is_empty());
    }

    #[test]
    fn help_page_raw_and_wrapped() {
        use crate::api::paraminfo::tests::{get, get_json};
        let (resp, _dir) = get("action=help&modules=help");
        assert_eq!(resp.content_type, "text/html; charset=utf-8");
        assert!(resp
            .headers
            .iter()
            .any(|(k, v)| k == "Content-Disposition" && v == "inline; filename=api-help.html"));
        let html = String::from_utf8(resp.body).expect("utf-8");
        assert!(html.contains("<title>MediaWiki API help - Refwiki</title>"));
        assert!(html.contains(
            "<h2 class=\"apihelp-header apihelp-module-name\" dir=\"ltr\" lang=\"en\" id=\"help\">action=help</h2>"
        ));
        assert!(html.contains("<b dir=\"ltr\" lang=\"en\">help</b>)</div>"));
        assert!(html.contains("<dd class=\"info\">Separate values with <kbd>|</kbd>.</dd>"));
        assert!(html.contains("Maximum number of values is 50 (500 for bots)."));
        assert!(html.contains("Default: main"));
        assert!(html.contains("Examples:"));

        let v = get_json("action=help&modules=main&wrap=1&format=json&formatversion=2");
        let help = &v["help"];
        assert_eq!(help["mime"], "text/html");
        assert_eq!(help["filename"], "api-help.html");
        let page = help["help"].as_str().expect("page");
        assert!(page.contains("id=\"main/datatype/boolean\""));
        assert!(page.contains("One of the following values: "));

        let v = get_json("action=help&modules=nosuch&format=json");
        assert_eq!(v["error"]["code"], "badmodule");
        assert_eq!(
            v["error"]["info"],
            "The module \"main\" does not have a submodule \"nosuch\"."
        );
    }

    #[test]
    fn recursive_help_documents_every_module_once() {
        let v = crate::api::paraminfo::tests::get_json(
            "action=help&recursivesubmodules=1&toc=1&wrap=1&format=json",
        );
        let page = v["help"]["help"].as_str().expect("page");
        for m in crate::api::ACTIONS.iter().chain(crate::api::FORMATS.iter()) {
            let anchor = format!(" id=\"{}\">", m.path());
            assert_eq!(page.matches(&anchor).count(), 1, "{}", m.path());
        }
        assert!(page.contains("<div id=\"toc\""));
    }
}
