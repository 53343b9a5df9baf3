//! Page views (`/wiki/Title`, `index.php?title=…`): the parser-cached HTML in a
//! plain page, `action=raw`, and the cache headers a CDN in front needs. No HTTP
//! types here: `http.rs` turns a [`ViewResponse`] into a response.

use crate::app::App;
use crate::wiki::parser::sanitize::escape_html;
use crate::wiki::title::Title;

/// What the HTTP layer hands over.
#[derive(Debug, Clone, Default)]
pub struct ViewRequest {
    /// The title as given (path or `title=`), already percent-decoded.
    pub title: Option<String>,
    pub action: Option<String>,
    /// `redirect=no`.
    pub no_redirect: bool,
    /// `If-Modified-Since`.
    pub if_modified_since: Option<String>,
}

#[derive(Debug, Clone)]
pub struct ViewResponse {
    pub status: u16,
    pub content_type: String,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

/// CDN lifetime of anonymous page views (`$wgCdnMaxAge`).
const CDN_MAX_AGE: u32 = 18000;

fn http_date(mw: &str) -> Option<String> {
    let t = chrono::NaiveDateTime::parse_from_str(mw, "%Y%m%d%H%M%S").ok()?;
    Some(t.format("%a, %d %b %Y %H:%M:%S GMT").to_string())
}

fn parse_http_date(s: &str) -> Option<chrono::NaiveDateTime> {
    chrono::NaiveDateTime::parse_from_str(s.trim(), "%a, %d %b %Y %H:%M:%S GMT").ok()
}

fn page(app: &App, title_html: &str, heading: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html class=\"client-nojs\" lang=\"en\" dir=\"ltr\">\n<head>\n<meta charset=\"UTF-8\"/>\n<title>{} - {}</title>\n</head>\n<body>\n<div id=\"content\" class=\"mw-body\" role=\"main\">\n<h1 id=\"firstHeading\" class=\"firstHeading mw-first-heading\">{}</h1>\n<div id=\"bodyContent\" class=\"vector-body\">\n<div id=\"mw-content-text\" class=\"mw-body-content mw-content-ltr\" lang=\"en\" dir=\"ltr\">{}</div>\n</div>\n</div>\n</body>\n</html>\n",
        title_html,
        escape_html(&app.config.sitename),
        heading,
        body
    )
}

fn simple(status: u16, content_type: &str, body: String) -> ViewResponse {
    ViewResponse {
        status,
        content_type: content_type.to_string(),
        headers: vec![(
            "Cache-Control".into(),
            "private, must-revalidate, max-age=0".into(),
        )],
        body,
    }
}

