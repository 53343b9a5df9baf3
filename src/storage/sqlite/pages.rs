//! SQLite side of `storage::pages`.

use anyhow::Result;
use rusqlite::types::Value;
use rusqlite::{params, params_from_iter, OptionalExtension};

use super::{page_row, placeholders, Conn, SqliteWrite, PAGE_COLUMNS};
use crate::storage::pages::{
    LogQuery, LogRow, NewPage, NewRevision, PagesRead, PagesWrite, RcQuery, RecentChange, Revision,
    RevisionQuery, TagTarget,
};
use crate::storage::Page;

const REV_COLUMNS: &str =
    "rev_id, rev_page, COALESCE(rev_parent_id, 0), rev_timestamp, rev_actor, \
     actor_name, COALESCE(actor_user, 0), rev_comment, rev_minor_edit, rev_deleted, rev_len, \
     rev_sha1, rev_content_id, COALESCE(content_model, 'wikitext')";
const REV_FROM: &str = "revision JOIN actor ON actor_id = rev_actor \
     LEFT JOIN content ON content_id = rev_content_id";

fn rev_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Revision> {
    Ok(Revision {
        id: r.get(0)?,
        page: r.get(1)?,
        parent_id: r.get(2)?,
        timestamp: r.get(3)?,
        actor: r.get(4)?,
        user_name: r.get(5)?,
        user_id: r.get(6)?,
        comment: r.get(7)?,
        minor: r.get::<_, i64>(8)? != 0,
        deleted: r.get(9)?,
        len: r.get(10)?,
        sha1: r.get(11)?,
        content_id: r.get(12)?,
        content_model: r.get(13)?,
    })
}

pub(super) const RC_COLUMNS: &str =
    "rc_id, rc_timestamp, rc_actor, actor_name, COALESCE(actor_user, 0), \
     rc_namespace, rc_title, rc_comment, rc_minor, rc_bot, rc_new, rc_cur_id, rc_this_oldid, \
     rc_last_oldid, rc_type, rc_source, rc_patrolled, rc_ip, rc_old_len, rc_new_len, rc_deleted, \
     rc_logid, rc_log_type, rc_log_action, rc_params, COALESCE(page_is_redirect, 0)";

pub(super) fn rc_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<RecentChange> {
    Ok(RecentChange {
        id: r.get(0)?,
        timestamp: r.get(1)?,
        actor: r.get(2)?,
        user_name: r.get(3)?,
        user_id: r.get(4)?,
        ns: r.get(5)?,
        title: r.get(6)?,
        comment: r.get(7)?,
        minor: r.get::<_, i64>(8)? != 0,
        bot: r.get::<_, i64>(9)? != 0,
        new: r.get::<_, i64>(10)? != 0,
        cur_id: r.get(11)?,
        this_oldid: r.get(12)?,
        last_oldid: r.get(13)?,
        rc_type: r.get(14)?,
        source: r.get(15)?,
        patrolled: r.get(16)?,
        ip: r.get(17)?,
        old_len: r.get(18)?,
        new_len: r.get(19)?,
        deleted: r.get(20)?,
        logid: r.get(21)?,
        log_type: r.get(22)?,
        log_action: r.get(23)?,
        params: r.get(24)?,
        page_is_redirect: r.get::<_, i64>(25)? != 0,
    })
}

const LOG_COLUMNS: &str = "log_id, log_type, log_action, log_timestamp, log_actor, actor_name, \
     COALESCE(actor_user, 0), log_namespace, log_title, COALESCE(log_page, 0), log_comment, \
     log_params, log_deleted";

fn log_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<LogRow> {
    Ok(LogRow {
        id: r.get(0)?,
        log_type: r.get(1)?,
        action: r.get(2)?,
        timestamp: r.get(3)?,
        actor: r.get(4)?,
        user_name: r.get(5)?,
        user_id: r.get(6)?,
        ns: r.get(7)?,
        title: r.get(8)?,
        page: r.get(9)?,
        comment: r.get(10)?,
        params: r.get(11)?,
        deleted: r.get(12)?,
    })
}

