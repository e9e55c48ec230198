//! Email in: messages become contacts with a receipt, replies join their case as new
//! correspondence on My work, machines are never answered, and a second email on the same
//! subject is shown as a possible repeat. Then the same through a real IMAP server
//! (Dovecot), read by two instances at once, and signed in to with OAuth.

use super::dovecot::{self, fixture};
use super::hidden;
use axum::http::StatusCode;
use redress_app::App;
use redress_app::inbox::Taken;
use redress_app::inbox::imap::Mailbox;
use redress_app::inbox::oauth::OAuthSettings;
use redress_domain::contact::{Channel, ContactKind};
use redress_domain::letter::LetterKind;
use redress_store::ContactFilter;
use redress_testkit::web::{TestApp, on_each_backend};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const OURS: &str = "complaints@test.org";

fn with_mail(t: TestApp) -> TestApp {
    let app = t
        .app
        .clone()
        .with_mail_from(&format!("Complaints <{OURS}>"));
    t.with_app(app)
}

async fn take(app: &App, raw: &[u8]) -> Taken {
    app.take_email(raw).await.unwrap()
}

async fn all_contacts(t: &TestApp) -> Vec<redress_store::ContactSummary> {
    t.app
        .list_cases_for(
            &redress_app::access::Principal::System,
            &ContactFilter {
                per_page: 100,
                ..ContactFilter::default()
            },
        )
        .await
        .unwrap()
        .items
}

#[tokio::test]
async fn an_email_becomes_a_contact_with_a_receipt_and_replies_join_it() {
    on_each_backend(|t| async move {
        let t = with_mail(t);
        let Taken::New(contact) = take(&t.app, &fixture("plain.eml")).await else {
            panic!("the complaint was not taken as new");
        };
        assert_eq!(contact.detail.channel, Channel::Email);
        let person = contact.detail.person.clone().unwrap();
        assert_eq!(person.email.as_deref(), Some("margaret.okafor@example.org"));
        assert_eq!(person.name.as_str(), "Margaret Okafor");
        assert!(contact.detail.summary.as_str().contains("£180"));
        // Read as a complaint, recorded as a request for a person to raise.
        assert_eq!(contact.detail.kind, ContactKind::ServiceRequest);
        let letters = t.store.letters(&t.app.organisation.id, &contact.id).await.unwrap();
        assert_eq!(letters.len(), 1, "{letters:?}");
        assert_eq!(letters[0].kind, LetterKind::EmailReceipt);
        assert_eq!(letters[0].recipient, "margaret.okafor@example.org");
        assert!(letters[0].body.contains(contact.reference.as_str()));

        // The same message again (fetched twice, or by another instance) is taken once.
        assert!(matches!(take(&t.app, &fixture("plain.eml")).await, Taken::Again(_)));
        assert_eq!(all_contacts(&t).await.len(), 1);
        assert_eq!(t.store.letters(&t.app.organisation.id, &contact.id).await.unwrap().len(), 1);

        // Triage: "This may be a complaint", raised in one step keeping its receipt time.
        let officer = t.sign_in("officer@test.org").await;
        let reference = contact.reference.to_string();
        let page = t.get(&format!("/staff/cases/{reference}"), Some(&officer)).await;
        assert!(page.body.contains("This may be a complaint"), "{}", page.body);
        assert!(page.body.contains(&format!("/staff/cases/{reference}/act/reclassify?to=complaint")), "{}", page.body);
        assert!(page.body.contains("Possible hazard: Damp and mould"), "{}", page.body);

        // A reply to the receipt, answering its Message-ID, joins the case.
        let reply = format!(
            "From: Margaret Okafor <margaret.okafor@example.org>\r\nTo: {OURS}\r\nSubject: Re: We have received your email\r\n\
             Message-ID: <reply-1@example.org>\r\nIn-Reply-To: <letter-{}@test.org>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n\
             The mould has now spread to the hall.\r\n\r\nOn Mon, 12 Jan 2026 Complaints wrote:\r\n> Thank you for your email\r\n",
            letters[0].id
        );
        let Taken::Threaded(threaded) = take(&t.app, reply.as_bytes()).await else {
            panic!("the reply was not added to its case");
        };
        assert_eq!(threaded.reference, contact.reference);
        assert_eq!(threaded.case.emails.len(), 1);
        assert_eq!(threaded.case.emails[0].text, "The mould has now spread to the hall.");
        assert_eq!(all_contacts(&t).await.len(), 1, "a reply creates nothing new");
        assert!(matches!(take(&t.app, reply.as_bytes()).await, Taken::Again(_)));

        // New correspondence on My work until someone working the case reads it.
        let work = t.get("/staff", Some(&officer)).await;
        assert!(work.body.contains("New correspondence"), "{}", work.body);
        assert!(work.body.contains(&format!("/staff/cases/{reference}#emails")));
        let page = t.get(&format!("/staff/cases/{reference}"), Some(&officer)).await;
        assert!(page.body.contains("The mould has now spread to the hall."));
        assert!(!page.body.contains("Thank you for your email"), "the quoted letter is left out");
        let csrf = hidden(&page.body, "csrf");
        let read = t
            .post_form(&format!("/staff/cases/{reference}/act/emails-read"), format!("csrf={csrf}"), Some(&officer))
            .await;
        assert_eq!(read.status, StatusCode::SEE_OTHER, "{}", read.body);
        let work = t.get("/staff", Some(&officer)).await;
        assert!(!work.body.contains("New correspondence"), "{}", work.body);
        let events = t.app.case_for(&redress_app::access::Principal::System, &reference).await.unwrap().events;
        assert!(events.iter().any(|e| e.summary.starts_with("Email from margaret.okafor@example.org")));
        assert!(events.iter().any(|e| e.summary == "1 new email read"));
    })
    .await;
}

