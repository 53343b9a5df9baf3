//! `meta=siteinfo` shape.

use serde_json::json;

use crate::support::{keys, TestWiki};

/// Keys of `general` in MediaWiki 1.39's order (formatversion=2, not read-only).
const GENERAL_KEYS: &[&str] = &[
    "mainpage",
    "base",
    "sitename",
    "mainpageisdomainroot",
    "logo",
    "generator",
    "phpversion",
    "phpsapi",
    "dbtype",
    "dbversion",
    "imagewhitelistenabled",
    "langconversion",
    "linkconversion",
    "titleconversion",
    "linkprefixcharset",
    "linkprefix",
    "linktrail",
    "legaltitlechars",
    "invalidusernamechars",
    "allunicodefixes",
    "fixarabicunicode",
    "fixmalayalamunicode",
    "case",
    "lang",
    "fallback",
    "rtl",
    "fallback8bitEncoding",
    "readonly",
    "writeapi",
    "maxarticlesize",
    "timezone",
    "timeoffset",
    "articlepath",
    "scriptpath",
    "script",
    "variantarticlepath",
    "server",
    "servername",
    "wikiid",
    "time",
    "misermode",
    "uploadsenabled",
    "maxuploadsize",
    "minuploadchunksize",
    "galleryoptions",
    "thumblimits",
    "imagelimits",
    "favicon",
    "centralidlookupprovider",
    "allcentralidlookupproviders",
    "interwikimagic",
    "magiclinks",
    "categorycollation",
    "nofollowlinks",
    "nofollownsexceptions",
    "nofollowdomainexceptions",
    "externallinktarget",
];

#[test]
fn general_has_the_reference_keys_and_types() {
    let w = TestWiki::start();
    let v = w.get2("action=query&meta=siteinfo&siprop=general");
    let g = &v["query"]["general"];
    assert_eq!(keys(g), GENERAL_KEYS);
    assert_eq!(g["generator"], json!("MediaWiki 1.39.17"));
    assert_eq!(g["sitename"], json!("Refwiki"));
    assert_eq!(g["dbtype"], json!("sqlite"));
    assert_eq!(g["case"], json!("first-letter"));
    assert_eq!(g["misermode"], json!(false));
    assert!(g["thumblimits"].is_object());
    assert!(g["imagelimits"].is_object());
    assert_eq!(
        g["magiclinks"],
        json!({"ISBN": false, "PMID": false, "RFC": false})
    );
    assert_eq!(g["writeapi"], json!(true));
    // mwn builds a JavaScript regex from this.
    assert_eq!(
        g["legaltitlechars"],
        json!(" %!\"$&'()*,\\-.\\/0-9:;=?@A-Z\\\\^_`a-z~\\x80-\\xFF+")
    );
    let server = w.api.trim_end_matches("/w/api.php");
    assert_eq!(g["server"], json!(server));
    assert_eq!(g["base"], json!(format!("{server}/wiki/Main_Page")));
    // fv1: BC bools, lists for thumblimits/imagelimits, [] for magiclinks.
    let v = w.get("action=query&meta=siteinfo");
    let g = &v["query"]["general"];
    assert_eq!(g["writeapi"], json!(""));
    assert!(g.get("misermode").is_none());
    assert_eq!(g["variantarticlepath"], json!(false));
    assert_eq!(g["thumblimits"], json!([120, 150, 180, 200, 250, 300]));
    assert_eq!(g["magiclinks"], json!([]));
}

#[test]
fn namespaces_aliases_groups_and_more() {
    let w = TestWiki::start();
    let v = w.get2(
        "action=query&meta=siteinfo&siprop=namespaces|namespacealiases|statistics|usergroups|restrictions|rightsinfo|extensions&sinumberingroup=1",
    );
    let q = &v["query"];
    assert_eq!(
        q["namespaces"]["4"],
        json!({"id": 4, "case": "first-letter", "name": "Refwiki", "subpages": true,
               "canonical": "Project", "content": false, "nonincludable": false})
    );
    assert_eq!(
        q["namespaces"]["0"],
        json!({"id": 0, "case": "first-letter", "name": "", "subpages": false,
               "content": true, "nonincludable": false})
    );
    assert_eq!(
        q["namespaces"]["8"]["namespaceprotection"],
        json!("editinterface")
    );
    assert_eq!(
        q["namespacealiases"],
        json!([{"id": 6, "alias": "Image"}, {"id": 7, "alias": "Image talk"}])
    );
    assert_eq!(
        keys(&q["statistics"]),
        vec![
            "pages",
            "articles",
            "edits",
            "images",
            "users",
            "activeusers",
            "admins",
            "jobs"
        ]
    );
    assert_eq!(q["statistics"]["admins"], json!(1));
    let groups = q["usergroups"].as_array().unwrap();
    assert_eq!(groups[0]["name"], json!("*"));
    assert!(groups[0].get("number").is_none());
    let sysop = groups.iter().find(|g| g["name"] == "sysop").unwrap();
    assert_eq!(sysop["number"], json!(1));
    assert!(sysop["rights"]
        .as_array()
        .unwrap()
        .contains(&json!("delete")));
    assert_eq!(
        q["restrictions"]["levels"],
        json!(["", "autoconfirmed", "sysop"])
    );
    assert_eq!(q["rightsinfo"], json!({"url": "", "text": ""}));
    assert_eq!(q["extensions"], json!([]));
    // fv1 namespaces: the name is the `*` content.
    let v = w.get("action=query&meta=siteinfo&siprop=namespaces|namespacealiases");
    assert_eq!(v["query"]["namespaces"]["1"]["*"], json!("Talk"));
    assert_eq!(v["query"]["namespacealiases"][0]["*"], json!("Image"));
}

#[test]
fn data_props_and_interwiki_filter() {
    let w = TestWiki::start();
    let v = w.get2(
        "action=query&meta=siteinfo&siprop=specialpagealiases|magicwords|interwikimap|languages|skins|protocols|dbrepllag",
    );
    let q = &v["query"];
    assert!(q["specialpagealiases"]
        .as_array()
        .unwrap()
        .iter()
        .any(|s| s["realname"] == "Recentchanges"));
    assert_eq!(
        q["magicwords"][0],
        json!({"name": "!", "aliases": ["!"], "case-sensitive": true})
    );
    assert!(q["interwikimap"]
        .as_array()
        .unwrap()
        .iter()
        .any(|i| i["prefix"] == "wikipedia"));
    assert!(q["languages"].as_array().unwrap().len() > 100);
    assert_eq!(q["dbrepllag"], json!([{"host": "", "lag": -1}]));
    assert!(q["protocols"]
        .as_array()
        .unwrap()
        .contains(&json!("https://")));
    let v = w.get2("action=query&meta=siteinfo&siprop=interwikimap&sifilteriw=local");
    assert_eq!(v["query"]["interwikimap"], json!([]));
    let xml = w.get_text("action=query&meta=siteinfo&format=xml");
    assert!(
        xml.contains("<thumblimits><limit _idx=\"0\">120</limit>"),
        "{xml}"
    );
    assert!(xml.contains("<magiclinks />"), "{xml}");
}
