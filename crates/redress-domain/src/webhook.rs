//! Webhooks: what another system is told when something happens to a case, and which
//! addresses may be told.
//!
//! A message says what happened and to which case, never who the person is or what they
//! wrote: a receiver that needs more reads the case through the API, where its token's
//! permissions apply. So nothing personal sits in the delivery queue or a receiver's logs.

use crate::contact::Contact;
use crate::event::{Event, EventKind};
use crate::field::FieldErrors;

/// The type of a message telling of an event: `contact.` and the event's identifier
/// (`contact.acknowledged`, `contact.escalated`, …).
pub fn event_type(kind: EventKind) -> String {
    format!("contact.{}", kind.as_str())
}

/// The type of the message an administrator sends to check an endpoint.
pub const TEST_TYPE: &str = "webhook.test";

/// The message for one event of one case, in the shape the Standard Webhooks convention
/// uses (`type`, `timestamp`, `data`).
pub fn payload(contact: &Contact, event: &Event, seq: i64) -> serde_json::Value {
    serde_json::json!({
        "type": event_type(event.kind),
        "timestamp": event.at.to_string(),
        "data": {
            "reference": contact.reference.as_str(),
            "event": event.kind.as_str(),
            "event_label": event.kind.label(),
            "sequence": seq,
            "kind": contact.detail.kind.as_str(),
            "status": contact.status.as_str(),
            "stage": contact.stage(),
            // The case with its history, for a receiver that needs more.
            "links": { "contact": format!("/api/contacts/{}", contact.reference.as_str()) },
        },
    })
}

/// The message sent when an administrator checks an endpoint.
pub fn test_payload(at: jiff::Timestamp) -> serde_json::Value {
    serde_json::json!({
        "type": TEST_TYPE,
        "timestamp": at.to_string(),
        "data": { "message": "A test from Redress: this endpoint is reachable." },
    })
}

/// An address webhooks may be sent to, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EndpointUrl(String);

impl EndpointUrl {
    /// `https://` anywhere, or `http://` only to this machine (a receiver beside the
    /// service): messages and their signatures must not cross a network in the clear.
    pub fn parse(text: &str) -> Result<EndpointUrl, String> {
        let text = text.trim();
        if text.is_empty() {
            return Err("Enter the address to send to".into());
        }
        if text.len() > 500 || text.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err("Enter an address of up to 500 characters without spaces".into());
        }
        let (scheme, rest) = text
            .split_once("://")
            .ok_or("Enter an address starting https://")?;
        let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
        if authority.contains('@') {
            return Err("Enter an address without a user name or password in it".into());
        }
        let host = match authority.strip_prefix('[') {
            Some(v6) => v6.split(']').next().unwrap_or_default(),
            None => authority.split(':').next().unwrap_or_default(),
        };
        if host.is_empty() {
            return Err(
                "Enter an address with a host name, like https://hms.example.org/hooks".into(),
            );
        }
        match scheme.to_ascii_lowercase().as_str() {
            "https" => Ok(EndpointUrl(text.to_string())),
            "http" if matches!(host, "localhost" | "127.0.0.1" | "::1") => {
                Ok(EndpointUrl(text.to_string()))
            }
            "http" => {
                Err("Enter an https:// address: plain http is allowed only to this machine".into())
            }
            _ => Err("Enter an address starting https://".into()),
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A new endpoint as an administrator asked for it, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewEndpoint {
    pub url: EndpointUrl,
    pub description: String,
    pub events: Vec<EventKind>,
}

impl NewEndpoint {
    /// From the form: the address, what it is for, and the event identifiers ticked.
    pub fn parse(
        url: &str,
        description: &str,
        events: &[String],
    ) -> Result<NewEndpoint, FieldErrors> {
        let mut errors = FieldErrors::new();
        let url = errors.take("url", EndpointUrl::parse(url));
        let description = description.trim().to_string();
        if description.chars().any(char::is_control) {
            errors.add(
                "description",
                "Enter what the endpoint is for without control characters",
            );
        } else if description.is_empty() {
            errors.add(
                "description",
                "Enter what the endpoint is for, like \"Housing system\"",
            );
        } else if description.chars().count() > 200 {
            errors.add(
                "description",
                "Enter what the endpoint is for in up to 200 characters",
            );
        }
        let mut kinds = Vec::new();
        for e in events {
            match EventKind::parse(e) {
                Ok(k) if !kinds.contains(&k) => kinds.push(k),
                Ok(_) => {}
                Err(_) => errors.add("events", "Select events from the list"),
            }
        }
        if kinds.is_empty() && events.is_empty() {
            errors.add("events", "Select at least one event to send");
        }
        match (url, errors.is_empty()) {
            (Some(url), true) => Ok(NewEndpoint {
                url,
                description,
                events: kinds,
            }),
            _ => Err(errors),
        }
    }

    /// The events between commas, as the store matches them.
    pub fn events_column(&self) -> String {
        let mut s = String::from(",");
        for k in &self.events {
            s.push_str(k.as_str());
            s.push(',');
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_must_be_https_unless_on_this_machine() {
        assert!(EndpointUrl::parse("https://hms.example.org/hooks").is_ok());
        assert!(EndpointUrl::parse("http://127.0.0.1:9000/in").is_ok());
        assert!(EndpointUrl::parse("http://[::1]:9000/in").is_ok());
        assert!(EndpointUrl::parse("http://localhost/in").is_ok());
        assert!(EndpointUrl::parse("http://hms.example.org/hooks").is_err());
        assert!(EndpointUrl::parse("http://127.0.0.1.evil.example/").is_err());
        assert!(EndpointUrl::parse("ftp://hms.example.org/").is_err());
        assert!(EndpointUrl::parse("https://user:pw@hms.example.org/").is_err());
        assert!(EndpointUrl::parse("https:///path").is_err());
        assert!(EndpointUrl::parse("hms.example.org").is_err());
        assert!(EndpointUrl::parse("https://a b/").is_err());
    }

    #[test]
    fn an_endpoint_needs_an_address_a_purpose_and_events() {
        let fields = |r: Result<NewEndpoint, FieldErrors>| -> Vec<String> {
            r.err()
                .map(|e| e.iter().map(|(f, _)| f.to_string()).collect())
                .unwrap_or_default()
        };
        assert_eq!(
            fields(NewEndpoint::parse("", " ", &[])),
            ["url", "description", "events"]
        );
        let bad = NewEndpoint::parse("https://x.example/", "HMS", &["made-up".into()]);
        assert_eq!(fields(bad), ["events"]);
        let ok = NewEndpoint::parse(
            "https://x.example/",
            "HMS",
            &["closed".into(), "acknowledged".into(), "closed".into()],
        );
        assert_eq!(
            ok.map(|e| e.events_column()),
            Ok(",closed,acknowledged,".to_string())
        );
    }
}