/// Serves one page view.
pub fn view(app: &App, req: &ViewRequest) -> anyhow::Result<ViewResponse> {
    let codec = &app.titles;
    let raw_title = req
        .title
        .clone()
        .filter(|t| !t.is_empty())
        .unwrap_or_else(|| codec.main_page.clone());
    let title = match codec.parse(&raw_title, 0) {
        Ok(t) if t.interwiki.is_empty() => t,
        _ => {
            let body = page(
                app,
                "Bad title",
                "Bad title",
                "<p>The requested page title is empty or contains invalid characters.</p>",
            );
            return Ok(simple(400, "text/html; charset=UTF-8", body));
        }
    };
    let action = req.action.as_deref().unwrap_or("view");
    let mut r = app.store.read()?;
    let found = if title.ns >= 0 {
        r.page_with_text(title.ns, &title.dbkey)?
    } else {
        None
    };
    drop(r);
    if action == "raw" {
        return Ok(match found {
            Some((row, text)) => {
                let mut resp = simple(200, "text/x-wiki; charset=UTF-8", text);
                if let Some(d) = http_date(&row.touched) {
                    resp.headers.push(("Last-Modified".into(), d));
                }
                resp
            }
            None => simple(404, "text/x-wiki; charset=UTF-8", String::new()),
        });
    }
    let display = title.prefixed_text(codec);
    let Some((mut row, mut text)) = found else {
        let body = format!(
            "<div class=\"noarticletext mw-content-ltr\" dir=\"ltr\" lang=\"en\">\n<p>There is currently no text in this page.\nYou can <a href=\"{}\" title=\"Special:Search/{}\">search for this page title</a> in other pages, <span class=\"plainlinks\"><a rel=\"nofollow\" class=\"external text\" href=\"{}?title=Special:Log&amp;page={}\">search the related logs</a>, or <a rel=\"nofollow\" class=\"external text\" href=\"{}?title={}&amp;action=edit\">create this page</a></span>.\n</p>\n</div>",
            escape_html(&app.config.article_path.replace("$1", &format!("Special:Search/{}", crate::api::query::pageset::wf_urlencode(&title.prefixed_dbkey(codec))))),
            escape_html(&display),
            escape_html(&format!("{}/index.php", app.config.script_path)),
            crate::api::query::pageset::wf_urlencode(&title.prefixed_dbkey(codec)),
            escape_html(&format!("{}/index.php", app.config.script_path)),
            crate::api::query::pageset::wf_urlencode(&title.prefixed_dbkey(codec)),
        );
        let html = page(app, &escape_html(&display), &escape_html(&display), &body);
        return Ok(simple(404, "text/html; charset=UTF-8", html));
    };
    let mut shown = title.clone();
    let mut redirected_from: Option<String> = None;
    if row.is_redirect && !req.no_redirect && row.content_model == "wikitext" {
        if let Some(target) = crate::wiki::parser::redirect_target(codec, &text) {
            if target.interwiki.is_empty() && target.ns >= 0 {
                let mut r = app.store.read()?;
                if let Some((trow, ttext)) = r.page_with_text(target.ns, &target.dbkey)? {
                    redirected_from = Some(display.clone());
                    row = trow;
                    text = ttext;
                    shown = Title {
                        fragment: String::new(),
                        ..target
                    };
                }
            }
        }
    }
    // Conditional requests: nothing changed since the client's copy.
    if let (Some(ims), Some(touched)) = (
        req.if_modified_since.as_deref().and_then(parse_http_date),
        chrono::NaiveDateTime::parse_from_str(&row.touched, "%Y%m%d%H%M%S").ok(),
    ) {
        if touched <= ims && redirected_from.is_none() {
            let mut resp = simple(304, "text/html; charset=UTF-8", String::new());
            resp.headers = cache_headers(&row.touched);
            return Ok(resp);
        }
    }
    let out = if row.content_model == "wikitext" {
        crate::api::parse::cached_or_parse_app(app, &row, &shown, &text)?
    } else {
        crate::wiki::parser::ParseOutput {
            html: format!(
                "<div class=\"mw-parser-output\"><pre>{}</pre></div>",
                escape_html(&text)
            ),
            ..Default::default()
        }
    };
    let mut body = String::new();
    if let Some(from) = &redirected_from {
        body.push_str(&format!(
            "<span class=\"mw-redirectedfrom\">(Redirected from <a href=\"{}?title={}&amp;redirect=no\" class=\"mw-redirect\" title=\"{}\">{}</a>)</span>",
            escape_html(&format!("{}/index.php", app.config.script_path)),
            crate::api::query::pageset::wf_urlencode(&from.replace(' ', "_")),
            escape_html(from),
            escape_html(from)
        ));
    }
    body.push_str(&out.html);
    if !out.categories.is_empty() {
        body.push_str("<div id=\"catlinks\" class=\"catlinks\" data-mw=\"interface\"><div id=\"mw-normal-catlinks\" class=\"mw-normal-catlinks\"><a href=\"");
        body.push_str(&escape_html(
            &app.config.article_path.replace("$1", "Special:Categories"),
        ));
        body.push_str("\" title=\"Special:Categories\">Categories</a>: <ul>");
        for (c, _) in &out.categories {
            let t = Title::local(14, c.clone());
            body.push_str(&format!(
                "<li><a href=\"{}\" title=\"{}\">{}</a></li>",
                escape_html(&app.config.article_path.replace(
                    "$1",
                    &crate::api::query::pageset::wf_urlencode(&t.prefixed_dbkey(codec))
                )),
                escape_html(&t.prefixed_text(codec)),
                escape_html(&t.text())
            ));
        }
        body.push_str("</ul></div></div>");
    }
    let heading = out.display_title(codec, &shown);
    let html = page(
        app,
        &escape_html(&shown.prefixed_text(codec)),
        &heading,
        &body,
    );
    Ok(ViewResponse {
        status: 200,
        content_type: "text/html; charset=UTF-8".into(),
        headers: cache_headers(&row.touched),
        body: html,
    })
}

fn cache_headers(touched: &str) -> Vec<(String, String)> {
    let mut h = vec![
        (
            "Cache-Control".to_string(),
            format!("s-maxage={CDN_MAX_AGE}, must-revalidate, max-age=0"),
        ),
        ("Vary".to_string(), "Accept-Encoding,Cookie".to_string()),
        ("Content-Language".to_string(), "en".to_string()),
    ];
    if let Some(d) = http_date(touched) {
        h.push(("Last-Modified".to_string(), d));
    }
    h
}
