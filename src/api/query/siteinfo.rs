//! `meta=siteinfo`: facts about the wiki.
//! https://www.mediawiki.org/wiki/API:Siteinfo (mirrors includes/api/ApiQuerySiteinfo.php)
//!
//! Props come out in the order requested. Values come from our configuration and
//! storage; facts of MediaWiki's English language and parser that clients read
//! (magic words, special page aliases, language names, …) are data files in
//! `query/data/`, recorded from MediaWiki 1.39.

use crate::api::error::{ApiError, ApiResult};
use crate::api::params::{ParamDef, Params};
use crate::api::query::pageset::wf_urlencode;
use crate::api::result::{List, Map, Val};
use crate::api::{Cx, Group, ModuleDef};
use crate::wiki::namespace::{Namespaces, NS_MEDIAWIKI};

const PROPS: &[&str] = &[
    "dbrepllag",
    "defaultoptions",
    "extensions",
    "extensiontags",
    "fileextensions",
    "functionhooks",
    "general",
    "interwikimap",
    "languages",
    "languagevariants",
    "libraries",
    "magicwords",
    "namespacealiases",
    "namespaces",
    "protocols",
    "restrictions",
    "rightsinfo",
    "showhooks",
    "skins",
    "specialpagealiases",
    "statistics",
    "uploaddialog",
    "usergroups",
    "variables",
];

static PARAMS: &[ParamDef] = &[
    ParamDef::enumeration("prop", PROPS)
        .multi()
        .default("general")
        .help("The kinds of site facts to report."),
    ParamDef::enumeration("filteriw", &["!local", "local"])
        .help("Only the interwiki prefixes that point at this wiki (local), or only the others."),
    ParamDef::boolean("showalldb")
        .help("Report every database server, not only the most lagged one."),
    ParamDef::boolean("numberingroup").help("Add the number of members to each user group."),
    ParamDef::string("inlanguagecode")
        .help("Give language names in this language where a translation is known."),
];

pub static SITEINFO: ModuleDef = ModuleDef {
    cache_mode: crate::api::CacheMode::Public,
    prefix: "si",
    summary: "Facts about the wiki: names, namespaces, groups, statistics and settings.",
    params: PARAMS,
    help_urls: &["https://www.mediawiki.org/wiki/Special:MyLanguage/API:Siteinfo"],
    examples: &[
        (
            "action=query&meta=siteinfo&siprop=general|namespaces|namespacealiases|statistics",
            "The general facts about the wiki.",
        ),
        (
            "action=query&meta=siteinfo&siprop=interwikimap&sifilteriw=local",
            "The interwiki prefixes that point at this wiki.",
        ),
        (
            "action=query&meta=siteinfo&siprop=dbrepllag&sishowalldb=",
            "How far the database replicas lag behind.",
        ),
    ],
    execute: Some(execute),
    ..ModuleDef::new("siteinfo", Group::Meta, "ApiQuerySiteinfo")
};

/// `$wgLegalTitleChars` as siteinfo prints it.
pub const LEGAL_TITLE_CHARS: &str = " %!\"$&'()*,\\-.\\/0-9:;=?@A-Z\\\\^_`a-z~\\x80-\\xFF+";
/// `$wgMaxArticleSize` in bytes.
pub const MAX_ARTICLE_SIZE: i64 = 2048 * 1024;
/// MediaWiki version clients see (they refuse older or unknown servers).
pub const GENERATOR: &str = "MediaWiki 1.39.17";

fn execute(cx: &mut Cx<'_>, p: &Params) -> ApiResult<()> {
    for prop in p.list("prop").to_vec() {
        let val: Val = match prop.as_str() {
            "general" => general(cx).into(),
            "namespaces" => namespaces(&cx.app.namespaces).into(),
            "namespacealiases" => namespace_aliases(&cx.app.namespaces).into(),
            "specialpagealiases" => data_list("specialpagealiases", "specialpage", false),
            "magicwords" => data_list("magicwords", "magicword", true),
            "interwikimap" => interwiki_map(cx, p.str("filteriw"))?.into(),
            "dbrepllag" => List::of("db", [Map::new().with("host", "").with("lag", -1)]).into(),
            "statistics" => statistics(cx)?.into(),
            "usergroups" => usergroups(cx, p.flag("numberingroup"))?.into(),
            "libraries" => List::of(
                "library",
                [Map::new()
                    .with("name", "wikid")
                    .with("version", env!("CARGO_PKG_VERSION"))],
            )
            .into(),
            "extensions" => List::new("ext").into(),
            "fileextensions" => List::of(
                "fe",
                ["png", "gif", "jpg", "jpeg", "webp"]
                    .iter()
                    .map(|e| Map::new().with("ext", *e)),
            )
            .into(),
            "rightsinfo" => Map::new().with("url", "").with("text", "").into(),
            "restrictions" => restrictions().into(),
            "languages" => data_list("languages", "lang", false),
            "languagevariants" => data_value("languagevariants", false),
            "skins" => skins().into(),
            "extensiontags" => data_list("extensiontags", "t", false),
            "functionhooks" => data_list("functionhooks", "h", false),
            "showhooks" => List::new("hook").into(),
            "variables" => data_list("variables", "v", false),
            "protocols" => data_list("protocols", "p", false),
            "defaultoptions" => data_value("defaultoptions", false),
            "uploaddialog" => upload_dialog().into(),
            _ => continue,
        };
        cx.result.map_mut("query").set(prop.clone(), val);
    }
    Ok(())
}

