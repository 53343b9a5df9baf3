//! Special pages of an English-language wiki: canonical names and aliases, as
//! `siprop=specialpagealiases` lists them (facts of MediaWiki 1.39's core
//! special pages, kept as data in `api/query/data/specialpagealiases.json`).

use std::collections::HashMap;
use std::sync::OnceLock;

/// One special page: its internal name and its aliases (the first alias is the
/// local name shown in titles).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpecialPage {
    pub realname: String,
    pub aliases: Vec<String>,
}

#[derive(serde::Deserialize)]
struct Raw {
    realname: String,
    aliases: Vec<String>,
}

/// All special pages, in MediaWiki's order.
pub fn all() -> &'static [SpecialPage] {
    static LIST: OnceLock<Vec<SpecialPage>> = OnceLock::new();
    LIST.get_or_init(|| {
        let raw: Vec<Raw> =
            serde_json::from_str(include_str!("../api/query/data/specialpagealiases.json"))
                .expect("specialpagealiases.json is valid");
        raw.into_iter()
            .map(|r| SpecialPage {
                realname: r.realname,
                aliases: r.aliases,
            })
            .collect()
    })
}

fn fold(s: &str) -> String {
    s.replace(' ', "_").to_lowercase()
}

fn by_alias() -> &'static HashMap<String, usize> {
    static MAP: OnceLock<HashMap<String, usize>> = OnceLock::new();
    MAP.get_or_init(|| {
        let mut m = HashMap::new();
        for (i, sp) in all().iter().enumerate() {
            for a in &sp.aliases {
                m.entry(fold(a)).or_insert(i);
            }
            m.entry(fold(&sp.realname)).or_insert(i);
        }
        m
    })
}

/// Resolves a Special: DB key (`recentchanges/foo`) to the page and subpage.
pub fn resolve(dbkey: &str) -> Option<(&'static SpecialPage, Option<&str>)> {
    let (name, sub) = match dbkey.split_once('/') {
        Some((n, s)) => (n, Some(s)),
        None => (dbkey, None),
    };
    by_alias().get(&fold(name)).map(|&i| (&all()[i], sub))
}

/// `Title::fixSpecialName`: the canonical local DB key of a special page title,
/// or `None` when no such special page exists.
pub fn canonical_dbkey(dbkey: &str) -> Option<String> {
    crate::wiki::title::special_local_name(dbkey).map(|n| n.replace(' ', "_"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_aliases_case_insensitively() {
        assert_eq!(
            canonical_dbkey("recentchanges").as_deref(),
            Some("RecentChanges")
        );
        assert_eq!(canonical_dbkey("mypage/x").as_deref(), Some("MyPage/x"));
        assert_eq!(canonical_dbkey("Nope"), None);
    }
}
