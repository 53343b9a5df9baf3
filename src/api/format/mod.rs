//! Output formats: the printer modules (`json`, `jsonfm`, `xml`, `xmlfm`, `none`) and
//! the HTML wrapper of the `…fm` variants.

pub mod json;
pub mod php;
pub mod xml;

use crate::api::error::ApiError;
use crate::api::message::html_escape;
use crate::api::params::{self, ParamDef, ValidateCx};
use crate::api::request::RawRequest;
use crate::api::{Cx, Group, ModuleDef};

static JSON_PARAMS: &[ParamDef] = &[
    ParamDef::string("callback").help(
        "Wrap the output in a call to this JavaScript function (JSONP). Such requests always \
         run without a logged-in user.",
    ),
    ParamDef::boolean("utf8").help(
        "Print non-ASCII characters as they are rather than as \\u escapes. The default when \
         formatversion is not 1.",
    ),
    ParamDef::boolean("ascii").help(
        "Escape every non-ASCII character as a \\u sequence. The default when formatversion is 1.",
    ),
    ParamDef::enumeration("formatversion", &["1", "2", "latest"])
        .default("1")
        .help("The shape of the output.")
        .value_help(&[
            ("1", "The historical shape, kept for old clients."),
            ("2", "The modern shape, with real booleans and lists."),
            (
                "latest",
                "The newest shape; it may change in later versions.",
            ),
        ]),
];

static WRAPPEDHTML: ParamDef = ParamDef::boolean("wrappedhtml")
    .help("Return the pretty-printed HTML and the page modules it needs inside a JSON object.");

static JSONFM_PARAMS: &[ParamDef] = &[
    WRAPPEDHTML,
    JSON_PARAMS[0],
    JSON_PARAMS[1],
    JSON_PARAMS[2],
    JSON_PARAMS[3],
];

static XML_PARAMS: &[ParamDef] = &[
    ParamDef::string("xslt").help(
        "Name of a page in the MediaWiki namespace, ending in .xsl, to use as the XSL \
         stylesheet of the output.",
    ),
    ParamDef::boolean("includexmlnamespace")
        .help("Put the MediaWiki API XML namespace on the root element."),
];

static XMLFM_PARAMS: &[ParamDef] = &[WRAPPEDHTML, XML_PARAMS[0], XML_PARAMS[1]];

const DATA_FORMATS: &[&str] =
    &["https://www.mediawiki.org/wiki/Special:MyLanguage/API:Data_formats"];

const fn printer(name: &'static str, class: &'static str, summary: &'static str) -> ModuleDef {
    let mut m = ModuleDef::new(name, Group::Format, class);
    // Format modules count as reading (MediaWiki's ApiFormatBase::isReadMode).
    m.read_rights = true;
    m.help_urls = DATA_FORMATS;
    m.summary = summary;
    m
}

pub static JSON: ModuleDef = ModuleDef {
    params: JSON_PARAMS,
    examples: &[(
        "action=query&meta=siteinfo&siprop=namespaces&format=json",
        "The namespaces of the wiki, as JSON.",
    )],
    ..printer("json", "ApiFormatJson", "Print the result as JSON.")
};
pub static JSONFM: ModuleDef = ModuleDef {
    params: JSONFM_PARAMS,
    examples: &[(
        "action=query&meta=siteinfo&siprop=namespaces&format=jsonfm",
        "The namespaces of the wiki, as JSON in a readable HTML page.",
    )],
    ..printer(
        "jsonfm",
        "ApiFormatJson",
        "Print the result as JSON inside an HTML page, for reading in a browser.",
    )
};
pub static XML: ModuleDef = ModuleDef {
    params: XML_PARAMS,
    examples: &[(
        "action=query&meta=siteinfo&siprop=namespaces&format=xml",
        "The namespaces of the wiki, as XML.",
    )],
    ..printer("xml", "ApiFormatXml", "Print the result as XML.")
};
pub static XMLFM: ModuleDef = ModuleDef {
    params: XMLFM_PARAMS,
    examples: &[(
        "action=query&meta=siteinfo&siprop=namespaces&format=xmlfm",
        "The namespaces of the wiki, as XML in a readable HTML page.",
    )],
    ..printer(
        "xmlfm",
        "ApiFormatXml",
        "Print the result as XML inside an HTML page, for reading in a browser.",
    )
};
static PHP_PARAMS: &[ParamDef] = &[
    ParamDef::enumeration("formatversion", &["1", "2", "latest"])
        .default("1")
        .help("Output shape: 1 is the historical one, 2 the modern one, latest the newest."),
];

