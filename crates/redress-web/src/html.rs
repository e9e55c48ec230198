//! Small HTML builders for form fields, so every field gets the same label, hint, error
//! message and `aria-describedby` wiring (GOV.UK patterns) without repeating markup.

use redress_domain::FieldErrors;
use std::collections::BTreeMap;

/// A value made safe for a query string: everything but letters, digits, `-._~/` is
/// percent-encoded.
pub fn query_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

pub use redress_domain::calendar::long_date;

/// Values typed so far and the errors found in them, for re-showing a form.
#[derive(Debug, Clone, Default)]
pub struct FormState {
    pub values: BTreeMap<String, String>,
    pub errors: FieldErrors,
    /// The language its fixed words (the error summary's title, "Day") are in.
    pub lang: redress_domain::language::Language,
}

impl FormState {
    /// One of the form's fixed words in its language.
    pub fn t(&self, key: &str) -> String {
        crate::i18n::message(self.lang, key, &[])
    }
}

/// The id to link to from the error summary for a field.
pub fn anchor(field: &str) -> String {
    match field {
        "issue_date" => "issue_date-day".into(),
        "points" => "point_1".into(),
        other => other.into(),
    }
}

/// A radio's id: the first carries the field's own, so the error summary can link to it.
pub fn radio_id(name: &str, value: &str, first: impl std::borrow::Borrow<bool>) -> String {
    if *first.borrow() {
        name.to_string()
    } else {
        format!("{name}-{value}")
    }
}

impl FormState {
    /// Whether any of these fields has a value or an error, to open a collapsed section.
    pub fn has_any(&self, names: &[&str]) -> bool {
        names
            .iter()
            .any(|n| !self.v(n).trim().is_empty() || self.errors.get(n).is_some())
    }

    /// 422 when the form has errors to show, so tools and tests see the refusal; 200 otherwise.
    pub fn status(&self) -> axum::http::StatusCode {
        if self.errors.is_empty() {
            axum::http::StatusCode::OK
        } else {
            axum::http::StatusCode::UNPROCESSABLE_ENTITY
        }
    }

    pub fn v(&self, name: &str) -> &str {
        self.values.get(name).map(String::as_str).unwrap_or("")
    }

    fn error_html(&self, name: &str) -> (String, String, &'static str) {
        match self.errors.get(name) {
            Some(m) => (
                format!(
                    "<p id=\"{name}-error\" class=\"error-message\"><span class=\"visually-hidden\">Error:</span> {}</p>",
                    escape(m)
                ),
                format!("{name}-error"),
                " form-group--error",
            ),
            None => (String::new(), String::new(), ""),
        }
    }

    fn described_by(ids: &[&str]) -> String {
        let ids: Vec<&str> = ids.iter().copied().filter(|s| !s.is_empty()).collect();
        if ids.is_empty() {
            String::new()
        } else {
            format!(" aria-describedby=\"{}\"", ids.join(" "))
        }
    }

    fn hint(name: &str, hint: &str) -> (String, String) {
        if hint.is_empty() {
            (String::new(), String::new())
        } else {
            (
                format!(
                    "<div id=\"{name}-hint\" class=\"hint\">{}</div>",
                    escape(hint)
                ),
                format!("{name}-hint"),
            )
        }
    }

    /// A text input. `kind` is the input type (text, email, tel); `autocomplete` helps
    /// people fill it in (WCAG 1.3.5).
    pub fn input(
        &self,
        name: &str,
        label: &str,
        hint: &str,
        kind: &str,
        autocomplete: &str,
        width: &str,
    ) -> String {
        let (err, err_id, group) = self.error_html(name);
        let (hint_html, hint_id) = Self::hint(name, hint);
        let auto = if autocomplete.is_empty() {
            String::new()
        } else {
            format!(" autocomplete=\"{autocomplete}\"")
        };
        let width = if width.is_empty() {
            String::new()
        } else {
            format!(" input--width-{width}")
        };
        let error_class = if err_id.is_empty() {
            ""
        } else {
            " input--error"
        };
        let spell = if matches!(kind, "email" | "tel") {
            " spellcheck=\"false\""
        } else {
            ""
        };
        format!(
            "<div class=\"form-group{group}\"><label class=\"label\" for=\"{name}\">{}</label>{hint_html}{err}\
             <input class=\"input{width}{error_class}\" id=\"{name}\" name=\"{name}\" type=\"{kind}\" value=\"{}\"{auto}{spell}{}></div>",
            escape(label),
            escape(self.v(name)),
            Self::described_by(&[&hint_id, &err_id]),
        )
    }

    pub fn textarea(&self, name: &str, label: &str, hint: &str, rows: u8) -> String {
        let (err, err_id, group) = self.error_html(name);
        let (hint_html, hint_id) = Self::hint(name, hint);
        let error_class = if err_id.is_empty() {
            ""
        } else {
            " input--error"
        };
        format!(
            "<div class=\"form-group{group}\"><label class=\"label\" for=\"{name}\">{}</label>{hint_html}{err}\
             <textarea class=\"textarea{error_class}\" id=\"{name}\" name=\"{name}\" rows=\"{rows}\"{}>{}</textarea></div>",
            escape(label),
            Self::described_by(&[&hint_id, &err_id]),
            escape(self.v(name)),
        )
    }

