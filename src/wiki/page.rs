//! Pages and revisions: saving a revision (new page, edit, null edit), content
//! models and their pre-save transforms, sections, the recent-changes row of an
//! edit, site statistics and the log. No HTTP, no SQL: everything runs inside the
//! caller's write transaction, so a failure anywhere leaves nothing behind.

use anyhow::Result;
use sha1::{Digest, Sha1};

use crate::app::App;
use crate::auth::User;
use crate::storage::pages::{LogRow, NewPage, NewRevision, RecentChange};
use crate::storage::{Page, WriteTxn};
use crate::wiki::links::{self, SavedPage};
use crate::wiki::namespace::{NS_MEDIAWIKI, NS_USER};
use crate::wiki::title::Title;

/// Recent-change types (`rc_type`).
pub const RC_EDIT: i64 = 0;
pub const RC_NEW: i64 = 1;
pub const RC_LOG: i64 = 3;

/// Patrol states (`rc_patrolled`).
pub const PRC_UNPATROLLED: i64 = 0;
pub const PRC_AUTOPATROLLED: i64 = 2;

/// The content models wikid can store.
pub const CONTENT_MODELS: &[&str] = &["wikitext", "javascript", "json", "css", "text"];

/// MediaWiki's `rev_sha1`: the SHA-1 of the text in base 36, padded to 31 digits.
pub fn sha1_base36(text: &str) -> String {
    let digest = Sha1::digest(text.as_bytes());
    // 160-bit big-endian number → base 36 by repeated division.
    let mut n: Vec<u8> = digest.to_vec();
    let mut digits: Vec<u8> = Vec::with_capacity(31);
    while n.iter().any(|b| *b != 0) {
        let mut rem: u32 = 0;
        for b in n.iter_mut() {
            let cur = (rem << 8) | u32::from(*b);
            *b = (cur / 36) as u8;
            rem = cur % 36;
        }
        digits.push(b"0123456789abcdefghijklmnopqrstuvwxyz"[rem as usize]);
    }
    while digits.len() < 31 {
        digits.push(b'0');
    }
    digits.reverse();
    String::from_utf8(digits).unwrap_or_default()
}

/// `md5()` of a text as lower-case hex (the `md5` parameter of `action=edit`).
pub fn md5_hex(text: &str) -> String {
    use md5::Md5;
    let d = Md5::digest(text.as_bytes());
    d.iter().map(|b| format!("{b:02x}")).collect()
}

/// The content model a title gets when its page does not say otherwise
/// (`ContentHandler::getDefaultModelFor`): `.css`/`.js`/`.json` pages in the
/// MediaWiki namespace and user subpages are code, the rest wikitext.
pub fn default_content_model(title: &Title) -> &'static str {
    let code_page = title.ns == NS_MEDIAWIKI || (title.ns == NS_USER && title.dbkey.contains('/'));
    if code_page {
        if title.dbkey.ends_with(".css") {
            return "css";
        }
        if title.dbkey.ends_with(".js") {
            return "javascript";
        }
        if title.dbkey.ends_with(".json") {
            return "json";
        }
    }
    "wikitext"
}

/// Why content cannot be saved.
#[derive(Debug, Clone, PartialEq)]
pub enum ContentError {
    /// JSON that does not parse (`invalid-content-data`).
    InvalidJson,
}

/// The pre-save transform: line endings normalised, trailing whitespace removed;
/// JSON is validated and pretty-printed with tabs as MediaWiki does.
pub fn pre_save_transform(model: &str, text: &str) -> Result<String, ContentError> {
    let normalized = text.replace("\r\n", "\n");
    match model {
        "json" => {
            let v: serde_json::Value =
                serde_json::from_str(&normalized).map_err(|_| ContentError::InvalidJson)?;
            let mut out = String::new();
            php_pretty_json(&v, 0, &mut out);
            Ok(out)
        }
        _ => Ok(normalized.trim_end().to_string()),
    }
}

/// Three-way merge of texts, line by line, as MediaWiki's `wfMerge` does with
/// diff3: `mine` (the submitted text) and `yours` (the current text) both
/// changed `old` (the text the edit was based on); the result has both sets of
/// changes when no change of one touches or borders a change of the other (the
/// same change on both sides is fine). Trailing whitespace is not compared.
/// `None` is a conflict.
pub fn merge3(old: &str, mine: &str, yours: &str) -> Option<String> {
    // PHP's rtrim() then one newline, so that diff3 sees whole lines.
    let norm = |t: &str| {
        let t = t.trim_end_matches([' ', '\t', '\n', '\r', '\0', '\x0B']);
        format!("{t}\n")
    };
    diffy::merge(&norm(old), &norm(mine), &norm(yours)).ok()
}

