//! Pages and revisions: action=edit, its errors, all-or-nothing writes, the query
//! modules that read history (info, revisions, recentchanges, logevents,
//! allrevisions), import and a crash test.

use serde_json::{json, Value};

use crate::support::TestWiki;

/// POSTs `action=edit` as the anonymous user (format=json, formatversion=2).
fn edit(w: &TestWiki, params: &[(&str, &str)]) -> Value {
    let mut all: Vec<(&str, &str)> = vec![
        ("action", "edit"),
        ("format", "json"),
        ("formatversion", "2"),
        ("token", "+\\"),
    ];
    all.extend_from_slice(params);
    w.client().post(&all).json()
}

fn code(v: &Value) -> &str {
    v["error"]["code"].as_str().unwrap_or("")
}

/// Row counts of the tables a save writes.
fn counts(w: &TestWiki) -> (i64, i64, i64, i64) {
    let c = rusqlite::Connection::open(&w.db_path).unwrap();
    let n = |t: &str| -> i64 {
        c.query_row(&format!("SELECT COUNT(*) FROM {t}"), [], |r| r.get(0))
            .unwrap()
    };
    (n("page"), n("revision"), n("recentchanges"), n("content"))
}

fn text_of(w: &TestWiki, title: &str) -> String {
    let v = w.get2(&format!(
        "action=query&prop=revisions&rvprop=content&rvslots=main&titles={}",
        title.replace(' ', "%20")
    ));
    v["query"]["pages"][0]["revisions"][0]["slots"]["main"]["content"]
        .as_str()
        .unwrap_or("")
        .to_string()
}

#[test]
fn create_edit_and_null_edit() {
    let w = TestWiki::start();
    let v = edit(&w, &[("title", "Sandbox"), ("text", "Hello [[Main Page]]")]);
    let e = &v["edit"];
    assert_eq!(e["new"], json!(true));
    assert_eq!(e["result"], "Success");
    assert_eq!(e["pageid"], 1);
    assert_eq!(e["title"], "Sandbox");
    assert_eq!(e["contentmodel"], "wikitext");
    assert_eq!(e["oldrevid"], 0);
    assert_eq!(e["newrevid"], 1);
    assert!(e["newtimestamp"].as_str().unwrap().ends_with('Z'));
    assert_eq!(e["watched"], json!(true));

    let v = edit(&w, &[("title", "Sandbox"), ("text", "Hello [[Main Page]]")]);
    assert_eq!(v["edit"]["nochange"], json!(true));
    assert!(v["edit"].get("newrevid").is_none());
    assert_eq!(counts(&w).1, 1, "a null edit writes no revision");

    let v = edit(
        &w,
        &[
            ("title", "Sandbox"),
            ("text", "Changed\n\n"),
            ("summary", "s"),
        ],
    );
    assert_eq!(v["edit"]["oldrevid"], 1);
    assert_eq!(v["edit"]["newrevid"], 2);
    assert!(v["edit"].get("new").is_none());
    // The pre-save transform removes trailing whitespace.
    assert_eq!(text_of(&w, "Sandbox"), "Changed");

    // fv1 flags are empty strings.
    let a = w.client().post(&[
        ("action", "edit"),
        ("format", "json"),
        ("token", "+\\"),
        ("title", "Other"),
        ("text", "x"),
    ]);
    assert_eq!(a.json()["edit"]["new"], "");
    let stats = w.get2("action=query&meta=siteinfo&siprop=statistics");
    assert_eq!(stats["query"]["statistics"]["edits"], 3);
    assert_eq!(stats["query"]["statistics"]["pages"], 2);
}

