//! Accounts, sessions, bot passwords, tokens and rights over real HTTP: the seed's
//! four-step flow, and every refusal.

use serde_json::{json, Value};

use crate::support::{Client, TestWiki};

/// A bot password as Special:BotPasswords makes them: 32 characters of [0-9a-v].
const BOT_PASS: &str = "0123456789abcdefghijklmnopqrstuv";
const BASIC_PASS: &str = "vutsrqponmlkjihgfedcba9876543210";
const ALICE_PASS: &str = "Alice-Password-1";

/// A wiki with the reference wiki's accounts: Admin (bot, bureaucrat, sysop), Alice,
/// `Admin@ci` (basic, highvolume, delete) and `Admin@basic` (basic only).
fn wiki() -> TestWiki {
    let w = TestWiki::start();
    let app = w.admin();
    let groups = wikid::admin::parse_groups(&app, "sysop,bureaucrat,bot").unwrap();
    wikid::admin::set_groups(&app, "Admin", &groups).unwrap();
    wikid::admin::create_user(&app, "Alice", ALICE_PASS, &[]).unwrap();
    wikid::admin::create_bot_password(
        &app,
        "Admin",
        "ci",
        "basic,highvolume,delete",
        Some(BOT_PASS.into()),
    )
    .unwrap();
    wikid::admin::create_bot_password(&app, "Admin", "basic", "basic", Some(BASIC_PASS.into()))
        .unwrap();
    w
}

fn login_token(c: &Client) -> String {
    let a = c.get(&[
        ("action", "query"),
        ("meta", "tokens"),
        ("type", "login"),
        ("format", "json"),
    ]);
    a.json()["query"]["tokens"]["logintoken"]
        .as_str()
        .expect("login token")
        .to_string()
}

fn login(c: &Client, name: &str, pass: &str) -> Value {
    let token = login_token(c);
    c.post(&[
        ("action", "login"),
        ("lgname", name),
        ("lgpassword", pass),
        ("lgtoken", &token),
        ("format", "json"),
    ])
    .json()
}

fn token(c: &Client, kind: &str) -> String {
    let a = c.get(&[
        ("action", "query"),
        ("meta", "tokens"),
        ("type", kind),
        ("format", "json"),
    ]);
    a.json()["query"]["tokens"][format!("{kind}token")]
        .as_str()
        .expect("token")
        .to_string()
}

fn userinfo(c: &Client, props: &str) -> Value {
    c.get(&[
        ("action", "query"),
        ("meta", "userinfo"),
        ("uiprop", props),
        ("format", "json"),
        ("formatversion", "2"),
    ])
    .json()["query"]["userinfo"]
        .clone()
}

fn rights(c: &Client) -> Vec<String> {
    serde_json::from_value(userinfo(c, "rights")["rights"].clone()).unwrap()
}

/// Step 4 of the seed: a POST that needs the CSRF token. Until `action=delete`
/// exists this is `action=logout`; switch to
/// `[("action","delete"),("title","Sandbox"),("token",t),("format","json")]` then.
fn protected_post(c: &Client, csrf: &str) -> Value {
    c.post(&[("action", "logout"), ("token", csrf), ("format", "json")])
        .json()
}

#[test]
fn seed_four_step_flow_with_a_bot_password() {
    let w = wiki();
    let s = w.session();
    // 1. login token (the session cookie is set here)
    let lt = login_token(&s);
    assert!(lt.ends_with("+\\") && lt.len() == 42, "{lt}");
    assert!(s.cookie("refwiki_session").is_some());
    // 2. login with the bot password
    let r = s
        .post(&[
            ("action", "login"),
            ("lgname", "Admin@ci"),
            ("lgpassword", BOT_PASS),
            ("lgtoken", &lt),
            ("format", "json"),
        ])
        .json();
    assert_eq!(
        r,
        json!({"login": {"result": "Success", "lguserid": 1, "lgusername": "Admin"}})
    );
    let bp = s
        .cookie("refwiki_BPsession")
        .expect("bot-password session cookie");
    assert_eq!(bp.len(), 32);
    assert!(bp.chars().all(|c| matches!(c, '0'..='9' | 'a'..='v')));
    // 3. CSRF token
    let csrf = token(&s, "csrf");
    assert_eq!(csrf.len(), 42);
    assert_ne!(csrf, "+\\");
    // 4. the POST
    assert_eq!(protected_post(&s, &csrf), json!({}));
    assert!(s.cookie("refwiki_BPsession").is_none());
    assert_eq!(userinfo(&s, "")["id"], 0);
}

