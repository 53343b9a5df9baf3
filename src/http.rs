//! The only file that knows axum: HTTP in, [`RawRequest`] → [`api::execute`] →
//! HTTP out. No API logic lives here.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::body::{Body, Bytes};
use axum::extract::{ConnectInfo, DefaultBodyLimit, Request, State};
use axum::http::{HeaderMap, HeaderValue, Method as HttpMethod, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::any;
use axum::Router;
use http_body_util::BodyExt;

use crate::api::request::{Method, RawRequest};
use crate::api::{self, ApiResponse};
use crate::app::App;

/// The router for one wiki.
pub fn router(app: Arc<App>) -> Router {
    let script = app.config.script_path.trim_end_matches('/').to_string();
    Router::new()
        .route(&format!("{script}/api.php"), any(api_handler))
        .route(&format!("{script}/index.php"), any(index_php))
        .route("/wiki/{*title}", any(page_view))
        .layer(DefaultBodyLimit::disable())
        .with_state(app)
}

async fn api_handler(
    State(app): State<Arc<App>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    request: Request,
) -> Response {
    let (parts, body) = request.into_parts();
    let limit = app.config.max_body_bytes;
    let body = match read_limited(body, limit).await {
        Ok(b) => b,
        Err(BodyError::TooLarge) => return too_large(limit),
        Err(BodyError::Broken) => {
            return (
                StatusCode::BAD_REQUEST,
                "The request body could not be read.\n",
            )
                .into_response()
        }
    };
    let method = match parts.method {
        HttpMethod::GET => Method::Get,
        HttpMethod::HEAD => Method::Head,
        HttpMethod::POST => Method::Post,
        HttpMethod::OPTIONS => Method::Options,
        _ => Method::Other,
    };
    let mut raw = RawRequest::new(method);
    raw.ip = peer.ip().to_string();
    raw.host = parts
        .headers
        .get("host")
        .and_then(|h| h.to_str().ok())
        .map(str::to_string);
    copy_headers(&parts.headers, &mut raw);
    if let Some(q) = parts.uri.query() {
        raw.add_urlencoded(q.as_bytes(), true);
    }
    if method == Method::Post {
        let content_type = parts
            .headers
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        if content_type.is_empty() {
            raw.post_without_content_type = true;
        } else if content_type
            .to_ascii_lowercase()
            .starts_with("application/x-www-form-urlencoded")
        {
            raw.add_urlencoded(&body, false);
        } else if content_type
            .to_ascii_lowercase()
            .starts_with("multipart/form-data")
        {
            if let Err(e) = add_multipart(&mut raw, content_type, body.clone()).await {
                tracing::debug!(error = %e, "unreadable multipart body");
            }
        }
    }
    let head = method == Method::Head;
    let app2 = app.clone();
    // Writes commit inside the blocking task; their fsync is awaited here, before
    // the answer leaves (see `storage::durability`).
    let result = tokio::task::spawn_blocking(move || {
        crate::storage::durability::deferred(|| api::execute(&app2, &raw))
    })
    .await;
    match result {
        Ok((resp, ticket)) => {
            if let Some(t) = ticket {
                if let Err(e) = app.store.durable(t).await {
                    tracing::error!(error = %format!("{e:#}"), "write not durable");
                    return internal_error();
                }
            }
            to_response(resp, head)
        }
        Err(e) => {
            tracing::error!(error = %e, "api task failed");
            internal_error()
        }
    }
}

enum BodyError {
    TooLarge,
    Broken,
}

async fn read_limited(body: Body, limit: usize) -> Result<Bytes, BodyError> {
    let mut body = body;
    let mut buf = bytes::BytesMut::new();
    let mut too_large = false;
    let mut drained: usize = 0;
    while let Some(frame) = body.frame().await {
        let Ok(frame) = frame else {
            return Err(BodyError::Broken);
        };
        let Ok(data) = frame.into_data() else {
            continue;
        };
        if too_large {
            // Read the rest (without keeping it) so the client sees our answer
            // instead of a reset connection; give up on absurd sizes.
            drained += data.len();
            if drained > 4 * limit {
                break;
            }
            continue;
        }
        if buf.len() + data.len() > limit {
            too_large = true;
            buf = bytes::BytesMut::new();
            continue;
        }
        buf.extend_from_slice(&data);
    }
    if too_large {
        Err(BodyError::TooLarge)
    } else {
        Ok(buf.freeze())
    }
}

fn copy_headers(headers: &HeaderMap, raw: &mut RawRequest) {
    for (name, value) in headers {
        let v = String::from_utf8_lossy(value.as_bytes()).into_owned();
        let key = name.as_str().to_ascii_lowercase();
        if key == "cookie" {
            for pair in v.split(';') {
                if let Some((k, val)) = pair.trim().split_once('=') {
                    raw.cookies
                        .insert(k.trim().to_string(), val.trim().to_string());
                }
            }
        }
        raw.headers
            .entry(key)
            .and_modify(|e| {
                e.push_str(", ");
                e.push_str(&v);
            })
            .or_insert(v);
    }
}

async fn add_multipart(
    raw: &mut RawRequest,
    content_type: &str,
    body: Bytes,
) -> Result<(), multer::Error> {
    let boundary = multer::parse_boundary(content_type)?;
    let stream = futures_util::stream::once(async move { Ok::<Bytes, std::io::Error>(body) });
    let mut mp = multer::Multipart::new(stream, boundary);
    while let Some(field) = mp.next_field().await? {
        let name = field.name().unwrap_or("").to_string();
        let filename = field.file_name().map(str::to_string);
        let ctype = field.content_type().map(|m| m.to_string());
        let data = field.bytes().await?;
        match filename {
            Some(f) => {
                raw.uploads.insert(
                    name,
                    crate::api::request::Upload {
                        filename: f,
                        content_type: ctype,
                        data: data.to_vec(),
                    },
                );
            }
            None => raw.add_bytes(name.as_bytes(), data.to_vec(), false),
        }
    }
    Ok(())
}

fn to_response(resp: ApiResponse, head: bool) -> Response {
    let status = StatusCode::from_u16(resp.status).unwrap_or(StatusCode::OK);
    let body = if head { Vec::new() } else { resp.body };
    let mut r = Response::new(Body::from(body));
    *r.status_mut() = status;
    let h = r.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&resp.content_type) {
        h.insert("content-type", v);
    }
    for (k, v) in resp.headers {
        let Ok(name) = axum::http::HeaderName::from_bytes(k.as_bytes()) else {
            continue;
        };
        let Ok(value) = HeaderValue::from_str(&v) else {
            continue;
        };
        h.append(name, value);
    }
    r
}