#[tokio::test]
async fn a_reference_in_the_subject_threads_only_from_the_cases_own_address() {
    on_each_backend(|t| async move {
        let t = with_mail(t);
        let Taken::New(first) = take(&t.app, &fixture("plain.eml")).await else { panic!() };
        let reference = first.reference.to_string();
        let message = |from: &str, id: &str| {
            format!("From: {from}\r\nSubject: About {reference} again\r\nMessage-ID: <{id}@x.test>\r\n\r\nStill nobody has come about the leak.\r\n")
        };
        let own = take(&t.app, message("margaret.okafor@example.org", "a").as_bytes()).await;
        assert!(matches!(own, Taken::Threaded(_)), "{}", own.describe());
        // Anyone can type a reference: from another address it is a new contact.
        let stranger = take(&t.app, message("someone@else.test", "b").as_bytes()).await;
        let Taken::New(other) = stranger else { panic!("{}", stranger.describe()) };
        assert_ne!(other.reference, first.reference);
        assert!(other.case.emails.is_empty());
        // The case's own address, but the mail server found it forged: not threaded, and
        // no receipt written to whoever the forger named.
        let raw = format!(
            "Authentication-Results: mx.test.org; spf=fail smtp.mailfrom=example.org; dmarc=fail header.from=example.org\r\n{}",
            message("margaret.okafor@example.org", "c")
        );
        let taken = take(&t.app, raw.as_bytes()).await;
        let Taken::New(forged) = taken else { panic!("{}", taken.describe()) };
        assert!(t.store.letters(&t.app.organisation.id, &forged.id).await.unwrap().is_empty());
        assert!(forged.case.notes.iter().any(|n| n.text.starts_with("No receipt was sent") && n.text.contains("DMARC")), "{:?}", forged.case.notes);
        // Taken again, it stays without a receipt.
        assert!(matches!(take(&t.app, raw.as_bytes()).await, Taken::Again(_)));
        assert!(t.store.letters(&t.app.organisation.id, &forged.id).await.unwrap().is_empty());
    })
    .await;
}

