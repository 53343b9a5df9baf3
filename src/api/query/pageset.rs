//! The page set (MediaWiki's `ApiPageSet`): turns `titles`, `pageids`, `revids`
//! or a generator into classified pages — good, missing, invalid, special,
//! interwiki — plus the `normalized` list. See shared/spec/pageset.md.
//!
//! Fake (negative) page ids are handed out in processing order: invalid and
//! special titles while the input is parsed, missing titles after the lookup.

use std::collections::HashSet;

use crate::api::error::{ApiError, ApiResult};
use crate::api::message::{Msg, Param};
use crate::api::params::{split_multi, Params};
use crate::api::result::{List, Map, Val};
use crate::api::{format_message, Cx, ErrorFormat};
use crate::storage::Page;
use crate::wiki::namespace::{NS_MEDIAWIKI, NS_SPECIAL};
use crate::wiki::title::{Title, TitleError};
use crate::wiki::variants::Converter;

/// One `normalized` entry.
#[derive(Debug, Clone, PartialEq)]
pub struct Normalized {
    /// The input; raw bytes when `encoded`.
    pub from: Vec<u8>,
    pub to: String,
    /// The input was changed by the request-level cleanup (invalid UTF-8, not NFC).
    pub encoded: bool,
}

/// An unparsable title.
#[derive(Debug, Clone, PartialEq)]
pub struct Invalid {
    pub fake_id: i64,
    pub title: String,
    pub error: TitleError,
}

/// A title in a negative namespace (Special:, Media:).
#[derive(Debug, Clone, PartialEq)]
pub struct Special {
    pub fake_id: i64,
    pub title: Title,
    pub known: bool,
}

/// A local title without a page.
#[derive(Debug, Clone, PartialEq)]
pub struct Missing {
    pub fake_id: i64,
    pub title: Title,
    pub known: bool,
}

/// One resolved redirect (`redirects` output entry).
#[derive(Debug, Clone, PartialEq)]
pub struct Redirect {
    /// Prefixed text of the redirect page.
    pub from: String,
    /// Prefixed text of the target.
    pub to: String,
    pub fragment: String,
    pub interwiki: String,
}

/// Where the pages come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DataSource {
    None,
    Titles,
    PageIds,
    RevIds,
    Generator,
}

/// Pages produced by a generator.
#[derive(Debug, Clone, Default)]
pub struct Generated {
    /// Page rows, in generator order.
    pub pages: Vec<Page>,
    /// Titles to look up, as (namespace, DB key).
    pub titles: Vec<(i32, String)>,
    /// Continuation parameters, unprefixed (`continue` → `gapcontinue`).
    pub continues: Vec<(&'static str, Val)>,
    /// Values a generator attaches to its pages (MediaWiki's `setGeneratorData`,
    /// such as the `index` of search results), by (namespace, DB key).
    pub data: Vec<((i32, String), Map)>,
}

#[derive(Debug, Clone)]
pub struct PageSet {
    pub resolve_redirects: bool,
    /// `converttitles`: titles without a page are looked up in the content
    /// language's other variants.
    pub convert_titles: bool,
    pub normalized: Vec<Normalized>,
    /// Variant conversions (unconverted prefixed title, converted one), in order.
    pub converted: Vec<(String, String)>,
    /// (prefixed title, interwiki prefix), in input order.
    pub interwiki: Vec<(String, String)>,
    pub invalid: Vec<Invalid>,
    pub special: Vec<Special>,
    pub missing: Vec<Missing>,
    pub missing_page_ids: Vec<i64>,
    pub missing_rev_ids: Vec<i64>,
    /// Existing pages, in lookup order.
    pub good: Vec<Page>,
    /// Live revision ids that were asked for, as (revision, page).
    pub rev_ids: Vec<(i64, i64)>,
    /// Resolved redirects, in resolution order.
    pub redirects: Vec<Redirect>,
    /// Redirect pages waiting for resolution (only with `redirects`).
    pending: Vec<Page>,
    /// Generator data for the page entries (see [`Generated::data`]).
    pub generator_data: Vec<((i32, String), Map)>,
    fake_id: i64,
    /// Every (namespace, DB key) already classified.
    seen: HashSet<(i32, String)>,
}

impl Default for PageSet {
    fn default() -> Self {
        PageSet::new(false)
    }
}

impl PageSet {
    pub fn new(resolve_redirects: bool) -> PageSet {
        PageSet {
            resolve_redirects,
            convert_titles: false,
            normalized: Vec::new(),
            converted: Vec::new(),
            interwiki: Vec::new(),
            invalid: Vec::new(),
            special: Vec::new(),
            missing: Vec::new(),
            missing_page_ids: Vec::new(),
            missing_rev_ids: Vec::new(),
            good: Vec::new(),
            rev_ids: Vec::new(),
            redirects: Vec::new(),
            pending: Vec::new(),
            generator_data: Vec::new(),
            fake_id: -1,
            seen: HashSet::new(),
        }
    }

