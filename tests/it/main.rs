//! Integration tests: one binary, real servers over HTTP.

mod query;
mod siteinfo;
mod support;

#[test]
fn smoke() {}