#[test]
fn token_refusals() {
    let w = wiki();
    let s = w.session();
    login(&s, "Admin@ci", BOT_PASS);
    let csrf = token(&s, "csrf");
    // Wrong token.
    let a = s.post(&[
        ("action", "logout"),
        ("token", "bad+\\"),
        ("format", "json"),
    ]);
    assert_eq!(a.header("mediawiki-api-error"), Some("badtoken"));
    assert_eq!(a.json()["error"]["info"], "Invalid CSRF token.");
    // An unencoded `+` became a space.
    let a = s.post(&[
        ("action", "logout"),
        ("token", &csrf.replace('+', " ")),
        ("format", "json"),
    ]);
    assert_eq!(a.json()["error"]["code"], "badtoken");
    // Upper-case hex is not accepted.
    let a = s.post(&[
        ("action", "logout"),
        ("token", &csrf.to_uppercase()),
        ("format", "json"),
    ]);
    assert_eq!(a.json()["error"]["code"], "badtoken");
    // No token.
    let a = s.post(&[("action", "logout"), ("format", "json")]);
    assert_eq!(a.json()["error"]["code"], "missingparam");
    assert_eq!(
        a.json()["error"]["info"],
        "The \"token\" parameter must be set."
    );
    // Token in the query string, even with a good one.
    let a = s.post_split(
        &[("token", &csrf)],
        &[("action", "logout"), ("format", "json")],
    );
    assert_eq!(a.json()["error"]["code"], "mustpostparams");
    assert_eq!(
        a.json()["error"]["info"],
        "The following parameter was found in the query string, but must be in the POST body: token."
    );
    // A forged token: right shape, wrong HMAC.
    let forged = format!("{}{}", "0123456789abcdef0123456789abcdef", &csrf[32..]);
    let a = s.post(&[("action", "logout"), ("token", &forged), ("format", "json")]);
    assert_eq!(a.json()["error"]["code"], "badtoken");
    // A csrf token of another session of the same user.
    let other = w.session();
    login(&other, "Admin@ci", BOT_PASS);
    let other_csrf = token(&other, "csrf");
    let a = s.post(&[
        ("action", "logout"),
        ("token", &other_csrf),
        ("format", "json"),
    ]);
    assert_eq!(a.json()["error"]["code"], "badtoken");
    // A token of another type (watch) is not a csrf token.
    let watch = token(&s, "watch");
    let a = s.post(&[("action", "logout"), ("token", &watch), ("format", "json")]);
    assert_eq!(a.json()["error"]["code"], "badtoken");
    // Tokens stay valid for the session; the right one still works.
    assert_eq!(protected_post(&s, &csrf), json!({}));
    // The anonymous token is not valid for a logged-in user.
    let a = other.post(&[("action", "logout"), ("token", "+\\"), ("format", "json")]);
    assert_eq!(a.json()["error"]["code"], "badtoken");
}