/// PHP's `json_encode` with pretty printing (tab indent), unescaped slashes and
/// Unicode, `<`, `>` and `&` hex-escaped.
fn php_pretty_json(v: &serde_json::Value, depth: usize, out: &mut String) {
    use serde_json::Value;
    let indent = |d: usize, out: &mut String| {
        for _ in 0..d {
            out.push('\t');
        }
    };
    match v {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => match n.as_f64() {
            // PHP prints integral floats without a fraction (`1.0` → `1`).
            Some(f) if !n.is_i64() && !n.is_u64() && f.fract() == 0.0 && f.abs() < 1e15 => {
                out.push_str(&format!("{}", f as i64))
            }
            _ => out.push_str(&n.to_string()),
        },
        Value::String(s) => php_json_string(s, out),
        Value::Array(a) => {
            if a.is_empty() {
                out.push_str("[]");
                return;
            }
            out.push_str("[\n");
            for (i, item) in a.iter().enumerate() {
                indent(depth + 1, out);
                php_pretty_json(item, depth + 1, out);
                if i + 1 < a.len() {
                    out.push(',');
                }
                out.push('\n');
            }
            indent(depth, out);
            out.push(']');
        }
        Value::Object(o) => {
            if o.is_empty() {
                out.push_str("{}");
                return;
            }
            out.push_str("{\n");
            for (i, (k, item)) in o.iter().enumerate() {
                indent(depth + 1, out);
                php_json_string(k, out);
                out.push_str(": ");
                php_pretty_json(item, depth + 1, out);
                if i + 1 < o.len() {
                    out.push(',');
                }
                out.push('\n');
            }
            indent(depth, out);
            out.push('}');
        }
    }
}

