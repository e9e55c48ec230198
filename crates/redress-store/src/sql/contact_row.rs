//! A contact as its row is read: the columns every read of a whole contact selects, and
//! how their text becomes domain values again.

use crate::StoreError;
use crate::postgres::PgStore;
use crate::sql::{date, date_opt, micros, timestamp};
use crate::sqlite::SqliteStore;
use redress_domain::Text;
use redress_domain::contact::{
    Channel, Contact, ContactKind, ContactStatus, NewContact, OtherRoute, Reference,
};
use redress_domain::organisation::Tenure;
use redress_domain::person::{Needs, Person, Representative};
use sqlx::Row;

pub(crate) const CONTACT_COLUMNS: &str = "c.id, c.reference, c.kind, c.channel, c.status, c.stage, \
c.scheme, \
    c.received_at, c.received_on, c.representative, c.service_area_id, c.property_ref, c.tenure, \
    c.summary, \
    c.outcome_wanted, c.issue_date, c.safeguarding, c.about_vulnerable_group, c.wants_reply, \
    c.staff_named, \
    c.other_route, c.closed_on, c.case_state, c.version, \
    p.name AS p_name, p.email AS p_email, p.phone AS p_phone, p.address AS p_address, p.postcode \
    AS p_postcode, \
    p.needs AS p_needs";

/// A contact row as read, before its text is turned back into domain values.
pub(crate) struct ContactColumns {
    pub id: String,
    pub reference: String,
    pub kind: String,
    pub channel: String,
    pub status: String,
    pub scheme: String,
    pub received_at: i64,
    pub received_on: String,
    pub representative: Option<String>,
    pub service_area_id: Option<String>,
    pub property_ref: Option<String>,
    pub tenure: Option<String>,
    pub summary: String,
    pub outcome_wanted: Option<String>,
    pub issue_date: Option<String>,
    pub safeguarding: bool,
    pub about_vulnerable_group: bool,
    pub wants_reply: bool,
    pub staff_named: Option<String>,
    pub other_route: Option<String>,
    pub closed_on: Option<String>,
    pub case_state: String,
    pub version: i64,
    pub p_name: Option<String>,
    pub p_email: Option<String>,
    pub p_phone: Option<String>,
    pub p_address: Option<String>,
    pub p_postcode: Option<String>,
    pub p_needs: Option<String>,
}

/// The case list's order as one sortable text, kept on each contact so the list reads an
/// index in order rather than sorting every matching case: open cases first, priority
/// first, then the next deadline shown in the list (the acknowledgement while it is due,
/// then the response; none last), then the newest. Migration 0008 computes the same text
/// for contacts saved before it.
pub(crate) fn list_key(contact: &Contact) -> String {
    let open = matches!(
        contact.status,
        ContactStatus::Received | ContactStatus::Acknowledged
    );
    let respond = contact
        .next_deadline()
        .or(contact.respond_by())
        .map(|d| d.to_string())
        .unwrap_or_else(|| "9999-12-31".into());
    let newest_first = i64::MAX - micros(contact.detail.received_at);
    format!(
        "{}{}{respond}{newest_first:020}",
        if open { 0 } else { 1 },
        if contact.is_priority() { 0 } else { 1 }
    )
}

fn text(s: Option<String>) -> Option<Text> {
    s.map(Text::from_trusted)
}

fn choice<T>(s: &str, parse: fn(&str) -> Result<T, String>) -> Result<T, StoreError> {
    parse(s).map_err(|_| StoreError::corrupt(format!("unknown value '{s}'")))
}

