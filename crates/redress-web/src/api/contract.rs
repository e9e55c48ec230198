//! What a contact sent to the API may hold, in one table. The OpenAPI schema is written from
//! it and every request is checked against it before the domain sees it, so the document
//! and the API cannot disagree about a field's type, choices or length. The domain's own
//! rules then apply as for every other channel: a real date in the past, an address the
//! mailer accepts, who needs which details.

use redress_domain::FieldErrors;
use redress_domain::contact::{
    Channel, ContactInput, ContactKind, MAX_MEDIUM, MAX_SHORT, MAX_SUMMARY, OtherRoute, Who,
};
use redress_domain::equality::{AgeBand, DisabilityAnswer, EthnicGroup};
use redress_domain::language::Language;
use redress_domain::organisation::Tenure;
use redress_domain::person::{Authority, ContactMethod, PreferredFormat, Relationship};
use serde_json::{Map, Value, json};

/// What one field may hold.
enum Shape {
    /// One of the domain's identifiers.
    Choice(Vec<&'static str>),
    /// Text of at most this many characters.
    Text(usize),
    /// Yes or no: `true`/`false`, or `"yes"`/`"no"`.
    YesNo,
    /// `YYYY-MM-DD`.
    Date,
    /// `HH:MM`, 24-hour.
    Time,
    Email,
    Phone,
}

struct Field {
    name: &'static str,
    shape: Shape,
    about: &'static str,
}

/// Fields a contact must have; every other may be left out, `null` or `""`.
const REQUIRED: [&str; 2] = ["kind", "summary"];

/// A telephone number as the domain accepts it: `+` only first, then 10 to 15 digits among
/// spaces, brackets and hyphens.
const PHONE_PATTERN: &str = r"^\+?[ ()\-]*(?:[0-9][ ()\-]*){10,15}$";

fn ids<T: Copy>(all: &[T], id: fn(T) -> &'static str) -> Shape {
    Shape::Choice(all.iter().copied().map(id).collect())
}

fn fields() -> Vec<Field> {
    use Shape::{Date, Email, Phone, Text, Time, YesNo};
    let f = |name, shape, about| Field { name, shape, about };
    vec![
        f(
            "kind",
            ids(ContactKind::ALL, ContactKind::as_str),
            "What kind of contact it is",
        ),
        f(
            "channel",
            ids(Channel::ALL, Channel::as_str),
            "How it was received; left out, it is `api`",
        ),
        f(
            "who",
            ids(Who::ALL, Who::as_str),
            "Who it is for; left out, `myself` when a name is given, otherwise `anonymous`",
        ),
        f(
            "name",
            Text(MAX_SHORT),
            "The resident's full name; required unless anonymous",
        ),
        f("email", Email, "The resident's email address"),
        f("phone", Phone, "The resident's telephone number"),
        f("address", Text(MAX_MEDIUM), "The resident's postal address"),
        f("postcode", Text(MAX_SHORT), "A UK postcode"),
        f(
            "rep_name",
            Text(MAX_SHORT),
            "A representative's full name; required when `who` is `someone-else`",
        ),
        f(
            "rep_relationship",
            ids(Relationship::ALL, Relationship::as_str),
            "Who the representative is",
        ),
        f("rep_email", Email, "The representative's email address"),
        f("rep_phone", Phone, "The representative's telephone number"),
        f(
            "rep_authority",
            ids(Authority::ALL, Authority::as_str),
            "What authority the representative has",
        ),
        f(
            "summary",
            Text(MAX_SUMMARY),
            "What happened, or what the resident wants to say",
        ),
        f(
            "outcome_wanted",
            Text(MAX_MEDIUM),
            "What the resident wants to happen",
        ),
        f("issue_date", Date, "When it happened: today or earlier"),
        f(
            "property_ref",
            Text(MAX_SHORT),
            "The property or tenancy reference",
        ),
        f(
            "tenure",
            ids(Tenure::ALL, Tenure::as_str),
            "The resident's tenure",
        ),
        f(
            "service_area",
            Text(MAX_SHORT),
            "A service area's id or name",
        ),
        f(
            "preferred_contact",
            ids(ContactMethod::ALL, ContactMethod::as_str),
            "How the resident wants to be contacted",
        ),
        f(
            "preferred_format",
            ids(PreferredFormat::ALL, PreferredFormat::as_str),
            "The format the resident wants letters in",
        ),
        f(
            "language",
            Text(MAX_SHORT),
            "The language the resident wants to use",
        ),
        f(
            "correspond_in",
            ids(Language::ALL, Language::as_str),
            "The language letters, emails and pages are written in for them (en or cy); empty: Welsh when language names it, else not said",
        ),
        f("interpreter", YesNo, "Whether an interpreter is needed"),
        f(
            "needs",
            Text(MAX_MEDIUM),
            "Needs the resident has told us about",
        ),
        f(
            "vulnerabilities",
            Text(MAX_MEDIUM),
            "Circumstances that make the resident vulnerable",
        ),
        f(
            "adjustments",
            Text(MAX_MEDIUM),
            "Reasonable adjustments agreed",
        ),
        f(
            "age_band",
            ids(AgeBand::ALL, AgeBand::as_str),
            "Equality monitoring: age band",
        ),
        f(
            "disability",
            ids(DisabilityAnswer::ALL, DisabilityAnswer::as_str),
            "Equality monitoring: disability",
        ),
        f(
            "ethnic_group",
            ids(EthnicGroup::ALL, EthnicGroup::as_str),
            "Equality monitoring: ethnic group",
        ),
        f(
            "safeguarding",
            YesNo,
            "Someone is at risk of harm: the safeguarding leads are told at once",
        ),
        f(
            "about_vulnerable_group",
            YesNo,
            "An anonymous report about a vulnerable group",
        ),
        f(
            "wants_reply",
            YesNo,
            "A comment or compliment whose author wants a reply",
        ),
        f(
            "staff_named",
            Text(MAX_SHORT),
            "A member of staff or team the contact names",
        ),
        f(
            "other_route",
            ids(OtherRoute::ALL, OtherRoute::as_str),
            "The statutory route, when `kind` is `other-route`",
        ),
        f(
            "received_date",
            Date,
            "When it arrived (UK date): today or earlier, within the organisation's limit (24 months unless changed); left out, now",
        ),
        f("received_time", Time, "When it arrived (UK time)"),
    ]
}

/// The JSON Schema of a contact, for the OpenAPI document.
pub(crate) fn contact_schema() -> Value {
    let properties: Map<String, Value> = fields()
        .into_iter()
        .map(|field| {
            let required = REQUIRED.contains(&field.name);
            let mut schema = match &field.shape {
                Shape::Choice(values) => {
                    let mut choices: Vec<Value> = values.iter().map(|v| json!(v)).collect();
                    if !required {
                        choices.extend([json!(""), Value::Null]);
                    }
                    json!({"enum": choices})
                }
                Shape::Text(max) => json!({"type": "string", "maxLength": max}),
                Shape::YesNo => json!({"enum": [true, false, "yes", "no", "", null]}),
                Shape::Date => json!({"type": "string", "pattern": r"^([0-9]{4}-[0-9]{2}-[0-9]{2})?$",
                    "description": "YYYY-MM-DD"}),
                Shape::Time => json!({"type": "string", "pattern": r"^([0-9]{2}:[0-9]{2})?$"}),
                Shape::Email => json!({"type": "string", "maxLength": 254,
                    "anyOf": [{"format": "email"}, {"maxLength": 0}]}),
                Shape::Phone => json!({"type": "string", "anyOf": [{"pattern": PHONE_PATTERN}, {"maxLength": 0}]}),
            };
            if required {
                if let Shape::Text(_) = field.shape {
                    schema["pattern"] = json!(r"\S");
                }
            } else if schema.get("type").is_some() {
                schema["type"] = json!(["string", "null"]);
            }
            schema["description"] = json!(field.about);
            (field.name.to_string(), schema)
        })
        .collect();
    json!({
        "type": "object",
        "additionalProperties": false,
        "required": REQUIRED,
        "properties": properties,
        "description": "The same fields as the staff form. The rules no schema can state are the domain's, answered 422 at the field: dates real and not in the future, an email address the mailer accepts, a name unless anonymous, a way to reply when writing for oneself, and a representative's name, relationship, authority and contact when acting for someone else."
    })
}

fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10
        && b.iter().enumerate().all(|(i, c)| {
            if i == 4 || i == 7 {
                *c == b'-'
            } else {
                c.is_ascii_digit()
            }
        })
}

