//! Storage of the search modules: the full-text index (`list=search`) and title
//! prefix lookups (`list=prefixsearch`). SQLite in `sqlite/search.rs`.

use anyhow::Result;

use super::Page;

/// Which column of the full-text index a search looks at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SearchField {
    Title,
    Text,
}

/// A full-text search over `searchindex`, in page id order.
#[derive(Debug, Clone, PartialEq)]
pub struct SearchQuery {
    /// The match expression in the index's own query syntax.
    pub expr: String,
    pub field: SearchField,
    /// `None`: every namespace.
    pub namespaces: Option<Vec<i32>>,
    pub limit: usize,
    pub offset: usize,
}

pub trait SearchRead {
    /// Pages matching a search (up to `limit` after `offset`) and the number of
    /// all matches.
    fn search_pages(&mut self, q: &SearchQuery) -> Result<(Vec<Page>, i64)>;
    /// Pages whose DB key starts with a prefix, per group of namespaces sharing
    /// that prefix (an empty prefix matches every page), ordered by DB key then
    /// namespace.
    fn prefix_pages(
        &mut self,
        prefixes: &[(String, Vec<i32>)],
        limit: usize,
        offset: usize,
    ) -> Result<Vec<Page>>;
}
