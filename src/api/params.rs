//! Parameter declarations (`ParamDef`) and the only validator.
//!
//! A module lists its parameters once as `const` data; the same list drives
//! validation and its errors, `action=help` and `action=paraminfo`. Stage one (here)
//! turns raw strings into typed values; a module checks rules that span parameters.

use std::collections::HashMap;

use crate::api::error::{ApiError, ApiResult};
use crate::api::message::Msg;
use crate::api::request::RawRequest;

/// Parameter types, named as `action=paraminfo` names them.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum PType {
    String,
    Text,
    Integer {
        min: Option<i64>,
        max: Option<i64>,
    },
    /// `limit`: an integer or `max`; `max` for users, `max2` with apihighlimits.
    Limit {
        max: i64,
        max2: i64,
    },
    Boolean,
    Enum(&'static [&'static str]),
    /// The names of a module group (`action`, `format`, `meta`, `list`, `prop`,
    /// `generator`), resolved from the registry.
    Submodule(SubGroup),
    /// A plain enum of a module group's names (no submodule links), as the
    /// deprecated `querymodules` and `formatmodules` of paraminfo use.
    ModuleNames(SubGroup),
    Timestamp,
    Expiry,
    User,
    Title,
    Namespace,
    Password,
    Upload,
    /// Change tags that may be applied (resolved from storage).
    Tags,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SubGroup {
    Action,
    Format,
    Meta,
    List,
    Prop,
    Generator,
    /// Every query submodule (meta, list and prop).
    Query,
}

impl SubGroup {
    /// Path of the module whose submodules these are.
    pub fn owner(self) -> &'static str {
        match self {
            SubGroup::Action | SubGroup::Format => "main",
            _ => "query",
        }
    }

    /// Name of the group as MediaWiki's module manager names it.
    pub fn name(self) -> &'static str {
        match self {
            SubGroup::Action => "action",
            SubGroup::Format => "format",
            SubGroup::Meta => "meta",
            SubGroup::List => "list",
            SubGroup::Prop => "prop",
            SubGroup::Generator => "generator",
            SubGroup::Query => "query",
        }
    }
}

#[derive(Debug, Clone, Copy)]
pub struct ParamDef {
    pub name: &'static str,
    pub ptype: PType,
    pub required: bool,
    pub multi: bool,
    /// Multi-value limits: (users, apihighlimits).
    pub limits: (usize, usize),
    pub default: Option<&'static str>,
    pub deprecated: bool,
    pub sensitive: bool,
    /// Multi-value enum that accepts `*` for all values.
    pub allow_all: bool,
    /// Allow duplicate values in a multi-value parameter.
    pub allow_duplicates: bool,
    /// The token type, for `token` parameters.
    pub token_type: Option<&'static str>,
    /// Help text, in our own words.
    pub help: &'static str,
    /// For `User` parameters: the accepted kinds (`name`, `ip`, `cidr`,
    /// `interwiki`, `id`); empty means MediaWiki's default of the first four.
    pub user_types: &'static [&'static str],
    /// Enum values that still work but are deprecated.
    pub deprecated_values: &'static [&'static str],
    /// Help for individual enum values, in our own words.
    pub value_help: &'static [(&'static str, &'static str)],
}

