//! The benchmark corpus: a MediaWiki XML export (the format `Special:Export`
//! writes) generated deterministically from a seed. No wall clock, no system
//! randomness: the same `(pages, seed)` gives byte-identical files.

use std::io::{BufWriter, Write};
use std::path::Path;

use anyhow::Result;

/// splitmix64: small, fast and good enough for picking words and sizes.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed ^ 0x9E37_79B9_7F4A_7C15)
    }
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in `0..n` (n > 0).
    pub fn below(&mut self, n: u64) -> u64 {
        (((self.next_u64() >> 11) as u128 * n as u128) >> 53) as u64
    }
    /// Uniform in [0, 1).
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
    pub fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.below(hi - lo + 1)
    }
}

/// What the corpus holds; the titles the workloads use come from here.
#[derive(Debug, Clone)]
pub struct Spec {
    pub seed: u64,
    /// Pages that are read, edited and purged, never deleted.
    pub general: usize,
    /// Pages of `general` (the first ones) that embed `Template:Bench box`.
    pub embeds: usize,
    /// One-revision pages consumed by the delete-1rev workload and the mixed one.
    pub delete_pool: usize,
    /// Pages with exactly 1 000 revisions (delete-1000rev).
    pub thousand: usize,
    /// Revisions of "Bench big page" (0: no such page).
    pub big_revisions: usize,
}

pub const TEMPLATE: &str = "Template:Bench box";
pub const BIG_PAGE: &str = "Bench big page";

impl Spec {
    /// The full-size shape scaled to `pages` pages: 70 % general pages (1–50
    /// revisions, skewed toward few), 30 % one-revision pages for deletes,
    /// template embedded by a tenth of all pages (10 000 of 100 000).
    pub fn scaled(pages: usize, seed: u64, thousand: usize, big_revisions: usize) -> Spec {
        let general = (pages * 7 / 10).max(10);
        Spec {
            seed,
            general,
            embeds: (pages / 10).min(general),
            delete_pool: pages - general.min(pages),
            thousand,
            big_revisions,
        }
    }
    pub fn general_title(i: usize) -> String {
        format!("Bench page {i:06}")
    }
    pub fn delete_title(i: usize) -> String {
        format!("Bench del {i:06}")
    }
    pub fn thousand_title(i: usize) -> String {
        format!("Bench thousand {i:04}")
    }
    pub fn general_titles(&self) -> Vec<String> {
        (0..self.general).map(Spec::general_title).collect()
    }
    pub fn delete_titles(&self) -> Vec<String> {
        (0..self.delete_pool).map(Spec::delete_title).collect()
    }
    pub fn thousand_titles(&self) -> Vec<String> {
        (0..self.thousand).map(Spec::thousand_title).collect()
    }
}

/// Totals of a written corpus.
#[derive(Debug, Clone, Default)]
pub struct Written {
    pub pages: usize,
    pub revisions: usize,
    pub text_bytes: usize,
}

const WORDS: &[&str] = &[
    "wiki", "server", "page", "revision", "history", "template", "category", "link", "river",
    "mountain", "city", "library", "language", "music", "science", "garden", "railway", "bridge",
    "island", "festival", "museum", "castle", "forest", "harbour", "the", "of", "and", "in", "a",
    "is", "was", "for", "with", "by", "from", "on",
];

/// Which parts of the corpus to write.
#[derive(Debug, Clone, Copy)]
pub struct Parts {
    pub general: bool,
    pub delete_pool: bool,
    pub thousand: bool,
    pub big: bool,
}

/// Revision timestamps: one second apart, from 2020-01-01, in write order.
struct Clock(u64);

impl Clock {
    fn tick(&mut self) -> String {
        let t = 1_577_836_800 + self.0;
        self.0 += 1;
        format_unix(t)
    }
}

/// `YYYY-MM-DDTHH:MM:SSZ` of a Unix time (UTC).
pub fn format_unix(t: u64) -> String {
    let days = (t / 86_400) as i64;
    let secs = t % 86_400;
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = if m <= 2 { y + 1 } else { y };
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        secs / 3600,
        secs / 60 % 60,
        secs % 60
    )
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

struct Out<W: Write> {
    w: W,
    clock: Clock,
    written: Written,
}

impl<W: Write> Out<W> {
    fn page(&mut self, title: &str, ns: i32, revisions: &[String]) -> Result<()> {
        writeln!(
            self.w,
            "  <page>\n    <title>{}</title>\n    <ns>{ns}</ns>",
            escape(title)
        )?;
        for (i, text) in revisions.iter().enumerate() {
            let ts = self.clock.tick();
            write!(
                self.w,
                "    <revision>\n      <timestamp>{ts}</timestamp>\n      \
                 <contributor>\n        <username>Admin</username>\n        <id>1</id>\n      \
                 </contributor>\n      <comment>bench revision {}</comment>\n      \
                 <model>wikitext</model>\n      <format>text/x-wiki</format>\n      \
                 <text bytes=\"{}\" xml:space=\"preserve\">{}</text>\n    </revision>\n",
                i + 1,
                text.len(),
                escape(text)
            )?;
            self.written.revisions += 1;
            self.written.text_bytes += text.len();
        }
        writeln!(self.w, "  </page>")?;
        self.written.pages += 1;
        Ok(())
    }
}