#[test]
fn logged_out_session_cannot_be_reused() {
    let w = wiki();
    let s = w.session();
    login(&s, "Admin@ci", BOT_PASS);
    let bp = s.cookie("refwiki_BPsession").unwrap();
    let csrf = token(&s, "csrf");
    assert_eq!(protected_post(&s, &csrf), json!({}));
    // Replay the old cookie: the session is gone, the request is anonymous and the
    // stale cookie is cleared.
    s.set_cookie("refwiki_BPsession", Some(&bp));
    let info = userinfo(&s, "");
    assert_eq!(info["id"], 0);
    assert_eq!(info["anon"], true);
    assert!(s.cookie("refwiki_BPsession").is_none());
    s.set_cookie("refwiki_BPsession", Some(&bp));
    let a = s.post(&[("action", "logout"), ("token", &csrf), ("format", "json")]);
    assert_eq!(a.json()["error"]["code"], "badtoken");
    let a = s.get(&[("action", "query"), ("assert", "user"), ("format", "json")]);
    assert_eq!(a.json()["error"]["code"], "assertuserfailed");
    // Same for a main-account session.
    let m = w.session();
    let r = login(&m, "Alice", ALICE_PASS);
    assert_eq!(r["login"]["result"], "Success");
    let sid = m.cookie("refwiki_session").unwrap();
    let csrf = token(&m, "csrf");
    assert_eq!(protected_post(&m, &csrf), json!({}));
    assert!(m.cookie("refwikiUserID").is_none());
    assert!(m.cookie("refwikiToken").is_none());
    m.set_cookie("refwiki_session", Some(&sid));
    assert_eq!(userinfo(&m, "")["id"], 0);
}

#[test]
fn login_answers() {
    let w = wiki();
    let s = w.session();
    let lt = login_token(&s);
    let post = |name: &str, pass: &str, tok: Option<&str>| {
        let mut p = vec![
            ("action", "login"),
            ("lgname", name),
            ("lgpassword", pass),
            ("format", "json"),
        ];
        if let Some(t) = tok {
            p.push(("lgtoken", t));
        }
        s.post(&p).json()
    };
    let wrong = json!({"login": {"result": "Failed", "reason": "Incorrect username or password entered. Please try again."}});
    assert_eq!(post("Admin@ci", "wrong-password-123", Some(&lt)), wrong);
    assert_eq!(post("NoSuchUser@ci", BOT_PASS, Some(&lt)), wrong);
    assert_eq!(post("Admin@nosuchapp", BOT_PASS, Some(&lt)), wrong);
    assert_eq!(post("Admin@ci", BASIC_PASS, Some(&lt)), wrong);
    assert_eq!(post("Alice", "wrong", Some(&lt)), wrong);
    assert_eq!(
        post("Bad<name>", "x", Some(&lt)),
        json!({"login": {"result": "Failed", "reason": "The supplied credentials could not be authenticated."}})
    );
    assert_eq!(
        post(
            "Admin@ci",
            BOT_PASS,
            Some("0123456789abcdef0123456789abcdef+\\")
        ),
        json!({"login": {"result": "WrongToken"}})
    );
    let need = post("Admin@ci", BOT_PASS, None);
    assert_eq!(need["login"]["result"], "NeedToken");
    assert!(need["login"]["token"].as_str().unwrap().ends_with("+\\"));
    assert_eq!(
        need["warnings"]["login"]["*"],
        "Fetching a token via \"action=login\" is deprecated. Use \"action=query&meta=tokens&type=login\" instead."
    );
    // Non-BC error formats give the reason as an object.
    let a = s
        .post(&[
            ("action", "login"),
            ("lgname", "Alice"),
            ("lgpassword", "wrong"),
            ("lgtoken", &lt),
            ("format", "json"),
            ("formatversion", "2"),
            ("errorformat", "plaintext"),
        ])
        .json();
    assert_eq!(
        a["login"]["reason"],
        json!({"code": "wrongpassword", "text": "Incorrect username or password entered. Please try again."})
    );
    // A login token without the session cookie.
    let fresh = w.session();
    let a = fresh
        .post(&[
            ("action", "login"),
            ("lgname", "Admin@ci"),
            ("lgpassword", BOT_PASS),
            ("lgtoken", &lt),
            ("format", "json"),
        ])
        .json();
    assert_eq!(
        a,
        json!({"login": {"result": "Failed", "reason": "Unable to continue login. Your session most likely timed out."}})
    );
    // Password and token in the query string.
    let a = s.post_split(
        &[("lgpassword", BOT_PASS), ("lgtoken", &lt)],
        &[
            ("action", "login"),
            ("lgname", "Admin@ci"),
            ("format", "json"),
        ],
    );
    assert_eq!(
        a.json()["error"]["info"],
        "The following parameters were found in the query string, but must be in the POST body: lgpassword, lgtoken."
    );
    // Same-origin policy lacking.
    let a = s.post(&[
        ("action", "login"),
        ("lgname", "Admin@ci"),
        ("lgpassword", BOT_PASS),
        ("lgtoken", &lt),
        ("origin", "*"),
        ("format", "json"),
    ]);
    assert_eq!(
        a.json()["login"],
        json!({"result": "Aborted", "reason": "Cannot log in when the same-origin policy is not applied."})
    );
    // The alternative form and main-account login.
    let alt = w.session();
    let r = login(&alt, "Admin", &format!("ci@{BOT_PASS}"));
    assert_eq!(r["login"]["result"], "Success");
    let r = login(&alt, "Admin@ci", BOT_PASS);
    assert_eq!(
        r["login"]["reason"],
        "Cannot log in when using MediaWiki\\Session\\BotPasswordSessionProvider sessions."
    );
    let main = w.session();
    let r = login(&main, "Alice", ALICE_PASS);
    assert_eq!(r["login"]["lgusername"], "Alice");
    assert!(r["warnings"]["login"]["*"]
        .as_str()
        .unwrap()
        .starts_with("Main-account login via \"action=login\" is deprecated"));
    assert_eq!(main.cookie("refwikiUserName").as_deref(), Some("Alice"));
    assert_eq!(main.cookie("refwikiToken").map(|t| t.len()), Some(32));
    // "Remember me": UserID + Token alone start a new session.
    main.set_cookie("refwiki_session", None);
    assert_eq!(userinfo(&main, "")["name"], "Alice");
    assert!(main.cookie("refwiki_session").is_some());
    // A wrong Token cookie does not.
    main.set_cookie("refwiki_session", None);
    main.set_cookie("refwikiToken", Some("0123456789abcdef0123456789abcdef"));
    assert_eq!(userinfo(&main, "")["id"], 0);
}

