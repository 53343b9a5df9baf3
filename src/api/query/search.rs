//! `list=search`: full-text search over titles or page text (the SQLite FTS5
//! index `searchindex` that page saves keep); usable as a generator.
//! https://www.mediawiki.org/wiki/API:Search (mirrors includes/api/ApiQuerySearch.php and
//! includes/search/SearchSqlite.php, the engine of a MediaWiki on SQLite)

use crate::api::error::{ApiError, ApiResult};
use crate::api::params::{PType, ParamDef, Params};
use crate::api::query::linkutil::{read_err, title_text};
use crate::api::query::pageset::Generated;
use crate::api::query::prefixsearch::namespace_prefix;
use crate::api::result::{List, Map};
use crate::api::{CacheMode, Cx, Group, ModuleDef};
use crate::storage::search::{SearchField, SearchQuery};
use crate::storage::Page;
use crate::util::time;

const PROPS: &[&str] = &[
    "categorysnippet",
    "extensiondata",
    "isfilematch",
    "redirectsnippet",
    "redirecttitle",
    "sectionsnippet",
    "sectiontitle",
    "size",
    "snippet",
    "timestamp",
    "titlesnippet",
    "wordcount",
    "hasrelated",
    "score",
];

static PARAMS: &[ParamDef] = &[
    ParamDef::string("search")
        .required()
        .help("What to search for: words (all must occur), \"quoted phrases\", word* for word beginnings, -word to leave pages with it out."),
    ParamDef::new("namespace", PType::Namespace)
        .multi()
        .allow_all()
        .default("0")
        .help("Namespaces to search. A namespace name (or all:) before a colon in the search text takes precedence."),
    ParamDef::limit("limit", 500, 5000)
        .default("10")
        .help("Largest number of pages in one answer."),
    ParamDef::integer("offset")
        .default("0")
        .help("How many matches to skip; continuation answers give the next value."),
    ParamDef::enumeration("what", &["nearmatch", "text", "title"])
        .help("Where to search: the titles (the default here), the page texts, or only for a page with exactly that title."),
    ParamDef::enumeration("info", &["rewrittenquery", "suggestion", "totalhits"])
        .multi()
        .default("totalhits|suggestion|rewrittenquery")
        .help("Facts about the search to add to the answer."),
    ParamDef::enumeration("prop", PROPS)
        .multi()
        .default("size|wordcount|timestamp|snippet")
        .deprecated_values(&["hasrelated", "score"])
        .help("What to tell about each page found.")
        .value_help(&[
            ("size", "The length of the page text in bytes."),
            ("wordcount", "The number of words of the page text."),
            ("timestamp", "When the page was last edited."),
            ("snippet", "Lines of the text around the matches, with the matches marked up as HTML."),
            ("titlesnippet", "The title with the matches marked (empty with this search engine)."),
            ("redirecttitle", "The redirect that matched (never given by this search engine)."),
            ("redirectsnippet", "The matching redirect title, marked up (never given by this search engine)."),
            ("sectiontitle", "The section that matched (never given by this search engine)."),
            ("sectionsnippet", "The matching section title, marked up (never given by this search engine)."),
            ("isfilematch", "Whether the match was in a file's contents."),
            ("categorysnippet", "The matching categories, marked up (empty with this search engine)."),
            ("score", "Ignored."),
            ("hasrelated", "Ignored."),
            ("extensiondata", "Data added by extensions."),
        ]),
    ParamDef::boolean("interwiki").help("Also search other wikis, where the search engine can."),
    ParamDef::boolean("enablerewrites")
        .help("Let the search engine search for a corrected query when it finds better results that way."),
    ParamDef::enumeration("sort", &["relevance"])
        .default("relevance")
        .help("Order of the results."),
];

pub static SEARCH: ModuleDef = ModuleDef {
    cache_mode: CacheMode::Public,
    prefix: "sr",
    summary: "Search the titles or texts of the wiki's pages.",
    params: PARAMS,
    help_urls: &["https://www.mediawiki.org/wiki/Special:MyLanguage/API:Search"],
    examples: &[
        (
            "action=query&list=search&srsearch=meaning",
            "Pages whose titles contain the word meaning.",
        ),
        (
            "action=query&list=search&srwhat=text&srsearch=meaning",
            "Pages whose texts contain the word meaning.",
        ),
        (
            "action=query&generator=search&gsrsearch=meaning&prop=info",
            "Page information for the pages found by a search for meaning.",
        ),
    ],
    execute: Some(execute),
    generate: Some(generate),
    ..ModuleDef::new("search", Group::List, "ApiQuerySearch")
};

/// One term of a search: how MediaWiki's SQLite engine reads the query.
#[derive(Debug, Clone, PartialEq)]
struct Term {
    /// `-` to exclude, another modifier (`+<>~`) or none.
    modifier: Option<char>,
    text: String,
    wildcard: bool,
    phrase: bool,
}

