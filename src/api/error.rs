//! `ApiError`: every failure a module can report, in MediaWiki's shape.
//!
//! A usage error carries one or more [`ErrorItem`]s (BC output shows the first, the
//! other error formats list them all) and an HTTP status (200 unless stated, as in
//! `ApiUsageException`). `Internal` is anything unexpected: it is logged with the
//! request id and shown as `internal_api_error_<Kind>` without details.

use crate::api::message::{Msg, Param};
use crate::api::result::Map;

#[derive(Debug, Clone, PartialEq)]
pub struct ErrorItem {
    pub code: String,
    pub msg: Msg,
    pub data: Option<Map>,
    /// Module path; `None` means "the module that was running".
    pub module: Option<String>,
}

#[derive(Debug)]
pub enum ApiError {
    Usage { errors: Vec<ErrorItem>, status: u16 },
    Internal(anyhow::Error),
}

pub type ApiResult<T> = Result<T, ApiError>;

/// The API code MediaWiki derives from a message key.
pub fn code_for_key(key: &str) -> String {
    let mapped = match key {
        "badaccess-group0" | "badaccess-groups" => "permissiondenied",
        "cannotdelete" => "cantdelete",
        "cannotundelete" => "cantundelete",
        "delete-toobig" => "bigdelete",
        "deleteprotected" | "protect-cantedit" => "cantedit",
        "blockedtext" | "blockedtext-partial" | "systemblockedtext" | "blockedtext-composite" => {
            "blocked"
        }
        "autoblockedtext" => "autoblocked",
        "actionthrottledtext" => "ratelimited",
        "readonlytext" => "readonly",
        "sessionfailure" => "badtoken",
        "notanarticle" => "missingtitle",
        "protectedpagetext" => "protectedpage",
        "protectedinterface" => "protectednamespace-interface",
        "namespaceprotected" => "protectednamespace",
        "ns-specialprotected" => "unsupportednamespace",
        "titleprotected" => "protectedtitle",
        "confirmedittext" => "confirmemail",
        "nosuchusershort" => "nosuchuser",
        "edit-conflict" => "editconflict",
        "nocreate-loggedin" => "cantcreate",
        "nocreatetext" => "cantcreate-anon",
        "undo-failure" => "undofailure",
        "blankpage" => "emptypage",
        k => k
            .strip_prefix("apierror-")
            .or_else(|| k.strip_prefix("apiwarn-"))
            .unwrap_or(k),
    };
    mapped
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

impl ApiError {
    /// An error whose code is derived from the message key.
    pub fn msg(msg: Msg) -> ApiError {
        let code = code_for_key(&msg.key);
        ApiError::coded(code, msg)
    }

    /// An error with an explicit code.
    pub fn coded(code: impl Into<String>, msg: Msg) -> ApiError {
        ApiError::Usage {
            errors: vec![ErrorItem {
                code: code.into(),
                msg,
                data: None,
                module: None,
            }],
            status: 200,
        }
    }

    pub fn with_data(mut self, data: Map) -> ApiError {
        if let ApiError::Usage { errors, .. } = &mut self {
            if let Some(first) = errors.first_mut() {
                first.data = Some(data);
            }
        }
        self
    }

    pub fn with_status(mut self, s: u16) -> ApiError {
        if let ApiError::Usage { status, .. } = &mut self {
            *status = s;
        }
        self
    }

    /// Attributes the error to `module` unless it already names one.
    pub fn in_module(mut self, module: &str) -> ApiError {
        if let ApiError::Usage { errors, .. } = &mut self {
            for e in errors {
                if e.module.is_none() {
                    e.module = Some(module.to_string());
                }
            }
        }
        self
    }

    /// Adds another error to the same status (non-BC formats show them all).
    pub fn and(mut self, other: ApiError) -> ApiError {
        if let (ApiError::Usage { errors, .. }, ApiError::Usage { errors: more, .. }) =
            (&mut self, other)
        {
            errors.extend(more);
        }
        self
    }

    pub fn code(&self) -> String {
        match self {
            ApiError::Usage { errors, .. } => {
                errors.first().map(|e| e.code.clone()).unwrap_or_default()
            }
            ApiError::Internal(_) => "internal_api_error".into(),
        }
    }

    // Constructors for common errors. Names follow MediaWiki's codes.

    pub fn missing_param(name: &str) -> ApiError {
        ApiError::coded(
            "missingparam",
            Msg::new("paramvalidator-missingparam").plain(name),
        )
    }

    pub fn bad_value(name: &str, value: &str) -> ApiError {
        ApiError::coded(
            "badvalue",
            Msg::new("paramvalidator-badvalue-enumnotmulti")
                .plain(name)
                .plain(value),
        )
    }

    pub fn bad_integer(name: &str, value: &str) -> ApiError {
        ApiError::coded(
            "badinteger",
            Msg::new("paramvalidator-badinteger")
                .plain(name)
                .plain(value),
        )
    }

    pub fn must_be_posted(module: &str) -> ApiError {
        ApiError::msg(Msg::new("apierror-mustbeposted").p(module))
    }

    /// `requireOnlyOneParameter` found several.
    pub fn invalid_param_mix(names: &[&str]) -> ApiError {
        ApiError::msg(
            Msg::new("apierror-invalidparammix")
                .param(Param::List(
                    names.iter().map(|n| format!("<var>{n}</var>")).collect(),
                ))
                .p(names.len()),
        )
    }

    /// `requireOnlyOneParameter` / `requireAtLeastOneParameter` found none.
    pub fn missing_one_of(names: &[&str]) -> ApiError {
        ApiError::coded(
            "missingparam",
            Msg::new("apierror-missingparam-one-of")
                .param(Param::List(
                    names.iter().map(|n| format!("<var>{n}</var>")).collect(),
                ))
                .p(names.len()),
        )
    }

    pub fn internal(e: impl Into<anyhow::Error>) -> ApiError {
        ApiError::Internal(e.into())
    }
}

impl From<anyhow::Error> for ApiError {
    fn from(e: anyhow::Error) -> ApiError {
        ApiError::Internal(e)
    }
}

impl From<rusqlite::Error> for ApiError {
    fn from(e: rusqlite::Error) -> ApiError {
        ApiError::Internal(e.into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_from_keys() {
        assert_eq!(code_for_key("apierror-badtoken"), "badtoken");
        assert_eq!(code_for_key("badaccess-groups"), "permissiondenied");
        assert_eq!(
            code_for_key("delete-toomanyrevisions"),
            "delete-toomanyrevisions"
        );
        assert_eq!(code_for_key("apierror-a.b"), "a_b");
    }

    #[test]
    fn one_of_message() {
        let e = ApiError::missing_one_of(&["title", "pageid"]);
        let ApiError::Usage { errors, .. } = e else {
            panic!()
        };
        assert_eq!(
            errors[0].msg.plaintext(),
            "One of the parameters \"title\" and \"pageid\" is required."
        );
    }
}
