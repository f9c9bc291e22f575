//! Scripts to one comparable Latin form.
//!
//! Cyrillic as written for Russian, Uzbek, Tajik, Kazakh, Kyrgyz, Turkmen and
//! Ukrainian names; the Latin orthographies of Uzbek (oʻ gʻ), Turkmen
//! (ş ç ž ý ä ň), Kazakh and Azerbaijani (ə ğ ı); scholarly transliteration
//! (č š ž); diacritics everywhere else.

use unicode_normalization::UnicodeNormalization;

/// A lower-case letter that needs more than dropping its diacritic.
fn letter(c: char) -> Option<&'static str> {
    Some(match c {
        // Russian
        'а' => "a", 'б' => "b", 'в' => "v", 'г' => "g", 'д' => "d", 'е' => "e", 'ё' => "yo",
        'ж' => "zh", 'з' => "z", 'и' => "i", 'й' => "y", 'к' => "k", 'л' => "l", 'м' => "m",
        'н' => "n", 'о' => "o", 'п' => "p", 'р' => "r", 'с' => "s", 'т' => "t", 'у' => "u",
        'ф' => "f", 'х' => "kh", 'ц' => "ts", 'ч' => "ch", 'ш' => "sh", 'щ' => "shch",
        'ъ' | 'ь' => "", 'ы' => "y", 'э' => "e", 'ю' => "yu", 'я' => "ya",
        // Uzbek, Tajik, Kazakh, Kyrgyz, Ukrainian, Belarusian Cyrillic
        'ў' => "o", 'қ' => "q", 'ғ' => "g", 'ҳ' => "h", 'ҷ' => "j", 'ӣ' => "i", 'ӯ' => "u",
        'ә' => "a", 'ө' => "o", 'ү' => "u", 'ұ' => "u", 'ң' => "ng", 'һ' => "h", 'і' => "i",
        'ї' => "yi", 'є' => "ye", 'ґ' => "g", 'ҕ' => "g", 'ӊ' => "ng",
        // Turkmen, Turkish, Azerbaijani, Kazakh Latin; scholarly transliteration
        'ş' | 'š' | 'ș' => "sh", 'ç' | 'č' => "ch", 'ž' => "zh", 'ň' | 'ñ' => "ng", 'ğ' => "g",
        'ı' => "i", 'ə' => "a", 'ý' => "y", 'ŭ' => "u", 'ǵ' => "g", 'ḩ' | 'ḥ' => "h", 'ẖ' => "kh",
        'ß' => "ss", 'æ' => "ae", 'ø' => "o", 'đ' => "d", 'ł' => "l",
        _ => return None,
    })
}

/// Whether a word is written in Cyrillic.
pub fn is_cyrillic(word: &str) -> bool {
    word.chars().any(|c| matches!(c, '\u{0400}'..='\u{04FF}' | '\u{0500}'..='\u{052F}'))
}

/// Lower case, Latin script, no diacritics, letters and digits only, words
/// separated by one space: "Хамроев" → "khamroev", "Ҳамроев" → "hamroev",
/// "Şöhrat Ýazmyradow" → "shohrat yazmyradow", "Oʻktam" → "oktam".
pub fn fold(name: &str) -> String {
    let name = &*belarusian_short_u(name);
    let mut out = String::with_capacity(name.len() + 4);
    for c in name.chars() {
        for l in c.to_lowercase() {
            if let Some(t) = letter(l) {
                out.push_str(t);
                continue;
            }
            if let Some(syllable) = hangul(l) {
                out.push_str(&syllable);
                continue;
            }
            if matches!(l, '\u{02B0}'..='\u{02FF}') {
                // Modifier letters (the oʻ and gʻ of Uzbek, ʼ) are no letters of a name.
                continue;
            }
            for d in l.nfkd() {
                if unicode_normalization::char::is_combining_mark(d) {
                    continue;
                }
                if d.is_alphanumeric() {
                    // Letters of other scripts pass through as they are.
                    out.push(d);
                } else if (d.is_whitespace() || matches!(d, '-' | '.' | ',' | '_' | '/')) && !out.is_empty() && !out.ends_with(' ') {
                    out.push(' ');
                }
                // Apostrophes and modifier letters (oʻ, gʻ, ʼ) are dropped.
            }
        }
    }
    let trimmed = out.trim_end().len();
    out.truncate(trimmed);
    out
}

