//! The single integration-test binary: real servers over HTTP and real SQLite files.

mod auth;
mod delete;
mod envelope;
mod lists;
mod pages;
mod parsing;
mod purge;
mod query;
mod runjobs;
mod siteinfo;
mod support;
mod undelete;
mod variants;