fn php_json_string(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '<' => out.push_str("\\u003C"),
            '>' => out.push_str("\\u003E"),
            '&' => out.push_str("\\u0026"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

/// Whether sections apply to a content model.
pub fn supports_sections(model: &str) -> bool {
    model == "wikitext"
}

/// A heading line: (level, byte offset of the line start).
fn headings(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut offset = 0;
    let mut in_comment = false;
    let mut in_block: Option<&str> = None;
    for line in text.split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        let lower = line.to_ascii_lowercase();
        if in_comment {
            if lower.contains("-->") {
                in_comment = false;
            }
            continue;
        }
        if let Some(close) = in_block {
            if lower.contains(close) {
                in_block = None;
            }
            continue;
        }
        let body = line.trim_end_matches(['\n', '\r']);
        let trimmed = body.trim_end_matches([' ', '\t']);
        if trimmed.starts_with('=') && trimmed.ends_with('=') && trimmed.len() >= 3 {
            let lead = trimmed.bytes().take_while(|b| *b == b'=').count();
            let trail = trimmed.bytes().rev().take_while(|b| *b == b'=').count();
            if lead + trail < trimmed.len() || (lead == trail && lead * 2 < trimmed.len()) {
                let level = lead.min(trail).min(6);
                let inner = &trimmed[level..trimmed.len() - level];
                if !inner.trim().is_empty() {
                    out.push((level, start));
                    continue;
                }
            }
        }
        for (open, close) in [
            ("<nowiki>", "</nowiki>"),
            ("<pre>", "</pre>"),
            ("<pre ", "</pre>"),
        ] {
            if let Some(i) = lower.rfind(open) {
                if !lower[i..].contains(close) {
                    in_block = Some(close);
                }
            }
        }
        if let Some(i) = lower.rfind("<!--") {
            if !lower[i..].contains("-->") {
                in_comment = true;
            }
        }
    }
    out
}

/// The byte range of section `n` (0: the text before the first heading).
fn section_range(text: &str, n: usize) -> Option<(usize, usize)> {
    let hs = headings(text);
    if n == 0 {
        let end = hs.first().map(|h| h.1).unwrap_or(text.len());
        return Some((0, end));
    }
    let (level, start) = *hs.get(n - 1)?;
    let end = hs[n..]
        .iter()
        .find(|(l, _)| *l <= level)
        .map(|h| h.1)
        .unwrap_or(text.len());
    Some((start, end))
}

/// Parses a numeric section id.
fn section_number(id: &str) -> Option<usize> {
    if id.is_empty() || !id.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    id.parse().ok()
}

/// The text of a section (`Content::getSection`), without trailing whitespace.
pub fn get_section(text: &str, id: &str) -> Option<String> {
    let n = section_number(id)?;
    let (s, e) = section_range(text, n)?;
    Some(text[s..e].trim_end().to_string())
}

/// Replaces a section (`Content::replaceSection`): `new` appends a section with
/// an optional heading; a number replaces that section. `None` when the section
/// does not exist.
pub fn replace_section(
    old: &str,
    id: &str,
    with: &str,
    section_title: Option<&str>,
) -> Option<String> {
    if id.is_empty() {
        return Some(with.to_string());
    }
    if id == "new" {
        let subject = match section_title {
            Some(t) if !t.is_empty() => format!("== {t} ==\n\n"),
            _ => String::new(),
        };
        return Some(if !old.trim().is_empty() {
            format!("{old}\n\n{subject}{with}")
        } else {
            format!("{subject}{with}")
        });
    }
    let n = section_number(id)?;
    let (s, e) = section_range(old, n)?;
    let mut out = String::with_capacity(old.len() + with.len());
    out.push_str(&old[..s]);
    if !with.is_empty() {
        out.push_str(with);
        out.push_str("\n\n");
    }
    out.push_str(&old[e..]);
    Some(out.trim_end().to_string())
}

/// Whether a page counts as an article (`$wgArticleCountMethod = 'link'`): in a
/// content namespace, not a redirect, and linking somewhere. Until the link
/// tables are read here, "links somewhere" is approximated by an internal link
/// (`[[…]]` that is not a category or file) in the text.
pub fn is_countable(ns: i32, is_redirect: bool, model: &str, text: &str) -> bool {
    if ns != 0 || is_redirect || model != "wikitext" {
        return false;
    }
    let mut rest = text;
    while let Some(i) = rest.find("[[") {
        let after = rest[i + 2..].trim_start();
        let lower: String = after.chars().take(9).collect::<String>().to_lowercase();
        let plain = !lower.starts_with("category:")
            && !lower.starts_with("file:")
            && !lower.starts_with("image:");
        if plain && after.contains("]]") {
            return true;
        }
        rest = &rest[i + 2..];
    }
    false
}

/// `truncateForDatabase`: at most `max` bytes, cut on a character boundary and
/// ended with `...` when shortened.
fn truncate_bytes(s: &str, max: usize) -> String {
    if s.len() <= max {
        return s.to_string();
    }
    let mut end = max.saturating_sub(3);
    while end > 0 && !s.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}...", &s[..end])
}

/// MediaWiki's automatic summary of an edit saved without one
/// (`ContentHandler::getAutosummary`); empty when none applies.
pub fn auto_summary(
    app: &App,
    old: Option<(&str, &str)>,
    new_text: &str,
    new_model: &str,
    created: bool,
) -> String {
    const LIMIT: usize = 500;
    let flat = new_text.replace(['\n', '\r'], " ");
    let old_target = old.and_then(|(t, m)| links::redirect_target(app, m, t));
    let new_target = links::redirect_target(app, new_model, new_text);
    let full = |t: &Title| {
        let mut s = t.prefixed_text(&app.titles);
        if !t.fragment.is_empty() {
            s.push('#');
            s.push_str(&t.fragment);
        }
        s
    };
    if let Some((ot, _)) = old {
        if !ot.is_empty() && new_text.is_empty() {
            return "Blanked the page".into();
        }
    }
    match (&old_target, &new_target) {
        (None, Some(nt)) => {
            let target = full(nt);
            let _ = truncate_bytes(&flat, LIMIT.saturating_sub(25 + target.len()));
            return format!("Redirected page to [[{target}]]");
        }
        (Some(ot), Some(nt)) if full(ot) != full(nt) => {
            return format!(
                "Changed redirect target from [[{}]] to [[{}]]",
                full(ot),
                full(nt)
            );
        }
        (Some(ot), None) => return format!("Removed redirect to [[{}]]", full(ot)),
        _ => {}
    }
    if created {
        if new_text.is_empty() {
            return "Created blank page".into();
        }
        let t = truncate_bytes(&flat, LIMIT - "Created page with \"$1\"".len());
        return format!("Created page with \"{t}\"");
    }
    if let Some((ot, _)) = old {
        if ot.len() > 10 * new_text.len() {
            let t = truncate_bytes(&flat, LIMIT - "Replaced content with \"$1\"".len());
            return format!("Replaced content with \"{t}\"");
        }
    }
    String::new()
}