fn is_time(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 5
        && b.iter().enumerate().all(|(i, c)| {
            if i == 2 {
                *c == b':'
            } else {
                c.is_ascii_digit()
            }
        })
}

/// One field's value as the domain takes it (text), or why it does not fit the table.
fn check(field: &Field, value: Value) -> Result<String, String> {
    let text = match (value, &field.shape) {
        (Value::Null, _) => return Ok(String::new()),
        (Value::Bool(b), Shape::YesNo) => return Ok(if b { "yes".into() } else { String::new() }),
        (Value::String(s), _) => s,
        (_, Shape::YesNo) => return Err("Must be true or false".into()),
        _ => return Err("Must be a string".into()),
    };
    if text.is_empty() {
        return Ok(text);
    }
    let too_long = |max: usize| {
        let n = text.chars().count();
        (n > max).then(|| format!("Must be {max} characters or fewer (this is {n})"))
    };
    let wrong = match &field.shape {
        Shape::Choice(values) => (!values.contains(&text.as_str()))
            .then(|| format!("Must be one of: {}", values.join(", "))),
        Shape::Text(max) => too_long(*max),
        Shape::YesNo => match text.as_str() {
            "yes" => None,
            "no" => return Ok(String::new()),
            _ => Some("Must be true or false".into()),
        },
        Shape::Date => (!is_date(&text)).then(|| "Must be a date as YYYY-MM-DD".into()),
        Shape::Time => (!is_time(&text)).then(|| "Must be a time as HH:MM".into()),
        // The domain's own checks, so a wrong address is named with the other fields.
        Shape::Email => redress_domain::field::parse_email(&text).err(),
        Shape::Phone => redress_domain::field::parse_phone(&text).err(),
    };
    match wrong {
        Some(m) => Err(m),
        None => Ok(text),
    }
}