#[test]
fn login_throttle() {
    let w = wiki();
    let s = w.session();
    let lt = login_token(&s);
    for _ in 0..5 {
        let a = s
            .post(&[
                ("action", "login"),
                ("lgname", "Alice"),
                ("lgpassword", "wrong"),
                ("lgtoken", &lt),
                ("format", "json"),
            ])
            .json();
        assert_eq!(a["login"]["result"], "Failed");
    }
    // The sixth attempt is refused even with the right password.
    let a = s
        .post(&[
            ("action", "login"),
            ("lgname", "Alice"),
            ("lgpassword", ALICE_PASS),
            ("lgtoken", &lt),
            ("format", "json"),
        ])
        .json();
    assert_eq!(
        a["login"]["reason"],
        "You have made too many recent login attempts. Please wait 5 minutes before trying again."
    );
}

#[test]
fn grants_restrict_bot_password_sessions() {
    let w = wiki();
    let ci = w.session();
    login(&ci, "Admin@ci", BOT_PASS);
    let r = rights(&ci);
    assert!(r.contains(&"delete".to_string()));
    assert!(r.contains(&"noratelimit".to_string()));
    for missing in ["userrights", "block", "import", "createaccount"] {
        assert!(!r.contains(&missing.to_string()), "{missing} granted");
    }
    let basic = w.session();
    login(&basic, "Admin@basic", BASIC_PASS);
    let r = rights(&basic);
    for missing in ["delete", "undelete", "edit", "bot", "noratelimit"] {
        assert!(!r.contains(&missing.to_string()), "{missing} granted");
    }
    assert!(r.contains(&"read".to_string()));
    let a = basic.get(&[
        ("action", "query"),
        ("meta", "userinfo"),
        ("assert", "bot"),
        ("format", "json"),
    ]);
    assert_eq!(a.json()["error"]["code"], "assertbotfailed");
    // The main account has everything.
    let main = w.session();
    login(&main, "Admin", &w.admin_password);
    let r = rights(&main);
    assert!(r.contains(&"userrights".to_string()));
    assert!(r.contains(&"block".to_string()));
    // Anonymous.
    let anon = w.session();
    assert_eq!(
        userinfo(&anon, "groups|rights"),
        json!({"id": 0, "name": "127.0.0.1", "anon": true, "groups": ["*"],
            "rights": ["createaccount", "read", "edit", "createpage", "createtalk", "writeapi",
                "viewmywatchlist", "editmywatchlist", "viewmyprivateinfo", "editmyprivateinfo",
                "editmyoptions"]})
    );
}

