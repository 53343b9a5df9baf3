use crate::api::{Group, ModuleDef};
pub static WATCHLIST: ModuleDef = ModuleDef::new("watchlist", Group::List, "X");