fn too_large(limit: usize) -> Response {
    let body = format!(
        "{{\"error\":{{\"code\":\"toolarge\",\"info\":\"The request body is larger than the limit of {limit} bytes.\"}}}}"
    );
    let mut r = Response::new(Body::from(body));
    *r.status_mut() = StatusCode::PAYLOAD_TOO_LARGE;
    r.headers_mut().insert(
        "content-type",
        HeaderValue::from_static("application/json; charset=utf-8"),
    );
    r.headers_mut()
        .insert("mediawiki-api-error", HeaderValue::from_static("toolarge"));
    r
}

fn internal_error() -> Response {
    (
        StatusCode::INTERNAL_SERVER_ERROR,
        "Internal error; see the server log.\n",
    )
        .into_response()
}

/// `%XX` decoding (and `+` as a space in query strings).
fn url_decode(s: &str, plus: bool) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'+' if plus => out.push(b' '),
            b'%' if i + 2 < b.len() => {
                match u8::from_str_radix(std::str::from_utf8(&b[i + 1..i + 3]).unwrap_or("zz"), 16)
                {
                    Ok(v) => {
                        out.push(v);
                        i += 3;
                        continue;
                    }
                    Err(_) => out.push(b'%'),
                }
            }
            c => out.push(c),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// `/wiki/<title>` and `index.php?title=…`: page views (see `wiki::view`).