/// Characters a search term consists of (`SearchEngine::legalSearchChars`).
fn legal(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '_' | '\'' | '.' | '-') || !c.is_ascii()
}

/// Lower-cases the query and blanks what cannot occur in it, then splits it
/// into terms (`SearchSqlite::parseQuery`).
fn parse_terms(query: &str) -> Vec<Term> {
    let filtered: String = query
        .to_lowercase()
        .chars()
        .map(|c| {
            if legal(c) || c == '"' || c == '*' {
                c
            } else {
                ' '
            }
        })
        .collect();
    let chars: Vec<char> = filtered.trim().chars().collect();
    let mut terms = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let mut j = i;
        let modifier = match chars[j] {
            c @ ('-' | '+' | '<' | '>' | '~') => {
                // A modifier only counts when a term follows it.
                let next = chars.get(j + 1).copied();
                if next.is_some_and(|n| legal(n) || n == '"') {
                    j += 1;
                    Some(c)
                } else {
                    None
                }
            }
            _ => None,
        };
        if chars.get(j) == Some(&'"') {
            if let Some(end) = chars[j + 1..].iter().position(|c| *c == '"') {
                let text: String = chars[j + 1..j + 1 + end].iter().collect();
                terms.push(Term {
                    modifier,
                    text,
                    wildcard: false,
                    phrase: true,
                });
                i = j + end + 2;
                continue;
            }
            i += 1;
            continue;
        }
        let start = j;
        while j < chars.len() && legal(chars[j]) {
            j += 1;
        }
        if j == start {
            i += 1;
            continue;
        }
        let text: String = chars[start..j].iter().collect();
        let wildcard = chars.get(j) == Some(&'*');
        if wildcard {
            j += 1;
        }
        terms.push(Term {
            modifier,
            text,
            wildcard,
            phrase: false,
        });
        i = j;
    }
    terms
}

/// The terms as an FTS5 expression: every wanted term must occur, excluded
/// ones must not. Empty when nothing is wanted.
fn fts_expr(terms: &[Term]) -> String {
    let quote = |t: &Term| {
        let mut s = format!("\"{}\"", t.text.replace('"', "\"\""));
        if t.wildcard {
            s.push('*');
        }
        s
    };
    let wanted: Vec<String> = terms
        .iter()
        .filter(|t| t.modifier != Some('-') && t.text.chars().any(|c| c.is_alphanumeric()))
        .map(quote)
        .collect();
    if wanted.is_empty() {
        return String::new();
    }
    let mut expr = wanted.join(" AND ");
    for t in terms.iter().filter(|t| t.modifier == Some('-')) {
        if t.text.chars().any(|c| c.is_alphanumeric()) {
            expr = format!("({expr}) NOT {}", quote(t));
        }
    }
    expr
}

fn is_word_byte(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// Where a term matches `line` at char position `at` (case-insensitively, on
/// word boundaries): the length of the match in chars.
fn term_at(line: &[char], at: usize, term: &Term) -> Option<usize> {
    let t: Vec<char> = term.text.chars().collect();
    if t.is_empty() || at + t.len() > line.len() {
        return None;
    }
    for (k, c) in t.iter().enumerate() {
        if !line[at + k].to_lowercase().eq(c.to_lowercase()) {
            return None;
        }
    }
    let boundary = |a: Option<char>, b: Option<char>| {
        a.is_some_and(is_word_byte) != b.is_some_and(is_word_byte)
    };
    let before = at.checked_sub(1).map(|i| line[i]);
    if !boundary(before, Some(t[0])) {
        return None;
    }
    if !term.wildcard && !boundary(Some(t[t.len() - 1]), line.get(at + t.len()).copied()) {
        return None;
    }
    Some(t.len())
}

/// The first term matching at `at`, in query order.
fn any_term_at(line: &[char], at: usize, terms: &[Term]) -> Option<usize> {
    terms.iter().find_map(|t| term_at(line, at, t))
}

/// PHP's `htmlspecialchars` with its default flags.
fn html_special_chars(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#039;"),
            c => out.push(c),
        }
    }
    out
}

const CONTEXT_LINES: usize = 2;
const CONTEXT_CHARS: usize = 75;

