use crate::api::{Group, ModuleDef};
pub static SEARCH: ModuleDef = ModuleDef::new("search", Group::List, "X");
