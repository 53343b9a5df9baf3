//! action=undelete over real HTTP: full and partial restores, restores into a
//! live page, undeletetalk, ids kept, and every refusal.

use serde_json::Value;

use crate::support::{Session, TestWiki};

fn code(v: &Value) -> &str {
    v["error"]["code"].as_str().unwrap_or("")
}

fn edit(s: &Session, title: &str, text: &str) -> Value {
    let v = s.post(&[("action", "edit"), ("title", title), ("text", text)]);
    assert_eq!(v["edit"]["result"], "Success", "edit {title}: {v}");
    v
}

fn revisions(w: &TestWiki, title: &str) -> Vec<(i64, i64)> {
    let v = w.get2(&format!(
        "action=query&prop=revisions&rvprop=ids&rvlimit=max&titles={}",
        title.replace(' ', "%20")
    ));
    v["query"]["pages"][0]["revisions"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|r| {
                    (
                        r["revid"].as_i64().unwrap(),
                        r["parentid"].as_i64().unwrap(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn undelete_everything_keeps_ids() {
    let w = TestWiki::start();
    let admin = w.admin_session();
    let id = edit(&admin, "Full", "rev 1")["edit"]["pageid"]
        .as_i64()
        .unwrap();
    edit(&admin, "Full", "rev 2");
    edit(&admin, "Full", "rev 3");
    let before = revisions(&w, "Full");
    admin.post(&[
        ("action", "delete"),
        ("title", "Full"),
        ("reason", "to be restored"),
    ]);
    assert!(revisions(&w, "Full").is_empty());
    let v = admin.post(&[
        ("action", "undelete"),
        ("title", "Full"),
        ("reason", "Restoring everything"),
    ]);
    assert_eq!(
        v,
        serde_json::json!({"undelete": {"title": "Full", "revisions": 3, "fileversions": 0, "reason": "Restoring everything"}})
    );
    assert_eq!(revisions(&w, "Full"), before);
    let info = w.get2("action=query&prop=info&titles=Full");
    assert_eq!(info["query"]["pages"][0]["pageid"].as_i64(), Some(id));
    assert_eq!(
        info["query"]["pages"][0]["lastrevid"].as_i64(),
        Some(before[0].0)
    );
    let log = w.get2("action=query&list=logevents&letype=delete&letitle=Full");
    let e = &log["query"]["logevents"][0];
    assert_eq!(e["action"], "restore");
    assert_eq!(
        e["params"],
        serde_json::json!({"count": {"revisions": 3, "files": 0}})
    );
    assert_eq!(e["pageid"].as_i64(), Some(id));
    // Nothing left: cantundelete; with plaintext both errors.
    let v = admin.post(&[("action", "undelete"), ("title", "Full")]);
    assert_eq!(code(&v), "cantundelete");
    assert_eq!(
        v["error"]["info"],
        "Couldn't undelete: the requested revisions may not exist, or may have been undeleted already."
    );
    let a = admin.client.post(&[
        ("action", "undelete"),
        ("title", "Never deleted"),
        ("format", "json"),
        ("formatversion", "2"),
        ("errorformat", "plaintext"),
        ("token", &admin.token),
    ]);
    assert_eq!(
        a.header("mediawiki-api-error"),
        Some("undelete-no-results, cantundelete")
    );
    let v = a.json();
    assert_eq!(v["errors"][0]["code"], "undelete-no-results");
    assert_eq!(
        v["errors"][0]["text"],
        "No matching pages found in the deletion archive."
    );
}

#[test]
fn undelete_by_timestamp_and_into_a_live_page() {
    let w = TestWiki::start();
    let admin = w.admin_session();
    let app = w.admin();
    // Three revisions a second apart, written through storage with timestamps.
    let title = app.titles.parse("Partial", 0).unwrap();
    let user = {
        let row = app
            .store
            .read()
            .unwrap()
            .user_by_name("Admin")
            .unwrap()
            .unwrap();
        wikid::auth::User::from_row(&row, &app.perms, None)
    };
    for (i, ts) in ["20260101000001", "20260101000002", "20260101000003"]
        .iter()
        .enumerate()
    {
        let mut txn = app.store.write().unwrap();
        let page = txn.page_by_title(0, "Partial").unwrap();
        wikid::wiki::page::save(
            &app,
            txn.as_mut(),
            &wikid::wiki::page::Edit {
                title: &title,
                page: page.as_ref(),
                text: &format!("Partial {i}"),
                model: "wikitext",
                summary: &format!("rev {i}"),
                minor: false,
                bot: false,
                tags: &[],
                user: &user,
                ip: "127.0.0.1",
                now: ts,
                recent_change: true,
                update_links: true,
                auto_summary: false,
            },
        )
        .unwrap();
        txn.commit().unwrap();
    }
    let all = revisions(&w, "Partial");
    admin.post(&[("action", "delete"), ("title", "Partial")]);
    let v = admin.post(&[
        ("action", "undelete"),
        ("title", "Partial"),
        ("timestamps", "2026-01-01T00:00:01Z|20260101000002"),
        ("reason", "partial"),
    ]);
    assert_eq!(v["undelete"]["revisions"], 2, "{v}");
    assert_eq!(revisions(&w, "Partial"), all[1..].to_vec());
    let left = w.get2("action=query&prop=deletedrevisions&titles=Partial&drvprop=ids|timestamp");
    let left = &left["query"]["pages"][0];
    assert!(left["pageid"].is_i64());
    assert_eq!(
        left["deletedrevisions"][0]["revid"].as_i64(),
        Some(all[0].0)
    );
    // Nothing at that time; a bad timestamp.
    let v = admin.post(&[
        ("action", "undelete"),
        ("title", "Partial"),
        ("timestamps", "2001-01-01T00:00:00Z"),
    ]);
    assert_eq!(code(&v), "cantundelete");
    let v = admin.post(&[
        ("action", "undelete"),
        ("title", "Partial"),
        ("timestamps", "yesterday-ish"),
    ]);
    assert_eq!(code(&v), "badtimestamp");
    assert_eq!(
        v["error"]["info"],
        "Invalid value \"yesterday-ish\" for timestamp parameter \"timestamps\"."
    );
    // The newest one goes back on top.
    let v = admin.post(&[
        ("action", "undelete"),
        ("title", "Partial"),
        ("timestamps", "2026-01-01T00:00:03Z"),
    ]);
    assert_eq!(v["undelete"]["revisions"], 1);
    assert_eq!(revisions(&w, "Partial"), all);

    // Into a recreated page: older revisions join its history, the current
    // revision stays.
    edit(&admin, "Recreated", "old");
    let old = revisions(&w, "Recreated");
    admin.post(&[("action", "delete"), ("title", "Recreated")]);
    let new_rev = edit(&admin, "Recreated", "new")["edit"]["newrevid"]
        .as_i64()
        .unwrap();
    let v = admin.post(&[("action", "undelete"), ("title", "Recreated")]);
    assert_eq!(v["undelete"]["revisions"], 1);
    let now = revisions(&w, "Recreated");
    assert_eq!(now[0].0, new_rev);
    assert_eq!(now[1], old[0]);
}

#[test]
fn undeletetalk_and_refusals() {
    let w = TestWiki::start();
    let admin = w.admin_session();
    let s = edit(&admin, "With talk", "s")["edit"]["pageid"]
        .as_i64()
        .unwrap();
    let t = edit(&admin, "Talk:With talk", "t")["edit"]["pageid"]
        .as_i64()
        .unwrap();
    admin.post(&[
        ("action", "delete"),
        ("title", "With talk"),
        ("deletetalk", "1"),
    ]);
    let v = admin.post(&[
        ("action", "undelete"),
        ("title", "With talk"),
        ("undeletetalk", "1"),
    ]);
    assert_eq!(v["undelete"]["revisions"], 2, "{v}");
    let info = w.get2("action=query&prop=info&titles=With%20talk|Talk:With%20talk");
    assert_eq!(info["query"]["pages"][0]["pageid"].as_i64(), Some(s));
    assert_eq!(info["query"]["pages"][1]["pageid"].as_i64(), Some(t));
    // A bot's preference does not watch (the page is not watched); watch does.
    let watched = |w: &TestWiki| {
        let c = rusqlite::Connection::open(&w.db_path).unwrap();
        c.query_row(
            "SELECT COUNT(*) FROM watchlist WHERE wl_title = 'With_talk'",
            [],
            |r| r.get::<_, i64>(0),
        )
        .unwrap()
    };
    assert_eq!(watched(&w), 0);
    admin.post(&[("action", "delete"), ("title", "With talk")]);
    let v = admin.post(&[
        ("action", "undelete"),
        ("title", "With talk"),
        ("watchlist", "watch"),
        ("watchlistexpiry", "1 month"),
    ]);
    assert_eq!(v["undelete"]["revisions"], 1, "{v}");
    assert_eq!(watched(&w), 2);

    edit(&admin, "No talk", "s");
    admin.post(&[("action", "delete"), ("title", "No talk")]);
    let v = admin.post(&[
        ("action", "undelete"),
        ("title", "No talk"),
        ("undeletetalk", "1"),
    ]);
    assert_eq!(
        v["warnings"]["undelete"]["*"],
        "The associated talk page has no revisions that can be undeleted."
    );
    assert_eq!(v["undelete"]["revisions"], 1);

    edit(&admin, "Perms", "p");
    admin.post(&[("action", "delete"), ("title", "Perms")]);
    let alice = w.user_session("Alice");
    let v = alice.post(&[("action", "undelete"), ("title", "Perms")]);
    assert_eq!(code(&v), "permissiondenied");
    let v = w
        .client()
        .post(&[
            ("action", "undelete"),
            ("title", "Perms"),
            ("format", "json"),
            ("token", "+\\"),
        ])
        .json();
    assert_eq!(code(&v), "permissiondenied");
    let v = admin.post(&[("action", "undelete")]);
    assert_eq!(code(&v), "missingparam");
    assert_eq!(v["error"]["info"], "The \"title\" parameter must be set.");
    let v = admin.post(&[("action", "undelete"), ("title", "<bad>")]);
    assert_eq!(code(&v), "invalidtitle");
    let v = admin.post(&[
        ("action", "undelete"),
        ("title", "Perms"),
        ("tags", "no-such-tag"),
    ]);
    assert_eq!(code(&v), "badtags");
    let v = admin
        .client
        .get(&[
            ("action", "undelete"),
            ("title", "Perms"),
            ("format", "json"),
            ("token", &admin.token),
        ])
        .json();
    assert_eq!(code(&v), "mustpostparams");

    // A sysop cannot restore another user's CSS page.
    edit(&alice, "User:Alice/common.css", "body {}");
    admin.post(&[("action", "delete"), ("title", "User:Alice/common.css")]);
    let a = admin.client.post(&[
        ("action", "undelete"),
        ("title", "User:Alice/common.css"),
        ("format", "json"),
        ("errorformat", "plaintext"),
        ("token", &admin.token),
    ]);
    assert_eq!(
        a.header("mediawiki-api-error"),
        Some("customcssprotected, undelete-cantedit")
    );

    // Reading deleted things needs rights.
    let v = alice.get(&[
        ("action", "query"),
        ("prop", "deletedrevisions"),
        ("titles", "Perms"),
    ]);
    assert_eq!(code(&v), "permissiondenied");
    assert_eq!(
        v["error"]["info"],
        "You don't have permission to view deleted comments."
    );
    let v = alice.get(&[("action", "query"), ("list", "deletedrevs")]);
    assert_eq!(code(&v), "permissiondenied");
    let v = admin.get(&[
        ("action", "query"),
        ("list", "deletedrevs"),
        ("drlimit", "1"),
    ]);
    assert_eq!(
        v["warnings"]["deletedrevs"]["*"],
        "\"list=deletedrevs\" has been deprecated. Please use \"prop=deletedrevisions\" or \"list=alldeletedrevisions\" instead."
    );
    assert_eq!(v["query"]["deletedrevs"][0]["title"], "Perms");
    let v = admin.get(&[
        ("action", "query"),
        ("list", "alldeletedrevisions"),
        ("adrprop", "ids|user|content"),
        ("adrslots", "main"),
        ("formatversion", "2"),
    ]);
    let texts: Vec<&str> = v["query"]["alldeletedrevisions"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|p| p["revisions"].as_array().unwrap().iter())
        .filter_map(|r| r["slots"]["main"]["content"].as_str())
        .collect();
    assert!(texts.contains(&"p"), "{v}");
}
