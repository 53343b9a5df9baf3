//! Language variants of the content language: which variants a language has and
//! how text is converted between them (MediaWiki's `LanguageConverter`, used by
//! the page set's `converttitles` and by siteinfo). Pure functions, no I/O.
//!
//! Implemented: Serbian (`sr`), written in Cyrillic (`sr-ec`) and Latin
//! (`sr-el`). English and every other language have no variants, so conversion
//! is a no-op for them.
//!
//! Serbian rules (as MediaWiki 1.39's Serbian converter applies them):
//! * Cyrillic → Latin is letter by letter; `Љ`, `Њ`, `Џ` become `Lj`, `Nj`, `Dž`
//!   (title case even inside an upper-case word) and `љ`, `њ`, `џ` become `lj`,
//!   `nj`, `dž`.
//! * Latin → Cyrillic prefers the digraphs: `lj`, `Lj`, `LJ` → `љ`/`Љ`/`Љ`, same
//!   for `nj` and `dž`; a mixed `lJ`, `nJ`, `dŽ` stays two letters. An
//!   exclamation mark inside a digraph (`l!j`, `N!J`, `d!ž`, …) keeps the two
//!   letters apart and is dropped.
//! * A word that is a Roman numeral (`XIV`, `MCMLXXX`) between word breaks is
//!   left as it is, so that "Luj XIV" becomes "Луј XIV".

/// A content language with variants.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Converter {
    /// Serbian: `sr` (mixed, no conversion), `sr-ec` (Cyrillic), `sr-el` (Latin).
    Serbian,
}

impl Converter {
    /// The converter of a content language, `None` when it has no variants.
    pub fn for_language(code: &str) -> Option<Converter> {
        match code {
            "sr" => Some(Converter::Serbian),
            _ => None,
        }
    }

    /// The variant codes, main code first (MediaWiki's order).
    pub fn variants(self) -> &'static [&'static str] {
        match self {
            Converter::Serbian => &["sr", "sr-ec", "sr-el"],
        }
    }

    /// Where a variant falls back to (`getVariantFallbacks`).
    pub fn variant_fallbacks(self, variant: &str) -> &'static [&'static str] {
        match (self, variant) {
            (Converter::Serbian, "sr") => &["sr-ec"],
            (Converter::Serbian, _) => &["sr"],
        }
    }

    /// The display name of a variant in the content language (`variantname-*`
    /// messages of the Serbian localisation).
    pub fn variant_name(self, variant: &str) -> &'static str {
        match (self, variant) {
            (Converter::Serbian, "sr-ec") => "Ћирилица",
            (Converter::Serbian, "sr-el") => "Latinica",
            (Converter::Serbian, _) => "Ћир./lat.",
        }
    }

    /// `text` written in `variant`; unknown variants and the main code leave
    /// the text unchanged.
    pub fn translate(self, text: &str, variant: &str) -> String {
        match (self, variant) {
            (Converter::Serbian, "sr-ec") => sr_translate(text, Script::Cyrillic),
            (Converter::Serbian, "sr-el") => sr_translate(text, Script::Latin),
            _ => text.to_string(),
        }
    }

    /// `text` in every variant, in variant order (`autoConvertToAllVariants`).
    pub fn convert_to_all_variants(self, text: &str) -> Vec<(&'static str, String)> {
        self.variants()
            .iter()
            .map(|v| (*v, self.translate(text, v)))
            .collect()
    }
}

