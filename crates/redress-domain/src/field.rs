//! Parsing of free text and the per-field error list that every form and API reports.

use serde::Serialize;
use std::collections::BTreeMap;

/// Messages keyed by field path (`person.email`, `summary`), in a stable order so forms
/// can show an error summary that matches the order the checks ran in.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct FieldErrors {
    errors: Vec<(String, String)>,
}

impl FieldErrors {
    pub fn new() -> Self {
        Self::default()
    }

    /// Records a message for a field; only the first message per field is kept, because
    /// one clear instruction per field is what a person can act on.
    pub fn add(&mut self, field: impl Into<String>, message: impl Into<String>) {
        let field = field.into();
        if !self.errors.iter().any(|(f, _)| *f == field) {
            self.errors.push((field, message.into()));
        }
    }

    pub fn is_empty(&self) -> bool {
        self.errors.is_empty()
    }

    pub fn get(&self, field: &str) -> Option<&str> {
        self.errors
            .iter()
            .find(|(f, _)| f == field)
            .map(|(_, m)| m.as_str())
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.errors.iter().map(|(f, m)| (f.as_str(), m.as_str()))
    }

    pub fn as_map(&self) -> BTreeMap<String, String> {
        self.errors.iter().cloned().collect()
    }

    /// Keeps a parsed value when it is good and records the error when it is not.
    pub fn take<T>(&mut self, field: &str, result: Result<T, String>) -> Option<T> {
        match result {
            Ok(v) => Some(v),
            Err(m) => {
                self.add(field, m);
                None
            }
        }
    }

    /// `take` for optional values: an empty field is `None`, a bad one records its error.
    pub fn take_opt<T>(&mut self, field: &str, result: Result<Option<T>, String>) -> Option<T> {
        self.take(field, result).flatten()
    }

    pub fn into_result(self) -> Result<(), FieldErrors> {
        if self.is_empty() { Ok(()) } else { Err(self) }
    }
}

impl std::fmt::Display for FieldErrors {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let parts: Vec<String> = self.iter().map(|(k, v)| format!("{k}: {v}")).collect();
        write!(f, "{}", parts.join("; "))
    }
}

impl std::error::Error for FieldErrors {}

/// Trimmed text of bounded length with control characters (other than new lines and tabs)
/// refused. Markup is allowed and kept as typed: it is escaped wherever it is shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize, Default)]
#[serde(transparent)]
pub struct Text(String);

impl Text {
    /// `what` names the field in the message, in the words a resident would use.
    pub fn parse(raw: &str, what: &str, max_chars: usize) -> Result<Text, String> {
        let trimmed = raw.trim();
        if trimmed.is_empty() {
            return Err(format!("Enter {what}"));
        }
        Self::parse_optional(raw, what, max_chars).map(|t| t.unwrap_or_default())
    }

    /// Like `parse`, but empty input is `None` rather than an error.
    pub fn parse_optional(raw: &str, what: &str, max_chars: usize) -> Result<Option<Text>, String> {
        let trimmed = raw.trim();
        if trimmed.is_empty() {
            return Ok(None);
        }
        let count = trimmed.chars().count();
        if count > max_chars {
            return Err(format!(
                "{} must be {max_chars} characters or fewer (you entered {count})",
                capitalise(what)
            ));
        }
        if trimmed
            .chars()
            .any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t')
        {
            return Err(format!(
                "{} contains characters that cannot be used",
                capitalise(what)
            ));
        }
        Ok(Some(Text(trimmed.replace("\r\n", "\n"))))
    }

    /// One line of text, such as a name: line breaks become spaces, and characters that
    /// reorder or hide text are taken out, so a name cannot make a letter read otherwise.
    pub fn parse_line(raw: &str, what: &str, max_chars: usize) -> Result<Text, String> {
        Self::parse(&one_line(raw), what, max_chars)
    }

