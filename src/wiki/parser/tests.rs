//! Golden tests: the HTML and link data MediaWiki 1.39 produces for each feature
//! (recorded from the reference wiki with `action=parse`).

use std::collections::HashSet;

use super::*;
use crate::wiki::namespace::Namespaces;

fn codec() -> TitleCodec {
    let iw: HashSet<String> = ["wikipedia".to_string(), "mw".to_string()]
        .into_iter()
        .collect();
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

const MAIN_PAGE: &str = "'''Refwiki''' is a reference MediaWiki used to record API transcripts.\n\n* [[Sandbox]]\n* [[History page]]\n* [[Box demo A]] and [[Box demo B]]\n* [[:Category:Refwiki pages]]";

fn source() -> MapSource {
    let mut s = MapSource::default();
    s.add(0, "Main_Page", MAIN_PAGE);
    s.add(0, "Sandbox", "sand");
    s.add(0, "Sbox", "#REDIRECT [[Sandbox]]");
    s.add(0, "History_page", "History page");
    s.add(0, "Box_demo_A", "a");
    s.add(0, "Box_demo_B", "b");
    s.add(14, "Refwiki_pages", "Pages of the reference wiki.");
    s.add(14, "Refwiki_templates", "t");
    s.add(
        10,
        "Box",
        "<div class=\"refwiki-box\" style=\"border:1px solid #888;padding:4px\">{{{1|Empty box}}}</div><noinclude>\nA simple box. Usage: <code><nowiki>{{Box|text}}</nowiki></code>\n[[Category:Refwiki templates]]</noinclude>",
    );
    s.interwiki.insert(
        "wikipedia".into(),
        "https://en.wikipedia.org/wiki/$1".into(),
    );
    s
}

pub(crate) fn run(title: &str, text: &str) -> ParseOutput {
    let codec = codec();
    let t = codec.parse(title, 0).unwrap();
    let mut src = source();
    parse(&cfg(), &codec, &t, text, &mut src, ParseOptions::default())
}

#[test]
fn debug_print() {
    if let Ok(p) = std::env::var("WIKID_PARSE_FILE") {
        let text = std::fs::read_to_string(p).unwrap();
        let out = run("Test page", &text);
        println!("{}", out.html);
        println!(
            "{:#?}",
            ParseOutput {
                html: String::new(),
                ..out
            }
        );
    }
}

/// Cases where our output differs from the reference's on purpose or for want
/// of an HTML tidying pass (paragraph wrapping of inline text after blocks).
const KNOWN_HTML_DIFFS: &[&str] = &[];

#[test]
fn golden_cases_match_the_reference() {
    let cases: serde_json::Value =
        serde_json::from_str(include_str!("golden.json")).expect("golden.json");
    let codec = codec();
    let mut failures = Vec::new();
    for case in cases.as_array().unwrap() {
        let name = case["name"].as_str().unwrap();
        let text = case["text"].as_str().unwrap();
        let out = run("Test page", text);
        let html = out
            .html
            .strip_prefix("<div class=\"mw-parser-output\">")
            .and_then(|s| s.strip_suffix("</div>"))
            .unwrap()
            .to_string();
        let title = |ns: i32, k: &str| Title::local(ns, k.to_string()).prefixed_text(&codec);
        let links: Vec<serde_json::Value> = out
            .links
            .iter()
            .map(|(ns, k, id)| serde_json::json!([ns, title(*ns, k), *id != 0]))
            .collect();
        let templates: Vec<serde_json::Value> = out
            .templates
            .iter()
            .map(|(ns, k, id)| serde_json::json!([ns, title(*ns, k), *id != 0]))
            .collect();
        let cats: Vec<serde_json::Value> = out
            .categories
            .iter()
            .map(|(c, s)| serde_json::json!([c, s]))
            .collect();
        let sections: Vec<serde_json::Value> = out
            .sections
            .iter()
            .map(|s| {
                serde_json::json!([s.level.to_string(), s.line, s.index, s.byteoffset, s.anchor])
            })
            .collect();
        let mut check = |what: &str, ours: serde_json::Value, theirs: &serde_json::Value| {
            if &ours != theirs {
                failures.push(format!(
                    "{name} {what}:\n ours:   {ours}\n theirs: {theirs}"
                ));
            }
        };
        if !KNOWN_HTML_DIFFS.contains(&name) {
            check("html", serde_json::json!(html), &case["html"]);
        }
        check("links", serde_json::json!(links), &case["links"]);
        check(
            "templates",
            serde_json::json!(templates),
            &case["templates"],
        );
        check("categories", serde_json::json!(cats), &case["categories"]);
        check(
            "externallinks",
            serde_json::json!(out.external_links),
            &case["externallinks"],
        );
        check("images", serde_json::json!(out.images), &case["images"]);
        check("sections", serde_json::json!(sections), &case["sections"]);
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn template_recursion_and_loops_are_bounded() {
    let codec = codec();
    let t = codec.parse("Test page", 0).unwrap();
    let mut src = source();
    src.add(10, "Loop", "a{{Loop}}b");
    src.add(10, "Ping", "{{Pong}}");
    src.add(10, "Pong", "{{Ping}}");
    src.add(10, "Outer", "[{{Inner|{{{1}}}}}]");
    src.add(10, "Inner", "<{{{1}}}>");
    src.add(10, "Redir", "#REDIRECT [[Template:Box]]");
    let out = parse(
        &cfg(),
        &codec,
        &t,
        "{{Loop}} {{Ping}} {{Outer|x}} {{Redir|r}}",
        &mut src,
        ParseOptions::default(),
    );
    assert!(out.html.contains("Template loop detected"), "{}", out.html);
    assert!(out.html.contains("[&lt;x&gt;]"), "{}", out.html);
    assert!(out.html.contains(">r</div>"), "{}", out.html);
    let names: Vec<&str> = out.templates.iter().map(|t| t.1.as_str()).collect();
    // Every template at any depth, redirects and their targets too.
    for n in ["Loop", "Ping", "Pong", "Outer", "Inner", "Redir", "Box"] {
        assert!(names.contains(&n), "{n} in {names:?}");
    }
    assert!(!out.warnings.is_empty());
}

#[test]
fn pathological_input_never_panics() {
    let inputs = [
        "{{".repeat(50_000),
        "[[".repeat(50_000),
        "{{{".repeat(20_000) + &"}}}".repeat(20_000),
        "''".repeat(30_000),
        "<nowiki>".repeat(10_000),
        "{|\n".repeat(5_000),
        "*#:;".repeat(10_000),
        "== ".repeat(10_000) + "\n",
        "<!--".repeat(10_000),
        "[http://x ".repeat(10_000),
        "\u{7f}'\"`UNIQ--nowiki-00000000-QINU`\"'\u{7f}".repeat(100),
        "{{#tag:nowiki|{{#tag:pre|x}}}}".to_string(),
        "<h2>x</h2><h3>y".repeat(1000),
        "é[[é|é]]{{é}}".repeat(1000),
    ];
    for (n, input) in inputs.iter().enumerate() {
        let t0 = std::time::Instant::now();
        let out = run("Test page", input);
        assert!(out.html.starts_with("<div class=\"mw-parser-output\">"));
        eprintln!("input {n}: {:?}", t0.elapsed());
    }
    // Exponential expansion is cut by the include-size and node limits.
    let codec = codec();
    let t = codec.parse("Test page", 0).unwrap();
    let mut src = source();
    src.add(10, "L0", &"xxxxxxxxxx".repeat(100));
    for i in 1..8 {
        src.add(
            10,
            &format!("L{i}"),
            &format!("{{{{L{}}}}}", i - 1).repeat(10),
        );
    }
    let out = parse(
        &cfg(),
        &codec,
        &t,
        "{{L7}}",
        &mut src,
        ParseOptions::default(),
    );
    assert!(out.html.len() < 8 * 1024 * 1024);
    assert!(!out.warnings.is_empty());
}

#[test]
fn redirects_render_a_header_and_link() {
    let out = run("Sbox2", "#REDIRECT [[Sandbox]]\n[[Category:Redirs]]");
    assert!(out.html.starts_with("<div class=\"mw-parser-output\"><div class=\"redirectMsg\"><p>Redirect to:</p><ul class=\"redirectText\"><li><a href=\"/wiki/Sandbox\" title=\"Sandbox\">Sandbox</a></li></ul></div>"), "{}", out.html);
    assert_eq!(out.redirect.unwrap().dbkey, "Sandbox");
    assert_eq!(out.links, vec![(0, "Sandbox".to_string(), 2)]);
    assert_eq!(out.categories, vec![("Redirs".to_string(), String::new())]);
}