/// A word of running text, folded as [`fold`] folds a name, with the
/// characters (not bytes) of the text it was folded from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FoldedWord {
    pub text: String,
    /// The first character of the text that wrote the word, and one past the last.
    pub start: usize,
    pub end: usize,
}

/// An apostrophe inside a word (Oʻktam, O'Brien, Karimova's): dropped, as [`fold`] drops it.
fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '\u{2018}' | '\u{2019}' | '`' | '\u{00B4}' | '\u{02B0}'..='\u{02FF}')
}

/// The words of `text`, each folded as [`fold`] folds a name ("Хамроеву" →
/// "khamroevu", "ŞÖHRAT" → "shohrat") with the range of characters of `text`
/// it came from: what is needed to find a name in any case, script and
/// accent in running text and to mask the characters that wrote it. Any
/// character that is no letter, digit or apostrophe ends a word.
pub fn fold_words(text: &str) -> Vec<FoldedWord> {
    let mut words = Vec::new();
    let mut cur = FoldedWord { text: String::new(), start: 0, end: 0 };
    fn close(cur: &mut FoldedWord, words: &mut Vec<FoldedWord>) {
        if !cur.text.is_empty() {
            words.push(std::mem::replace(cur, FoldedWord { text: String::new(), start: 0, end: 0 }));
        }
    }
    for (i, c) in text.chars().enumerate() {
        let before = cur.text.len();
        let mut separates = false;
        if c.is_ascii() {
            // Most of running text: nothing to transliterate or decompose.
            if c.is_ascii_alphanumeric() {
                cur.text.push(c.to_ascii_lowercase());
            } else if !is_apostrophe(c) {
                separates = true;
            }
        } else {
            fold_char(c, &mut cur.text, &mut separates);
        }
        if separates {
            close(&mut cur, &mut words);
        } else if cur.text.len() > before {
            if before == 0 {
                cur.start = i;
            }
            cur.end = i + 1;
        }
    }
    close(&mut cur, &mut words);
    words
}

/// One character of running text folded onto `out`; `separates` set if it ends a word.
fn fold_char(c: char, out: &mut String, separates: &mut bool) {
    for l in c.to_lowercase() {
        if let Some(t) = letter(l) {
            out.push_str(t);
            continue;
        }
        if is_apostrophe(l) {
            continue;
        }
        for d in l.nfkd() {
            if unicode_normalization::char::is_combining_mark(d) {
                continue;
            }
            if d.is_alphanumeric() {
                out.push(d);
            } else {
                *separates = true;
            }
        }
    }
}

