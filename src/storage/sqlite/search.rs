//! SQLite side of `storage::search`: FTS5 matches over `searchindex` (its rowid
//! is the page id) and title prefix lookups.

use anyhow::Result;
use rusqlite::params_from_iter;
use rusqlite::types::Value;

use super::{page_row, placeholders, Conn, PAGE_COLUMNS};
use crate::storage::search::{SearchField, SearchQuery, SearchRead};
use crate::storage::Page;

impl<T: Conn> SearchRead for T {
    fn search_pages(&mut self, q: &SearchQuery) -> Result<(Vec<Page>, i64)> {
        if q.expr.trim().is_empty() {
            return Ok((Vec::new(), 0));
        }
        let column = match q.field {
            SearchField::Title => "si_title",
            SearchField::Text => "si_text",
        };
        let mut cond = String::from("searchindex MATCH ?");
        let mut args: Vec<Value> = vec![Value::Text(format!("{column} : ({})", q.expr))];
        if let Some(ns) = &q.namespaces {
            cond.push_str(&format!(
                " AND page_namespace IN ({})",
                placeholders(ns.len().max(1))
            ));
            if ns.is_empty() {
                args.push(Value::Integer(0));
            }
            args.extend(ns.iter().map(|n| Value::Integer(i64::from(*n))));
        }
        let c = self.c();
        let count_sql = format!(
            "SELECT COUNT(*) FROM searchindex JOIN page ON page_id = searchindex.rowid WHERE {cond}"
        );
        let total: i64 = c
            .prepare_cached(&count_sql)?
            .query_row(params_from_iter(args.iter()), |r| r.get(0))?;
        let sql = format!(
            "SELECT {PAGE_COLUMNS} FROM searchindex JOIN page ON page_id = searchindex.rowid \
             WHERE {cond} ORDER BY page_id LIMIT ? OFFSET ?"
        );
        args.push(Value::Integer(q.limit.min(i64::MAX as usize) as i64));
        args.push(Value::Integer(q.offset.min(i64::MAX as usize) as i64));
        let mut stmt = c.prepare_cached(&sql)?;
        let rows = stmt.query_map(params_from_iter(args), page_row)?;
        Ok((rows.collect::<Result<_, _>>()?, total))
    }

    fn prefix_pages(
        &mut self,
        prefixes: &[(String, Vec<i32>)],
        limit: usize,
        offset: usize,
    ) -> Result<Vec<Page>> {
        if prefixes.is_empty() {
            return Ok(Vec::new());
        }
        let mut conds: Vec<String> = Vec::new();
        let mut args: Vec<Value> = Vec::new();
        for (prefix, ns) in prefixes {
            let mut cond = format!("page_namespace IN ({})", placeholders(ns.len().max(1)));
            if ns.is_empty() {
                args.push(Value::Integer(i64::MIN));
            }
            args.extend(ns.iter().map(|n| Value::Integer(i64::from(*n))));
            if !prefix.is_empty() {
                // Byte comparison: SQLite's LIKE ignores ASCII case.
                cond.push_str(" AND substr(page_title, 1, length(?)) = ?");
                args.push(Value::Text(prefix.clone()));
                args.push(Value::Text(prefix.clone()));
            }
            conds.push(format!("({cond})"));
        }
        let sql = format!(
            "SELECT {PAGE_COLUMNS} FROM page WHERE ({}) \
             ORDER BY page_title, page_namespace LIMIT ? OFFSET ?",
            conds.join(" OR ")
        );
        args.push(Value::Integer(limit.min(i64::MAX as usize) as i64));
        args.push(Value::Integer(offset.min(i64::MAX as usize) as i64));
        let mut stmt = self.c().prepare(&sql)?;
        let rows = stmt.query_map(params_from_iter(args), page_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}
