//! action=delete over real HTTP: every answer of the spec, the automatic reason,
//! what a deletion does to storage, round trips without loss, concurrency, a
//! kill -9 during big deletions, and the operator commands.

use serde_json::Value;

use crate::support::{Session, TestWiki};

fn code(v: &Value) -> &str {
    v["error"]["code"].as_str().unwrap_or("")
}

fn info(v: &Value) -> &str {
    v["error"]["info"].as_str().unwrap_or("")
}

fn edit(s: &Session, title: &str, text: &str) -> Value {
    let v = s.post(&[("action", "edit"), ("title", title), ("text", text)]);
    assert_eq!(v["edit"]["result"], "Success", "edit {title}: {v}");
    v
}

fn db(w: &TestWiki) -> rusqlite::Connection {
    rusqlite::Connection::open(&w.db_path).unwrap()
}

fn count(w: &TestWiki, sql: &str) -> i64 {
    db(w).query_row(sql, [], |r| r.get(0)).unwrap()
}

#[test]
fn delete_success_and_automatic_reasons() {
    let w = TestWiki::start();
    let admin = w.admin_session();
    edit(
        &admin,
        "Del reason",
        "Page deleted with an explicit reason.",
    );
    let v = admin.post(&[
        ("action", "delete"),
        ("title", "Del reason"),
        ("reason", "Explicit"),
    ]);
    assert_eq!(v["delete"]["title"], "Del reason");
    assert_eq!(v["delete"]["reason"], "Explicit");
    assert!(v["delete"]["logid"].as_i64().unwrap() > 0);
    assert_eq!(
        w.get("action=query&prop=info&titles=Del%20reason")["query"]["pages"]["-1"]["missing"],
        ""
    );

    // Single author.
    edit(
        &admin,
        "Del auto",
        "Hello [[world]] this is content.\nSecond line",
    );
    let v = admin.post(&[("action", "delete"), ("title", "Del auto")]);
    assert_eq!(
        v["delete"]["reason"],
        "content was: \"Hello [[world]] this is content. Second line\", and the only contributor was \"[[Special:Contributions/Admin|Admin]]\" ([[User talk:Admin|talk]])"
    );

    // Two authors: no contributor.
    edit(&admin, "Del two", "first by admin");
    let alice = w.user_session("Alice");
    edit(&alice, "Del two", "second by alice");
    let v = admin.post(&[("action", "delete"), ("title", "Del two")]);
    assert_eq!(v["delete"]["reason"], "content was: \"second by alice\"");

    // Blanked.
    edit(&admin, "Del blank", "text before blank");
    edit(&admin, "Del blank", "");
    let v = admin.post(&[("action", "delete"), ("title", "Del blank")]);
    assert_eq!(
        v["delete"]["reason"],
        "content before blanking was: \"text before blank\""
    );

    // Truncation: 500 bytes in all.
    edit(&admin, "Del long", &"y".repeat(600));
    let v = admin.post(&[("action", "delete"), ("title", "Del long")]);
    let r = v["delete"]["reason"].as_str().unwrap();
    assert_eq!(r.len(), 500);
    assert!(r.starts_with(&format!("content was: \"{}...\"", "y".repeat(385))));
    edit(&admin, "Del utf8", &"é".repeat(400));
    let v = admin.post(&[("action", "delete"), ("title", "Del utf8")]);
    let r = v["delete"]["reason"].as_str().unwrap();
    assert!(r.len() <= 500 && r.contains("é...\""), "{r}");

    // Unclosed link at the cut.
    edit(&admin, "Del link", "line1\nline2 [[Foo");
    let v = admin.post(&[("action", "delete"), ("title", "Del link")]);
    assert!(v["delete"]["reason"]
        .as_str()
        .unwrap()
        .starts_with("content was: \"line1 line2 Foo\""));

    // reason= stays empty; spaces kept in the answer, trimmed in the log.
    edit(&admin, "Del empty", "x");
    let v = admin.post(&[("action", "delete"), ("title", "Del empty"), ("reason", "")]);
    assert_eq!(v["delete"]["reason"], "");
    edit(&admin, "Del spaced", "x");
    let v = admin.post(&[
        ("action", "delete"),
        ("title", "del_spaced"),
        ("reason", "  spaced reason  "),
    ]);
    assert_eq!(v["delete"]["title"], "Del spaced");
    assert_eq!(v["delete"]["reason"], "  spaced reason  ");
    let log = w.get2("action=query&list=logevents&letype=delete&lelimit=1");
    assert_eq!(log["query"]["logevents"][0]["comment"], "spaced reason");
    assert_eq!(
        log["query"]["logevents"][0]["params"],
        serde_json::json!({})
    );
    assert_eq!(log["query"]["logevents"][0]["pageid"], 0);

    // By page id; the same id again.
    let id = edit(&admin, "Del by id", "x")["edit"]["pageid"]
        .as_i64()
        .unwrap()
        .to_string();
    let v = admin.post(&[("action", "delete"), ("pageid", &id), ("reason", "by id")]);
    assert_eq!(v["delete"]["title"], "Del by id");
    let v = admin.post(&[("action", "delete"), ("pageid", &id)]);
    assert_eq!(code(&v), "nosuchpageid");
    assert_eq!(info(&v), format!("There is no page with ID {id}."));

    // XML.
    edit(&admin, "Del xml", "x");
    let a = admin.client.post(&[
        ("action", "delete"),
        ("title", "Del xml"),
        ("reason", "x"),
        ("format", "xml"),
        ("token", &admin.token),
    ]);
    let text = a.text();
    assert!(
        text.starts_with(
            "<?xml version=\"1.0\"?><api><delete title=\"Del xml\" reason=\"x\" logid=\""
        ),
        "{text}"
    );
}

