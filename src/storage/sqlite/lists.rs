//! SQLite side of `storage::lists`: random pages, create-protected titles, the
//! special-page reports and the watchlist.

use anyhow::Result;
use rusqlite::types::Value;
use rusqlite::{params, params_from_iter, OptionalExtension};

use super::pages::{rc_conditions, rc_row, RC_COLUMNS};
use super::{page_row, placeholders, Conn, PAGE_COLUMNS};
use crate::storage::lists::*;
use crate::storage::pages::{RcQuery, RecentChange};
use crate::storage::Page;

fn ns_in(sql: &mut String, args: &mut Vec<Value>, col: &str, ns: &[i32]) {
    sql.push_str(&format!(
        " AND {col} IN ({})",
        placeholders(ns.len().max(1))
    ));
    if ns.is_empty() {
        args.push(Value::Integer(i64::MIN));
    }
    args.extend(ns.iter().map(|n| Value::Integer(i64::from(*n))));
}

/// The SQL of a special-page report: columns namespace, title, value (text or
/// NULL), ordered as MediaWiki orders it. Content namespaces are just the main one.
fn query_page_sql(name: &str) -> Option<&'static str> {
    Some(match name {
        "Shortpages" => {
            "SELECT page_namespace, page_title, CAST(page_len AS TEXT) FROM page \
             WHERE page_namespace = 0 AND page_is_redirect = 0 ORDER BY page_len, page_id"
        }
        "Longpages" => {
            "SELECT page_namespace, page_title, CAST(page_len AS TEXT) FROM page \
             WHERE page_namespace = 0 AND page_is_redirect = 0 \
             ORDER BY page_len DESC, page_id DESC"
        }
        "Ancientpages" => {
            "SELECT page_namespace, page_title, rev_timestamp FROM page \
             JOIN revision ON rev_id = page_latest \
             WHERE page_namespace = 0 AND page_is_redirect = 0 ORDER BY rev_timestamp, page_id"
        }
        "Deadendpages" => {
            "SELECT page_namespace, page_title, NULL FROM page \
             WHERE page_namespace = 0 AND page_is_redirect = 0 \
             AND NOT EXISTS (SELECT 1 FROM pagelinks WHERE pl_from = page_id) \
             ORDER BY page_title"
        }
        "Lonelypages" => {
            "SELECT page_namespace, page_title, NULL FROM page \
             WHERE page_namespace = 0 AND page_is_redirect = 0 \
             AND NOT EXISTS (SELECT 1 FROM pagelinks WHERE pl_namespace = page_namespace \
                 AND pl_title = page_title) \
             AND NOT EXISTS (SELECT 1 FROM templatelinks WHERE tl_namespace = page_namespace \
                 AND tl_title = page_title) \
             ORDER BY page_title"
        }
        "Uncategorizedpages" => {
            "SELECT page_namespace, page_title, NULL FROM page \
             WHERE page_namespace = 0 AND page_is_redirect = 0 \
             AND NOT EXISTS (SELECT 1 FROM categorylinks WHERE cl_from = page_id) \
             ORDER BY page_title"
        }
        "Uncategorizedtemplates" => {
            "SELECT page_namespace, page_title, NULL FROM page \
             WHERE page_namespace = 10 AND page_is_redirect = 0 \
             AND NOT EXISTS (SELECT 1 FROM categorylinks WHERE cl_from = page_id) \
             ORDER BY page_title"
        }
        "Uncategorizedcategories" => {
            "SELECT page_namespace, page_title, NULL FROM page \
             WHERE page_namespace = 14 AND page_is_redirect = 0 \
             AND NOT EXISTS (SELECT 1 FROM categorylinks WHERE cl_from = page_id) \
             ORDER BY page_title"
        }
        "Unusedtemplates" => {
            "SELECT page_namespace, page_title, NULL FROM page \
             WHERE page_namespace = 10 AND page_is_redirect = 0 \
             AND NOT EXISTS (SELECT 1 FROM templatelinks WHERE tl_namespace = page_namespace \
                 AND tl_title = page_title) \
             ORDER BY page_title"
        }
        "Withoutinterwiki" => {
            "SELECT page_namespace, page_title, NULL FROM page \
             WHERE page_namespace = 0 AND page_is_redirect = 0 \
             AND NOT EXISTS (SELECT 1 FROM langlinks WHERE ll_from = page_id) \
             ORDER BY page_namespace, page_title"
        }
        "Unwatchedpages" => {
            "SELECT page_namespace, page_title, CAST(page_namespace AS TEXT) FROM page \
             WHERE page_is_redirect = 0 AND page_namespace != 8 \
             AND NOT EXISTS (SELECT 1 FROM watchlist WHERE wl_namespace = page_namespace \
                 AND wl_title = page_title) \
             ORDER BY page_namespace, page_title"
        }
        "Fewestrevisions" => {
            "SELECT page_namespace, page_title, CAST(COUNT(*) AS TEXT) FROM revision \
             JOIN page ON page_id = rev_page \
             WHERE page_namespace = 0 AND page_is_redirect = 0 \
             GROUP BY page_namespace, page_title ORDER BY COUNT(*), MIN(page_id)"
        }
        "Mostrevisions" => {
            "SELECT page_namespace, page_title, CAST(COUNT(*) AS TEXT) FROM revision \
             JOIN page ON page_id = rev_page \
             WHERE page_namespace = 0 AND page_is_redirect = 0 \
             GROUP BY page_namespace, page_title ORDER BY COUNT(*) DESC, MIN(page_id)"
        }
        "Mostlinkedtemplates" => {
            "SELECT tl_namespace, tl_title, CAST(COUNT(*) AS TEXT) FROM templatelinks \
             GROUP BY tl_namespace, tl_title ORDER BY COUNT(*) DESC, tl_namespace, tl_title"
        }
        "Mostlinkedcategories" => {
            "SELECT 14, cat_title, CAST(cat_pages AS TEXT) FROM category WHERE cat_pages > 0 \
             ORDER BY cat_pages DESC, cat_title"
        }
        "Wantedpages" => {
            "SELECT pl_namespace, pl_title, CAST(COUNT(*) AS TEXT) FROM pagelinks \
             LEFT JOIN page pg1 ON pg1.page_namespace = pl_namespace AND pg1.page_title = pl_title \
             LEFT JOIN page pg2 ON pg2.page_id = pl_from \
             WHERE pg1.page_namespace IS NULL AND pl_namespace NOT IN (2, 3) \
             AND pg2.page_namespace != 8 \
             GROUP BY pl_namespace, pl_title \
             HAVING COUNT(*) > 0 AND COUNT(*) > SUM(pg2.page_is_redirect) \
             ORDER BY COUNT(*) DESC, pl_namespace, pl_title"
        }
        "Wantedtemplates" => {
            "SELECT tl_namespace, tl_title, CAST(COUNT(*) AS TEXT) FROM templatelinks \
             LEFT JOIN page ON page_namespace = tl_namespace AND page_title = tl_title \
             WHERE page_id IS NULL AND tl_namespace = 10 \
             GROUP BY tl_namespace, tl_title ORDER BY COUNT(*) DESC, tl_namespace, tl_title"
        }
        "Wantedcategories" => {
            "SELECT 14, cl_to, CAST(COUNT(*) AS TEXT) FROM categorylinks \
             LEFT JOIN page ON page_namespace = 14 AND page_title = cl_to \
             WHERE page_id IS NULL \
             GROUP BY cl_to ORDER BY COUNT(*) DESC, cl_to"
        }
        "Unusedcategories" => {
            "SELECT page_namespace, page_title, NULL FROM page \
             WHERE page_namespace = 14 \
             AND NOT EXISTS (SELECT 1 FROM categorylinks WHERE cl_to = page_title) \
             ORDER BY page_title"
        }
        "Mostcategories" => {
            "SELECT page_namespace, page_title, CAST(COUNT(*) AS TEXT) FROM categorylinks \
             JOIN page ON page_id = cl_from WHERE page_namespace = 0 \
             GROUP BY cl_from HAVING COUNT(*) > 1 \
             ORDER BY COUNT(*) DESC, page_namespace, page_title"
        }
        "Mostinterwikis" => {
            "SELECT page_namespace, page_title, CAST(COUNT(*) AS TEXT) FROM langlinks \
             JOIN page ON page_id = ll_from WHERE page_namespace = 0 \
             GROUP BY ll_from HAVING COUNT(*) > 1 \
             ORDER BY COUNT(*) DESC, page_namespace, page_title"
        }
        // Reports about files: nothing to list until the wiki has files.
        "ListDuplicatedFiles"
        | "MediaStatistics"
        | "Mostimages"
        | "Uncategorizedimages"
        | "Unusedimages"
        | "Wantedfiles" => "SELECT 0, '', NULL WHERE 0",
        _ => return None,
    })
}

