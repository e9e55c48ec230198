//! Storage for Redress: one `Store` with an embedded SQLite backend (the default) and a
//! PostgreSQL backend for organisations that run several instances. The backend is chosen by
//! the database URL. Both run the same statements where the dialects agree; the few that
//! differ (search, transaction start, migration locking) live with each backend.

mod backend;
mod error;
mod intake;
mod model;
mod postgres;
mod search;
mod sqlite;

pub use error::StoreError;
pub use model::{
    ContactFilter, ContactSummary, DueCase, DueFilter, Inserted, MOST_PER_PAGE, OpenAction, Page,
    RestrictedPerson, SessionRecord, StoredLetter, Workload,
};

use jiff::Timestamp;
use jiff::civil::Date;
use redress_domain::calendar::{Division, Holiday};
use redress_domain::contact::{Contact, ContactError, Reference};
use redress_domain::event::Event;
use redress_domain::letter::{Letter, LetterKind, Template};
use redress_domain::organisation::{HomesCount, Organisation, ServiceArea};
use redress_domain::restriction::Restriction;
use redress_domain::role::{Role, User};
use redress_domain::scheme::Scheme;

/// A connected store. Cloning is cheap: it shares the connection pool.
#[derive(Clone, Debug)]
pub enum Store {
    Sqlite(sqlite::SqliteStore),
    Postgres(postgres::PgStore),
}

macro_rules! dispatch {
    ($self:ident, $s:ident => $call:expr) => {
        match $self {
            Store::Sqlite($s) => $call,
            Store::Postgres($s) => $call,
        }
    };
}

mod access;
pub use access::ReviewDue;
pub use learning::ImprovementWithCases;
mod learning;
mod privacy;
mod reports;
mod scrutiny;
pub use privacy::PersonQuery;
pub use scrutiny::{Doer, Figure, HistoryLine, SignatureRow, Signed};

impl Store {
    /// Connects to `sqlite://path` (created if missing) or `postgres://...`, and brings the
    /// schema up to date. Safe when several instances start at once.
    pub async fn connect(url: &str) -> Result<Store, StoreError> {
        let store = if url.starts_with("sqlite:") {
            Store::Sqlite(sqlite::SqliteStore::connect(url).await?.with_intake())
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Store::Postgres(postgres::PgStore::connect(url).await?.with_intake())
        } else {
            return Err(StoreError::Config(
                "the database URL must start with sqlite:// or postgres://".into(),
            ));
        };
        store.migrate().await?;
        Ok(store)
    }

