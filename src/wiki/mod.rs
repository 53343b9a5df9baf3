//! Domain logic: titles, namespaces and (later) page operations. No HTTP, no SQL.
pub mod namespace;
pub mod title;
