//! The single integration-test binary: a real server over a real SQLite file.

mod auth;
mod envelope;
mod support;