#[test]
fn append_prepend_sections_md5() {
    let w = TestWiki::start();
    edit(
        &w,
        &[("title", "P"), ("text", "intro\n== A ==\na\n== B ==\nb")],
    );
    edit(&w, &[("title", "P"), ("appendtext", "\nmore")]);
    edit(&w, &[("title", "P"), ("prependtext", "top ")]);
    assert_eq!(text_of(&w, "P"), "top intro\n== A ==\na\n== B ==\nb\nmore");
    edit(
        &w,
        &[("title", "P"), ("section", "1"), ("text", "== A ==\nnew a")],
    );
    assert_eq!(
        text_of(&w, "P"),
        "top intro\n== A ==\nnew a\n\n== B ==\nb\nmore"
    );
    let v = edit(
        &w,
        &[
            ("title", "P"),
            ("section", "new"),
            ("sectiontitle", "C"),
            ("text", "c"),
        ],
    );
    assert_eq!(v["edit"]["result"], "Success");
    assert!(text_of(&w, "P").ends_with("\n\n== C ==\n\nc"));
    let v = edit(&w, &[("title", "P"), ("section", "9"), ("text", "x")]);
    assert_eq!(code(&v), "nosuchsection");
    let v = edit(&w, &[("title", "P"), ("section", "x"), ("text", "x")]);
    assert_eq!(code(&v), "invalidsection");
    // md5 of text.
    let v = edit(
        &w,
        &[
            ("title", "P"),
            ("text", "abc"),
            ("md5", "900150983cd24fb0d6963f7d28e17f72"),
        ],
    );
    assert_eq!(v["edit"]["result"], "Success");
    let v = edit(&w, &[("title", "P"), ("text", "abcd"), ("md5", "0")]);
    assert_eq!(code(&v), "badmd5");
}