#[test]
fn delete_refusals() {
    let w = TestWiki::start();
    let admin = w.admin_session();
    edit(&admin, "Victim", "content");
    let cases: Vec<(Vec<(&str, &str)>, &str, &str)> = vec![
        (
            vec![("title", "Never existed")],
            "missingtitle",
            "The page you specified doesn't exist.",
        ),
        (
            vec![("pageid", "99999999")],
            "nosuchpageid",
            "There is no page with ID 99999999.",
        ),
        (
            vec![("title", "Victim"), ("pageid", "1")],
            "invalidparammix",
            "The parameters \"title\" and \"pageid\" can not be used together.",
        ),
        (
            vec![],
            "missingparam",
            "One of the parameters \"title\" and \"pageid\" is required.",
        ),
        (
            vec![("title", "<bad>")],
            "invalidtitle",
            "Bad title \"<bad>\".",
        ),
        (
            vec![("title", "mw:Foo")],
            "invalidtitle",
            "Bad title \"mw:Foo\".",
        ),
        (
            vec![("title", "Special:Version")],
            "pagecannotexist",
            "Namespace doesn't allow actual pages.",
        ),
        (
            vec![("pageid", "abc")],
            "badinteger",
            "Invalid value \"abc\" for integer parameter \"pageid\".",
        ),
        (
            vec![("title", "Victim"), ("watchlist", "x")],
            "badvalue",
            "Unrecognized value for parameter \"watchlist\": x.",
        ),
        (
            vec![("title", "Victim"), ("tags", "no-such-tag")],
            "badtags",
            "The tag \"no-such-tag\" is not allowed to be manually applied.",
        ),
        (
            vec![
                ("title", "Victim"),
                ("watchlist", "watch"),
                ("watchlistexpiry", "next blue moon"),
            ],
            "badexpiry",
            "Invalid value \"next blue moon\" for expiry parameter \"watchlistexpiry\".",
        ),
    ];
    for (params, c, i) in cases {
        let mut all = vec![("action", "delete")];
        all.extend(params.iter().copied());
        let v = admin.post(&all);
        assert_eq!(code(&v), c, "{params:?}: {v}");
        assert_eq!(info(&v), i, "{params:?}");
    }
    let bad = admin.post(&[("action", "delete"), ("title", "Victim"), ("tags", "a|b")]);
    assert_eq!(
        bad["error"]["disallowedtags"],
        serde_json::json!(["a", "b"])
    );
    assert_eq!(
        info(&bad),
        "The following tags are not allowed to be manually applied: a, b"
    );

    // Tokens and methods.
    let v = admin
        .client
        .post(&[
            ("action", "delete"),
            ("title", "Victim"),
            ("format", "json"),
        ])
        .json();
    assert_eq!(code(&v), "missingparam");
    assert_eq!(info(&v), "The \"token\" parameter must be set.");
    let v = admin
        .client
        .post(&[
            ("action", "delete"),
            ("title", "Victim"),
            ("format", "json"),
            ("token", "0123+\\"),
        ])
        .json();
    assert_eq!(code(&v), "badtoken");
    let v = admin
        .client
        .get(&[
            ("action", "delete"),
            ("title", "Victim"),
            ("format", "json"),
            ("token", &admin.token),
        ])
        .json();
    assert_eq!(code(&v), "mustpostparams");
    let v = admin
        .client
        .get(&[
            ("action", "delete"),
            ("title", "Victim"),
            ("format", "json"),
        ])
        .json();
    assert_eq!(code(&v), "missingparam");

    // Alice and the anonymous user may not delete; a missing page wins.
    let alice = w.user_session("Alice");
    let v = alice.post(&[("action", "delete"), ("title", "Victim")]);
    assert_eq!(code(&v), "permissiondenied");
    assert_eq!(
        info(&v),
        "The action you have requested is limited to users in the group: [[Refwiki:Administrators|Administrators]]."
    );
    let anon = w.client();
    let v = anon
        .post(&[
            ("action", "delete"),
            ("title", "Victim"),
            ("format", "json"),
            ("token", "+\\"),
        ])
        .json();
    assert_eq!(code(&v), "permissiondenied");
    let v = anon
        .post(&[
            ("action", "delete"),
            ("title", "Never existed"),
            ("format", "json"),
            ("token", "+\\"),
        ])
        .json();
    assert_eq!(code(&v), "missingtitle");

    // A sysop may delete a user's CSS page but not the site's.
    edit(&alice, "User:Alice/common.css", "body {}");
    let v = admin.post(&[("action", "delete"), ("title", "User:Alice/common.css")]);
    assert!(v["delete"]["logid"].is_i64(), "{v}");
    edit(&admin, "MediaWiki:Common.json", "{}");
    let v = admin.post(&[("action", "delete"), ("title", "MediaWiki:Common.json")]);
    assert!(v["delete"]["logid"].is_i64(), "{v}");
    // Nothing of Victim moved.
    assert_eq!(
        count(&w, "SELECT COUNT(*) FROM archive WHERE ar_title = 'Victim'"),
        0
    );
    // Twice.
    admin.post(&[("action", "delete"), ("title", "Victim")]);
    let v = admin.post(&[("action", "delete"), ("title", "Victim")]);
    assert_eq!(code(&v), "missingtitle");
}

