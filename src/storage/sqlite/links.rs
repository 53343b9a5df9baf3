//! SQLite queries for the link tables, the parser cache and the job queue.

use std::collections::HashMap;

use anyhow::Result;
use rusqlite::types::Value;
use rusqlite::{params, params_from_iter, OptionalExtension};

use super::{page_row, placeholders, Conn, SqliteWrite};
use crate::storage::links::*;
use crate::storage::Page;

const PAGE_COLUMNS_P: &str = "p.page_id, p.page_namespace, p.page_title, p.page_is_redirect, \
     p.page_is_new, p.page_latest, p.page_touched, p.page_len, p.page_content_model, p.page_lang";

/// (table, from column, namespace column or None, title column, from-namespace column).
fn table_cols(
    t: LinkTable,
) -> (
    &'static str,
    &'static str,
    Option<&'static str>,
    &'static str,
) {
    match t {
        LinkTable::Page => ("pagelinks", "pl_from", Some("pl_namespace"), "pl_title"),
        LinkTable::Template => ("templatelinks", "tl_from", Some("tl_namespace"), "tl_title"),
        LinkTable::Image => ("imagelinks", "il_from", None, "il_to"),
        LinkTable::Category => ("categorylinks", "cl_from", None, "cl_to"),
        LinkTable::Redirect => ("redirect", "rd_from", Some("rd_namespace"), "rd_title"),
    }
}

fn text_of(blob: Value) -> String {
    match blob {
        Value::Text(s) => s,
        Value::Blob(b) => String::from_utf8_lossy(&b).into_owned(),
        _ => String::new(),
    }
}

impl<T: Conn> LinksRead for T {
    fn page_with_text(&mut self, ns: i32, dbkey: &str) -> Result<Option<(Page, String)>> {
        let sql = format!(
            "SELECT {PAGE_COLUMNS_P}, c.content_text FROM page p
             JOIN revision r ON r.rev_id = p.page_latest
             JOIN content c ON c.content_id = r.rev_content_id
             WHERE p.page_namespace = ?1 AND p.page_title = ?2"
        );
        Ok(self
            .c()
            .prepare_cached(&sql)?
            .query_row(params![ns, dbkey], |r| {
                Ok((page_row(r)?, text_of(r.get(10)?)))
            })
            .optional()?)
    }

    fn page_with_text_by_id(&mut self, id: i64) -> Result<Option<(Page, String)>> {
        let sql = format!(
            "SELECT {PAGE_COLUMNS_P}, c.content_text FROM page p
             JOIN revision r ON r.rev_id = p.page_latest
             JOIN content c ON c.content_id = r.rev_content_id
             WHERE p.page_id = ?1"
        );
        Ok(self
            .c()
            .prepare_cached(&sql)?
            .query_row(params![id], |r| Ok((page_row(r)?, text_of(r.get(10)?))))
            .optional()?)
    }

    fn revision_text(&mut self, rev_id: i64) -> Result<Option<(i64, String)>> {
        Ok(self
            .c()
            .prepare_cached(
                "SELECT r.rev_page, c.content_text FROM revision r
                 JOIN content c ON c.content_id = r.rev_content_id WHERE r.rev_id = ?1",
            )?
            .query_row(params![rev_id], |r| Ok((r.get(0)?, text_of(r.get(1)?))))
            .optional()?)
    }

    fn page_facts(
        &mut self,
        titles: &[(i32, String)],
    ) -> Result<HashMap<(i32, String), (i64, bool)>> {
        let mut out = HashMap::new();
        for p in crate::storage::ReadTxn::pages_by_titles(self, titles)? {
            out.insert((p.ns, p.title.clone()), (p.id, p.is_redirect));
        }
        Ok(out)
    }

    fn parser_cache_get(&mut self, page: i64) -> Result<Option<CachedParse>> {
        Ok(self
            .c()
            .prepare_cached(
                "SELECT pc_page, pc_rev, pc_touched, pc_html, pc_meta, pc_time FROM parser_cache
                 WHERE pc_page = ?1",
            )?
            .query_row([page], |r| {
                Ok(CachedParse {
                    page: r.get(0)?,
                    rev: r.get(1)?,
                    touched: r.get(2)?,
                    html: r.get(3)?,
                    meta: r.get(4)?,
                    time: r.get(5)?,
                })
            })
            .optional()?)
    }