    fn next_fake_id(&mut self) -> i64 {
        let id = self.fake_id;
        self.fake_id -= 1;
        id
    }

    /// Picks the data source from the validated page-set parameters (`titles`,
    /// `pageids`, `revids`, `generator`), failing with `multisource` on a mix.
    pub fn data_source(p: &Params) -> ApiResult<DataSource> {
        if p.str("generator").is_some() {
            return Ok(DataSource::Generator);
        }
        let mut source: Option<(&str, DataSource)> = None;
        for (name, ds) in [
            ("titles", DataSource::Titles),
            ("pageids", DataSource::PageIds),
            ("revids", DataSource::RevIds),
        ] {
            if !p.given(name) {
                continue;
            }
            if let Some((earlier, _)) = source {
                return Err(ApiError::coded(
                    "multisource",
                    Msg::new("apierror-invalidparammix-cannotusewith")
                        .p(name)
                        .p(earlier),
                ));
            }
            source = Some((name, ds));
        }
        Ok(source.map(|(_, ds)| ds).unwrap_or(DataSource::None))
    }

    /// Fills the set from `titles`, `pageids` or `revids` (not generators: the
    /// owning module runs those and calls [`PageSet::add_generated`]).
    pub fn populate(&mut self, cx: &mut Cx<'_>, p: &Params, prefix: &str) -> ApiResult<()> {
        self.populate_sources(cx, p, prefix)?;
        self.resolve_redirects(cx)
    }

    fn populate_sources(&mut self, cx: &mut Cx<'_>, p: &Params, prefix: &str) -> ApiResult<()> {
        match PageSet::data_source(p)? {
            DataSource::Titles => {
                self.record_raw_normalization(cx, &format!("{prefix}titles"));
                let titles = p.list("titles").to_vec();
                self.add_titles(cx, &titles)
            }
            DataSource::PageIds => {
                let ids = p.int_list("pageids").to_vec();
                self.add_page_ids(cx, &ids)
            }
            DataSource::RevIds => {
                if self.resolve_redirects {
                    cx.warn("redirectsandrevids", Msg::new("apiwarn-redirectsandrevids"));
                }
                self.resolve_redirects = false;
                let ids = p.int_list("revids").to_vec();
                self.add_rev_ids(cx, &ids)
            }
            DataSource::Generator | DataSource::None => Ok(()),
        }
    }

    /// `normalized` entries for values the request-level cleanup changed.
    fn record_raw_normalization(&mut self, cx: &Cx<'_>, param: &str) {
        let Some(raw) = cx.req.values.get(param) else {
            return;
        };
        let Some(bytes) = &raw.raw_changed else {
            return;
        };
        let cleaned = split_multi(&raw.value);
        let raw_parts: Vec<&[u8]> = if let Some(rest) = bytes.strip_prefix(b"\x1f") {
            rest.split(|b| *b == 0x1f).collect()
        } else {
            bytes.split(|b| *b == b'|').collect()
        };
        if raw_parts.len() != cleaned.len() {
            return;
        }
        for (r, c) in raw_parts.into_iter().zip(cleaned) {
            if r != c.as_bytes() && !self.normalized.iter().any(|n| n.from == r) {
                self.normalized.push(Normalized {
                    from: r.to_vec(),
                    to: c,
                    encoded: true,
                });
            }
        }
    }

