//! Parsing, link tables, the job queue, page views and the link-table query
//! modules, over pages written to the database (the reference wiki's seed).

use serde_json::json;

use crate::support::TestWiki;

const MAIN: &str = "'''Refwiki''' is a reference MediaWiki used to record API transcripts.\n\n* [[Sandbox]]\n* [[History page]]\n* [[Box demo A]] and [[Box demo B]]\n* [[:Category:Refwiki pages]]";
const BOX: &str = "<div class=\"refwiki-box\" style=\"border:1px solid #888;padding:4px\">{{{1|Empty box}}}</div><noinclude>\nA simple box. Usage: <code><nowiki>{{Box|text}}</nowiki></code>\n[[Category:Refwiki templates]]</noinclude>";

fn wiki() -> TestWiki {
    let w = TestWiki::start();
    w.put_page(0, "Main_Page", MAIN);
    w.put_page(10, "Box", BOX);
    w.put_page(
        0,
        "Sandbox",
        "This is the sandbox. Feel free to edit.\n\n[[Category:Refwiki pages]]",
    );
    w.put_page(0, "Sbox", "#REDIRECT [[Sandbox]]");
    w.put_page(0, "Box_demo_A", "First page that transcludes the box template.\n\n{{Box|Content of demo A}}\n\n[[Category:Refwiki pages]]");
    w.put_page(0, "Box_demo_B", "Second page that transcludes the box template.\n\n{{Box|Content of demo B}}\n\n[[Category:Refwiki pages]]");
    w.put_page(
        0,
        "History_page",
        "History page, revision 6 by Alice.\n\n[[Category:Refwiki pages]]",
    );
    w.put_page(14, "Refwiki_pages", "Pages of the reference wiki.");
    w.wait_jobs();
    w
}

#[test]
fn parse_page_matches_the_reference() {
    let w = wiki();
    let v = w.get2("action=parse&page=Box_demo_A&disablelimitreport=1");
    let p = &v["parse"];
    assert_eq!(p["title"], "Box demo A");
    assert_eq!(
        p["text"],
        "<div class=\"mw-parser-output\"><p>First page that transcludes the box template.\n</p>\n<div class=\"refwiki-box\" style=\"border:1px solid #888;padding:4px\">Content of demo A</div></div>"
    );
    assert_eq!(
        p["categories"],
        json!([{"sortkey": "", "category": "Refwiki_pages"}])
    );
    assert_eq!(
        p["templates"],
        json!([{"ns": 10, "title": "Template:Box", "exists": true}])
    );
    assert_eq!(p["links"], json!([]));
    assert_eq!(p["showtoc"], false);
    assert_eq!(p["properties"], json!({}));
    assert_eq!(
        p["displaytitle"],
        "<span class=\"mw-page-title-main\">Box demo A</span>"
    );
    // fv1: text and titles as content values, empty properties as a list.
    let v1 = w.get("action=parse&page=Sbox&disablelimitreport=1");
    assert_eq!(
        v1["parse"]["text"]["*"],
        "<div class=\"mw-parser-output\"><div class=\"redirectMsg\"><p>Redirect to:</p><ul class=\"redirectText\"><li><a href=\"/wiki/Sandbox\" title=\"Sandbox\">Sandbox</a></li></ul></div></div>"
    );
    assert_eq!(
        v1["parse"]["links"],
        json!([{"ns": 0, "exists": "", "*": "Sandbox"}])
    );
    assert_eq!(v1["parse"]["properties"], json!([]));
}

