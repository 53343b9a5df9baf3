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