    /// Like `parse_line`, but empty input is `None`.
    pub fn parse_line_optional(
        raw: &str,
        what: &str,
        max_chars: usize,
    ) -> Result<Option<Text>, String> {
        Self::parse_optional(&one_line(raw), what, max_chars)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_string(self) -> String {
        self.0
    }

    /// For values already validated when they were stored.
    pub fn from_trusted(s: String) -> Text {
        Text(s)
    }
}

impl std::fmt::Display for Text {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Bidirectional embeddings, overrides and isolates, and zero-width characters: they change
/// how the text around them reads without showing themselves.
fn hides_text(c: char) -> bool {
    matches!(
        c,
        '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2069}' | '\u{FEFF}'
    )
}

fn one_line(raw: &str) -> String {
    raw.chars()
        .filter(|c| !hides_text(*c))
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

pub fn capitalise(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// A deliberately simple email check: one `@`, something either side, a dot in the
/// domain, no spaces. Deliverability is proven by sending, not by a pattern.
pub fn parse_email(raw: &str) -> Result<Option<String>, String> {
    let s = raw.trim();
    if s.is_empty() {
        return Ok(None);
    }
    if s.chars().count() > 254 {
        return Err("Email address must be 254 characters or fewer".into());
    }
    let ok = match s.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && !domain.contains('@')
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !s.chars().any(|c| c.is_whitespace() || c.is_control())
        }
        None => false,
    };
    if ok {
        Ok(Some(s.to_string()))
    } else {
        Err("Enter an email address in the correct format, like name@example.com".into())
    }
}

/// UK phone numbers as people type them: digits, spaces, brackets, dashes, a leading +.
/// Phone numbers as digits, with +44 written the UK way, so "029 2087 2000" and
/// "+44 29 2087 2000" are the same number.
pub fn phone_digits(phone: &str) -> Option<String> {
    let digits: String = phone.chars().filter(char::is_ascii_digit).collect();
    let digits = match digits.strip_prefix("44") {
        Some(rest) if phone.trim_start().starts_with('+') => format!("0{rest}"),
        _ => digits,
    };
    (!digits.is_empty()).then_some(digits)
}

pub fn parse_phone(raw: &str) -> Result<Option<String>, String> {
    let s = raw.trim();
    if s.is_empty() {
        return Ok(None);
    }
    let digits = s.chars().filter(|c| c.is_ascii_digit()).count();
    let allowed = s
        .chars()
        .enumerate()
        .all(|(i, c)| c.is_ascii_digit() || " ()-".contains(c) || (c == '+' && i == 0));
    if !allowed || !(10..=15).contains(&digits) {
        return Err("Enter a telephone number, like 01632 960 001 or 07700 900 982".into());
    }
    Ok(Some(s.to_string()))
}

/// UK postcodes, normalised to upper case with one space before the inward code.
pub fn parse_postcode(raw: &str) -> Result<Option<String>, String> {
    let compact: String = raw
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_uppercase();
    if compact.is_empty() {
        return Ok(None);
    }
    let len = compact.len();
    let valid = (5..=7).contains(&len)
        && compact.is_ascii()
        && compact
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic())
        && {
            let (outward, inward) = compact.split_at(len - 3);
            let inward: Vec<char> = inward.chars().collect();
            outward.chars().all(|c| c.is_ascii_alphanumeric())
                && inward[0].is_ascii_digit()
                && inward[1].is_ascii_alphabetic()
                && inward[2].is_ascii_alphabetic()
        };
    if !valid {
        return Err("Enter a real postcode, like CF10 1AA".into());
    }
    let (outward, inward) = compact.split_at(len - 3);
    Ok(Some(format!("{outward} {inward}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_trimmed_and_bounded() {
        assert_eq!(
            Text::parse("  hello ", "a summary", 10).map(|t| t.into_string()),
            Ok("hello".into())
        );
        assert_eq!(
            Text::parse("   ", "a summary", 10),
            Err("Enter a summary".into())
        );
        assert!(
            Text::parse("abcdefghijk", "a summary", 10)
                .is_err_and(|e| e.contains("10 characters or fewer"))
        );
        assert!(Text::parse("bad\u{0}byte", "a summary", 100).is_err());
        assert_eq!(
            Text::parse("<script>", "a summary", 100).map(|t| t.into_string()),
            Ok("<script>".into())
        );
    }

    #[test]
    fn a_name_is_one_line_with_nothing_hidden() {
        let name = Text::parse_line("Bob\r\nBcc: evil@example.com", "the name", 200);
        assert_eq!(
            name.map(Text::into_string),
            Ok("Bob Bcc: evil@example.com".to_string())
        );
        let hidden = Text::parse_line("Ann\u{202E}eciloP", "the name", 200);
        assert_eq!(hidden.map(Text::into_string), Ok("AnneciloP".to_string()));
        assert!(Text::parse_line("\u{200B}\n", "the name", 200).is_err());
    }

    #[test]
    fn emails_phones_postcodes() {
        assert_eq!(parse_email(" a@b.co "), Ok(Some("a@b.co".into())));
        assert!(parse_email("a@b").is_err());
        assert!(parse_email("a b@c.d").is_err());
        assert_eq!(
            parse_phone("029 2087 2000"),
            Ok(Some("029 2087 2000".into()))
        );
        assert!(parse_phone("12").is_err());
        assert_eq!(parse_postcode("cf101aa"), Ok(Some("CF10 1AA".into())));
        assert_eq!(parse_postcode("SW1A 2AA"), Ok(Some("SW1A 2AA".into())));
        assert!(parse_postcode("hello").is_err());
    }

    #[test]
    fn first_error_per_field_wins() {
        let mut e = FieldErrors::new();
        e.add("a", "one");
        e.add("a", "two");
        e.add("b", "three");
        assert_eq!(e.get("a"), Some("one"));
        assert_eq!(e.iter().count(), 2);
    }
}