    /// Radios in a fieldset; the first radio carries the field's id so the error summary
    /// can link to it.
    pub fn radios(
        &self,
        name: &str,
        legend: &str,
        hint: &str,
        options: &[(String, String)],
        inline: bool,
    ) -> String {
        let (err, err_id, group) = self.error_html(name);
        let (hint_html, hint_id) = Self::hint(name, hint);
        let mut items = String::new();
        for (i, (value, label)) in options.iter().enumerate() {
            let id = if i == 0 {
                name.to_string()
            } else {
                format!("{name}-{value}")
            };
            let checked = if self.v(name) == value.as_str() {
                " checked"
            } else {
                ""
            };
            items.push_str(&format!(
                "<div class=\"radios__item\"><input class=\"radios__input\" id=\"{id}\" name=\"{name}\" type=\"radio\" value=\"{}\"{checked}>\
                 <label class=\"label radios__label\" for=\"{id}\">{}</label></div>",
                escape(value),
                escape(label)
            ));
        }
        let inline = if inline { " radios--inline" } else { "" };
        format!(
            "<div class=\"form-group{group}\"><fieldset class=\"fieldset\"{}><legend class=\"fieldset__legend fieldset__legend--m\">{}</legend>\
             {hint_html}{err}<div class=\"radios{inline}\">{items}</div></fieldset></div>",
            Self::described_by(&[&hint_id, &err_id]),
            escape(legend)
        )
    }

    pub fn select(
        &self,
        name: &str,
        label: &str,
        hint: &str,
        options: &[(String, String)],
    ) -> String {
        let (err, err_id, group) = self.error_html(name);
        let (hint_html, hint_id) = Self::hint(name, hint);
        let mut opts = String::new();
        for (value, text) in options {
            let selected = if self.v(name) == value.as_str() {
                " selected"
            } else {
                ""
            };
            opts.push_str(&format!(
                "<option value=\"{}\"{selected}>{}</option>",
                escape(value),
                escape(text)
            ));
        }
        format!(
            "<div class=\"form-group{group}\"><label class=\"label\" for=\"{name}\">{}</label>{hint_html}{err}\
             <select class=\"select\" id=\"{name}\" name=\"{name}\"{}>{opts}</select></div>",
            escape(label),
            Self::described_by(&[&hint_id, &err_id]),
        )
    }

    pub fn checkbox(&self, name: &str, label: &str) -> String {
        let checked = if matches!(self.v(name), "yes" | "on" | "true") {
            " checked"
        } else {
            ""
        };
        let (err, err_id, group) = self.error_html(name);
        format!(
            "<div class=\"form-group{group}\">{err}<div class=\"checkboxes\"><div class=\"checkboxes__item\">\
             <input class=\"checkboxes__input\" id=\"{name}\" name=\"{name}\" type=\"checkbox\" value=\"yes\"{checked}{}>\
             <label class=\"label checkboxes__label\" for=\"{name}\">{}</label></div></div></div>",
            Self::described_by(&[&err_id]),
            escape(label)
        )
    }

    /// Combines the three date boxes into YYYY-MM-DD for the domain to check, or records
    /// what is missing.
    pub fn combine_date(&mut self, name: &str) -> String {
        let parts: Vec<String> = ["day", "month", "year"]
            .iter()
            .map(|p| self.v(&format!("{name}-{p}")).trim().to_string())
            .collect();
        if parts.iter().all(String::is_empty) {
            return String::new();
        }
        let nums: Vec<Option<u32>> = parts.iter().map(|p| p.parse::<u32>().ok()).collect();
        match (nums[0], nums[1], nums[2]) {
            (Some(d), Some(m), Some(y)) if (1000..=9999).contains(&y) => {
                format!("{y:04}-{m:02}-{d:02}")
            }
            _ if parts.iter().any(String::is_empty) => {
                self.errors
                    .add(name, "The date must include a day, month and year");
                String::new()
            }
            _ => {
                self.errors
                    .add(name, "The date must be a real date, like 27 3 2026");
                String::new()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_is_escaped() {
        let mut f = FormState::default();
        f.values
            .insert("name".into(), "<script>alert(1)</script>\"".into());
        let html = f.input("name", "Name", "", "text", "name", "");
        assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;&quot;"));
        assert!(!html.contains("<script>"));
    }

    #[test]
    fn errors_are_wired_to_their_fields() {
        let mut f = FormState::default();
        f.errors.add("email", "Enter an email address");
        let html = f.input(
            "email",
            "Email",
            "We only use it to reply",
            "email",
            "email",
            "",
        );
        assert!(html.contains("aria-describedby=\"email-hint email-error\""));
        assert_eq!(anchor("issue_date"), "issue_date-day");
    }

    #[test]
    fn dates_combine_or_explain() {
        let mut f = FormState::default();
        for (k, v) in [("d-day", "5"), ("d-month", "3"), ("d-year", "2026")] {
            f.values.insert(k.into(), v.into());
        }
        assert_eq!(f.combine_date("d"), "2026-03-05");
        f.values.insert("d-year".into(), String::new());
        assert_eq!(f.combine_date("d"), "");
        assert_eq!(
            f.errors.get("d"),
            Some("The date must include a day, month and year")
        );
        assert_eq!(long_date(jiff::civil::date(2025, 3, 7)), "7 March 2025");
    }
}