/// Russian case endings of a Cyrillic surname, patronymic or given name,
/// reduced to the nominative: "Хамроеву" → "Хамроев", "Хамроевой" →
/// "Хамроева", "Бахрома" → "Бахром" (given names only when `is_given` says
/// the shorter form is a name). Returns the word and whether the ending cut
/// off may instead have been a feminine nominative ("Хамроева" is her name or
/// his genitive; it comes back as "хамроев", true).
pub fn cyrillic_nominative(word: &str, is_given: impl Fn(&str) -> bool) -> (String, bool) {
    let lower = word.to_lowercase();
    let n = lower.chars().count();
    let strip = |k: usize| lower.chars().take(n - k).collect::<String>();
    // Patronymics: -ович/-евич with a case ending.
    for end in ["овича", "овичу", "овичем", "овиче", "евича", "евичу", "евичем", "евиче"] {
        if lower.ends_with(end) {
            return (strip(end.chars().count() - 4), false);
        }
    }
    // Surnames in -ов/-ев/-ин.
    if n > 5 {
        // -ову is his dative or her accusative.
        for end in ["ову", "еву", "ину"] {
            if lower.ends_with(end) {
                return (strip(1), true);
            }
        }
        for (end, keep) in [("овым", 2), ("евым", 2), ("иным", 2), ("ове", 2), ("еве", 2), ("ине", 2)] {
            if lower.ends_with(end) {
                return (strip(end.chars().count() - keep), false);
            }
        }
        // Hers in an oblique case (-овой) is hers; -ова is hers or his genitive.
        for end in ["овой", "евой", "иной"] {
            if lower.ends_with(end) {
                return (strip(2) + "а", false);
            }
        }
        for end in ["ова", "ева", "ина"] {
            if lower.ends_with(end) {
                return (strip(1), true);
            }
        }
    }
    // Given names: his ending in a consonant (Бахрома, Бахрому, Бахромом,
    // Бахроме → Бахром) or hers in -а (Нигорой, Нигору, Нигоре → Нигора).
    // Умиду is his dative or her accusative: his form, marked.
    if n > 3 {
        let mut his = None;
        let mut hers = None;
        for end in ["ом", "ем", "а", "у", "е", "я", "ю"] {
            if his.is_none() && lower.ends_with(end) {
                let base = strip(end.chars().count());
                if is_given(&fold(&base)) {
                    his = Some(base);
                }
            }
        }
        for end in ["ой", "ей", "у", "ю", "е"] {
            if hers.is_none() && lower.ends_with(end) {
                let base = strip(end.chars().count()) + if end == "ю" || end == "ей" { "я" } else { "а" };
                if is_given(&fold(&base)) {
                    hers = Some(base);
                }
            }
        }
        let already_hers = is_given(&fold(&lower)) && (lower.ends_with('а') || lower.ends_with('я'));
        match (his, hers) {
            (Some(h), other) => return (h, other.is_some() || already_hers),
            (None, Some(f)) => return (f, false),
            (None, None) => {}
        }
    }
    (lower, false)
}

// --- Belarusian (names across romanisations) --------------------------------

/// The Belarusian ў after a vowel (Шаўчук, Паўлава, -аўна) is the u of
/// "Shauchuk", not the Uzbek ў (oʻ) that follows consonants (Ўктам, Тўхтаев).
fn belarusian_short_u(name: &str) -> std::borrow::Cow<'_, str> {
    if !name.contains(['ў', 'Ў']) {
        return std::borrow::Cow::Borrowed(name);
    }
    let vowel = |c: char| "аеёиоуыэюяіАЕЁИОУЫЭЮЯІ".contains(c);
    let mut out = String::with_capacity(name.len());
    let mut prev = ' ';
    for c in name.chars() {
        out.push(match c {
            'ў' if vowel(prev) => 'у',
            'Ў' if vowel(prev) => 'У',
            _ => c,
        });
        prev = c;
    }
    std::borrow::Cow::Owned(out)
}

// --- Korean (names across romanisations) -----------------------------------

/// A Hangul syllable in the Revised Romanization (2000): 김 → "gim", 정 →
/// "jeong", 은 → "eun". The equivalents then meet the McCune–Reischauer and
/// customary spellings (Kim, Chong, Un).
pub fn hangul(c: char) -> Option<String> {
    const INITIAL: [&str; 19] = ["g", "kk", "n", "d", "tt", "r", "m", "b", "pp", "s", "ss", "", "j", "jj", "ch", "k", "t", "p", "h"];
    const MEDIAL: [&str; 21] = ["a", "ae", "ya", "yae", "eo", "e", "yeo", "ye", "o", "wa", "wae", "oe", "yo", "u", "wo", "we", "wi", "yu", "eu", "ui", "i"];
    const FINAL: [&str; 28] = ["", "k", "k", "k", "n", "n", "n", "t", "l", "k", "m", "l", "l", "l", "p", "l", "m", "p", "p", "t", "t", "ng", "t", "t", "k", "t", "p", "t"];
    let n = (c as u32).checked_sub(0xAC00).filter(|&n| n < 11_172)?;
    let (i, m, f) = ((n / 588) as usize, (n % 588 / 28) as usize, (n % 28) as usize);
    Some(format!("{}{}{}", INITIAL[i], MEDIAL[m], FINAL[f]))
}

