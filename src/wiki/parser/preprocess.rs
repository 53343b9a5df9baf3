//! The preprocessor's first half: wikitext → a tree of text, templates
//! (`{{…}}`), arguments (`{{{…}}}`), extension tags, headings and nothing else,
//! following the rules of MediaWiki's hash preprocessor (brace matching, `|` and
//! `=` splitting, `[[…]]` grouping, comment whitespace eating, the
//! `<noinclude>`/`<includeonly>`/`<onlyinclude>` modes).
//!
//! The builder is iterative (an explicit stack) and caps nesting, so no input can
//! exhaust the call stack while building, expanding or dropping a tree.

/// Deepest brace nesting kept as structure; deeper openings stay literal text.
const MAX_NESTING: usize = 200;
/// Most opening braces open at once (each may nest one level).
const MAX_OPEN: usize = 400;

/// Extension tags this wiki knows (as the reference wiki: core only).
pub const EXT_TAGS: &[&str] = &["pre", "nowiki", "gallery", "indicator", "langconvert"];

#[derive(Debug, Clone)]
pub enum Node {
    Text(String),
    Template(Box<Brace>),
    Arg(Box<Brace>),
    Ext(Box<ExtTag>),
    Heading {
        level: usize,
        /// 1-based index among this text's headings.
        index: usize,
        /// Byte offset of the heading in the source text.
        offset: usize,
        children: Vec<Node>,
    },
}

/// `{{…}}` or `{{{…}}}`: the first part is the title (or argument name).
#[derive(Debug, Clone)]
pub struct Brace {
    pub parts: Vec<Part>,
    /// The opening braces start a line.
    pub line_start: bool,
}

#[derive(Debug, Clone, Default)]
pub struct Part {
    /// `name=` of a named part.
    pub name: Option<Vec<Node>>,
    pub value: Vec<Node>,
}

#[derive(Debug, Clone)]
pub struct ExtTag {
    pub name: String,
    pub attrs: String,
    /// `None` for `<tag/>`.
    pub inner: Option<String>,
    pub raw: String,
}

#[derive(Default)]
struct PartAcc {
    name: Option<Vec<Node>>,
    nodes: Vec<Node>,
    comment_end: Option<usize>,
    visual_end: Option<usize>,
}

struct Piece {
    open: u8,
    count: usize,
    parts: Vec<PartAcc>,
    start: usize,
    line_start: bool,
}

impl Piece {
    fn find_pipe(&self) -> bool {
        self.open != b'\n' && self.open != b'['
    }
    fn find_equals(&self) -> bool {
        self.find_pipe()
            && self.parts.len() > 1
            && self.parts.last().is_some_and(|p| p.name.is_none())
    }
}

fn push_text(acc: &mut Vec<Node>, s: &str) {
    if s.is_empty() {
        return;
    }
    if let Some(Node::Text(t)) = acc.last_mut() {
        t.push_str(s);
    } else {
        acc.push(Node::Text(s.to_string()));
    }
}

fn push_nodes(acc: &mut Vec<Node>, nodes: Vec<Node>) {
    for n in nodes {
        match n {
            Node::Text(t) => push_text(acc, &t),
            other => acc.push(other),
        }
    }
}

struct Builder {
    root: Vec<Node>,
    stack: Vec<Piece>,
}

impl Builder {
    fn acc(&mut self) -> &mut Vec<Node> {
        match self.stack.last_mut() {
            Some(p) => &mut p.parts.last_mut().expect("a piece has a part").nodes,
            None => &mut self.root,
        }
    }
    fn part(&mut self) -> Option<&mut PartAcc> {
        self.stack.last_mut().and_then(|p| p.parts.last_mut())
    }
}

/// Literal text of an unclosed piece: its opening, its parts joined by `|`.
fn break_syntax(piece: Piece) -> Vec<Node> {
    let mut out = Vec::new();
    if piece.open == b'\n' {
        for p in piece.parts {
            push_nodes(&mut out, p.nodes);
        }
        return out;
    }
    let open = (piece.open as char).to_string().repeat(piece.count);
    push_text(&mut out, &open);
    for (i, p) in piece.parts.into_iter().enumerate() {
        if i > 0 {
            push_text(&mut out, "|");
        }
        if let Some(name) = p.name {
            push_nodes(&mut out, name);
            push_text(&mut out, "=");
        }
        push_nodes(&mut out, p.nodes);
    }
    out
}