    pub fn backend(&self) -> &'static str {
        match self {
            Store::Sqlite(_) => "sqlite",
            Store::Postgres(_) => "postgres",
        }
    }

    pub async fn migrate(&self) -> Result<usize, StoreError> {
        dispatch!(self, s => s.migrate().await)
    }

    pub async fn close(&self) {
        match self {
            Store::Sqlite(s) => s.close().await,
            Store::Postgres(s) => s.pool.close().await,
        }
    }

    /// The database's own name (PostgreSQL) or file (SQLite), for operators and tests.
    pub async fn database_name(&self) -> Result<String, StoreError> {
        match self {
            Store::Sqlite(s) => Ok(sqlx::query_scalar::<_, String>(
                "SELECT file FROM pragma_database_list WHERE name = 'main'",
            )
            .fetch_one(&s.pool)
            .await?),
            Store::Postgres(s) => Ok(sqlx::query_scalar::<_, String>(
                "SELECT current_database()::text",
            )
            .fetch_one(&s.pool)
            .await?),
        }
    }

    pub async fn ping(&self) -> Result<(), StoreError> {
        dispatch!(self, s => s.ping().await)
    }

    pub async fn organisation(&self) -> Result<Option<Organisation>, StoreError> {
        dispatch!(self, s => s.organisation().await)
    }

    pub async fn create_organisation(&self, org: &Organisation) -> Result<(), StoreError> {
        dispatch!(self, s => s.create_organisation(org).await)
    }

    pub async fn service_areas(&self, org: &str) -> Result<Vec<ServiceArea>, StoreError> {
        dispatch!(self, s => s.service_areas(org).await)
    }

    pub async fn add_service_area(&self, org: &str, area: &ServiceArea) -> Result<(), StoreError> {
        dispatch!(self, s => s.add_service_area(org, area).await)
    }

    pub async fn set_homes(&self, org: &str, homes: &HomesCount) -> Result<(), StoreError> {
        dispatch!(self, s => s.set_homes(org, homes).await)
    }

    pub async fn homes(&self, org: &str) -> Result<Vec<HomesCount>, StoreError> {
        dispatch!(self, s => s.homes(org).await)
    }

    pub async fn add_closure_day(
        &self,
        org: &str,
        day: Date,
        reason: &str,
    ) -> Result<(), StoreError> {
        dispatch!(self, s => s.add_closure_day(org, day, reason).await)
    }

    pub async fn closure_days(&self, org: &str) -> Result<Vec<(Date, String)>, StoreError> {
        dispatch!(self, s => s.closure_days(org).await)
    }

    /// Replaces, for each division and year present, the stored days with these.
    pub async fn import_holidays(
        &self,
        events: &[(Division, Holiday)],
        at: Timestamp,
    ) -> Result<usize, StoreError> {
        dispatch!(self, s => s.import_holidays(events, at).await)
    }

    pub async fn imported_holidays(&self) -> Result<Vec<(Division, Holiday)>, StoreError> {
        dispatch!(self, s => s.imported_holidays().await)
    }

    pub async fn save_custom_scheme(&self, org: &str, scheme: &Scheme) -> Result<(), StoreError> {
        dispatch!(self, s => s.save_custom_scheme(org, scheme).await)
    }

    pub async fn custom_schemes(&self, org: &str) -> Result<Vec<Scheme>, StoreError> {
        dispatch!(self, s => s.custom_schemes(org).await)
    }

    /// Records a new contact in one transaction: allocates the next reference for its kind
    /// and year, lets `build` decide the contact and its first event, and saves both. When
    /// `submission_key` was seen before, nothing is written and the earlier contact is
    /// returned, so a double click or a retry never makes a second contact.
    pub async fn insert_contact<F>(
        &self,
        org: &str,
        submission_key: Option<&str>,
        prefix_year: (redress_domain::ContactKind, i16),
        build: F,
    ) -> Result<Inserted, StoreError>
    where
        F: Fn(Reference) -> Result<(Contact, Event), ContactError> + Send + Sync + 'static,
    {
        let submission = intake::Submission {
            org: org.to_string(),
            key: submission_key.map(str::to_string),
            prefix_year,
            build: Box::new(build),
        };
        dispatch!(self, s => s.insert_contact(submission).await)
    }

    /// Saves a changed contact and its events, refusing if someone else changed it since
    /// `contact.version` was read.
    pub async fn save_contact(
        &self,
        contact: &Contact,
        events: &[Event],
        letters: &[Letter],
    ) -> Result<(), StoreError> {
        dispatch!(self, s => s.save_contact(contact, events, letters).await)
    }

    /// Saves a change that adds a file, with the file's bytes, in one transaction.
    pub async fn save_contact_with_file(
        &self,
        contact: &Contact,
        events: &[Event],
        file_id: &str,
        bytes: &[u8],
    ) -> Result<(), StoreError> {
        dispatch!(self, s => s.save_contact_with_file(contact, events, &[], Some((file_id, bytes))).await)
    }

    /// A file's bytes, only when it belongs to `contact_id`.
    pub async fn attachment(
        &self,
        contact_id: &str,
        id: &str,
    ) -> Result<Option<Vec<u8>>, StoreError> {
        dispatch!(self, s => s.attachment(contact_id, id).await)
    }

    /// The letters and emails of one case, oldest first.
    pub async fn letters(
        &self,
        org: &str,
        contact_id: &str,
    ) -> Result<Vec<StoredLetter>, StoreError> {
        dispatch!(self, s => s.letters_where("l.contact_id = ?", org, contact_id).await)
    }

    pub async fn letter(&self, org: &str, id: &str) -> Result<Option<StoredLetter>, StoreError> {
        Ok(
            dispatch!(self, s => s.letters_where("l.id = ?", org, id).await)?
                .into_iter()
                .next(),
        )
    }

    /// Letters in a given state across all cases: `to-print`, `check`, `failed`…
    pub async fn letters_with_status(
        &self,
        org: &str,
        status: &str,
    ) -> Result<Vec<StoredLetter>, StoreError> {
        dispatch!(self, s => s.letters_where("l.status = ?", org, status).await)
    }

    /// Claims up to `limit` emails that are due, so no other worker takes them until
    /// `lease_until`. Emails whose earlier claim ran out are set aside for checking.
    pub async fn claim_outbox(
        &self,
        now: Timestamp,
        lease_until: Timestamp,
        limit: i64,
    ) -> Result<Vec<StoredLetter>, StoreError> {
        dispatch!(self, s => s.claim_outbox(now, lease_until, limit).await)
    }

    /// Records progress: `sent`, `printed`, `pending` again with a later attempt, or `failed`.
    pub async fn mark_letter(
        &self,
        id: &str,
        status: &str,
        at: Timestamp,
        error: Option<&str>,
        next_attempt_at: Option<Timestamp>,
    ) -> Result<(), StoreError> {
        dispatch!(self, s => s.mark_letter(id, status, at, error, next_attempt_at).await)
    }

    /// Open, unpaused cases with a deadline on or before `by`.
    pub async fn deadlines_due(&self, org: &str, by: Date) -> Result<Vec<DueCase>, StoreError> {
        dispatch!(self, s => s.deadlines_due(org, by).await)
    }

    /// Records that a reminder fired and queues its emails, once: a second call for the
    /// same case, deadline, date and kind does nothing and returns false.
    pub async fn record_reminder(
        &self,
        contact_id: &str,
        deadline: &str,
        due: Date,
        kind: &str,
        letters: &[Letter],
    ) -> Result<bool, StoreError> {
        dispatch!(self, s => s.record_reminder(contact_id, deadline, due, kind, letters).await)
    }

    pub async fn record_login(
        &self,
        email: &str,
        at: Timestamp,
        succeeded: bool,
    ) -> Result<(), StoreError> {
        dispatch!(self, s => s.record_login(email, at, succeeded).await)
    }

    /// Failed sign-ins for `email` since `since` and since its last successful sign-in.
    pub async fn recent_failures(
        &self,
        email: &str,
        since: Timestamp,
    ) -> Result<Vec<Timestamp>, StoreError> {
        dispatch!(self, s => s.recent_failures(email, since).await)
    }

    /// Notes that a member of staff opened a case (`via`: the page or the API).
    pub async fn record_view(
        &self,
        contact_id: &str,
        user_id: &str,
        user_name: &str,
        at: Timestamp,
        via: &str,
    ) -> Result<(), StoreError> {
        dispatch!(self, s => s.record_view(contact_id, user_id, user_name, at, via).await)
    }

    /// The latest views of a case: who, when, how.
    pub async fn views(
        &self,
        contact_id: &str,
        limit: i64,
    ) -> Result<Vec<(String, Timestamp, String)>, StoreError> {
        dispatch!(self, s => s.views(contact_id, limit).await)
    }

    pub async fn create_resident_session(
        &self,
        token_hash: &str,
        contact_id: &str,
        at: Timestamp,
        expires_at: Timestamp,
    ) -> Result<(), StoreError> {
        dispatch!(self, s => s.create_resident_session(token_hash, contact_id, at, expires_at).await)
    }

    /// The one case a resident's live session opens.
    pub async fn resident_session(
        &self,
        token_hash: &str,
        now: Timestamp,
    ) -> Result<Option<String>, StoreError> {
        dispatch!(self, s => s.resident_session(token_hash, now).await)
    }

    pub async fn delete_resident_session(&self, token_hash: &str) -> Result<(), StoreError> {
        dispatch!(self, s => s.delete_resident_session(token_hash).await)
    }

    pub async fn contact_by_id(&self, org: &str, id: &str) -> Result<Option<Contact>, StoreError> {
        dispatch!(self, s => s.contact_by_id(org, id).await)
    }

    /// Records a change to settings in the organisation's log.
    pub async fn log_admin(
        &self,
        org: &str,
        at: Timestamp,
        actor: &str,
        summary: &str,
    ) -> Result<(), StoreError> {
        dispatch!(self, s => s.log_admin(org, at, actor, summary).await)
    }

    /// The latest changes to settings: when, who, what.
    pub async fn admin_log(
        &self,
        org: &str,
        limit: i64,
    ) -> Result<Vec<(Timestamp, String, String)>, StoreError> {
        dispatch!(self, s => s.admin_log(org, limit).await)
    }

    /// Changes a user's role or turns their access off (their sessions stop working).
    pub async fn update_user(
        &self,
        id: &str,
        role: Role,
        active: bool,
    ) -> Result<bool, StoreError> {
        dispatch!(self, s => s.update_user(id, role, active).await)
    }

    /// Records a restriction against a person, found again by email address or phone digits.
    pub async fn add_restriction(
        &self,
        org: &str,
        id: &str,
        person: RestrictedPerson<'_>,
        r: &Restriction,
        at: Timestamp,
    ) -> Result<(), StoreError> {
        dispatch!(self, s => s.add_restriction(org, id, person, r, at).await)
    }

    /// Restrictions (current and past) on whoever has this email address or phone number.
    pub async fn restrictions_for(
        &self,
        org: &str,
        email: Option<&str>,
        phone_digits: Option<&str>,
    ) -> Result<Vec<(String, String, Restriction)>, StoreError> {
        dispatch!(self, s => s.restrictions_for(org, email, phone_digits).await)
    }

    pub async fn end_restriction(&self, org: &str, id: &str, on: Date) -> Result<bool, StoreError> {
        dispatch!(self, s => s.end_restriction(org, id, on).await)
    }

    pub async fn letter_template(
        &self,
        org: &str,
        kind: LetterKind,
    ) -> Result<Option<Template>, StoreError> {
        dispatch!(self, s => s.letter_template(org, kind).await)
    }

    pub async fn save_letter_template(
        &self,
        org: &str,
        kind: LetterKind,
        template: &Template,
        at: Timestamp,
    ) -> Result<(), StoreError> {
        dispatch!(self, s => s.save_letter_template(org, kind, template, at).await)
    }

    pub async fn contact_by_reference(
        &self,
        org: &str,
        reference: &Reference,
    ) -> Result<Option<Contact>, StoreError> {
        dispatch!(self, s => s.contact_by_reference(org, reference).await)
    }

    pub async fn contact_by_submission(
        &self,
        org: &str,
        key: &str,
    ) -> Result<Option<Contact>, StoreError> {
        dispatch!(self, s => s.contact_by_submission(org, key).await)
    }

    /// Remedies and ombudsman orders not yet done, due before `due_before` (all when `None`).
    pub async fn open_actions(
        &self,
        org: &str,
        due_before: Option<Date>,
    ) -> Result<Vec<OpenAction>, StoreError> {
        dispatch!(self, s => s.open_actions(org, due_before).await)
    }

    /// Open cases per active member of staff, and how many of them are overdue on `today`.
    pub async fn workload(&self, org: &str, today: Date) -> Result<Vec<Workload>, StoreError> {
        dispatch!(self, s => s.workload(org, today).await)
    }

    pub async fn events(&self, contact_id: &str) -> Result<Vec<Event>, StoreError> {
        dispatch!(self, s => s.events(contact_id).await)
    }

    pub async fn list_contacts(
        &self,
        org: &str,
        filter: &ContactFilter,
    ) -> Result<Page<ContactSummary>, StoreError> {
        dispatch!(self, s => s.list_contacts(org, filter).await)
    }

    pub async fn create_user(
        &self,
        user: &User,
        password_hash: &str,
        at: Timestamp,
    ) -> Result<(), StoreError> {
        dispatch!(self, s => s.create_user(user, password_hash, at).await)
    }

    /// The user and their password hash.
    pub async fn user_by_email(&self, email: &str) -> Result<Option<(User, String)>, StoreError> {
        dispatch!(self, s => s.user_by_email(email).await)
    }

    pub async fn users(&self) -> Result<Vec<User>, StoreError> {
        dispatch!(self, s => s.users().await)
    }

    pub async fn create_session(&self, session: &SessionRecord) -> Result<(), StoreError> {
        dispatch!(self, s => s.create_session(session).await)
    }

    /// A live session and its active user.
    pub async fn session(
        &self,
        token_hash: &str,
        now: Timestamp,
    ) -> Result<Option<(SessionRecord, User)>, StoreError> {
        dispatch!(self, s => s.session(token_hash, now).await)
    }

    pub async fn delete_session(&self, token_hash: &str) -> Result<(), StoreError> {
        dispatch!(self, s => s.delete_session(token_hash).await)
    }

    pub async fn create_api_token(
        &self,
        token_hash: &str,
        user_id: &str,
        label: &str,
        at: Timestamp,
    ) -> Result<(), StoreError> {
        dispatch!(self, s => s.create_api_token(token_hash, user_id, label, at).await)
    }

    /// Keeps a resident's answers between pages; `answers` is opaque to the store.
    pub async fn save_draft(
        &self,
        id: &str,
        answers: &str,
        at: Timestamp,
    ) -> Result<(), StoreError> {
        dispatch!(self, s => s.save_draft(id, answers, at).await)
    }

    pub async fn draft(&self, id: &str) -> Result<Option<String>, StoreError> {
        dispatch!(self, s => s.draft(id).await)
    }

    pub async fn user_by_api_token(&self, token_hash: &str) -> Result<Option<User>, StoreError> {
        dispatch!(self, s => s.user_by_api_token(token_hash).await)
    }
}