#[tokio::test]
async fn machines_are_never_answered_and_files_are_kept() {
    on_each_backend(|t| async move {
        let t = with_mail(t);
        for name in ["auto_reply.eml", "bounce.eml", "list.eml"] {
            assert!(matches!(take(&t.app, &fixture(name)).await, Taken::Ignored(_)), "{name}");
        }
        let own = format!("From: Complaints <{OURS}>\r\nSubject: Your complaint\r\n\r\nA letter that came back round\r\n");
        assert!(matches!(take(&t.app, own.as_bytes()).await, Taken::Ignored(_)));
        assert!(all_contacts(&t).await.is_empty(), "no case for a machine");
        assert!(t.store.letters_with_status(&t.app.organisation.id, "pending").await.unwrap().is_empty());

        // A bounce of a letter Redress sent marks that letter failed, for someone to check.
        let Taken::New(c) = take(&t.app, &fixture("plain.eml")).await else { panic!() };
        let receipt = t.store.letters(&t.app.organisation.id, &c.id).await.unwrap().remove(0);
        t.store.mark_letter(&receipt.id, "sent", t.app.now(), None, None).await.unwrap();
        let dsn = format!(
            "From: MAILER-DAEMON@mx.test.org\r\nSubject: Undelivered Mail Returned to Sender\r\nMIME-Version: 1.0\r\n\
             Content-Type: multipart/report; report-type=delivery-status; boundary=B\r\n\r\n--B\r\nContent-Type: text/plain\r\n\r\nIt could not be delivered.\r\n\
             --B\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.test.org\r\n\r\nFinal-Recipient: rfc822; {to}\r\nAction: failed\r\nStatus: 5.1.1\r\n\r\n\
             --B\r\nContent-Type: text/rfc822-headers\r\n\r\nFrom: {OURS}\r\nTo: {to}\r\nMessage-ID: <letter-{id}@test.org>\r\n\r\n--B--\r\n",
            to = receipt.recipient,
            id = receipt.id
        );
        assert!(matches!(take(&t.app, dsn.as_bytes()).await, Taken::Ignored(_)));
        let bounced = t.store.letter(&t.app.organisation.id, &receipt.id).await.unwrap().unwrap();
        assert_eq!(bounced.status, "failed");
        assert!(bounced.last_error.unwrap_or_default().contains("came back undelivered (status 5.1.1)"));

        // Files come with the message, under the same rules as any other.
        let Taken::New(c) = take(&t.app, &fixture("attachments.eml")).await else { panic!() };
        let names: Vec<&str> = c.case.attachments.iter().map(|a| a.name.as_str()).collect();
        assert_eq!(names, ["inspection-report.pdf", "leak-photo.png"]);
        // HTML only, and other charsets, are read as plain text.
        let Taken::New(c) = take(&t.app, &fixture("html_only.eml")).await else { panic!() };
        assert!(!c.detail.summary.as_str().contains("SCRIPT_MUST_NOT_APPEAR"));
        assert!(!c.detail.summary.as_str().contains('<'));
        let Taken::New(c) = take(&t.app, &fixture("windows1252.eml")).await else { panic!() };
        assert!(c.detail.summary.as_str().contains('€'));
        let Taken::New(c) = take(&t.app, &fixture("welsh.eml")).await else { panic!() };
        assert_eq!(c.language(), Some(redress_domain::language::Language::Welsh));
        // Written in Welsh, answered in Welsh.
        let letters = t.store.letters(&t.app.organisation.id, &c.id).await.unwrap();
        assert!(letters.iter().any(|l| l.subject.starts_with("Rydym wedi cael eich e-bost")), "{letters:?}");
        // A file Redress does not take is noted on the case, not silently dropped.
        let exe = "From: a@b.test\r\nSubject: Photo\r\nMessage-ID: <exe@b.test>\r\nMIME-Version: 1.0\r\n\
                   Content-Type: multipart/mixed; boundary=XX\r\n\r\n--XX\r\nContent-Type: text/plain\r\n\r\nSee attached, the boiler is broken\r\n\
                   --XX\r\nContent-Type: application/octet-stream\r\nContent-Disposition: attachment; filename=\"run.exe\"\r\n\
                   Content-Transfer-Encoding: base64\r\n\r\nTVqQAAMAAAAEAAAA\r\n--XX--\r\n";
        let Taken::New(c) = take(&t.app, exe.as_bytes()).await else { panic!() };
        let c = t.app.case_for(&redress_app::access::Principal::System, c.reference.as_str()).await.unwrap().contact;
        assert!(c.case.attachments.is_empty());
        assert!(c.case.notes.iter().any(|n| n.text.contains("run.exe") && n.text.contains("was not kept")), "{:?}", c.case.notes);
    })
    .await;
}