#[test]
fn deletetalk_tags_watchlist_and_log() {
    let w = TestWiki::start();
    let admin = w.admin_session();
    edit(&admin, "Subject", "s");
    edit(&admin, "Talk:Subject", "t");
    let v = admin.post(&[
        ("action", "delete"),
        ("title", "Subject"),
        ("deletetalk", "1"),
        ("reason", "with talk"),
    ]);
    assert!(v.get("warnings").is_none(), "{v}");
    let log = w.get2("action=query&list=logevents&letype=delete&lelimit=2");
    let entries = &log["query"]["logevents"];
    assert_eq!(entries[0]["title"], "Talk:Subject");
    assert_eq!(
        entries[0]["comment"],
        "Deleted together with the associated page with reason: with talk"
    );
    assert_eq!(entries[1]["logid"], v["delete"]["logid"]);
    edit(&admin, "Lonely", "s");
    let v = admin.post(&[
        ("action", "delete"),
        ("title", "Lonely"),
        ("deletetalk", "1"),
    ]);
    assert_eq!(
        v["warnings"]["delete"]["*"],
        "Cannot delete a non-existing associated talk page."
    );
    edit(&admin, "Talk:Only talk", "s");
    let v = admin.post(&[
        ("action", "delete"),
        ("title", "Talk:Only talk"),
        ("deletetalk", "1"),
    ]);
    assert_eq!(
        v["warnings"]["delete"]["*"],
        "Cannot delete associated talk page of a talk page."
    );

    // Tags: defined with managetags, then applied to the log entry.
    let v = admin.post(&[
        ("action", "managetags"),
        ("operation", "create"),
        ("tag", "test-tag"),
    ]);
    assert_eq!(v["managetags"]["success"], "");
    edit(&admin, "Tagged", "x");
    let v = admin.post(&[
        ("action", "delete"),
        ("title", "Tagged"),
        ("tags", "test-tag"),
    ]);
    assert!(v["delete"]["logid"].is_i64(), "{v}");
    let log = w.get2("action=query&list=logevents&letype=delete&leprop=ids|tags&lelimit=1");
    assert_eq!(
        log["query"]["logevents"][0]["tags"],
        serde_json::json!(["test-tag"])
    );
    let tags = w.get2("action=query&list=tags&tgprop=source|active|hitcount&tglimit=max");
    let t = tags["query"]["tags"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["name"] == "test-tag")
        .unwrap()
        .clone();
    assert_eq!(t["source"], serde_json::json!(["manual"]));
    assert_eq!(t["active"], true);
    // Alice may not manage tags.
    let alice = w.user_session("Alice");
    let v = alice.post(&[
        ("action", "managetags"),
        ("operation", "create"),
        ("tag", "x"),
    ]);
    assert_eq!(code(&v), "permissiondenied");

    // Watchlist with an expiry: the page and its talk page.
    edit(&admin, "Watched", "x");
    let v = admin.post(&[
        ("action", "delete"),
        ("title", "Watched"),
        ("watchlist", "watch"),
        ("watchlistexpiry", "1 week"),
    ]);
    assert!(v["delete"]["logid"].is_i64());
    assert_eq!(
        count(
            &w,
            "SELECT COUNT(*) FROM watchlist WHERE wl_title = 'Watched' AND wl_expiry IS NOT NULL"
        ),
        2
    );
    let i = admin.get(&[
        ("action", "query"),
        ("prop", "info"),
        ("inprop", "watched"),
        ("titles", "Watched"),
        ("formatversion", "2"),
    ]);
    assert_eq!(i["query"]["pages"][0]["watched"], true);
    assert!(i["query"]["pages"][0]["watchlistexpiry"].is_string(), "{i}");
    edit(&admin, "Watched", "again");
    let v = admin.post(&[
        ("action", "delete"),
        ("title", "Watched"),
        ("watchlist", "unwatch"),
    ]);
    assert!(v["delete"]["logid"].is_i64());
    assert_eq!(
        count(
            &w,
            "SELECT COUNT(*) FROM watchlist WHERE wl_title = 'Watched'"
        ),
        0
    );
    // The deprecated watch=1.
    edit(&admin, "Legacy watch", "x");
    let v = admin.post(&[
        ("action", "delete"),
        ("title", "Legacy watch"),
        ("watch", "1"),
    ]);
    assert_eq!(
        v["warnings"]["delete"]["*"],
        "The parameter \"watch\" has been deprecated."
    );
    assert!(v["warnings"]["main"]["*"]
        .as_str()
        .unwrap()
        .contains("mediawiki-api-announce"));

    // The recent changes keep the log row only.
    let rc = w.get2("action=query&list=recentchanges&rcprop=title|loginfo&rclimit=max");
    for c in rc["query"]["recentchanges"].as_array().unwrap() {
        if c["title"] == "Tagged" {
            assert_eq!(c["type"], "log", "{c}");
        }
    }
}