/// Wikitext of about `len` bytes with a few links and categories.
fn article(rng: &mut Rng, spec: &Spec, len: usize, embed: Option<usize>) -> String {
    let mut s = String::with_capacity(len + 200);
    if let Some(i) = embed {
        s.push_str(&format!("{{{{Bench box|n={i}}}}}\n"));
    }
    let mut sentence = 0;
    while s.len() < len {
        let words = 6 + rng.below(10) as usize;
        for w in 0..words {
            if w > 0 {
                s.push(' ');
            }
            if rng.below(12) == 0 && spec.general > 0 {
                let target = rng.below(spec.general as u64) as usize;
                s.push_str(&format!("[[{}]]", Spec::general_title(target)));
            } else {
                s.push_str(WORDS[rng.below(WORDS.len() as u64) as usize]);
            }
        }
        s.push_str(".\n");
        sentence += 1;
        if sentence % 4 == 0 {
            s.push('\n');
        }
    }
    let cats = 1 + rng.below(2);
    for _ in 0..cats {
        s.push_str(&format!("[[Category:Bench cat {}]]\n", rng.below(50)));
    }
    s
}

/// Writes the corpus to `path` and returns its totals.
pub fn write(spec: &Spec, parts: Parts, path: &Path) -> Result<Written> {
    write_some(spec, parts, path, &|_| true)
}

/// Writes the pages of the corpus for which `keep(title)` holds (the content of
/// every page is the same as in the whole corpus).
pub fn write_some(
    spec: &Spec,
    parts: Parts,
    path: &Path,
    keep: &dyn Fn(&str) -> bool,
) -> Result<Written> {
    let file = std::fs::File::create(path)?;
    let mut out = Out {
        w: BufWriter::with_capacity(1 << 20, file),
        clock: Clock(0),
        written: Written::default(),
    };
    writeln!(
        out.w,
        "<mediawiki xmlns=\"http://www.mediawiki.org/xml/export-0.11/\" \
         xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" \
         xsi:schemaLocation=\"http://www.mediawiki.org/xml/export-0.11/ \
         http://www.mediawiki.org/xml/export-0.11.xsd\" version=\"0.11\" xml:lang=\"en\">"
    )?;
    // Each part has its own stream, so a part's content does not depend on
    // which other parts are written.
    if parts.general {
        let mut rng = Rng::new(spec.seed);
        out.page(
            TEMPLATE,
            10,
            &[
                "<div class=\"bench-box\">Bench box {{{n|}}}: see [[Bench target]].</div>\
               <noinclude>[[Category:Bench templates]]</noinclude>"
                    .to_string(),
            ],
        )?;
        for i in 0..spec.general {
            // 1 + 49·u⁹: two thirds have one revision, the mean is about 6.
            let revs = 1 + (49.0 * rng.unit().powi(9)) as usize;
            let embed = (i < spec.embeds).then_some(i);
            let mut texts = Vec::with_capacity(revs);
            for _ in 0..revs {
                let len = rng.range(200, 2000) as usize;
                texts.push(article(&mut rng, spec, len, embed));
            }
            out.page(&Spec::general_title(i), 0, &texts)?;
        }
    }
    if parts.delete_pool {
        let mut rng = Rng::new(spec.seed ^ 0xDE1E7E);
        for i in 0..spec.delete_pool {
            let len = rng.range(200, 600) as usize;
            let text = article(&mut rng, spec, len, None);
            let title = Spec::delete_title(i);
            if keep(&title) {
                out.page(&title, 0, &[text])?;
            }
        }
    }
    if parts.thousand {
        for i in 0..spec.thousand {
            if !keep(&Spec::thousand_title(i)) {
                continue;
            }
            let texts: Vec<String> = (0..1000)
                .map(|r| format!("Revision {r} of a page with a thousand revisions ({i})."))
                .collect();
            out.page(&Spec::thousand_title(i), 0, &texts)?;
        }
    }
    if parts.big && spec.big_revisions > 0 {
        let texts: Vec<String> = (0..spec.big_revisions)
            .map(|r| format!("Revision {r} of the big page."))
            .collect();
        out.page(BIG_PAGE, 0, &texts)?;
    }
    writeln!(out.w, "</mediawiki>")?;
    out.w.flush()?;
    Ok(out.written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps() {
        assert_eq!(format_unix(0), "1970-01-01T00:00:00Z");
        assert_eq!(format_unix(1_577_836_800), "2020-01-01T00:00:00Z");
        assert_eq!(format_unix(1_709_210_096), "2024-02-29T12:34:56Z");
    }

    #[test]
    fn deterministic() {
        let spec = Spec::scaled(50, 7, 1, 10);
        let all = Parts {
            general: true,
            delete_pool: true,
            thousand: true,
            big: true,
        };
        let dir = std::env::temp_dir();
        let a = dir.join(format!("wikid-bench-test-a-{}.xml", std::process::id()));
        let b = dir.join(format!("wikid-bench-test-b-{}.xml", std::process::id()));
        let wa = write(&spec, all, &a).unwrap();
        write(&spec, all, &b).unwrap();
        assert_eq!(std::fs::read(&a).unwrap(), std::fs::read(&b).unwrap());
        assert_eq!(wa.pages, 1 + 35 + 15 + 1 + 1);
        std::fs::remove_file(a).ok();
        std::fs::remove_file(b).ok();
    }
}
