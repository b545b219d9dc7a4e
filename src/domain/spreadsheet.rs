//! How a spreadsheet mistakes text for a formula. Exports neutralise such text and names
//! refuse it, both by this one rule.

use std::borrow::Cow;

/// Where a spreadsheet may start a new cell when it splits a line: `,`, `;` (the list
/// separator of Excel in Spanish, French or Portuguese), tab (a tab-separated reading, or a
/// paste), and line ends.
const SEPARATORS: [char; 5] = [',', ';', '\t', '\r', '\n'];

/// A cell starting with one of these is run as a formula (`=HYPERLINK(...)`, `+1`, `-1`,
/// `@SUM(...)`), or, for tab and carriage return, can hide one in some spreadsheets.
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// Byte offsets at which a piece of `text` starts that a spreadsheet could run as a formula:
/// the text itself, or any piece after a separator, once the spaces and double quotes a
/// spreadsheet passes over are skipped.
pub fn formula_pieces(text: &str) -> Vec<usize> {
    std::iter::once(0)
        .chain(
            text.match_indices(SEPARATORS)
                .map(|(at, separator)| at + separator.len()),
        )
        .filter(|&start| {
            text[start..]
                .trim_start_matches([' ', '"'])
                .starts_with(FORMULA_STARTS)
        })
        .collect()
}

/// `text` with an apostrophe before each piece that could run as a formula. A spreadsheet
/// shows such a piece as text and hides the apostrophe, whichever separator it splits on.
pub fn neutralise_formulas(text: &str) -> Cow<'_, str> {
    let pieces = formula_pieces(text);
    if pieces.is_empty() {
        return Cow::Borrowed(text);
    }
    let mut neutralised = String::with_capacity(text.len() + pieces.len());
    let mut copied = 0;
    for start in pieces {
        neutralised.push_str(&text[copied..start]);
        neutralised.push('\'');
        copied = start;
    }
    neutralised.push_str(&text[copied..]);
    Cow::Owned(neutralised)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn a_formula_at_the_start_of_a_cell_is_neutralised() {
        assert_eq!(
            neutralise_formulas("=HYPERLINK(\"http://x\",\"y\")"),
            "'=HYPERLINK(\"http://x\",\"y\")"
        );
        for risky in ["+1", "-1", "@SUM(A1)", "\tx", "\rx", " =1+1", "\"=1+1"] {
            assert!(neutralise_formulas(risky).starts_with('\''), "{risky:?}");
        }
    }

    #[test]
    fn a_formula_behind_a_separator_is_neutralised() {
        assert_eq!(neutralise_formulas("x;=1+1;"), "x;'=1+1;");
        assert_eq!(neutralise_formulas("hi\t=1+1"), "hi\t'=1+1");
        assert_eq!(neutralise_formulas("Bien, =1\n@A1"), "Bien,' =1\n'@A1");
        assert_eq!(neutralise_formulas("a;\t=1"), "a;'\t'=1");
    }

    #[test]
    fn ordinary_text_is_kept_as_it_is() {
        for text in [
            "José Ñúñez",
            "Jean-Pierre",
            "a=b",
            "O'Connor",
            "1-2, 3+4",
            "",
        ] {
            assert!(
                matches!(neutralise_formulas(text), Cow::Borrowed(t) if t == text),
                "{text:?}"
            );
        }
    }

    proptest! {
        #[test]
        fn no_piece_of_a_neutralised_text_starts_a_formula(raw in "\\PC{0,60}|[ab=+@ ;,\t\r\n\"-]{0,30}") {
            let neutralised = neutralise_formulas(&raw);
            prop_assert!(formula_pieces(&neutralised).is_empty(), "{:?}", neutralised);
            for piece in neutralised.split(SEPARATORS) {
                prop_assert!(!piece.trim_start_matches([' ', '"']).starts_with(['=', '+', '-', '@']));
            }
            prop_assert_eq!(neutralised.replace('\'', ""), raw.replace('\'', ""));
            prop_assert_eq!(neutralise_formulas(&neutralised), neutralised.clone());
        }
    }
}
