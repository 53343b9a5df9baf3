//! The format-neutral result tree, modelled on MediaWiki's `ApiResult`.
//!
//! Modules build a [`Map`] of ordered keys; the printers in `format/` turn it into
//! JSON (formatversion 1 or 2) or XML. The metadata MediaWiki keeps in `_element`,
//! `_type`, `_content` and `_BC_bools` keys lives here as plain fields:
//!
//! * [`Val::Bool`] is a "BC bool": in formatversion 1 and XML `true` prints as `""`
//!   and `false` is omitted, in formatversion 2 both are JSON booleans.
//!   [`Val::RealBool`] is a boolean in every JSON version.
//! * A [`Map`] may name one key as its *content*: fv1 renames it to `*` and moves it
//!   last, fv2 keeps the name, XML prints it as element text.
//! * A [`List`] carries the XML element name of its items (`page`, `n`, `r`, …).
//! * [`MapKind::BcArray`] is an object keyed by id in fv1 and a list in fv2
//!   (`query.pages`). [`MapKind::Kvp`] prints as an object in JSON and as a list of
//!   `<tag name="key">value</tag>` elements in XML.

/// A value in the result tree.
#[derive(Debug, Clone, PartialEq)]
pub enum Val {
    /// A flag: fv1/XML print `""` for true and omit false; fv2 prints a JSON boolean.
    Bool(bool),
    /// A boolean that is a JSON boolean in every formatversion.
    RealBool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    List(List),
    Map(Map),
}

impl Val {
    pub fn str(s: impl Into<String>) -> Val {
        Val::Str(s.into())
    }
}

impl From<&str> for Val {
    fn from(s: &str) -> Val {
        Val::Str(s.to_string())
    }
}
impl From<String> for Val {
    fn from(s: String) -> Val {
        Val::Str(s)
    }
}
impl From<&String> for Val {
    fn from(s: &String) -> Val {
        Val::Str(s.clone())
    }
}
impl From<i64> for Val {
    fn from(i: i64) -> Val {
        Val::Int(i)
    }
}
impl From<i32> for Val {
    fn from(i: i32) -> Val {
        Val::Int(i64::from(i))
    }
}
impl From<u32> for Val {
    fn from(i: u32) -> Val {
        Val::Int(i64::from(i))
    }
}
impl From<usize> for Val {
    fn from(i: usize) -> Val {
        Val::Int(i as i64)
    }
}
impl From<f64> for Val {
    fn from(f: f64) -> Val {
        Val::Float(f)
    }
}
impl From<bool> for Val {
    fn from(b: bool) -> Val {
        Val::Bool(b)
    }
}
impl From<Map> for Val {
    fn from(m: Map) -> Val {
        Val::Map(m)
    }
}
impl From<List> for Val {
    fn from(l: List) -> Val {
        Val::List(l)
    }
}

/// How a map prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum MapKind {
    /// An object everywhere.
    #[default]
    Assoc,
    /// fv2: a list of the values sorted by key. fv1 and XML: PHP's default type
    /// (see [`php_default_is_list`]): a sorted list when the keys are integers up
    /// to `len - 1`, else an object keyed by the entry keys (XML: repeated `tag`
    /// elements with `_idx`). `query.pages`.
    BcArray,
    /// JSON: an object; XML: a list of `<tag name="key">value</tag>`.
    Kvp,
    /// fv2: an object; fv1: PHP's default type (a list when the printed keys are
    /// integers up to `len - 1`, else an object). XML: repeated `tag` elements,
    /// always with `_idx` (`thumblimits`, `magiclinks`, `namespaces`).
    BcAssoc,
    /// PHP's default array type in every format: a sorted list when its keys are
    /// integers up to `len - 1`, else an object. XML: repeated `tag` elements, with
    /// `_idx` when not a list (`badrevids`).
    PhpDefault,
}

/// An ordered map of keys to values, with printing metadata.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Map {
    pub entries: Vec<(String, Val)>,
    /// The key whose value is this element's content (`*` in fv1).
    pub content: Option<String>,
    pub kind: MapKind,
    /// XML element name for the values of a `BcArray`/`Kvp` map.
    pub tag: Option<&'static str>,
    /// fv1 only: keys printed with their content key as `*` (sub-elements in XML).
    /// Kept for completeness of the model; rarely used.
    pub preserve_keys: bool,
    /// Scalar keys that XML prints as child elements instead of attributes
    /// (MediaWiki's `ApiResult::setSubelementsList`). JSON ignores this.
    pub subelements: Vec<String>,
}

impl Map {
    pub fn new() -> Map {
        Map::default()
    }

    pub fn bc_array(tag: &'static str) -> Map {
        Map {
            kind: MapKind::BcArray,
            tag: Some(tag),
            ..Map::default()
        }
    }

    pub fn bc_assoc(tag: &'static str) -> Map {
        Map {
            kind: MapKind::BcAssoc,
            tag: Some(tag),
            ..Map::default()
        }
    }

    pub fn php_default(tag: &'static str) -> Map {
        Map {
            kind: MapKind::PhpDefault,
            tag: Some(tag),
            ..Map::default()
        }
    }