static PHPFM_PARAMS: &[ParamDef] = &[
    ParamDef::boolean("wrappedhtml")
        .help("Return the pretty HTML and its modules inside a JSON object."),
    ParamDef::enumeration("formatversion", &["1", "2", "latest"])
        .default("1")
        .help("Output shape: 1, 2 or latest."),
];

pub static PHP: ModuleDef = ModuleDef {
    params: PHP_PARAMS,
    examples: &[(
        "action=query&meta=siteinfo&siprop=namespaces&format=php",
        "The namespaces of the wiki, as serialized PHP.",
    )],
    ..printer(
        "php",
        "ApiFormatPhp",
        "Print the result as serialized PHP data.",
    )
};
pub static PHPFM: ModuleDef = ModuleDef {
    params: PHPFM_PARAMS,
    examples: &[(
        "action=query&meta=siteinfo&siprop=namespaces&format=phpfm",
        "The namespaces of the wiki, as serialized PHP in a readable HTML page.",
    )],
    ..printer(
        "phpfm",
        "ApiFormatPhp",
        "Print the result as serialized PHP inside an HTML page, for reading in a browser.",
    )
};
pub static NONE: ModuleDef = ModuleDef {
    examples: &[(
        "action=query&meta=siteinfo&siprop=namespaces&format=none",
        "Run a query and print nothing.",
    )],
    ..printer("none", "ApiFormatNone", "Print nothing at all.")
};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Printer {
    Json,
    JsonFm,
    Xml,
    XmlFm,
    Php,
    PhpFm,
    None,
}

/// Validated printer options.
#[derive(Debug, Clone, Default)]
pub struct PrinterOpts {
    pub fv2: bool,
    pub utf8: bool,
    pub ascii: bool,
    pub callback: Option<String>,
}

pub struct Printed {
    pub content_type: String,
    pub filename: &'static str,
    pub body: String,
}

pub fn printer_for(name: &str) -> Option<Printer> {
    Some(match name {
        "json" => Printer::Json,
        "jsonfm" => Printer::JsonFm,
        "xml" => Printer::Xml,
        "xmlfm" => Printer::XmlFm,
        "none" => Printer::None,
        "php" => Printer::Php,
        "phpfm" => Printer::PhpFm,
        _ => return None,
    })
}

