//! Namespaces of an English-language wiki (MediaWiki's defaults), with the project
//! namespace named after the site.

pub const NS_MEDIA: i32 = -2;
pub const NS_SPECIAL: i32 = -1;
pub const NS_MAIN: i32 = 0;
pub const NS_TALK: i32 = 1;
pub const NS_USER: i32 = 2;
pub const NS_USER_TALK: i32 = 3;
pub const NS_PROJECT: i32 = 4;
pub const NS_PROJECT_TALK: i32 = 5;
pub const NS_FILE: i32 = 6;
pub const NS_FILE_TALK: i32 = 7;
pub const NS_MEDIAWIKI: i32 = 8;
pub const NS_MEDIAWIKI_TALK: i32 = 9;
pub const NS_TEMPLATE: i32 = 10;
pub const NS_TEMPLATE_TALK: i32 = 11;
pub const NS_HELP: i32 = 12;
pub const NS_HELP_TALK: i32 = 13;
pub const NS_CATEGORY: i32 = 14;
pub const NS_CATEGORY_TALK: i32 = 15;

/// Canonical (language-independent) names, with underscores.
const CANONICAL: &[(i32, &str)] = &[
    (NS_MEDIA, "Media"),
    (NS_SPECIAL, "Special"),
    (NS_MAIN, ""),
    (NS_TALK, "Talk"),
    (NS_USER, "User"),
    (NS_USER_TALK, "User_talk"),
    (NS_PROJECT, "Project"),
    (NS_PROJECT_TALK, "Project_talk"),
    (NS_FILE, "File"),
    (NS_FILE_TALK, "File_talk"),
    (NS_MEDIAWIKI, "MediaWiki"),
    (NS_MEDIAWIKI_TALK, "MediaWiki_talk"),
    (NS_TEMPLATE, "Template"),
    (NS_TEMPLATE_TALK, "Template_talk"),
    (NS_HELP, "Help"),
    (NS_HELP_TALK, "Help_talk"),
    (NS_CATEGORY, "Category"),
    (NS_CATEGORY_TALK, "Category_talk"),
];

/// The namespaces of one wiki.
#[derive(Debug, Clone)]
pub struct Namespaces {
    /// (id, canonical name, local name), names with underscores, in id order.
    entries: Vec<(i32, String, String)>,
    /// Extra names (lower-cased, underscores) → id: aliases.
    aliases: Vec<(String, i32)>,
}

impl Namespaces {
    /// English namespaces; `meta` is `$wgMetaNamespace` (site name, underscores).
    pub fn english(meta: &str) -> Namespaces {
        let entries = CANONICAL
            .iter()
            .map(|(id, canon)| {
                let local = match *id {
                    NS_PROJECT => meta.to_string(),
                    NS_PROJECT_TALK => format!("{meta}_talk"),
                    _ => canon.to_string(),
                };
                (*id, canon.to_string(), local)
            })
            .collect();
        Namespaces {
            entries,
            aliases: vec![
                ("Image".into(), NS_FILE),
                ("Image_talk".into(), NS_FILE_TALK),
            ],
        }
    }

    pub fn ids(&self) -> impl Iterator<Item = i32> + '_ {
        self.entries.iter().map(|e| e.0)
    }

    pub fn exists(&self, ns: i32) -> bool {
        self.entries.iter().any(|e| e.0 == ns)
    }

    /// Local name with underscores (`User_talk`, `Refwiki`), empty for main.
    pub fn local_name(&self, ns: i32) -> Option<&str> {
        self.entries
            .iter()
            .find(|e| e.0 == ns)
            .map(|e| e.2.as_str())
    }

    /// Local name with spaces, as displayed in titles.
    pub fn display_name(&self, ns: i32) -> Option<String> {
        self.local_name(ns).map(|n| n.replace('_', " "))
    }

    pub fn canonical_name(&self, ns: i32) -> Option<&str> {
        self.entries
            .iter()
            .find(|e| e.0 == ns)
            .map(|e| e.1.as_str())
    }

    /// Aliases as (name with underscores, id), for `siprop=namespacealiases`.
    pub fn aliases(&self) -> &[(String, i32)] {
        &self.aliases
    }

    /// `Language::getNsIndex`: canonical, local or alias name, case-insensitive,
    /// spaces and underscores alike.
    pub fn lookup(&self, name: &str) -> Option<i32> {
        let key = name.replace(' ', "_").to_lowercase();
        if key.is_empty() {
            return None;
        }
        for (id, canon, local) in &self.entries {
            if canon.to_lowercase() == key || local.to_lowercase() == key {
                return Some(*id);
            }
        }
        self.aliases
            .iter()
            .find(|(a, _)| a.to_lowercase() == key)
            .map(|(_, id)| *id)
    }

    pub fn is_talk(ns: i32) -> bool {
        ns > 0 && ns % 2 == 1
    }

    pub fn talk(ns: i32) -> i32 {
        if ns < 0 || Self::is_talk(ns) {
            ns
        } else {
            ns + 1
        }
    }

    pub fn subject(ns: i32) -> i32 {
        if Self::is_talk(ns) {
            ns - 1
        } else {
            ns
        }
    }

    /// Whether titles in `ns` get their first letter upper-cased.
    pub fn is_capitalized(&self, _ns: i32) -> bool {
        // $wgCapitalLinks defaults to true and no overrides are configured.
        true
    }

    /// Namespaces that hold real content for statistics (`$wgContentNamespaces`).
    pub fn is_content(ns: i32) -> bool {
        ns == NS_MAIN
    }

    /// Subpages are enabled in these namespaces (`$wgNamespacesWithSubpages`).
    pub fn has_subpages(ns: i32) -> bool {
        ns > 0 && !matches!(ns, NS_FILE | NS_CATEGORY)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lookup_names() {
        let ns = Namespaces::english("Refwiki");
        assert_eq!(ns.lookup("project"), Some(4));
        assert_eq!(ns.lookup("REFWIKI_talk"), Some(5));
        assert_eq!(ns.lookup("image"), Some(6));
        assert_eq!(ns.lookup("user talk"), Some(3));
        assert_eq!(ns.lookup("en"), None);
        assert_eq!(ns.display_name(5).as_deref(), Some("Refwiki talk"));
        assert_eq!(Namespaces::talk(0), 1);
        assert_eq!(Namespaces::subject(7), 6);
        assert_eq!(Namespaces::talk(-1), -1);
    }
}