impl<T: Conn> ListsRead for T {
    fn random_pages(
        &mut self,
        namespaces: Option<&[i32]>,
        redirects: Option<bool>,
        start: Option<(f64, i64)>,
        end: Option<f64>,
        limit: usize,
    ) -> Result<Vec<(Page, f64)>> {
        let mut sql = format!("SELECT {PAGE_COLUMNS}, page_random FROM page WHERE 1");
        let mut args: Vec<Value> = Vec::new();
        if let Some(ns) = namespaces {
            ns_in(&mut sql, &mut args, "page_namespace", ns);
        }
        match redirects {
            Some(true) => sql.push_str(" AND page_is_redirect = 1"),
            Some(false) => sql.push_str(" AND page_is_redirect = 0"),
            None => {}
        }
        if let Some((r, id)) = start {
            if id > 0 {
                sql.push_str(" AND ((page_random = ? AND page_id >= ?) OR page_random > ?)");
                args.push(Value::Real(r));
                args.push(Value::Integer(id));
                args.push(Value::Real(r));
            } else {
                sql.push_str(" AND page_random >= ?");
                args.push(Value::Real(r));
            }
        }
        if let Some(e) = end {
            sql.push_str(" AND page_random < ?");
            args.push(Value::Real(e));
        }
        sql.push_str(" ORDER BY page_random, page_id LIMIT ?");
        args.push(Value::Integer(limit.min(i64::MAX as usize) as i64));
        let mut stmt = self.c().prepare_cached(&sql)?;
        let rows = stmt.query_map(params_from_iter(args), |r| Ok((page_row(r)?, r.get(10)?)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn protected_titles(&mut self, q: &ProtectedTitleQuery) -> Result<Vec<ProtectedTitle>> {
        let mut sql = String::from(
            "SELECT pt_namespace, pt_title, pt_user, COALESCE(user_name, ''), pt_reason, \
             pt_timestamp, pt_expiry, pt_create_perm FROM protected_titles \
             LEFT JOIN user ON user_id = pt_user \
             WHERE 1",
        );
        let mut args: Vec<Value> = Vec::new();
        if let Some(ns) = &q.namespaces {
            ns_in(&mut sql, &mut args, "pt_namespace", ns);
        }
        if let Some(levels) = &q.levels {
            sql.push_str(&format!(
                " AND pt_create_perm IN ({})",
                placeholders(levels.len().max(1))
            ));
            if levels.is_empty() {
                args.push(Value::Null);
            }
            args.extend(levels.iter().map(|l| Value::Text(l.clone())));
        }
        let (op, dir) = if q.newer { (">", "ASC") } else { ("<", "DESC") };
        if let Some((ts, key)) = &q.start {
            match key {
                Some((ns, title)) => {
                    sql.push_str(&format!(
                        " AND (pt_timestamp {op} ? OR (pt_timestamp = ? AND (pt_namespace {op} ? \
                         OR (pt_namespace = ? AND pt_title {op}= ?))))"
                    ));
                    args.push(Value::Text(ts.clone()));
                    args.push(Value::Text(ts.clone()));
                    args.push(Value::Integer(i64::from(*ns)));
                    args.push(Value::Integer(i64::from(*ns)));
                    args.push(Value::Text(title.clone()));
                }
                None => {
                    sql.push_str(&format!(" AND pt_timestamp {op}= ?"));
                    args.push(Value::Text(ts.clone()));
                }
            }
        }
        if let Some(e) = &q.end {
            let op = if q.newer { "<=" } else { ">=" };
            sql.push_str(&format!(" AND pt_timestamp {op} ?"));
            args.push(Value::Text(e.clone()));
        }
        sql.push_str(&format!(
            " ORDER BY pt_timestamp {dir}, pt_namespace {dir}, pt_title {dir} LIMIT ?"
        ));
        args.push(Value::Integer(q.limit.min(i64::MAX as usize) as i64));
        let mut stmt = self.c().prepare_cached(&sql)?;
        let rows = stmt.query_map(params_from_iter(args), |r| {
            let expiry: Option<String> = r.get(6)?;
            Ok(ProtectedTitle {
                ns: r.get(0)?,
                title: r.get(1)?,
                user_id: r.get(2)?,
                user_name: r.get(3)?,
                reason: r.get(4)?,
                timestamp: r.get(5)?,
                expiry: expiry.filter(|e| e != "infinity"),
                level: r.get(7)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn query_page(
        &mut self,
        name: &str,
        limit: usize,
        offset: usize,
    ) -> Result<Option<Vec<QueryPageRow>>> {
        let Some(base) = query_page_sql(name) else {
            return Ok(None);
        };
        let sql = format!("{base} LIMIT ? OFFSET ?");
        let mut stmt = self.c().prepare_cached(&sql)?;
        let rows = stmt.query_map(
            params![
                limit.min(i64::MAX as usize) as i64,
                offset.min(i64::MAX as usize) as i64
            ],
            |r| {
                Ok(QueryPageRow {
                    ns: r.get(0)?,
                    title: r.get(1)?,
                    value: r.get::<_, Option<String>>(2)?,
                })
            },
        )?;
        Ok(Some(rows.collect::<Result<_, _>>()?))
    }

    fn watched_items(&mut self, q: &WatchedQuery) -> Result<Vec<WatchedItem>> {
        let mut sql = String::from(
            "SELECT wl_namespace, wl_title, wl_notificationtimestamp, wl_expiry FROM watchlist \
             WHERE wl_user = ? AND (wl_expiry IS NULL OR wl_expiry > ?)",
        );
        let mut args: Vec<Value> = vec![Value::Integer(q.user), Value::Text(q.now.clone())];
        if let Some(ns) = &q.namespaces {
            ns_in(&mut sql, &mut args, "wl_namespace", ns);
        }
        match q.changed {
            Some(true) => sql.push_str(" AND wl_notificationtimestamp IS NOT NULL"),
            Some(false) => sql.push_str(" AND wl_notificationtimestamp IS NULL"),
            None => {}
        }
        let (ge, le) = if q.descending { ("<", ">") } else { (">", "<") };
        for (bound, op) in [(&q.start, ge), (&q.from, ge), (&q.until, le)] {
            if let Some((ns, title)) = bound {
                sql.push_str(&format!(
                    " AND (wl_namespace {op} ? OR (wl_namespace = ? AND wl_title {op}= ?))"
                ));
                args.push(Value::Integer(i64::from(*ns)));
                args.push(Value::Integer(i64::from(*ns)));
                args.push(Value::Text(title.clone()));
            }
        }
        let dir = if q.descending { "DESC" } else { "ASC" };
        sql.push_str(&format!(
            " ORDER BY wl_namespace {dir}, wl_title {dir} LIMIT ?"
        ));
        args.push(Value::Integer(q.limit.min(i64::MAX as usize) as i64));
        let mut stmt = self.c().prepare_cached(&sql)?;
        let rows = stmt.query_map(params_from_iter(args), |r| {
            Ok(WatchedItem {
                ns: r.get(0)?,
                title: r.get(1)?,
                notification: r.get(2)?,
                expiry: r.get(3)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn watchlist_changes(
        &mut self,
        user: i64,
        now: &str,
        all_revisions: bool,
        unread: Option<bool>,
        q: &RcQuery,
    ) -> Result<Vec<(RecentChange, WatchedItem)>> {
        let mut sql = format!(
            "SELECT {RC_COLUMNS}, wl_notificationtimestamp, wl_expiry FROM recentchanges \
             JOIN watchlist ON wl_namespace = rc_namespace AND wl_title = rc_title \
             JOIN actor ON actor_id = rc_actor LEFT JOIN page ON page_id = rc_cur_id \
             WHERE wl_user = ? AND (wl_expiry IS NULL OR wl_expiry > ?)"
        );
        let mut args: Vec<Value> = vec![Value::Integer(user), Value::Text(now.to_string())];
        if !all_revisions {
            sql.push_str(" AND (rc_this_oldid = page_latest OR rc_type = 3)");
        }
        match unread {
            Some(true) => sql.push_str(
                " AND wl_notificationtimestamp IS NOT NULL \
                 AND rc_timestamp >= wl_notificationtimestamp",
            ),
            Some(false) => sql.push_str(
                " AND (wl_notificationtimestamp IS NULL \
                 OR rc_timestamp < wl_notificationtimestamp)",
            ),
            None => {}
        }
        rc_conditions(q, &mut sql, &mut args);
        let dir = if q.newer { "ASC" } else { "DESC" };
        sql.push_str(&format!(
            " ORDER BY rc_timestamp {dir}, rc_id {dir} LIMIT ?"
        ));
        args.push(Value::Integer(q.limit.min(i64::MAX as usize) as i64));
        let mut stmt = self.c().prepare_cached(&sql)?;
        let rows = stmt.query_map(params_from_iter(args), |r| {
            let rc = rc_row(r)?;
            let item = WatchedItem {
                ns: rc.ns,
                title: rc.title.clone(),
                notification: r.get(26)?,
                expiry: r.get(27)?,
            };
            Ok((rc, item))
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn user_option(&mut self, user: i64, name: &str) -> Result<Option<String>> {
        Ok(self
            .c()
            .prepare_cached(
                "SELECT up_value FROM user_properties WHERE up_user = ?1 AND up_property = ?2",
            )?
            .query_row(params![user, name], |r| r.get::<_, Option<String>>(0))
            .optional()?
            .flatten())
    }
}