fn general(cx: &Cx<'_>) -> Map {
    let app = cx.app;
    let config = &app.config;
    let server = app.server_for(cx.req);
    let main_page = app.titles.main_page.clone();
    let article_url = |key: &str| config.article_path.replace("$1", &wf_urlencode(key));
    let servername = server
        .split("://")
        .nth(1)
        .unwrap_or(&server)
        .split(['/', ':'])
        .next()
        .unwrap_or("")
        .to_string();
    let mut g = Map::new();
    g.set("mainpage", main_page.as_str());
    g.set(
        "base",
        format!("{server}{}", article_url(&main_page.replace(' ', "_"))),
    );
    g.set("sitename", config.sitename.as_str());
    g.set("mainpageisdomainroot", false);
    g.set(
        "logo",
        format!(
            "{server}{}/resources/assets/change-your-logo.svg",
            config.script_path
        ),
    );
    g.set("generator", GENERATOR);
    g.set("phpversion", format!("wikid {}", env!("CARGO_PKG_VERSION")));
    g.set("phpsapi", "wikid");
    g.set("dbtype", app.store.kind());
    g.set("dbversion", app.store.version());
    g.set("imagewhitelistenabled", false);
    g.set("langconversion", true);
    g.set("linkconversion", true);
    g.set("titleconversion", true);
    g.set("linkprefixcharset", "");
    g.set("linkprefix", "");
    g.set("linktrail", "/^([a-z]+)(.*)$/sD");
    g.set("legaltitlechars", LEGAL_TITLE_CHARS);
    g.set("invalidusernamechars", "@:>");
    g.set("allunicodefixes", false);
    g.set("fixarabicunicode", true);
    g.set("fixmalayalamunicode", true);
    g.set("case", "first-letter");
    g.set("lang", config.lang.as_str());
    let mut fallback = List::new("lang");
    for code in crate::wiki::variants::language_fallbacks(&config.lang) {
        fallback.push(Map::new().with("code", *code));
    }
    g.set("fallback", fallback);
    if let Some(conv) = crate::wiki::variants::Converter::for_language(&config.lang) {
        let mut variants = List::new("lang");
        for code in conv.variants() {
            variants.push(
                Map::new()
                    .with("code", *code)
                    .with("name", conv.variant_name(code)),
            );
        }
        g.set("variants", variants);
    }
    g.set("rtl", false);
    g.set("fallback8bitEncoding", "windows-1252");
    g.set("readonly", config.read_only.is_some());
    if let Some(reason) = &config.read_only {
        g.set("readonlyreason", reason.as_str());
    }
    g.set("writeapi", true);
    g.set("maxarticlesize", MAX_ARTICLE_SIZE);
    g.set("timezone", "UTC");
    g.set("timeoffset", 0);
    g.set("articlepath", config.article_path.as_str());
    g.set("scriptpath", config.script_path.as_str());
    g.set("script", format!("{}/index.php", config.script_path));
    if config.variant_article_path.is_empty() {
        g.set("variantarticlepath", Val::RealBool(false));
    } else {
        g.set("variantarticlepath", config.variant_article_path.as_str());
    }
    g.set("server", server.as_str());
    g.set("servername", servername);
    g.set("wikiid", config.wiki_id());
    g.set("time", crate::util::time::to_iso(&crate::util::time::now()));
    g.set("misermode", false);
    g.set("uploadsenabled", true);
    g.set("maxuploadsize", 104_857_600);
    g.set("minuploadchunksize", 1024);
    g.set(
        "galleryoptions",
        Map::new()
            .with("imagesPerRow", 0)
            .with("imageWidth", 120)
            .with("imageHeight", 120)
            .with("captionLength", true)
            .with("showBytes", true)
            .with("showDimensions", true)
            .with("mode", "traditional"),
    );
    let mut thumbs = Map::bc_assoc("limit");
    for (i, w) in [120, 150, 180, 200, 250, 300].iter().enumerate() {
        thumbs.set(i.to_string(), *w);
    }
    g.set("thumblimits", thumbs);
    let mut images = Map::bc_assoc("limit");
    for (i, (w, h)) in [
        (320, 240),
        (640, 480),
        (800, 600),
        (1024, 768),
        (1280, 1024),
        (2560, 2048),
    ]
    .iter()
    .enumerate()
    {
        images.set(
            i.to_string(),
            Map::new().with("width", *w).with("height", *h),
        );
    }
    g.set("imagelimits", images);
    g.set("favicon", format!("{server}/favicon.ico"));
    g.set("centralidlookupprovider", "local");
    g.set("allcentralidlookupproviders", List::of("_v", ["local"]));
    g.set("interwikimagic", true);
    g.set(
        "magiclinks",
        Map::bc_assoc("_v")
            .with("ISBN", false)
            .with("PMID", false)
            .with("RFC", false),
    );
    g.set("categorycollation", "uppercase");
    g.set("nofollowlinks", true);
    g.set("nofollownsexceptions", List::new("ns"));
    g.set(
        "nofollowdomainexceptions",
        List::of("_v", ["mediawiki.org"]),
    );
    g.set("externallinktarget", false);
    g
}

