use crate::api::{Group, ModuleDef};
pub static WATCHLISTRAW: ModuleDef = ModuleDef::new("watchlistraw", Group::List, "X");
