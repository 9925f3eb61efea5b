//! Go's `unicode` package predicates and simple case mappings.
//!
//! Sprig's string functions are built on Go's `unicode.IsUpper`,
//! `unicode.ToUpper` and friends, which use general categories (not Rust's
//! derived `Uppercase`/`Lowercase` properties) and *simple* one-rune case
//! mappings (not Rust's full mappings: Go upper-cases `ß` to `ß`, Rust to
//! `SS`). These helpers reproduce Go's answers on top of Rust's tables.

use unicode_general_category::{GeneralCategory as Gc, get_general_category};

/// `unicode.IsUpper`: general category Lu.
pub(crate) fn is_upper(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_uppercase();
    }
    get_general_category(c) == Gc::UppercaseLetter
}

/// `unicode.IsLower`: general category Ll.
pub(crate) fn is_lower(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_lowercase();
    }
    get_general_category(c) == Gc::LowercaseLetter
}

/// `unicode.IsTitle`: general category Lt.
pub(crate) fn is_title(c: char) -> bool {
    !c.is_ascii() && get_general_category(c) == Gc::TitlecaseLetter
}

/// `unicode.IsLetter`: any L category.
pub(crate) fn is_letter(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphabetic();
    }
    matches!(
        get_general_category(c),
        Gc::UppercaseLetter
            | Gc::LowercaseLetter
            | Gc::TitlecaseLetter
            | Gc::ModifierLetter
            | Gc::OtherLetter
    )
}

/// `unicode.IsDigit`: category Nd.
pub(crate) fn is_digit(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_digit();
    }
    get_general_category(c) == Gc::DecimalNumber
}

/// `unicode.IsNumber`: any N category.
pub(crate) fn is_number(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_digit();
    }
    matches!(
        get_general_category(c),
        Gc::DecimalNumber | Gc::LetterNumber | Gc::OtherNumber
    )
}

/// `unicode.IsPunct`: any P category (`$`, `+`, `<`, `^`, `|` are symbols,
/// not punctuation).
pub(crate) fn is_punct(c: char) -> bool {
    matches!(
        get_general_category(c),
        Gc::ConnectorPunctuation
            | Gc::DashPunctuation
            | Gc::OpenPunctuation
            | Gc::ClosePunctuation
            | Gc::InitialPunctuation
            | Gc::FinalPunctuation
            | Gc::OtherPunctuation
    )
}

/// `unicode.IsSpace`: the White_Space property, which is what Rust's
/// `char::is_whitespace` implements too.
pub(crate) fn is_space(c: char) -> bool {
    c.is_whitespace()
}

/// `unicode.ToUpper`: the simple uppercase mapping.
pub(crate) fn to_upper(c: char) -> char {
    if c.is_ascii() {
        return c.to_ascii_uppercase();
    }
    let mut it = c.to_uppercase();
    match (it.next(), it.next()) {
        (Some(u), None) => u,
        // A full mapping of several runes: Go uses the simple mapping,
        // which exists only for the Greek letters with ypogegrammeni.
        _ => match c as u32 {
            0x1F80..=0x1F87 | 0x1F90..=0x1F97 | 0x1FA0..=0x1FA7 => {
                char::from_u32(c as u32 + 8).unwrap_or(c)
            }
            0x1FB3 => '\u{1FBC}',
            0x1FC3 => '\u{1FCC}',
            0x1FF3 => '\u{1FFC}',
            _ => c,
        },
    }
}

/// `unicode.ToLower`: the simple lowercase mapping.
pub(crate) fn to_lower(c: char) -> char {
    if c.is_ascii() {
        return c.to_ascii_lowercase();
    }
    let mut it = c.to_lowercase();
    match (it.next(), it.next()) {
        (Some(l), None) => l,
        // Only U+0130 has a multi-rune full lowercase mapping.
        _ if c == '\u{130}' => 'i',
        _ => c,
    }
}

/// `unicode.ToTitle`: the simple titlecase mapping, which differs from the
/// uppercase one for the Latin digraphs and Georgian.
pub(crate) fn to_title(c: char) -> char {
    match c as u32 {
        0x1C4..=0x1C6 => '\u{1C5}',
        0x1C7..=0x1C9 => '\u{1C8}',
        0x1CA..=0x1CC => '\u{1CB}',
        0x1F1..=0x1F3 => '\u{1F2}',
        0x10D0..=0x10FA | 0x10FD..=0x10FF => c,
        _ => to_upper(c),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn categories_follow_go() {
        assert!(is_upper('Ä'));
        assert!(!is_upper('Ⓐ'));
        assert!(!is_lower('ª'));
        assert!(is_title('ǅ'));
        assert!(is_punct('_') && is_punct('-') && !is_punct('$') && !is_punct('+'));
        assert!(is_space('\u{85}') && is_space('\u{a0}') && !is_space('\u{200b}'));
        assert!(is_number('½') && !is_digit('½'));
    }

    #[test]
    fn simple_case_mappings() {
        assert_eq!(to_upper('ß'), 'ß');
        assert_eq!(to_upper('é'), 'É');
        assert_eq!(to_upper('\u{1F80}'), '\u{1F88}');
        assert_eq!(to_lower('\u{130}'), 'i');
        assert_eq!(to_title('ǆ'), 'ǅ');
        assert_eq!(to_title('a'), 'A');
    }
}
