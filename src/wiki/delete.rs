//! Deleting a page (MediaWiki's `DeletePage`): its revisions move to the
//! archive, the page row and its secondary data go, a `delete/delete` log entry
//! and its recent change are written and the statistics updated – all inside the
//! caller's write transaction, so at every moment a page is either wholly live or
//! wholly archived, and a failure leaves nothing behind. No HTTP, no SQL.
//!
//! Revisions move with one `INSERT … SELECT` in storage: a page of any size is
//! archived without holding its revisions in memory. Text is never copied or
//! dropped: archive rows point at the same content rows as the revisions did.

use anyhow::Result;

use crate::app::App;
use crate::auth::User;
use crate::storage::{Page, WriteTxn};
use crate::wiki::links;
use crate::wiki::page::{self, insert_log, LogEntry};
use crate::wiki::title::Title;

/// Longest stored comment, in characters (`CommentStore::COMMENT_CHARACTER_LIMIT`).
pub const COMMENT_CHARACTER_LIMIT: usize = 500;

/// A deletion to perform.
#[derive(Debug, Clone)]
pub struct Deletion<'a> {
    pub title: &'a Title,
    /// The page as read in this transaction.
    pub page: &'a Page,
    pub reason: &'a str,
    pub tags: &'a [String],
    pub user: &'a User,
    pub ip: &'a str,
    /// `YYYYMMDDHHMMSS`.
    pub now: &'a str,
}

/// What a deletion did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Deleted {
    pub log_id: i64,
    pub revisions: i64,
}

/// PHP's `trim()`.
pub fn php_trim(s: &str) -> &str {
    s.trim_matches([' ', '\t', '\n', '\r', '\0', '\u{b}'])
}

/// `Language::truncateForVisual`: at most `limit` characters, the last three
/// replaced by `...` when cut.
pub fn truncate_chars(s: &str, limit: usize) -> String {
    if s.chars().count() <= limit {
        return s.to_string();
    }
    let keep: String = s.chars().take(limit.saturating_sub(3)).collect();
    format!("{keep}...")
}

/// The comment stored for a reason: trimmed, at most 500 characters.
pub fn stored_comment(reason: &str) -> String {
    truncate_chars(php_trim(reason), COMMENT_CHARACTER_LIMIT)
}

/// Deletes a page inside `txn`. The caller has checked permissions and that
/// the page exists in this transaction.
pub fn delete_page(app: &App, txn: &mut dyn WriteTxn, d: &Deletion<'_>) -> Result<Deleted> {
    let page = d.page;
    // Whether it counted as an article, from its current text (the text stays
    // in storage; only the revision rows move).
    let countable = match txn.revision(page.latest)? {
        Some(r) => {
            let text = txn.content_text(r.content_id)?.unwrap_or_default();
            page::is_countable(page.ns, page.is_redirect, &page.content_model, &text)
        }
        None => false,
    };
    let archived = txn.archive_page_revisions(page.id, page.ns, &page.title)?;
    txn.remove_page_row(page.id, page.ns, &page.title, d.now)?;
    links::after_delete(app, txn, page.id, d.title)?;
    let comment = stored_comment(d.reason);
    let log_id = insert_log(
        txn,
        &LogEntry {
            log_type: "delete",
            action: "delete",
            user: d.user,
            ip: d.ip,
            title: d.title,
            page_id: page.id,
            comment: &comment,
            params: serde_json::json!({}),
            tags: d.tags,
            now: d.now,
            recent_change: true,
        },
    )?;
    txn.bump_stats(1, -1, -i64::from(countable))?;
    Ok(Deleted {
        log_id,
        revisions: archived.revisions,
    })
}

/// Why no automatic reason could be made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AutoReasonError {
    /// The page has no current revision (`cannotdelete`).
    NoRevision,
}

