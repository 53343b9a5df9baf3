//! The bare-server floor: an axum handler that parses a POST form and answers a
//! small JSON, with nothing behind it. Measured with the same load generator
//! as wikid, it gives the "HTTP + form + JSON" cost on this machine in the same
//! run (see `/work/shared/perf-floor.md` §1 for how the same thing was measured
//! with wrk).

use anyhow::Result;
use axum::http::header;
use axum::routing::post;
use axum::serve::ListenerExt;
use axum::Router;
use bytes::Bytes;

fn unhex(b: u8) -> Option<u8> {
    (b as char).to_digit(16).map(|d| d as u8)
}

/// Decodes one `application/x-www-form-urlencoded` component.
fn decode(s: &[u8]) -> String {
    let mut out = Vec::with_capacity(s.len());
    let mut i = 0;
    while i < s.len() {
        match s[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < s.len() => match (unhex(s[i + 1]), unhex(s[i + 2])) {
                (Some(h), Some(l)) => {
                    out.push(h * 16 + l);
                    i += 2;
                }
                _ => out.push(b'%'),
            },
            c => out.push(c),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

async fn api(body: Bytes) -> ([(header::HeaderName, &'static str); 1], Vec<u8>) {
    let mut map = serde_json::Map::new();
    for pair in body.split(|b| *b == b'&') {
        let (k, v) = match pair.iter().position(|b| *b == b'=') {
            Some(i) => (&pair[..i], &pair[i + 1..]),
            None => (pair, &b""[..]),
        };
        map.insert(decode(k), serde_json::Value::String(decode(v)));
    }
    let titles: Vec<serde_json::Value> = map
        .get("titles")
        .and_then(|v| v.as_str())
        .unwrap_or("")
        .split('|')
        .filter(|t| !t.is_empty())
        .map(|t| serde_json::json!({"ns": 0, "title": t, "purged": true}))
        .collect();
    let answer = serde_json::json!({"batchcomplete": true, "purge": titles});
    (
        [(header::CONTENT_TYPE, "application/json; charset=utf-8")],
        serde_json::to_vec(&answer).unwrap_or_default(),
    )
}

/// Serves until killed.
pub fn serve(listen: &str) -> Result<()> {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    rt.block_on(async {
        let app = Router::new().route("/w/api.php", post(api));
        let listener = tokio::net::TcpListener::bind(listen).await?;
        let listener = listener.tap_io(|t| {
            let _ = t.set_nodelay(true);
        });
        println!("floor listening on {listen}");
        axum::serve(listener, app).await?;
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn decode() {
        assert_eq!(super::decode(b"a%7Cb+c%2"), "a|b c%2");
        assert_eq!(super::decode(b"%E2%9C%93"), "✓");
    }
}
