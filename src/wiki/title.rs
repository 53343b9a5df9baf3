//! Page titles: parsing and normalisation as MediaWiki's `MediaWikiTitleCodec`
//! (see shared/spec/titles.md).

use std::collections::HashSet;

use crate::api::message::Msg;
use crate::wiki::namespace::Namespaces;

/// A parsed title.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Title {
    pub ns: i32,
    /// Text with underscores, without namespace prefix or fragment.
    pub dbkey: String,
    /// Fragment with spaces, empty when none.
    pub fragment: String,
    /// Lower-case interwiki prefix, empty for local titles.
    pub interwiki: String,
}

/// Why a title is invalid (the message key is the non-BC `code`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TitleError {
    Empty,
    Utf8,
    TalkNamespace,
    Characters(String),
    Relative,
    MagicTilde,
    TooLong(usize),
    LeadingColon,
}

impl TitleError {
    pub fn key(&self) -> &'static str {
        match self {
            TitleError::Empty => "title-invalid-empty",
            TitleError::Utf8 => "title-invalid-utf8",
            TitleError::TalkNamespace => "title-invalid-talk-namespace",
            TitleError::Characters(_) => "title-invalid-characters",
            TitleError::Relative => "title-invalid-relative",
            TitleError::MagicTilde => "title-invalid-magic-tilde",
            TitleError::TooLong(_) => "title-invalid-too-long",
            TitleError::LeadingColon => "title-invalid-leading-colon",
        }
    }

    /// The message with its parameters (the raw title is appended by callers that
    /// show `errorformat=raw`).
    pub fn msg(&self) -> Msg {
        let m = Msg::new(self.key());
        match self {
            TitleError::Characters(c) => m.p(c.clone()),
            TitleError::TooLong(n) => m.param(crate::api::message::Param::Num(*n as i64)),
            _ => m,
        }
    }
}

/// Parses titles for one wiki.
#[derive(Debug, Clone)]
pub struct TitleCodec {
    pub namespaces: Namespaces,
    /// Known interwiki prefixes, lower-case.
    pub interwikis: HashSet<String>,
    /// Prefixes that point at this wiki itself.
    pub local_interwikis: HashSet<String>,
    /// The main page's title text.
    pub main_page: String,
}

impl Title {
    /// Text with spaces.
    pub fn text(&self) -> String {
        self.dbkey.replace('_', " ")
    }

    /// `Namespace:Text` with spaces (`Text` in the main namespace).
    pub fn prefixed_text(&self, codec: &TitleCodec) -> String {
        if !self.interwiki.is_empty() {
            return format!("{}:{}", self.interwiki, self.dbkey.replace('_', " "));
        }
        match codec.namespaces.display_name(self.ns) {
            Some(n) if !n.is_empty() => format!("{}:{}", n, self.text()),
            _ => self.text(),
        }
    }

    /// `Namespace:Text` with underscores.
    pub fn prefixed_dbkey(&self, codec: &TitleCodec) -> String {
        self.prefixed_text(codec).replace(' ', "_")
    }

    /// Whether a page can exist at this title (`Title::canExist`).
    pub fn can_exist(&self) -> bool {
        self.ns >= 0 && self.interwiki.is_empty() && !self.dbkey.is_empty()
    }
}

impl TitleCodec {
    pub fn new(namespaces: Namespaces, interwikis: HashSet<String>) -> TitleCodec {
        TitleCodec {
            namespaces,
            interwikis,
            local_interwikis: HashSet::new(),
            main_page: "Main Page".into(),
        }
    }

    /// Parses `input` with `default_ns` as the namespace when none is given.
    pub fn parse(&self, input: &str, default_ns: i32) -> Result<Title, TitleError> {
        let mut ns = default_ns;
        let mut text: String = input.replace(' ', "_");
        text = text.trim_matches('_').to_string();
        if text.contains('\u{fffd}') {
            return Err(TitleError::Utf8);
        }
        if let Some(rest) = text.strip_prefix(':') {
            ns = 0;
            text = rest.trim_matches('_').to_string();
        }
        if text.is_empty() {
            return Err(TitleError::Empty);
        }
        if let Some((prefix, rest)) = text.split_once(':') {
            let p = prefix.trim_end_matches('_');
            if let Some(id) = self.namespaces.lookup(p) {
                ns = id;
                text = rest.trim_start_matches('_').to_string();
            }
        }
        let mut fragment = String::new();
        if let Some(i) = text.find('#') {
            fragment = text[i + 1..].replace('_', " ");
            text = text[..i].trim_end_matches('_').to_string();
        }
        if let Some(c) = text.chars().find(|c| {
            (*c as u32) < 0x20
                || matches!(c, '#' | '<' | '>' | '[' | ']' | '{' | '}' | '|' | '\u{7f}')
        }) {
            return Err(TitleError::Characters(c.to_string()));
        }
        if text.len() > 255 {
            return Err(TitleError::TooLong(255));
        }
        if self.namespaces.is_capitalized(ns) {
            let mut chars = text.chars();
            if let Some(first) = chars.next() {
                text = first.to_uppercase().chain(chars).collect();
            }
        }
        if text.is_empty() && ns != 0 {
            return Err(TitleError::Empty);
        }
        Ok(Title {
            ns,
            dbkey: text,
            fragment,
            interwiki: String::new(),
        })
    }
}

/// Normalises a user name as `assertuser` does (`User:` prefix accepted, first
/// letter upper-cased, underscores to spaces). `None` when it is not a valid name.
pub fn normalize_user_name(codec: &TitleCodec, name: &str) -> Option<String> {
    let t = codec.parse(name, crate::wiki::namespace::NS_USER).ok()?;
    if t.ns != crate::wiki::namespace::NS_USER || t.dbkey.contains('/') || !t.fragment.is_empty() {
        return None;
    }
    let text = t.text();
    if text.parse::<std::net::IpAddr>().is_ok() {
        return None;
    }
    Some(text)
}