    /// Parses and classifies title strings, then looks the pages up. As in
    /// MediaWiki, invalid titles get their fake ids while parsing, before the
    /// special titles do.
    pub fn add_titles(&mut self, cx: &mut Cx<'_>, titles: &[String]) -> ApiResult<()> {
        let codec = &cx.app.titles;
        let mut parsed: Vec<(String, Title)> = Vec::new();
        for input in titles {
            match codec.parse(input, 0) {
                Ok(t) => parsed.push((input.clone(), t)),
                Err(e) => {
                    if !self.invalid.iter().any(|i| &i.title == input) {
                        let fake_id = self.next_fake_id();
                        self.invalid.push(Invalid {
                            fake_id,
                            title: input.clone(),
                            error: e,
                        });
                    }
                }
            }
        }
        let conversions = self.find_variants(cx, &parsed)?;
        let mut batch: Vec<(i32, String)> = Vec::new();
        for ((input, title), conversion) in parsed.into_iter().zip(conversions) {
            let unconverted = title.prefixed_text(codec);
            let (mut title, converted) = match conversion {
                Some(c) if c.prefixed_text(codec) != unconverted => (c, true),
                _ => (title, false),
            };
            if !title.interwiki.is_empty() {
                let text = title.prefixed_text(codec);
                if !self.interwiki.iter().any(|(t, _)| *t == text) {
                    self.interwiki.push((text, title.interwiki.clone()));
                }
            } else if title.ns < 0 {
                let mut known = false;
                if title.ns == NS_SPECIAL {
                    if let Some(key) = crate::wiki::special::canonical_dbkey(&title.dbkey) {
                        title.dbkey = key;
                        known = true;
                    }
                }
                let key = (title.ns, title.dbkey.clone());
                if !self.seen.contains(&key) {
                    self.seen.insert(key);
                    let fake_id = self.next_fake_id();
                    self.special.push(Special {
                        fake_id,
                        title: title.clone(),
                        known,
                    });
                }
            } else if !title.dbkey.is_empty() {
                let key = (title.ns, title.dbkey.clone());
                if !batch.contains(&key) {
                    batch.push(key);
                }
            }
            let text = title.prefixed_text(codec);
            if converted {
                self.record_conversion(unconverted.clone(), text);
                // The input is reported as normalised to the unconverted title.
                if input != unconverted {
                    self.record_normalization(&input, unconverted);
                }
            } else if input != text {
                self.record_normalization(&input, text);
            }
        }
        self.lookup_titles(cx, batch)
    }

    fn record_normalization(&mut self, input: &str, to: String) {
        match self
            .normalized
            .iter_mut()
            .find(|n| n.from == input.as_bytes())
        {
            Some(n) => n.to = to,
            None => self.normalized.push(Normalized {
                from: input.as_bytes().to_vec(),
                to,
                encoded: false,
            }),
        }
    }

    fn record_conversion(&mut self, from: String, to: String) {
        match self.converted.iter_mut().find(|(f, _)| *f == from) {
            Some(entry) => entry.1 = to,
            None => self.converted.push((from, to)),
        }
    }

