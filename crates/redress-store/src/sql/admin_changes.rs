//! A change to how the organisation is set up, written in one transaction with its entry in
//! the admin log: the log never tells of a change that was refused, and a change is never
//! kept without its entry.

use crate::StoreError;
use crate::postgres::PgStore;
use crate::sqlite::SqliteStore;
use jiff::Timestamp;
use jiff::civil::Date;
use redress_domain::contact::ContactKind;
use redress_domain::letter::{LetterKind, Template};
use redress_domain::organisation::{HomesCount, ServiceArea};
use redress_domain::role::{Role, User};
use redress_domain::scheme::Scheme;
use redress_domain::webhook::NewEndpoint;

/// One part of an administrative change. Each is what the single method of the same purpose
/// writes (`set_setting`, `add_service_area`, `update_user`, …).
#[derive(Debug, Clone)]
pub enum AdminChange<'a> {
    /// One named setting (branding, ombudsman contact details, annual report text, …).
    Setting {
        name: &'a str,
        value: &'a str,
    },
    /// Several named settings at once (a customer profile, an annual report).
    Settings(Vec<(String, String)>),
    /// A new service area; a name already used is refused as `StoreError::Duplicate`.
    ServiceArea(&'a ServiceArea),
    /// A service area's scheme, for the cases that start after; an unknown area is refused
    /// as `StoreError::NotFound`.
    AreaScheme {
        area_id: &'a str,
        scheme: &'a str,
    },
    /// A version of one of the organisation's own schemes. Versions are never rewritten: an
    /// id already kept is refused as `StoreError::Duplicate`.
    Scheme(&'a Scheme),
    /// A day the organisation is closed, with why; the same day again replaces the reason.
    ClosureDay(Date, &'a str),
    Homes(&'a HomesCount),
    LetterTemplate(LetterKind, redress_domain::language::Language, &'a Template),
    /// A new member of staff with their password hash; an email address already used is
    /// refused as `StoreError::Duplicate`.
    NewUser {
        user: &'a User,
        password_hash: &'a str,
    },
    /// A member of staff's role and whether they may sign in; an unknown id is refused as
    /// `StoreError::NotFound`.
    User {
        id: &'a str,
        role: Role,
        active: bool,
    },
    /// The service areas a service manager looks after, replacing those before.
    UserAreas {
        user_id: &'a str,
        areas: &'a [String],
    },
    /// Years after closure a kind of contact keeps its personal data.
    Retention {
        kind: ContactKind,
        years: u8,
    },
    /// A line in the history of resident scrutiny's own settings (the matrix's criteria
    /// and weights, the exercise stages): what changed, what it became, and who changed it.
    ScrutinyRecord {
        what: &'a str,
        value: &'a str,
        by: &'a str,
    },
    /// A new webhook endpoint with the secret that signs its deliveries.
    WebhookEndpoint {
        id: &'a str,
        endpoint: &'a NewEndpoint,
        secret: &'a str,
    },
    /// An endpoint paused (with why), resumed or removed; an unknown or removed one is
    /// refused as `StoreError::NotFound`.
    WebhookState {
        id: &'a str,
        state: &'a str,
        reason: Option<&'a str>,
    },
    /// A failed delivery sent again; one that has not failed is refused as `NotFound`.
    WebhookRetry {
        delivery_id: &'a str,
    },
    /// A test message queued to an endpoint.
    WebhookTest {
        endpoint_id: &'a str,
    },
}

/// Writing administrative changes, written once for both backends (`$db` is the backend's
/// sqlx database).
macro_rules! admin_change_methods {
    ($db:ty) => {
        /// Writes every change and then the log entry, in one write transaction. The first
        /// change refused ends it: the transaction is dropped, so rolled back, and nothing of
        /// the change nor its entry is kept.
        pub(crate) async fn change_logged(
            &self,
            org: &str,
            changes: &[AdminChange<'_>],
            at: Timestamp,
            actor: &str,
            summary: &str,
        ) -> Result<(), StoreError> {
            let mut tx = self.begin_write().await?;
            for change in changes {
                Self::put_admin_change(&mut tx, org, change, at).await?;
            }
            Self::put_admin_log(&mut tx, org, at, actor, summary).await?;
            tx.commit().await?;
            Ok(())
        }

        pub(crate) async fn put_admin_change(
            conn: &mut <$db as sqlx::Database>::Connection,
            org: &str,
            change: &AdminChange<'_>,
            at: Timestamp,
        ) -> Result<(), StoreError> {
            match change {
                AdminChange::Setting { name, value } => {
                    Self::put_setting(conn, org, name, value).await
                }
                AdminChange::Settings(settings) => {
                    for (name, value) in settings {
                        Self::put_setting(conn, org, name, value).await?;
                    }
                    Ok(())
                }
                AdminChange::ServiceArea(area) => Self::put_service_area(conn, org, area).await,
                AdminChange::AreaScheme { area_id, scheme } => {
                    match Self::put_area_scheme(conn, org, area_id, scheme).await? {
                        true => Ok(()),
                        false => Err(StoreError::NotFound("a service area with this id")),
                    }
                }
                AdminChange::Scheme(scheme) => Self::put_custom_scheme(conn, org, scheme).await,
                AdminChange::ClosureDay(day, reason) => {
                    Self::put_closure_day(conn, org, *day, reason).await
                }
                AdminChange::Homes(homes) => Self::put_homes(conn, org, homes).await,
                AdminChange::LetterTemplate(kind, language, template) => {
                    Self::put_letter_template(conn, org, *kind, *language, template, at).await
                }
                AdminChange::NewUser {
                    user,
                    password_hash,
                } => Self::put_new_user(conn, user, password_hash, at).await,
                AdminChange::User { id, role, active } => {
                    match Self::put_user(conn, id, *role, *active).await? {
                        true => Ok(()),
                        false => Err(StoreError::NotFound("a user with this id")),
                    }
                }
                AdminChange::UserAreas { user_id, areas } => {
                    Self::put_user_areas(conn, user_id, areas).await
                }
                AdminChange::Retention { kind, years } => {
                    Self::put_retention(conn, org, *kind, *years).await
                }
                AdminChange::ScrutinyRecord { what, value, by } => {
                    Self::put_scrutiny_change(conn, org, what, None, value, at, by).await
                }
                AdminChange::WebhookEndpoint {
                    id,
                    endpoint,
                    secret,
                } => Self::put_webhook_endpoint(conn, org, id, endpoint, secret, at).await,
                AdminChange::WebhookState { id, state, reason } => {
                    match Self::put_webhook_state(conn, org, id, state, *reason).await? {
                        true => Ok(()),
                        false => Err(StoreError::NotFound("a webhook endpoint with this id")),
                    }
                }
                AdminChange::WebhookRetry { delivery_id } => {
                    match Self::put_webhook_retry(conn, org, delivery_id, at).await? {
                        true => Ok(()),
                        false => Err(StoreError::NotFound("a failed delivery with this id")),
                    }
                }
                AdminChange::WebhookTest { endpoint_id } => {
                    match Self::put_webhook_test(conn, org, endpoint_id, at).await? {
                        true => Ok(()),
                        false => Err(StoreError::NotFound("a webhook endpoint with this id")),
                    }
                }
            }
        }
    };
}

impl SqliteStore {
    admin_change_methods!(sqlx::Sqlite);
}

impl PgStore {
    admin_change_methods!(sqlx::Postgres);
}

store_api! {
    /// Writes a change to how the organisation is set up and its entry in the admin log
    /// (when, who, what) in one transaction: both are kept, or, if any part of the change
    /// is refused (a duplicate name, an unknown user), neither.
    pub async fn change_logged(
        &self,
        org: &str,
        changes: &[AdminChange<'_>],
        at: Timestamp,
        actor: &str,
        summary: &str,
    ) -> Result<(), StoreError>;
}
