//! SQLite side of `storage::archive`.

use anyhow::Result;
use rusqlite::types::Value;
use rusqlite::{params, params_from_iter, OptionalExtension};

use super::{placeholders, Conn, SqliteWrite};
use crate::storage::archive::{
    ArchiveOrder, ArchiveQuery, ArchiveRead, ArchiveWrite, Archived, ArchivedRevision, Restored,
};
use crate::storage::pages::{NewPage, Revision};

const AR_COLUMNS: &str = "ar_id, ar_namespace, ar_title, ar_rev_id, COALESCE(ar_page_id, 0), \
     COALESCE(ar_parent_id, 0), ar_timestamp, ar_actor, actor_name, COALESCE(actor_user, 0), \
     ar_comment, ar_minor_edit, ar_deleted, COALESCE(ar_len, 0), ar_sha1, ar_content_id, \
     COALESCE(content_model, 'wikitext')";
const AR_FROM: &str = "archive JOIN actor ON actor_id = ar_actor \
     LEFT JOIN content ON content_id = ar_content_id";

fn ar_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<ArchivedRevision> {
    Ok(ArchivedRevision {
        ar_id: r.get(0)?,
        ns: r.get(1)?,
        title: r.get(2)?,
        rev: Revision {
            id: r.get(3)?,
            page: r.get(4)?,
            parent_id: r.get(5)?,
            timestamp: r.get(6)?,
            actor: r.get(7)?,
            user_name: r.get(8)?,
            user_id: r.get(9)?,
            comment: r.get(10)?,
            minor: r.get::<_, i64>(11)? != 0,
            deleted: r.get(12)?,
            len: r.get(13)?,
            sha1: r.get(14)?,
            content_id: r.get(15)?,
            content_model: r.get(16)?,
        },
    })
}

/// `ar_namespace = ? AND ar_title = ?` plus an optional timestamp list.
fn title_cond(ns: i32, dbkey: &str, timestamps: Option<&[String]>) -> (String, Vec<Value>) {
    let mut sql = String::from("ar_namespace = ? AND ar_title = ?");
    let mut args = vec![
        Value::Integer(i64::from(ns)),
        Value::Text(dbkey.to_string()),
    ];
    if let Some(ts) = timestamps {
        sql.push_str(&format!(
            " AND ar_timestamp IN ({})",
            placeholders(ts.len().max(1))
        ));
        if ts.is_empty() {
            args.push(Value::Text(String::new()));
        }
        args.extend(ts.iter().map(|t| Value::Text(t.clone())));
    }
    (sql, args)
}

