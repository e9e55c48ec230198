//! An email as Redress reads it: who sent it, what they wrote as plain text (never the
//! HTML's scripts), its files, which case it answers, and whether a machine sent it.

use mail_parser::{MessageParser, MimeHeaders};
use redress_domain::contact::Reference;
use sha2::{Digest, Sha256};

/// Mail no person wrote, which is never made a case and never answered: answering an
/// auto-reply or a bounce is how two systems end up mailing each other forever.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Automatic {
    AutoReply,
    Bounce,
    MailingList,
    /// Redress's own address: a letter that came back round.
    FromRedress,
}

impl Automatic {
    pub fn label(self) -> &'static str {
        match self {
            Automatic::AutoReply => "an automatic reply",
            Automatic::Bounce => "a delivery failure notice",
            Automatic::MailingList => "mailing-list or bulk mail",
            Automatic::FromRedress => "mail from Redress's own address",
        }
    }
}

/// A file the message carried.
#[derive(Debug, Clone)]
pub struct Attached {
    pub name: String,
    pub bytes: Vec<u8>,
}

#[derive(Debug, Clone)]
pub struct Email {
    /// A hash of the Message-ID (or of the whole message when it has none): the same
    /// message fetched twice has the same key.
    pub key: String,
    pub from_address: Option<String>,
    pub from_name: Option<String>,
    pub subject: String,
    pub text: String,
    pub attachments: Vec<Attached>,
    /// Message-IDs this one answers, from In-Reply-To and References.
    pub answers: Vec<String>,
    pub automatic: Option<Automatic>,
    /// The sender said it is in Welsh.
    pub welsh: bool,
    /// For a bounce: the letter Redress sent that could not be delivered (by the Message-ID
    /// in the returned headers), and the delivery status given, such as "5.1.1".
    pub bounced: Option<(String, Option<String>)>,
    /// A mail server on the way recorded that the sender's address failed its checks
    /// (DMARC, or SPF without a DKIM signature that passed): the From line may be forged.
    pub unverified: bool,
}

/// Reads a message; `None` when the bytes are not a message at all.
pub fn read(raw: &[u8], own_address: Option<&str>) -> Option<Email> {
    let m = MessageParser::default().parse(raw)?;
    let from = m.from().and_then(|a| a.first());
    let from_address = from
        .and_then(|a| a.address())
        .map(|a| a.trim().to_lowercase())
        .filter(|a| a.contains('@'));
    let from_name = from
        .and_then(|a| a.name())
        .map(|n| n.trim().to_string())
        .filter(|n| !n.is_empty());
    let key = key_of(m.message_id(), from_address.as_deref(), raw);
    // Only failures are believed: anyone can add a header saying "pass", but a forger
    // cannot take out the failure their own server's mail server wrote.
    let unverified = m
        .headers_raw()
        .filter(|(name, _)| name.eq_ignore_ascii_case("Authentication-Results"))
        .map(|(_, value)| value.to_lowercase())
        .any(|r| r.contains("dmarc=fail") || (r.contains("spf=fail") && !r.contains("dkim=pass")));
    let mut answers = Vec::new();
    for h in [m.in_reply_to(), m.references()] {
        if let Some(id) = h.as_text() {
            answers.push(id.to_string());
        }
        if let Some(ids) = h.as_text_list() {
            answers.extend(ids.iter().map(|s| s.to_string()));
        }
    }
    let header = |name: &str| m.header_raw(name).map(|v| v.trim().to_lowercase());
    let content_type = m
        .content_type()
        .map(|c| {
            format!(
                "{}/{}",
                c.ctype().to_lowercase(),
                c.subtype().unwrap_or("").to_lowercase()
            )
        })
        .unwrap_or_default();
    let report_type = m
        .content_type()
        .and_then(|c| c.attribute("report-type"))
        .map(str::to_lowercase);
    let sender_local = from_address
        .as_deref()
        .and_then(|a| a.split('@').next())
        .unwrap_or("");
    let automatic = if content_type == "multipart/report"
        && report_type.as_deref() == Some("delivery-status")
        || matches!(sender_local, "mailer-daemon" | "postmaster")
    {
        Some(Automatic::Bounce)
    } else if header("auto-submitted").is_some_and(|v| v != "no")
        // A subject alone is not enough: a resident may write "Out of office hours repair".
        || (auto_reply_subject(m.subject().unwrap_or("")) && !answers.is_empty())
        || header("x-autoreply").is_some()
        || header("x-autorespond").is_some()
        || header("precedence").is_some_and(|v| v == "auto_reply")
    {
        Some(Automatic::AutoReply)
    } else if header("list-id").is_some()
        || header("list-unsubscribe").is_some()
        || header("precedence").is_some_and(|v| matches!(v.as_str(), "bulk" | "list" | "junk"))
    {
        Some(Automatic::MailingList)
    } else if own_address
        .is_some_and(|own| from_address.as_deref() == Some(own.trim().to_lowercase().as_str()))
    {
        Some(Automatic::FromRedress)
    } else {
        None
    };
    let text = match m.text_bodies().next() {
        Some(part) if part.is_text_html() => html_text(part.text_contents().unwrap_or("")),
        Some(part) => part.text_contents().unwrap_or("").to_string(),
        None => String::new(),
    };
    let attachments = m
        .attachments()
        .filter(|p| !p.is_message())
        .enumerate()
        .map(|(i, p)| Attached {
            name: p
                .attachment_name()
                .map(str::to_string)
                .unwrap_or_else(|| format!("attachment-{}", i + 1)),
            bytes: p.contents().to_vec(),
        })
        .collect();
    let welsh = m
        .content_language()
        .as_text()
        .is_some_and(|l| l.trim().to_lowercase().starts_with("cy"));
    Some(Email {
        key,
        from_address,
        from_name,
        subject: m.subject().unwrap_or("").trim().to_string(),
        text: without_quoted_reply(&text),
        attachments,
        answers,
        bounced: (automatic == Some(Automatic::Bounce))
            .then(|| bounced_letter(raw))
            .flatten(),
        automatic,
        welsh,
        unverified,
    })
}

