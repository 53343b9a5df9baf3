//! The single integration-test binary: real servers over HTTP and real SQLite files.

mod auth;
mod envelope;
mod pages;
mod parsing;
mod purge;
mod query;
mod siteinfo;
mod support;
mod variants;