#[test]
fn parse_text_and_errors() {
    let w = wiki();
    let v =
        w.get2("action=parse&title=Test&text=%5B%5BSandbox%5D%5D+%5B%5BNope%5D%5D&prop=links|text");
    assert_eq!(
        v["parse"]["links"],
        json!([{"ns": 0, "title": "Sandbox", "exists": true}, {"ns": 0, "title": "Nope", "exists": false}])
    );
    assert!(v["parse"]["text"]
        .as_str()
        .unwrap()
        .contains("class=\"new\""));
    let v = w.get2("action=parse&text=x&prop=text");
    assert_eq!(
        v["warnings"]["parse"]["warnings"],
        "No \"title\" or \"contentmodel\" was given, assuming wikitext."
    );
    let e = w.get2("action=parse&page=Nope");
    assert_eq!(e["error"]["code"], "missingtitle");
    let e = w.get2("action=parse&page=X&text=y");
    assert_eq!(e["error"]["code"], "invalidparammix");
    let e = w.get2("action=parse&oldid=99999");
    assert_eq!(e["error"]["code"], "nosuchrevid");
    let e = w.get2("action=parse&pageid=99999");
    assert_eq!(e["error"]["code"], "nosuchpageid");
    let e = w.get2("action=parse&page=Sandbox&section=x");
    assert_eq!(e["error"]["code"], "invalidsection");
    let v = w.get2("action=parse&page=Sbox&redirects=1&prop=");
    assert_eq!(v["parse"]["title"], "Sandbox");
    assert_eq!(
        v["parse"]["redirects"],
        json!([{"from": "Sbox", "to": "Sandbox"}])
    );
}