/// MediaWiki's automatic deletion reason (`ContentHandler::getAutoDeleteReason`):
/// the content (or the content before blanking) and the only contributor.
pub fn auto_reason(
    txn: &mut dyn WriteTxn,
    page: &Page,
) -> Result<std::result::Result<String, AutoReasonError>> {
    let Some(current) = txn.revision(page.latest)? else {
        return Ok(Err(AutoReasonError::NoRevision));
    };
    let mut text = txn.content_text(current.content_id)?.unwrap_or_default();
    let mut model = current.content_model.clone();
    let mut blank = false;
    if text.is_empty() {
        if let Some(prev) = txn.previous_revision(&current)? {
            text = txn.content_text(prev.content_id)?.unwrap_or_default();
            model = prev.content_model.clone();
            blank = true;
        }
    }
    let names = txn.contributor_sample(page.id, 20)?;
    let only = match names.first() {
        Some(first) if names.iter().all(|n| n == first) => Some(first.clone()),
        _ => None,
    };
    let template = if blank {
        "content before blanking was: \"$1\"".to_string()
    } else if let Some(u) = &only {
        format!(
            "content was: \"$1\", and the only contributor was \"[[Special:Contributions/{u}|{u}]]\" ([[User talk:{u}|talk]])"
        )
    } else {
        "content was: \"$1\"".to_string()
    };
    let max = 500usize.saturating_sub(template.len().saturating_sub(2));
    let summary = summary_text(&text, &model, max);
    Ok(Ok(template.replace("$1", &summary)))
}

/// The text of a revision for a summary (`getTextForSummary`): line breaks as
/// spaces, cut to `max` bytes with `...`, an unclosed trailing wikitext link
/// unwrapped.
pub fn summary_text(text: &str, model: &str, max: usize) -> String {
    if !page::CONTENT_MODELS.contains(&model) {
        return String::new();
    }
    let flat = text.replace(['\n', '\r'], " ");
    let mut s = truncate_bytes(&flat, max);
    if model == "wikitext" {
        s = unwrap_unclosed_link(&s);
    }
    s
}

/// `Language::truncateForDatabase` with `...`: at most `max` bytes.
pub fn truncate_bytes(s: &str, max: usize) -> String {
    if s.len() <= max {
        return s.to_string();
    }
    let mut end = max.saturating_sub(3);
    while end > 0 && !s.is_char_boundary(end) {
        end -= 1;
    }
    let kept = s[..end].trim_end_matches([' ', '\t', '\n', '\r', '\0', '\u{b}']);
    format!("{kept}...")
}

/// Replaces a trailing `[[…` (with at most one `]`) by its inner text, as
/// `preg_replace('/\[\[([^\]]*)\]?$/', '$1', …)` does.
fn unwrap_unclosed_link(s: &str) -> String {
    let body = s.strip_suffix(']').unwrap_or(s);
    let region_start = body.rfind(']').map(|i| i + 1).unwrap_or(0);
    let Some(rel) = s[region_start..].find("[[") else {
        return s.to_string();
    };
    let at = region_start + rel;
    let inner = &s[at + 2..];
    let inner = inner.strip_suffix(']').unwrap_or(inner);
    format!("{}{}", &s[..at], inner)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unclosed_links() {
        assert_eq!(unwrap_unclosed_link("line1 line2 [[Foo"), "line1 line2 Foo");
        assert_eq!(unwrap_unclosed_link("a [[Foo]"), "a Foo");
        assert_eq!(unwrap_unclosed_link("a [[Foo]]"), "a [[Foo]]");
        assert_eq!(unwrap_unclosed_link("[[a]] b [[c"), "[[a]] b c");
        assert_eq!(unwrap_unclosed_link("x [[a [[b"), "x a [[b");
    }

    #[test]
    fn truncation() {
        let y = "y".repeat(600);
        let t = truncate_bytes(&y, 388);
        assert_eq!(t.len(), 388);
        assert!(t.ends_with("y..."));
        let e = "é".repeat(400);
        let t = truncate_bytes(&e, 485);
        assert!(t.len() <= 485);
        assert!(t.ends_with("é..."));
        assert_eq!(truncate_bytes("abc   def", 7), "abc...");
    }

    #[test]
    fn trimming() {
        assert_eq!(php_trim("  spaced reason  "), "spaced reason");
        assert_eq!(truncate_chars(&"é".repeat(501), 500).chars().count(), 500);
    }
}