/// A revision to save.
#[derive(Debug, Clone)]
pub struct Edit<'a> {
    pub title: &'a Title,
    /// The page as read in this transaction (`None`: the page does not exist).
    pub page: Option<&'a Page>,
    /// The full new text, after the pre-save transform.
    pub text: &'a str,
    pub model: &'a str,
    pub summary: &'a str,
    pub minor: bool,
    pub bot: bool,
    pub tags: &'a [String],
    pub user: &'a User,
    /// The request's IP address (`rc_ip`).
    pub ip: &'a str,
    /// `YYYYMMDDHHMMSS`.
    pub now: &'a str,
    /// Write the recent-changes row (imports do not).
    pub recent_change: bool,
    /// Run the link-table update now (imports queue a job instead).
    pub update_links: bool,
    /// Fill an empty summary with MediaWiki's automatic one ("Created page with…").
    pub auto_summary: bool,
}

/// What a save did.
#[derive(Debug, Clone, PartialEq)]
pub struct Saved {
    pub page_id: i64,
    /// 0 for a new page.
    pub old_rev: i64,
    /// Equal to `old_rev` for a null edit.
    pub new_rev: i64,
    /// Timestamp of the page's latest revision.
    pub timestamp: String,
    pub created: bool,
    pub nochange: bool,
    pub content_model: String,
}

/// Saves a revision inside `txn`: content, revision, page row, recent change,
/// tags, statistics, search index and link tables. The same text as the current
/// revision is a null edit: nothing is written but the link update.
pub fn save(app: &App, txn: &mut dyn WriteTxn, e: &Edit<'_>) -> Result<Saved> {
    let sha1 = sha1_base36(e.text);
    let len = e.text.len() as i64;
    let redirect = links::redirect_target(app, e.model, e.text);
    let is_redirect = redirect.is_some();
    let (old_rev, old_len, old_text, old_model, old_redirect) = match e.page {
        Some(p) => {
            let rev = txn.revision(p.latest)?;
            let text = match &rev {
                Some(r) => txn.content_text(r.content_id)?.unwrap_or_default(),
                None => String::new(),
            };
            (
                p.latest,
                p.len,
                Some(text),
                p.content_model.clone(),
                p.is_redirect,
            )
        }
        None => (0, 0, None, String::new(), false),
    };
    if let (Some(p), Some(old)) = (e.page, &old_text) {
        if old == e.text && old_model == e.model {
            let ts = txn
                .revision(p.latest)?
                .map(|r| r.timestamp)
                .unwrap_or_else(|| p.touched.clone());
            links::after_save(
                app,
                txn,
                &SavedPage {
                    id: p.id,
                    title: e.title,
                    rev_id: p.latest,
                    text: e.text,
                    content_model: e.model,
                    created: false,
                },
            )?;
            return Ok(Saved {
                page_id: p.id,
                old_rev: p.latest,
                new_rev: p.latest,
                timestamp: ts,
                created: false,
                nochange: true,
                content_model: e.model.to_string(),
            });
        }
    }
    let actor = txn.ensure_actor(e.user.id, &e.user.name)?;
    let auto;
    let summary = if e.summary.is_empty() && e.auto_summary {
        auto = auto_summary(
            app,
            old_text.as_deref().map(|t| (t, old_model.as_str())),
            e.text,
            e.model,
            e.page.is_none(),
        );
        auto.as_str()
    } else {
        e.summary
    };
    let content_id = txn.insert_content(e.text, e.model, &sha1)?;
    let created = e.page.is_none();
    let page_id = match e.page {
        Some(p) => p.id,
        None => txn.insert_page(&NewPage {
            ns: e.title.ns,
            title: e.title.dbkey.clone(),
            is_redirect,
            latest: 0,
            touched: e.now.to_string(),
            len,
            content_model: e.model.to_string(),
            random: rand::random::<f64>(),
        })?,
    };
    let minor = e.minor && !created && e.user.has("minoredit");
    let rev_id = txn.insert_revision(&NewRevision {
        page: page_id,
        parent_id: old_rev,
        timestamp: e.now.to_string(),
        actor,
        comment: summary.to_string(),
        minor,
        len,
        sha1: sha1.clone(),
        content_id,
    })?;
    txn.update_page_latest(page_id, rev_id, e.now, len, is_redirect, e.model)?;
    let bot = e.bot && e.user.has("bot");
    if e.recent_change {
        let rc = RecentChange {
            timestamp: e.now.to_string(),
            actor,
            ns: e.title.ns,
            title: e.title.dbkey.clone(),
            comment: summary.to_string(),
            minor,
            bot,
            new: created,
            cur_id: page_id,
            this_oldid: rev_id,
            last_oldid: old_rev,
            rc_type: if created { RC_NEW } else { RC_EDIT },
            source: if created { "mw.new" } else { "mw.edit" }.to_string(),
            patrolled: if e.user.has("autopatrol") {
                PRC_AUTOPATROLLED
            } else {
                PRC_UNPATROLLED
            },
            ip: e.ip.to_string(),
            old_len: if created { None } else { Some(old_len) },
            new_len: Some(len),
            ..RecentChange::default()
        };
        let rc_id = txn.insert_recent_change(&rc)?;
        // $wgShowUpdatedMarker (on by default): the other watchers see the change
        // as unseen, minor and bot edits included.
        txn.notify_watchers(e.title.ns, &e.title.dbkey, e.user.id, e.now)?;
        if !e.tags.is_empty() {
            txn.add_tags(e.tags, Some(rc_id), Some(rev_id), None)?;
        }
    } else if !e.tags.is_empty() {
        txn.add_tags(e.tags, None, Some(rev_id), None)?;
    }
    if created && e.recent_change {
        // $wgPageCreationLog: a create/create entry, not published to recent
        // changes (the page creation is there already).
        insert_log(
            txn,
            &LogEntry {
                log_type: "create",
                action: "create",
                user: e.user,
                ip: e.ip,
                title: e.title,
                page_id,
                comment: summary,
                params: serde_json::json!({}),
                tags: &[],
                now: e.now,
                recent_change: false,
            },
        )?;
    }
    let was_article = match &old_text {
        Some(t) => is_countable(e.title.ns, old_redirect, &old_model, t),
        None => false,
    };
    let is_article = is_countable(e.title.ns, is_redirect, e.model, e.text);
    txn.bump_stats(
        1,
        i64::from(created),
        i64::from(is_article) - i64::from(was_article),
    )?;
    if e.user.id > 0 {
        txn.bump_user_editcount(e.user.id)?;
    }
    txn.index_page(page_id, &e.title.dbkey.replace('_', " "), e.text)?;
    if e.update_links {
        links::after_save(
            app,
            txn,
            &SavedPage {
                id: page_id,
                title: e.title,
                rev_id,
                text: e.text,
                content_model: e.model,
                created,
            },
        )?;
    }
    Ok(Saved {
        page_id,
        old_rev,
        new_rev: rev_id,
        timestamp: e.now.to_string(),
        created,
        nochange: false,
        content_model: e.model.to_string(),
    })
}