impl ContactColumns {
    pub(crate) fn into_contact(self) -> Result<Contact, StoreError> {
        let person = match self.p_name {
            Some(name) => Some(Person {
                name: Text::from_trusted(name),
                email: self.p_email,
                phone: self.p_phone,
                address: text(self.p_address),
                postcode: self.p_postcode,
                needs: match self.p_needs {
                    Some(json) => {
                        serde_json::from_str::<Needs>(&json).map_err(StoreError::corrupt)?
                    }
                    None => Needs::default(),
                },
            }),
            None => None,
        };
        let representative = self
            .representative
            .map(|json| serde_json::from_str::<Representative>(&json).map_err(StoreError::corrupt))
            .transpose()?;
        Ok(Contact {
            id: self.id,
            reference: Reference::from_trusted(self.reference),
            status: choice(&self.status, ContactStatus::parse)?,
            scheme: self.scheme,
            received_on: date(&self.received_on)?,
            case: serde_json::from_str(&self.case_state).map_err(StoreError::corrupt)?,
            closed_on: date_opt(self.closed_on)?,
            version: self.version,
            detail: NewContact {
                kind: choice(&self.kind, ContactKind::parse)?,
                channel: choice(&self.channel, Channel::parse)?,
                received_at: timestamp(self.received_at)?,
                person,
                representative,
                service_area: self.service_area_id,
                property_ref: text(self.property_ref),
                tenure: self
                    .tenure
                    .as_deref()
                    .map(|t| choice(t, Tenure::parse))
                    .transpose()?,
                summary: Text::from_trusted(self.summary),
                outcome_wanted: text(self.outcome_wanted),
                issue_date: date_opt(self.issue_date)?,
                safeguarding: self.safeguarding,
                about_vulnerable_group: self.about_vulnerable_group,
                wants_reply: self.wants_reply,
                staff_named: text(self.staff_named),
                other_route: self
                    .other_route
                    .as_deref()
                    .map(|t| choice(t, OtherRoute::parse))
                    .transpose()?,
            },
        })
    }
}

/// Reading whole contacts, written once for both backends (`$db` is the backend's sqlx database).
macro_rules! contact_row_methods {
    ($db:ty) => {
        pub(crate) fn contact_columns(
            r: &<$db as sqlx::Database>::Row,
        ) -> Result<ContactColumns, sqlx::Error> {
            Ok(ContactColumns {
                id: r.try_get("id")?,
                reference: r.try_get("reference")?,
                kind: r.try_get("kind")?,
                channel: r.try_get("channel")?,
                status: r.try_get("status")?,
                scheme: r.try_get("scheme")?,
                received_at: r.try_get("received_at")?,
                received_on: r.try_get("received_on")?,
                representative: r.try_get("representative")?,
                service_area_id: r.try_get("service_area_id")?,
                property_ref: r.try_get("property_ref")?,
                tenure: r.try_get("tenure")?,
                summary: r.try_get("summary")?,
                outcome_wanted: r.try_get("outcome_wanted")?,
                issue_date: r.try_get("issue_date")?,
                safeguarding: r.try_get("safeguarding")?,
                about_vulnerable_group: r.try_get("about_vulnerable_group")?,
                wants_reply: r.try_get("wants_reply")?,
                staff_named: r.try_get("staff_named")?,
                other_route: r.try_get("other_route")?,
                closed_on: r.try_get("closed_on")?,
                case_state: r.try_get("case_state")?,
                version: r.try_get("version")?,
                p_name: r.try_get("p_name")?,
                p_email: r.try_get("p_email")?,
                p_phone: r.try_get("p_phone")?,
                p_address: r.try_get("p_address")?,
                p_postcode: r.try_get("p_postcode")?,
                p_needs: r.try_get("p_needs")?,
            })
        }

        pub(crate) async fn contact_where<'e, E>(
            executor: E,
            clause: &'static str,
            org: &str,
            value: &str,
        ) -> Result<Option<Contact>, StoreError>
        where
            E: sqlx::Executor<'e, Database = $db>,
        {
            let sql = format!(
                "SELECT {} FROM contacts c LEFT JOIN people p ON p.id = c.person_id \
                 WHERE c.organisation_id = ? AND {clause}",
                crate::sql::CONTACT_COLUMNS
            );
            let row = sqlx::query(Self::sql_owned(sql))
                .bind(org.to_string())
                .bind(value.to_string())
                .fetch_optional(executor)
                .await?;
            match row {
                Some(r) => Ok(Some(Self::contact_columns(&r)?.into_contact()?)),
                None => Ok(None),
            }
        }
    };
}

impl SqliteStore {
    contact_row_methods!(sqlx::Sqlite);
}

impl PgStore {
    contact_row_methods!(sqlx::Postgres);
}