#[test]
fn bigdelete_limit() {
    let w = TestWiki::start_with(|c| c.delete_revisions_limit = 2);
    let admin = w.admin_session();
    for i in 0..3 {
        edit(&admin, "Big page", &format!("rev {i}"));
    }
    // Sysops have bigdelete.
    let v = admin.post(&[("action", "delete"), ("title", "Big page")]);
    assert!(v["delete"]["logid"].is_i64(), "{v}");
    // A custom deleter without it.
    let w = TestWiki::start_with(|c| {
        c.delete_revisions_limit = 2;
        c.group_permissions
            .entry("sysop".into())
            .or_default()
            .insert("bigdelete".into(), false);
    });
    let admin = w.admin_session();
    for i in 0..3 {
        edit(&admin, "Big page", &format!("rev {i}"));
    }
    let a = admin.client.post(&[
        ("action", "delete"),
        ("title", "Big page"),
        ("format", "json"),
        ("errorformat", "plaintext"),
        ("token", &admin.token),
    ]);
    assert_eq!(
        a.header("mediawiki-api-error"),
        Some("bigdelete, delete-toomanyrevisions")
    );
    let v = a.json();
    assert!(v["errors"][0]["*"]
        .as_str()
        .unwrap()
        .starts_with("This page has a large edit history, over 2 revisions."));
}

// ---------------------------------------------------------------------------
// Round trip without loss.