    pub fn kvp(tag: &'static str) -> Map {
        Map {
            kind: MapKind::Kvp,
            tag: Some(tag),
            ..Map::default()
        }
    }

    /// Sets `key`, replacing an existing value in place (keeping its position).
    pub fn set(&mut self, key: impl Into<String>, val: impl Into<Val>) -> &mut Self {
        let key = key.into();
        let val = val.into();
        if let Some(slot) = self.entries.iter_mut().find(|(k, _)| *k == key) {
            slot.1 = val;
        } else {
            self.entries.push((key, val));
        }
        self
    }

    /// Builder form of [`Map::set`].
    pub fn with(mut self, key: impl Into<String>, val: impl Into<Val>) -> Self {
        self.set(key, val);
        self
    }

    /// Sets `key` only when `val` is `Some`.
    pub fn set_opt(&mut self, key: impl Into<String>, val: Option<impl Into<Val>>) -> &mut Self {
        if let Some(v) = val {
            self.set(key, v);
        }
        self
    }

    /// Inserts `key` at the front (MediaWiki's `ApiResult::ADD_ON_TOP`).
    pub fn prepend(&mut self, key: impl Into<String>, val: impl Into<Val>) {
        let key = key.into();
        self.entries.retain(|(k, _)| *k != key);
        self.entries.insert(0, (key, val.into()));
    }

    /// Marks `key` to print as a child element in XML.
    pub fn set_subelement(&mut self, key: &str) {
        if !self.subelements.iter().any(|k| k == key) {
            self.subelements.push(key.to_string());
        }
    }

    /// Sets `key` as this map's content value.
    pub fn set_content(&mut self, key: impl Into<String>, val: impl Into<Val>) {
        let key = key.into();
        self.set(key.clone(), val);
        self.content = Some(key);
    }

    pub fn get(&self, key: &str) -> Option<&Val> {
        self.entries.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    pub fn get_mut(&mut self, key: &str) -> Option<&mut Val> {
        self.entries
            .iter_mut()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v)
    }

    /// The map stored under `key`, created (at the end) when absent.
    pub fn map_mut(&mut self, key: &str) -> &mut Map {
        if !matches!(self.get(key), Some(Val::Map(_))) {
            self.set(key, Map::new());
        }
        match self.get_mut(key) {
            Some(Val::Map(m)) => m,
            _ => unreachable!("just inserted a map"),
        }
    }

    /// The list stored under `key`, created (at the end) with item tag `tag` when absent.
    pub fn list_mut(&mut self, key: &str, tag: &'static str) -> &mut List {
        if !matches!(self.get(key), Some(Val::List(_))) {
            self.set(key, List::new(tag));
        }
        match self.get_mut(key) {
            Some(Val::List(l)) => l,
            _ => unreachable!("just inserted a list"),
        }
    }

    pub fn remove(&mut self, key: &str) -> Option<Val> {
        let pos = self.entries.iter().position(|(k, _)| k == key)?;
        Some(self.entries.remove(pos).1)
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }
}

/// Whether `key` is an integer key of a PHP array (`"12"`, `"-3"`; not `"012"`).
fn php_int_key(key: &str) -> Option<i64> {
    let i: i64 = key.parse().ok()?;
    (i.to_string() == key).then_some(i)
}

/// PHP's default array type: a list when every key is an integer and the largest
/// is `len - 1` (`ApiResult`'s rule), else an object.
pub fn php_default_is_list<'a>(keys: impl Iterator<Item = &'a str>) -> bool {
    let mut max = -1i64;
    let mut n = 0i64;
    for k in keys {
        match php_int_key(k) {
            Some(i) => max = max.max(i),
            None => return false,
        }
        n += 1;
    }
    max == n - 1
}

/// Key order of PHP 8.2's `<=>` on array keys: integers numerically, otherwise as
/// strings (how MediaWiki sorts an array-typed result before dropping its keys).
pub fn php_key_cmp(a: &str, b: &str) -> std::cmp::Ordering {
    match (php_int_key(a), php_int_key(b)) {
        (Some(x), Some(y)) => x.cmp(&y),
        _ => a.cmp(b),
    }
}

/// A list of values; `tag` names each item's XML element.
#[derive(Debug, Clone, PartialEq)]
pub struct List {
    pub tag: &'static str,
    pub items: Vec<Val>,
}

impl List {
    pub fn new(tag: &'static str) -> List {
        List {
            tag,
            items: Vec::new(),
        }
    }

    pub fn of<T: Into<Val>>(tag: &'static str, items: impl IntoIterator<Item = T>) -> List {
        List {
            tag,
            items: items.into_iter().map(Into::into).collect(),
        }
    }

    pub fn push(&mut self, v: impl Into<Val>) {
        self.items.push(v.into());
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn set_replaces_in_place_and_prepend_moves_to_front() {
        let mut m = Map::new().with("a", 1).with("b", 2);
        m.set("a", 3);
        assert_eq!(m.entries[0], ("a".to_string(), Val::Int(3)));
        m.prepend("b", "x");
        assert_eq!(m.entries[0].0, "b");
        assert_eq!(m.len(), 2);
    }
}