fn namespaces(ns: &Namespaces) -> Map {
    let mut out = Map::bc_assoc("ns");
    for id in ns.ids() {
        let mut m = Map::new().with("id", id).with("case", "first-letter");
        m.set_content("name", ns.display_name(id).unwrap_or_default());
        m.set("subpages", Namespaces::has_subpages(id));
        if id != 0 {
            if let Some(c) = ns.canonical_name(id) {
                m.set("canonical", c.replace('_', " "));
            }
        }
        m.set("content", Namespaces::is_content(id));
        m.set("nonincludable", false);
        if id == NS_MEDIAWIKI {
            m.set("namespaceprotection", "editinterface");
        }
        out.set(id.to_string(), m);
    }
    out
}

fn namespace_aliases(ns: &Namespaces) -> List {
    let mut l = List::new("ns");
    for (alias, id) in ns.aliases() {
        let mut m = Map::new().with("id", *id);
        m.set_content("alias", alias.replace('_', " "));
        l.push(m);
    }
    l
}

fn interwiki_map(cx: &Cx<'_>, filter: Option<&str>) -> ApiResult<List> {
    let rows = {
        let mut r = cx.app.store.read().map_err(ApiError::internal)?;
        r.interwikis().map_err(ApiError::internal)?
    };
    let mut l = List::new("iw");
    for iw in rows {
        match filter {
            Some("local") if !iw.local => continue,
            Some("!local") if iw.local => continue,
            _ => {}
        }
        let mut m = Map::new().with("prefix", iw.prefix.as_str());
        if iw.local {
            m.set("local", true);
        }
        m.set("url", iw.url.as_str());
        m.set("protorel", iw.url.starts_with("//"));
        if !iw.api.is_empty() {
            m.set("api", iw.api.as_str());
        }
        l.push(m);
    }
    Ok(l)
}

fn statistics(cx: &Cx<'_>) -> ApiResult<Map> {
    let (s, counts) = {
        let mut r = cx.app.store.read().map_err(ApiError::internal)?;
        let s = r.site_stats().map_err(ApiError::internal)?;
        let counts = r.group_member_counts().map_err(ApiError::internal)?;
        (s, counts)
    };
    let admins = counts
        .iter()
        .find(|(g, _)| g == "sysop")
        .map(|(_, n)| *n)
        .unwrap_or(0);
    Ok(Map::new()
        .with("pages", s.pages)
        .with("articles", s.articles)
        .with("edits", s.edits)
        .with("images", s.images)
        .with("users", s.users)
        .with("activeusers", s.active_users)
        .with("admins", admins)
        .with("jobs", s.jobs))
}