impl ParamDef {
    pub const fn new(name: &'static str, ptype: PType) -> ParamDef {
        ParamDef {
            name,
            ptype,
            required: false,
            multi: false,
            limits: (50, 500),
            default: None,
            deprecated: false,
            sensitive: false,
            allow_all: false,
            allow_duplicates: false,
            token_type: None,
            help: "",
            user_types: &[],
            deprecated_values: &[],
            value_help: &[],
        }
    }
    pub const fn string(name: &'static str) -> ParamDef {
        ParamDef::new(name, PType::String)
    }
    pub const fn text(name: &'static str) -> ParamDef {
        ParamDef::new(name, PType::Text)
    }
    pub const fn integer(name: &'static str) -> ParamDef {
        ParamDef::new(
            name,
            PType::Integer {
                min: None,
                max: None,
            },
        )
    }
    pub const fn boolean(name: &'static str) -> ParamDef {
        ParamDef::new(name, PType::Boolean)
    }
    pub const fn enumeration(name: &'static str, values: &'static [&'static str]) -> ParamDef {
        ParamDef::new(name, PType::Enum(values))
    }
    pub const fn limit(name: &'static str, max: i64, max2: i64) -> ParamDef {
        ParamDef::new(name, PType::Limit { max, max2 })
    }
    pub const fn token(token_type: &'static str) -> ParamDef {
        let mut p = ParamDef::new("token", PType::String);
        p.required = true;
        p.sensitive = true;
        p.token_type = Some(token_type);
        p
    }
    pub const fn required(mut self) -> ParamDef {
        self.required = true;
        self
    }
    pub const fn multi(mut self) -> ParamDef {
        self.multi = true;
        self
    }
    pub const fn limits(mut self, low: usize, high: usize) -> ParamDef {
        self.limits = (low, high);
        self
    }
    pub const fn default(mut self, d: &'static str) -> ParamDef {
        self.default = Some(d);
        self
    }
    pub const fn deprecated(mut self) -> ParamDef {
        self.deprecated = true;
        self
    }
    pub const fn sensitive(mut self) -> ParamDef {
        self.sensitive = true;
        self
    }
    pub const fn allow_all(mut self) -> ParamDef {
        self.allow_all = true;
        self
    }
    pub const fn allow_duplicates(mut self) -> ParamDef {
        self.allow_duplicates = true;
        self
    }
    pub const fn range(mut self, min: i64, max: i64) -> ParamDef {
        self.ptype = PType::Integer {
            min: Some(min),
            max: Some(max),
        };
        self
    }
    pub const fn help(mut self, h: &'static str) -> ParamDef {
        self.help = h;
        self
    }
    pub const fn user_types(mut self, t: &'static [&'static str]) -> ParamDef {
        self.user_types = t;
        self
    }
    pub const fn deprecated_values(mut self, v: &'static [&'static str]) -> ParamDef {
        self.deprecated_values = v;
        self
    }
    pub const fn value_help(mut self, v: &'static [(&'static str, &'static str)]) -> ParamDef {
        self.value_help = v;
        self
    }

    /// The accepted user-name kinds, defaulted as MediaWiki defaults them.
    pub fn user_kinds(&self) -> &'static [&'static str] {
        if self.user_types.is_empty() {
            &["name", "ip", "cidr", "interwiki"]
        } else {
            self.user_types
        }
    }
}

/// PHP's `strnatcmp` (natural order, case-sensitive): runs of digits compare by
/// value, everything else byte by byte. MediaWiki sorts enum values this way.
pub fn natural_cmp(a: &str, b: &str) -> std::cmp::Ordering {
    use std::cmp::Ordering;
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        if a[i].is_ascii_digit() && b[j].is_ascii_digit() {
            let si = i;
            while i < a.len() && a[i].is_ascii_digit() {
                i += 1;
            }
            let sj = j;
            while j < b.len() && b[j].is_ascii_digit() {
                j += 1;
            }
            let (ra, rb) = (&a[si..i], &b[sj..j]);
            let ord = if ra[0] == b'0' || rb[0] == b'0' {
                // Leading zeros compare as a fraction: left-aligned.
                ra.cmp(rb)
            } else {
                let ta = ra.len();
                let tb = rb.len();
                ta.cmp(&tb).then_with(|| ra.cmp(rb))
            };
            if ord != Ordering::Equal {
                return ord;
            }
        } else {
            let ord = a[i].cmp(&b[j]);
            if ord != Ordering::Equal {
                return ord;
            }
            i += 1;
            j += 1;
        }
    }
    (a.len() - i).cmp(&(b.len() - j))
}

