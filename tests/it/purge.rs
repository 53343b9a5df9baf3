//! `action=purge` over HTTP: answers in MediaWiki's shapes, page_touched bumps,
//! rate limits, redirects, generators.

use serde_json::json;

use crate::support::{Client, TestWiki};

fn edit(c: &Client, title: &str, text: &str) {
    let a = c.post(&[
        ("action", "edit"),
        ("title", title),
        ("text", text),
        ("token", "+\\"),
        ("format", "json"),
    ]);
    assert_eq!(a.json()["edit"]["result"], "Success", "{}", a.text());
}

fn touched(w: &TestWiki, title: &str) -> String {
    let j = w.get2(&format!("action=query&prop=info&titles={title}"));
    j["query"]["pages"][0]["touched"]
        .as_str()
        .unwrap_or("")
        .to_string()
}

#[test]
fn purge_answers_like_mediawiki() {
    let w = TestWiki::start();
    let c = w.client();
    edit(&c, "Sandbox", "Hello [[Main Page]]");
    edit(&c, "Sbox", "#REDIRECT [[Sandbox]]");
    // GET is refused.
    let a = c.get_raw("action=purge&titles=Sandbox&format=json");
    assert_eq!(a.json()["error"]["code"], "mustbeposted");
    // The mixed request of the spec (missing, invalid, special, normalised, redirect
    // purged itself without `redirects`).
    let a = c.post(&[
        ("action", "purge"),
        (
            "titles",
            "Sandbox|main_page|Foo[bar|Special:RecentChanges|Special:Nope|~~~|Sbox",
        ),
        ("format", "json"),
    ]);
    assert_eq!(
        a.json(),
        json!({"batchcomplete": "", "purge": [
            {"title": "Foo[bar", "invalidreason": "The requested page title contains invalid characters: \"[\".", "invalid": ""},
            {"title": "~~~", "invalidreason": "The requested page title contains invalid magic tilde sequence (<nowiki>~~~</nowiki>).", "invalid": ""},
            {"ns": -1, "title": "Special:Nope", "special": "", "missing": ""},
            {"ns": -1, "title": "Special:RecentChanges", "special": ""},
            {"ns": 0, "title": "Main page", "missing": ""},
            {"ns": 0, "title": "Sandbox", "purged": ""},
            {"ns": 0, "title": "Sbox", "purged": ""}],
            "normalized": [{"from": "main_page", "to": "Main page"}]})
    );
    // With redirects: the target is purged, the redirect listed.
    let a = c.post(&[
        ("action", "purge"),
        ("titles", "Sbox|Sandbox"),
        ("redirects", "1"),
        ("formatversion", "2"),
        ("format", "json"),
    ]);
    assert_eq!(
        a.json(),
        json!({"batchcomplete": true, "purge": [{"ns": 0, "title": "Sandbox", "purged": true}],
               "redirects": [{"from": "Sbox", "to": "Sandbox"}]})
    );
    // No selector; missing ids.
    let a = c.post(&[("action", "purge"), ("format", "json")]);
    assert_eq!(a.text(), r#"{"batchcomplete":"","purge":[]}"#);
    let a = c.post(&[("action", "purge"), ("pageids", "-5|0"), ("format", "json")]);
    assert_eq!(
        a.json()["purge"],
        json!([{"pageid": -5, "missing": ""}, {"pageid": 0, "missing": ""}])
    );
    // XML.
    let a = c.post(&[
        ("action", "purge"),
        ("titles", "Sandbox"),
        ("format", "xml"),
    ]);
    assert_eq!(
        a.text(),
        r#"<?xml version="1.0"?><api batchcomplete=""><purge><page ns="0" title="Sandbox" purged="" /></purge></api>"#
    );
    // Chronology cookies follow a purge that wrote something.
    let cookies = a.headers.get("set-cookie").cloned().unwrap_or_default();
    assert!(cookies.iter().any(|c| c.starts_with("cpPosIndex=")));
}

#[test]
fn purge_bumps_touched_and_rate_limits_anonymous_users() {
    let w = TestWiki::start();
    let c = w.client();
    edit(&c, "Target", "x");
    let before = touched(&w, "Target");
    std::thread::sleep(std::time::Duration::from_millis(1100));
    let a = c.post(&[
        ("action", "purge"),
        ("titles", "Target"),
        ("forcelinkupdate", "0"),
        ("format", "json"),
    ]);
    assert_eq!(
        a.json()["purge"],
        json!([{"ns": 0, "title": "Target", "purged": "", "linkupdate": ""}])
    );
    assert!(touched(&w, "Target") > before);
    // 30 purges a minute per IP; the 31st is refused with a warning, not an error.
    let mut last = serde_json::Value::Null;
    for _ in 0..31 {
        last = c
            .post(&[
                ("action", "purge"),
                ("titles", "Target"),
                ("format", "json"),
            ])
            .json();
    }
    assert_eq!(last["purge"], json!([{"ns": 0, "title": "Target"}]));
    assert_eq!(
        last["warnings"]["purge"]["*"],
        "You've exceeded your rate limit. Please wait some time and try again."
    );
}

#[test]
fn purge_with_a_generator_continues() {
    let w = TestWiki::start();
    let c = w.client();
    for t in ["Alpha", "Beta", "Gamma"] {
        edit(&c, t, "x");
    }
    let a = c.post(&[
        ("action", "purge"),
        ("generator", "allpages"),
        ("gaplimit", "2"),
        ("format", "json"),
    ]);
    assert_eq!(
        a.json(),
        json!({"batchcomplete": "", "continue": {"gapcontinue": "Gamma", "continue": "gapcontinue||"},
               "purge": [{"ns": 0, "title": "Alpha", "purged": ""}, {"ns": 0, "title": "Beta", "purged": ""}]})
    );
    let a = c.post(&[
        ("action", "purge"),
        ("generator", "allpages"),
        ("gaplimit", "2"),
        ("gapcontinue", "Gamma"),
        ("continue", "gapcontinue||"),
        ("format", "json"),
    ]);
    assert_eq!(
        a.json(),
        json!({"batchcomplete": "", "purge": [{"ns": 0, "title": "Gamma", "purged": ""}]})
    );
}

/// Runs `wikid purge` (the real binary) on the data directory of a running wiki.
fn purge_cli(w: &TestWiki, args: &[&str], stdin: Option<&str>) -> (bool, String) {
    use std::io::Write;
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_wikid"));
    cmd.args([
        "--data-dir",
        w.config.data_dir.to_str().unwrap(),
        "--sitename",
        "Refwiki",
        "purge",
    ])
    .args(args)
    .env("WIKID_LOG", "warn")
    .stdin(std::process::Stdio::piped())
    .stdout(std::process::Stdio::piped())
    .stderr(std::process::Stdio::piped());
    let mut child = cmd.spawn().expect("run wikid purge");
    {
        let mut input = child.stdin.take().unwrap();
        if let Some(text) = stdin {
            input.write_all(text.as_bytes()).unwrap();
        }
    }
    let out = child.wait_with_output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "{text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

#[test]
fn purge_command_purges_listed_pages() {
    let w = TestWiki::start();
    let c = w.client();
    edit(&c, "Sandbox", "x");
    edit(&c, "Template:Box", "[[Linked A]]");
    edit(&c, "Embedder", "{{Box}}");
    w.wait_jobs();
    let before = touched(&w, "Sandbox");
    std::thread::sleep(std::time::Duration::from_millis(1100));

    // Titles as arguments.
    let (_, out) = purge_cli(
        &w,
        &[
            "Sandbox",
            "no such page",
            "Foo[bar",
            "Special:RecentChanges",
        ],
        None,
    );
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(
        lines[..4],
        [
            "purged: Sandbox",
            "missing: No such page",
            "invalid: Foo[bar (The requested page title contains invalid characters: \"[\".)",
            "skipped: Special:RecentChanges (special page)",
        ],
        "{out}"
    );
    assert!(
        lines[4].starts_with("1 purged, 1 missing, 1 invalid, 1 skipped, 0 urls in "),
        "{out}"
    );
    assert!(touched(&w, "Sandbox") > before);

    // Titles on standard input, with a recursive link update: the embedding
    // page's link tables are rebuilt by the queued job.
    let conn = rusqlite::Connection::open(&w.db_path).unwrap();
    conn.busy_timeout(std::time::Duration::from_secs(30))
        .unwrap();
    let links_of_embedder = |conn: &rusqlite::Connection| -> i64 {
        conn.query_row(
            "SELECT COUNT(*) FROM pagelinks JOIN page ON pl_from = page_id
             WHERE page_title = 'Embedder'",
            [],
            |r| r.get(0),
        )
        .unwrap()
    };
    assert_eq!(links_of_embedder(&conn), 1);
    conn.execute(
        "DELETE FROM pagelinks WHERE pl_from = (SELECT page_id FROM page WHERE page_title = 'Embedder')",
        [],
    )
    .unwrap();
    assert_eq!(links_of_embedder(&conn), 0);
    let (_, out) = purge_cli(&w, &["--recursive"], Some("\nTemplate:Box\n  \n"));
    assert!(
        out.starts_with("purged: Template:Box (links updated)\n1 purged, 0 missing"),
        "{out}"
    );
    w.wait_jobs();
    assert_eq!(links_of_embedder(&conn), 1);
}