    /// `converttitles` (MediaWiki's `findVariantLink`): for each local title
    /// without a page, its link text is converted to every variant of the
    /// content language; the first variant title (in variant order) that has a
    /// page replaces it. Returns the replacement of each item, if any. A no-op
    /// without `converttitles` or for a language without variants.
    fn find_variants(
        &self,
        cx: &Cx<'_>,
        items: &[(String, Title)],
    ) -> ApiResult<Vec<Option<Title>>> {
        let mut out: Vec<Option<Title>> = vec![None; items.len()];
        if !self.convert_titles {
            return Ok(out);
        }
        let Some(converter) = Converter::for_language(&cx.app.config.lang) else {
            return Ok(out);
        };
        let convertible = |t: &Title| t.interwiki.is_empty() && t.ns >= 0 && !t.dbkey.is_empty();
        let mut keys: Vec<(i32, String)> = Vec::new();
        for (_, t) in items {
            let key = (t.ns, t.dbkey.clone());
            if convertible(t) && !keys.contains(&key) {
                keys.push(key);
            }
        }
        if keys.is_empty() {
            return Ok(out);
        }
        let mut r = cx.app.store.read().map_err(ApiError::internal)?;
        let existing: HashSet<(i32, String)> = r
            .pages_by_titles(&keys)
            .map_err(ApiError::internal)?
            .into_iter()
            .map(|p| (p.ns, p.title))
            .collect();
        let codec = &cx.app.titles;
        let mut candidates: Vec<Vec<Title>> = vec![Vec::new(); items.len()];
        let mut lookup: Vec<(i32, String)> = Vec::new();
        for (i, (link, t)) in items.iter().enumerate() {
            if !convertible(t) || existing.contains(&(t.ns, t.dbkey.clone())) {
                continue;
            }
            for (_, text) in converter.convert_to_all_variants(link) {
                if text == *link {
                    continue;
                }
                let Ok(variant) = codec.parse(&text, t.ns) else {
                    continue;
                };
                if !convertible(&variant) {
                    continue;
                }
                let key = (variant.ns, variant.dbkey.clone());
                if !lookup.contains(&key) {
                    lookup.push(key);
                }
                candidates[i].push(variant);
            }
        }
        if lookup.is_empty() {
            return Ok(out);
        }
        let found: HashSet<(i32, String)> = r
            .pages_by_titles(&lookup)
            .map_err(ApiError::internal)?
            .into_iter()
            .map(|p| (p.ns, p.title))
            .collect();
        for (slot, cands) in out.iter_mut().zip(candidates) {
            *slot = cands
                .into_iter()
                .find(|c| found.contains(&(c.ns, c.dbkey.clone())));
        }
        Ok(out)
    }

    /// Variant conversion of titles that come as (namespace, DB key) — redirect
    /// targets, generator titles — whose link text is their prefixed title.
    fn convert_keys(
        &mut self,
        cx: &Cx<'_>,
        batch: Vec<(i32, String)>,
    ) -> ApiResult<Vec<(i32, String)>> {
        if !self.convert_titles || Converter::for_language(&cx.app.config.lang).is_none() {
            return Ok(batch);
        }
        let codec = &cx.app.titles;
        let items: Vec<(String, Title)> = batch
            .into_iter()
            .map(|(ns, dbkey)| {
                let t = Title::local(ns, dbkey);
                (t.prefixed_text(codec), t)
            })
            .collect();
        let conversions = self.find_variants(cx, &items)?;
        let mut out: Vec<(i32, String)> = Vec::new();
        for ((text, title), conversion) in items.into_iter().zip(conversions) {
            let title = match conversion {
                Some(c) if c.prefixed_text(codec) != text => {
                    self.record_conversion(text, c.prefixed_text(codec));
                    c
                }
                _ => title,
            };
            let key = (title.ns, title.dbkey);
            if !out.contains(&key) {
                out.push(key);
            }
        }
        Ok(out)
    }

    /// Looks up (namespace, DB key) pairs; those not found become missing titles,
    /// grouped by namespace in order of first appearance.
    pub fn lookup_titles(&mut self, cx: &mut Cx<'_>, batch: Vec<(i32, String)>) -> ApiResult<()> {
        let batch: Vec<(i32, String)> = batch
            .into_iter()
            .filter(|k| !self.seen.contains(k))
            .collect();
        if batch.is_empty() {
            return Ok(());
        }
        let rows = {
            let mut r = cx.app.store.read().map_err(ApiError::internal)?;
            r.pages_by_titles(&batch).map_err(ApiError::internal)?
        };
        let found: HashSet<(i32, String)> = rows.iter().map(|p| (p.ns, p.title.clone())).collect();
        for row in rows {
            self.add_row(row);
        }
        let mut order: Vec<i32> = Vec::new();
        for (ns, _) in &batch {
            if !order.contains(ns) {
                order.push(*ns);
            }
        }
        for ns in order {
            for (n, key) in &batch {
                if *n != ns || found.contains(&(*n, key.clone())) {
                    continue;
                }
                let title = Title::local(ns, key.clone());
                let known = is_always_known(&title);
                self.seen.insert((ns, key.clone()));
                let fake_id = self.next_fake_id();
                self.missing.push(Missing {
                    fake_id,
                    title,
                    known,
                });
            }
        }
        Ok(())
    }