#[test]
fn userrights_needs_the_right() {
    let w = wiki();
    let groups_of = |c: &Client, name: &str| -> Value {
        c.get(&[
            ("action", "query"),
            ("list", "users"),
            ("ususers", name),
            ("usprop", "groups"),
            ("format", "json"),
            ("formatversion", "2"),
        ])
        .json()["query"]["users"][0]["groups"]
            .clone()
    };
    // Anonymous: nothing changes.
    let anon = w.session();
    let a = anon
        .post(&[
            ("action", "userrights"),
            ("user", "Alice"),
            ("add", "sysop"),
            ("token", "+\\"),
            ("format", "json"),
        ])
        .json();
    assert_eq!(
        a,
        json!({"userrights": {"user": "Alice", "userid": 2, "added": [], "removed": []}})
    );
    // A bot password without the userrights right: nothing changes either.
    let bot = w.session();
    login(&bot, "Admin@ci", BOT_PASS);
    let t = token(&bot, "userrights");
    let a = bot
        .post(&[
            ("action", "userrights"),
            ("user", "Alice"),
            ("add", "sysop"),
            ("token", &t),
            ("format", "json"),
        ])
        .json();
    assert_eq!(a["userrights"]["added"], json!([]));
    assert_eq!(
        groups_of(&anon, "Alice"),
        json!(["*", "user", "autoconfirmed"])
    );
    // A csrf token is not a userrights token.
    let csrf = token(&bot, "csrf");
    let a = bot.post(&[
        ("action", "userrights"),
        ("user", "Alice"),
        ("add", "sysop"),
        ("token", &csrf),
        ("format", "json"),
    ]);
    assert_eq!(a.json()["error"]["code"], "badtoken");
    // A bureaucrat (main account) makes Alice a sysop, then takes it back.
    let main = w.session();
    login(&main, "Admin", &w.admin_password);
    let t = token(&main, "userrights");
    let a = main
        .post(&[
            ("action", "userrights"),
            ("user", "alice"),
            ("add", "sysop|bot"),
            ("reason", "test"),
            ("token", &t),
            ("format", "json"),
        ])
        .json();
    assert_eq!(
        a,
        json!({"userrights": {"user": "Alice", "userid": 2, "added": ["sysop", "bot"], "removed": []}})
    );
    assert_eq!(
        groups_of(&anon, "Alice"),
        json!(["bot", "sysop", "*", "user", "autoconfirmed"])
    );
    let a = main
        .post(&[
            ("action", "userrights"),
            ("user", "Alice"),
            ("remove", "sysop|bureaucrat"),
            ("token", &t),
            ("format", "json"),
        ])
        .json();
    assert_eq!(a["userrights"]["removed"], json!(["sysop"]));
    let a = main
        .post(&[
            ("action", "userrights"),
            ("user", "NoSuch"),
            ("add", "sysop"),
            ("token", &t),
            ("format", "json"),
        ])
        .json();
    assert_eq!(
        a["error"]["info"],
        "There is no user by the name \"NoSuch\". Check your spelling."
    );
    let a = main
        .post(&[("action", "userrights"), ("token", &t), ("format", "json")])
        .json();
    assert_eq!(
        a["error"]["info"],
        "One of the parameters \"user\" and \"userid\" is required."
    );
}

