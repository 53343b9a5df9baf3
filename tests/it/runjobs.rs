//! `index.php?title=Special:RunJobs`, signed with the secret key, as MediaWiki's API
//! test suite calls it.

use hmac::{Hmac, Mac};
use sha1::Sha1;

use crate::support::TestWiki;

fn signed_body(secret: &str, expiry: i64) -> String {
    // Sorted by name, as the signature covers them.
    let fields = [
        ("async", String::new()),
        ("maxjobs", "10".to_string()),
        ("maxtime", "60".to_string()),
        ("sigexpiry", expiry.to_string()),
        ("stats", "1".to_string()),
        ("tasks", String::new()),
        ("title", "Special%3ARunJobs".to_string()),
    ];
    let query: Vec<String> = fields.iter().map(|(k, v)| format!("{k}={v}")).collect();
    let query = query.join("&");
    let mut mac = Hmac::<Sha1>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(query.as_bytes());
    let sig: String = mac
        .finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    format!("{query}&signature={sig}")
}

fn post_index(w: &TestWiki, body: &str) -> (u16, serde_json::Value) {
    let url = w.api.replace("api.php", "index.php");
    let r = match ureq::post(&url)
        .set("Content-Type", "application/x-www-form-urlencoded")
        .send_string(body)
    {
        Ok(r) => r,
        Err(ureq::Error::Status(_, r)) => r,
        Err(e) => panic!("{e}"),
    };
    let status = r.status();
    (
        status,
        serde_json::from_str(&r.into_string().unwrap()).unwrap(),
    )
}

#[test]
fn signed_requests_run_jobs_and_others_are_refused() {
    let w = TestWiki::start_with(|c| {
        c.secret_key = "s3cret".into();
        c.run_jobs = false;
    });
    let c = w.client();
    // Creating a page that links to a missing one queues work for the job queue.
    for (t, text) in [("Template:Jb", "x"), ("Jb user", "{{Jb}}")] {
        let a = c.post(&[
            ("action", "edit"),
            ("title", t),
            ("text", text),
            ("token", "+\\"),
            ("format", "json"),
        ]);
        assert_eq!(a.json()["edit"]["result"], "Success");
    }
    let a = c.post(&[
        ("action", "edit"),
        ("title", "Template:Jb"),
        ("text", "y"),
        ("token", "+\\"),
        ("format", "json"),
    ]);
    assert_eq!(a.json()["edit"]["result"], "Success");
    let now = chrono::Utc::now().timestamp();

    let (status, body) = post_index(&w, &signed_body("wrong", now + 3600));
    assert_eq!(status, 400);
    assert_eq!(body["error"], "Invalid or stale signature provided.");
    let (status, _) = post_index(&w, &signed_body("s3cret", now - 10));
    assert_eq!(status, 400, "an expired signature is refused");

    let (status, body) = post_index(&w, &signed_body("s3cret", now + 3600));
    assert_eq!(status, 200);
    assert!(!body["jobs"].as_array().unwrap().is_empty(), "{body}");
    assert_eq!(body["reached"], "none-ready");
    let jobs = w.get2("action=query&meta=siteinfo&siprop=statistics")["query"]["statistics"]
        ["jobs"]
        .clone();
    assert_eq!(jobs, 0);
    let (_, body) = post_index(&w, &signed_body("s3cret", now + 3600));
    assert_eq!(body["jobs"], serde_json::json!([]));
}

#[test]
fn without_a_secret_key_the_page_refuses() {
    let w = TestWiki::start();
    let (status, _) = post_index(&w, &signed_body("", chrono::Utc::now().timestamp() + 60));
    assert_eq!(status, 400);
}