/// A tiny deterministic generator (xorshift), so failures reproduce.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
    /// Text with unusual UTF-8: combining marks, astral characters, RTL, NUL-free
    /// control characters, lone surrogate-looking text.
    fn text(&mut self, max_len: usize) -> String {
        const ALPHABET: &[&str] = &[
            "a", "Z", " ", "\n", "[[", "]]", "{{", "}}", "é", "e\u{301}", "𝔘", "😀", "ש",
            "\u{200f}", "\t", "ß", "中", "\u{feff}", "&amp;", "<b>", "\\", "\"", "'", "~~~~",
            "\u{1}",
        ];
        let len = self.below(max_len as u64 + 1) as usize;
        let mut s = String::with_capacity(len);
        while s.len() < len {
            s.push_str(ALPHABET[self.below(ALPHABET.len() as u64) as usize]);
        }
        s
    }
}

/// What must survive: (rev id, timestamp, author, comment, text).
fn history(c: &rusqlite::Connection, page: i64) -> Vec<(i64, String, String, String, Vec<u8>)> {
    let mut st = c
        .prepare(
            "SELECT rev_id, rev_timestamp, actor_name, rev_comment, content_text FROM revision \
             JOIN actor ON actor_id = rev_actor JOIN content ON content_id = rev_content_id \
             WHERE rev_page = ?1 ORDER BY rev_id",
        )
        .unwrap();
    let rows = st
        .query_map([page], |r| {
            let text: rusqlite::types::Value = r.get(4)?;
            let bytes = match text {
                rusqlite::types::Value::Text(s) => s.into_bytes(),
                rusqlite::types::Value::Blob(b) => b,
                _ => Vec::new(),
            };
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, bytes))
        })
        .unwrap();
    rows.map(Result::unwrap).collect()
}

