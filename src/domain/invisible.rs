//! Characters that show nothing on screen. Pasted along with an address or a name, they make
//! one mailbox look like two, a blank name look filled in, or text display in another order
//! than it was written (bidirectional overrides).

/// Zero-width joiner and non-joiner: invisible, but part of how Persian, Arabic and Indic
/// names are written when they sit between two letters.
const JOINERS: [char; 2] = ['\u{200C}', '\u{200D}'];

/// True for a character that draws nothing and changes no letter: zero-width spaces and
/// joiners, the byte-order mark, soft hyphens, bidirectional marks, embeddings, overrides and
/// isolates, invisible operators and the Hangul fillers that render as blanks.
pub fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}'
            | '\u{034F}'
            | '\u{061C}'
            | '\u{115F}'
            | '\u{1160}'
            | '\u{17B4}'
            | '\u{17B5}'
            | '\u{180E}'
            | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{206F}'
            | '\u{3164}'
            | '\u{FEFF}'
            | '\u{FFA0}'
    )
}

/// `text` without any invisible character.
pub fn strip_invisible(text: &str) -> String {
    text.chars().filter(|c| !is_invisible(*c)).collect()
}

/// `text` without invisible characters, except a joiner between two letters, where it
/// belongs to the spelling of a word.
pub fn strip_invisible_in_words(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut kept = String::with_capacity(text.len());
    for (i, &c) in chars.iter().enumerate() {
        let joins_letters = JOINERS.contains(&c)
            && i > 0
            && chars[i - 1].is_alphabetic()
            && chars.get(i + 1).is_some_and(|next| next.is_alphabetic());
        if joins_letters || !is_invisible(c) {
            kept.push(c);
        }
    }
    kept
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn overrides_and_zero_width_characters_are_taken_out() {
        assert_eq!(
            strip_invisible("\u{202E}an\u{200B}a\u{2066}\u{FEFF}"),
            "ana"
        );
        assert_eq!(strip_invisible_in_words("\u{202E}Ana\u{2069}"), "Ana");
        assert_eq!(strip_invisible_in_words("\u{200D}\u{200C}"), "");
    }

    #[test]
    fn a_joiner_inside_a_persian_name_is_kept() {
        let name = "محمد\u{200C}رضا";
        assert_eq!(strip_invisible_in_words(name), name);
        assert_eq!(strip_invisible(name), "محمدرضا");
    }

    proptest! {
        #[test]
        fn stripping_leaves_only_visible_characters_and_is_stable(raw in "\\PC{0,40}|[a\u{200B}-\u{200F}\u{202A}-\u{202E}\u{2066}-\u{2069}]{0,20}") {
            let stripped = strip_invisible(&raw);
            prop_assert!(!stripped.chars().any(is_invisible));
            prop_assert_eq!(strip_invisible(&stripped), stripped.clone());
            let in_words = strip_invisible_in_words(&raw);
            prop_assert_eq!(strip_invisible(&in_words), stripped);
            prop_assert_eq!(strip_invisible_in_words(&in_words), in_words);
        }
    }
}
