//! The Rust `mwapi` crate (crates.io), unmodified, against a wiki: bot-password
//! login, an edit, a delete, the `missingtitle` error, an undelete.
//! Reads WIKI_API, WIKI_BOT_USER, WIKI_BOT_PASS; prints one line per step and
//! `mwapi: N passed, M failed`.

use serde_json::Value;

struct Steps {
    passed: u32,
    failed: u32,
}

impl Steps {
    fn check(&mut self, name: &str, ok: Result<(), String>) {
        match ok {
            Ok(()) => {
                self.passed += 1;
                println!("  ok   {name}");
            }
            Err(e) => {
                self.failed += 1;
                println!("  FAIL {name}: {e}");
            }
        }
    }
}

fn env(name: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| panic!("{name} is not set"))
}

fn expect(cond: bool, what: &str, v: &Value) -> Result<(), String> {
    if cond {
        Ok(())
    } else {
        Err(format!("{what}: {v}"))
    }
}

#[tokio::main]
async fn main() {
    let api = env("WIKI_API");
    let bot_user = env("WIKI_BOT_USER");
    let bot_pass = env("WIKI_BOT_PASS");
    let account = bot_user.split('@').next().unwrap_or_default().to_string();
    let stamp = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis();
    let title = format!("Mwapi client test {stamp}");
    let mut s = Steps {
        passed: 0,
        failed: 0,
    };

    let client = match mwapi::Client::builder(&api)
        .set_botpassword(&bot_user, &bot_pass)
        .set_user_agent("wikid-clients-test/0 (mwapi)")
        .set_assert(mwapi::Assert::User)
        .build()
        .await
    {
        Ok(c) => {
            s.check("login with a bot password", Ok(()));
            c
        }
        Err(e) => {
            s.check("login with a bot password", Err(e.to_string()));
            println!("mwapi: {} passed, {} failed", s.passed, s.failed);
            std::process::exit(1);
        }
    };

    let r: Result<Value, _> = client
        .get_value(&[("action", "query"), ("meta", "userinfo"), ("uiprop", "rights")][..])
        .await;
    s.check(
        "userinfo names the account and lists the delete right",
        match r {
            Ok(v) => expect(
                v["query"]["userinfo"]["name"] == account.as_str()
                    && v["query"]["userinfo"]["rights"]
                        .as_array()
                        .is_some_and(|a| a.iter().any(|r| r == "delete")),
                "userinfo",
                &v,
            ),
            Err(e) => Err(e.to_string()),
        },
    );

    let r: Result<Value, _> = client
        .post_with_token(
            "csrf",
            &[
                ("action", "edit"),
                ("title", title.as_str()),
                ("text", "Made by the mwapi crate."),
                ("summary", "mwapi client test"),
                ("createonly", "1"),
            ][..],
        )
        .await;
    s.check(
        "edit creates a page",
        match r {
            Ok(v) => expect(v["edit"]["result"] == "Success", "edit", &v),
            Err(e) => Err(e.to_string()),
        },
    );

    let r: Result<Value, _> = client
        .post_with_token(
            "csrf",
            &[
                ("action", "delete"),
                ("title", title.as_str()),
                ("reason", "mwapi client test"),
            ][..],
        )
        .await;
    s.check(
        "delete answers title, reason and logid",
        match r {
            Ok(v) => expect(
                v["delete"]["title"] == title.as_str()
                    && v["delete"]["reason"] == "mwapi client test"
                    && v["delete"]["logid"].as_u64().is_some(),
                "delete",
                &v,
            ),
            Err(e) => Err(e.to_string()),
        },
    );

    let r: Result<Value, _> = client
        .get_value(&[("action", "query"), ("prop", "info"), ("titles", title.as_str())][..])
        .await;
    s.check(
        "the deleted page is missing",
        match r {
            Ok(v) => expect(v["query"]["pages"][0]["missing"] == true, "info", &v),
            Err(e) => Err(e.to_string()),
        },
    );

    let r: Result<Value, _> = client
        .post_with_token("csrf", &[("action", "delete"), ("title", title.as_str())][..])
        .await;
    s.check(
        "deleting it again is the API error missingtitle",
        match r {
            Err(mwapi::Error::ApiError(e)) if e.code == "missingtitle" => Ok(()),
            other => Err(format!("{other:?}")),
        },
    );

    let r: Result<Value, _> = client
        .post_with_token(
            "csrf",
            &[
                ("action", "undelete"),
                ("title", title.as_str()),
                ("reason", "mwapi client test"),
            ][..],
        )
        .await;
    s.check(
        "undelete restores one revision",
        match r {
            Ok(v) => expect(v["undelete"]["revisions"] == 1, "undelete", &v),
            Err(e) => Err(e.to_string()),
        },
    );

    println!("mwapi: {} passed, {} failed", s.passed, s.failed);
    std::process::exit(if s.failed == 0 { 0 } else { 1 });
}