impl<T: Conn> ArchiveRead for T {
    fn archived_revisions(&mut self, q: &ArchiveQuery) -> Result<Vec<ArchivedRevision>> {
        let mut sql = format!("SELECT {AR_COLUMNS} FROM {AR_FROM} WHERE 1");
        let mut args: Vec<Value> = Vec::new();
        if let Some(titles) = &q.titles {
            if titles.is_empty() {
                sql.push_str(" AND 0");
            } else {
                let conds: Vec<&str> = titles
                    .iter()
                    .map(|_| "(ar_namespace = ? AND ar_title = ?)")
                    .collect();
                sql.push_str(&format!(" AND ({})", conds.join(" OR ")));
                for (ns, t) in titles {
                    args.push(Value::Integer(i64::from(*ns)));
                    args.push(Value::Text(t.clone()));
                }
            }
        }
        if let Some(ids) = &q.rev_ids {
            sql.push_str(&format!(
                " AND ar_rev_id IN ({})",
                placeholders(ids.len().max(1))
            ));
            if ids.is_empty() {
                args.push(Value::Integer(-1));
            }
            args.extend(ids.iter().map(|i| Value::Integer(*i)));
        }
        if let Some(ns) = &q.namespaces {
            sql.push_str(&format!(
                " AND ar_namespace IN ({})",
                placeholders(ns.len().max(1))
            ));
            if ns.is_empty() {
                args.push(Value::Integer(i64::MIN));
            }
            args.extend(ns.iter().map(|n| Value::Integer(i64::from(*n))));
        }
        let (ge, le) = if q.newer { (">=", "<=") } else { ("<=", ">=") };
        if let Some(f) = &q.from {
            sql.push_str(&format!(" AND ar_title {ge} ?"));
            args.push(Value::Text(f.clone()));
        }
        if let Some(t) = &q.to {
            sql.push_str(&format!(" AND ar_title {le} ?"));
            args.push(Value::Text(t.clone()));
        }
        if let Some(p) = &q.prefix {
            sql.push_str(" AND substr(ar_title, 1, length(?)) = ?");
            args.push(Value::Text(p.clone()));
            args.push(Value::Text(p.clone()));
        }
        if let Some(u) = &q.user {
            sql.push_str(" AND actor_name = ?");
            args.push(Value::Text(u.clone()));
        }
        if let Some(u) = &q.exclude_user {
            sql.push_str(" AND actor_name != ?");
            args.push(Value::Text(u.clone()));
        }
        if let Some(s) = &q.start {
            sql.push_str(&format!(" AND ar_timestamp {ge} ?"));
            args.push(Value::Text(s.clone()));
        }
        if let Some(e) = &q.end {
            sql.push_str(&format!(" AND ar_timestamp {le} ?"));
            args.push(Value::Text(e.clone()));
        }
        let op = if q.newer { ">" } else { "<" };
        if let Some((ns, title, ts, id)) = &q.cont_title {
            sql.push_str(&format!(
                " AND (ar_namespace {op} ? OR (ar_namespace = ? AND (ar_title {op} ? OR \
                 (ar_title = ? AND (ar_timestamp {op} ? OR (ar_timestamp = ? AND ar_id {op}= ?))))))"
            ));
            args.push(Value::Integer(i64::from(*ns)));
            args.push(Value::Integer(i64::from(*ns)));
            args.push(Value::Text(title.clone()));
            args.push(Value::Text(title.clone()));
            args.push(Value::Text(ts.clone()));
            args.push(Value::Text(ts.clone()));
            args.push(Value::Integer(*id));
        }
        if let Some((ts, id)) = &q.cont_time {
            sql.push_str(&format!(
                " AND (ar_timestamp {op} ? OR (ar_timestamp = ? AND ar_id {op}= ?))"
            ));
            args.push(Value::Text(ts.clone()));
            args.push(Value::Text(ts.clone()));
            args.push(Value::Integer(*id));
        }
        if let Some(tag) = &q.tag {
            sql.push_str(
                " AND EXISTS (SELECT 1 FROM change_tag JOIN change_tag_def ON ctd_id = ct_tag_id \
                 WHERE ct_rev_id = ar_rev_id AND ctd_name = ?)",
            );
            args.push(Value::Text(tag.clone()));
        }
        let dir = if q.newer { "ASC" } else { "DESC" };
        match q.order {
            ArchiveOrder::ByTitle if q.sort_by_title => sql.push_str(&format!(
                " ORDER BY ar_namespace {dir}, ar_title {dir}, ar_timestamp {dir}, ar_id {dir}"
            )),
            _ => sql.push_str(&format!(" ORDER BY ar_timestamp {dir}, ar_id {dir}")),
        }
        sql.push_str(" LIMIT ?");
        args.push(Value::Integer(q.limit.min(i64::MAX as usize) as i64));
        let mut stmt = self.c().prepare_cached(&sql)?;
        let rows = stmt.query_map(params_from_iter(args), ar_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn archive_count(&mut self, ns: i32, dbkey: &str) -> Result<i64> {
        Ok(self
            .c()
            .prepare_cached(
                "SELECT COUNT(*) FROM archive WHERE ar_namespace = ?1 AND ar_title = ?2",
            )?
            .query_row(params![ns, dbkey], |r| r.get(0))?)
    }

    fn newest_restorable(
        &mut self,
        ns: i32,
        dbkey: &str,
        timestamps: Option<&[String]>,
    ) -> Result<Option<ArchivedRevision>> {
        let (cond, args) = title_cond(ns, dbkey, timestamps);
        let sql = format!(
            "SELECT {AR_COLUMNS} FROM {AR_FROM} WHERE {cond} AND NOT EXISTS \
             (SELECT 1 FROM revision WHERE rev_id = ar_rev_id) \
             ORDER BY ar_timestamp DESC, ar_id DESC LIMIT 1"
        );
        Ok(self
            .c()
            .prepare_cached(&sql)?
            .query_row(params_from_iter(args), ar_row)
            .optional()?)
    }

    fn contributor_sample(&mut self, page: i64, limit: usize) -> Result<Vec<String>> {
        let mut stmt = self.c().prepare_cached(
            "SELECT actor_name FROM revision JOIN actor ON actor_id = rev_actor \
             WHERE rev_page = ?1 AND (rev_deleted & 4) = 0 \
             ORDER BY rev_actor, rev_timestamp LIMIT ?2",
        )?;
        let rows = stmt.query_map(params![page, limit as i64], |r| r.get(0))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}

impl ArchiveWrite for SqliteWrite<'_> {
    fn archive_page_revisions(&mut self, page: i64, ns: i32, dbkey: &str) -> Result<Archived> {
        let c = self.c();
        let moved = c
            .prepare_cached(
                "INSERT INTO archive (ar_namespace, ar_title, ar_page_id, ar_rev_id, ar_parent_id, \
                 ar_timestamp, ar_actor, ar_comment, ar_minor_edit, ar_deleted, ar_len, ar_sha1, \
                 ar_content_id) \
                 SELECT ?2, ?3, rev_page, rev_id, rev_parent_id, rev_timestamp, rev_actor, \
                 rev_comment, rev_minor_edit, rev_deleted, rev_len, rev_sha1, rev_content_id \
                 FROM revision WHERE rev_page = ?1 ORDER BY rev_timestamp, rev_id",
            )?
            .execute(params![page, ns, dbkey])?;
        let removed = c
            .prepare_cached("DELETE FROM revision WHERE rev_page = ?1")?
            .execute([page])?;
        anyhow::ensure!(
            moved == removed,
            "archived {moved} revisions of page {page} but removed {removed}"
        );
        Ok(Archived {
            revisions: moved as i64,
        })
    }

    fn remove_page_row(&mut self, page: i64, ns: i32, dbkey: &str, now: &str) -> Result<()> {
        let c = self.c();
        c.prepare_cached("DELETE FROM page WHERE page_id = ?1")?
            .execute([page])?;
        c.prepare_cached("DELETE FROM page_restrictions WHERE pr_page = ?1")?
            .execute([page])?;
        c.prepare_cached("DELETE FROM searchindex WHERE rowid = ?1")?
            .execute([page])?;
        c.prepare_cached("DELETE FROM parser_cache WHERE pc_page = ?1")?
            .execute([page])?;
        c.prepare_cached(
            "DELETE FROM recentchanges WHERE rc_type != 3 AND (rc_cur_id = ?1 OR \
             (rc_namespace = ?2 AND rc_title = ?3 AND rc_timestamp < ?4))",
        )?
        .execute(params![page, ns, dbkey, now])?;
        Ok(())
    }

    fn insert_page_with_id(&mut self, id: Option<i64>, p: &NewPage) -> Result<i64> {
        let c = self.c();
        let free = match id {
            Some(i) if i > 0 => c
                .prepare_cached("SELECT 1 FROM page WHERE page_id = ?1")?
                .query_row([i], |_| Ok(()))
                .optional()?
                .is_none(),
            _ => false,
        };
        let wanted: Option<i64> = if free { id } else { None };
        c.prepare_cached(
            "INSERT INTO page (page_id, page_namespace, page_title, page_is_redirect, page_is_new, \
             page_random, page_touched, page_latest, page_len, page_content_model) \
             VALUES (?1, ?2, ?3, ?4, 1, ?5, ?6, ?7, ?8, ?9)",
        )?
        .execute(params![
            wanted,
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

    fn restore_archived(
        &mut self,
        ns: i32,
        dbkey: &str,
        timestamps: Option<&[String]>,
        page: i64,
    ) -> Result<Restored> {
        let c = self.c();
        let (cond, args) = title_cond(ns, dbkey, timestamps);
        c.execute_batch(
            "CREATE TEMP TABLE IF NOT EXISTS wikid_restore (ar_id INTEGER PRIMARY KEY); \
             DELETE FROM temp.wikid_restore;",
        )?;
        let selected = c
            .prepare_cached(&format!(
                "INSERT INTO temp.wikid_restore (ar_id) SELECT ar_id FROM archive WHERE {cond} \
                 AND NOT EXISTS (SELECT 1 FROM revision WHERE rev_id = ar_rev_id)"
            ))?
            .execute(params_from_iter(args.iter()))?;
        let total: i64 = c
            .prepare_cached(&format!("SELECT COUNT(*) FROM archive WHERE {cond}"))?
            .query_row(params_from_iter(args.iter()), |r| r.get(0))?;
        let inserted = c
            .prepare_cached(
                "INSERT INTO revision (rev_id, rev_page, rev_parent_id, rev_timestamp, rev_actor, \
                 rev_comment, rev_minor_edit, rev_deleted, rev_len, rev_sha1, rev_content_id) \
                 SELECT ar_rev_id, ?1, ar_parent_id, ar_timestamp, ar_actor, ar_comment, \
                 ar_minor_edit, ar_deleted, COALESCE(ar_len, (SELECT content_size FROM content \
                 WHERE content_id = ar_content_id), 0), ar_sha1, ar_content_id \
                 FROM archive WHERE ar_id IN (SELECT ar_id FROM temp.wikid_restore) \
                 ORDER BY ar_timestamp, ar_id",
            )?
            .execute([page])?;
        let removed = c
            .prepare_cached(
                "DELETE FROM archive WHERE ar_id IN (SELECT ar_id FROM temp.wikid_restore)",
            )?
            .execute([])?;
        c.execute_batch("DELETE FROM temp.wikid_restore")?;
        anyhow::ensure!(
            selected == inserted && inserted == removed,
            "restore of {dbkey}: selected {selected}, inserted {inserted}, removed {removed}"
        );
        Ok(Restored {
            revisions: inserted as i64,
            duplicates: total - selected as i64,
        })
    }
}
