//! The continuation manager (MediaWiki's `ApiContinuationManager`): which
//! submodules run in this batch, and what goes into `continue` /
//! `query-continue` / `batchcomplete` afterwards.
//!
//! The `continue` request value is `<generator params>||<finished modules>`:
//! `-` as the first part means the generator is done (modules that work on its
//! pages are skipped), the second part lists modules that already finished.

use crate::api::error::{ApiError, ApiResult};
use crate::api::message::Msg;
use crate::api::request::RawRequest;
use crate::api::result::{Map, Val};

/// Parameter name → value (a string, or an integer where MediaWiki gives one).
type Kvps = Vec<(String, Val)>;

#[derive(Debug, Clone, Default)]
pub struct Continuation {
    /// Module name → whether it runs in this batch, in instantiation order.
    modules: Vec<(String, bool)>,
    /// Modules that work on the page set (prop modules).
    generated: Vec<String>,
    data: Vec<(String, Kvps)>,
    generator_data: Vec<(String, Kvps)>,
    generator_noncontinue: Vec<(String, Kvps)>,
    /// Generator parameters copied from the request when continuing.
    generator_params: Kvps,
    generator_done: bool,
}

fn push(list: &mut Vec<(String, Kvps)>, module: &str, name: String, value: Val) {
    let idx = match list.iter().position(|(m, _)| m == module) {
        Some(i) => i,
        None => {
            list.push((module.to_string(), Vec::new()));
            list.len() - 1
        }
    };
    let kv = &mut list[idx].1;
    match kv.iter_mut().find(|(k, _)| *k == name) {
        Some(slot) => slot.1 = value,
        None => kv.push((name, value)),
    }
}

impl Continuation {
    /// Reads the request's `continue`. `modules` are the names of all requested
    /// submodules in order, `generated` those that depend on the page set.
    pub fn new(req: &RawRequest, modules: &[String], generated: &[String]) -> ApiResult<Self> {
        let mut c = Continuation {
            generated: generated.to_vec(),
            ..Continuation::default()
        };
        let mut skip: Vec<String> = Vec::new();
        let cont = req.get("continue").unwrap_or("");
        if !cont.is_empty() {
            let parts: Vec<&str> = cont.split("||").collect();
            if parts.len() != 2 {
                return Err(
                    ApiError::coded("badcontinue", Msg::new("apierror-badcontinue"))
                        .in_module("main"),
                );
            }
            c.generator_done = parts[0] == "-";
            skip = parts[1].split('|').map(str::to_string).collect();
            if c.generator_done {
                skip.extend(generated.iter().cloned());
            } else {
                for name in parts[0].split('|') {
                    if let Some(v) = req.peek(name) {
                        c.generator_params
                            .push((name.to_string(), Val::str(v.to_string())));
                    }
                }
            }
        }
        c.modules = modules
            .iter()
            .map(|m| (m.clone(), !skip.contains(m)))
            .collect();
        Ok(c)
    }

    /// A manager for a module that only runs a generator (purge).
    pub fn for_generator_only(req: &RawRequest) -> ApiResult<Self> {
        Continuation::new(req, &[], &[])
    }

    pub fn generator_done(&self) -> bool {
        self.generator_done
    }

    /// Whether `module` runs in this batch.
    pub fn runs(&self, module: &str) -> bool {
        self.modules.iter().any(|(m, run)| m == module && *run)
    }

    /// A continuation parameter of a module (`name` is the full, prefixed name).
    pub fn add(&mut self, module: &str, name: &str, value: impl Into<Val>) {
        push(&mut self.data, module, name.to_string(), value.into());
    }

    /// A continuation parameter of the generator (`name` with its `g` prefix).
    pub fn add_generator(&mut self, module: &str, name: &str, value: impl Into<Val>) {
        push(
            &mut self.generator_data,
            module,
            name.to_string(),
            value.into(),
        );
    }

    /// A generator parameter that must be repeated while prop modules continue.
    pub fn add_generator_noncontinue(&mut self, module: &str, name: &str, value: impl Into<Val>) {
        push(
            &mut self.generator_noncontinue,
            module,
            name.to_string(),
            value.into(),
        );
    }

