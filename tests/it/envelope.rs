//! The API envelope over real HTTP: error shapes, warnings, formats, method and
//! header rules, and bad input that must never panic or give a 500.

use serde_json::json;

use crate::support::TestWiki;

const MAILING: &str = "Subscribe to the mediawiki-api-announce mailing list at &lt;https://lists.wikimedia.org/postorius/lists/mediawiki-api-announce.lists.wikimedia.org/&gt; for notice of API deprecations and breaking changes.";

fn docref(w: &TestWiki) -> String {
    format!("See {} for API usage. {MAILING}", w.api)
}

#[test]
fn unknown_action_in_both_formatversions() {
    let w = TestWiki::start();
    let c = w.client();
    let a = c.get_raw("action=nosuchaction&format=json");
    assert_eq!(a.status, 200);
    assert_eq!(a.header("mediawiki-api-error"), Some("badvalue"));
    assert_eq!(
        a.json(),
        json!({"error": {"code": "badvalue", "info": "Unrecognized value for parameter \"action\": nosuchaction.", "*": docref(&w)}})
    );
    let a = c.get_raw("action=nosuchaction&format=json&formatversion=2");
    assert_eq!(
        a.json(),
        json!({"error": {"code": "badvalue", "info": "Unrecognized value for parameter \"action\": nosuchaction.", "docref": docref(&w)}})
    );
    // Key order matters for byte-identical output: code, info, then the docref.
    assert!(a
        .text()
        .starts_with("{\"error\":{\"code\":\"badvalue\",\"info\":"));
}

#[test]
fn unknown_parameters_warn_only_on_success() {
    let w = TestWiki::start();
    let c = w.client();
    let a = c.get_raw("action=query&nosuchparam=1&otherparam=2&format=json");
    assert_eq!(
        a.text(),
        r#"{"warnings":{"main":{"*":"Unrecognized parameters: nosuchparam, otherparam."}},"batchcomplete":""}"#
    );
    let a = c.get_raw("action=query&nosuchparam=1&assert=user&format=json");
    let j = a.json();
    assert_eq!(j["error"]["code"], "assertuserfailed");
    assert!(j.get("warnings").is_none());
    // PHP name mangling: '.' and ' ' become '_'.
    let a = c.get_raw("action=query&for.dot=1&sp+ace=2&format=json&formatversion=2");
    assert_eq!(
        a.json()["warnings"]["main"]["warnings"],
        "Unrecognized parameters: for_dot, sp_ace."
    );
}

#[test]
fn error_formats() {
    let w = TestWiki::start();
    let c = w.client();
    let a = c.get_raw("action=query&maxlag=abc&format=json&formatversion=2&errorformat=plaintext");
    assert_eq!(
        a.json(),
        json!({"errors": [{"code": "badinteger", "text": "Invalid value \"abc\" for integer parameter \"maxlag\".", "module": "main"}], "docref": docref(&w)})
    );
    let a = c.get_raw("action=query&maxlag=abc&format=json&formatversion=2&errorformat=raw");
    assert_eq!(
        a.json()["errors"][0],
        json!({"code": "badinteger", "key": "paramvalidator-badinteger", "params": [{"plaintext": "maxlag"}, {"plaintext": "abc"}], "module": "main"})
    );
    let a = c.get_raw("action=query&maxlag=abc&format=json&errorformat=none");
    assert_eq!(
        a.json(),
        json!({"errors": [{"code": "badinteger", "module": "main"}], "*": docref(&w)})
    );
    let a = c.get_raw("action=query&errorformat=bogus&format=json");
    assert_eq!(
        a.json()["error"]["info"],
        "Unrecognized value for parameter \"errorformat\": bogus."
    );
}

#[test]
fn asserts_and_requestid() {
    let w = TestWiki::start();
    let c = w.client();
    let a = c.get_raw("action=query&assert=bot&format=json&requestid=r1");
    let j = a.json();
    assert_eq!(j["error"]["code"], "assertbotfailed");
    assert_eq!(
        j["error"]["info"],
        "You do not have the \"bot\" right, so the action could not be completed."
    );
    assert_eq!(j["requestid"], "r1");
    assert_eq!(
        c.get_raw("action=query&assert=anon&format=json").text(),
        r#"{"batchcomplete":""}"#
    );
    let j = c
        .get_raw("action=query&assertuser=Admin&format=json")
        .json();
    assert_eq!(
        j["error"]["info"],
        "You are no longer logged in as \"Admin\", so the action could not be completed."
    );
    let j = c
        .get_raw("action=query&assertuser=127.0.0.1&format=json")
        .json();
    assert_eq!(j["error"]["code"], "baduser");
    let j = c.get_raw("action=query&assert=nonsense&format=json").json();
    assert_eq!(j["error"]["code"], "badvalue");
}

#[test]
fn maxlag_single_server_and_jobqueue_switch() {
    let w = TestWiki::start();
    let c = w.client();
    // One database server: lag is -1, so even maxlag=-1 passes.
    assert_eq!(
        c.get_raw("action=query&maxlag=-1&format=json").text(),
        r#"{"batchcomplete":""}"#
    );
    let a = c.get_raw("action=query&maxlag=-2&format=json");
    assert_eq!(a.header("retry-after"), Some("5"));
    assert_eq!(a.header("x-database-lag"), Some("-1"));
    assert_eq!(
        a.json()["error"],
        json!({"code": "maxlag", "info": "Waiting for a database server: -1 second lagged.", "host": "", "lag": -1, "type": "db", "*": docref(&w)})
    );
}

