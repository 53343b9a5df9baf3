//! `action=query`: the page set, continuation and list=allpages.

use serde_json::json;

use crate::support::{keys, TestWiki};

fn wiki() -> TestWiki {
    let w = TestWiki::start();
    w.seed_pages(&[
        (1, 0, "Main_Page", false, 3),
        (3, 0, "Sandbox", false, 4),
        (5, 0, "Sbox", true, 6),
        (6, 0, "Box_demo_A", false, 7),
        (7, 0, "Box_demo_B", false, 8),
        (2, 10, "Box", false, 2),
        (9, 2, "Alice", false, 9),
    ]);
    w
}

#[test]
fn empty_query_is_batchcomplete_only() {
    let w = wiki();
    assert_eq!(w.get("action=query"), json!({"batchcomplete": ""}));
    assert_eq!(w.get2("action=query"), json!({"batchcomplete": true}));
}

#[test]
fn titles_classification_and_order() {
    let w = wiki();
    let q = "action=query&indexpageids=1&titles=Sandbox|Nope|Foo%7B|Special:Nope|Special:recentchanges|Main_Page|Talk:X";
    let v = w.get(q);
    let query = &v["query"];
    assert_eq!(
        query["normalized"],
        json!([
            {"from": "Special:recentchanges", "to": "Special:RecentChanges"},
            {"from": "Main_Page", "to": "Main Page"}
        ])
    );
    // fv1: missing titles, invalid, special, then existing pages (DB order).
    assert_eq!(
        keys(&query["pages"]),
        vec!["-4", "-5", "-1", "-2", "-3", "1", "3"]
    );
    assert_eq!(
        query["pageids"],
        json!(["-4", "-5", "-1", "-2", "-3", "1", "3"])
    );
    assert_eq!(
        query["pages"]["-4"],
        json!({"ns": 0, "title": "Nope", "missing": ""})
    );
    assert_eq!(
        query["pages"]["-5"],
        json!({"ns": 1, "title": "Talk:X", "missing": ""})
    );
    assert_eq!(
        query["pages"]["-1"],
        json!({"title": "Foo{", "invalidreason": "The requested page title contains invalid characters: \"{\".", "invalid": ""})
    );
    assert_eq!(
        query["pages"]["-2"],
        json!({"ns": -1, "title": "Special:Nope", "special": "", "missing": ""})
    );
    assert_eq!(
        query["pages"]["-3"],
        json!({"ns": -1, "title": "Special:RecentChanges", "special": ""})
    );
    assert_eq!(
        query["pages"]["1"],
        json!({"pageid": 1, "ns": 0, "title": "Main Page"})
    );
    // fv2: a list sorted by (fake) id.
    let v = w.get2(q);
    let titles: Vec<&str> = v["query"]["pages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["title"].as_str().unwrap())
        .collect();
    assert_eq!(
        titles,
        vec![
            "Talk:X",
            "Nope",
            "Special:RecentChanges",
            "Special:Nope",
            "Foo{",
            "Main Page",
            "Sandbox"
        ]
    );
    assert_eq!(v["query"]["pages"][1]["missing"], json!(true));
}

#[test]
fn existing_pages_group_by_namespace_then_key() {
    let w = wiki();
    let v = w.get2("action=query&titles=User:Alice|Sandbox|Main_Page|Box_demo_A");
    let titles: Vec<&str> = v["query"]["pages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["title"].as_str().unwrap())
        .collect();
    assert_eq!(
        titles,
        vec!["Main Page", "Sandbox", "Box demo A", "User:Alice"]
    );
    // fv1 keeps lookup order: namespaces in first appearance, keys sorted.
    let v = w.get("action=query&titles=User:Alice|Sandbox|Main_Page|Box_demo_A");
    assert_eq!(keys(&v["query"]["pages"]), vec!["9", "6", "1", "3"]);
}

#[test]
fn php_array_rule_makes_small_page_maps_lists() {
    let w = wiki();
    // Keys -1 and 1: integer keys up to len-1, so PHP prints a list even in fv1.
    let v = w.get("action=query&titles=Nope|Main_Page");
    assert_eq!(
        v["query"]["pages"],
        json!([{"ns": 0, "title": "Nope", "missing": ""}, {"pageid": 1, "ns": 0, "title": "Main Page"}])
    );
    let xml = w.get_text("action=query&titles=Nope|Main_Page&format=xml");
    assert!(
        xml.contains("<pages><page ns=\"0\" title=\"Nope\" missing=\"\" />"),
        "{xml}"
    );
}

#[test]
fn invalid_reason_in_error_formats() {
    let w = wiki();
    let v = w.get2("action=query&titles=Foo%7B&errorformat=plaintext");
    assert_eq!(
        v["query"]["pages"][0]["invalidreason"],
        json!({"code": "title-invalid-characters", "text": "The requested page title contains invalid characters: \"{\"."})
    );
    let v = w.get2("action=query&titles=Foo%7B&errorformat=raw");
    assert_eq!(
        v["query"]["pages"][0]["invalidreason"],
        json!({"code": "title-invalid-characters", "key": "title-invalid-characters", "params": ["{", "Foo&#123;"]})
    );
    let v = w.get2("action=query&titles=Foo%7B&errorformat=none");
    assert_eq!(
        v["query"]["pages"][0]["invalidreason"],
        json!({"code": "title-invalid-characters"})
    );
}

#[test]
fn fromencoded_normalization_chain() {
    let w = wiki();
    let v = w.get2("action=query&titles=cafe%CC%81|%23frag");
    assert_eq!(
        v["query"]["normalized"],
        json!([
            {"fromencoded": true, "from": "cafe%CC%81", "to": "café"},
            {"fromencoded": false, "from": "café", "to": "Café"},
            {"fromencoded": false, "from": "#frag", "to": ""}
        ])
    );
    assert_eq!(v["query"]["pages"].as_array().unwrap().len(), 1);
    assert!(v["warnings"]["query"]["warnings"]
        .as_str()
        .unwrap()
        .contains("non-normalized"));
}

#[test]
fn pageids_revids_and_multisource() {
    let w = wiki();
    let v = w.get("action=query&pageids=1|99999|0|3");
    assert_eq!(keys(&v["query"]["pages"]), vec!["99999", "0", "1", "3"]);
    assert_eq!(
        v["query"]["pages"]["99999"],
        json!({"pageid": 99999, "missing": ""})
    );
    let v = w.get2("action=query&revids=4|99999|0");
    assert_eq!(
        v["query"]["badrevids"],
        json!({"99999": {"revid": 99999, "missing": true}, "0": {"revid": 0, "missing": true}})
    );
    assert_eq!(v["query"]["pages"][0]["title"], json!("Sandbox"));
    let v = w.get2("action=query&revids=0");
    assert_eq!(
        v["query"]["badrevids"],
        json!([{"revid": 0, "missing": true}])
    );
    let v = w.get("action=query&titles=A&pageids=1");
    assert_eq!(v["error"]["code"], json!("multisource"));
    assert_eq!(
        v["error"]["info"],
        json!("The \"pageids\" parameter cannot be used with \"titles\".")
    );
    let v = w.get("action=query&titles=Sandbox&revids=");
    assert_eq!(
        v["error"]["info"],
        json!("The \"revids\" parameter cannot be used with \"titles\".")
    );
    let many: Vec<String> = (0..51).map(|i| format!("T{i}")).collect();
    let v = w.get(&format!("action=query&titles={}", many.join("|")));
    assert_eq!(v["error"]["code"], json!("toomanyvalues"));
    assert_eq!(v["error"]["limit"], json!(50));
}

#[test]
fn unknown_submodules_and_generators() {
    let w = wiki();
    let v = w.get("action=query&meta=siteinfo|nosuchmeta&siprop=rightsinfo");
    assert_eq!(keys(&v), vec!["batchcomplete", "warnings", "query"]);
    assert_eq!(
        v["warnings"]["query"]["*"],
        json!("Unrecognized value for parameter \"meta\": nosuchmeta")
    );
    let v = w.get("action=query&generator=nosuch");
    assert_eq!(v["error"]["code"], json!("badgenerator"));
    assert_eq!(v["error"]["info"], json!("Unknown \"generator=nosuch\"."));
    let v = w.get("action=query&generator=siteinfo");
    assert_eq!(
        v["error"]["info"],
        json!("Module \"siteinfo\" cannot be used as a generator.")
    );
    let v = w.get("action=query&titles=Foo&continue=abc");
    assert_eq!(v["error"]["code"], json!("badcontinue"));
}

#[test]
fn allpages_list_continuation_and_limits() {
    let w = wiki();
    let v = w.get("action=query&list=allpages&aplimit=2");
    assert_eq!(
        v,
        json!({
            "batchcomplete": "",
            "continue": {"apcontinue": "Main_Page", "continue": "-||"},
            "query": {"allpages": [
                {"pageid": 6, "ns": 0, "title": "Box demo A"},
                {"pageid": 7, "ns": 0, "title": "Box demo B"}
            ]}
        })
    );
    let v = w.get("action=query&list=allpages&aplimit=2&continue=-||&apcontinue=Main_Page&meta=siteinfo&siprop=rightsinfo");
    assert_eq!(
        v["continue"],
        json!({"apcontinue": "Sbox", "continue": "-||siteinfo"})
    );
    let v = w.get("action=query&list=allpages&aplimit=0");
    assert_eq!(
        keys(&v),
        vec!["batchcomplete", "continue", "warnings", "query"]
    );
    assert_eq!(
        v["warnings"]["allpages"]["*"],
        json!("The value \"0\" for parameter \"aplimit\" must be between 1 and 500.")
    );
    let v = w.get("action=query&list=allpages&aplimit=max");
    assert_eq!(keys(&v), vec!["batchcomplete", "limits", "query"]);
    assert_eq!(v["limits"], json!({"allpages": 500}));
    let v = w.get("action=query&list=allpages&apfilterredir=redirects");
    assert_eq!(
        v["query"]["allpages"],
        json!([{"pageid": 5, "ns": 0, "title": "Sbox"}])
    );
    let v = w.get("action=query&list=allpages&apprefix=s&apdir=descending");
    assert_eq!(v["query"]["allpages"][0]["title"], json!("Sbox"));
    let v = w.get("action=query&list=allpages&apnamespace=10");
    assert_eq!(v["query"]["allpages"][0]["title"], json!("Template:Box"));
    let v = w.get("action=query&list=allpages&apfilterredir=sometimes");
    assert_eq!(v["error"]["code"], json!("badvalue"));
    let v = w.get("action=query&list=allpages&aplimit=notanumber&errorformat=plaintext");
    assert_eq!(v["errors"][0]["module"], json!("query+allpages"));
    let v = w.get("action=query&list=allpages&aplimit=1&rawcontinue=1");
    assert_eq!(
        v["query-continue"],
        json!({"allpages": {"apcontinue": "Box_demo_B"}})
    );
    assert!(v.get("batchcomplete").is_none());
}

#[test]
fn allpages_generator() {
    let w = wiki();
    let v = w.get("action=query&generator=allpages&gaplimit=2");
    assert_eq!(
        v,
        json!({
            "batchcomplete": "",
            "continue": {"gapcontinue": "Main_Page", "continue": "gapcontinue||"},
            "query": {"pages": {
                "6": {"pageid": 6, "ns": 0, "title": "Box demo A"},
                "7": {"pageid": 7, "ns": 0, "title": "Box demo B"}
            }}
        })
    );
    let v = w.get(
        "action=query&generator=allpages&gaplimit=2&continue=gapcontinue||&gapcontinue=Main_Page",
    );
    assert_eq!(keys(&v["query"]["pages"]), vec!["1", "3"]);
    let v = w.get("action=query&generator=allpages&redirects=1");
    assert_eq!(v["error"]["code"], json!("params"));
}
