//! SQLite side of `storage::tags`.

use anyhow::Result;
use rusqlite::OptionalExtension;

use super::{Conn, SqliteWrite};
use crate::storage::tags::{TagDef, TagsRead, TagsWrite};

fn tag_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<TagDef> {
    Ok(TagDef {
        name: r.get(0)?,
        user_defined: r.get::<_, i64>(1)? != 0,
        count: r.get(2)?,
    })
}

impl<T: Conn> TagsRead for T {
    fn tag_defs(&mut self) -> Result<Vec<TagDef>> {
        let mut stmt = self.c().prepare_cached(
            "SELECT ctd_name, ctd_user_defined, ctd_count FROM change_tag_def ORDER BY ctd_name",
        )?;
        let rows = stmt.query_map([], tag_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn tag_def(&mut self, name: &str) -> Result<Option<TagDef>> {
        Ok(self
            .c()
            .prepare_cached(
                "SELECT ctd_name, ctd_user_defined, ctd_count FROM change_tag_def \
                 WHERE ctd_name = ?1",
            )?
            .query_row([name], tag_row)
            .optional()?)
    }
}

impl TagsWrite for SqliteWrite<'_> {
    fn set_tag_defined(&mut self, name: &str, user_defined: bool) -> Result<()> {
        self.c()
            .prepare_cached(
                "INSERT INTO change_tag_def (ctd_name, ctd_user_defined) VALUES (?1, ?2) \
                 ON CONFLICT (ctd_name) DO UPDATE SET ctd_user_defined = excluded.ctd_user_defined",
            )?
            .execute(rusqlite::params![name, user_defined as i64])?;
        Ok(())
    }

    fn delete_tag(&mut self, name: &str) -> Result<()> {
        let c = self.c();
        c.prepare_cached(
            "DELETE FROM change_tag WHERE ct_tag_id IN \
             (SELECT ctd_id FROM change_tag_def WHERE ctd_name = ?1)",
        )?
        .execute([name])?;
        c.prepare_cached("DELETE FROM change_tag_def WHERE ctd_name = ?1")?
            .execute([name])?;
        Ok(())
    }
}
