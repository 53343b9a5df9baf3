//! Language variants over HTTP: a Serbian wiki (`lang = "sr"`) converts titles
//! between Cyrillic and Latin with `converttitles` in `action=query` and
//! `action=purge`, and siteinfo describes its variants.

use serde_json::json;

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

fn serbian_wiki() -> (TestWiki, Client) {
    let w = TestWiki::start_with(|c| c.lang = "sr".into());
    let c = w.client();
    edit(&c, "Beograd", "Glavni grad.");
    edit(&c, "Љубљана", "Главни град Словеније.");
    edit(&c, "Niš", "#REDIRECT [[Beograd]]");
    (w, c)
}

#[test]
fn query_converts_titles_to_existing_variants() {
    let (w, _c) = serbian_wiki();
    // Cyrillic asked, Latin page exists; lower-case input is normalised first.
    let j = w.get2(
        "action=query&titles=%D0%91%D0%B5%D0%BE%D0%B3%D1%80%D0%B0%D0%B4|\
         %D0%B1%D0%B5%D0%BE%D0%B3%D1%80%D0%B0%D0%B4|Ljubljana|Nema|Beograd&converttitles=1",
    );
    let q = &j["query"];
    assert_eq!(
        q["normalized"],
        json!([{"fromencoded": false, "from": "београд", "to": "Београд"}]),
        "{j}"
    );
    assert_eq!(
        q["converted"],
        json!([{"from": "Београд", "to": "Beograd"}, {"from": "Ljubljana", "to": "Љубљана"}]),
        "{j}"
    );
    assert_eq!(
        q["pages"],
        json!([{"ns": 0, "title": "Nema", "missing": true},
               {"pageid": 1, "ns": 0, "title": "Beograd"},
               {"pageid": 2, "ns": 0, "title": "Љубљана"}]),
        "{j}"
    );
    // `converted` comes right after `normalized`.
    let keys: Vec<&String> = q.as_object().unwrap().keys().collect();
    assert_eq!(keys, ["normalized", "converted", "pages"]);

    // Without converttitles nothing is converted.
    let j = w.get("action=query&titles=%D0%91%D0%B5%D0%BE%D0%B3%D1%80%D0%B0%D0%B4");
    assert!(j["query"].get("converted").is_none(), "{j}");
    assert!(j["query"]["pages"]["-1"]["missing"].is_string(), "{j}");

    // A page that exists as given is not converted; XML uses <c>.
    let x = w.get_text(
        "action=query&titles=Beograd|%D0%9D%D0%B8%D1%88&converttitles=1&redirects=1&format=xml",
    );
    assert!(
        x.contains(r#"<converted><c from="Ниш" to="Niš" /></converted>"#),
        "{x}"
    );
    assert!(
        x.contains(r#"<redirects><r from="Niš" to="Beograd" /></redirects>"#),
        "{x}"
    );
}

#[test]
fn purge_converts_titles() {
    let (_w, c) = serbian_wiki();
    let a = c.post(&[
        ("action", "purge"),
        ("titles", "београд|Nema"),
        ("converttitles", "1"),
        ("formatversion", "2"),
        ("format", "json"),
    ]);
    assert_eq!(
        a.text(),
        json!({"batchcomplete": true,
               "purge": [{"ns": 0, "title": "Nema", "missing": true},
                         {"ns": 0, "title": "Beograd", "purged": true}],
               "normalized": [{"fromencoded": false, "from": "београд", "to": "Београд"}],
               "converted": [{"from": "Београд", "to": "Beograd"}]})
        .to_string()
    );
    // Without the flag the Cyrillic title is missing.
    let a = c.post(&[
        ("action", "purge"),
        ("titles", "Београд"),
        ("format", "json"),
    ]);
    assert_eq!(
        a.json(),
        json!({"batchcomplete": "", "purge": [{"ns": 0, "title": "Београд", "missing": ""}]})
    );
}

#[test]
fn english_wiki_does_not_convert() {
    let w = TestWiki::start();
    let c = w.client();
    edit(&c, "Beograd", "x");
    let j = w.get("action=query&titles=%D0%91%D0%B5%D0%BE%D0%B3%D1%80%D0%B0%D0%B4&converttitles=1");
    assert!(j["query"].get("converted").is_none(), "{j}");
    let j = w.get2("action=query&meta=siteinfo");
    assert_eq!(j["query"]["general"]["fallback"], json!([]));
    assert!(j["query"]["general"].get("variants").is_none());
}

#[test]
fn siteinfo_describes_serbian_variants() {
    let w = TestWiki::start_with(|c| {
        c.lang = "sr".into();
        c.variant_article_path = "/$2/$1".into();
    });
    let j = w.get2("action=query&meta=siteinfo&siprop=general|languagevariants");
    let g = &j["query"]["general"];
    assert_eq!(g["lang"], "sr");
    assert_eq!(
        g["fallback"],
        json!([{"code": "sr-ec"}, {"code": "sr-cyrl"}, {"code": "en"}])
    );
    assert_eq!(
        g["variants"],
        json!([{"code": "sr", "name": "Ћир./lat."},
               {"code": "sr-ec", "name": "Ћирилица"},
               {"code": "sr-el", "name": "Latinica"}])
    );
    assert_eq!(g["variantarticlepath"], "/$2/$1");
    assert_eq!(
        j["query"]["languagevariants"]["sr"],
        json!({"sr": {"fallbacks": ["sr-ec"]}, "sr-ec": {"fallbacks": ["sr"]},
               "sr-el": {"fallbacks": ["sr"]}})
    );
    // The general keys keep MediaWiki's order: variants after fallback.
    let keys: Vec<&String> = g.as_object().unwrap().keys().collect();
    let at = |k: &str| keys.iter().position(|x| *x == k).unwrap();
    assert_eq!(at("variants"), at("fallback") + 1);
}