#[test]
fn tokens_module() {
    let w = wiki();
    let anon = w.session();
    let a = anon.get_raw("action=query&meta=tokens&format=json");
    assert_eq!(
        a.text(),
        r#"{"batchcomplete":"","query":{"tokens":{"csrftoken":"+\\"}}}"#
    );
    assert!(a.header("set-cookie").is_none());
    let a = anon.get_raw("action=query&meta=tokens&type=foo&format=json");
    assert_eq!(
        a.json(),
        json!({"batchcomplete": "", "warnings": {"tokens": {"*": "Unrecognized value for parameter \"type\": foo"}}, "query": {"tokens": {}}})
    );
    let a = anon.get_raw("action=query&meta=tokens&type=*&origin=*&format=json");
    assert_eq!(
        a.json(),
        json!({"batchcomplete": "", "warnings": {"tokens": {"*": "Tokens may not be obtained when the same-origin policy is not applied."}}})
    );
    let bot = w.session();
    login(&bot, "Admin@ci", BOT_PASS);
    let a = bot.get_raw("action=query&meta=tokens&type=watch|csrf|login&format=json");
    let keys: Vec<String> = a.json()["query"]["tokens"]
        .as_object()
        .unwrap()
        .keys()
        .cloned()
        .collect();
    assert_eq!(keys, ["watchtoken", "csrftoken", "logintoken"]);
    let a = bot.get_raw("action=query&meta=tokens&type=*&format=json");
    let keys: Vec<String> = a.json()["query"]["tokens"]
        .as_object()
        .unwrap()
        .keys()
        .cloned()
        .collect();
    assert_eq!(
        keys,
        [
            "createaccounttoken",
            "csrftoken",
            "logintoken",
            "patroltoken",
            "rollbacktoken",
            "userrightstoken",
            "watchtoken"
        ]
    );
}

#[test]
fn clientlogin_and_createaccount() {
    let w = wiki();
    let s = w.session();
    let lt = login_token(&s);
    let a = s
        .post(&[
            ("action", "clientlogin"),
            ("username", "Alice"),
            ("password", "wrong"),
            ("loginreturnurl", "http://example.org/"),
            ("logintoken", &lt),
            ("format", "json"),
        ])
        .json();
    assert_eq!(
        a,
        json!({"clientlogin": {"status": "FAIL", "message": "Incorrect username or password entered.\nPlease try again.", "messagecode": "wrongpassword"}})
    );
    let a = s
        .post(&[
            ("action", "clientlogin"),
            ("username", "Alice"),
            ("password", ALICE_PASS),
            ("logintoken", "0123456789abcdef0123456789abcdef+\\"),
            ("loginreturnurl", "http://example.org/"),
            ("format", "json"),
        ])
        .json();
    assert_eq!(a["error"]["code"], "badtoken");
    let a = s
        .post(&[
            ("action", "clientlogin"),
            ("username", "Alice"),
            ("password", ALICE_PASS),
            ("logintoken", &lt),
            ("format", "json"),
        ])
        .json();
    assert_eq!(a["error"]["code"], "missingparam");
    let a = s
        .post(&[
            ("action", "clientlogin"),
            ("username", "Alice"),
            ("password", ALICE_PASS),
            ("loginreturnurl", "http://example.org/"),
            ("logintoken", &lt),
            ("format", "json"),
        ])
        .json();
    assert_eq!(
        a,
        json!({"clientlogin": {"status": "PASS", "username": "Alice"}})
    );
    assert!(s.cookie("refwikiToken").is_none());
    assert_eq!(userinfo(&s, "")["name"], "Alice");
    // Account creation, anonymous, does not log in.
    let anon = w.session();
    let ct = token(&anon, "createaccount");
    let create = |name: &str, pass: &str, retype: &str| {
        anon.post(&[
            ("action", "createaccount"),
            ("username", name),
            ("password", pass),
            ("retype", retype),
            ("createreturnurl", "http://example.org/"),
            ("createtoken", &ct),
            ("format", "json"),
        ])
        .json()
    };
    assert_eq!(
        create("Bob", "Bob-Password-1", "Bob-Password-1"),
        json!({"createaccount": {"status": "PASS", "username": "Bob"}})
    );
    assert_eq!(userinfo(&anon, "")["id"], 0);
    assert_eq!(
        create("Bob", "x", "x")["createaccount"]["messagecode"],
        "userexists"
    );
    assert_eq!(
        create("Carol", "x", "y")["createaccount"]["messagecode"],
        "badretype"
    );
    assert_eq!(
        create("Bad<x>", "x", "x")["createaccount"]["messagecode"],
        "invaliduser"
    );
    let b = w.session();
    assert_eq!(
        login(&b, "Bob", "Bob-Password-1")["login"]["result"],
        "Success"
    );
}