/// The message fallback chain of a content language as siteinfo's `fallback`
/// lists it (the language's declared fallbacks, then English), empty for English.
pub fn language_fallbacks(code: &str) -> &'static [&'static str] {
    match code {
        "sr" => &["sr-ec", "sr-cyrl", "en"],
        "sr-ec" => &["sr-cyrl", "sr", "en"],
        "sr-el" => &["sr-latn", "sr", "en"],
        _ => &[],
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Script {
    Cyrillic,
    Latin,
}

/// Serbian conversion with Roman numerals kept: the text is cut around each
/// numeral word (with the breaks on either side); the pieces in between are
/// converted, the numerals and their breaks copied.
fn sr_translate(text: &str, to: Script) -> String {
    let convert = |s: &str| match to {
        Script::Cyrillic => latin_to_cyrillic(s),
        Script::Latin => cyrillic_to_latin(s),
    };
    let mut out = String::with_capacity(text.len() * 2);
    let mut from = 0;
    for (start, end) in roman_numeral_spans(text) {
        out.push_str(&convert(&text[from..start]));
        out.push_str(&text[start..end]);
        from = end;
    }
    out.push_str(&convert(&text[from..]));
    out
}

/// A byte that separates words for the numeral rule: ASCII that is neither a
/// letter, a digit nor `_` (bytes of multi-byte characters count as word bytes).
fn is_break(b: u8) -> bool {
    b < 0x80 && !(b.is_ascii_alphanumeric() || b == b'_')
}

/// The spans (byte ranges, breaks included) of Roman numeral words, scanning
/// left to right without overlap: a numeral word starts the text or follows a
/// break, and ends the text or is followed by a break.
fn roman_numeral_spans(text: &str) -> Vec<(usize, usize)> {
    let b = text.as_bytes();
    let mut spans = Vec::new();
    let mut pos = 0;
    while pos < b.len() {
        let mut found = None;
        for p in pos..b.len() {
            // The word starts at the text's start, or after a break at p.
            let candidates: &[(usize, usize)] = if p == 0 {
                &[(0, 0), (0, 1)]
            } else {
                &[(p, p + 1)]
            };
            for &(span_start, word_start) in candidates {
                if word_start > 0 && !is_break(b[word_start - 1]) {
                    continue;
                }
                let mut word_end = word_start;
                while word_end < b.len() && !is_break(b[word_end]) {
                    word_end += 1;
                }
                if !is_roman_numeral(&b[word_start..word_end]) {
                    continue;
                }
                let span_end = if word_end < b.len() {
                    word_end + 1
                } else {
                    word_end
                };
                found = Some((span_start, span_end));
                break;
            }
            if found.is_some() {
                break;
            }
        }
        match found {
            Some((s, e)) => {
                spans.push((s, e));
                pos = e;
            }
            None => break,
        }
    }
    spans
}

/// A non-empty Roman numeral in the usual grammar: `M{0,4}` then hundreds
/// (`CM`, `CD` or `D?C{0,3}`), tens (`XC`, `XL` or `L?X{0,3}`), units (`IX`, `IV`
/// or `V?I{0,3}`).
fn is_roman_numeral(w: &[u8]) -> bool {
    if w.is_empty() {
        return false;
    }
    let mut i = 0;
    let count = |i: &mut usize, c: u8, max: usize| {
        let mut n = 0;
        while n < max && *i < w.len() && w[*i] == c {
            *i += 1;
            n += 1;
        }
    };
    count(&mut i, b'M', 4);
    for (one, five, ten) in [(b'C', b'D', b'M'), (b'X', b'L', b'C'), (b'I', b'V', b'X')] {
        if i + 1 < w.len() && w[i] == one && (w[i + 1] == ten || w[i + 1] == five) {
            i += 2;
            continue;
        }
        if i < w.len() && w[i] == five {
            i += 1;
        }
        count(&mut i, one, 3);
    }
    i == w.len()
}

/// Cyrillic letters to Latin, one letter at a time; everything else is kept.
pub fn cyrillic_to_latin(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        let rep = match c {
            'а' => "a",
            'б' => "b",
            'в' => "v",
            'г' => "g",
            'д' => "d",
            'ђ' => "đ",
            'е' => "e",
            'ж' => "ž",
            'з' => "z",
            'и' => "i",
            'ј' => "j",
            'к' => "k",
            'л' => "l",
            'љ' => "lj",
            'м' => "m",
            'н' => "n",
            'њ' => "nj",
            'о' => "o",
            'п' => "p",
            'р' => "r",
            'с' => "s",
            'т' => "t",
            'ћ' => "ć",
            'у' => "u",
            'ф' => "f",
            'х' => "h",
            'ц' => "c",
            'ч' => "č",
            'џ' => "dž",
            'ш' => "š",
            'А' => "A",
            'Б' => "B",
            'В' => "V",
            'Г' => "G",
            'Д' => "D",
            'Ђ' => "Đ",
            'Е' => "E",
            'Ж' => "Ž",
            'З' => "Z",
            'И' => "I",
            'Ј' => "J",
            'К' => "K",
            'Л' => "L",
            'Љ' => "Lj",
            'М' => "M",
            'Н' => "N",
            'Њ' => "Nj",
            'О' => "O",
            'П' => "P",
            'Р' => "R",
            'С' => "S",
            'Т' => "T",
            'Ћ' => "Ć",
            'У' => "U",
            'Ф' => "F",
            'Х' => "H",
            'Ц' => "C",
            'Ч' => "Č",
            'Џ' => "Dž",
            'Ш' => "Š",
            _ => {
                out.push(c);
                continue;
            }
        };
        out.push_str(rep);
    }
    out
}

/// Latin letters to Cyrillic, longest match first: the escaped pairs (`l!j`),
/// then the digraphs (`lj`, `Lj`, `LJ`), then single letters.
pub fn latin_to_cyrillic(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len() * 2);
    let mut i = 0;
    while i < chars.len() {
        if i + 2 < chars.len() && chars[i + 1] == '!' {
            let rep = match (chars[i], chars[i + 2]) {
                ('d', 'ž') => Some("дж"),
                ('D', 'ž') => Some("Дж"),
                ('D', 'Ž') => Some("ДЖ"),
                ('l', 'j') => Some("лј"),
                ('L', 'j') => Some("Лј"),
                ('L', 'J') => Some("ЛЈ"),
                ('n', 'j') => Some("нј"),
                ('N', 'j') => Some("Нј"),
                ('N', 'J') => Some("НЈ"),
                _ => None,
            };
            if let Some(rep) = rep {
                out.push_str(rep);
                i += 3;
                continue;
            }
        }
        if i + 1 < chars.len() {
            let rep = match (chars[i], chars[i + 1]) {
                ('d', 'ž') => Some('џ'),
                ('D', 'ž') | ('D', 'Ž') => Some('Џ'),
                ('l', 'j') => Some('љ'),
                ('L', 'j') | ('L', 'J') => Some('Љ'),
                ('n', 'j') => Some('њ'),
                ('N', 'j') | ('N', 'J') => Some('Њ'),
                _ => None,
            };
            if let Some(rep) = rep {
                out.push(rep);
                i += 2;
                continue;
            }
        }
        let c = chars[i];
        out.push(match c {
            'a' => 'а',
            'b' => 'б',
            'c' => 'ц',
            'č' => 'ч',
            'ć' => 'ћ',
            'd' => 'д',
            'đ' => 'ђ',
            'e' => 'е',
            'f' => 'ф',
            'g' => 'г',
            'h' => 'х',
            'i' => 'и',
            'j' => 'ј',
            'k' => 'к',
            'l' => 'л',
            'm' => 'м',
            'n' => 'н',
            'o' => 'о',
            'p' => 'п',
            'r' => 'р',
            's' => 'с',
            'š' => 'ш',
            't' => 'т',
            'u' => 'у',
            'v' => 'в',
            'z' => 'з',
            'ž' => 'ж',
            'A' => 'А',
            'B' => 'Б',
            'C' => 'Ц',
            'Č' => 'Ч',
            'Ć' => 'Ћ',
            'D' => 'Д',
            'Đ' => 'Ђ',
            'E' => 'Е',
            'F' => 'Ф',
            'G' => 'Г',
            'H' => 'Х',
            'I' => 'И',
            'J' => 'Ј',
            'K' => 'К',
            'L' => 'Л',
            'M' => 'М',
            'N' => 'Н',
            'O' => 'О',
            'P' => 'П',
            'R' => 'Р',
            'S' => 'С',
            'Š' => 'Ш',
            'T' => 'Т',
            'U' => 'У',
            'V' => 'В',
            'Z' => 'З',
            'Ž' => 'Ж',
            other => other,
        });
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sr(text: &str, variant: &str) -> String {
        Converter::Serbian.translate(text, variant)
    }

    #[test]
    fn only_serbian_has_variants() {
        assert_eq!(Converter::for_language("en"), None);
        assert_eq!(Converter::for_language("sr-ec"), None);
        assert_eq!(Converter::for_language("sr"), Some(Converter::Serbian));
        assert_eq!(Converter::Serbian.variants(), &["sr", "sr-ec", "sr-el"]);
        assert!(language_fallbacks("en").is_empty());
        assert_eq!(language_fallbacks("sr"), &["sr-ec", "sr-cyrl", "en"]);
    }

    #[test]
    fn cyrillic_to_latin_letters_and_digraphs() {
        assert_eq!(sr("Београд", "sr-el"), "Beograd");
        assert_eq!(sr("Ђорђе Петровић", "sr-el"), "Đorđe Petrović");
        assert_eq!(sr("Љубљана", "sr-el"), "Ljubljana");
        assert_eq!(sr("Његош", "sr-el"), "Njegoš");
        assert_eq!(sr("Џезва и џем", "sr-el"), "Džezva i džem");
        assert_eq!(sr("Чачак, Ужице, Шабац", "sr-el"), "Čačak, Užice, Šabac");
        assert_eq!(
            sr("Жабљак Ћуприја Цетиње", "sr-el"),
            "Žabljak Ćuprija Cetinje"
        );
        // Upper-case words keep the digraph in title case, letter by letter.
        assert_eq!(sr("ЉУБАВ", "sr-el"), "LjUBAV");
        // Latin letters and other characters are kept.
        assert_eq!(sr("Main Page (2024)", "sr-el"), "Main Page (2024)");
    }

    #[test]
    fn latin_to_cyrillic_letters_and_digraphs() {
        assert_eq!(sr("Beograd", "sr-ec"), "Београд");
        assert_eq!(sr("Đorđe Petrović", "sr-ec"), "Ђорђе Петровић");
        assert_eq!(sr("Ljubljana", "sr-ec"), "Љубљана");
        assert_eq!(sr("LJUBAV", "sr-ec"), "ЉУБАВ");
        assert_eq!(sr("Njegoš NJEGOŠ", "sr-ec"), "Његош ЊЕГОШ");
        assert_eq!(sr("Džezva DŽEZVA džem", "sr-ec"), "Џезва ЏЕЗВА џем");
        // Mixed-case pairs that are no digraph stay two letters.
        assert_eq!(sr("lJ nJ dŽ", "sr-ec"), "лЈ нЈ дЖ");
        // The escape keeps the letters apart and disappears.
        assert_eq!(sr("nad!žanje", "sr-ec"), "наджање");
        assert_eq!(sr("in!jekcija", "sr-ec"), "инјекција");
        assert_eq!(
            sr("aL!jaL!JaN!jaN!JaD!žaD!Ž", "sr-ec"),
            "аЛјаЛЈаНјаНЈаДжаДЖ"
        );
        // A lone "L" before the "!" is a Roman numeral (fifty) and stays.
        assert_eq!(sr("L!ja", "sr-ec"), "L!ја");
        // Letters outside the Serbian alphabet (w, y, q, x) are kept.
        assert_eq!(sr("Wyoming qx", "sr-ec"), "Wyоминг qx");
        // Cyrillic is not touched.
        assert_eq!(sr("Ниш Nis", "sr-ec"), "Ниш Нис");
    }

    #[test]
    fn roman_numerals_stay_latin() {
        assert_eq!(sr("Luj XIV", "sr-ec"), "Луј XIV");
        assert_eq!(sr("XX vek", "sr-ec"), "XX век");
        assert_eq!(sr("MCMLXXXIV", "sr-ec"), "MCMLXXXIV");
        assert_eq!(sr("Petar II Petrović", "sr-ec"), "Петар II Петровић");
        assert_eq!(sr("(IV)", "sr-ec"), "(IV)");
        // Not numerals: mixed words, invalid sequences, lower case.
        assert_eq!(sr("XIVa", "sr-ec"), "XИВа");
        assert_eq!(sr("CIVIL", "sr-ec"), "ЦИВИЛ");
        assert_eq!(sr("IIII", "sr-ec"), "ИИИИ");
        assert_eq!(sr("vi", "sr-ec"), "ви");
        // A break is used up by the numeral before it: the second of two
        // numerals separated by one space is converted.
        assert_eq!(sr("I I", "sr-ec"), "I И");
        assert_eq!(sr("I  I", "sr-ec"), "I  I");
        // Cyrillic look-alikes are not numerals.
        assert_eq!(sr("Х", "sr-el"), "H");
    }

    #[test]
    fn round_trips() {
        for latin in ["Ljubljana", "Njegoš", "Džezva", "Šćepan Mali", "Čačak"] {
            let cyr = sr(latin, "sr-ec");
            assert_eq!(sr(&cyr, "sr-el"), latin);
        }
        for cyr in ["Љубљана", "Ђурђевак", "Џон", "Шћепан Мали"] {
            assert_eq!(sr(&sr(cyr, "sr-el"), "sr-ec"), cyr);
        }
    }

    #[test]
    fn all_variants_in_order() {
        let all = Converter::Serbian.convert_to_all_variants("Ниш");
        assert_eq!(
            all,
            vec![
                ("sr", "Ниш".to_string()),
                ("sr-ec", "Ниш".to_string()),
                ("sr-el", "Niš".to_string())
            ]
        );
        assert_eq!(sr("Ниш", "sr"), "Ниш");
    }
}