    /// Adds an existing page (from a lookup or a generator).
    pub fn add_row(&mut self, row: Page) {
        let key = (row.ns, row.title.clone());
        if self.seen.contains(&key) {
            return;
        }
        self.seen.insert(key);
        if self.resolve_redirects && row.is_redirect {
            self.pending.push(row);
        } else {
            self.good.push(row);
        }
    }

    /// Resolves pending redirect pages round by round (pageset.md §5): targets
    /// already in the set end a chain, so loops stop.
    pub fn resolve_redirects(&mut self, cx: &mut Cx<'_>) -> ApiResult<()> {
        while !self.pending.is_empty() {
            let mut round = std::mem::take(&mut self.pending);
            round.sort_by_key(|p| p.id);
            let mut targets: Vec<Title> = Vec::new();
            {
                let mut r = cx.app.store.read().map_err(ApiError::internal)?;
                for page in &round {
                    let target = redirect_target_of(cx, r.as_mut(), page)?;
                    let from = page_title_text(cx, page);
                    let Some(target) = target else {
                        // Not a redirect after all (no target): an ordinary page.
                        self.good.push(page.clone());
                        continue;
                    };
                    self.redirects.push(Redirect {
                        from,
                        to: target.prefixed_text(&cx.app.titles),
                        fragment: target.fragment.clone(),
                        interwiki: target.interwiki.clone(),
                    });
                    targets.push(target);
                }
            }
            let mut batch: Vec<(i32, String)> = Vec::new();
            for t in targets {
                if !t.interwiki.is_empty() {
                    let text = t.prefixed_text(&cx.app.titles);
                    if !self.interwiki.iter().any(|(x, _)| *x == text) {
                        self.interwiki.push((text, t.interwiki.clone()));
                    }
                    continue;
                }
                let key = (t.ns, t.dbkey.clone());
                if self.seen.contains(&key) || batch.contains(&key) {
                    continue;
                }
                // A title already converted to a variant is not looked up again.
                if self.convert_titles {
                    let text = t.prefixed_text(&cx.app.titles);
                    if self.converted.iter().any(|(from, _)| *from == text) {
                        continue;
                    }
                }
                if t.ns < 0 {
                    let mut title = t.clone();
                    let mut known = false;
                    if title.ns == NS_SPECIAL {
                        if let Some(k) = crate::wiki::special::canonical_dbkey(&title.dbkey) {
                            title.dbkey = k;
                            known = true;
                        }
                    }
                    self.seen.insert(key);
                    let fake_id = self.next_fake_id();
                    self.special.push(Special {
                        fake_id,
                        title,
                        known,
                    });
                    continue;
                }
                batch.push(key);
            }
            let batch = self.convert_keys(cx, batch)?;
            self.lookup_titles(cx, batch)?;
        }
        Ok(())
    }

    /// The `redirects` output list.
    pub fn redirects_result(&self) -> List {
        let mut list = List::new("r");
        for r in &self.redirects {
            let mut m = Map::new()
                .with("from", r.from.as_str())
                .with("to", r.to.as_str());
            if !r.fragment.is_empty() {
                m.set("tofragment", r.fragment.as_str());
            }
            if !r.interwiki.is_empty() {
                m.set("tointerwiki", r.interwiki.as_str());
            }
            list.push(m);
        }
        list
    }

    pub fn add_page_ids(&mut self, cx: &mut Cx<'_>, ids: &[i64]) -> ApiResult<()> {
        let mut uniq: Vec<i64> = Vec::new();
        for id in ids {
            if !uniq.contains(id) {
                uniq.push(*id);
            }
        }
        if uniq.is_empty() {
            return Ok(());
        }
        let query: Vec<i64> = uniq.iter().copied().filter(|i| *i > 0).collect();
        let rows = if query.is_empty() {
            Vec::new()
        } else {
            let mut r = cx.app.store.read().map_err(ApiError::internal)?;
            r.pages_by_ids(&query).map_err(ApiError::internal)?
        };
        let found: HashSet<i64> = rows.iter().map(|p| p.id).collect();
        for row in rows {
            self.add_row(row);
        }
        for id in uniq {
            if !found.contains(&id) {
                self.missing_page_ids.push(id);
            }
        }
        Ok(())
    }