#[test]
fn list_users() {
    let w = wiki();
    let c = w.client();
    let a = c
        .get(&[
            ("action", "query"),
            ("list", "users"),
            ("ususers", "Admin|Nosuchx|Bad<x>|127.0.0.1"),
            (
                "usprop",
                "groups|implicitgroups|editcount|cancreate|groupmemberships",
            ),
            ("format", "json"),
        ])
        .json();
    let users = &a["query"]["users"];
    assert_eq!(users[0], json!({"name": "Bad<x>", "invalid": ""}));
    assert_eq!(users[1], json!({"name": "127.0.0.1", "invalid": ""}));
    assert_eq!(users[2]["name"], "Admin");
    assert_eq!(
        users[2]["groups"],
        json!(["bot", "bureaucrat", "sysop", "*", "user", "autoconfirmed"])
    );
    assert_eq!(
        users[2]["groupmemberships"][0],
        json!({"group": "bot", "expiry": "infinity"})
    );
    assert_eq!(
        users[3],
        json!({"name": "Nosuchx", "missing": "", "cancreate": ""})
    );
    let a = c
        .get(&[
            ("action", "query"),
            ("list", "users"),
            ("ususerids", "1|99"),
            ("format", "json"),
        ])
        .json();
    assert_eq!(
        a["query"]["users"],
        json!([{"userid": 1, "name": "Admin"}, {"userid": 99, "missing": ""}])
    );
}

#[test]
fn rate_limits_count_per_user_and_spare_noratelimit() {
    let w = wiki();
    let app = w.admin();
    let mut r = app.store.read().unwrap();
    let alice = r.user_by_name("Alice").unwrap().unwrap();
    let admin = r.user_by_name("Admin").unwrap().unwrap();
    drop(r);
    let alice = wikid::auth::User::from_row(&alice, &app.perms, None);
    let admin = wikid::auth::User::from_row(&admin, &app.perms, None);
    let hit = |u: &wikid::auth::User, n: i64| {
        let mut wtx = app.store.write().unwrap();
        let l = wikid::auth::ratelimit::limit(wtx.as_mut(), u, "127.0.0.1", "purge", n).unwrap();
        wtx.commit().unwrap();
        l
    };
    for _ in 0..15 {
        assert!(!hit(&alice, 2));
    }
    assert!(hit(&alice, 2), "31st and 32nd purge must be limited");
    assert!(hit(&alice, 1));
    for _ in 0..40 {
        assert!(!hit(&admin, 1));
    }
    let anon = wikid::auth::User::anonymous("10.0.0.1", &app.perms);
    for _ in 0..30 {
        assert!(!hit(&anon, 1));
    }
    assert!(hit(&anon, 1));
    // Alice's limits as userinfo shows them.
    let s = w.session();
    login(&s, "Alice", ALICE_PASS);
    let info = userinfo(&s, "ratelimits");
    assert_eq!(
        info["ratelimits"]["purge"],
        json!({"user": {"hits": 30, "seconds": 60}})
    );
    let b = w.session();
    login(&b, "Admin@ci", BOT_PASS);
    assert_eq!(userinfo(&b, "ratelimits")["ratelimits"], json!({}));
}