/// Appends a (timestamp, id) bound in listing direction: `>=` when ascending.
fn ts_id_bound(
    sql: &mut String,
    args: &mut Vec<Value>,
    ts_col: &str,
    id_col: &str,
    bound: &(String, Option<i64>),
    ascending: bool,
) {
    let op = if ascending { ">" } else { "<" };
    match bound.1 {
        Some(id) => {
            sql.push_str(&format!(
                " AND ({ts_col} {op} ? OR ({ts_col} = ? AND {id_col} {op}= ?))"
            ));
            args.push(Value::Text(bound.0.clone()));
            args.push(Value::Text(bound.0.clone()));
            args.push(Value::Integer(id));
        }
        None => {
            sql.push_str(&format!(" AND {ts_col} {op}= ?"));
            args.push(Value::Text(bound.0.clone()));
        }
    }
}

/// Appends the filters of an [`RcQuery`] (not its order or limit) to a query over
/// `recentchanges JOIN actor LEFT JOIN page`.
pub(super) fn rc_conditions(q: &RcQuery, sql: &mut String, args: &mut Vec<Value>) {
    if let Some(b) = &q.start {
        ts_id_bound(sql, args, "rc_timestamp", "rc_id", b, q.newer);
    }
    if let Some(e) = &q.end {
        sql.push_str(if q.newer {
            " AND rc_timestamp <= ?"
        } else {
            " AND rc_timestamp >= ?"
        });
        args.push(Value::Text(e.clone()));
    }
    if let Some(ns) = &q.namespaces {
        sql.push_str(&format!(
            " AND rc_namespace IN ({})",
            placeholders(ns.len().max(1))
        ));
        if ns.is_empty() {
            args.push(Value::Integer(i64::MIN));
        }
        args.extend(ns.iter().map(|n| Value::Integer(i64::from(*n))));
    }
    if let Some(u) = &q.user {
        sql.push_str(" AND actor_name = ?");
        args.push(Value::Text(u.clone()));
    }
    if let Some(u) = &q.exclude_user {
        sql.push_str(" AND actor_name != ?");
        args.push(Value::Text(u.clone()));
    }
    if let Some(types) = &q.types {
        sql.push_str(&format!(
            " AND rc_type IN ({})",
            placeholders(types.len().max(1))
        ));
        if types.is_empty() {
            args.push(Value::Integer(-1));
        }
        args.extend(types.iter().map(|t| Value::Integer(*t)));
    }
    for (col, v) in [("rc_minor", q.minor), ("rc_bot", q.bot)] {
        match v {
            Some(true) => sql.push_str(&format!(" AND {col} != 0")),
            Some(false) => sql.push_str(&format!(" AND {col} = 0")),
            None => {}
        }
    }
    match q.anon {
        Some(true) => sql.push_str(" AND actor_user IS NULL"),
        Some(false) => sql.push_str(" AND actor_user IS NOT NULL"),
        None => {}
    }
    match q.redirect {
        Some(true) => sql.push_str(" AND page_is_redirect = 1"),
        Some(false) => sql.push_str(" AND (page_is_redirect = 0 OR page_is_redirect IS NULL)"),
        None => {}
    }
    match q.patrolled {
        Some(true) => sql.push_str(" AND rc_patrolled != 0"),
        Some(false) => sql.push_str(" AND rc_patrolled = 0"),
        None => {}
    }
    match q.autopatrolled {
        Some(true) => sql.push_str(" AND rc_patrolled = 2"),
        Some(false) => sql.push_str(" AND rc_patrolled != 2"),
        None => {}
    }
    if q.top_only {
        sql.push_str(" AND rc_this_oldid = page_latest");
    }
    if let Some((ns, t)) = &q.title {
        sql.push_str(" AND rc_namespace = ? AND rc_title = ?");
        args.push(Value::Integer(i64::from(*ns)));
        args.push(Value::Text(t.clone()));
    }
    if let Some(tag) = &q.tag {
        sql.push_str(
            " AND EXISTS (SELECT 1 FROM change_tag JOIN change_tag_def ON ctd_id = ct_tag_id \
             WHERE ct_rc_id = rc_id AND ctd_name = ?)",
        );
        args.push(Value::Text(tag.clone()));
    }
}