fn usergroups(cx: &Cx<'_>, number: bool) -> ApiResult<List> {
    let (users, counts) = if number {
        let mut r = cx.app.store.read().map_err(ApiError::internal)?;
        let s = r.site_stats().map_err(ApiError::internal)?;
        let counts = r.group_member_counts().map_err(ApiError::internal)?;
        (s.users, counts)
    } else {
        (0, Vec::new())
    };
    let mut l = List::new("group");
    for (name, rights) in &cx.app.perms.groups {
        let mut m = Map::new().with("name", name.as_str()).with(
            "rights",
            List::of("permission", rights.iter().map(String::as_str)),
        );
        if number && name != "*" && name != "autoconfirmed" {
            let n = if name == "user" {
                users
            } else {
                counts
                    .iter()
                    .find(|(g, _)| g == name)
                    .map(|(_, n)| *n)
                    .unwrap_or(0)
            };
            m.set("number", n);
        }
        l.push(m);
    }
    Ok(l)
}

fn restrictions() -> Map {
    Map::new()
        .with(
            "types",
            List::of("type", ["create", "edit", "move", "upload"]),
        )
        .with("levels", List::of("level", ["", "autoconfirmed", "sysop"]))
        .with("cascadinglevels", List::of("level", ["sysop"]))
        .with("semiprotectedlevels", List::of("level", ["autoconfirmed"]))
}

fn skins() -> List {
    let mut fallback = Map::new().with("code", "fallback");
    fallback.set_content("name", "Fallback");
    fallback.set("default", true);
    let mut api = Map::new().with("code", "apioutput");
    api.set_content("name", "ApiOutput");
    api.set("unusable", true);
    List::of("skin", [fallback, api])
}

fn upload_dialog() -> Map {
    Map::new()
        .with(
            "fields",
            Map::new()
                .with("description", true)
                .with("date", false)
                .with("categories", false),
        )
        .with(
            "licensemessages",
            Map::new()
                .with("local", "generic-local")
                .with("foreign", "generic-foreign"),
        )
        .with("comment", Map::new().with("local", "").with("foreign", ""))
        .with(
            "format",
            Map::new()
                .with("filepage", "$DESCRIPTION")
                .with("description", "$TEXT")
                .with("ownwork", "")
                .with("license", "")
                .with("uncategorized", ""),
        )
}

fn data_text(name: &str) -> &'static str {
    match name {
        "specialpagealiases" => include_str!("data/specialpagealiases.json"),
        "magicwords" => include_str!("data/magicwords.json"),
        "languages" => include_str!("data/languages.json"),
        "languagevariants" => include_str!("data/languagevariants.json"),
        "functionhooks" => include_str!("data/functionhooks.json"),
        "variables" => include_str!("data/variables.json"),
        "protocols" => include_str!("data/protocols.json"),
        "extensiontags" => include_str!("data/extensiontags.json"),
        "defaultoptions" => include_str!("data/defaultoptions.json"),
        _ => "null",
    }
}

/// A recorded data file as a result value.
fn data_value(name: &str, bc_bools: bool) -> Val {
    let v: serde_json::Value = serde_json::from_str(data_text(name)).unwrap_or_default();
    json_to_val(&v, "_v", bc_bools)
}

/// A recorded list whose items are elements named `tag`.
fn data_list(name: &str, tag: &'static str, bc_bools: bool) -> Val {
    match data_value(name, bc_bools) {
        Val::List(mut l) => {
            l.tag = tag;
            Val::List(l)
        }
        other => other,
    }
}

/// XML element names of list items, by the key holding the list.
fn item_tag(key: &str) -> &'static str {
    match key {
        "aliases" => "alias",
        "fallbacks" => "variant",
        _ => "_v",
    }
}

fn json_to_val(v: &serde_json::Value, key: &str, bc_bools: bool) -> Val {
    use serde_json::Value as J;
    match v {
        J::Null => Val::Str(String::new()),
        J::Bool(b) => {
            if bc_bools {
                Val::Bool(*b)
            } else {
                Val::RealBool(*b)
            }
        }
        J::Number(n) => match n.as_i64() {
            Some(i) => Val::Int(i),
            None => Val::Float(n.as_f64().unwrap_or(0.0)),
        },
        J::String(s) => Val::Str(s.clone()),
        J::Array(items) => {
            let mut l = List::new(item_tag(key));
            for it in items {
                l.push(json_to_val(it, "_v", bc_bools));
            }
            Val::List(l)
        }
        J::Object(obj) => {
            let mut m = Map::new();
            for (k, v) in obj {
                if k == "name" && obj.contains_key("bcp47") {
                    // Language names are the element content (`*` in fv1).
                    m.set_content("name", json_to_val(v, k, bc_bools));
                } else {
                    m.set(k.clone(), json_to_val(v, k, bc_bools));
                }
            }
            Val::Map(m)
        }
    }
}