    pub fn add_rev_ids(&mut self, cx: &mut Cx<'_>, ids: &[i64]) -> ApiResult<()> {
        let mut uniq: Vec<i64> = Vec::new();
        for id in ids {
            if !uniq.contains(id) {
                uniq.push(*id);
            }
        }
        if uniq.is_empty() {
            return Ok(());
        }
        let query: Vec<i64> = uniq.iter().copied().filter(|i| *i > 0).collect();
        let (live, rows) = {
            let mut r = cx.app.store.read().map_err(ApiError::internal)?;
            let live = if query.is_empty() {
                Vec::new()
            } else {
                r.revision_pages(&query).map_err(ApiError::internal)?
            };
            let mut pages: Vec<i64> = live.iter().map(|(_, p)| *p).collect();
            pages.sort_unstable();
            pages.dedup();
            let rows = if pages.is_empty() {
                Vec::new()
            } else {
                r.pages_by_ids(&pages).map_err(ApiError::internal)?
            };
            (live, rows)
        };
        for row in rows {
            self.add_row(row);
        }
        for id in uniq {
            if !live.iter().any(|(r, _)| *r == id) {
                self.missing_rev_ids.push(id);
            }
        }
        self.rev_ids = live;
        Ok(())
    }

    /// Adds a generator's output (rows first, in generator order, then titles).
    pub fn add_generated(&mut self, cx: &mut Cx<'_>, g: Generated) -> ApiResult<()> {
        self.generator_data.extend(g.data);
        for row in g.pages {
            self.add_row(row);
        }
        if !g.titles.is_empty() {
            let titles = self.convert_keys(cx, g.titles)?;
            self.lookup_titles(cx, titles)?;
        }
        self.resolve_redirects(cx)
    }

    pub fn is_empty(&self) -> bool {
        self.good.is_empty()
            && self.missing.is_empty()
            && self.invalid.is_empty()
            && self.special.is_empty()
            && self.missing_page_ids.is_empty()
    }

    /// The `normalized` list (XML `n`), empty when nothing was normalised.
    pub fn normalized_result(&self) -> List {
        let mut l = List::new("n");
        for n in &self.normalized {
            let from = if n.encoded {
                crate::api::request::rawurlencode(&n.from)
            } else {
                String::from_utf8_lossy(&n.from).into_owned()
            };
            l.push(
                Map::new()
                    .with("fromencoded", n.encoded)
                    .with("from", from)
                    .with("to", n.to.as_str()),
            );
        }
        l
    }

    /// The `converted` list (XML `c`), empty without conversions.
    pub fn converted_result(&self) -> List {
        let mut l = List::new("c");
        for (from, to) in &self.converted {
            l.push(
                Map::new()
                    .with("from", from.as_str())
                    .with("to", to.as_str()),
            );
        }
        l
    }

    /// The `interwiki` list (XML `i`); with `iwurl`, each entry's URL.
    pub fn interwiki_result(&self, cx: &Cx<'_>, iwurl: bool) -> ApiResult<List> {
        let mut l = List::new("i");
        if self.interwiki.is_empty() {
            return Ok(l);
        }
        let map = if iwurl {
            let mut r = cx.app.store.read().map_err(ApiError::internal)?;
            r.interwikis().map_err(ApiError::internal)?
        } else {
            Vec::new()
        };
        for (title, iw) in &self.interwiki {
            let mut m = Map::new()
                .with("title", title.as_str())
                .with("iw", iw.as_str());
            if iwurl {
                let rest = title
                    .split_once(':')
                    .map(|(_, r)| r)
                    .unwrap_or("")
                    .replace(' ', "_");
                let (rest, fragment) = match rest.split_once('#') {
                    Some((a, b)) => (a.to_string(), Some(b.to_string())),
                    None => (rest, None),
                };
                if let Some(entry) = map.iter().find(|e| e.prefix.eq_ignore_ascii_case(iw)) {
                    let mut url = entry.url.replace("$1", &wf_urlencode(&rest));
                    if let Some(f) = fragment {
                        url.push('#');
                        url.push_str(&f);
                    }
                    m.set("url", url);
                }
            }
            l.push(m);
        }
        Ok(l)
    }