/// The contact in a request body, checked against the table: every field that does not fit
/// and every field the API does not know is named.
pub(crate) fn contact_input(map: Map<String, Value>) -> Result<ContactInput, FieldErrors> {
    let table = fields();
    let mut errors = FieldErrors::new();
    let mut clean = Map::new();
    for (name, value) in map {
        let Some(field) = table.iter().find(|f| f.name == name) else {
            errors.add(name, "Unknown field");
            continue;
        };
        match check(field, value) {
            Ok(text) => {
                clean.insert(name, Value::String(text));
            }
            Err(m) => errors.add(name, m),
        }
    }
    for name in REQUIRED {
        if !clean.contains_key(name) && errors.get(name).is_none() {
            errors.add(name, "Required");
        }
    }
    errors.into_result()?;
    serde_json::from_value(Value::Object(clean)).map_err(|e| {
        let mut f = FieldErrors::new();
        f.add("body", e.to_string());
        f
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_names_every_field_a_contact_has_and_no_other() {
        let known = serde_json::to_value(ContactInput::default()).unwrap();
        let known: Vec<&String> = known.as_object().unwrap().keys().collect();
        let mut table: Vec<&str> = fields().iter().map(|f| f.name).collect();
        table.sort_unstable();
        assert_eq!(known, table);
    }

    #[test]
    fn values_outside_the_table_are_named_and_inside_it_pass_as_text() {
        let body = json!({"kind": " complaint", "stage": 1, "safeguarding": "maybe",
            "wants_reply": true, "received_date": "2026-1-5", "name": "x".repeat(201),
            "interpreter": "no", "summary": "Leak", "email": null});
        let Value::Object(map) = body else {
            unreachable!()
        };
        let errors = contact_input(map).unwrap_err();
        for field in ["kind", "stage", "safeguarding", "received_date", "name"] {
            assert!(errors.get(field).is_some(), "{field}");
        }
        assert!(errors.get("wants_reply").is_none() && errors.get("interpreter").is_none());
        let body = json!({"kind": "complaint", "summary": "Leak", "wants_reply": true,
            "interpreter": "no", "email": null, "received_time": "09:30"});
        let Value::Object(map) = body else {
            unreachable!()
        };
        let input = contact_input(map).unwrap();
        assert_eq!(
            (input.wants_reply.as_str(), input.interpreter.as_str()),
            ("yes", "")
        );
        assert_eq!(input.received_time, "09:30");
    }
}
