//! The remaining list modules over HTTP: search, prefixsearch, random,
//! protectedtitles, querypage, watchlist and watchlistraw, as lists and as
//! generators, with their limits, continuation and errors.

use serde_json::{json, Value};

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

/// The pages of the reference wiki's fixture that these modules read.
fn wiki() -> TestWiki {
    let w = TestWiki::start();
    let c = w.client();
    // The template first: a missing one would also count as a link.
    edit(&c, "Template:Box", "A simple box.");
    edit(
        &c,
        "Main Page",
        "Refwiki is a reference wiki. * [[Sandbox]]",
    );
    edit(
        &c,
        "Sandbox",
        "This is the sandbox. Feel free to edit.\n[[Category:Refwiki pages]]",
    );
    edit(&c, "Talk:Sandbox", "This is the talk page of the sandbox.");
    edit(
        &c,
        "Box demo A",
        "First page that transcludes the box template.\n{{Box|Content of demo A}}",
    );
    edit(
        &c,
        "Box demo B",
        "Second page that transcludes the box template.\n{{Box|Content of demo B}}",
    );
    edit(&c, "Sbox", "#REDIRECT [[Sandbox]]");
    w
}

fn titles(v: &Value) -> Vec<String> {
    v.as_array()
        .map(|a| {
            a.iter()
                .map(|x| x["title"].as_str().unwrap_or("").to_string())
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn search_titles_texts_and_snippets() {
    let w = wiki();
    // Titles by default, the main namespace only.
    let j = w.get("action=query&list=search&srsearch=box&srprop=");
    assert_eq!(
        j["query"],
        json!({"searchinfo": {"totalhits": 2}, "search": [
            {"ns": 0, "title": "Box demo A", "pageid": 5},
            {"ns": 0, "title": "Box demo B", "pageid": 6}]})
    );
    // Text search with snippets, sizes and word counts; continuation by offset.
    let j = w.get2("action=query&list=search&srsearch=sandbox&srwhat=text&srlimit=1");
    assert_eq!(j["continue"], json!({"sroffset": 1, "continue": "-||"}));
    assert_eq!(j["query"]["searchinfo"]["totalhits"], 3);
    let hit = &j["query"]["search"][0];
    assert_eq!(hit["title"], "Main Page");
    assert_eq!(
        hit["snippet"],
        "Refwiki is a reference wiki. * [[<span class='searchmatch'>Sandbox</span>]]\n"
    );
    assert_eq!(hit["size"], 42);
    assert_eq!(hit["wordcount"], 6);
    let j = w.get2("action=query&list=search&srsearch=feel%20free&srwhat=text&srinfo=");
    assert_eq!(j["query"].get("searchinfo"), None);
    assert_eq!(
        j["query"]["search"][0]["snippet"],
        "This is the sandbox. <span class='searchmatch'>Feel</span> <span class='searchmatch'>free</span> to edit.\n"
    );
    assert_eq!(j["query"]["search"][0]["wordcount"], 11);
    // A namespace prefix and all: choose the namespaces.
    let j = w.get2("action=query&list=search&srsearch=talk:sandbox&srprop=");
    assert_eq!(titles(&j["query"]["search"]), ["Talk:Sandbox"]);
    let j = w.get2("action=query&list=search&srsearch=all:sandbox&srprop=");
    assert_eq!(titles(&j["query"]["search"]), ["Sandbox", "Talk:Sandbox"]);
    // Nothing searchable, near matches, excluded words.
    let j = w.get2("action=query&list=search&srsearch=*");
    assert_eq!(
        j["query"],
        json!({"searchinfo": {"totalhits": 0}, "search": []})
    );
    let j = w.get2("action=query&list=search&srsearch=sandbox&srwhat=nearmatch&srprop=snippet");
    assert_eq!(
        j["query"],
        json!({"search": [{"ns": 0, "title": "Sandbox", "pageid": 3, "snippet": ""}]})
    );
    let j = w.get2("action=query&list=search&srsearch=box%20-second&srwhat=text&srprop=");
    assert_eq!(titles(&j["query"]["search"]), ["Box demo A"]);
    // Deprecated values warn; a missing search is an error.
    let j = w.get("action=query&list=search&srsearch=box&srprop=score");
    assert_eq!(
        j["warnings"]["search"]["*"],
        "The value \"score\" to parameter \"srprop\" has been deprecated."
    );
    let j = w.get("action=query&list=search&srsearch=");
    assert_eq!(j["error"]["code"], "missingparam");
    // As a generator: the position of each page.
    let j = w.get2("action=query&generator=search&gsrsearch=box&gsrlimit=1");
    assert_eq!(
        j["query"]["pages"],
        json!([{"pageid": 5, "ns": 0, "title": "Box demo A", "index": 1}])
    );
    assert_eq!(j["continue"]["gsroffset"], 1);
}

#[test]
fn prefixsearch_and_random() {
    let w = wiki();
    let j = w.get("action=query&list=prefixsearch&pssearch=box&pslimit=1");
    assert_eq!(
        j,
        json!({"batchcomplete": "", "continue": {"psoffset": 1, "continue": "-||"},
            "query": {"prefixsearch": [{"ns": 0, "title": "Box demo A", "pageid": 5}]}})
    );
    let j = w.get2("action=query&list=prefixsearch&pssearch=box&psoffset=1");
    assert_eq!(titles(&j["query"]["prefixsearch"]), ["Box demo B"]);
    // Case matters after the first letter; a namespace prefix wins.
    let j = w.get2("action=query&list=prefixsearch&pssearch=box%20Demo");
    assert_eq!(j["query"]["prefixsearch"], json!([]));
    let j = w.get2("action=query&list=prefixsearch&pssearch=Template:b");
    assert_eq!(titles(&j["query"]["prefixsearch"]), ["Template:Box"]);
    // The exact title comes first.
    let j = w.get2("action=query&list=prefixsearch&pssearch=s&psnamespace=0");
    assert_eq!(titles(&j["query"]["prefixsearch"]), ["Sandbox", "Sbox"]);
    let j = w.get2("action=query&list=prefixsearch&pssearch=sbox");
    assert_eq!(titles(&j["query"]["prefixsearch"]), ["Sbox"]);
    let j = w.get2("action=query&generator=prefixsearch&gpssearch=Main");
    assert_eq!(
        j["query"]["pages"],
        json!([{"pageid": 2, "ns": 0, "title": "Main Page", "index": 1}])
    );

    // Random: every non-redirect exactly once over a wrap-around.
    let mut seen = Vec::new();
    let mut cont = String::new();
    for _ in 0..10 {
        let j = w.get2(&format!(
            "action=query&list=random&rnlimit=2&rnnamespace=*{cont}"
        ));
        for p in j["query"]["random"].as_array().unwrap() {
            seen.push(p["title"].as_str().unwrap().to_string());
            assert!(p.get("redirect").is_none());
        }
        match j["continue"]["rncontinue"].as_str() {
            Some(c) => cont = format!("&rncontinue={c}"),
            None => break,
        }
    }
    seen.sort();
    assert_eq!(
        seen,
        [
            "Box demo A",
            "Box demo B",
            "Main Page",
            "Sandbox",
            "Talk:Sandbox",
            "Template:Box"
        ]
    );
    let j = w.get2("action=query&list=random&rnfilterredir=redirects&rnlimit=5");
    assert_eq!(titles(&j["query"]["random"]), ["Sbox"]);
    let j = w.get2("action=query&list=random&rnfilterredir=all&rnnamespace=0&rnlimit=10");
    assert_eq!(j["query"]["random"].as_array().unwrap().len(), 5);
    let j = w.get("action=query&list=random&rncontinue=x");
    assert_eq!(j["error"]["code"], "badcontinue");
    let j = w.get("action=query&list=random&rnfilterredir=all&rnredirect=1");
    assert_eq!(j["error"]["code"], "invalidparammix");
    let j = w.get2("action=query&generator=random&grnnamespace=10");
    assert_eq!(titles(&j["query"]["pages"]), ["Template:Box"]);
}

#[test]
fn protectedtitles_and_querypage() {
    let w = wiki();
    let j = w.get2("action=query&list=protectedtitles");
    assert_eq!(j["query"]["protectedtitles"], json!([]));
    let conn = rusqlite::Connection::open(&w.db_path).unwrap();
    conn.execute_batch(
        "INSERT INTO protected_titles VALUES (0, 'Nope', 1, 'no [[Sandbox]]', '20260101000000', NULL, 'sysop');
         INSERT INTO protected_titles VALUES (1, 'Nope_2', 1, 'second', '20260102000000', '20990101000000', 'autoconfirmed');",
    )
    .unwrap();
    drop(conn);
    let j = w.get2("action=query&list=protectedtitles&ptprop=comment|expiry|level|timestamp|user|userid&ptlimit=1");
    assert_eq!(
        j["query"]["protectedtitles"],
        json!([{"ns": 1, "title": "Talk:Nope 2", "timestamp": "2026-01-02T00:00:00Z",
            "user": "Admin", "userid": 1, "comment": "second",
            "expiry": "2099-01-01T00:00:00Z", "level": "autoconfirmed"}])
    );
    let cont = j["continue"]["ptcontinue"].as_str().unwrap().to_string();
    assert_eq!(cont, "20260101000000|0|Nope");
    let j = w.get2(&format!(
        "action=query&list=protectedtitles&ptcontinue={cont}&ptprop=expiry"
    ));
    assert_eq!(
        j["query"]["protectedtitles"],
        json!([{"ns": 0, "title": "Nope", "expiry": "infinity"}])
    );
    let j = w.get2("action=query&list=protectedtitles&ptlevel=sysop&ptdir=newer");
    assert_eq!(titles(&j["query"]["protectedtitles"]), ["Nope"]);
    let j = w.get("action=query&list=protectedtitles&ptcontinue=x");
    assert_eq!(j["error"]["code"], "badcontinue");
    let j = w.get2("action=query&generator=protectedtitles");
    assert_eq!(j["query"]["pages"][0]["missing"], true);

    // Reports.
    let j = w.get("action=query&list=querypage&qppage=Shortpages&qplimit=2");
    assert_eq!(
        j,
        json!({"batchcomplete": "", "continue": {"qpoffset": 2, "continue": "-||"},
            "query": {"querypage": {"name": "Shortpages", "results": [
                {"value": "42", "ns": 0, "title": "Main Page"},
                {"value": "66", "ns": 0, "title": "Sandbox"}]}}})
    );
    let j = w.get2("action=query&list=querypage&qppage=Longpages&qplimit=1&qpoffset=1");
    assert_eq!(titles(&j["query"]["querypage"]["results"]), ["Box demo A"]);
    let j = w.get2("action=query&list=querypage&qppage=Uncategorizedpages");
    assert_eq!(
        titles(&j["query"]["querypage"]["results"]),
        ["Box demo A", "Box demo B", "Main Page"]
    );
    let j = w.get2("action=query&list=querypage&qppage=Ancientpages&qplimit=1");
    let r = &j["query"]["querypage"]["results"][0];
    assert!(r["timestamp"].as_str().unwrap().ends_with('Z'));
    let j = w.get2("action=query&list=querypage&qppage=Mostlinkedtemplates");
    assert_eq!(
        j["query"]["querypage"]["results"],
        json!([{"value": "2", "ns": 10, "title": "Template:Box"}])
    );
    let j = w.get2("action=query&list=querypage&qppage=Unusedimages");
    assert_eq!(j["query"]["querypage"]["results"], json!([]));
    let j = w.get("action=query&list=querypage");
    assert_eq!(j["error"]["code"], "missingparam");
    let j = w.get("action=query&list=querypage&qppage=Nonsense");
    assert_eq!(j["error"]["code"], "badvalue");
    let j = w.get2("action=query&generator=querypage&gqppage=Deadendpages");
    let mut t = titles(&j["query"]["pages"]);
    t.sort();
    assert_eq!(t, ["Box demo A", "Box demo B", "Sandbox"]);
}

fn client_login(w: &TestWiki) -> Client {
    let s = w.session();
    let lt = s.get(&[
        ("action", "query"),
        ("meta", "tokens"),
        ("type", "login"),
        ("format", "json"),
    ]);
    let lt = lt.json()["query"]["tokens"]["logintoken"]
        .as_str()
        .unwrap()
        .to_string();
    let a = s.post(&[
        ("action", "clientlogin"),
        ("username", "Admin"),
        ("password", &w.admin_password),
        ("logintoken", &lt),
        ("loginreturnurl", "http://example.org/"),
        ("format", "json"),
    ]);
    assert_eq!(a.json()["clientlogin"]["status"], "PASS", "{}", a.text());
    s
}

fn csrf(s: &Client) -> String {
    let a = s.get(&[("action", "query"), ("meta", "tokens"), ("format", "json")]);
    a.json()["query"]["tokens"]["csrftoken"]
        .as_str()
        .unwrap()
        .to_string()
}

#[test]
fn watchlist_and_watchlistraw() {
    let w = wiki();
    // Anonymous users have no watchlist.
    for q in ["list=watchlist", "list=watchlistraw"] {
        let j = w.get(&format!("action=query&{q}"));
        assert_eq!(j["error"]["code"], "notloggedin");
        assert_eq!(
            j["error"]["info"],
            "Please log in to view or edit items on your watchlist."
        );
    }
    let s = client_login(&w);
    let token = csrf(&s);
    for (title, extra) in [("Sandbox", "1 month"), ("Box demo A", "infinite")] {
        let a = s.post(&[
            ("action", "edit"),
            ("title", title),
            ("appendtext", "\nMore."),
            ("watchlist", "watch"),
            ("watchlistexpiry", extra),
            ("token", &token),
            ("format", "json"),
        ]);
        assert_eq!(a.json()["edit"]["result"], "Success", "{}", a.text());
    }
    let raw = |q: &str| {
        s.get(&[
            ("action", "query"),
            ("list", "watchlistraw"),
            ("formatversion", "2"),
            ("format", "json"),
            ("wrlimit", q),
        ])
        .json()
    };
    let j = raw("3");
    assert_eq!(
        j,
        json!({"batchcomplete": true, "continue": {"wrcontinue": "1|Sandbox", "continue": "-||"},
            "watchlistraw": [
                {"ns": 0, "title": "Box demo A"}, {"ns": 0, "title": "Sandbox"},
                {"ns": 1, "title": "Talk:Box demo A"}]})
    );
    let j = s
        .get(&[
            ("action", "query"),
            ("list", "watchlistraw"),
            ("wrcontinue", "1|Sandbox"),
            ("wrdir", "ascending"),
            ("format", "json"),
        ])
        .json();
    assert_eq!(
        j["watchlistraw"],
        json!([{"ns": 1, "title": "Talk:Sandbox"}])
    );
    let j = s
        .get(&[
            ("action", "query"),
            ("list", "watchlistraw"),
            ("wrfromtitle", "Talk:A"),
            ("wrdir", "descending"),
            ("format", "json"),
        ])
        .json();
    assert_eq!(titles(&j["watchlistraw"]), ["Sandbox", "Box demo A"]);
    let j = s
        .get(&[
            ("action", "query"),
            ("list", "watchlistraw"),
            ("wrshow", "changed|!changed"),
            ("format", "json"),
        ])
        .json();
    assert_eq!(j["error"]["code"], "show");

    // The latest change of each watched page, newest first, with expiries.
    let j = s
        .get(&[
            ("action", "query"),
            ("list", "watchlist"),
            (
                "wlprop",
                "ids|title|flags|user|sizes|expiry|notificationtimestamp",
            ),
            ("formatversion", "2"),
            ("format", "json"),
        ])
        .json();
    let items = j["query"]["watchlist"].as_array().unwrap();
    assert_eq!(items.len(), 3, "{j}");
    assert_eq!(items[0]["title"], "Box demo A");
    assert_eq!(items[0]["type"], "edit");
    assert_eq!(items[0]["user"], "Admin");
    assert_eq!(items[0]["expiry"], false);
    assert_eq!(items[0]["notificationtimestamp"], "");
    assert_eq!(items[1]["title"], "Sandbox");
    assert!(items[1]["expiry"].as_str().unwrap().ends_with('Z'));
    // Watching a page watches its talk page too.
    assert_eq!(items[2]["title"], "Talk:Sandbox");
    assert_eq!(items[2]["type"], "new");
    assert_eq!(items[2]["anon"], true);
    // Every revision, one at a time, continued.
    let j = s
        .get(&[
            ("action", "query"),
            ("list", "watchlist"),
            ("wlallrev", "1"),
            ("wllimit", "3"),
            ("wldir", "newer"),
            ("wlprop", "title"),
            ("format", "json"),
        ])
        .json();
    assert_eq!(
        titles(&j["query"]["watchlist"]),
        ["Sandbox", "Talk:Sandbox", "Box demo A"]
    );
    assert!(j["continue"]["wlcontinue"].is_string());
    let j = s
        .get(&[
            ("action", "query"),
            ("list", "watchlist"),
            ("wlshow", "minor|!minor"),
            ("format", "json"),
        ])
        .json();
    assert_eq!(j["error"]["code"], "show");
    let j = s
        .get(&[
            ("action", "query"),
            ("generator", "watchlist"),
            ("prop", "info"),
            ("formatversion", "2"),
            ("format", "json"),
        ])
        .json();
    let mut t = titles(&j["query"]["pages"]);
    t.sort();
    assert_eq!(t, ["Box demo A", "Sandbox", "Talk:Sandbox"]);
    // Another user's list needs the right token.
    let j = w.get("action=query&list=watchlistraw&wrowner=Admin&wrtoken=abc");
    assert_eq!(j["error"]["code"], "bad_wltoken");
    let j = w.get("action=query&list=watchlist&wlowner=Nobody&wltoken=abc");
    assert_eq!(j["error"]["code"], "bad_wlowner");
}

/// An edit marks the page as changed for every other watcher (whose mark is not
/// set yet and whose watch has not expired), minor edits too; the editor's own
/// mark stays as it was. Shown by watchlistraw, watchlist and prop=info.
#[test]
fn edits_set_other_watchers_notification_timestamps() {
    let w = TestWiki::start();
    let admin = w.admin_session();
    let alice = w.user_session("Alice");
    let bob = w.user_session("Bob");
    let edit = |s: &crate::support::Session, text: &str, extra: &[(&str, &str)]| {
        let mut p = vec![
            ("action", "edit"),
            ("title", "Watched page"),
            ("text", text),
        ];
        p.extend_from_slice(extra);
        let v = s.post(&p);
        assert_eq!(v["edit"]["result"], "Success", "{v}");
        v["edit"]["newtimestamp"].as_str().map(str::to_string)
    };
    edit(&admin, "one", &[("watchlist", "watch")]);
    edit(&alice, "one and a half", &[("watchlist", "watch")]);
    edit(&bob, "one", &[("watchlist", "watch")]);
    // Everybody has seen the page (wikid does not clear marks on views yet), and
    // Bob's watch ran out.
    let conn = rusqlite::Connection::open(&w.db_path).unwrap();
    conn.execute_batch(
        "UPDATE watchlist SET wl_notificationtimestamp = NULL;
         UPDATE watchlist SET wl_expiry = '20000101000000' WHERE wl_user =
           (SELECT user_id FROM user WHERE user_name = 'Bob')",
    )
    .unwrap();
    drop(conn);
    let changed = |s: &crate::support::Session| {
        let v = s.get(&[
            ("action", "query"),
            ("list", "watchlistraw"),
            ("wrprop", "changed"),
            ("wrnamespace", "0"),
            ("formatversion", "2"),
        ]);
        v["watchlistraw"][0]["changed"].clone()
    };
    assert_eq!(changed(&admin), Value::Null);
    assert_eq!(changed(&alice), Value::Null);
    // A minor edit by Alice: Admin sees it, Alice does not.
    let t1 = edit(&alice, "two", &[("minor", "1")]).unwrap();
    assert_eq!(changed(&admin), json!(t1));
    assert_eq!(changed(&alice), Value::Null);
    // A later edit keeps the first unseen change.
    std::thread::sleep(std::time::Duration::from_millis(1100));
    let t2 = edit(&admin, "three", &[]).unwrap();
    assert_ne!(t1, t2);
    assert_eq!(changed(&admin), json!(t1));
    assert_eq!(changed(&alice), json!(t2));
    let conn = rusqlite::Connection::open(&w.db_path).unwrap();
    let bob_mark: Option<String> = conn
        .query_row(
            "SELECT wl_notificationtimestamp FROM watchlist WHERE wl_namespace = 0 AND wl_user =
               (SELECT user_id FROM user WHERE user_name = 'Bob')",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(bob_mark, None);
    // list=watchlist and prop=info give the same mark.
    let v = alice.get(&[
        ("action", "query"),
        ("list", "watchlist"),
        ("wlprop", "title|notificationtimestamp"),
        ("wlshow", "unread"),
        ("formatversion", "2"),
    ]);
    assert_eq!(
        v["query"]["watchlist"],
        json!([{"type": "edit", "ns": 0, "title": "Watched page", "notificationtimestamp": t2}])
    );
    let v = alice.get(&[
        ("action", "query"),
        ("prop", "info"),
        ("inprop", "notificationtimestamp"),
        ("titles", "Watched page|Unwatched page"),
        ("formatversion", "2"),
    ]);
    let pages = v["query"]["pages"].as_array().unwrap();
    let mark = |t: &str| {
        pages
            .iter()
            .find(|p| p["title"] == t)
            .map(|p| p["notificationtimestamp"].clone())
    };
    assert_eq!(mark("Watched page"), Some(json!(t2)));
    assert_eq!(mark("Unwatched page"), Some(json!("")));
}