    /// The `badrevids` map (fv1 keyed by id, XML `rev`).
    pub fn bad_revids_result(&self) -> Map {
        let mut m = Map::php_default("rev");
        for id in &self.missing_rev_ids {
            m.set(
                id.to_string(),
                Map::new().with("revid", *id).with("missing", true),
            );
        }
        m
    }

    /// The `invalidreason` of an invalid title, in the request's error format.
    pub fn invalid_reason(errorformat: ErrorFormat, inv: &Invalid) -> Val {
        let msg = inv.error.msg();
        match errorformat {
            ErrorFormat::Bc => Val::Str(msg.wikitext()),
            _ => {
                let msg = if errorformat == ErrorFormat::Raw {
                    msg.param(Param::Text(escape_wikitext(&inv.title)))
                } else {
                    msg
                };
                Val::Map(format_message(
                    errorformat,
                    false,
                    inv.error.key(),
                    &msg,
                    None,
                    None,
                ))
            }
        }
    }

    /// The page entries of `query.pages` in MediaWiki's order: missing titles,
    /// invalid titles, missing page ids, special pages, existing pages. Keys are
    /// the (fake) page ids.
    pub fn general_page_info(&self, cx: &Cx<'_>) -> Map {
        let codec = &cx.app.titles;
        let mut pages = Map::bc_array("page");
        for m in &self.missing {
            let mut v = Map::new()
                .with("ns", m.title.ns)
                .with("title", m.title.prefixed_text(codec))
                .with("missing", true);
            if m.known {
                v.set("known", true);
            }
            pages.set(m.fake_id.to_string(), v);
        }
        for inv in &self.invalid {
            pages.set(
                inv.fake_id.to_string(),
                Map::new()
                    .with("title", inv.title.as_str())
                    .with(
                        "invalidreason",
                        PageSet::invalid_reason(cx.errorformat, inv),
                    )
                    .with("invalid", true),
            );
        }
        for id in &self.missing_page_ids {
            pages.set(
                id.to_string(),
                Map::new().with("pageid", *id).with("missing", true),
            );
        }
        for s in &self.special {
            let mut v = Map::new()
                .with("ns", s.title.ns)
                .with("title", s.title.prefixed_text(codec))
                .with("special", true);
            if !s.known {
                v.set("missing", true);
            }
            pages.set(s.fake_id.to_string(), v);
        }
        for p in &self.good {
            let mut v = Map::new()
                .with("pageid", p.id)
                .with("ns", p.ns)
                .with("title", page_title_text(cx, p));
            if let Some((_, data)) = self
                .generator_data
                .iter()
                .find(|((ns, t), _)| *ns == p.ns && *t == p.title)
            {
                for (k, val) in &data.entries {
                    v.set(k.clone(), val.clone());
                }
            }
            pages.set(p.id.to_string(), v);
        }
        pages
    }