#[tokio::test]
async fn a_second_email_on_the_same_subject_is_shown_as_a_possible_repeat() {
    on_each_backend(|t| async move {
        let t = with_mail(t);
        let Taken::New(first) = take(&t.app, &fixture("plain.eml")).await else { panic!() };
        let again = "From: Margaret Okafor <margaret.okafor@example.org>\r\nSubject: Still the black mould\r\n\
                     Message-ID: <again@example.org>\r\n\r\nThe black mould in the bedroom is back and the damp is worse.\r\n";
        let Taken::New(second) = take(&t.app, again.as_bytes()).await else { panic!() };
        let unrelated = "From: Margaret Okafor <margaret.okafor@example.org>\r\nSubject: Parking permit\r\n\
                         Message-ID: <parking@example.org>\r\n\r\nCan I have a visitor parking permit for the car park?\r\n";
        let Taken::New(third) = take(&t.app, unrelated.as_bytes()).await else { panic!() };
        // Two receipts to one sender in an hour, then their emails are recorded quietly:
        // a program answering every email would otherwise trade receipts for ever.
        let receipts = |c: &redress_domain::contact::Contact| {
            let (store, org, id) = (t.store.clone(), t.app.organisation.id.clone(), c.id.clone());
            async move { store.letters(&org, &id).await.unwrap().len() }
        };
        assert_eq!((receipts(&first).await, receipts(&second).await, receipts(&third).await), (1, 1, 0));

        let officer = t.sign_in("officer@test.org").await;
        let page = t.get(&format!("/staff/cases/{}", second.reference), Some(&officer)).await;
        assert!(page.body.contains("This may repeat an earlier case"), "{}", page.body);
        assert!(page.body.contains(&format!("/staff/cases/{}\"", first.reference)));
        assert!(page.body.contains("Same email address"));
        assert!(page.body.contains("Both mention"), "{}", page.body);
        assert!(page.body.contains("mould"));
        let link = format!("/staff/cases/{}/act/link?relation=duplicate-of&#38;reference={}", second.reference, first.reference);
        assert!(page.body.contains(&link), "{}", page.body);
        // A different subject from the same person is not a repeat.
        let page = t.get(&format!("/staff/cases/{}", third.reference), Some(&officer)).await;
        assert!(!page.body.contains("This may repeat an earlier case"), "{}", page.body);

        // Treated as new, with a reason: the decision is kept and the question goes.
        let form = t.get(&format!("/staff/cases/{}/act/not-a-repeat", second.reference), Some(&officer)).await;
        let csrf = hidden(&form.body, "csrf");
        let empty = t
            .post_form(&format!("/staff/cases/{}/act/not-a-repeat", second.reference), format!("csrf={csrf}&reason="), Some(&officer))
            .await;
        assert_eq!(empty.status, StatusCode::OK);
        assert!(empty.body.contains("Enter why it is a new matter"), "{}", empty.body);
        let done = t
            .post_form(
                &format!("/staff/cases/{}/act/not-a-repeat", second.reference),
                format!("csrf={csrf}&reason=A+different+room+and+a+new+leak"),
                Some(&officer),
            )
            .await;
        assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
        let page = t.get(&format!("/staff/cases/{}", second.reference), Some(&officer)).await;
        assert!(!page.body.contains("This may repeat an earlier case"));
        assert!(page.body.contains("Not a repeat of an earlier case: A different room and a new leak"), "{}", page.body);
    })
    .await;
}

/// The OAuth side for the mailbox test: a token endpoint that swaps the refresh token for
/// an access token, and the introspection endpoint Dovecot asks about it.
async fn oauth_server() -> (String, tokio::task::JoinHandle<()>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let task = tokio::spawn(async move {
        loop {
            let Ok((mut stream, _)) = listener.accept().await else {
                return;
            };
            tokio::spawn(async move {
                let mut buf = Vec::new();
                let mut chunk = [0u8; 4096];
                let (head, body) = loop {
                    let n = stream.read(&mut chunk).await.unwrap_or(0);
                    if n == 0 {
                        return;
                    }
                    buf.extend_from_slice(&chunk[..n]);
                    let text = String::from_utf8_lossy(&buf).to_string();
                    if let Some((head, body)) = text.split_once("\r\n\r\n") {
                        let length: usize = head
                            .lines()
                            .find_map(|l| {
                                l.to_lowercase()
                                    .strip_prefix("content-length:")
                                    .map(|v| v.trim().parse().unwrap_or(0))
                            })
                            .unwrap_or(0);
                        if body.len() >= length {
                            break (head.to_string(), body.to_string());
                        }
                    }
                };
                let answer = if head.starts_with("POST /token") {
                    if body.contains("grant_type=refresh_token")
                        && body.contains("refresh_token=good-refresh")
                        && body.contains("client_id=redress")
                    {
                        r#"{"access_token":"good-token","token_type":"Bearer","expires_in":3600}"#
                    } else {
                        r#"{"access_token":"wrong-token","token_type":"Bearer"}"#
                    }
                } else if body.contains("token=good-token") {
                    r#"{"active":true,"username":"redress"}"#
                } else {
                    r#"{"active":false}"#
                };
                let reply = format!(
                    "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{answer}",
                    answer.len()
                );
                let _ = stream.write_all(reply.as_bytes()).await;
            });
        }
    });
    (base, task)
}