fn ci_starts_with(hay: &[u8], at: usize, needle: &str) -> bool {
    hay.len() >= at + needle.len()
        && hay[at..at + needle.len()].eq_ignore_ascii_case(needle.as_bytes())
}

/// Position of `</name\s*>` (case-insensitive) at or after `from`: (start, end).
fn find_close_tag(b: &[u8], from: usize, name: &str) -> Option<(usize, usize)> {
    let mut i = from;
    while i + 2 + name.len() <= b.len() {
        let rel = b[i..].iter().position(|&c| c == b'<')?;
        i += rel;
        if b.get(i + 1) == Some(&b'/') && ci_starts_with(b, i + 2, name) {
            let mut j = i + 2 + name.len();
            while j < b.len() && b[j].is_ascii_whitespace() {
                j += 1;
            }
            if b.get(j) == Some(&b'>') {
                return Some((i, j + 1));
            }
        }
        i += 1;
    }
    None
}

fn find_str(b: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    if from >= b.len() {
        return None;
    }
    b[from..]
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| p + from)
}

/// Builds the tree of `text`; `for_inclusion` when the text is transcluded.
pub fn preprocess(text: &str, for_inclusion: bool) -> Vec<Node> {
    let b = text.as_bytes();
    let len = b.len();
    let mut bl = Builder {
        root: Vec::new(),
        stack: Vec::new(),
    };
    let (ignored_tags, ignored_elements): (&[&str], &[&str]) = if for_inclusion {
        (&["includeonly", "/includeonly"], &["noinclude"])
    } else {
        (
            &["noinclude", "/noinclude", "onlyinclude", "/onlyinclude"],
            &["includeonly"],
        )
    };
    let mut i = 0;
    let mut enable_only = false;
    if for_inclusion && text.contains("<onlyinclude>") && text.contains("</onlyinclude>") {
        enable_only = true;
        i = match text.find("<onlyinclude>") {
            Some(p) => p + "<onlyinclude>".len(),
            None => len,
        };
    }
    let mut heading_index = 1;
    let mut no_more_close: Vec<String> = Vec::new();
    let mut fake_line_start = true;
    loop {
        if fake_line_start {
            fake_line_start = false;
            // A heading may open at the very start of the text.
            let count = b[i..].iter().take(6).take_while(|&&c| c == b'=').count();
            if count > 0 && bl.stack.len() < MAX_NESTING {
                let mut part = PartAcc::default();
                push_text(&mut part.nodes, &"=".repeat(count));
                bl.stack.push(Piece {
                    open: b'\n',
                    count,
                    parts: vec![part],
                    start: i,
                    line_start: true,
                });
                i += count;
            }
        }
        // Find the next interesting byte.
        let (find_pipe, find_equals, close, in_heading) = match bl.stack.last() {
            Some(p) => (
                p.find_pipe(),
                p.find_equals(),
                match p.open {
                    b'{' => Some(b'}'),
                    b'[' => Some(b']'),
                    _ => None,
                },
                p.open == b'\n',
            ),
            None => (false, false, None, false),
        };
        let mut j = i;
        while j < len {
            let c = b[j];
            if c == b'<'
                || c == b'{'
                || c == b'['
                || c == b'\n'
                || (find_pipe && c == b'|')
                || (find_equals && c == b'=')
                || Some(c) == close
            {
                break;
            }
            j += 1;
        }
        if j > i {
            push_text(bl.acc(), &text[i..j]);
        }
        i = j;
        if i >= len {
            if in_heading {
                close_heading(&mut bl, b, i, &mut heading_index);
                continue;
            }
            break;
        }
        let c = b[i];
        match c {
            b'\n' => {
                if in_heading {
                    close_heading(&mut bl, b, i, &mut heading_index);
                    continue;
                }
                push_text(bl.acc(), "\n");
                i += 1;
                let count = b[i..].iter().take(6).take_while(|&&c| c == b'=').count();
                if count == 1 && find_equals {
                    // Looks like a name/value separator: leave it to `=`.
                } else if count > 0 && bl.stack.len() < MAX_NESTING {
                    let mut part = PartAcc::default();
                    push_text(&mut part.nodes, &"=".repeat(count));
                    bl.stack.push(Piece {
                        open: b'\n',
                        count,
                        parts: vec![part],
                        start: i,
                        line_start: true,
                    });
                    i += count;
                }
            }
            b'{' | b'[' => {
                let count = b[i..].iter().take_while(|&&x| x == c).count();
                let open: usize = bl.stack.iter().map(|p| p.count).sum();
                if count >= 2 && bl.stack.len() < MAX_NESTING && open + count <= MAX_OPEN {
                    bl.stack.push(Piece {
                        open: c,
                        count,
                        parts: vec![PartAcc::default()],
                        start: i,
                        line_start: i == 0 || b[i - 1] == b'\n',
                    });
                } else {
                    push_text(bl.acc(), &text[i..i + count]);
                }
                i += count;
            }
            b'|' => {
                if let Some(p) = bl.stack.last_mut() {
                    p.parts.push(PartAcc::default());
                }
                i += 1;
            }
            b'=' => {
                if let Some(part) = bl.part() {
                    let nodes = std::mem::take(&mut part.nodes);
                    part.name = Some(nodes);
                }
                i += 1;
            }
            b'}' | b']' => {
                let Some(piece) = bl.stack.last() else {
                    push_text(bl.acc(), &text[i..i + 1]);
                    i += 1;
                    continue;
                };
                let count = b[i..]
                    .iter()
                    .take(piece.count)
                    .take_while(|&&x| x == c)
                    .count();
                let (max, valid): (usize, &[usize]) =
                    if c == b'}' { (3, &[2, 3]) } else { (2, &[2]) };
                let mut matching = count.min(max);
                while matching > 0 && !valid.contains(&matching) {
                    matching -= 1;
                }
                if matching == 0 {
                    push_text(bl.acc(), &text[i..i + count]);
                    i += count;
                    continue;
                }
                let mut piece = bl.stack.pop().expect("checked above");
                let parts: Vec<Part> = std::mem::take(&mut piece.parts)
                    .into_iter()
                    .map(|p| Part {
                        name: p.name,
                        value: p.nodes,
                    })
                    .collect();
                let element: Vec<Node> = if c == b'}' {
                    let brace = Box::new(Brace {
                        parts,
                        line_start: piece.line_start,
                    });
                    if matching == 3 {
                        vec![Node::Arg(brace)]
                    } else {
                        vec![Node::Template(brace)]
                    }
                } else {
                    let mut out = Vec::new();
                    push_text(&mut out, "[[");
                    for (k, p) in parts.into_iter().enumerate() {
                        if k > 0 {
                            push_text(&mut out, "|");
                        }
                        if let Some(n) = p.name {
                            push_nodes(&mut out, n);
                            push_text(&mut out, "=");
                        }
                        push_nodes(&mut out, p.value);
                    }
                    push_text(&mut out, "]]");
                    out
                };
                i += matching;
                if matching < piece.count {
                    let rest = piece.count - matching;
                    if rest >= 2 {
                        bl.stack.push(Piece {
                            open: piece.open,
                            count: rest,
                            parts: vec![PartAcc::default()],
                            start: piece.start,
                            line_start: piece.line_start,
                        });
                    } else {
                        let s = (piece.open as char).to_string().repeat(rest);
                        push_text(bl.acc(), &s);
                    }
                }
                push_nodes(bl.acc(), element);
            }
            b'<' => {
                if b[i..].starts_with(b"<!--") {
                    let Some(end) = find_str(b, i + 4, b"-->") else {
                        // Unclosed comment: runs to the end.
                        i = len;
                        continue;
                    };
                    // Leading whitespace on the line, trailing whitespace and
                    // further comments after it.
                    let ws_start = i - b[..i]
                        .iter()
                        .rev()
                        .take_while(|&&x| x == b' ' || x == b'\t')
                        .count();
                    let mut cend = end + 3;
                    let mut ws_end;
                    loop {
                        let mut k = cend;
                        while k < len && (b[k] == b' ' || b[k] == b'\t') {
                            k += 1;
                        }
                        ws_end = k;
                        if b[k..].starts_with(b"<!--") {
                            if let Some(e2) = find_str(b, k + 4, b"-->") {
                                cend = e2 + 3;
                                continue;
                            }
                        }
                        break;
                    }
                    if ws_start > 0
                        && b[ws_start - 1] == b'\n'
                        && ws_end < len
                        && b[ws_end] == b'\n'
                    {
                        // The comment fills its line: eat the line.
                        let strip = i - ws_start;
                        if let Some(Node::Text(t)) = bl.acc().last_mut() {
                            let keep = t.len().saturating_sub(strip);
                            if t.as_bytes()[keep..]
                                .iter()
                                .all(|&x| x == b' ' || x == b'\t')
                            {
                                t.truncate(keep);
                            }
                        }
                        i = ws_end + 1;
                    } else {
                        if in_heading {
                            if let Some(part) = bl.part() {
                                part.comment_end = Some(cend - 1);
                                part.visual_end = Some(i);
                            }
                        }
                        i = cend;
                    }
                    continue;
                }
                // An xmlish tag?
                let closing = b.get(i + 1) == Some(&b'/');
                let name_start = if closing { i + 2 } else { i + 1 };
                let mut ne = name_start;
                while ne < len && b[ne].is_ascii_alphanumeric() {
                    ne += 1;
                }
                let lname = text[name_start..ne].to_ascii_lowercase();
                let full = if closing {
                    format!("/{lname}")
                } else {
                    lname.clone()
                };
                let boundary =
                    ne < len && matches!(b[ne], b' ' | b'\t' | b'\n' | b'\r' | b'>' | b'/');
                let known = !lname.is_empty()
                    && boundary
                    && (ignored_tags.contains(&full.as_str())
                        || (!closing
                            && (ignored_elements.contains(&lname.as_str())
                                || EXT_TAGS.contains(&lname.as_str())))
                        || (enable_only && full == "/onlyinclude"));
                if !known {
                    push_text(bl.acc(), "<");
                    i += 1;
                    continue;
                }
                let Some(tag_end) = find_str(b, ne, b">") else {
                    push_text(bl.acc(), "<");
                    i += 1;
                    continue;
                };
                if enable_only && full == "/onlyinclude" {
                    // Skip to the next <onlyinclude>.
                    i = match find_str(b, tag_end + 1, b"<onlyinclude>") {
                        Some(p) => p + "<onlyinclude>".len(),
                        None => len,
                    };
                    continue;
                }
                if ignored_tags.contains(&full.as_str()) {
                    i = tag_end + 1;
                    continue;
                }
                let self_closing = b[tag_end - 1] == b'/';
                if ignored_elements.contains(&lname.as_str()) {
                    i = if self_closing {
                        tag_end + 1
                    } else {
                        match find_close_tag(b, tag_end + 1, &lname) {
                            Some((_, e)) => e,
                            None => len,
                        }
                    };
                    continue;
                }
                // Extension tag.
                let attr_end = if self_closing { tag_end - 1 } else { tag_end };
                let attrs = text[ne..attr_end.max(ne)].to_string();
                if self_closing {
                    bl.acc().push(Node::Ext(Box::new(ExtTag {
                        name: lname,
                        attrs,
                        inner: None,
                        raw: text[i..tag_end + 1].to_string(),
                    })));
                    i = tag_end + 1;
                    continue;
                }
                let close = if no_more_close.contains(&lname) {
                    None
                } else {
                    find_close_tag(b, tag_end + 1, &lname)
                };
                match close {
                    Some((cs, ce)) => {
                        bl.acc().push(Node::Ext(Box::new(ExtTag {
                            name: lname,
                            attrs,
                            inner: Some(text[tag_end + 1..cs].to_string()),
                            raw: text[i..ce].to_string(),
                        })));
                        i = ce;
                    }
                    None => {
                        no_more_close.push(lname);
                        push_text(bl.acc(), &text[i..tag_end + 1]);
                        i = tag_end + 1;
                    }
                }
            }
            _ => {
                push_text(bl.acc(), &text[i..i + 1]);
                i += 1;
            }
        }
    }
    // Unclosed pieces become text.
    while let Some(piece) = bl.stack.pop() {
        let nodes = break_syntax(piece);
        push_nodes(bl.acc(), nodes);
    }
    bl.root
}