/// Enum values sorted as MediaWiki lists them: deprecated values last, then
/// natural order.
pub fn sorted_enum_values(values: &[&str], deprecated: &[&str]) -> Vec<String> {
    let mut v: Vec<&str> = values.to_vec();
    v.sort_by(|x, y| {
        deprecated
            .contains(x)
            .cmp(&deprecated.contains(y))
            .then_with(|| natural_cmp(x, y))
    });
    v.into_iter().map(str::to_string).collect()
}

/// A validated value.
#[derive(Debug, Clone, PartialEq)]
pub enum PVal {
    Str(String),
    Int(i64),
    Bool(bool),
    List(Vec<String>),
    IntList(Vec<i64>),
}

/// Something the validator wants said, attributed to the module.
#[derive(Debug, Clone)]
pub struct ParamWarning {
    pub code: String,
    pub msg: Msg,
    pub data: Option<crate::api::result::Map>,
}

/// Facts the validator needs about the request context.
pub struct ValidateCx<'a> {
    pub raw: &'a RawRequest,
    pub prefix: &'a str,
    pub high_limits: bool,
    /// Values of dynamic enum types (submodule groups, tags).
    pub dynamic: &'a dyn Fn(&PType) -> Vec<String>,
}

/// Validated parameters of one module, by declared (unprefixed) name.
#[derive(Debug, Default, Clone)]
pub struct Params {
    pub values: HashMap<&'static str, PVal>,
    /// Declared names that were present in the request.
    pub present: Vec<&'static str>,
    /// `limit` parameters given as `max`, with the value used.
    pub max_limits: Vec<(&'static str, i64)>,
}

impl Params {
    pub fn str(&self, name: &str) -> Option<&str> {
        match self.values.get(name) {
            Some(PVal::Str(s)) => Some(s),
            _ => None,
        }
    }
    pub fn int(&self, name: &str) -> Option<i64> {
        match self.values.get(name) {
            Some(PVal::Int(i)) => Some(*i),
            _ => None,
        }
    }
    pub fn flag(&self, name: &str) -> bool {
        matches!(self.values.get(name), Some(PVal::Bool(true)))
    }
    pub fn list(&self, name: &str) -> &[String] {
        match self.values.get(name) {
            Some(PVal::List(l)) => l,
            _ => &[],
        }
    }
    pub fn int_list(&self, name: &str) -> &[i64] {
        match self.values.get(name) {
            Some(PVal::IntList(l)) => l,
            _ => &[],
        }
    }
    /// Whether the parameter was given in the request (not defaulted).
    pub fn given(&self, name: &str) -> bool {
        self.present.contains(&name)
    }
}

/// Splits a multi-value string: U+001F form, else `|`.
pub fn split_multi(value: &str) -> Vec<String> {
    if value.is_empty() || value == "\u{1f}" {
        return Vec::new();
    }
    if let Some(rest) = value.strip_prefix('\u{1f}') {
        rest.split('\u{1f}').map(str::to_string).collect()
    } else {
        value.split('|').map(str::to_string).collect()
    }
}

fn parse_int(s: &str) -> Option<i64> {
    let t = s.trim_start_matches([' ', '\t', '\n', '\r']);
    let body = t.strip_prefix(['+', '-']).unwrap_or(t);
    if body.is_empty() || !body.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    t.parse::<i64>().ok()
}

/// Validates all of `defs` in declaration order; the first failure is the error.
pub fn validate(
    defs: &'static [ParamDef],
    cx: &ValidateCx<'_>,
    warnings: &mut Vec<ParamWarning>,
) -> ApiResult<Params> {
    let mut out = Params::default();
    for def in defs {
        let full = format!("{}{}", cx.prefix, def.name);
        let raw = cx.raw.get_raw(&full);
        if raw.is_some() {
            out.present.push(def.name);
        }
        if let Some(rv) = raw {
            if rv.raw_changed.is_some() && !matches!(def.ptype, PType::Upload) {
                warnings.push(ParamWarning {
                    code: "badutf8".into(),
                    msg: Msg::new("apiwarn-badutf8").p(full.clone()),
                    data: None,
                });
            }
            if def.deprecated {
                warnings.push(ParamWarning {
                    code: "deprecation".into(),
                    msg: Msg::new("apiwarn-deprecation-parameter").p(full.clone()),
                    data: None,
                });
            }
        }
        let value = raw.map(|r| r.value.as_str());
        if let Some(v) = validate_one(def, &full, value, cx, warnings, &mut out)? {
            out.values.insert(def.name, v);
        }
    }
    Ok(out)
}

fn validate_one(
    def: &ParamDef,
    full: &str,
    value: Option<&str>,
    cx: &ValidateCx<'_>,
    warnings: &mut Vec<ParamWarning>,
    out: &mut Params,
) -> ApiResult<Option<PVal>> {
    // `out` collects side facts (limits given as `max`) for single values.
    if def.ptype == PType::Boolean {
        return Ok(Some(PVal::Bool(value.is_some())));
    }
    let value = match value {
        Some(v) => Some(v),
        None => def.default,
    };
    let Some(value) = value else {
        if def.required {
            return Err(ApiError::missing_param(full));
        }
        return Ok(None);
    };
    if def.required && value.is_empty() && matches!(def.ptype, PType::String | PType::Text) {
        return Err(ApiError::missing_param(full));
    }
    if !def.multi {
        if value.starts_with('\u{1f}') {
            return Err(ApiError::coded(
                "badvalue",
                Msg::new("paramvalidator-notmulti").plain(full),
            ));
        }
        return single(def, full, value, cx, warnings, out).map(Some);
    }
    let pieces = split_multi(value);
    let (low, high) = def.limits;
    let limit = if cx.high_limits { high } else { low };
    if pieces.len() > limit {
        return Err(ApiError::coded(
            "toomanyvalues",
            Msg::new("paramvalidator-toomanyvalues")
                .plain(full)
                .param(crate::api::message::Param::Num(limit as i64)),
        )
        .with_data(
            crate::api::result::Map::new()
                .with("limit", limit)
                .with("lowlimit", low)
                .with("highlimit", high),
        ));
    }
    let mut uniq: Vec<String> = Vec::with_capacity(pieces.len());
    for p in pieces {
        if def.allow_duplicates || !uniq.contains(&p) {
            uniq.push(p);
        }
    }
    match def.ptype {
        PType::Integer { .. } => {
            let mut ints = Vec::with_capacity(uniq.len());
            for p in &uniq {
                match parse_int(p) {
                    Some(i) => ints.push(i),
                    None => return Err(ApiError::bad_integer(full, p)),
                }
            }
            Ok(Some(PVal::IntList(ints)))
        }
        PType::Enum(_)
        | PType::Submodule(_)
        | PType::ModuleNames(_)
        | PType::Tags
        | PType::Namespace => {
            let allowed = enum_values(&def.ptype, cx);
            if def.allow_all && uniq.iter().any(|v| v == "*") {
                return Ok(Some(PVal::List(allowed)));
            }
            let (good, bad): (Vec<String>, Vec<String>) =
                uniq.into_iter().partition(|v| allowed.contains(v));
            if !bad.is_empty() {
                if def.ptype == PType::Tags {
                    // TagsDef: one tag or a list, with the disallowed ones as data.
                    let msg = if bad.len() == 1 {
                        Msg::new("tags-apply-not-allowed-one").p(bad[0].clone())
                    } else {
                        Msg::new("tags-apply-not-allowed-multi")
                            .p(bad.join(", "))
                            .p(bad.len())
                    };
                    let data = crate::api::result::Map::new().with(
                        "disallowedtags",
                        crate::api::result::List::of("t", bad.iter().map(String::as_str)),
                    );
                    return Err(ApiError::coded("badtags", msg).with_data(data));
                }
                warnings.push(ParamWarning {
                    code: "unrecognizedvalues".into(),
                    msg: Msg::new("paramvalidator-unrecognizedvalues")
                        .plain(full)
                        .plain(bad.join(", "))
                        .param(crate::api::message::Param::Text(bad.join(", ")))
                        .p(bad.len()),
                    data: None,
                });
            }
            for v in good
                .iter()
                .filter(|v| def.deprecated_values.contains(&v.as_str()))
            {
                warnings.push(ParamWarning {
                    code: "deprecation".into(),
                    msg: Msg::new("paramvalidator-deprecated-value")
                        .plain(full)
                        .plain(v.as_str()),
                    data: Some(
                        crate::api::result::Map::new().with("feature", format!("{full}={v}")),
                    ),
                });
            }
            Ok(Some(PVal::List(good)))
        }
        PType::Timestamp => {
            // Every value must parse (MediaWiki's TimestampDef on each value).
            for v in &uniq {
                single(def, full, v, cx, warnings, out)?;
            }
            Ok(Some(PVal::List(uniq)))
        }
        _ => {
            let _ = out;
            Ok(Some(PVal::List(uniq)))
        }
    }
}

fn enum_values(t: &PType, cx: &ValidateCx<'_>) -> Vec<String> {
    match t {
        PType::Enum(vals) => vals.iter().map(|s| s.to_string()).collect(),
        other => (cx.dynamic)(other),
    }
}

fn single(
    def: &ParamDef,
    full: &str,
    value: &str,
    cx: &ValidateCx<'_>,
    warnings: &mut Vec<ParamWarning>,
    out: &mut Params,
) -> ApiResult<PVal> {
    match def.ptype {
        PType::Integer { min, max } => {
            let i = parse_int(value).ok_or_else(|| ApiError::bad_integer(full, value))?;
            let clamped = clamp(i, min, max, full, value, warnings);
            Ok(PVal::Int(clamped))
        }
        PType::Limit { max, max2 } => {
            let top = if cx.high_limits { max2 } else { max };
            if value == "max" {
                out.max_limits.push((def.name, top));
                return Ok(PVal::Int(top));
            }
            let i = parse_int(value).ok_or_else(|| ApiError::bad_integer(full, value))?;
            Ok(PVal::Int(clamp(
                i,
                Some(1),
                Some(top),
                full,
                value,
                warnings,
            )))
        }
        // MediaWiki declares `generator` without a type and checks the name when
        // the page set runs (`badgenerator`), so any string passes here.
        PType::Submodule(SubGroup::Generator) => Ok(PVal::Str(value.to_string())),
        PType::Enum(_) | PType::Submodule(_) | PType::ModuleNames(_) | PType::Namespace => {
            let allowed = enum_values(&def.ptype, cx);
            if allowed.iter().any(|a| a == value) {
                Ok(PVal::Str(value.to_string()))
            } else {
                Err(ApiError::bad_value(full, value))
            }
        }
        PType::Timestamp => {
            if crate::util::time::parse_timestamp(value).is_some() {
                Ok(PVal::Str(value.to_string()))
            } else {
                Err(ApiError::coded(
                    "badtimestamp",
                    Msg::new("paramvalidator-badtimestamp")
                        .plain(full)
                        .plain(value),
                ))
            }
        }
        _ => Ok(PVal::Str(value.to_string())),
    }
}

fn clamp(
    i: i64,
    min: Option<i64>,
    max: Option<i64>,
    full: &str,
    raw: &str,
    warnings: &mut Vec<ParamWarning>,
) -> i64 {
    let too_low = min.is_some_and(|m| i < m);
    let too_high = max.is_some_and(|m| i > m);
    if !too_low && !too_high {
        return i;
    }
    let msg = match (min, max) {
        (Some(lo), Some(hi)) => Msg::new("paramvalidator-outofrange-minmax")
            .plain(full)
            .plain(raw)
            .p(lo)
            .p(hi),
        (Some(lo), None) => Msg::new("paramvalidator-outofrange-min")
            .plain(full)
            .plain(raw)
            .p(lo)
            .p(""),
        (None, Some(hi)) => Msg::new("paramvalidator-outofrange-max")
            .plain(full)
            .plain(raw)
            .p("")
            .p(hi),
        (None, None) => unreachable!("clamped without bounds"),
    };
    warnings.push(ParamWarning {
        code: "outofrange".into(),
        msg,
        data: None,
    });
    if too_low {
        min.unwrap_or(i)
    } else {
        max.unwrap_or(i)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::request::Method;

    fn run(
        defs: &'static [ParamDef],
        q: &str,
        high: bool,
    ) -> (ApiResult<Params>, Vec<ParamWarning>) {
        let mut raw = RawRequest::new(Method::Get);
        raw.add_urlencoded(q.as_bytes(), true);
        let dynamic = |_: &PType| vec!["a".to_string()];
        let cx = ValidateCx {
            raw: &raw,
            prefix: "",
            high_limits: high,
            dynamic: &dynamic,
        };
        let mut w = Vec::new();
        let r = validate(defs, &cx, &mut w);
        (r, w)
    }

    static DEFS: &[ParamDef] = &[
        ParamDef::boolean("flag"),
        ParamDef::string("titles").multi(),
        ParamDef::integer("pageids").multi(),
        ParamDef::limit("limit", 500, 5000).default("10"),
        ParamDef::enumeration("watch", &["watch", "unwatch"]).default("watch"),
        ParamDef::enumeration("type", &["csrf", "login"]).multi(),
    ];

    #[test]
    fn booleans_are_presence() {
        let (p, _) = run(DEFS, "flag=0", false);
        assert!(p.unwrap().flag("flag"));
        let (p, _) = run(DEFS, "", false);
        assert!(!p.unwrap().flag("flag"));
    }

    #[test]
    fn multi_split_dedupe_limits() {
        let (p, _) = run(DEFS, "titles=A|B|A", false);
        assert_eq!(
            p.unwrap().list("titles"),
            &["A".to_string(), "B".to_string()]
        );
        let (p, _) = run(DEFS, "titles=%1FA|B%1FC", false);
        assert_eq!(
            p.unwrap().list("titles"),
            &["A|B".to_string(), "C".to_string()]
        );
        let many: Vec<String> = (0..51).map(|i| format!("T{i}")).collect();
        let (p, _) = run(DEFS, &format!("titles={}", many.join("|")), false);
        assert_eq!(p.unwrap_err().code(), "toomanyvalues");
        let (p, _) = run(DEFS, &format!("titles={}", many.join("|")), true);
        assert!(p.is_ok());
        let (p, _) = run(DEFS, "pageids=1|x", false);
        assert_eq!(p.unwrap_err().code(), "badinteger");
    }

    #[test]
    fn limits_and_enums() {
        let (p, w) = run(DEFS, "limit=5000", false);
        assert_eq!(p.unwrap().int("limit"), Some(500));
        assert_eq!(
            w[0].msg.plaintext(),
            "The value \"5000\" for parameter \"limit\" must be between 1 and 500."
        );
        let (p, _) = run(DEFS, "limit=max", true);
        assert_eq!(p.unwrap().int("limit"), Some(5000));
        let (p, _) = run(DEFS, "watch=x", false);
        assert_eq!(p.unwrap_err().code(), "badvalue");
        let (p, w) = run(DEFS, "type=edit|csrf|delete", false);
        assert_eq!(p.unwrap().list("type"), &["csrf".to_string()]);
        assert_eq!(
            w[0].msg.plaintext(),
            "Unrecognized values for parameter \"type\": edit, delete"
        );
        let (p, _) = run(DEFS, "", false);
        assert_eq!(p.unwrap().str("watch"), Some("watch"));
    }
}
