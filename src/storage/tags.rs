//! Change-tag definitions (`change_tag_def`), managed with `action=managetags`
//! and listed by `list=tags`.

use anyhow::Result;

/// One defined or used tag.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TagDef {
    pub name: String,
    /// Defined by a user (`ctd_user_defined`): active and applicable by hand.
    pub user_defined: bool,
    /// Number of changes carrying it.
    pub count: i64,
}

pub trait TagsRead {
    /// Every tag that is defined or used, sorted by name.
    fn tag_defs(&mut self) -> Result<Vec<TagDef>>;
    fn tag_def(&mut self, name: &str) -> Result<Option<TagDef>>;
}

pub trait TagsWrite {
    /// Defines a tag (created when missing) as user-defined or not.
    fn set_tag_defined(&mut self, name: &str, user_defined: bool) -> Result<()>;
    /// Deletes a tag and removes it from every change.
    fn delete_tag(&mut self, name: &str) -> Result<()>;
}