fn close_heading(bl: &mut Builder, b: &[u8], i: usize, heading_index: &mut usize) {
    // Only called with a heading on top of the stack; never panic on input anyway.
    let Some(piece) = bl.stack.pop() else {
        return;
    };
    let part = piece.parts.into_iter().last().unwrap_or_default();
    let ws = b[..i]
        .iter()
        .rev()
        .take_while(|&&x| x == b' ' || x == b'\t')
        .count();
    let mut search_start = i - ws;
    if let (Some(ce), Some(ve)) = (part.comment_end, part.visual_end) {
        if search_start >= 1 && search_start - 1 == ce {
            search_start = ve;
            search_start -= b[..search_start]
                .iter()
                .rev()
                .take_while(|&&x| x == b' ' || x == b'\t')
                .count();
        }
    }
    let eq_len = b[..search_start]
        .iter()
        .rev()
        .take_while(|&&x| x == b'=')
        .count();
    let mut count = piece.count;
    let element = if eq_len > 0 {
        if search_start - eq_len == piece.start {
            count = if eq_len < 3 {
                0
            } else {
                ((eq_len - 1) / 2).min(6)
            };
        } else {
            count = eq_len.min(count);
        }
        if count > 0 {
            let h = Node::Heading {
                level: count,
                index: *heading_index,
                offset: piece.start,
                children: part.nodes,
            };
            *heading_index += 1;
            vec![h]
        } else {
            part.nodes
        }
    } else {
        part.nodes
    };
    push_nodes(bl.acc(), element);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shape(nodes: &[Node]) -> String {
        let mut s = String::new();
        for n in nodes {
            match n {
                Node::Text(t) => s.push_str(t),
                Node::Template(b) | Node::Arg(b) => {
                    s.push_str(if matches!(n, Node::Arg(_)) {
                        "A("
                    } else {
                        "T("
                    });
                    for (i, p) in b.parts.iter().enumerate() {
                        if i > 0 {
                            s.push('|');
                        }
                        if let Some(nm) = &p.name {
                            s.push_str(&shape(nm));
                            s.push('=');
                        }
                        s.push_str(&shape(&p.value));
                    }
                    s.push(')');
                }
                Node::Ext(e) => s.push_str(&format!("E({})", e.name)),
                Node::Heading {
                    level, children, ..
                } => s.push_str(&format!("H{level}({})", shape(children))),
            }
        }
        s
    }

    #[test]
    fn braces() {
        assert_eq!(shape(&preprocess("a{{b|c=d|e}}f", false)), "aT(b|c=d|e)f");
        assert_eq!(shape(&preprocess("{{{1|x}}}", false)), "A(1|x)");
        assert_eq!(shape(&preprocess("{{a|[[b|c]]}}", false)), "T(a|[[b|c]])");
        assert_eq!(shape(&preprocess("{{{{{a}}}}}", false)), "T(A(a))");
        assert_eq!(shape(&preprocess("{{a|b", false)), "{{a|b");
        assert_eq!(shape(&preprocess("}}", false)), "}}");
    }

    #[test]
    fn headings_and_comments() {
        assert_eq!(shape(&preprocess("== a ==\nb", false)), "H2(== a ==)\nb");
        assert_eq!(shape(&preprocess("x\n<!-- c -->\ny", false)), "x\ny");
        assert_eq!(shape(&preprocess("x <!-- c --> y", false)), "x  y");
        assert_eq!(
            shape(&preprocess("== a == <!-- c -->\n", false)),
            "H2(== a == )\n"
        );
    }

    #[test]
    fn inclusion_modes() {
        let t = "a<noinclude>b</noinclude><includeonly>c</includeonly>";
        assert_eq!(shape(&preprocess(t, false)), "ab");
        assert_eq!(shape(&preprocess(t, true)), "ac");
        let o = "x<onlyinclude>y</onlyinclude>z<onlyinclude>w</onlyinclude>";
        assert_eq!(shape(&preprocess(o, true)), "yw");
        assert_eq!(
            shape(&preprocess("<nowiki>{{x}}</nowiki>", false)),
            "E(nowiki)"
        );
    }

    #[test]
    fn deep_nesting_stays_bounded() {
        let t = "{{a|".repeat(100_000);
        let nodes = preprocess(&t, false);
        assert!(!nodes.is_empty());
    }
}