#[test]
fn round_trip_without_loss() {
    let w = TestWiki::start();
    let app = w.admin();
    let users: Vec<wikid::auth::User> = (0..5)
        .map(|i| {
            let name = format!("Writer {i}");
            let _ = wikid::admin::create_user(&app, &name, "Writer-Password-1", &[]);
            let row = app
                .store
                .read()
                .unwrap()
                .user_by_name(&name)
                .unwrap()
                .unwrap();
            wikid::auth::User::from_row(&row, &app.perms, None)
        })
        .chain(std::iter::once(wikid::auth::User::anonymous(
            "192.0.2.7",
            &app.perms,
        )))
        .collect();
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let admin = w.admin_session();
    for p in 0..12 {
        let ns = [0, 1, 2, 4, 10][rng.below(5) as usize];
        let suffix: String = rng
            .text(6)
            .chars()
            .filter(|c| c.is_alphanumeric())
            .collect();
        let title = app
            .titles
            .parse(&format!("Round trip {p} {suffix}x"), ns)
            .unwrap();
        let revs = 1 + rng.below(8);
        let mut ts = 20200101000000i64 + rng.below(1000) as i64;
        let mut page_id = 0;
        for r in 0..revs {
            let user = &users[rng.below(users.len() as u64) as usize];
            // Big texts now and then (up to 200 KB).
            let max = if rng.below(6) == 0 { 200 * 1024 } else { 300 };
            let text = format!("{}{r}", rng.text(max));
            let summary = rng.text(80);
            ts += 1 + rng.below(3) as i64; // distinct seconds, as MediaWiki's history
            let mut txn = app.store.write().unwrap();
            let page = txn.page_by_title(title.ns, &title.dbkey).unwrap();
            let saved = wikid::wiki::page::save(
                &app,
                txn.as_mut(),
                &wikid::wiki::page::Edit {
                    title: &title,
                    page: page.as_ref(),
                    text: &text,
                    model: "wikitext",
                    summary: &summary,
                    minor: rng.below(2) == 0,
                    bot: false,
                    tags: &[],
                    user,
                    ip: "192.0.2.7",
                    now: &ts.to_string(),
                    recent_change: true,
                    update_links: true,
                    auto_summary: false,
                },
            )
            .unwrap();
            txn.commit().unwrap();
            page_id = saved.page_id;
        }
        let c = db(&w);
        let before = history(&c, page_id);
        assert_eq!(before.len() as u64, revs, "{}", title.dbkey);
        let full = title.prefixed_text(&app.titles);
        let v = admin.post(&[
            ("action", "delete"),
            ("title", &full),
            ("reason", "round trip"),
        ]);
        assert!(v["delete"]["logid"].is_i64(), "{full}: {v}");
        assert!(history(&c, page_id).is_empty());
        let archived: i64 = c
            .query_row(
                "SELECT COUNT(*) FROM archive WHERE ar_page_id = ?1",
                [page_id],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(archived as u64, revs);
        let v = admin.post(&[("action", "undelete"), ("title", &full), ("reason", "back")]);
        assert_eq!(
            v["undelete"]["revisions"].as_i64(),
            Some(revs as i64),
            "{v}"
        );
        // The page has its old id and every revision is identical.
        let id_now: i64 = c
            .query_row(
                "SELECT page_id FROM page WHERE page_namespace = ?1 AND page_title = ?2",
                rusqlite::params![title.ns, title.dbkey],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(id_now, page_id);
        assert_eq!(history(&c, page_id), before, "{full}");
        let latest: i64 = c
            .query_row(
                "SELECT page_latest FROM page WHERE page_id = ?1",
                [page_id],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(latest, before.last().unwrap().0);
    }
    assert_eq!(count(&w, "SELECT COUNT(*) FROM archive"), 0);
}

// ---------------------------------------------------------------------------
// Concurrency.

#[test]
fn two_simultaneous_deletes_one_wins() {
    let w = TestWiki::start();
    let admin = w.admin_session();
    for round in 0..10 {
        let title = format!("Race {round}");
        edit(&admin, &title, "x");
        let results: Vec<Value> = std::thread::scope(|s| {
            let hs: Vec<_> = (0..2)
                .map(|_| {
                    let title = title.clone();
                    let token = admin.token.clone();
                    let c = crate::support::Client::for_url(&w.api);
                    for (k, v) in admin.client.jar.as_ref().unwrap().borrow().iter() {
                        c.set_cookie(k, Some(v));
                    }
                    s.spawn(move || {
                        c.post(&[
                            ("action", "delete"),
                            ("title", &title),
                            ("format", "json"),
                            ("token", &token),
                        ])
                        .json()
                    })
                })
                .collect();
            hs.into_iter().map(|h| h.join().unwrap()).collect()
        });
        let ok = results
            .iter()
            .filter(|v| v["delete"]["logid"].is_i64())
            .count();
        let missing = results.iter().filter(|v| code(v) == "missingtitle").count();
        assert_eq!((ok, missing), (1, 1), "{results:?}");
    }
    assert_eq!(
        count(&w, "SELECT COUNT(*) FROM logging WHERE log_type = 'delete'"),
        10
    );
}

#[test]
fn concurrent_deletes_undeletes_and_edits() {
    let w = TestWiki::start();
    let admin = w.admin_session();
    let pages: Vec<String> = (0..50).map(|i| format!("Busy {i}")).collect();
    for p in &pages {
        edit(&admin, p, "start");
    }
    let cookies: Vec<(String, String)> = admin
        .client
        .jar
        .as_ref()
        .unwrap()
        .borrow()
        .iter()
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    std::thread::scope(|s| {
        for t in 0..16u64 {
            let pages = &pages;
            let cookies = &cookies;
            let token = admin.token.clone();
            let api = w.api.clone();
            s.spawn(move || {
                let c = crate::support::Client::for_url(&api);
                for (k, v) in cookies {
                    c.set_cookie(k, Some(v));
                }
                let mut rng = Rng(0x1234_5678 + t * 7919);
                for i in 0..40 {
                    let title = &pages[rng.below(pages.len() as u64) as usize];
                    let action = ["delete", "undelete", "edit"][rng.below(3) as usize];
                    let text = format!("thread {t} edit {i}");
                    let mut params = vec![
                        ("action", action),
                        ("title", title.as_str()),
                        ("format", "json"),
                        ("token", token.as_str()),
                    ];
                    if action == "edit" {
                        params.push(("text", &text));
                    }
                    let v = c.post(&params).json();
                    // Every answer is a success or a documented refusal.
                    let ok = v.get(action).is_some()
                        || ["missingtitle", "cantundelete"].contains(&code(&v));
                    assert!(ok, "{action} {title}: {v}");
                }
            });
        }
    });
    let c = db(&w);
    // Each page is wholly live or wholly archived; no revision is lost.
    for p in &pages {
        let key = p.replace(' ', "_");
        let live: Option<(i64, i64)> = c
            .query_row(
                "SELECT page_id, page_latest FROM page WHERE page_namespace = 0 AND page_title = ?1",
                [&key],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .ok();
        if let Some((id, latest)) = live {
            let max: i64 = c
                .query_row(
                    "SELECT MAX(rev_id) FROM revision WHERE rev_page = ?1",
                    [id],
                    |r| r.get(0),
                )
                .unwrap();
            assert_eq!(latest, max, "{p}: page_latest is the newest revision");
        }
    }
    let orphans: i64 = c
        .query_row(
            "SELECT COUNT(*) FROM revision WHERE NOT EXISTS (SELECT 1 FROM page WHERE page_id = rev_page)",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(orphans, 0, "revisions of no page");
    let both: i64 = c
        .query_row(
            "SELECT COUNT(*) FROM archive JOIN revision ON rev_id = ar_rev_id",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(both, 0, "a revision both live and archived");
    // Every revision ever made is accounted for: ids are never reused, so the
    // live and archived revisions are exactly the revisions created.
    let created: i64 = c
        .query_row(
            "SELECT seq FROM sqlite_sequence WHERE name = 'revision'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let accounted: i64 = c
        .query_row(
            "SELECT (SELECT COUNT(*) FROM revision) + (SELECT COUNT(*) FROM archive)",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(accounted, created);
    let texts_missing: i64 = c
        .query_row(
            "SELECT COUNT(*) FROM archive WHERE NOT EXISTS (SELECT 1 FROM content WHERE content_id = ar_content_id)",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(texts_missing, 0);
    // The log is consistent: a page is created (edit) or restored only when it
    // is not live, and deleted only when it is.
    let mut st = c
        .prepare(
            "SELECT log_title, log_type || '/' || log_action FROM logging \
             WHERE log_type IN ('delete', 'create') ORDER BY log_id",
        )
        .unwrap();
    let mut live: std::collections::HashMap<String, bool> = std::collections::HashMap::new();
    for row in st
        .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))
        .unwrap()
    {
        let (t, a) = row.unwrap();
        let was = live.get(&t).copied().unwrap_or(false);
        match a.as_str() {
            "create/create" => assert!(!was, "{t} created while live"),
            "delete/delete" => assert!(was, "{t} deleted while not live"),
            _ => {}
        }
        live.insert(t, a != "delete/delete");
    }
    for p in &pages {
        let key = p.replace(' ', "_");
        let exists = count(
            &w,
            &format!("SELECT COUNT(*) FROM page WHERE page_namespace = 0 AND page_title = '{key}'"),
        ) == 1;
        assert_eq!(
            live.get(&key).copied().unwrap_or(false),
            exists,
            "{key}: log and page disagree"
        );
    }
    let (pages_stat,): (i64,) = c
        .query_row("SELECT ss_total_pages FROM site_stats", [], |r| {
            Ok((r.get(0)?,))
        })
        .unwrap();
    assert_eq!(pages_stat, count(&w, "SELECT COUNT(*) FROM page"));
}

// ---------------------------------------------------------------------------
// Crash.

fn spawn_wikid(data: &std::path::Path) -> (std::process::Child, String) {
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_wikid"))
        .args(["--data-dir", data.to_str().unwrap(), "serve", "--listen"])
        .arg(format!("127.0.0.1:{port}"))
        .args(["--admin-password", "Crash-Test-Password-1"])
        .env("WIKID_LOG", "warn")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let api = format!("http://127.0.0.1:{port}/w/api.php");
    for _ in 0..200 {
        if ureq::get(&format!("{api}?action=query&format=json"))
            .call()
            .is_ok()
        {
            return (child, api);
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let _ = child.kill();
    let _ = child.wait();
    panic!("wikid did not start");
}

/// Adds `n` revisions to a new page straight through storage (as an import does).
fn bulk_page(app: &wikid::app::App, title: &str, n: usize) {
    let t = app.titles.parse(title, 0).unwrap();
    let user = wikid::auth::User::anonymous("192.0.2.1", &app.perms);
    let mut txn = app.store.write().unwrap();
    let mut page = None;
    for i in 0..n {
        let text = format!("revision {i} of {title}");
        let saved = wikid::wiki::page::save(
            app,
            txn.as_mut(),
            &wikid::wiki::page::Edit {
                title: &t,
                page: page.as_ref(),
                text: &text,
                model: "wikitext",
                summary: "bulk",
                minor: false,
                bot: false,
                tags: &[],
                user: &user,
                ip: "192.0.2.1",
                now: &format!("{}", 20200101000000i64 + (i as i64 % 60)),
                recent_change: false,
                update_links: false,
                auto_summary: false,
            },
        )
        .unwrap();
        if page.is_none() {
            page = txn.page_by_id(saved.page_id).unwrap();
        } else if let Some(p) = page.as_mut() {
            p.latest = saved.new_rev;
        }
    }
    txn.commit().unwrap();
}

#[test]
fn crash_during_big_deletions_leaves_nothing_half_deleted() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    {
        let config = wikid::config::Config {
            data_dir: data.clone(),
            admin_password: Some("Crash-Test-Password-1".into()),
            create_main_page: false,
            ..wikid::config::Config::default()
        };
        let (app, _) = wikid::open_app(config).unwrap();
        for p in 0..12 {
            bulk_page(&app, &format!("Heavy {p}"), 3000);
        }
    }
    let (mut child, api) = spawn_wikid(&data);
    let s = crate::support::Session::login(
        crate::support::Client::for_url(&api),
        "Admin",
        "Crash-Test-Password-1",
    );
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let worker = {
        let stop = stop.clone();
        let cookies: Vec<(String, String)> = s
            .client
            .jar
            .as_ref()
            .unwrap()
            .borrow()
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        let token = s.token.clone();
        std::thread::spawn(move || {
            let c = crate::support::Client::for_url(&api);
            for (k, v) in &cookies {
                c.set_cookie(k, Some(v));
            }
            let mut p = 0;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) && p < 12 {
                let title = format!("Heavy {p}");
                let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    c.post(&[
                        ("action", "delete"),
                        ("title", &title),
                        ("format", "json"),
                        ("token", &token),
                    ])
                }));
                if r.is_err() {
                    break; // the server died under us
                }
                p += 1;
            }
        })
    };
    std::thread::sleep(std::time::Duration::from_millis(700));
    child.kill().unwrap();
    child.wait().unwrap();
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let _ = worker.join();
    let (mut child, _api) = spawn_wikid(&data);
    let c = rusqlite::Connection::open(data.join("wikid.sqlite")).unwrap();
    let mut deleted = 0;
    for p in 0..12 {
        let key = format!("Heavy_{p}");
        let live: i64 = c
            .query_row(
                "SELECT COUNT(*) FROM revision JOIN page ON page_id = rev_page WHERE page_title = ?1",
                [&key],
                |r| r.get(0),
            )
            .unwrap();
        let archived: i64 = c
            .query_row(
                "SELECT COUNT(*) FROM archive WHERE ar_title = ?1",
                [&key],
                |r| r.get(0),
            )
            .unwrap();
        let logged: i64 = c
            .query_row(
                "SELECT COUNT(*) FROM logging WHERE log_type = 'delete' AND log_title = ?1",
                [&key],
                |r| r.get(0),
            )
            .unwrap();
        assert!(
            (live == 3000 && archived == 0 && logged == 0)
                || (live == 0 && archived == 3000 && logged == 1),
            "{key}: live {live}, archived {archived}, logged {logged}"
        );
        if archived > 0 {
            deleted += 1;
        }
    }
    assert!(deleted > 0, "no deletion finished before the kill");
    child.kill().unwrap();
    child.wait().unwrap();
}

// ---------------------------------------------------------------------------
// Operator commands.

#[test]
fn delete_batch_and_undelete_commands() {
    let w = TestWiki::start();
    let admin = w.admin_session();
    edit(&admin, "Batch one", "1");
    edit(&admin, "Batch two", "2");
    let dir = tempfile::tempdir().unwrap();
    let list = dir.path().join("titles.txt");
    std::fs::write(&list, "Batch one\n\nNo such batch page\n<bad>\nBatch two\n").unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_wikid"))
        .args([
            "--data-dir",
            w.config.data_dir.to_str().unwrap(),
            "delete-batch",
        ])
        .args(["--reason", "cleanup", "--user", "Cleanup bot"])
        .arg(&list)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("Batch one Deleted!"), "{stdout}");
    assert!(stdout.contains("Skipping nonexistent page 'No such batch page'"));
    assert!(stdout.contains("Invalid title '<bad>' on line 4"));
    assert!(stdout.contains("Batch two Deleted!"));
    let log = w.get2("action=query&list=logevents&letype=delete&lelimit=2");
    assert_eq!(log["query"]["logevents"][0]["user"], "Cleanup bot");
    assert_eq!(log["query"]["logevents"][0]["comment"], "cleanup");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_wikid"))
        .args([
            "--data-dir",
            w.config.data_dir.to_str().unwrap(),
            "undelete",
        ])
        .args(["Batch one", "--reason", "oops"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v = w.get2("action=query&prop=info&titles=Batch%20one");
    assert!(v["query"]["pages"][0]["pageid"].is_i64(), "{v}");
}
