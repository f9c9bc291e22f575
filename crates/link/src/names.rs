//! Folding names to a comparable form and comparing them.

use unicode_normalization::UnicodeNormalization;

/// Cyrillic letters (Russian, Uzbek, Tajik, Kazakh, Kyrgyz) to Latin, as
/// English-language reports usually spell them.
fn translit(c: char) -> Option<&'static str> {
    Some(match c {
        'а' => "a", 'б' => "b", 'в' => "v", 'г' => "g", 'д' => "d", 'е' => "e", 'ё' => "yo",
        'ж' => "zh", 'з' => "z", 'и' => "i", 'й' => "y", 'к' => "k", 'л' => "l", 'м' => "m",
        'н' => "n", 'о' => "o", 'п' => "p", 'р' => "r", 'с' => "s", 'т' => "t", 'у' => "u",
        'ф' => "f", 'х' => "kh", 'ц' => "ts", 'ч' => "ch", 'ш' => "sh", 'щ' => "shch",
        'ъ' => "", 'ы' => "y", 'ь' => "", 'э' => "e", 'ю' => "yu", 'я' => "ya",
        'ў' => "o", 'қ' => "q", 'ғ' => "g", 'ҳ' => "h", 'ҷ' => "j", 'ӣ' => "i", 'ӯ' => "u",
        'ә' => "a", 'ө' => "o", 'ү' => "u", 'ң' => "ng", 'і' => "i", 'ї' => "yi", 'є' => "ye",
        'ұ' => "u", 'һ' => "h",
        _ => return None,
    })
}

/// Lower case, Latin script, no diacritics, letters only:
/// "Хамроев" → "khamroev", "Xamroyev" → "xamroyev", "Ҳамроев" → "hamroev".
pub fn fold(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.nfkd() {
        if unicode_normalization::char::is_combining_mark(c) {
            continue;
        }
        for l in c.to_lowercase() {
            if let Some(t) = translit(l) {
                out.push_str(t);
            } else if l.is_ascii_alphanumeric() {
                out.push(l);
            } else if l.is_alphanumeric() {
                // Other scripts pass through as they are.
                out.push(l);
            } else if l.is_whitespace() || l == '-' {
                if !out.ends_with(' ') && !out.is_empty() {
                    out.push(' ');
                }
            }
            // apostrophes and marks (oʻ, gʻ) are dropped
        }
    }
    out.trim_end().to_string()
}

/// A coarse key that romanisation variants share: kh/h/x, -yev/-ev/-iev,
/// ya/ia, yu/iu, dzh/j/zh, ts/c, doubled letters, vowels after the first.
pub fn skeleton(word: &str) -> String {
    let w = fold(word);
    let mut s = w
        .replace("dzh", "j")
        .replace("zh", "j")
        .replace("kh", "h")
        .replace('x', "h")
        .replace('q', "k")
        .replace("ts", "c")
        .replace("iy", "i")
        .replace("yev", "ev")
        .replace("iev", "ev")
        .replace("ya", "ia")
        .replace("yu", "iu")
        .replace('w', "v");
    // doubled letters
    let mut dedup = String::with_capacity(s.len());
    for c in s.chars() {
        if !dedup.ends_with(c) {
            dedup.push(c);
        }
    }
    s = dedup;
    // consonant skeleton after the first letter
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i == 0 || !matches!(c, 'a' | 'e' | 'i' | 'o' | 'u' | 'y') {
            out.push(c);
        }
    }
    out
}

/// Edit distance with transpositions (optimal string alignment).
pub fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for j in 0..=b.len() {
        d[0][j] = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            d[i][j] = (d[i - 1][j] + 1).min(d[i][j - 1] + 1).min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d[i][j] = d[i][j].min(d[i - 2][j - 2] + 1);
            }
        }
    }
    d[a.len()][b.len()]
}

/// Two name words that are the same name: equal when folded, sharing a
/// romanisation skeleton, or one typo apart in a long word ("Khamryev").
pub fn similar_word(a: &str, b: &str) -> bool {
    let (fa, fb) = (fold(a), fold(b));
    if fa == fb {
        return true;
    }
    if fa.is_empty() || fb.is_empty() || fa.chars().next() != fb.chars().next() && skeleton(a).chars().next() != skeleton(b).chars().next() {
        return false;
    }
    let short = fa.chars().count().min(fb.chars().count());
    if short >= 5 && skeleton(a) == skeleton(b) {
        return true;
    }
    short >= 6 && edit_distance(&fa, &fb) <= 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_scripts_and_diacritics() {
        assert_eq!(fold("Хамроев"), "khamroev");
        assert_eq!(fold("Ҳамроев"), "hamroev");
        assert_eq!(fold("Izzat Amon"), "izzat amon");
        assert_eq!(fold("Иззат Амон"), "izzat amon");
        assert_eq!(fold("Şöhrat Ýazmyradow"), "sohrat yazmyradow");
    }

    #[test]
    fn romanisation_variants_share_a_skeleton() {
        for (a, b) in [("Khamroyev", "Khamroev"), ("Khamroyev", "Hamroev"), ("Khamroyev", "Xamroyev"), ("Khamroyev", "Хамроев"), ("Gulomzhon", "Gulomjon"), ("Dzhamshed", "Jamshed")] {
            assert_eq!(skeleton(a), skeleton(b), "{a} / {b}");
        }
    }

    #[test]
    fn similar_words_tolerate_one_typo_in_long_names_only() {
        assert!(similar_word("Khamroyev", "Khamryev"));
        assert!(similar_word("Khamroyev", "Хамроев"));
        assert!(!similar_word("Isakov", "Ismailov"));
        assert!(!similar_word("Amon", "Aman"));
        assert!(!similar_word("Rustam", "Rustem") || skeleton("Rustam") == skeleton("Rustem"));
        assert!(!similar_word("Kholmatov", "Kholdarov"));
    }
}