    fn outgoing_links(
        &mut self,
        table: LinkTable,
        from: &[i64],
        namespaces: &[i32],
        targets: &[(i32, String)],
        cont: Option<(i64, i32, String)>,
        descending: bool,
        limit: usize,
    ) -> Result<Vec<OutLink>> {
        if from.is_empty() {
            return Ok(Vec::new());
        }
        let (tbl, fcol, nscol, tcol) = table_cols(table);
        let nsexpr = nscol.unwrap_or(match table {
            LinkTable::Image => "6",
            _ => "14",
        });
        let mut sql = format!(
            "SELECT {fcol}, {nsexpr}, {tcol} FROM {tbl} WHERE {fcol} IN ({})",
            placeholders(from.len())
        );
        let mut args: Vec<Value> = from.iter().map(|i| Value::Integer(*i)).collect();
        if !namespaces.is_empty() {
            sql.push_str(&format!(
                " AND {nsexpr} IN ({})",
                placeholders(namespaces.len())
            ));
            args.extend(namespaces.iter().map(|n| Value::Integer(*n as i64)));
        }
        if !targets.is_empty() {
            let mut ors = Vec::new();
            for (ns, t) in targets {
                ors.push(format!("({nsexpr} = ? AND {tcol} = ?)"));
                args.push(Value::Integer(*ns as i64));
                args.push(Value::Text(t.clone()));
            }
            sql.push_str(&format!(" AND ({})", ors.join(" OR ")));
        }
        if let Some((f, ns, t)) = cont {
            let op = if descending { "<" } else { ">" };
            sql.push_str(&format!(
                " AND ({fcol} {op} ? OR ({fcol} = ? AND ({nsexpr} {op} ? OR ({nsexpr} = ? AND {tcol} {op}= ?))))"
            ));
            args.extend([
                Value::Integer(f),
                Value::Integer(f),
                Value::Integer(ns as i64),
                Value::Integer(ns as i64),
                Value::Text(t),
            ]);
        }
        let dir = if descending { "DESC" } else { "ASC" };
        sql.push_str(&format!(
            " ORDER BY {fcol} {dir}, {nsexpr} {dir}, {tcol} {dir} LIMIT ?"
        ));
        args.push(Value::Integer(limit.min(i64::MAX as usize) as i64));
        let mut stmt = self.c().prepare(&sql)?;
        let rows = stmt.query_map(params_from_iter(args), |r| {
            Ok(OutLink {
                from: r.get(0)?,
                ns: r.get(1)?,
                title: r.get(2)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn backlinks(&mut self, table: LinkTable, q: &BacklinkQuery) -> Result<Vec<Backlink>> {
        let (tbl, fcol, nscol, tcol) = table_cols(table);
        let mut out = Vec::new();
        let order: Vec<usize> = if q.descending {
            (0..q.targets.len()).rev().collect()
        } else {
            (0..q.targets.len()).collect()
        };
        for idx in order {
            if out.len() >= q.limit {
                break;
            }
            if let Some((ct, _, _)) = q.cont {
                if (!q.descending && idx < ct) || (q.descending && idx > ct) {
                    continue;
                }
            }
            let (ns, title) = &q.targets[idx];
            let frag = if table == LinkTable::Redirect {
                "l.rd_fragment"
            } else {
                "''"
            };
            let mut sql = format!(
                "SELECT {PAGE_COLUMNS_P}, {frag} FROM {tbl} l JOIN page p ON p.page_id = l.{fcol}
                 WHERE l.{tcol} = ?"
            );
            let mut args: Vec<Value> = vec![Value::Text(title.clone())];
            if let Some(nc) = nscol {
                sql.push_str(&format!(" AND l.{nc} = ?"));
                args.push(Value::Integer(*ns as i64));
            }
            if table == LinkTable::Redirect {
                sql.push_str(" AND l.rd_interwiki = ''");
            }
            if !q.namespaces.is_empty() {
                sql.push_str(&format!(
                    " AND p.page_namespace IN ({})",
                    placeholders(q.namespaces.len())
                ));
                args.extend(q.namespaces.iter().map(|n| Value::Integer(*n as i64)));
            }
            match q.redirects {
                Some(true) => sql.push_str(" AND p.page_is_redirect = 1"),
                Some(false) => sql.push_str(" AND p.page_is_redirect = 0"),
                None => {}
            }
            let fromns = match table {
                LinkTable::Page => "l.pl_from_namespace",
                LinkTable::Template => "l.tl_from_namespace",
                LinkTable::Image => "l.il_from_namespace",
                _ => "p.page_namespace",
            };
            let op = if q.descending { "<" } else { ">" };
            if let Some((ct, cns, cf)) = q.cont {
                if ct == idx {
                    if q.by_from_ns {
                        sql.push_str(&format!(
                            " AND ({fromns} {op} ? OR ({fromns} = ? AND l.{fcol} {op}= ?))"
                        ));
                        args.push(Value::Integer(cns as i64));
                        args.push(Value::Integer(cns as i64));
                    } else {
                        sql.push_str(&format!(" AND l.{fcol} {op}= ?"));
                    }
                    args.push(Value::Integer(cf));
                }
            }
            let dir = if q.descending { "DESC" } else { "ASC" };
            if q.by_from_ns {
                sql.push_str(&format!(" ORDER BY {fromns} {dir}, l.{fcol} {dir} LIMIT ?"));
            } else {
                sql.push_str(&format!(" ORDER BY l.{fcol} {dir} LIMIT ?"));
            }
            args.push(Value::Integer((q.limit - out.len()) as i64));
            let mut stmt = self.c().prepare(&sql)?;
            let rows = stmt.query_map(params_from_iter(args), |r| {
                Ok(Backlink {
                    target: idx,
                    page: page_row(r)?,
                    fragment: r.get(10)?,
                })
            })?;
            for r in rows {
                out.push(r?);
            }
        }
        Ok(out)
    }

    fn has_backlinks(&mut self, table: LinkTable, ns: i32, dbkey: &str) -> Result<bool> {
        Ok(!self.backlink_ids(table, ns, dbkey, 0, 1)?.is_empty())
    }

    fn backlink_ids(
        &mut self,
        table: LinkTable,
        ns: i32,
        dbkey: &str,
        after: i64,
        limit: usize,
    ) -> Result<Vec<i64>> {
        let (tbl, fcol, nscol, tcol) = table_cols(table);
        let mut sql = format!("SELECT {fcol} FROM {tbl} WHERE {tcol} = ?1 AND {fcol} > ?2");
        if let Some(nc) = nscol {
            sql.push_str(&format!(" AND {nc} = ?3"));
        } else {
            sql.push_str(" AND ?3 = ?3");
        }
        sql.push_str(&format!(" ORDER BY {fcol} LIMIT ?4"));
        let mut stmt = self.c().prepare_cached(&sql)?;
        let rows = stmt.query_map(params![dbkey, after, ns, limit as i64], |r| r.get(0))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn category_members(&mut self, q: &CategoryMembersQuery) -> Result<Vec<CategoryMember>> {
        let types: Vec<String> = if q.types.is_empty() {
            vec!["page".into(), "subcat".into(), "file".into()]
        } else {
            q.types.clone()
        };
        let mut out = Vec::new();
        let dir = if q.descending { "DESC" } else { "ASC" };
        let (ge, le) = if q.descending {
            ("<=", ">=")
        } else {
            (">=", "<=")
        };
        let type_list: Vec<String> = if q.by_timestamp {
            vec![String::new()]
        } else if q.descending {
            types.iter().rev().cloned().collect()
        } else {
            types.clone()
        };
        for ty in type_list {
            if out.len() >= q.limit {
                break;
            }
            let mut sql = format!(
                "SELECT {PAGE_COLUMNS_P}, cl.cl_sortkey, cl.cl_sortkey_prefix, cl.cl_type, cl.cl_timestamp
                 FROM categorylinks cl JOIN page p ON p.page_id = cl.cl_from WHERE cl.cl_to = ?"
            );
            let mut args: Vec<Value> = vec![Value::Text(q.category.clone())];
            if q.by_timestamp {
                sql.push_str(&format!(
                    " AND cl.cl_type IN ({})",
                    placeholders(types.len())
                ));
                args.extend(types.iter().map(|t| Value::Text(t.clone())));
            } else {
                // Skip types before the continuation's type.
                if let Some(ct) = &q.cont_type {
                    let pos = |t: &str| types.iter().position(|x| x == t).unwrap_or(0);
                    if (!q.descending && pos(&ty) < pos(ct)) || (q.descending && pos(&ty) > pos(ct))
                    {
                        continue;
                    }
                }
                sql.push_str(" AND cl.cl_type = ?");
                args.push(Value::Text(ty.clone()));
            }
            if !q.namespaces.is_empty() {
                sql.push_str(&format!(
                    " AND p.page_namespace IN ({})",
                    placeholders(q.namespaces.len())
                ));
                args.extend(q.namespaces.iter().map(|n| Value::Integer(*n as i64)));
            }
            let key_col = if q.by_timestamp {
                "cl.cl_timestamp"
            } else {
                "cl.cl_sortkey"
            };
            if q.by_timestamp {
                if let Some(s) = &q.start_time {
                    sql.push_str(&format!(" AND cl.cl_timestamp {ge} ?"));
                    args.push(Value::Text(s.clone()));
                }
                if let Some(e) = &q.end_time {
                    sql.push_str(&format!(" AND cl.cl_timestamp {le} ?"));
                    args.push(Value::Text(e.clone()));
                }
            } else {
                if let Some(s) = &q.start_sortkey {
                    sql.push_str(&format!(" AND cl.cl_sortkey {ge} ?"));
                    args.push(Value::Text(s.clone()));
                }
                if let Some(e) = &q.end_sortkey {
                    sql.push_str(&format!(" AND cl.cl_sortkey {le} ?"));
                    args.push(Value::Text(e.clone()));
                }
            }
            let applies = q.by_timestamp || q.cont_type.as_deref() == Some(ty.as_str());
            if let (true, Some(k), Some(f)) = (applies, &q.cont_key, q.cont_from) {
                let op = if q.descending { "<" } else { ">" };
                sql.push_str(&format!(
                    " AND ({key_col} {op} ? OR ({key_col} = ? AND cl.cl_from {op}= ?))"
                ));
                args.push(Value::Text(k.clone()));
                args.push(Value::Text(k.clone()));
                args.push(Value::Integer(f));
            }
            sql.push_str(&format!(
                " ORDER BY {key_col} {dir}, cl.cl_from {dir} LIMIT ?"
            ));
            args.push(Value::Integer((q.limit - out.len()) as i64));
            let mut stmt = self.c().prepare(&sql)?;
            let rows = stmt.query_map(params_from_iter(args), |r| {
                Ok(CategoryMember {
                    page: page_row(r)?,
                    sortkey: r.get(10)?,
                    prefix: r.get(11)?,
                    kind: r.get(12)?,
                    timestamp: r.get(13)?,
                })
            })?;
            for r in rows {
                out.push(r?);
            }
        }
        Ok(out)
    }

    fn page_categories(
        &mut self,
        from: &[i64],
        only: &[String],
        cont: Option<(i64, String)>,
        descending: bool,
        limit: usize,
    ) -> Result<Vec<PageCategory>> {
        if from.is_empty() {
            return Ok(Vec::new());
        }
        let mut sql = format!(
            "SELECT cl.cl_from, cl.cl_to, cl.cl_sortkey, cl.cl_sortkey_prefix, cl.cl_timestamp,
                    EXISTS (SELECT 1 FROM page cp JOIN page_props pp ON pp.pp_page = cp.page_id
                            WHERE cp.page_namespace = 14 AND cp.page_title = cl.cl_to
                              AND pp.pp_propname = 'hiddencat')
             FROM categorylinks cl WHERE cl.cl_from IN ({})",
            placeholders(from.len())
        );
        let mut args: Vec<Value> = from.iter().map(|i| Value::Integer(*i)).collect();
        if !only.is_empty() {
            sql.push_str(&format!(" AND cl.cl_to IN ({})", placeholders(only.len())));
            args.extend(only.iter().map(|t| Value::Text(t.clone())));
        }
        if let Some((f, t)) = cont {
            let op = if descending { "<" } else { ">" };
            sql.push_str(&format!(
                " AND (cl.cl_from {op} ? OR (cl.cl_from = ? AND cl.cl_to {op}= ?))"
            ));
            args.extend([Value::Integer(f), Value::Integer(f), Value::Text(t)]);
        }
        let dir = if descending { "DESC" } else { "ASC" };
        sql.push_str(&format!(
            " ORDER BY cl.cl_from {dir}, cl.cl_to {dir} LIMIT ?"
        ));
        args.push(Value::Integer(limit as i64));
        let mut stmt = self.c().prepare(&sql)?;
        let rows = stmt.query_map(params_from_iter(args), |r| {
            Ok(PageCategory {
                from: r.get(0)?,
                category: r.get(1)?,
                sortkey: r.get(2)?,
                prefix: r.get(3)?,
                timestamp: r.get(4)?,
                hidden: r.get::<_, i64>(5)? != 0,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn all_categories(
        &mut self,
        from: Option<&str>,
        to: Option<&str>,
        prefix: Option<&str>,
        descending: bool,
        min: Option<i64>,
        max: Option<i64>,
        limit: usize,
    ) -> Result<Vec<CategoryInfo>> {
        let mut sql = "SELECT c.cat_title, c.cat_pages, c.cat_subcats, c.cat_files,
                    EXISTS (SELECT 1 FROM page cp JOIN page_props pp ON pp.pp_page = cp.page_id
                            WHERE cp.page_namespace = 14 AND cp.page_title = c.cat_title
                              AND pp.pp_propname = 'hiddencat')
             FROM category c WHERE c.cat_pages > 0"
            .to_string();
        let mut args: Vec<Value> = Vec::new();
        let (ge, le) = if descending {
            ("<=", ">=")
        } else {
            (">=", "<=")
        };
        if let Some(f) = from {
            sql.push_str(&format!(" AND c.cat_title {ge} ?"));
            args.push(Value::Text(f.to_string()));
        }
        if let Some(t) = to {
            sql.push_str(&format!(" AND c.cat_title {le} ?"));
            args.push(Value::Text(t.to_string()));
        }
        if let Some(p) = prefix {
            sql.push_str(" AND substr(c.cat_title, 1, length(?)) = ?");
            args.push(Value::Text(p.to_string()));
            args.push(Value::Text(p.to_string()));
        }
        if let Some(m) = min {
            sql.push_str(" AND c.cat_pages >= ?");
            args.push(Value::Integer(m));
        }
        if let Some(m) = max {
            sql.push_str(" AND c.cat_pages <= ?");
            args.push(Value::Integer(m));
        }
        sql.push_str(if descending {
            " ORDER BY c.cat_title DESC LIMIT ?"
        } else {
            " ORDER BY c.cat_title LIMIT ?"
        });
        args.push(Value::Integer(limit as i64));
        let mut stmt = self.c().prepare(&sql)?;
        let rows = stmt.query_map(params_from_iter(args), |r| {
            Ok(CategoryInfo {
                title: r.get(0)?,
                pages: r.get(1)?,
                subcats: r.get(2)?,
                files: r.get(3)?,
                hidden: r.get::<_, i64>(4)? != 0,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn all_links(&mut self, table: LinkTable, q: &AllLinksQuery) -> Result<Vec<(i64, String)>> {
        let (tbl, fcol, nscol, tcol) = table_cols(table);
        let mut sql = if q.unique {
            format!("SELECT 0, {tcol} FROM {tbl} WHERE 1")
        } else {
            format!("SELECT {fcol}, {tcol} FROM {tbl} WHERE 1")
        };
        let mut args: Vec<Value> = Vec::new();
        if let Some(nc) = nscol {
            sql.push_str(&format!(" AND {nc} = ?"));
            args.push(Value::Integer(q.ns as i64));
        }
        if table == LinkTable::Redirect {
            sql.push_str(" AND rd_interwiki = ''");
        }
        let (ge, le) = if q.descending {
            ("<=", ">=")
        } else {
            (">=", "<=")
        };
        if let Some(f) = &q.from {
            sql.push_str(&format!(" AND {tcol} {ge} ?"));
            args.push(Value::Text(f.clone()));
        }
        if let Some(t) = &q.to {
            sql.push_str(&format!(" AND {tcol} {le} ?"));
            args.push(Value::Text(t.clone()));
        }
        if let Some(p) = &q.prefix {
            sql.push_str(&format!(" AND substr({tcol}, 1, length(?)) = ?"));
            args.push(Value::Text(p.clone()));
            args.push(Value::Text(p.clone()));
        }
        if let Some((t, f)) = &q.cont {
            let op = if q.descending { "<" } else { ">" };
            if q.unique {
                sql.push_str(&format!(" AND {tcol} {op}= ?"));
                args.push(Value::Text(t.clone()));
            } else {
                sql.push_str(&format!(
                    " AND ({tcol} {op} ? OR ({tcol} = ? AND {fcol} {op}= ?))"
                ));
                args.push(Value::Text(t.clone()));
                args.push(Value::Text(t.clone()));
                args.push(Value::Integer(*f));
            }
        }
        let dir = if q.descending { "DESC" } else { "ASC" };
        if q.unique {
            sql.push_str(&format!(" GROUP BY {tcol} ORDER BY {tcol} {dir} LIMIT ?"));
        } else {
            sql.push_str(&format!(" ORDER BY {tcol} {dir}, {fcol} {dir} LIMIT ?"));
        }
        args.push(Value::Integer(q.limit as i64));
        let mut stmt = self.c().prepare(&sql)?;
        let rows = stmt.query_map(params_from_iter(args), |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn external_links(
        &mut self,
        from: &[i64],
        cont: Option<(i64, i64)>,
        limit: usize,
    ) -> Result<Vec<(i64, i64, String)>> {
        if from.is_empty() {
            return Ok(Vec::new());
        }
        let mut sql = format!(
            "SELECT el_from, MIN(el_id), el_to FROM externallinks WHERE el_from IN ({})",
            placeholders(from.len())
        );
        let mut args: Vec<Value> = from.iter().map(|i| Value::Integer(*i)).collect();
        if let Some((f, id)) = cont {
            sql.push_str(" AND (el_from > ? OR (el_from = ? AND el_id >= ?))");
            args.extend([Value::Integer(f), Value::Integer(f), Value::Integer(id)]);
        }
        sql.push_str(" GROUP BY el_from, el_to ORDER BY el_from, MIN(el_id) LIMIT ?");
        args.push(Value::Integer(limit as i64));
        let mut stmt = self.c().prepare(&sql)?;
        let rows = stmt.query_map(params_from_iter(args), |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn interwiki_links(
        &mut self,
        from: &[i64],
        prefix: Option<&str>,
        title: Option<&str>,
        cont: Option<(i64, String, String)>,
        descending: bool,
        limit: usize,
    ) -> Result<Vec<(i64, String, String)>> {
        if from.is_empty() {
            return Ok(Vec::new());
        }
        let mut sql = format!(
            "SELECT iwl_from, iwl_prefix, iwl_title FROM iwlinks WHERE iwl_from IN ({})",
            placeholders(from.len())
        );
        let mut args: Vec<Value> = from.iter().map(|i| Value::Integer(*i)).collect();
        if let Some(x) = prefix {
            sql.push_str(" AND iwl_prefix = ?");
            args.push(Value::Text(x.to_string()));
        }
        if let Some(x) = title {
            sql.push_str(" AND iwl_title = ?");
            args.push(Value::Text(x.to_string()));
        }
        let op = if descending { "<" } else { ">" };
        if let Some((f, cp, ct)) = cont {
            sql.push_str(&format!(
                " AND (iwl_from {op} ? OR (iwl_from = ? AND (iwl_prefix {op} ? OR (iwl_prefix = ? AND iwl_title {op}= ?))))"
            ));
            args.extend([
                Value::Integer(f),
                Value::Integer(f),
                Value::Text(cp.clone()),
                Value::Text(cp),
                Value::Text(ct),
            ]);
        }
        let dir = if descending { "DESC" } else { "ASC" };
        sql.push_str(&format!(
            " ORDER BY iwl_from {dir}, iwl_prefix {dir}, iwl_title {dir} LIMIT ?"
        ));
        args.push(Value::Integer(limit as i64));
        let mut stmt = self.c().prepare(&sql)?;
        let rows = stmt.query_map(params_from_iter(args), |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn page_props(
        &mut self,
        pages: &[i64],
        names: &[String],
    ) -> Result<Vec<(i64, String, String)>> {
        if pages.is_empty() {
            return Ok(Vec::new());
        }
        let mut sql = format!(
            "SELECT pp_page, pp_propname, pp_value FROM page_props WHERE pp_page IN ({})",
            placeholders(pages.len())
        );
        let mut args: Vec<Value> = pages.iter().map(|i| Value::Integer(*i)).collect();
        if !names.is_empty() {
            sql.push_str(&format!(
                " AND pp_propname IN ({})",
                placeholders(names.len())
            ));
            args.extend(names.iter().map(|n| Value::Text(n.clone())));
        }
        sql.push_str(" ORDER BY pp_page, pp_propname");
        let mut stmt = self.c().prepare(&sql)?;
        let rows = stmt.query_map(params_from_iter(args), |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn ext_url_usage(
        &mut self,
        index_prefixes: &[String],
        namespaces: &[i32],
        offset: usize,
        limit: usize,
    ) -> Result<Vec<(Page, String)>> {
        let mut sql = format!(
            "SELECT {PAGE_COLUMNS_P}, el.el_to FROM externallinks el JOIN page p ON p.page_id = el.el_from WHERE 1"
        );
        let mut args: Vec<Value> = Vec::new();
        if !index_prefixes.is_empty() {
            let ors: Vec<&str> = index_prefixes
                .iter()
                .map(|_| "substr(el.el_index, 1, length(?)) = ?")
                .collect();
            sql.push_str(&format!(" AND ({})", ors.join(" OR ")));
            for pfx in index_prefixes {
                args.push(Value::Text(pfx.clone()));
                args.push(Value::Text(pfx.clone()));
            }
        }
        if !namespaces.is_empty() {
            sql.push_str(&format!(
                " AND p.page_namespace IN ({})",
                placeholders(namespaces.len())
            ));
            args.extend(namespaces.iter().map(|n| Value::Integer(*n as i64)));
        }
        sql.push_str(" ORDER BY el.el_id LIMIT ? OFFSET ?");
        args.push(Value::Integer(limit as i64));
        args.push(Value::Integer(offset as i64));
        let mut stmt = self.c().prepare(&sql)?;
        let rows = stmt.query_map(params_from_iter(args), |r| Ok((page_row(r)?, r.get(10)?)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn prefix_backlinks(
        &mut self,
        lang: bool,
        prefix: Option<&str>,
        title: Option<&str>,
        cont: Option<(String, String, i64)>,
        descending: bool,
        limit: usize,
    ) -> Result<Vec<(Page, String, String)>> {
        let (tbl, f, pc, tc) = if lang {
            ("langlinks", "ll_from", "ll_lang", "ll_title")
        } else {
            ("iwlinks", "iwl_from", "iwl_prefix", "iwl_title")
        };
        let mut sql = format!(
            "SELECT {PAGE_COLUMNS_P}, l.{pc}, l.{tc} FROM {tbl} l JOIN page p ON p.page_id = l.{f} WHERE 1"
        );
        let mut args: Vec<Value> = Vec::new();
        if let Some(x) = prefix {
            sql.push_str(&format!(" AND l.{pc} = ?"));
            args.push(Value::Text(x.to_string()));
        }
        if let Some(x) = title {
            sql.push_str(&format!(" AND l.{tc} = ?"));
            args.push(Value::Text(x.to_string()));
        }
        if let Some((cp, ct, cf)) = cont {
            let op = if descending { "<" } else { ">" };
            sql.push_str(&format!(
                " AND (l.{pc} {op} ? OR (l.{pc} = ? AND (l.{tc} {op} ? OR (l.{tc} = ? AND l.{f} {op}= ?))))"
            ));
            args.extend([
                Value::Text(cp.clone()),
                Value::Text(cp),
                Value::Text(ct.clone()),
                Value::Text(ct),
                Value::Integer(cf),
            ]);
        }
        let dir = if descending { "DESC" } else { "ASC" };
        sql.push_str(&format!(
            " ORDER BY l.{pc} {dir}, l.{tc} {dir}, l.{f} {dir} LIMIT ?"
        ));
        args.push(Value::Integer(limit as i64));
        let mut stmt = self.c().prepare(&sql)?;
        let rows = stmt.query_map(params_from_iter(args), |r| {
            Ok((page_row(r)?, r.get(10)?, r.get(11)?))
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn pages_with_prop(
        &mut self,
        name: &str,
        after: Option<i64>,
        descending: bool,
        limit: usize,
    ) -> Result<Vec<(Page, String)>> {
        let op = if descending { "<=" } else { ">=" };
        let sql = format!(
            "SELECT {PAGE_COLUMNS_P}, pp.pp_value FROM page_props pp JOIN page p ON p.page_id = pp.pp_page
             WHERE pp.pp_propname = ?1 AND (?2 IS NULL OR pp.pp_page {op} ?2)
             ORDER BY pp.pp_page {} LIMIT ?3",
            if descending { "DESC" } else { "ASC" }
        );
        let mut stmt = self.c().prepare_cached(&sql)?;
        let rows = stmt.query_map(params![name, after, limit as i64], |r| {
            Ok((page_row(r)?, r.get(10)?))
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}

fn kind_counts(kind: &str) -> (i64, i64) {
    match kind {
        "subcat" => (1, 0),
        "file" => (0, 1),
        _ => (0, 0),
    }
}

impl SqliteWrite<'_> {
    fn bump_category(&self, title: &str, kind: &str, delta: i64) -> Result<()> {
        let (sub, file) = kind_counts(kind);
        let c = &*self.conn;
        c.prepare_cached("INSERT OR IGNORE INTO category (cat_title) VALUES (?1)")?
            .execute([title])?;
        c.prepare_cached(
            "UPDATE category SET cat_pages = MAX(0, cat_pages + ?2),
                    cat_subcats = MAX(0, cat_subcats + ?3), cat_files = MAX(0, cat_files + ?4)
             WHERE cat_title = ?1",
        )?
        .execute(params![title, delta, sub * delta, file * delta])?;
        // An empty category row without a page goes away.
        c.prepare_cached(
            "DELETE FROM category WHERE cat_title = ?1 AND cat_pages <= 0 AND NOT EXISTS
               (SELECT 1 FROM page WHERE page_namespace = 14 AND page_title = ?1)",
        )?
        .execute([title])?;
        Ok(())
    }

    fn current_categories(&self, page: i64) -> Result<Vec<(String, String, String, String)>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT cl_to, cl_sortkey, cl_sortkey_prefix, cl_type FROM categorylinks WHERE cl_from = ?1",
        )?;
        let rows = stmt.query_map([page], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}

impl LinksWrite for SqliteWrite<'_> {
    fn replace_links(
        &mut self,
        page: i64,
        page_ns: i32,
        set: &LinkSet,
        now: &str,
    ) -> Result<LinkChanges> {
        let c = &*self.conn;
        for sql in [
            "DELETE FROM pagelinks WHERE pl_from = ?1",
            "DELETE FROM templatelinks WHERE tl_from = ?1",
            "DELETE FROM externallinks WHERE el_from = ?1",
            "DELETE FROM imagelinks WHERE il_from = ?1",
            "DELETE FROM langlinks WHERE ll_from = ?1",
            "DELETE FROM iwlinks WHERE iwl_from = ?1",
            "DELETE FROM page_props WHERE pp_page = ?1",
            "DELETE FROM redirect WHERE rd_from = ?1",
        ] {
            c.prepare_cached(sql)?.execute([page])?;
        }
        {
            let mut st = c.prepare_cached(
                "INSERT OR IGNORE INTO pagelinks (pl_from, pl_from_namespace, pl_namespace, pl_title) VALUES (?1, ?2, ?3, ?4)",
            )?;
            for (ns, t) in &set.links {
                st.execute(params![page, page_ns, ns, t])?;
            }
            let mut st = c.prepare_cached(
                "INSERT OR IGNORE INTO templatelinks (tl_from, tl_from_namespace, tl_namespace, tl_title) VALUES (?1, ?2, ?3, ?4)",
            )?;
            for (ns, t) in &set.templates {
                st.execute(params![page, page_ns, ns, t])?;
            }
            let mut st = c.prepare_cached(
                "INSERT INTO externallinks (el_from, el_to, el_index) VALUES (?1, ?2, ?3)",
            )?;
            for (url, idx) in &set.external {
                st.execute(params![page, url, idx])?;
            }
            let mut st = c.prepare_cached(
                "INSERT OR IGNORE INTO imagelinks (il_from, il_from_namespace, il_to) VALUES (?1, ?2, ?3)",
            )?;
            for t in &set.images {
                st.execute(params![page, page_ns, t])?;
            }
            let mut st = c.prepare_cached(
                "INSERT OR IGNORE INTO langlinks (ll_from, ll_lang, ll_title) VALUES (?1, ?2, ?3)",
            )?;
            for (l, t) in &set.langlinks {
                st.execute(params![page, l, t])?;
            }
            let mut st = c.prepare_cached("INSERT OR IGNORE INTO iwlinks (iwl_from, iwl_prefix, iwl_title) VALUES (?1, ?2, ?3)")?;
            for (p, t) in &set.iwlinks {
                st.execute(params![page, p, t])?;
            }
            let mut st = c.prepare_cached(
                "INSERT OR REPLACE INTO page_props (pp_page, pp_propname, pp_value, pp_sortkey) VALUES (?1, ?2, ?3, ?4)",
            )?;
            for (n, v, k) in &set.props {
                st.execute(params![page, n, v, k])?;
            }
            if let Some((ns, t, iw, frag)) = &set.redirect {
                c.prepare_cached(
                    "INSERT INTO redirect (rd_from, rd_namespace, rd_title, rd_interwiki, rd_fragment) VALUES (?1, ?2, ?3, ?4, ?5)",
                )?
                .execute(params![page, ns, t, iw, frag])?;
            }
        }
        // Categories: keep unchanged rows (and their timestamps).
        let old = self.current_categories(page)?;
        let mut changes = LinkChanges::default();
        for (to, sortkey, prefix, kind) in &old {
            match set.categories.iter().find(|c| &c.to == to) {
                None => {
                    self.conn
                        .prepare_cached(
                            "DELETE FROM categorylinks WHERE cl_from = ?1 AND cl_to = ?2",
                        )?
                        .execute(params![page, to])?;
                    self.bump_category(to, kind, -1)?;
                    changes.categories_removed.push(to.clone());
                }
                Some(n) if &n.sortkey != sortkey || &n.prefix != prefix || &n.kind != kind => {
                    self.conn
                        .prepare_cached(
                            "UPDATE categorylinks SET cl_sortkey = ?3, cl_sortkey_prefix = ?4, cl_type = ?5
                             WHERE cl_from = ?1 AND cl_to = ?2",
                        )?
                        .execute(params![page, to, n.sortkey, n.prefix, n.kind])?;
                    if &n.kind != kind {
                        self.bump_category(to, kind, -1)?;
                        self.bump_category(to, &n.kind, 1)?;
                    }
                }
                Some(_) => {}
            }
        }
        for n in &set.categories {
            if old.iter().any(|(to, ..)| *to == n.to) {
                continue;
            }
            self.conn
                .prepare_cached(
                    "INSERT OR IGNORE INTO categorylinks (cl_from, cl_to, cl_sortkey, cl_sortkey_prefix, cl_timestamp, cl_type)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                )?
                .execute(params![page, n.to, n.sortkey, n.prefix, now, n.kind])?;
            self.bump_category(&n.to, &n.kind, 1)?;
            changes.categories_added.push(n.to.clone());
        }
        self.conn
            .prepare_cached("UPDATE page SET page_links_updated = ?2 WHERE page_id = ?1")?
            .execute(params![page, now])?;
        Ok(changes)
    }

    fn delete_links(&mut self, page: i64) -> Result<LinkChanges> {
        let mut changes = self.replace_links(page, 0, &LinkSet::default(), "")?;
        changes.categories_added.clear();
        self.parser_cache_drop(page)?;
        Ok(changes)
    }

    fn parser_cache_put(&mut self, e: &CachedParse) -> Result<()> {
        self.conn
            .prepare_cached(
                "INSERT OR REPLACE INTO parser_cache (pc_page, pc_rev, pc_touched, pc_html, pc_meta, pc_time)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?
            .execute(params![e.page, e.rev, e.touched, e.html, e.meta, e.time])?;
        Ok(())
    }

    fn parser_cache_drop(&mut self, page: i64) -> Result<()> {
        self.conn
            .prepare_cached("DELETE FROM parser_cache WHERE pc_page = ?1")?
            .execute([page])?;
        Ok(())
    }

    fn parser_cache_invalidate(&mut self, page: i64, now: &str) -> Result<()> {
        self.conn
            .prepare_cached("DELETE FROM parser_cache WHERE pc_page = ?1 AND pc_touched >= ?2")?
            .execute(params![page, now])?;
        Ok(())
    }

    fn touch_pages(&mut self, ids: &[i64], now: &str) -> Result<()> {
        for chunk in ids.chunks(500) {
            let ph = placeholders(chunk.len());
            let mut args: Vec<Value> = vec![Value::Text(now.to_string())];
            args.extend(chunk.iter().map(|i| Value::Integer(*i)));
            self.conn
                .prepare(&format!(
                    "UPDATE page SET page_touched = ?1 WHERE page_touched < ?1 AND page_id IN ({ph})"
                ))?
                .execute(params_from_iter(args))?;
            let mut args: Vec<Value> = vec![Value::Text(now.to_string())];
            args.extend(chunk.iter().map(|i| Value::Integer(*i)));
            self.conn
                .prepare(&format!(
                    "DELETE FROM parser_cache WHERE pc_touched >= ?1 AND pc_page IN ({ph})"
                ))?
                .execute(params_from_iter(args))?;
        }
        Ok(())
    }
}

fn job_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<JobRow> {
    Ok(JobRow {
        id: r.get(0)?,
        cmd: r.get(1)?,
        ns: r.get(2)?,
        title: r.get(3)?,
        params: r.get(4)?,
        attempts: r.get(5)?,
        token: r.get(6)?,
    })
}

impl JobsWrite for SqliteWrite<'_> {
    fn push_job(&mut self, job: &NewJob, now: &str) -> Result<bool> {
        let c = &*self.conn;
        let dup: Option<i64> = c
            .prepare_cached(
                "SELECT job_id FROM job WHERE job_sha1 = ?1 AND job_token = '' LIMIT 1",
            )?
            .query_row([&job.sha1], |r| r.get(0))
            .optional()?;
        if dup.is_some() {
            return Ok(false);
        }
        c.prepare_cached(
            "INSERT INTO job (job_cmd, job_namespace, job_title, job_params, job_timestamp, job_sha1)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )?
        .execute(params![job.cmd, job.ns, job.title, job.params, now, job.sha1])?;
        Ok(true)
    }

    fn claim_job(
        &mut self,
        token: &str,
        now: &str,
        stale_before: &str,
        max_attempts: i64,
    ) -> Result<Option<JobRow>> {
        let c = &*self.conn;
        let id: Option<i64> = c
            .prepare_cached(
                "SELECT job_id FROM job
                 WHERE (job_token = '' OR job_token_timestamp < ?1) AND job_attempts < ?2
                 ORDER BY job_id LIMIT 1",
            )?
            .query_row(params![stale_before, max_attempts], |r| r.get(0))
            .optional()?;
        let Some(id) = id else { return Ok(None) };
        c.prepare_cached(
            "UPDATE job SET job_token = ?2, job_token_timestamp = ?3, job_attempts = job_attempts + 1
             WHERE job_id = ?1",
        )?
        .execute(params![id, token, now])?;
        Ok(c.prepare_cached(
            "SELECT job_id, job_cmd, job_namespace, job_title, job_params, job_attempts, job_token
                 FROM job WHERE job_id = ?1",
        )?
        .query_row([id], job_row)
        .optional()?)
    }

    fn ack_job(&mut self, id: i64) -> Result<()> {
        self.conn
            .prepare_cached("DELETE FROM job WHERE job_id = ?1")?
            .execute([id])?;
        Ok(())
    }

    fn release_job(&mut self, id: i64) -> Result<()> {
        self.conn
            .prepare_cached(
                "UPDATE job SET job_token = '', job_token_timestamp = NULL WHERE job_id = ?1",
            )?
            .execute([id])?;
        Ok(())
    }

    fn reap_jobs(&mut self, max_attempts: i64, stale_before: &str) -> Result<Vec<JobRow>> {
        let c = &*self.conn;
        let rows: Vec<JobRow> = {
            let mut stmt = c.prepare_cached(
                "SELECT job_id, job_cmd, job_namespace, job_title, job_params, job_attempts, job_token
                 FROM job WHERE job_attempts >= ?1 AND (job_token = '' OR job_token_timestamp < ?2)",
            )?;
            let r = stmt.query_map(params![max_attempts, stale_before], job_row)?;
            r.collect::<Result<_, _>>()?
        };
        for r in &rows {
            c.prepare_cached("DELETE FROM job WHERE job_id = ?1")?
                .execute([r.id])?;
        }
        Ok(rows)
    }
}