/// `index.php`: POSTs to `Special:RunJobs` run queued jobs; everything else is a
/// page view.
async fn index_php(State(app): State<Arc<App>>, request: Request) -> Response {
    if request.method() != HttpMethod::POST {
        return page_view(State(app), request).await;
    }
    let (parts, body) = request.into_parts();
    let body = match read_limited(body, 1024 * 1024).await {
        Ok(b) => b,
        Err(_) => return too_large(1024 * 1024),
    };
    let mut pairs: Vec<(String, String)> = Vec::new();
    for pair in body.split(|&b| b == b'&').filter(|p| !p.is_empty()) {
        let (k, v) = match pair.iter().position(|&b| b == b'=') {
            Some(i) => (&pair[..i], &pair[i + 1..]),
            None => (pair, &b""[..]),
        };
        pairs.push((
            String::from_utf8_lossy(&crate::api::request::percent_decode(k)).into_owned(),
            String::from_utf8_lossy(&crate::api::request::percent_decode(v)).into_owned(),
        ));
    }
    let is_run_jobs = pairs
        .iter()
        .any(|(k, v)| k == "title" && (v == "Special:RunJobs" || v == "Special:RunJobs/"));
    if !is_run_jobs {
        let request = Request::from_parts(parts, Body::empty());
        return page_view(State(app), request).await;
    }
    let res =
        tokio::task::spawn_blocking(move || crate::wiki::jobs::special_run_jobs(&app, &pairs))
            .await;
    match res {
        Ok((status, json)) => {
            let mut r = Response::new(Body::from(json));
            *r.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::OK);
            r.headers_mut().insert(
                "content-type",
                HeaderValue::from_static("application/json; charset=utf-8"),
            );
            r
        }
        Err(_) => internal_error(),
    }
}

async fn page_view(State(app): State<Arc<App>>, request: Request) -> Response {
    let head = request.method() == HttpMethod::HEAD;
    let uri = request.uri().clone();
    let mut vr = crate::wiki::view::ViewRequest::default();
    if let Some(rest) = uri.path().strip_prefix("/wiki/") {
        vr.title = Some(url_decode(rest, false));
    }
    for pair in uri.query().unwrap_or("").split('&') {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        let v = url_decode(v, true);
        match url_decode(k, true).as_str() {
            "title" => vr.title = Some(v),
            "action" => vr.action = Some(v),
            "redirect" => vr.no_redirect = v == "no",
            _ => {}
        }
    }
    vr.if_modified_since = request
        .headers()
        .get("if-modified-since")
        .and_then(|h| h.to_str().ok())
        .map(|s| s.to_string());
    let res = tokio::task::spawn_blocking(move || crate::wiki::view::view(&app, &vr)).await;
    let resp = match res {
        Ok(Ok(r)) => r,
        Ok(Err(e)) => {
            tracing::error!("page view: {e:#}");
            return internal_error();
        }
        Err(_) => return internal_error(),
    };
    let mut r = Response::new(Body::from(if head { String::new() } else { resp.body }));
    *r.status_mut() = StatusCode::from_u16(resp.status).unwrap_or(StatusCode::OK);
    if let Ok(v) = HeaderValue::from_str(&resp.content_type) {
        r.headers_mut().insert("content-type", v);
    }
    for (k, v) in resp.headers {
        if let (Ok(n), Ok(v)) = (
            axum::http::HeaderName::from_bytes(k.as_bytes()),
            HeaderValue::from_str(&v),
        ) {
            r.headers_mut().append(n, v);
        }
    }
    r
}
