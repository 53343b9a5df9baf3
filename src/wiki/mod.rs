//! Domain logic: titles, namespaces, special pages and (later) page operations. No
//! HTTP, no SQL.
pub mod delete;
pub mod import;
pub mod jobs;
pub mod links;
pub mod namespace;
pub mod page;
pub mod parser;
pub mod purge;
pub mod special;
pub mod title;
pub mod undelete;
pub mod variants;
pub mod view;