#[test]
fn errors_leave_nothing_behind() {
    let w = TestWiki::start();
    edit(&w, &[("title", "Exists"), ("text", "x")]);
    let before = counts(&w);
    let cases: Vec<(Vec<(&str, &str)>, &str)> = vec![
        (
            vec![("title", "Exists"), ("text", "y"), ("createonly", "1")],
            "articleexists",
        ),
        (
            vec![("title", "Nope"), ("text", "y"), ("nocreate", "1")],
            "missingtitle",
        ),
        (vec![("title", "Nope")], "missingparam"),
        (vec![("title", "A|b"), ("text", "y")], "invalidtitle"),
        (
            vec![("title", "Special:X"), ("text", "y")],
            "pagecannotexist",
        ),
        (vec![("pageid", "999"), ("text", "y")], "nosuchpageid"),
        (
            vec![("title", "A"), ("pageid", "1"), ("text", "y")],
            "invalidparammix",
        ),
        (
            vec![("title", "MediaWiki:Foo"), ("text", "y")],
            "protectednamespace-interface",
        ),
        (
            vec![("title", "MediaWiki:Foo.css"), ("text", "y")],
            "protectednamespace-interface",
        ),
        (
            vec![("title", "User:Bob/common.css"), ("text", "y")],
            "customcssprotected",
        ),
        (
            vec![("title", "User:Bob/x.json"), ("text", "y")],
            "customjsonprotected",
        ),
        (
            vec![("title", "User:Bob/x.js"), ("text", "y")],
            "customjsprotected",
        ),
        (
            vec![("title", "J"), ("text", "{x"), ("contentmodel", "json")],
            "cantchangecontentmodel",
        ),
        (
            vec![
                ("title", "Exists"),
                ("text", "z"),
                ("basetimestamp", "2001-01-01T00:00:00Z"),
            ],
            "editconflict",
        ),
        (
            vec![
                ("title", "Exists"),
                ("text", "z"),
                ("contentformat", "text/css"),
            ],
            "badformat",
        ),
    ];
    for (params, want) in cases {
        let v = edit(&w, &params);
        assert_eq!(code(&v), want, "{params:?}: {v}");
    }
    assert_eq!(counts(&w), before);
    // Both permission errors are listed in the non-BC formats.
    let mut p = vec![
        ("action", "edit"),
        ("format", "json"),
        ("formatversion", "2"),
        ("errorformat", "plaintext"),
        ("token", "+\\"),
    ];
    p.extend([("title", "MediaWiki:Foo.css"), ("text", "y")]);
    let v = w.client().post(&p).json();
    let codes: Vec<&str> = v["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["code"].as_str().unwrap())
        .collect();
    assert_eq!(
        codes,
        vec!["protectednamespace-interface", "sitecssprotected"]
    );
    // GET is refused, and a bad token.
    let a = w.client().get(&[
        ("action", "edit"),
        ("title", "A"),
        ("text", "x"),
        ("format", "json"),
    ]);
    assert_eq!(a.json()["error"]["code"], "missingparam");
    let a = w.client().get(&[
        ("action", "edit"),
        ("title", "A"),
        ("text", "x"),
        ("format", "json"),
        ("token", "+\\"),
    ]);
    assert_eq!(a.json()["error"]["code"], "mustpostparams");
    let a = w.client().post(&[
        ("action", "edit"),
        ("title", "A"),
        ("text", "x"),
        ("format", "json"),
        ("token", "x"),
    ]);
    assert_eq!(a.json()["error"]["code"], "badtoken");
}

#[test]
fn own_user_css_and_json_content() {
    let w = TestWiki::start();
    // Anonymous users may not create user CSS of an IP "user".
    let v = edit(
        &w,
        &[("title", "User:127.0.0.1/common.css"), ("text", "a{}")],
    );
    assert_eq!(code(&v), "mycustomcssprotected");
    let v = edit(&w, &[("title", "User:127.0.0.1/x.json"), ("text", "{x")]);
    assert_eq!(code(&v), "mycustomjsonprotected");
}

#[test]
fn info_revisions_and_history_lists() {
    let w = TestWiki::start();
    for i in 1..=3 {
        edit(
            &w,
            &[
                ("title", "History"),
                ("text", &format!("rev {i}")),
                ("summary", &format!("r{i}")),
            ],
        );
    }
    edit(&w, &[("title", "Redir"), ("text", "#REDIRECT [[History]]")]);
    let v =
        w.get("action=query&prop=info&titles=History|Redir|Missing&inprop=url|talkid|protection");
    // Keys -1, 1, 2 make PHP's array a list in fv1, as on MediaWiki.
    let pages = &v["query"]["pages"];
    assert_eq!(pages[0]["missing"], "");
    assert_eq!(pages[0]["restrictiontypes"], json!(["create"]));
    assert_eq!(pages[1]["lastrevid"], 3);
    assert_eq!(pages[1]["length"], 5);
    assert_eq!(pages[1]["contentmodel"], "wikitext");
    assert!(pages[1].get("new").is_none());
    assert_eq!(pages[2]["redirect"], "");
    assert_eq!(pages[2]["new"], "");
    assert!(pages[1]["fullurl"]
        .as_str()
        .unwrap()
        .ends_with("/wiki/History"));

    let v = w.get2("action=query&prop=revisions&titles=History&rvlimit=2&rvprop=ids|user|comment|size|sha1&rvslots=main");
    let revs = &v["query"]["pages"][0]["revisions"];
    assert_eq!(revs[0]["revid"], 3);
    assert_eq!(revs[0]["parentid"], 2);
    assert_eq!(revs[0]["comment"], "r3");
    assert_eq!(revs[0]["user"], "127.0.0.1");
    assert_eq!(revs[0]["anon"], true);
    assert_eq!(revs[0]["sha1"].as_str().unwrap().len(), 40);
    assert_eq!(
        v["continue"]["rvcontinue"]
            .as_str()
            .unwrap()
            .split('|')
            .nth(1),
        Some("1")
    );
    let cont = v["continue"]["rvcontinue"].as_str().unwrap().to_string();
    let c2 = v["continue"]["continue"].as_str().unwrap().to_string();
    let v = w.get2(&format!(
        "action=query&prop=revisions&titles=History&rvlimit=2&rvcontinue={cont}&continue={c2}"
    ));
    assert_eq!(v["query"]["pages"][0]["revisions"][0]["revid"], 1);
    assert_eq!(v["batchcomplete"], true);

    let v = w.get2(
        "action=query&list=recentchanges&rcprop=title|ids|sizes|flags|user|comment&rclimit=10",
    );
    let rc = v["query"]["recentchanges"].as_array().unwrap();
    assert_eq!(rc.len(), 4);
    assert_eq!(rc[0]["type"], "new");
    assert_eq!(rc[0]["title"], "Redir");
    assert_eq!(rc[0]["comment"], "Redirected page to [[History]]");
    assert_eq!(rc[1]["type"], "edit");
    assert_eq!(rc[1]["old_revid"], 2);
    assert_eq!(rc[3]["new"], true);
    let v = w.get2("action=query&list=recentchanges&rcprop=patrolled");
    assert_eq!(v["error"]["code"], "permissiondenied");

    let v = w.get2("action=query&list=logevents&letype=create");
    let le = v["query"]["logevents"].as_array().unwrap();
    assert_eq!(le.len(), 2);
    assert_eq!(le[0]["title"], "Redir");
    assert_eq!(le[0]["action"], "create");
    assert_eq!(le[0]["params"], json!({}));
    let v = w.get2("action=query&list=logevents&leaction=create/create&letitle=History");
    assert_eq!(v["query"]["logevents"][0]["comment"], "r1");

    let v = w.get2("action=query&list=allrevisions&arvlimit=3&arvprop=ids");
    let ar = v["query"]["allrevisions"].as_array().unwrap();
    assert_eq!(ar[0]["title"], "Redir");
    assert_eq!(ar[1]["revisions"].as_array().unwrap().len(), 2);
    let v = w.get2("action=query&generator=allrevisions&garvlimit=10&prop=info");
    assert_eq!(v["query"]["pages"].as_array().unwrap().len(), 2);
}

#[test]
fn import_reference_export() {
    let w = TestWiki::start();
    let mut config = wikid::config::Config {
        sitename: "Refwiki".into(),
        database_url: format!("sqlite://{}", w.db_path.display()),
        create_main_page: false,
        ..Default::default()
    };
    config.admin_password = Some("Unused-Password-1".into());
    let (app, _) = wikid::open_app(config).unwrap();
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/refwiki-export.xml");
    let stats = wikid::wiki::import::import_file(&app, &path, |_| {}).unwrap();
    assert_eq!(stats.pages, 3);
    assert_eq!(stats.revisions, 9);
    let v = w.get2("action=query&prop=revisions&titles=History%20page&rvlimit=50&rvprop=ids");
    assert_eq!(
        v["query"]["pages"][0]["revisions"]
            .as_array()
            .unwrap()
            .len(),
        6
    );
    assert_eq!(
        text_of(&w, "History page"),
        "History page, revision 6 by Alice.\n\n[[Category:Refwiki pages]]"
    );
    assert!(text_of(&w, "Main Page").starts_with("'''Refwiki''' is a reference MediaWiki"));
    assert_eq!(text_of(&w, "User:Admin/y.json").lines().next(), Some("{"));
    // MediaWiki's base-36 SHA-1 of the installer's Main Page text.
    let c = rusqlite::Connection::open(&w.db_path).unwrap();
    let sha: String = c
        .query_row(
            "SELECT rev_sha1 FROM revision ORDER BY rev_id LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(sha, "22vz5zlxa2zctewimaum2bf1due8hkl");
    // The import queued link updates; the server's job runner fills the link
    // tables (History page is in a category).
    let mut categories = serde_json::Value::Null;
    for _ in 0..100 {
        let v = w.get2("action=query&prop=categories&titles=History%20page");
        categories = v["query"]["pages"][0]["categories"].clone();
        if categories.is_array() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    assert_eq!(
        categories,
        json!([{"ns": 14, "title": "Category:Refwiki pages"}])
    );
    // Every imported page's link tables equal the reference wiki's for the same text
    // (recorded from its prop=links|templates|categories|extlinks).
    let v = w.get2(
        "action=query&prop=links|templates|categories|extlinks&pllimit=max&tllimit=max\
         &titles=Main%20Page|History%20page|User:Admin/y.json",
    );
    let pages = v["query"]["pages"].as_array().unwrap().clone();
    let by_title = |t: &str| pages.iter().find(|p| p["title"] == t).unwrap().clone();
    let main = by_title("Main Page");
    assert_eq!(
        main["links"],
        json!([{"ns": 0, "title": "Box demo A"}, {"ns": 0, "title": "Box demo B"},
               {"ns": 0, "title": "History page"}, {"ns": 0, "title": "Sandbox"},
               {"ns": 14, "title": "Category:Refwiki pages"}])
    );
    for (title, page) in [
        ("Main Page", main),
        ("History page", by_title("History page")),
        ("User:Admin/y.json", by_title("User:Admin/y.json")),
    ] {
        assert!(page.get("templates").is_none(), "{title}");
        assert!(page.get("extlinks").is_none(), "{title}");
        if title != "History page" {
            assert!(page.get("categories").is_none(), "{title}");
        }
    }
    // Importing again adds nothing.
    let again = wikid::wiki::import::import_file(&app, &path, |_| {}).unwrap();
    assert_eq!(again.revisions, 0);
    assert_eq!(again.skipped, 9);
}

/// Starts the real binary on a data dir; returns the child and its API URL.
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

#[test]
fn crash_during_edit_burst_leaves_whole_pages() {
    let dir = tempfile::tempdir().unwrap();
    let (mut child, api) = spawn_wikid(dir.path());
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let mut threads = Vec::new();
    for t in 0..4 {
        let api = api.clone();
        let stop = stop.clone();
        threads.push(std::thread::spawn(move || {
            let mut i = 0;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                let title = format!("Crash {t} {}", i % 7);
                let text = format!("text {i} of thread {t} [[Link]]");
                let _ = ureq::post(&api).send_form(&[
                    ("action", "edit"),
                    ("format", "json"),
                    ("token", "+\\"),
                    ("title", &title),
                    ("text", &text),
                ]);
                i += 1;
            }
        }));
    }
    std::thread::sleep(std::time::Duration::from_millis(1500));
    child.kill().unwrap(); // SIGKILL mid-burst
    child.wait().unwrap();
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    for t in threads {
        t.join().unwrap();
    }
    // Restart on the same data dir: migrations and WAL recovery must succeed.
    let (mut child, api) = spawn_wikid(dir.path());
    let db = dir.path().join(
        std::fs::read_dir(dir.path())
            .unwrap()
            .filter_map(|e| e.ok())
            .map(|e| e.file_name())
            .find(|n| n.to_string_lossy().ends_with(".sqlite"))
            .unwrap(),
    );
    let c = rusqlite::Connection::open(&db).unwrap();
    let bad: i64 = c
        .query_row(
            "SELECT COUNT(*) FROM page WHERE NOT EXISTS (SELECT 1 FROM revision JOIN content \
             ON content_id = rev_content_id WHERE rev_id = page_latest AND rev_page = page_id)",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(bad, 0, "a page points at a missing revision or text");
    let orphans: i64 = c
        .query_row(
            "SELECT COUNT(*) FROM revision WHERE NOT EXISTS (SELECT 1 FROM page WHERE page_id = rev_page) \
             OR NOT EXISTS (SELECT 1 FROM content WHERE content_id = rev_content_id)",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(orphans, 0);
    let (pages, edits): (i64, i64) = c
        .query_row(
            "SELECT ss_total_pages, ss_total_edits FROM site_stats",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    let real_pages: i64 = c
        .query_row("SELECT COUNT(*) FROM page", [], |r| r.get(0))
        .unwrap();
    let real_revs: i64 = c
        .query_row("SELECT COUNT(*) FROM revision", [], |r| r.get(0))
        .unwrap();
    assert!(real_revs > 0, "the burst saved something before the kill");
    assert_eq!((pages, edits), (real_pages, real_revs));
    // The restarted server still edits.
    let body = ureq::post(&api)
        .send_form(&[
            ("action", "edit"),
            ("format", "json"),
            ("token", "+\\"),
            ("title", "After crash"),
            ("text", "ok"),
        ])
        .unwrap()
        .into_string()
        .unwrap();
    let v: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(v["edit"]["result"], "Success");
    child.kill().unwrap();
    child.wait().unwrap();
}

#[test]
fn main_page_on_install() {
    let w = TestWiki::start_with(|c| c.create_main_page = true);
    let j = w.get2("action=query&prop=revisions&titles=Main%20Page&rvprop=user|comment&list=logevents&leprop=type|user|title");
    let page = &j["query"]["pages"][0];
    assert_eq!(page["revisions"][0]["user"], "MediaWiki default");
    assert_eq!(page["revisions"][0]["comment"], "");
    let log = &j["query"]["logevents"][0];
    assert_eq!(log["type"], "create");
    assert_eq!(log["title"], "Main Page");
    assert_eq!(log["user"], "MediaWiki default");
}

/// A MediaWiki XML export with `pages` pages of `revs` revisions each.
fn export_xml(pages: usize, revs: usize) -> String {
    let mut x = String::from(
        "<mediawiki xmlns=\"http://www.mediawiki.org/xml/export-0.11/\" version=\"0.11\" xml:lang=\"en\">\n",
    );
    let mut id = 0;
    for p in 0..pages {
        x.push_str(&format!(
            "<page><title>Imported {p}</title><ns>0</ns><id>{}</id>\n",
            p + 1
        ));
        for r in 0..revs {
            id += 1;
            let text = format!(
                "Revision {r} of page {p}. [[Imported {}]] {}",
                (p + 1) % pages,
                "x".repeat(200)
            );
            x.push_str(&format!(
                "<revision><id>{id}</id><timestamp>2026-01-01T00:{:02}:{:02}Z</timestamp>\
                 <contributor><username>Importer</username><id>1</id></contributor>\
                 <comment>import {r}</comment><model>wikitext</model><format>text/x-wiki</format>\
                 <text xml:space=\"preserve\" bytes=\"{}\">{text}</text><sha1/></revision>\n",
                r / 60,
                r % 60,
                text.len()
            ));
        }
        x.push_str("</page>\n");
    }
    x.push_str("</mediawiki>\n");
    x
}

#[test]
fn crash_during_import_leaves_whole_revisions_and_a_rerun_completes() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let xml = dir.path().join("dump.xml");
    std::fs::write(&xml, export_xml(1500, 12)).unwrap();
    let wikid = env!("CARGO_BIN_EXE_wikid");
    let mut child = std::process::Command::new(wikid)
        .args(["--sitename", "Refwiki", "--data-dir"])
        .arg(&data)
        .arg("import")
        .arg(&xml)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // Kill it once some revisions are committed, before it can finish.
    let db = data.join("wikid.sqlite");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    loop {
        let n: i64 = rusqlite::Connection::open(&db)
            .and_then(|c| c.query_row("SELECT COUNT(*) FROM revision", [], |r| r.get(0)))
            .unwrap_or(0);
        if n > 0 || std::time::Instant::now() > deadline {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    child.kill().unwrap(); // SIGKILL mid-import
    child.wait().unwrap();
    let c = rusqlite::Connection::open(&db).unwrap();
    let count = |sql: &str| -> i64 { c.query_row(sql, [], |r| r.get(0)).unwrap() };
    let revs_after_kill = count("SELECT COUNT(*) FROM revision");
    assert!(
        revs_after_kill > 0 && revs_after_kill < 1500 * 12,
        "killed mid-import ({revs_after_kill} revisions in)"
    );
    assert_eq!(
        count(
            "SELECT COUNT(*) FROM page WHERE NOT EXISTS (SELECT 1 FROM revision JOIN content \
             ON content_id = rev_content_id WHERE rev_id = page_latest AND rev_page = page_id)"
        ),
        0,
        "a page points at a missing revision or text"
    );
    assert_eq!(
        count(
            "SELECT COUNT(*) FROM revision WHERE NOT EXISTS (SELECT 1 FROM page WHERE page_id = rev_page) \
             OR NOT EXISTS (SELECT 1 FROM content WHERE content_id = rev_content_id)"
        ),
        0,
        "orphan revisions or revisions without text"
    );
    drop(c);
    // Running the import again completes it: every page with all its revisions.
    let status = std::process::Command::new(wikid)
        .args(["--sitename", "Refwiki", "--data-dir"])
        .arg(&data)
        .arg("import")
        .arg(&xml)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .unwrap();
    assert!(status.success());
    let c = rusqlite::Connection::open(&db).unwrap();
    let count = |sql: &str| -> i64 { c.query_row(sql, [], |r| r.get(0)).unwrap() };
    assert_eq!(
        count("SELECT COUNT(*) FROM page WHERE page_title LIKE 'Imported_%'"),
        1500
    );
    assert_eq!(
        count("SELECT COUNT(*) FROM revision JOIN page ON page_id = rev_page WHERE page_title LIKE 'Imported_%'"),
        1500 * 12
    );
    assert_eq!(
        count(
            "SELECT COUNT(*) FROM page p WHERE page_title LIKE 'Imported_%' AND page_latest <> \
               (SELECT MAX(rev_id) FROM revision WHERE rev_page = p.page_id)"
        ),
        0,
        "the latest revision of each page is its newest"
    );
    // Link updates are queued in batches of 100 pages, and every imported page is
    // in one: the first run's committed pages and the rerun's.
    let mut stmt = c
        .prepare("SELECT job_params FROM job WHERE job_cmd = 'refreshLinks'")
        .unwrap();
    let batches: Vec<Vec<i64>> = stmt
        .query_map([], |r| r.get::<_, String>(0))
        .unwrap()
        .map(|p| {
            let v: serde_json::Value = serde_json::from_str(&p.unwrap()).unwrap();
            v["pages"]
                .as_array()
                .expect("a batch of pages")
                .iter()
                .map(|i| i.as_i64().unwrap())
                .collect()
        })
        .collect();
    drop(stmt);
    assert!(batches.iter().all(|b| !b.is_empty() && b.len() <= 100));
    let rerun_jobs = 1500usize.div_ceil(100);
    assert!(
        batches.len() >= rerun_jobs && batches.len() <= 2 * rerun_jobs + 2,
        "{} jobs",
        batches.len()
    );
    let mut covered: Vec<i64> = batches.concat();
    covered.sort();
    covered.dedup();
    let imported = count("SELECT COUNT(*) FROM page WHERE page_title LIKE 'Imported_%'");
    assert_eq!(covered.len() as i64, imported);
    drop(c);
    // Running them fills the link tables: each page links to the next one.
    let status = std::process::Command::new(wikid)
        .args(["--sitename", "Refwiki", "--data-dir"])
        .arg(&data)
        .arg("run-jobs")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .unwrap();
    assert!(status.success());
    let c = rusqlite::Connection::open(&db).unwrap();
    let count = |sql: &str| -> i64 { c.query_row(sql, [], |r| r.get(0)).unwrap() };
    assert_eq!(count("SELECT COUNT(*) FROM job"), 0);
    assert_eq!(
        count(
            "SELECT COUNT(*) FROM pagelinks JOIN page ON page_id = pl_from \
             WHERE page_title LIKE 'Imported_%' AND pl_title LIKE 'Imported_%'"
        ),
        1500
    );
}

/// An edit based on an older revision is merged with the changes made since when
/// they do not overlap (MediaWiki's EditPage with diff3); overlapping changes are
/// an `editconflict` that writes nothing. The same sequence on MediaWiki 1.39 with
/// diff3 (and, with `merge_edit_conflicts = false`, on the reference wiki, whose
/// `$wgDiff3` is empty) gives the same answers.
#[test]
fn edit_conflicts_merge_when_changes_do_not_overlap() {
    let w = TestWiki::start();
    let admin = w.admin_session();
    let alice = w.user_session("Alice");
    let base = "line one\nline two\nline three\nline four\nline five";
    let save = |s: &crate::support::Session, extra: &[(&str, &str)]| {
        let mut p = vec![
            ("action", "edit"),
            ("title", "Merged"),
            ("formatversion", "2"),
        ];
        p.extend_from_slice(extra);
        s.post(&p)
    };
    let v = save(&admin, &[("text", base)]);
    let base_id = v["edit"]["newrevid"].as_i64().unwrap().to_string();
    let base_ts = v["edit"]["newtimestamp"].as_str().unwrap().to_string();
    std::thread::sleep(std::time::Duration::from_millis(1100));
    let v = save(&alice, &[("text", &base.replace("line one", "line ONE"))]);
    assert_eq!(v["edit"]["result"], "Success", "{v}");
    // Changes elsewhere: merged, by base timestamp and by base revision.
    let v = save(
        &admin,
        &[
            ("text", &base.replace("line five", "line FIVE")),
            ("basetimestamp", &base_ts),
        ],
    );
    assert_eq!(v["edit"]["result"], "Success", "{v}");
    assert_eq!(
        text_of(&w, "Merged"),
        "line ONE\nline two\nline three\nline four\nline FIVE"
    );
    let v = save(
        &admin,
        &[
            ("text", &base.replace("line three", "line THREE")),
            ("baserevid", &base_id),
        ],
    );
    assert_eq!(v["edit"]["result"], "Success", "{v}");
    let merged = "line ONE\nline two\nline THREE\nline four\nline FIVE";
    assert_eq!(text_of(&w, "Merged"), merged);
    // The same line, or the line next to a changed one: a conflict, nothing saved.
    let before = counts(&w);
    for text in [
        base.replace("line one", "line 1"),
        base.replace("line two", "line 2"),
    ] {
        let v = save(&admin, &[("text", &text), ("basetimestamp", &base_ts)]);
        assert_eq!(code(&v), "editconflict", "{v}");
        assert_eq!(v["error"]["info"], "Edit conflict.");
    }
    assert_eq!(counts(&w), before);
    assert_eq!(text_of(&w, "Merged"), merged);
    // A base timestamp no revision has cannot be merged.
    let v = save(
        &admin,
        &[
            ("text", &format!("{merged}\nmore")),
            ("basetimestamp", "2001-01-01T00:00:00Z"),
        ],
    );
    assert_eq!(code(&v), "editconflict", "{v}");

    // Section edits are put into the base revision's text, then merged.
    let sections = "intro\n== A ==\na text\n== B ==\nb text";
    let save2 = |s: &crate::support::Session, extra: &[(&str, &str)]| {
        let mut p = vec![
            ("action", "edit"),
            ("title", "Sections"),
            ("formatversion", "2"),
        ];
        p.extend_from_slice(extra);
        s.post(&p)
    };
    let v = save2(&admin, &[("text", sections)]);
    let base_id = v["edit"]["newrevid"].as_i64().unwrap().to_string();
    let v = save2(
        &alice,
        &[("section", "1"), ("text", "== A ==\na text by Alice")],
    );
    assert_eq!(v["edit"]["result"], "Success", "{v}");
    let v = save2(
        &admin,
        &[
            ("section", "2"),
            ("text", "== B ==\nb text by Admin"),
            ("baserevid", &base_id),
        ],
    );
    assert_eq!(v["edit"]["result"], "Success", "{v}");
    assert_eq!(
        text_of(&w, "Sections"),
        "intro\n== A ==\na text by Alice\n\n== B ==\nb text by Admin"
    );
    let v = save2(
        &admin,
        &[
            ("section", "1"),
            ("text", "== A ==\na text by Admin"),
            ("baserevid", &base_id),
        ],
    );
    assert_eq!(code(&v), "editconflict", "{v}");

    // Without merging (MediaWiki with an empty $wgDiff3): always a conflict.
    let w = TestWiki::start_with(|c| c.merge_edit_conflicts = false);
    let admin = w.admin_session();
    let alice = w.user_session("Alice");
    let v = save(&admin, &[("text", base)]);
    let base_id = v["edit"]["newrevid"].as_i64().unwrap().to_string();
    save(&alice, &[("text", &base.replace("line one", "line ONE"))]);
    let v = save(
        &admin,
        &[
            ("text", &base.replace("line five", "line FIVE")),
            ("baserevid", &base_id),
        ],
    );
    assert_eq!(code(&v), "editconflict", "{v}");
}