impl Printer {
    fn def(self) -> &'static ModuleDef {
        match self {
            Printer::Json => &JSON,
            Printer::JsonFm => &JSONFM,
            Printer::Xml => &XML,
            Printer::XmlFm => &XMLFM,
            Printer::Php => &PHP,
            Printer::PhpFm => &PHPFM,
            Printer::None => &NONE,
        }
    }

    pub fn is_html(self) -> bool {
        matches!(self, Printer::JsonFm | Printer::XmlFm | Printer::PhpFm)
    }

    fn is_json(self) -> bool {
        matches!(self, Printer::Json | Printer::JsonFm)
    }

    /// A peek at `formatversion` before the module runs (modules shape some output
    /// by it, as MediaWiki's do).
    pub fn fv2_requested(self, req: &RawRequest) -> bool {
        (self.is_json() || matches!(self, Printer::Php | Printer::PhpFm))
            && matches!(req.peek("formatversion"), Some("2") | Some("latest"))
    }

    /// Marks the printer's own parameters as used.
    pub fn mark_params_used(self, req: &RawRequest) {
        for p in self.def().params {
            req.mark_used(p.name);
        }
    }

    /// Validates the printer's parameters; on failure returns the module to warn
    /// and the error.
    pub fn options(self, cx: &Cx<'_>) -> Result<PrinterOpts, (String, ApiError)> {
        let dynamic = |_: &params::PType| Vec::new();
        let vcx = ValidateCx {
            raw: cx.req,
            prefix: "",
            high_limits: false,
            dynamic: &dynamic,
        };
        let mut warnings = Vec::new();
        let p = params::validate(self.def().params, &vcx, &mut warnings)
            .map_err(|e| (self.def().name.to_string(), e.in_module(self.def().name)))?;
        Ok(PrinterOpts {
            fv2: matches!(p.str("formatversion"), Some("2") | Some("latest")),
            utf8: p.flag("utf8"),
            ascii: p.flag("ascii"),
            callback: p.str("callback").map(sanitize_callback),
        })
    }

    pub fn print(self, cx: &Cx<'_>, opts: &PrinterOpts, status: u16) -> Printed {
        match self {
            Printer::Json | Printer::JsonFm => {
                let jopts = json::JsonOpts {
                    fv2: opts.fv2,
                    ascii: if opts.fv2 { opts.ascii } else { !opts.utf8 },
                    pretty: self == Printer::JsonFm,
                };
                let text = json::to_string(&cx.result, jopts);
                if self == Printer::JsonFm {
                    return html_page(cx, "json", &text, status);
                }
                match &opts.callback {
                    Some(cb) => Printed {
                        content_type: "text/javascript; charset=utf-8".into(),
                        filename: "api-result.js",
                        body: format!("/**/{cb}({text})"),
                    },
                    None => Printed {
                        content_type: "application/json; charset=utf-8".into(),
                        filename: "api-result.json",
                        body: text,
                    },
                }
            }
            Printer::Xml => Printed {
                content_type: "text/xml; charset=utf-8".into(),
                filename: "api-result.xml",
                body: xml::to_string(&cx.result),
            },
            Printer::XmlFm => {
                let text = pretty_xml(&xml::to_string(&cx.result));
                html_page(cx, "xml", &text, status)
            }
            Printer::Php => Printed {
                content_type: "application/vnd.php.serialized; charset=utf-8".into(),
                filename: "api-result.php",
                body: php::to_string(&cx.result, opts.fv2),
            },
            Printer::PhpFm => html_page(cx, "php", &php::to_string(&cx.result, opts.fv2), status),
            Printer::None => Printed {
                content_type: "text/plain; charset=utf-8".into(),
                filename: "api-result.txt",
                body: String::new(),
            },
        }
    }
}

/// JSONP callback names keep only `[]`, `.`, `'`, `"`, `_` and alphanumerics.
fn sanitize_callback(cb: &str) -> String {
    cb.chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '[' | ']' | '.' | '\'' | '"' | '_'))
        .collect()
}

/// Breaks XML between elements so the HTML view is readable.
fn pretty_xml(s: &str) -> String {
    s.replace("><", ">\n<")
}

fn html_page(cx: &Cx<'_>, base: &str, payload: &str, status: u16) -> Printed {
    let site = html_escape(&cx.app.config.sitename);
    let status_note = if status != 200 {
        format!("<p>This response would be returned with HTTP status {status}.</p>\n")
    } else {
        String::new()
    };
    let body = format!(
        "<!DOCTYPE html>\n<html lang=\"en\" dir=\"ltr\">\n<head>\n<meta charset=\"UTF-8\"/>\n\
         <title>MediaWiki API result - {site}</title>\n</head>\n<body>\n\
         <div class=\"api-pretty-header\"><p>You are looking at the HTML form of the {base} \
         format, meant for reading in a browser. Programs should ask for <kbd>format={base}</kbd>.</p>\n\
         {status_note}</div>\n<pre class=\"api-pretty-content\">{}</pre>\n</body>\n</html>\n",
        html_escape(payload)
    );
    Printed {
        content_type: "text/html; charset=UTF-8".into(),
        filename: "api-result.html",
        body,
    }
}
