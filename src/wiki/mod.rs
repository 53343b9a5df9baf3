//! Domain logic: titles, namespaces, special pages and (later) page operations. No
//! HTTP, no SQL.
pub mod delete;
pub mod import;
pub mod links;
pub mod namespace;
pub mod page;
pub mod purge;
pub mod special;
pub mod title;
pub mod undelete;