/// Out-of-office replies from programs that set no header say so in the subject.
fn auto_reply_subject(subject: &str) -> bool {
    let s = subject.trim().to_lowercase();
    [
        "automatic reply",
        "auto-reply",
        "autoreply",
        "auto reply",
        "out of office",
        "out of the office",
        "auto:",
    ]
    .iter()
    .any(|p| s.starts_with(p))
}

/// The Message-ID with the sender (two senders' programs may make the same one), or the
/// whole message when it has none.
fn key_of(message_id: Option<&str>, from: Option<&str>, raw: &[u8]) -> String {
    let mut hash = Sha256::new();
    match message_id.map(str::trim).filter(|m| !m.is_empty()) {
        Some(id) => {
            hash.update(id.as_bytes());
            hash.update(b"\n");
            hash.update(from.unwrap_or("").as_bytes());
        }
        None => hash.update(raw),
    }
    hash.finalize()
        .iter()
        .take(20)
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// HTML as plain text, with what is inside `<script>` and `<style>` left out: the
/// converter keeps their text, and staff must never read a sender's code as their words.
pub fn html_text(html: &str) -> String {
    let mut kept = String::with_capacity(html.len());
    let lower = html.to_ascii_lowercase();
    let mut at = 0;
    while at < html.len() {
        let next = ["<script", "<style"]
            .iter()
            .filter_map(|tag| lower[at..].find(tag).map(|i| (at + i, *tag)))
            .min_by_key(|(i, _)| *i);
        let Some((start, tag)) = next else {
            kept.push_str(&html[at..]);
            break;
        };
        kept.push_str(&html[at..start]);
        let close = format!("</{}", &tag[1..]);
        at = match lower[start..].find(&close) {
            Some(i) => {
                let end = start + i;
                lower[end..].find('>').map_or(html.len(), |j| end + j + 1)
            }
            None => html.len(),
        };
    }
    mail_parser::decoders::html::html_to_text(&kept)
}

/// The new words of a reply: the quoted earlier message below "On … wrote:" and the `>`
/// lines are already on the case.
fn without_quoted_reply(text: &str) -> String {
    let mut out = Vec::new();
    let lines: Vec<&str> = text.lines().collect();
    for (i, line) in lines.iter().enumerate() {
        let t = line.trim();
        let next_quoted = lines
            .get(i + 1)
            .is_some_and(|n| n.trim_start().starts_with('>'));
        if (t.starts_with("On ") && t.ends_with("wrote:") && (next_quoted || i + 1 == lines.len()))
            || t == "-----Original Message-----"
        {
            break;
        }
        if t.starts_with('>') {
            continue;
        }
        out.push(line.trim_end());
    }
    out.join("\n").trim().to_string()
}

/// The letter a delivery failure report returns, from the returned message's headers, with
/// the status the report gives.
fn bounced_letter(raw: &[u8]) -> Option<(String, Option<String>)> {
    let text = String::from_utf8_lossy(raw);
    let mut letter = None;
    let mut status = None;
    for line in text.lines() {
        let lower = line.trim().to_ascii_lowercase();
        if let Some(id) = lower.strip_prefix("message-id:") {
            letter = letter.or_else(|| answered_letter(&[id.trim().to_string()]));
        } else if let Some(s) = lower.strip_prefix("status:") {
            status = status.or_else(|| Some(s.trim().to_string()));
        }
    }
    letter.map(|l| (l, status))
}

/// The case a message is about: a reference in its subject.
pub fn subject_reference(subject: &str) -> Option<Reference> {
    subject
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
        .find_map(|word| Reference::parse(&word.to_ascii_uppercase()))
}

/// The letter a message answers, by the Message-ID Redress gave it: `<letter-ID@…>`.
pub fn answered_letter(answers: &[String]) -> Option<String> {
    answers.iter().find_map(|id| {
        let id = id.trim().trim_start_matches('<');
        let rest = id.strip_prefix("letter-")?;
        let letter = rest.split('@').next()?;
        (!letter.is_empty() && letter.chars().all(|c| c.is_ascii_hexdigit() || c == '-'))
            .then(|| letter.to_string())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(name: &str) -> Email {
        let path = format!("{}/tests/mail/{name}", env!("CARGO_MANIFEST_DIR"));
        let raw = std::fs::read(&path).unwrap_or_default();
        match read(&raw, Some("complaints@demo.redress.test")) {
            Some(e) => e,
            None => unreachable!("{name} did not parse"),
        }
    }

    #[test]
    fn a_plain_complaint_keeps_its_words_and_sender() {
        let e = fixture("plain.eml");
        assert!(e.automatic.is_none());
        assert!(e.from_address.as_deref().is_some_and(|a| a.contains('@')));
        assert!(
            e.text.contains('’') && e.text.contains("£180"),
            "{}",
            e.text
        );
        assert_eq!(e.key.len(), 40);
    }

    #[test]
    fn html_only_mail_becomes_text_without_its_scripts() {
        let e = fixture("html_only.eml");
        assert!(!e.text.contains("SCRIPT_MUST_NOT_APPEAR"), "{}", e.text);
        assert!(!e.text.contains('<'), "{}", e.text);
        assert!(e.text.contains('£') && e.text.contains('—'), "{}", e.text);
    }

    #[test]
    fn attachments_come_with_their_names_and_bytes() {
        let e = fixture("attachments.eml");
        let names: Vec<&str> = e.attachments.iter().map(|a| a.name.as_str()).collect();
        assert_eq!(names, ["inspection-report.pdf", "leak-photo.png"]);
        assert!(e.attachments[0].bytes.starts_with(b"%PDF"));
        assert_eq!(e.attachments[0].bytes.len(), 596);
        assert_eq!(
            subject_reference(&e.subject)
                .map(|r| r.to_string())
                .as_deref(),
            Some("CMP-2026-000042")
        );
    }

    #[test]
    fn other_charsets_are_read_as_written() {
        let e = fixture("latin1.eml");
        assert!(e.subject.contains("café") && e.subject.contains('£'));
        assert_eq!(e.from_name.as_deref(), Some("Renée Lefèvre"));
        assert!(e.text.contains('£') && e.text.contains('é'), "{}", e.text);
        let e = fixture("windows1252.eml");
        for c in ['’', '€', '£'] {
            assert!(e.text.contains(c), "{c} missing: {}", e.text);
        }
        let e = fixture("welsh.eml");
        assert!(e.welsh);
        assert_eq!(e.from_name.as_deref(), Some("Siân ap Dafydd"));
        assert!(e.text.contains('ŵ') || e.text.contains('ŷ'), "{}", e.text);
    }

    #[test]
    fn replies_name_what_they_answer_and_lose_the_quoted_letter() {
        let e = fixture("reply.eml");
        assert!(e.automatic.is_none());
        assert_eq!(answered_letter(&e.answers).as_deref(), Some("0192abcd"));
        assert_eq!(
            subject_reference(&e.subject)
                .map(|r| r.to_string())
                .as_deref(),
            Some("CMP-2026-000042")
        );
        assert!(
            !e.text.contains("wrote:") && !e.text.contains("\n>"),
            "{}",
            e.text
        );
        let e = fixture("reply_reference_only.eml");
        assert!(e.answers.is_empty());
        assert_eq!(
            subject_reference(&e.subject)
                .map(|r| r.to_string())
                .as_deref(),
            Some("SRQ-2026-000007")
        );
    }

    #[test]
    fn machines_are_recognised_and_never_answered() {
        assert_eq!(
            fixture("auto_reply.eml").automatic,
            Some(Automatic::AutoReply)
        );
        let bounce = fixture("bounce.eml");
        assert_eq!(bounce.automatic, Some(Automatic::Bounce));
        assert_eq!(
            bounce.bounced,
            Some(("0192abce".to_string(), Some("5.1.1".to_string())))
        );
        assert_eq!(fixture("list.eml").automatic, Some(Automatic::MailingList));
        let away = b"From: a@x.test\r\nSubject: Out of Office: back Monday\r\nIn-Reply-To: <letter-1@x>\r\n\r\nI am away\r\n";
        assert_eq!(
            read(away, None).and_then(|e| e.automatic),
            Some(Automatic::AutoReply)
        );
        // Without answering anything, the subject alone is a resident's words.
        let resident = b"From: a@x.test\r\nSubject: Out of office hours repair never came\r\n\r\nNobody came\r\n";
        assert_eq!(read(resident, None).and_then(|e| e.automatic), None);
        let own = b"From: complaints@demo.redress.test\r\nTo: complaints@demo.redress.test\r\nSubject: x\r\n\r\nHello\r\n";
        assert_eq!(
            read(own, Some("Complaints@Demo.Redress.Test")).and_then(|e| e.automatic),
            Some(Automatic::FromRedress)
        );
    }

    #[test]
    fn a_sender_that_failed_its_checks_is_marked() {
        let forged = b"Authentication-Results: mx.council.test; spf=fail smtp.mailfrom=x.test; dkim=none; dmarc=fail header.from=x.test\r\nFrom: a@x.test\r\nSubject: CMP-2026-000001\r\n\r\nHi\r\n";
        assert!(read(forged, None).is_some_and(|e| e.unverified));
        let signed = b"Authentication-Results: mx.council.test; spf=fail; dkim=pass header.d=x.test\r\nFrom: a@x.test\r\n\r\nHi\r\n";
        assert!(read(signed, None).is_some_and(|e| !e.unverified));
        let plain = b"From: a@x.test\r\n\r\nHi\r\n";
        assert!(read(plain, None).is_some_and(|e| !e.unverified));
    }

    #[test]
    fn the_same_message_id_is_the_same_key() {
        let a = b"Message-ID: <a@x>\r\nFrom: a@x.test\r\n\r\none\r\n";
        let b = b"Message-ID: <a@x>\r\nFrom: a@x.test\r\nX-Copy: 2\r\n\r\none\r\n";
        let c = b"From: a@x.test\r\n\r\none\r\n";
        let d = b"Message-ID: <a@x>\r\nFrom: someone@else.test\r\n\r\none\r\n";
        let key = |raw: &[u8]| read(raw, None).map(|e| e.key).unwrap_or_default();
        assert_eq!(key(a), key(b));
        assert_ne!(key(a), key(c));
        assert_ne!(
            key(a),
            key(d),
            "another sender's Message-ID is another message"
        );
    }
}