impl<T: Conn> PagesRead for T {
    fn redirect_row(&mut self, page: i64) -> Result<Option<(i32, String, String, String)>> {
        Ok(self
            .c()
            .prepare_cached(
                "SELECT rd_namespace, rd_title, rd_fragment, rd_interwiki FROM redirect
                 WHERE rd_from = ?1",
            )?
            .query_row([page], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
            .optional()?)
    }

    fn page_by_title(&mut self, ns: i32, dbkey: &str) -> Result<Option<Page>> {
        let sql = format!(
            "SELECT {PAGE_COLUMNS} FROM page WHERE page_namespace = ?1 AND page_title = ?2"
        );
        Ok(self
            .c()
            .prepare_cached(&sql)?
            .query_row(params![ns, dbkey], page_row)
            .optional()?)
    }

    fn page_by_id(&mut self, id: i64) -> Result<Option<Page>> {
        let sql = format!("SELECT {PAGE_COLUMNS} FROM page WHERE page_id = ?1");
        Ok(self
            .c()
            .prepare_cached(&sql)?
            .query_row([id], page_row)
            .optional()?)
    }

    fn revision(&mut self, id: i64) -> Result<Option<Revision>> {
        let sql = format!("SELECT {REV_COLUMNS} FROM {REV_FROM} WHERE rev_id = ?1");
        Ok(self
            .c()
            .prepare_cached(&sql)?
            .query_row([id], rev_row)
            .optional()?)
    }

    fn revisions(&mut self, q: &RevisionQuery) -> Result<Vec<Revision>> {
        let mut sql = format!("SELECT {REV_COLUMNS} FROM {REV_FROM}");
        let mut args: Vec<Value> = Vec::new();
        if q.namespaces.is_some() {
            sql.push_str(" JOIN page ON page_id = rev_page");
        }
        sql.push_str(" WHERE 1");
        if let Some(p) = q.page {
            sql.push_str(" AND rev_page = ?");
            args.push(Value::Integer(p));
        }
        if let Some(ns) = &q.namespaces {
            sql.push_str(&format!(
                " AND page_namespace IN ({})",
                placeholders(ns.len().max(1))
            ));
            if ns.is_empty() {
                args.push(Value::Integer(i64::MIN));
            }
            args.extend(ns.iter().map(|n| Value::Integer(i64::from(*n))));
        }
        let (ge, le) = if q.newer { (">=", "<=") } else { ("<=", ">=") };
        if let Some(b) = &q.start {
            ts_id_bound(&mut sql, &mut args, "rev_timestamp", "rev_id", b, q.newer);
        }
        if let Some(b) = &q.end {
            ts_id_bound(&mut sql, &mut args, "rev_timestamp", "rev_id", b, !q.newer);
        }
        if let Some(id) = q.start_id {
            sql.push_str(&format!(" AND rev_id {ge} ?"));
            args.push(Value::Integer(id));
        }
        if let Some(id) = q.end_id {
            sql.push_str(&format!(" AND rev_id {le} ?"));
            args.push(Value::Integer(id));
        }
        if let Some(u) = &q.user {
            sql.push_str(" AND actor_name = ?");
            args.push(Value::Text(u.clone()));
        }
        if let Some(u) = &q.exclude_user {
            sql.push_str(" AND actor_name != ?");
            args.push(Value::Text(u.clone()));
        }
        let dir = if q.newer { "ASC" } else { "DESC" };
        sql.push_str(&format!(
            " ORDER BY rev_timestamp {dir}, rev_id {dir} LIMIT ?"
        ));
        args.push(Value::Integer(q.limit.min(i64::MAX as usize) as i64));
        let mut stmt = self.c().prepare_cached(&sql)?;
        let rows = stmt.query_map(params_from_iter(args), rev_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn previous_revision(&mut self, rev: &Revision) -> Result<Option<Revision>> {
        let sql = format!(
            "SELECT {REV_COLUMNS} FROM {REV_FROM} WHERE rev_page = ?1 AND \
             (rev_timestamp < ?2 OR (rev_timestamp = ?2 AND rev_id < ?3)) \
             ORDER BY rev_timestamp DESC, rev_id DESC LIMIT 1"
        );
        Ok(self
            .c()
            .prepare_cached(&sql)?
            .query_row(params![rev.page, rev.timestamp, rev.id], rev_row)
            .optional()?)
    }

    fn revision_count(&mut self, page: i64) -> Result<i64> {
        Ok(self
            .c()
            .prepare_cached("SELECT COUNT(*) FROM revision WHERE rev_page = ?1")?
            .query_row([page], |r| r.get(0))?)
    }

    fn content_text(&mut self, content_id: i64) -> Result<Option<String>> {
        let bytes: Option<Vec<u8>> = self
            .c()
            .prepare_cached("SELECT content_text FROM content WHERE content_id = ?1")?
            .query_row([content_id], |r| {
                let v: rusqlite::types::Value = r.get(0)?;
                Ok(match v {
                    Value::Text(s) => s.into_bytes(),
                    Value::Blob(b) => b,
                    _ => Vec::new(),
                })
            })
            .optional()?;
        Ok(bytes.map(|b| String::from_utf8_lossy(&b).into_owned()))
    }

    fn actor_id(&mut self, name: &str) -> Result<Option<i64>> {
        Ok(self
            .c()
            .prepare_cached("SELECT actor_id FROM actor WHERE actor_name = ?1")?
            .query_row([name], |r| r.get(0))
            .optional()?)
    }

    fn last_deletion(&mut self, ns: i32, dbkey: &str) -> Result<Option<String>> {
        Ok(self
            .c()
            .prepare_cached(
                "SELECT log_timestamp FROM logging WHERE log_namespace = ?1 AND log_title = ?2 \
                 AND log_type = 'delete' AND log_action = 'delete' \
                 ORDER BY log_timestamp DESC, log_id DESC LIMIT 1",
            )?
            .query_row(params![ns, dbkey], |r| r.get(0))
            .optional()?)
    }

    fn only_actor_since(&mut self, page: i64, actor: i64, since: &str) -> Result<bool> {
        let mut stmt = self.c().prepare_cached(
            "SELECT rev_actor FROM revision WHERE rev_page = ?1 AND rev_timestamp >= ?2 \
             ORDER BY rev_timestamp ASC, rev_id ASC LIMIT 50",
        )?;
        let actors: Vec<i64> = stmt
            .query_map(params![page, since], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        Ok(!actors.is_empty() && actors.iter().all(|a| *a == actor))
    }

    fn revision_at(&mut self, page: i64, timestamp: &str) -> Result<Option<i64>> {
        Ok(self
            .c()
            .prepare_cached(
                "SELECT rev_id FROM revision WHERE rev_page = ?1 AND rev_timestamp = ?2 \
                 ORDER BY rev_id LIMIT 1",
            )?
            .query_row(params![page, timestamp], |r| r.get(0))
            .optional()?)
    }

    fn recent_changes(&mut self, q: &RcQuery) -> Result<Vec<RecentChange>> {
        let mut sql = format!(
            "SELECT {RC_COLUMNS} FROM recentchanges JOIN actor ON actor_id = rc_actor \
             LEFT JOIN page ON page_id = rc_cur_id WHERE 1"
        );
        let mut args: Vec<Value> = Vec::new();
        rc_conditions(q, &mut sql, &mut args);
        let dir = if q.newer { "ASC" } else { "DESC" };
        sql.push_str(&format!(
            " ORDER BY rc_timestamp {dir}, rc_id {dir} LIMIT ?"
        ));
        args.push(Value::Integer(q.limit.min(i64::MAX as usize) as i64));
        let mut stmt = self.c().prepare_cached(&sql)?;
        let rows = stmt.query_map(params_from_iter(args), rc_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn log_events(&mut self, q: &LogQuery) -> Result<Vec<LogRow>> {
        let mut sql =
            format!("SELECT {LOG_COLUMNS} FROM logging JOIN actor ON actor_id = log_actor WHERE 1");
        let mut args: Vec<Value> = Vec::new();
        if let Some(b) = &q.start {
            ts_id_bound(&mut sql, &mut args, "log_timestamp", "log_id", b, q.newer);
        }
        if let Some(e) = &q.end {
            sql.push_str(if q.newer {
                " AND log_timestamp <= ?"
            } else {
                " AND log_timestamp >= ?"
            });
            args.push(Value::Text(e.clone()));
        }
        if let Some(t) = &q.log_type {
            sql.push_str(" AND log_type = ?");
            args.push(Value::Text(t.clone()));
        }
        if let Some(a) = &q.action {
            sql.push_str(" AND log_action = ?");
            args.push(Value::Text(a.clone()));
        }
        if let Some(u) = &q.user {
            sql.push_str(" AND actor_name = ?");
            args.push(Value::Text(u.clone()));
        }
        if let Some((ns, t)) = &q.title {
            sql.push_str(" AND log_namespace = ? AND log_title = ?");
            args.push(Value::Integer(i64::from(*ns)));
            args.push(Value::Text(t.clone()));
        }
        if let Some(ns) = q.namespace {
            sql.push_str(" AND log_namespace = ?");
            args.push(Value::Integer(i64::from(ns)));
        }
        if let Some(p) = &q.prefix {
            sql.push_str(" AND substr(log_title, 1, length(?)) = ?");
            args.push(Value::Text(p.clone()));
            args.push(Value::Text(p.clone()));
        }
        if let Some(tag) = &q.tag {
            sql.push_str(
                " AND EXISTS (SELECT 1 FROM change_tag JOIN change_tag_def ON ctd_id = ct_tag_id \
                 WHERE ct_log_id = log_id AND ctd_name = ?)",
            );
            args.push(Value::Text(tag.clone()));
        }
        let dir = if q.newer { "ASC" } else { "DESC" };
        sql.push_str(&format!(
            " ORDER BY log_timestamp {dir}, log_id {dir} LIMIT ?"
        ));
        args.push(Value::Integer(q.limit.min(i64::MAX as usize) as i64));
        let mut stmt = self.c().prepare_cached(&sql)?;
        let rows = stmt.query_map(params_from_iter(args), log_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn tags_of(&mut self, target: TagTarget, ids: &[i64]) -> Result<Vec<(i64, String)>> {
        let col = match target {
            TagTarget::Rc => "ct_rc_id",
            TagTarget::Rev => "ct_rev_id",
            TagTarget::Log => "ct_log_id",
        };
        let mut out = Vec::new();
        for chunk in ids.chunks(500) {
            let sql = format!(
                "SELECT {col}, ctd_name FROM change_tag JOIN change_tag_def ON ctd_id = ct_tag_id \
                 WHERE {col} IN ({}) ORDER BY ctd_name",
                placeholders(chunk.len())
            );
            let mut stmt = self.c().prepare_cached(&sql)?;
            let rows = stmt.query_map(params_from_iter(chunk.iter()), |r| {
                Ok((r.get(0)?, r.get(1)?))
            })?;
            for r in rows {
                out.push(r?);
            }
        }
        Ok(out)
    }

    fn applicable_tags(&mut self) -> Result<Vec<String>> {
        let mut stmt = self.c().prepare_cached(
            "SELECT ctd_name FROM change_tag_def WHERE ctd_user_defined = 1 ORDER BY ctd_name",
        )?;
        let rows = stmt.query_map([], |r| r.get(0))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn watch_item(&mut self, user: i64, ns: i32, dbkey: &str) -> Result<Option<Option<String>>> {
        Ok(self
            .c()
            .prepare_cached(
                "SELECT wl_expiry FROM watchlist WHERE wl_user = ?1 AND wl_namespace = ?2 \
                 AND wl_title = ?3",
            )?
            .query_row(params![user, ns, dbkey], |r| r.get::<_, Option<String>>(0))
            .optional()?)
    }

    fn watch_notification(
        &mut self,
        user: i64,
        ns: i32,
        dbkey: &str,
        now: &str,
    ) -> Result<Option<String>> {
        Ok(self
            .c()
            .prepare_cached(
                "SELECT wl_notificationtimestamp FROM watchlist WHERE wl_user = ?1 \
                 AND wl_namespace = ?2 AND wl_title = ?3 \
                 AND (wl_expiry IS NULL OR wl_expiry > ?4)",
            )?
            .query_row(params![user, ns, dbkey, now], |r| {
                r.get::<_, Option<String>>(0)
            })
            .optional()?
            .flatten())
    }

    fn watcher_count(&mut self, ns: i32, dbkey: &str, now: &str) -> Result<i64> {
        Ok(self
            .c()
            .prepare_cached(
                "SELECT COUNT(*) FROM watchlist WHERE wl_namespace = ?1 AND wl_title = ?2 \
                 AND (wl_expiry IS NULL OR wl_expiry > ?3)",
            )?
            .query_row(params![ns, dbkey, now], |r| r.get(0))?)
    }

    fn page_protections(&mut self, page: i64) -> Result<Vec<(String, String, String, bool)>> {
        let mut stmt = self.c().prepare_cached(
            "SELECT pr_type, pr_level, COALESCE(pr_expiry, 'infinity'), pr_cascade \
             FROM page_restrictions WHERE pr_page = ?1 ORDER BY pr_id",
        )?;
        let rows = stmt.query_map([page], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get::<_, i64>(3)? != 0))
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn title_protection(&mut self, ns: i32, dbkey: &str) -> Result<Option<(String, String)>> {
        Ok(self
            .c()
            .prepare_cached(
                "SELECT pt_create_perm, COALESCE(pt_expiry, 'infinity') FROM protected_titles \
                 WHERE pt_namespace = ?1 AND pt_title = ?2",
            )?
            .query_row(params![ns, dbkey], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?)
    }

    fn page_heads(&mut self) -> Result<Vec<(i64, i64, Option<i64>)>> {
        let mut stmt = self.c().prepare_cached(
            "SELECT page_id, page_latest, (SELECT content_id FROM revision JOIN content \
             ON content_id = rev_content_id WHERE rev_id = page_latest AND rev_page = page_id) \
             FROM page ORDER BY page_id",
        )?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}

impl PagesWrite for SqliteWrite<'_> {
    fn ensure_actor(&mut self, user_id: i64, name: &str) -> Result<i64> {
        let c = self.c();
        if let Some(id) = c
            .prepare_cached("SELECT actor_id FROM actor WHERE actor_name = ?1")?
            .query_row([name], |r| r.get::<_, i64>(0))
            .optional()?
        {
            return Ok(id);
        }
        let user: Option<i64> = if user_id > 0 { Some(user_id) } else { None };
        c.prepare_cached("INSERT INTO actor (actor_user, actor_name) VALUES (?1, ?2)")?
            .execute(params![user, name])?;
        Ok(c.last_insert_rowid())
    }

    fn insert_content(&mut self, text: &str, model: &str, sha1: &str) -> Result<i64> {
        let c = self.c();
        c.prepare_cached(
            "INSERT INTO content (content_size, content_sha1, content_model, content_text) \
             VALUES (?1, ?2, ?3, ?4)",
        )?
        .execute(params![text.len() as i64, sha1, model, text])?;
        Ok(c.last_insert_rowid())
    }

    fn insert_revision(&mut self, rev: &NewRevision) -> Result<i64> {
        let c = self.c();
        let parent: Option<i64> = Some(rev.parent_id);
        c.prepare_cached(
            "INSERT INTO revision (rev_page, rev_parent_id, rev_timestamp, rev_actor, rev_comment, \
             rev_minor_edit, rev_len, rev_sha1, rev_content_id) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        )?
        .execute(params![
            rev.page,
            parent,
            rev.timestamp,
            rev.actor,
            rev.comment,
            rev.minor as i64,
            rev.len,
            rev.sha1,
            rev.content_id
        ])?;
        Ok(c.last_insert_rowid())
    }

    fn insert_page(&mut self, p: &NewPage) -> Result<i64> {
        let c = self.c();
        c.prepare_cached(
            "INSERT INTO page (page_namespace, page_title, page_is_redirect, page_is_new, \
             page_random, page_touched, page_latest, page_len, page_content_model) \
             VALUES (?1, ?2, ?3, 1, ?4, ?5, ?6, ?7, ?8)",
        )?
        .execute(params![
            p.ns,
            p.title,
            p.is_redirect as i64,
            p.random,
            p.touched,
            p.latest,
            p.len,
            p.content_model
        ])?;
        Ok(c.last_insert_rowid())
    }

    fn update_page_latest(
        &mut self,
        page: i64,
        latest: i64,
        touched: &str,
        len: i64,
        is_redirect: bool,
        content_model: &str,
    ) -> Result<()> {
        // A page is "new" while it has one revision (count at most two rows:
        // counting them all made each save O(history), an import O(history²)).
        self.c()
            .prepare_cached(
                "UPDATE page SET page_latest = ?2, page_touched = ?3, page_len = ?4, \
                 page_is_redirect = ?5, page_content_model = ?6, \
                 page_is_new = ((SELECT COUNT(*) FROM (SELECT 1 FROM revision \
                 WHERE rev_page = ?1 LIMIT 2)) = 1) \
                 WHERE page_id = ?1",
            )?
            .execute(params![
                page,
                latest,
                touched,
                len,
                is_redirect as i64,
                content_model
            ])?;
        Ok(())
    }

    fn insert_recent_change(&mut self, rc: &RecentChange) -> Result<i64> {
        let c = self.c();
        c.prepare_cached(
            "INSERT INTO recentchanges (rc_timestamp, rc_actor, rc_namespace, rc_title, rc_comment, \
             rc_minor, rc_bot, rc_new, rc_cur_id, rc_this_oldid, rc_last_oldid, rc_type, rc_source, \
             rc_patrolled, rc_ip, rc_old_len, rc_new_len, rc_deleted, rc_logid, rc_log_type, \
             rc_log_action, rc_params) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, \
             ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22)",
        )?
        .execute(params![
            rc.timestamp,
            rc.actor,
            rc.ns,
            rc.title,
            rc.comment,
            rc.minor as i64,
            rc.bot as i64,
            rc.new as i64,
            rc.cur_id,
            rc.this_oldid,
            rc.last_oldid,
            rc.rc_type,
            rc.source,
            rc.patrolled,
            rc.ip,
            rc.old_len,
            rc.new_len,
            rc.deleted,
            rc.logid,
            rc.log_type,
            rc.log_action,
            rc.params
        ])?;
        Ok(c.last_insert_rowid())
    }

    fn insert_log(&mut self, l: &LogRow) -> Result<i64> {
        let c = self.c();
        let page: Option<i64> = Some(l.page);
        c.prepare_cached(
            "INSERT INTO logging (log_type, log_action, log_timestamp, log_actor, log_namespace, \
             log_title, log_page, log_comment, log_params, log_deleted) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        )?
        .execute(params![
            l.log_type,
            l.action,
            l.timestamp,
            l.actor,
            l.ns,
            l.title,
            page,
            l.comment,
            l.params,
            l.deleted
        ])?;
        Ok(c.last_insert_rowid())
    }

    fn add_tags(
        &mut self,
        tags: &[String],
        rc: Option<i64>,
        rev: Option<i64>,
        log: Option<i64>,
    ) -> Result<()> {
        let c = self.c();
        for tag in tags {
            c.prepare_cached("INSERT OR IGNORE INTO change_tag_def (ctd_name) VALUES (?1)")?
                .execute([tag])?;
            let id: i64 = c
                .prepare_cached("SELECT ctd_id FROM change_tag_def WHERE ctd_name = ?1")?
                .query_row([tag], |r| r.get(0))?;
            c.prepare_cached(
                "INSERT INTO change_tag (ct_rc_id, ct_log_id, ct_rev_id, ct_tag_id) \
                 VALUES (?1, ?2, ?3, ?4)",
            )?
            .execute(params![rc, log, rev, id])?;
            c.prepare_cached(
                "UPDATE change_tag_def SET ctd_count = ctd_count + 1 WHERE ctd_id = ?1",
            )?
            .execute([id])?;
        }
        Ok(())
    }

    fn define_user_tag(&mut self, name: &str) -> Result<()> {
        self.c()
            .prepare_cached(
                "INSERT INTO change_tag_def (ctd_name, ctd_user_defined) VALUES (?1, 1) \
                 ON CONFLICT (ctd_name) DO UPDATE SET ctd_user_defined = 1",
            )?
            .execute([name])?;
        Ok(())
    }

    fn touch_page(&mut self, page: i64, now: &str) -> Result<()> {
        self.conn
            .prepare_cached(
                "UPDATE page SET page_touched = ?2 WHERE page_id = ?1 AND page_touched < ?2",
            )?
            .execute(params![page, now])?;
        Ok(())
    }

    fn bump_stats(&mut self, edits: i64, pages: i64, articles: i64) -> Result<()> {
        self.c()
            .prepare_cached(
                "UPDATE site_stats SET ss_total_edits = ss_total_edits + ?1, \
                 ss_total_pages = ss_total_pages + ?2, ss_good_articles = ss_good_articles + ?3 \
                 WHERE ss_row_id = 1",
            )?
            .execute(params![edits, pages, articles])?;
        Ok(())
    }

    fn bump_user_editcount(&mut self, user: i64) -> Result<()> {
        self.c()
            .prepare_cached(
                "UPDATE user SET user_editcount = user_editcount + 1 WHERE user_id = ?1",
            )?
            .execute([user])?;
        Ok(())
    }

    fn index_page(&mut self, page: i64, title: &str, text: &str) -> Result<()> {
        let c = self.c();
        c.prepare_cached("DELETE FROM searchindex WHERE rowid = ?1")?
            .execute([page])?;
        c.prepare_cached("INSERT INTO searchindex (rowid, si_title, si_text) VALUES (?1, ?2, ?3)")?
            .execute(params![page, title, text])?;
        Ok(())
    }

    fn watch(&mut self, user: i64, ns: i32, dbkey: &str, expiry: Option<&str>) -> Result<()> {
        let c = self.c();
        let subject = ns & !1;
        for n in [subject, subject + 1] {
            c.prepare_cached(
                "INSERT INTO watchlist (wl_user, wl_namespace, wl_title, wl_expiry) \
                 VALUES (?1, ?2, ?3, ?4) ON CONFLICT (wl_user, wl_namespace, wl_title) \
                 DO UPDATE SET wl_expiry = excluded.wl_expiry",
            )?
            .execute(params![user, n, dbkey, expiry])?;
        }
        Ok(())
    }

    fn unwatch(&mut self, user: i64, ns: i32, dbkey: &str) -> Result<()> {
        let subject = ns & !1;
        self.c()
            .prepare_cached(
                "DELETE FROM watchlist WHERE wl_user = ?1 AND wl_namespace IN (?2, ?3) \
                 AND wl_title = ?4",
            )?
            .execute(params![user, subject, subject + 1, dbkey])?;
        Ok(())
    }

    fn notify_watchers(
        &mut self,
        ns: i32,
        dbkey: &str,
        editor: i64,
        timestamp: &str,
    ) -> Result<()> {
        self.c()
            .prepare_cached(
                "UPDATE watchlist SET wl_notificationtimestamp = ?4 \
                 WHERE wl_namespace = ?1 AND wl_title = ?2 AND wl_user != ?3 \
                 AND wl_notificationtimestamp IS NULL \
                 AND (wl_expiry IS NULL OR wl_expiry > ?4)",
            )?
            .execute(params![ns, dbkey, editor, timestamp])?;
        Ok(())
    }
}