#[test]
fn methods_and_posting() {
    let w = TestWiki::start();
    let c = w.client();
    let a = c.request("PUT", "action=query&format=json");
    assert_eq!(a.status, 405);
    assert_eq!(a.json()["error"]["code"], "invalidmethod");
    let a = c.request("OPTIONS", "action=query&format=json");
    assert_eq!(a.status, 200);
    assert!(a.body.is_empty());
    // Body wins over the query string.
    let a = c.post_raw(
        "application/x-www-form-urlencoded",
        b"action=query&format=json&requestid=body",
    );
    assert_eq!(a.json()["requestid"], "body");
    let a = c.post_raw(
        "multipart/form-data; boundary=XyZ",
        b"--XyZ\r\nContent-Disposition: form-data; name=\"action\"\r\n\r\nquery\r\n--XyZ\r\nContent-Disposition: form-data; name=\"format\"\r\n\r\njson\r\n--XyZ\r\nContent-Disposition: form-data; name=\"requestid\"\r\n\r\nmp\r\n--XyZ--\r\n",
    );
    assert_eq!(a.json()["requestid"], "mp");
}

#[test]
fn xml_and_jsonp_and_html() {
    let w = TestWiki::start();
    let c = w.client();
    let a = c.get_raw("action=nosuchaction&format=xml");
    assert_eq!(a.header("content-type"), Some("text/xml; charset=utf-8"));
    assert_eq!(
        a.text(),
        format!(
            "<?xml version=\"1.0\"?><api><error code=\"badvalue\" info=\"Unrecognized value for parameter &quot;action&quot;: nosuchaction.\" xml:space=\"preserve\">See {} for API usage. {}</error></api>",
            w.api,
            MAILING.replace('&', "&amp;")
        )
    );
    let a = c.get_raw("action=query&maxlag=x&format=xml&errorformat=plaintext&requestid=7");
    assert_eq!(
        a.text(),
        format!(
            "<?xml version=\"1.0\"?><api requestid=\"7\"><errors><error code=\"badinteger\" module=\"main\" xml:space=\"preserve\">Invalid value \"x\" for integer parameter \"maxlag\".</error></errors><docref xml:space=\"preserve\">See {} for API usage. {}</docref></api>",
            w.api,
            MAILING.replace('&', "&amp;")
        )
    );
    let a = c.get_raw("action=query&format=json&callback=cb()");
    assert_eq!(
        a.header("content-type"),
        Some("text/javascript; charset=utf-8")
    );
    assert_eq!(a.text(), r#"/**/cb({"batchcomplete":""})"#);
    let a = c.get_raw("action=query&format=nosuchformat");
    assert_eq!(a.header("mediawiki-api-error"), Some("badvalue"));
    assert!(a.text().contains("api-pretty-content"));
    let a = c.get_raw("action=query&format=json&formatversion=3");
    let j = a.json();
    assert_eq!(j["error"]["code"], "badvalue");
    assert_eq!(
        j["warnings"]["main"]["*"],
        "Error printer failed. Will retry without params."
    );
    assert!(a.text().starts_with("{\"warnings\""));
}

#[test]
fn cors_origin_rules() {
    let w = TestWiki::start();
    let c = w.client();
    let a = c.get_raw("action=query&format=json&origin=*");
    assert_eq!(a.header("access-control-allow-origin"), Some("*"));
    assert_eq!(a.header("mediawiki-login-suppressed"), Some("true"));
    let a = c.get_raw("action=query&format=json&origin=https://example.org");
    assert_eq!(a.status, 403);
    assert_eq!(
        a.text(),
        "'origin' parameter does not match Origin header\n"
    );
}

#[test]
fn bad_input_never_panics() {
    let w = TestWiki::start();
    let c = w.client();
    // Invalid UTF-8 and non-NFC values are cleaned, not rejected.
    let a = c.get_raw("action=query&format=json&requestid=%FF%FE");
    assert_eq!(a.status, 200);
    assert_eq!(a.json()["requestid"], "\u{fffd}\u{fffd}");
    // 10 000 values in a multi-value parameter.
    let many: Vec<String> = (0..10_000).map(|i| format!("m{i}")).collect();
    let a = c.post(&[
        ("action", "help"),
        ("modules", &many.join("|")),
        ("format", "json"),
    ]);
    assert_eq!(a.status, 200);
    let j = a.json();
    assert_eq!(j["error"]["code"], "toomanyvalues");
    assert_eq!(j["error"]["limit"], 50);
    assert_eq!(j["error"]["highlimit"], 500);
    // A huge body is refused plainly.
    let big = vec![b'a'; 70 * 1024 * 1024];
    let a = c.post_raw("application/x-www-form-urlencoded", &big);
    assert_eq!(a.status, 413);
    assert_eq!(a.header("mediawiki-api-error"), Some("toolarge"));
    // Garbage of every kind.
    for q in [
        "action=query&format=json&%",
        "action=query&format=json&=&&==&a=%zz",
        "action[]=query&format=json",
        "action=query&format=json&titles[x]=A",
        "action=query&format=json&maxlag=99999999999999999999999",
        "action=%00&format=json",
        "action=query&format=json&requestid=%C0%80",
        "action=query&errorformat=raw&format=xml&maxlag=x",
    ] {
        let a = c.get_raw(q);
        assert_eq!(a.status, 200, "{q}: {}", a.text());
    }
    let a = c.post_raw("multipart/form-data; boundary=zz", b"--zz\r\nbroken");
    assert_eq!(a.status, 200);
    let a = c.post_raw("application/json", b"{\"action\":\"query\"}");
    assert_eq!(a.status, 200);
    let a = c.get_raw("action=query&format=json&titles[x]=A");
    assert_eq!(
        a.json()["warnings"]["main"]["*"],
        "Parameter \"titles\" uses unsupported PHP array syntax."
    );
}