/// Whether a word is written in Hangul syllables.
pub fn is_hangul(word: &str) -> bool {
    !word.is_empty() && word.chars().all(|c| hangul(c).is_some())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn letters_that_decompose_are_transliterated_before_their_marks_go() {
        assert_eq!(fold("Айбек"), "aybek");
        assert_eq!(fold("Ўктам"), "oktam");
        assert_eq!(fold("Ӯмед"), "umed");
        assert_eq!(fold("Ёқуб"), "yoqub");
    }

    #[test]
    fn hangul_syllables_are_romanised() {
        assert_eq!(fold("김정은"), "gimjeongeun");
        assert_eq!(fold("최룡해"), "choeryonghae");
        assert_eq!(fold("박"), "bak");
    }

    #[test]
    fn belarusian_u_after_a_vowel_is_u() {
        assert_eq!(fold("Віктар Уладзіміравіч Шаўчук"), "viktar uladzimiravich shauchuk");
        assert_eq!(fold("Вольга Аляксандраўна"), "volga alyaksandrauna");
        assert_eq!(fold("Тўхтаев"), "tokhtaev");
    }

    #[test]
    fn punctuation_separates_words() {
        assert_eq!(fold("A.B. Karimov"), "a b karimov");
        assert_eq!(fold("Abu-Bakr  al-Baghdadi"), "abu bakr al baghdadi");
        assert_eq!(fold("O‘ktam G‘ofurov"), "oktam gofurov");
    }

    #[test]
    fn running_text_folds_word_by_word_with_the_characters_each_came_from() {
        let words = fold_words("«ЗАРИНА Каримова» — Zarína Karimova’s (O‘ktam)");
        let texts: Vec<&str> = words.iter().map(|w| w.text.as_str()).collect();
        assert_eq!(texts, ["zarina", "karimova", "zarina", "karimovas", "oktam"]);
        let chars: Vec<char> = "«ЗАРИНА Каримова» — Zarína Karimova’s (O‘ktam)".chars().collect();
        let wrote = |w: &FoldedWord| chars[w.start..w.end].iter().collect::<String>();
        assert_eq!(wrote(&words[0]), "ЗАРИНА");
        assert_eq!(wrote(&words[3]), "Karimova’s");
        assert_eq!(wrote(&words[4]), "O‘ktam");
        // A name folds to the words `fold` gives it.
        for name in ["Şöhrat Ýazmyradow", "Хамроев", "Abu-Bakr al-Baghdadi", "O‘ktam G‘ofurov"] {
            let joined: Vec<String> = fold_words(name).into_iter().map(|w| w.text).collect();
            assert_eq!(joined.join(" "), fold(name), "{name}");
        }
    }

    #[test]
    fn case_endings_return_to_the_nominative() {
        let given = |w: &str| w == "bakhrom";
        assert_eq!(cyrillic_nominative("Хамроеву", given), ("хамроев".to_string(), true));
        assert_eq!(cyrillic_nominative("Хамроевым", given), ("хамроев".to_string(), false));
        assert_eq!(cyrillic_nominative("Хамроевой", given), ("хамроева".to_string(), false));
        assert_eq!(cyrillic_nominative("Хамроева", given), ("хамроев".to_string(), true));
        assert_eq!(cyrillic_nominative("Бахрома", given), ("бахром".to_string(), false));
        assert_eq!(cyrillic_nominative("Бахромом", given), ("бахром".to_string(), false));
        assert_eq!(cyrillic_nominative("Рахмоновича", given), ("рахмонович".to_string(), false));
        // Not a known name without the ending: left alone.
        assert_eq!(cyrillic_nominative("Нигора", given), ("нигора".to_string(), false));
    }
}
