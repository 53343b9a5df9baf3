//! Golden tests: the HTML and link data MediaWiki 1.39 produces for each feature
//! (recorded from the reference wiki with `action=parse`).

use std::collections::HashSet;

use super::*;
use crate::wiki::namespace::Namespaces;

fn codec() -> TitleCodec {
    let iw: HashSet<String> = ["wikipedia".to_string(), "mw".to_string()].into_iter().collect();
    TitleCodec::new(Namespaces::english("Refwiki"), iw)
}

fn cfg() -> ParserConfig {
    ParserConfig {
        sitename: "Refwiki".into(),
        server: "http://127.0.0.1:8080".into(),
        article_path: "/wiki/$1".into(),
        script_path: "/w".into(),
    }
}

fn source() -> MapSource {
    let mut s = MapSource::default();
    s.add(0, "Main_Page", "main");
    s.add(0, "Sandbox", "sand");
    s.add(0, "Sbox", "#REDIRECT [[Sandbox]]");
    s.add(
        10,
        "Box",
        "<div class=\"refwiki-box\" style=\"border:1px solid #888;padding:4px\">{{{1|Empty box}}}</div><noinclude>\nA simple box. Usage: <code><nowiki>{{Box|text}}</nowiki></code>\n[[Category:Refwiki templates]]</noinclude>",
    );
    s.interwiki
        .insert("wikipedia".into(), "https://en.wikipedia.org/wiki/$1".into());
    s
}

pub(crate) fn run(title: &str, text: &str) -> ParseOutput {
    let codec = codec();
    let t = codec.parse(title, 0).unwrap();
    let mut src = source();
    parse(&cfg(), &codec, &t, text, &mut src, ParseOptions::default())
}

fn html(text: &str) -> String {
    let out = run("Test page", text).html;
    out.strip_prefix("<div class=\"mw-parser-output\">")
        .and_then(|s| s.strip_suffix("</div>"))
        .unwrap()
        .to_string()
}

#[test]
fn debug_print() {
    if let Ok(p) = std::env::var("WIKID_PARSE_FILE") {
        let text = std::fs::read_to_string(p).unwrap();
        let out = run("Test page", &text);
        println!("{}", out.html);
        println!("{:#?}", ParseOutput { html: String::new(), ..out });
    }
}
