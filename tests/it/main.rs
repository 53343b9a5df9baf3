//! The single integration-test binary: real servers over HTTP and real SQLite files.

mod envelope;
mod parsing;
mod query;
mod siteinfo;
mod support;