/// A log entry to write (`ManualLogEntry`).
#[derive(Debug, Clone)]
pub struct LogEntry<'a> {
    pub log_type: &'a str,
    pub action: &'a str,
    pub user: &'a User,
    pub ip: &'a str,
    pub title: &'a Title,
    /// 0 when the entry concerns no existing page.
    pub page_id: i64,
    pub comment: &'a str,
    /// JSON object of the log parameters (MediaWiki's `log_params`, new style).
    pub params: serde_json::Value,
    pub tags: &'a [String],
    pub now: &'a str,
    /// Also publish to recent changes (MediaWiki does for every core log type but
    /// a few, e.g. `newusers` on some wikis).
    pub recent_change: bool,
}

/// Writes a `logging` row and its recent-changes row (`rc_type` log); returns
/// the log id. Runs in the caller's transaction.
pub fn insert_log(txn: &mut dyn WriteTxn, e: &LogEntry<'_>) -> Result<i64> {
    let actor = txn.ensure_actor(e.user.id, &e.user.name)?;
    let params = e.params.to_string();
    let log_id = txn.insert_log(&LogRow {
        log_type: e.log_type.to_string(),
        action: e.action.to_string(),
        timestamp: e.now.to_string(),
        actor,
        ns: e.title.ns,
        title: e.title.dbkey.clone(),
        page: e.page_id,
        comment: e.comment.to_string(),
        params: params.clone(),
        ..LogRow::default()
    })?;
    let mut rc_id = None;
    if e.recent_change {
        rc_id = Some(txn.insert_recent_change(&RecentChange {
            timestamp: e.now.to_string(),
            actor,
            ns: e.title.ns,
            title: e.title.dbkey.clone(),
            comment: e.comment.to_string(),
            cur_id: e.page_id,
            rc_type: RC_LOG,
            source: "mw.log".into(),
            patrolled: if e.user.has("autopatrol") {
                PRC_AUTOPATROLLED
            } else {
                PRC_UNPATROLLED
            },
            ip: e.ip.to_string(),
            logid: log_id,
            log_type: Some(e.log_type.to_string()),
            log_action: Some(e.action.to_string()),
            params: Some(params),
            ..RecentChange::default()
        })?);
        txn.notify_watchers(e.title.ns, &e.title.dbkey, e.user.id, e.now)?;
    }
    if !e.tags.is_empty() {
        txn.add_tags(e.tags, rc_id, None, Some(log_id))?;
    }
    Ok(log_id)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Answers of GNU diff3 as MediaWiki's wfMerge runs it (`--overlap-only` for
    /// the conflict, `-e --merge` for the text), recorded for these inputs.
    #[test]
    fn merge3_as_diff3() {
        let m = |o: &str, a: &str, b: &str| merge3(o, a, b);
        // Changes one line apart merge; neighbouring lines conflict.
        assert_eq!(
            m("a\nb\nc\nd\ne", "a\nB\nc\nd\ne", "a\nb\nc\nD\ne").as_deref(),
            Some("a\nB\nc\nD\ne\n")
        );
        assert_eq!(m("a\nb\nc\nd", "a\nB\nc\nd", "a\nb\nC\nd"), None);
        // Insertions at one place conflict, at two places merge.
        assert_eq!(m("a\nb\nc", "a\nX\nb\nc", "a\nY\nb\nc"), None);
        assert_eq!(
            m("a\nb\nc", "a\nX\nb\nc", "a\nb\nY\nc").as_deref(),
            Some("a\nX\nb\nY\nc\n")
        );
        assert_eq!(
            m("a\nb\nc", "X\na\nb\nc", "a\nb\nc\nY").as_deref(),
            Some("X\na\nb\nc\nY\n")
        );
        // The same change on both sides is no conflict; trailing space is ignored.
        assert_eq!(
            m("a\nb\nc", "a\nb\nc\nX", "a\nb\nc\nX\n\n  ").as_deref(),
            Some("a\nb\nc\nX\n")
        );
        assert_eq!(m("a\nb\nc", "a\nc", "a\nB\nc"), None);
        assert_eq!(m("", "x", "y"), None);
    }

    #[test]
    fn sha1_matches_mediawiki() {
        // MediaWiki: Wikimedia\base_convert(sha1(''), 16, 36, 31)
        assert_eq!(sha1_base36(""), "phoiac9h4m842xq45sp7s6u21eteeq1");
        assert_eq!(sha1_base36("").len(), 31);
    }

    #[test]
    fn sections() {
        let t = "intro\n== A ==\na text\n=== A1 ===\nsub\n== B ==\nb text";
        assert_eq!(get_section(t, "0").unwrap(), "intro");
        assert_eq!(
            get_section(t, "1").unwrap(),
            "== A ==\na text\n=== A1 ===\nsub"
        );
        assert_eq!(get_section(t, "2").unwrap(), "=== A1 ===\nsub");
        assert_eq!(get_section(t, "3").unwrap(), "== B ==\nb text");
        assert!(get_section(t, "4").is_none());
        assert_eq!(
            replace_section(t, "2", "=== A2 ===\nnew", None).unwrap(),
            "intro\n== A ==\na text\n=== A2 ===\nnew\n\n== B ==\nb text"
        );
        assert_eq!(
            replace_section("x", "new", "body", Some("T")).unwrap(),
            "x\n\n== T ==\n\nbody"
        );
    }

    #[test]
    fn json_pretty() {
        assert_eq!(
            pre_save_transform("json", r#"{"a":[1,"x/<"],"b":{}}"#).unwrap(),
            "{\n\t\"a\": [\n\t\t1,\n\t\t\"x/\\u003C\"\n\t],\n\t\"b\": {}\n}"
        );
        assert!(pre_save_transform("json", "{x").is_err());
    }

    #[test]
    fn countable() {
        assert!(is_countable(0, false, "wikitext", "see [[Main Page]]"));
        assert!(!is_countable(0, false, "wikitext", "[[Category:X]] only"));
        assert!(!is_countable(1, false, "wikitext", "[[A]]"));
    }
}