    /// (`continue` object, batchcomplete).
    pub fn continuation(&self) -> (Map, bool) {
        let mut data = Map::new();
        let mut batchcomplete = false;
        let mut finished: Vec<&str> = self
            .modules
            .iter()
            .map(|(m, _)| m.as_str())
            .filter(|m| !self.data.iter().any(|(d, _)| d == m))
            .collect();
        let add_all = |data: &mut Map, kv: &Kvps| {
            for (k, v) in kv {
                if data.get(k).is_none() {
                    data.set(k.clone(), v.clone());
                }
            }
        };
        let is_generated = |m: &str| self.generated.iter().any(|g| g == m);
        for (m, kv) in &self.data {
            if !is_generated(m) {
                add_all(&mut data, kv);
            }
        }
        let generated_data: Vec<&(String, Kvps)> =
            self.data.iter().filter(|(m, _)| is_generated(m)).collect();
        let generator_keys;
        if !generated_data.is_empty() {
            for (_, kv) in generated_data {
                add_all(&mut data, kv);
            }
            let mut gen = Map::new();
            for (_, kv) in &self.generator_noncontinue {
                add_all(&mut gen, kv);
            }
            for (k, v) in &self.generator_params {
                if gen.get(k).is_none() {
                    gen.set(k.clone(), v.clone());
                }
            }
            let keys: Vec<String> = gen.entries.iter().map(|(k, _)| k.clone()).collect();
            for (k, v) in gen.entries {
                if data.get(&k).is_none() {
                    data.set(k, v);
                }
            }
            generator_keys = keys.join("|");
        } else if !self.generator_data.is_empty() {
            let mut keys: Vec<String> = Vec::new();
            for (_, kv) in &self.generator_data {
                for (k, v) in kv {
                    if !keys.contains(k) {
                        keys.push(k.clone());
                        if data.get(k).is_none() {
                            data.set(k.clone(), v.clone());
                        }
                    }
                }
            }
            finished.retain(|m| !is_generated(m));
            generator_keys = keys.join("|");
            batchcomplete = true;
        } else {
            generator_keys = "-".to_string();
            batchcomplete = true;
        }
        if !data.is_empty() || generator_keys != "-" {
            data.set(
                "continue",
                format!("{}||{}", generator_keys, finished.join("|")),
            );
        }
        (data, batchcomplete)
    }

    /// `query-continue` for `rawcontinue`: module → parameters.
    pub fn raw_continuation(&self) -> Map {
        let mut out = Map::new();
        for (m, kv) in self.data.iter().chain(self.generator_data.iter()) {
            let entry = out.map_mut(m);
            for (k, v) in kv {
                entry.set(k.clone(), v.clone());
            }
        }
        out
    }

    /// `query-noncontinue` for `rawcontinue`.
    pub fn raw_noncontinuation(&self) -> Map {
        let mut out = Map::new();
        for (m, kv) in &self.generator_noncontinue {
            let entry = out.map_mut(m);
            for (k, v) in kv {
                entry.set(k.clone(), v.clone());
            }
        }
        out
    }

    /// Writes `continue` and `batchcomplete` on top of `result` (batchcomplete first).
    pub fn set_into_result(&self, result: &mut Map) {
        let (data, batchcomplete) = self.continuation();
        if !data.is_empty() {
            result.prepend("continue", data);
        }
        if batchcomplete {
            result.prepend("batchcomplete", true);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::request::Method;
    use crate::api::result::Val;

    fn req(q: &str) -> RawRequest {
        let mut r = RawRequest::new(Method::Get);
        r.add_urlencoded(q.as_bytes(), true);
        r
    }

    #[test]
    fn list_only_continuation() {
        let r = req("");
        let mut c = Continuation::new(&r, &["allpages".into(), "siteinfo".into()], &[]).unwrap();
        c.add("allpages", "apcontinue", "B");
        let (data, bc) = c.continuation();
        assert!(bc);
        assert_eq!(data.get("apcontinue"), Some(&Val::str("B")));
        assert_eq!(data.get("continue"), Some(&Val::str("-||siteinfo")));
    }

    #[test]
    fn generator_continuation_and_bad_value() {
        let r = req("");
        let mut c = Continuation::new(&r, &["info".into()], &["info".into()]).unwrap();
        c.add_generator("allpages", "gapcontinue", "X");
        let (data, bc) = c.continuation();
        assert!(bc);
        assert_eq!(data.get("continue"), Some(&Val::str("gapcontinue||")));
        let r = req("continue=abc");
        assert_eq!(
            Continuation::new(&r, &[], &[]).unwrap_err().code(),
            "badcontinue"
        );
        let r = req("continue=-||info");
        let c =
            Continuation::new(&r, &["info".into(), "allpages".into()], &["info".into()]).unwrap();
        assert!(c.generator_done());
        assert!(!c.runs("info"));
        assert!(c.runs("allpages"));
        let (data, bc) = c.continuation();
        assert!(bc && data.is_empty());
    }
}