#[tokio::test]
async fn two_instances_read_one_mailbox_and_take_each_message_once() {
    let (oauth, server) = oauth_server().await;
    let Some(dovecot) = dovecot::start(&format!("{oauth}/introspect")) else {
        return;
    };
    let dovecot = &dovecot;
    let oauth = &oauth;
    on_each_backend(|t| async move {
        let t = with_mail(t);
        let second = App::load(t.store.clone()).await.unwrap().with_mail_from(OURS);
        // A mailbox holds whatever the previous backend's run left: start empty.
        let before = dovecot.counts().0;
        for name in ["plain.eml", "html_only.eml", "attachments.eml", "latin1.eml", "auto_reply.eml", "bounce.eml", "list.eml"] {
            dovecot.deliver(name, &fixture(name));
        }
        let mailbox = Mailbox::new(&dovecot.url(), None).unwrap();
        let (a, b) = tokio::join!(t.app.read_mailbox(&mailbox), second.read_mailbox(&mailbox));
        let (a, b) = (a.unwrap(), b.unwrap());
        let contacts = all_contacts(&t).await;
        assert_eq!(contacts.len(), 4, "each message once across two instances: {a:?} {b:?}");
        assert_eq!(a.new + b.new, 4, "{a:?} {b:?}");
        let receipts = t.store.letters_with_status(&t.app.organisation.id, "pending").await.unwrap();
        assert_eq!(receipts.iter().filter(|l| l.kind == LetterKind::EmailReceipt).count(), 4);
        let (total, seen) = dovecot.counts();
        assert_eq!((total - before, seen - before), (7, 7), "every message marked seen once taken");

        // A reply to a receipt, read through the mailbox, joins its case.
        let receipt = &receipts[0];
        let reply = format!(
            "From: {}\r\nSubject: Re: {}\r\nMessage-ID: <r-{}@example.org>\r\nIn-Reply-To: <letter-{}@test.org>\r\n\r\nThank you, here is more.\r\n",
            receipt.recipient, receipt.subject, receipt.id, receipt.id
        );
        dovecot.deliver("reply", reply.as_bytes());
        // Signed in with OAuth this time: the token from the refresh token, checked by Dovecot.
        let settings = OAuthSettings {
            token_url: format!("{oauth}/token"),
            client_id: "redress".into(),
            client_secret: Some("client-secret".into()),
            refresh_token: Some("good-refresh".into()),
            scope: None,
        };
        let url = format!("imap://{}@127.0.0.1:{}/INBOX", dovecot::USER, dovecot.port);
        let wrong = OAuthSettings { refresh_token: Some("stale".into()), ..settings.clone() };
        let refused = t.app.read_mailbox(&Mailbox::new(&url, Some(wrong)).unwrap()).await;
        assert!(refused.is_err(), "a token Dovecot does not accept signs nobody in");
        assert_eq!(dovecot.counts().1, seen, "nothing taken without signing in");
        let round = match t.app.read_mailbox(&Mailbox::new(&url, Some(settings)).unwrap()).await {
            Ok(r) => r,
            Err(e) => panic!("{e}\n{}", dovecot.log()),
        };
        assert_eq!(round.threaded, 1, "{round:?}\n{}", dovecot.log());
        assert_eq!(all_contacts(&t).await.len(), 4);
        let case = t.app.case_for(&redress_app::access::Principal::System, receipt.reference.as_str()).await.unwrap().contact;
        assert_eq!(case.emails_waiting(), 1);
        // Nothing new: a round with nothing unseen takes nothing.
        let round = second.read_mailbox(&mailbox).await.unwrap();
        assert_eq!(round.taken(), 0);
    })
    .await;
    server.abort();
}

#[test]
fn a_mailbox_address_says_what_is_wrong_with_it() {
    for (url, words) in [
        ("pop3://u:p@h/INBOX", "is not imaps:// or imap://"),
        ("imaps://h/INBOX", "no user name"),
        ("imaps://u@h/INBOX", "no password"),
        ("not a url", "REDRESS_IMAP_URL"),
    ] {
        let e = Mailbox::new(url, None).unwrap_err().to_string();
        assert!(e.contains(words), "{url}: {e}");
    }
    assert!(Mailbox::new("imaps://u%40org.test:p%2Fw@mail.test", None).is_ok());
}