/// `SearchHighlighter::highlightSimple`: up to two lines with a match, each cut
/// to the text around its last match, matches wrapped in a searchmatch span.
fn snippet(text: &str, terms: &[Term]) -> String {
    let mut out = String::new();
    let mut lines_left = CONTEXT_LINES;
    for line in text.split('\n') {
        if lines_left == 0 {
            break;
        }
        let chars: Vec<char> = line.chars().collect();
        let Some((at, len)) = (0..chars.len())
            .rev()
            .find_map(|i| any_term_at(&chars, i, terms).map(|l| (i, l)))
        else {
            continue;
        };
        lines_left -= 1;
        let pre: String = chars[..at].iter().collect();
        let found: String = chars[at..at + len].iter().collect();
        let post: String = chars[at + len..(at + len + CONTEXT_CHARS + 1).min(chars.len())]
            .iter()
            .collect();
        let pre_n = pre.chars().count();
        let pre = if pre_n > CONTEXT_CHARS {
            let tail: String = pre.chars().skip(pre_n - CONTEXT_CHARS).collect();
            format!("...{}", tail.trim_start())
        } else {
            pre
        };
        let post = if post.chars().count() > CONTEXT_CHARS {
            let head: String = post.chars().take(CONTEXT_CHARS).collect();
            format!("{}...", head.trim_end())
        } else {
            post
        };
        let escaped: Vec<char> = html_special_chars(&format!("{pre}{found}{post}"))
            .chars()
            .collect();
        let mut i = 0;
        while i < escaped.len() {
            if let Some(l) = any_term_at(&escaped, i, terms) {
                out.push_str("<span class='searchmatch'>");
                out.extend(&escaped[i..i + l]);
                out.push_str("</span>");
                i += l;
            } else {
                out.push(escaped[i]);
                i += 1;
            }
        }
        out.push('\n');
    }
    out
}

/// PHP's `str_word_count`: runs of ASCII letters, `'` and `-`.
fn word_count(text: &str) -> i64 {
    let mut bytes = text.as_bytes();
    if let Some(rest) = bytes
        .strip_prefix(b"'")
        .or_else(|| bytes.strip_prefix(b"-"))
    {
        bytes = rest;
    }
    if let Some(rest) = bytes.strip_suffix(b"-") {
        bytes = rest;
    }
    let mut count = 0;
    let mut in_word = false;
    for b in bytes {
        let w = b.is_ascii_alphabetic() || *b == b'\'' || *b == b'-';
        if w && !in_word {
            count += 1;
        }
        in_word = w;
    }
    count
}

struct Found {
    pages: Vec<Page>,
    total: Option<i64>,
    terms: Vec<Term>,
    more: bool,
    /// Snippets are empty for near matches (no terms to mark).
    near: bool,
}

fn run(cx: &mut Cx<'_>, p: &Params) -> ApiResult<Found> {
    let query = p.str("search").unwrap_or_default().to_string();
    let limit = p.int("limit").unwrap_or(10).max(1) as usize;
    let offset = p.int("offset").unwrap_or(0);
    let mut namespaces: Option<Vec<i32>> = Some(
        p.list("namespace")
            .iter()
            .filter_map(|n| n.parse().ok())
            .filter(|n| *n >= 0)
            .collect(),
    );
    let what = p.str("what").unwrap_or("title");
    if what == "nearmatch" {
        let mut pages = Vec::new();
        if let Some(pg) = near_match(cx, &query)? {
            pages.push(pg);
        }
        return Ok(Found {
            pages,
            total: None,
            terms: Vec::new(),
            more: false,
            near: true,
        });
    }
    // A namespace prefix (`Talk:foo`) or `all:` chooses the namespaces.
    let mut term = query.clone();
    if let Some(rest) = query.strip_prefix("all:") {
        term = rest.to_string();
        namespaces = None;
    } else if query.contains(':') {
        if let Some((rest, ns)) = namespace_prefix(cx, &query) {
            term = rest;
            namespaces = Some(vec![ns]);
        }
    }
    let terms = parse_terms(&term);
    let q = SearchQuery {
        expr: fts_expr(&terms),
        field: if what == "text" {
            SearchField::Text
        } else {
            SearchField::Title
        },
        namespaces,
        limit: limit + 1,
        offset: offset.max(0) as usize,
    };
    let mut r = cx.app.store.read().map_err(read_err)?;
    let (mut pages, total) = r.search_pages(&q).map_err(|e| {
        // A query the index cannot read finds nothing, as in MediaWiki.
        ApiError::internal(e)
    })?;
    let more = pages.len() > limit;
    pages.truncate(limit);
    Ok(Found {
        pages,
        total: Some(total),
        terms,
        more,
        near: false,
    })
}

/// `SearchNearMatcher`: a page whose title is the search text, tried as given,
/// lower-cased, with every word capitalised and upper-cased.
fn near_match(cx: &mut Cx<'_>, search: &str) -> ApiResult<Option<Page>> {
    let s = search.trim();
    if s.is_empty() {
        return Ok(None);
    }
    let lower = s.to_lowercase();
    let words: String = lower
        .split(' ')
        .map(crate::wiki::title::ucfirst)
        .collect::<Vec<_>>()
        .join(" ");
    let mut r = cx.app.store.read().map_err(read_err)?;
    for cand in [s.to_string(), lower.clone(), words, s.to_uppercase()] {
        if let Ok(t) = cx.app.titles.parse(&cand, 0) {
            if t.interwiki.is_empty() && t.ns >= 0 {
                if let Some(pg) = r.page_by_title(t.ns, &t.dbkey).map_err(read_err)? {
                    return Ok(Some(pg));
                }
            }
        }
    }
    Ok(None)
}