#[test]
fn link_tables_and_query_modules() {
    let w = wiki();
    let v = w
        .get2("action=query&titles=Main_Page|Box_demo_A&prop=links|templates|categories&pllimit=2");
    assert_eq!(
        v["continue"]["plcontinue"]
            .as_str()
            .unwrap()
            .split('|')
            .nth(2),
        Some("History_page")
    );
    let pages = v["query"]["pages"].as_array().unwrap();
    let main = pages.iter().find(|p| p["title"] == "Main Page").unwrap();
    assert_eq!(
        main["links"],
        json!([{"ns": 0, "title": "Box demo A"}, {"ns": 0, "title": "Box demo B"}])
    );
    let demo = pages.iter().find(|p| p["title"] == "Box demo A").unwrap();
    assert_eq!(
        demo["templates"],
        json!([{"ns": 10, "title": "Template:Box"}])
    );
    assert_eq!(
        demo["categories"],
        json!([{"ns": 14, "title": "Category:Refwiki pages"}])
    );

    let v = w.get2("action=query&list=backlinks&bltitle=Sandbox");
    let titles: Vec<&str> = v["query"]["backlinks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["title"].as_str().unwrap())
        .collect();
    assert_eq!(titles, vec!["Main Page", "Sbox"]);
    assert_eq!(v["query"]["backlinks"][1]["redirect"], true);

    let v = w.get2("action=query&list=embeddedin&eititle=Template:Box&eilimit=1");
    assert_eq!(v["query"]["embeddedin"][0]["title"], "Box demo A");
    let cont = v["continue"]["eicontinue"].as_str().unwrap().to_string();
    let v = w.get2(&format!(
        "action=query&list=embeddedin&eititle=Template:Box&eilimit=1&eicontinue={cont}"
    ));
    assert_eq!(v["query"]["embeddedin"][0]["title"], "Box demo B");
    assert_eq!(v["batchcomplete"], true);

    let v = w.get2("action=query&list=categorymembers&cmtitle=Category:Refwiki_pages&cmprop=title|sortkey|sortkeyprefix|type&cmlimit=2");
    assert_eq!(
        v["query"]["categorymembers"][0],
        json!({"ns": 0, "title": "Box demo A", "sortkey": "424f582044454d4f2041", "sortkeyprefix": "", "type": "page"})
    );
    assert!(v["continue"]["cmcontinue"]
        .as_str()
        .unwrap()
        .starts_with("page|484953544f52592050414745|"));

    let v =
        w.get2("action=query&titles=Sandbox|Template:Box&prop=linkshere|transcludedin|redirects");
    let pages = v["query"]["pages"].as_array().unwrap();
    let sandbox = pages.iter().find(|p| p["title"] == "Sandbox").unwrap();
    assert_eq!(sandbox["redirects"][0]["title"], "Sbox");
    assert_eq!(sandbox["linkshere"][1]["redirect"], true);

    let v = w.get("action=query&list=allcategories&acprop=size");
    assert_eq!(
        v["query"]["allcategories"][0],
        json!({"size": 4, "pages": 4, "files": 0, "subcats": 0, "*": "Refwiki pages"})
    );
    let v = w.get2("action=query&list=alltransclusions&atnamespace=10");
    assert_eq!(
        v["query"]["alltransclusions"],
        json!([{"ns": 10, "title": "Template:Box"}, {"ns": 10, "title": "Template:Box"}])
    );
    let v = w.get2(
        "action=query&generator=categorymembers&gcmtitle=Category:Refwiki_pages&prop=categories",
    );
    assert_eq!(v["query"]["pages"].as_array().unwrap().len(), 4);
    let e = w.get2("action=query&list=backlinks");
    assert_eq!(e["error"]["code"], "missingparam");
}

#[test]
fn template_edit_refreshes_dependants_through_the_queue() {
    let w = wiki();
    w.put_page(10, "Box", "<span>{{{1}}}</span>[[Sandbox]]");
    w.wait_jobs();
    // The recursive refreshLinks job re-parsed the pages that transclude the box.
    let v = w.get2("action=query&list=backlinks&bltitle=Sandbox&blnamespace=0");
    let titles: Vec<&str> = v["query"]["backlinks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["title"].as_str().unwrap())
        .collect();
    assert!(
        titles.contains(&"Box demo A") && titles.contains(&"Box demo B"),
        "{titles:?}"
    );
    let v = w.get2("action=parse&page=Box_demo_B&prop=text");
    assert!(v["parse"]["text"]
        .as_str()
        .unwrap()
        .contains("<span>Content of demo B</span>"));
    // Creating a linked page turns red links blue after htmlCacheUpdate.
    w.put_page(0, "Nope2", "x");
    w.put_page(0, "Linker", "[[Nope3]]");
    w.wait_jobs();
    let v = w.get2("action=parse&page=Linker&prop=links");
    assert_eq!(
        v["parse"]["links"],
        json!([{"ns": 0, "title": "Nope3", "exists": false}])
    );
    w.put_page(0, "Nope3", "now exists");
    w.wait_jobs();
    let v = w.get2("action=parse&page=Linker&prop=links");
    assert_eq!(
        v["parse"]["links"],
        json!([{"ns": 0, "title": "Nope3", "exists": true}])
    );
}

#[test]
fn page_views_raw_and_missing() {
    let w = wiki();
    let a = w.get_path("/wiki/Box_demo_A", &[]);
    assert_eq!(a.status, 200);
    assert!(a.text().contains("<div class=\"refwiki-box\""));
    assert_eq!(
        a.header("cache-control"),
        Some("s-maxage=18000, must-revalidate, max-age=0")
    );
    let lm = a.header("last-modified").unwrap().to_string();
    let b = w.get_path("/wiki/Box_demo_A", &[("If-Modified-Since", &lm)]);
    assert_eq!(b.status, 304);
    let r = w.get_path("/w/index.php?title=Main_Page&action=raw", &[]);
    assert_eq!(r.status, 200);
    assert!(r.header("content-type").unwrap().starts_with("text/x-wiki"));
    assert_eq!(r.text(), MAIN);
    let m = w.get_path("/wiki/No_such_page", &[]);
    assert_eq!(m.status, 404);
    assert!(m
        .text()
        .contains("There is currently no text in this page."));
    let s = w.get_path("/wiki/Sbox", &[]);
    assert!(s.text().contains("Redirected from"));
}

#[test]
fn job_count_in_siteinfo() {
    let w = TestWiki::start();
    let v = w.get2("action=query&meta=siteinfo&siprop=statistics");
    assert_eq!(v["query"]["statistics"]["jobs"], 0);
}

/// `prop=iwlinks` as MediaWiki 1.39 answered the same page: ordered by prefix then
/// title, `url` from the interwiki map, continuation, and its parameter errors.
#[test]
fn iwlinks_urls_continuation_and_errors() {
    let w = TestWiki::start();
    let (id, _) = w.put_page(
        0,
        "Iw_test_page",
        "[[mw:Help:Foo#Sec]] [[wikipedia:bar baz]] [[mw:Zed]] [[wikipedia:Apple]] [[:mw:Other]]",
    );
    let v = w.get2("action=query&prop=iwlinks&titles=Iw_test_page&iwprop=url&iwlimit=2");
    assert_eq!(
        v["continue"],
        json!({"iwcontinue": format!("{id}|mw|Zed"), "continue": "||"})
    );
    assert_eq!(
        v["query"]["pages"][0]["iwlinks"],
        json!([
            {"prefix": "mw", "url": "https://www.mediawiki.org/wiki/Help:Foo", "title": "Help:Foo"},
            {"prefix": "mw", "url": "https://www.mediawiki.org/wiki/Other", "title": "Other"}
        ])
    );
    // The rest, in formatversion 1 with the deprecated iwurl.
    let v = w.get(&format!(
        "action=query&prop=iwlinks&titles=Iw_test_page&iwurl=1&iwcontinue={id}|mw|Zed"
    ));
    assert_eq!(
        v["warnings"]["iwlinks"],
        json!({"*": "The parameter \"iwurl\" has been deprecated."})
    );
    assert_eq!(
        v["query"]["pages"][id.to_string()]["iwlinks"],
        json!([
            {"prefix": "mw", "url": "https://www.mediawiki.org/wiki/Zed", "*": "Zed"},
            {"prefix": "wikipedia", "url": "https://en.wikipedia.org/wiki/Apple", "*": "Apple"},
            {"prefix": "wikipedia", "url": "https://en.wikipedia.org/wiki/bar_baz", "*": "bar_baz"}
        ])
    );
    // One prefix, descending, without urls.
    let v =
        w.get2("action=query&prop=iwlinks&titles=Iw_test_page&iwprefix=wikipedia&iwdir=descending");
    assert_eq!(
        v["query"]["pages"][0]["iwlinks"],
        json!([
            {"prefix": "wikipedia", "title": "bar_baz"},
            {"prefix": "wikipedia", "title": "Apple"}
        ])
    );
    let e = w.get2("action=query&prop=iwlinks&titles=Iw_test_page&iwprop=url&iwurl=1");
    assert_eq!(e["error"]["code"], "invalidparammix");
    assert_eq!(
        e["error"]["info"],
        "The parameters \"iwprop\" and \"iwurl\" can not be used together."
    );
    let e = w.get2("action=query&prop=iwlinks&titles=Iw_test_page&iwtitle=Zed");
    assert_eq!(
        e["error"]["info"],
        "The \"iwtitle\" parameter may only be used with \"iwprefix\"."
    );
    let e = w.get2("action=query&prop=iwlinks&titles=Iw_test_page&iwcontinue=1");
    assert_eq!(e["error"]["code"], "badcontinue");
}

/// `list=backlinks&blredirect`: the pages linking through each redirect come as
/// `redirlinks`, with MediaWiki's six-part continuation (which repeats the first
/// query's pages) and halved limits; recorded from MediaWiki 1.39 on the same pages.
#[test]
fn backlinks_through_redirects() {
    let w = TestWiki::start();
    w.put_page(0, "Blr_target", "x");
    let (r1, _) = w.put_page(0, "Blr_R1", "#REDIRECT [[Blr target]]");
    let (r2, _) = w.put_page(0, "Blr_R2", "#REDIRECT [[Blr target]]");
    let (a1, _) = w.put_page(0, "Blr_A1", "[[Blr R1]]");
    let (a2, _) = w.put_page(0, "Blr_A2", "[[Blr R1]] [[Blr R2]]");
    let (a3, _) = w.put_page(1, "Blr_A3", "[[Blr R1]]");
    let (b1, _) = w.put_page(0, "Blr_B1", "[[Blr R2]]");
    let (c, _) = w.put_page(0, "Blr_C", "[[Blr target]]");
    let (r3, _) = w.put_page(0, "Blr_R3", "#REDIRECT [[Blr R1]]");
    let page = |id: i64, ns: i32, t: &str| json!({"pageid": id, "ns": ns, "title": t});
    let redir = |id: i64, t: &str| json!({"pageid": id, "ns": 0, "title": t, "redirect": true});
    let q = "action=query&list=backlinks&bltitle=Blr_target&blredirect=1&bllimit=2";
    let v = w.get2(q);
    assert_eq!(
        v["query"]["backlinks"],
        json!([
            {"pageid": r1, "ns": 0, "title": "Blr R1", "redirect": true,
             "redirlinks": [page(a1, 0, "Blr A1"), page(a2, 0, "Blr A2")]},
            redir(r2, "Blr R2")
        ])
    );
    let cont = format!("0|{r1}|0|Blr_R1|1|{a3}");
    assert_eq!(v["continue"]["blcontinue"], cont.as_str());
    let v = w.get2(&format!("{q}&blcontinue={cont}"));
    assert_eq!(
        v["query"]["backlinks"],
        json!([
            {"pageid": r1, "ns": 0, "title": "Blr R1", "redirect": true,
             "redirlinks": [page(a3, 1, "Talk:Blr A3"), redir(r3, "Blr R3")]},
            redir(r2, "Blr R2")
        ])
    );
    let cont = format!("0|{r1}|0|Blr_R2|0|{a2}");
    assert_eq!(v["continue"]["blcontinue"], cont.as_str());
    let v = w.get2(&format!("{q}&blcontinue={cont}"));
    assert_eq!(
        v["query"]["backlinks"],
        json!([
            redir(r1, "Blr R1"),
            {"pageid": r2, "ns": 0, "title": "Blr R2", "redirect": true,
             "redirlinks": [page(a2, 0, "Blr A2"), page(b1, 0, "Blr B1")]}
        ])
    );
    let cont = format!("0|{c}");
    assert_eq!(v["continue"]["blcontinue"], cont.as_str());
    let v = w.get2(&format!("{q}&blcontinue={cont}"));
    assert_eq!(v["query"]["backlinks"], json!([page(c, 0, "Blr C")]));
    assert!(v.get("continue").is_none());
    // nonredirects filters only the redirects' links.
    let v = w.get2(
        "action=query&list=backlinks&bltitle=Blr_target&blredirect=1&blfilterredir=nonredirects",
    );
    let top: Vec<i64> = v["query"]["backlinks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["pageid"].as_i64().unwrap())
        .collect();
    assert_eq!(top, vec![r1, r2, c]);
    assert_eq!(
        v["query"]["backlinks"][0]["redirlinks"],
        json!([
            page(a1, 0, "Blr A1"),
            page(a2, 0, "Blr A2"),
            page(a3, 1, "Talk:Blr A3")
        ])
    );
    // As a generator: both levels are pages of the set.
    let v = w.get2("action=query&generator=backlinks&gbltitle=Blr_target&gblredirect=1&gbllimit=2");
    let ids: Vec<i64> = v["query"]["pages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["pageid"].as_i64().unwrap())
        .collect();
    assert_eq!(ids, vec![r1, r2, a1, a2]);
    assert_eq!(
        v["continue"]["gblcontinue"],
        format!("0|{r1}|0|Blr_R1|1|{a3}")
    );
    // Limits are halved.
    let v = w.get2("action=query&list=backlinks&bltitle=Blr_target&blredirect=1&bllimit=max");
    assert_eq!(v["limits"], json!({"backlinks": 250}));
    let v = w.get2("action=query&list=backlinks&bltitle=Blr_target&blredirect=1&bllimit=600");
    assert_eq!(
        v["warnings"]["backlinks"]["warnings"],
        "The value \"600\" for parameter \"bllimit\" must be between 1 and 500.\n\
         The value \"500\" for parameter \"bllimit\" must be between 1 and 250."
    );
    let e = w.get2("action=query&list=backlinks&bltitle=Blr_target&blcontinue=0|01");
    assert_eq!(e["error"]["code"], "badcontinue");
}