#[test]
fn permission_denied_message() {
    let w = wiki();
    let app = w.admin();
    let err = wikid::auth::permission_denied(&app, "delete");
    match err {
        wikid::api::error::ApiError::Usage { errors, .. } => {
            assert_eq!(errors[0].code, "permissiondenied");
            assert_eq!(
                errors[0].msg.plaintext(),
                "The action you have requested is limited to users in the group: [[Refwiki:Administrators|Administrators]]."
            );
        }
        _ => panic!("not a usage error"),
    }
    let err = wikid::auth::permission_denied(&app, "editinterface");
    if let wikid::api::error::ApiError::Usage { errors, .. } = err {
        assert_eq!(
            errors[0].msg.plaintext(),
            "The action you have requested is limited to users in one of the groups: [[Refwiki:Administrators|Administrators]], [[Refwiki:Interface administrators|Interface administrators]]."
        );
    }
}

/// Runs the real binary with debug logging through a login flow and greps its log
/// for the passwords and tokens.
#[test]
fn passwords_and_tokens_never_logged() {
    use std::io::Read;
    let dir = tempfile::tempdir().unwrap();
    let bin = env!("CARGO_BIN_EXE_wikid");
    let data = dir.path().join("data");
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let admin_pass = "Secret-Admin-Pass-93817";
    let log = std::fs::File::create(dir.path().join("log")).unwrap();
    let mut child = std::process::Command::new(bin)
        .args([
            "--data-dir",
            data.to_str().unwrap(),
            "--sitename",
            "Refwiki",
            "serve",
        ])
        .args([
            "--listen",
            &format!("127.0.0.1:{port}"),
            "--admin-password",
            admin_pass,
        ])
        .env("WIKID_LOG", "trace")
        .stdout(log.try_clone().unwrap())
        .stderr(log)
        .spawn()
        .unwrap();
    let api = format!("http://127.0.0.1:{port}/w/api.php");
    let agent = ureq::AgentBuilder::new().build();
    for _ in 0..100 {
        if agent
            .get(&format!("{api}?action=query&format=json"))
            .call()
            .is_ok()
        {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let out = std::process::Command::new(bin)
        .args([
            "--data-dir",
            data.to_str().unwrap(),
            "--sitename",
            "Refwiki",
        ])
        .args([
            "botpassword",
            "create",
            "Admin",
            "ci",
            "--grants",
            "basic,delete",
            "--password",
            BOT_PASS,
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    let c = Client::for_url(&api);
    let t = login_token(&c);
    for (name, pass) in [
        ("Admin@ci", BOT_PASS),
        ("Admin", admin_pass),
        ("Admin", "Wrong-Pass-55"),
    ] {
        let s = Client::for_url(&api);
        let t = login_token(&s);
        let a = s.post(&[
            ("action", "login"),
            ("lgname", name),
            ("lgpassword", pass),
            ("lgtoken", &t),
            ("format", "json"),
        ]);
        assert!(!a.text().contains(pass));
        let csrf = token(&s, "csrf");
        s.post(&[("action", "logout"), ("token", &csrf), ("format", "json")]);
    }
    let _ = child.kill();
    let _ = child.wait();
    let mut text = String::new();
    std::fs::File::open(dir.path().join("log"))
        .unwrap()
        .read_to_string(&mut text)
        .unwrap();
    assert!(text.contains("wikid is serving"), "{text}");
    for secret in [admin_pass, BOT_PASS, "Wrong-Pass-55", &t] {
        assert!(!text.contains(secret), "secret in the log:\n{text}");
    }
}