/// The requested facts about one page found.
fn result_data(cx: &mut Cx<'_>, p: &Params, pg: &Page, found: &Found) -> ApiResult<Map> {
    let props = p.list("prop").to_vec();
    let has = |n: &str| props.iter().any(|x| x == n);
    let mut m = Map::new()
        .with("ns", pg.ns)
        .with("title", title_text(cx, pg.ns, &pg.title))
        .with("pageid", pg.id);
    let need_text = has("size") || has("wordcount") || has("snippet") || has("timestamp");
    let (text, stamp) = if need_text {
        let mut r = cx.app.store.read().map_err(read_err)?;
        match r.revision(pg.latest).map_err(read_err)? {
            Some(rev) => (
                r.content_text(rev.content_id)
                    .map_err(read_err)?
                    .unwrap_or_default(),
                rev.timestamp,
            ),
            None => (String::new(), String::new()),
        }
    } else {
        (String::new(), String::new())
    };
    if has("size") {
        m.set("size", text.len() as i64);
    }
    if has("wordcount") {
        m.set("wordcount", word_count(&text));
    }
    if has("snippet") {
        let s = if found.near || found.terms.is_empty() {
            String::new()
        } else {
            snippet(&text, &found.terms)
        };
        m.set("snippet", s);
    }
    if has("timestamp") {
        m.set("timestamp", time::mw_to_iso(&stamp));
    }
    if has("titlesnippet") {
        m.set("titlesnippet", "");
    }
    if has("categorysnippet") {
        m.set("categorysnippet", "");
    }
    if has("isfilematch") {
        m.set("isfilematch", false);
    }
    Ok(m)
}

fn execute(cx: &mut Cx<'_>, p: &Params) -> ApiResult<()> {
    let found = run(cx, p)?;
    let offset = p.int("offset").unwrap_or(0);
    let limit = p.int("limit").unwrap_or(10);
    if p.list("info").iter().any(|i| i == "totalhits") {
        if let Some(t) = found.total {
            cx.result
                .map_mut("query")
                .map_mut("searchinfo")
                .set("totalhits", t);
        }
    }
    if found.more {
        cx.add_continue(&SEARCH, "offset", offset + limit);
    }
    let mut list = List::new("p");
    for pg in &found.pages {
        let m = result_data(cx, p, pg, &found)?;
        list.push(m);
    }
    cx.result.map_mut("query").set("search", list);
    Ok(())
}

fn generate(cx: &mut Cx<'_>, p: &Params) -> ApiResult<Generated> {
    let found = run(cx, p)?;
    let offset = p.int("offset").unwrap_or(0);
    let limit = p.int("limit").unwrap_or(10);
    let mut g = Generated::default();
    for (i, pg) in found.pages.iter().enumerate() {
        // Only the position is attached to the page (as MediaWiki shows it).
        let data = Map::new().with("index", offset + i as i64 + 1);
        g.data.push(((pg.ns, pg.title.clone()), data));
        g.pages.push(pg.clone());
    }
    if found.more {
        g.continues.push(("offset", (offset + limit).into()));
    }
    Ok(g)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terms_and_expressions() {
        let t = parse_terms("Feel  free -edit \"a simple\" box*");
        assert_eq!(t.len(), 5);
        assert_eq!(t[2].modifier, Some('-'));
        assert!(t[3].phrase && t[4].wildcard);
        assert_eq!(
            fts_expr(&t),
            "(\"feel\" AND \"free\" AND \"a simple\" AND \"box\"*) NOT \"edit\""
        );
        assert_eq!(fts_expr(&parse_terms("*")), "");
    }

    #[test]
    fn snippets_like_mediawiki() {
        let t = parse_terms("feel free");
        assert_eq!(
            snippet("This is the sandbox. Feel free to edit.\n[[Category:X]]", &t),
            "This is the sandbox. <span class='searchmatch'>Feel</span> <span class='searchmatch'>free</span> to edit.\n"
        );
        let t = parse_terms("box");
        assert_eq!(
            snippet("Uses the box template.\n{{Box|x}}\nbox again\nbox", &t),
            "Uses the <span class='searchmatch'>box</span> template.\n{{<span class='searchmatch'>Box</span>|x}}\n"
        );
        assert_eq!(
            word_count("This is the sandbox. Feel free to edit.\n[[Category:Refwiki pages]]"),
            11
        );
    }
}
