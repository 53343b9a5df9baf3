//! Small helpers with no wiki knowledge.
pub mod time;