    /// `getInvalidTitlesAndRevisions`: the non-good entries as a list, in the order
    /// invalid, special, missing page ids, missing revision ids, missing titles,
    /// interwiki (used by modules such as purge).
    pub fn invalid_titles_and_revisions(&self, cx: &Cx<'_>) -> Vec<Map> {
        let codec = &cx.app.titles;
        let mut out = Vec::new();
        for inv in &self.invalid {
            out.push(
                Map::new()
                    .with("title", inv.title.as_str())
                    .with(
                        "invalidreason",
                        PageSet::invalid_reason(cx.errorformat, inv),
                    )
                    .with("invalid", true),
            );
        }
        let mut specials: Vec<&Special> = self.special.iter().filter(|s| !s.known).collect();
        specials.extend(self.special.iter().filter(|s| s.known));
        for s in specials {
            let mut v = Map::new()
                .with("ns", s.title.ns)
                .with("title", s.title.prefixed_text(codec))
                .with("special", true);
            if !s.known {
                v.set("missing", true);
            }
            out.push(v);
        }
        for id in &self.missing_page_ids {
            out.push(Map::new().with("pageid", *id).with("missing", true));
        }
        for id in &self.missing_rev_ids {
            out.push(Map::new().with("revid", *id).with("missing", true));
        }
        let mut missing: Vec<&Missing> = self.missing.iter().filter(|m| !m.known).collect();
        missing.extend(self.missing.iter().filter(|m| m.known));
        for m in missing {
            let mut v = Map::new()
                .with("ns", m.title.ns)
                .with("title", m.title.prefixed_text(codec))
                .with("missing", true);
            if m.known {
                v.set("known", true);
            }
            out.push(v);
        }
        for (title, iw) in &self.interwiki {
            out.push(
                Map::new()
                    .with("title", title.as_str())
                    .with("iw", iw.as_str()),
            );
        }
        out
    }
}

/// The target of a redirect page: its `redirect` row, else parsed from its text.
fn redirect_target_of(
    cx: &Cx<'_>,
    r: &mut dyn crate::storage::ReadTxn,
    page: &Page,
) -> ApiResult<Option<Title>> {
    if let Some((ns, dbkey, fragment, interwiki)) =
        r.redirect_row(page.id).map_err(ApiError::internal)?
    {
        return Ok(Some(Title {
            ns,
            dbkey,
            fragment,
            interwiki,
        }));
    }
    let Some(rev) = r.revision(page.latest).map_err(ApiError::internal)? else {
        return Ok(None);
    };
    let text = r
        .content_text(rev.content_id)
        .map_err(ApiError::internal)?
        .unwrap_or_default();
    Ok(crate::wiki::links::redirect_target(
        cx.app,
        &page.content_model,
        &text,
    ))
}

/// The prefixed text of a page row.
pub fn page_title_text(cx: &Cx<'_>, p: &Page) -> String {
    Title::local(p.ns, p.title.clone()).prefixed_text(&cx.app.titles)
}

/// `Title::isAlwaysKnown` for a local title without a page: MediaWiki: pages
/// with a default message text.
fn is_always_known(t: &Title) -> bool {
    if t.ns != NS_MEDIAWIKI {
        return false;
    }
    let base = t.dbkey.split('/').next().unwrap_or("");
    let mut chars = base.chars();
    let key: String = match chars.next() {
        Some(c) => c.to_lowercase().chain(chars).collect(),
        None => return false,
    };
    crate::api::message::english(&key).is_some()
}

/// `wfUrlencode`: `rawurlencode` that keeps `;@$!*(),/~:`.
pub fn wf_urlencode(s: &str) -> String {
    let enc = crate::api::request::rawurlencode(s.as_bytes());
    enc.replace("%3B", ";")
        .replace("%40", "@")
        .replace("%24", "$")
        .replace("%21", "!")
        .replace("%2A", "*")
        .replace("%28", "(")
        .replace("%29", ")")
        .replace("%2C", ",")
        .replace("%2F", "/")
        .replace("%7E", "~")
        .replace("%3A", ":")
}

/// `wfEscapeWikiText`: makes text safe to embed in wikitext.
pub fn escape_wikitext(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for (i, c) in s.chars().enumerate() {
        let rep = match c {
            '"' => "&#34;",
            '&' => "&#38;",
            '\'' => "&#39;",
            '<' => "&#60;",
            '=' => "&#61;",
            '>' => "&#62;",
            '[' => "&#91;",
            ']' => "&#93;",
            '{' => "&#123;",
            '|' => "&#124;",
            '}' => "&#125;",
            ';' => "&#59;",
            '#' | '*' | ':' if i == 0 => match c {
                '#' => "&#35;",
                '*' => "&#42;",
                _ => "&#58;",
            },
            ' ' if i == 0 => "&#32;",
            _ => {
                out.push(c);
                continue;
            }
        };
        out.push_str(rep);
    }
    out.replace("__", "_&#95;").replace("://", "&#58;//")
}
