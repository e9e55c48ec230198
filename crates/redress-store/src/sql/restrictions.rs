//! Restrictions on contact with a person: recorded from a case, found again by email
//! address or phone digits, reviewed and ended.

use crate::StoreError;
use crate::model::RestrictedPerson;
use crate::postgres::PgStore;
use crate::sql::micros;
use crate::sqlite::SqliteStore;
use jiff::Timestamp;
use jiff::civil::Date;
use redress_domain::restriction::Restriction;
use sqlx::Row;

/// A restriction whose review is due, with the case it was recorded from.
#[derive(Debug, Clone)]
pub struct ReviewDue {
    pub id: String,
    pub person_name: String,
    pub contact_id: String,
    pub reference: redress_domain::contact::Reference,
    pub restriction: redress_domain::restriction::Restriction,
}

/// Restrictions, written once for both backends (`$db` is the backend's sqlx database).
macro_rules! restriction_methods {
    ($db:ty) => {
        pub(crate) async fn add_restriction(
            &self,
            org: &str,
            id: &str,
            person: RestrictedPerson<'_>,
            r: &Restriction,
            at: Timestamp,
        ) -> Result<(), StoreError> {
            sqlx::query(Self::sql(
                "INSERT INTO restrictions (id, organisation_id, person_name, email, phone_digits, \
                 detail, review_on, ended_on, created_at, contact_id) \
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            ))
            .bind(id)
            .bind(org)
            .bind(person.name)
            .bind(person.email.map(str::to_lowercase))
            .bind(person.phone_digits)
            .bind(serde_json::to_string(r).map_err(StoreError::corrupt)?)
            .bind(r.review_on.to_string())
            .bind(r.ended_on.map(|d| d.to_string()))
            .bind(micros(at))
            .bind(person.contact_id)
            .execute(&self.pool)
            .await?;
            Ok(())
        }

        pub(crate) async fn restrictions_for(
            &self,
            org: &str,
            email: Option<&str>,
            phone_digits: Option<&str>,
        ) -> Result<Vec<(String, String, Restriction)>, StoreError> {
            let rows = sqlx::query(Self::sql(
                "SELECT id, person_name, detail FROM restrictions WHERE organisation_id = ? \
                 AND ((email IS NOT NULL AND email = ?) OR (phone_digits IS NOT NULL \
                 AND phone_digits = ?)) ORDER BY created_at",
            ))
            .bind(org)
            .bind(email.map(str::to_lowercase).unwrap_or_default())
            .bind(phone_digits.unwrap_or_default())
            .fetch_all(&self.pool)
            .await?;
            rows.iter()
                .map(|r| {
                    Ok((
                        r.try_get("id")?,
                        r.try_get("person_name")?,
                        serde_json::from_str(&r.try_get::<String, _>("detail")?)
                            .map_err(StoreError::corrupt)?,
                    ))
                })
                .collect()
        }

        pub(crate) async fn end_restriction(
            &self,
            org: &str,
            id: &str,
            on: Date,
        ) -> Result<bool, StoreError> {
            let row: Option<String> = sqlx::query_scalar(Self::sql(
                "SELECT detail FROM restrictions WHERE organisation_id = ? AND id = ?",
            ))
            .bind(org)
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
            let Some(json) = row else { return Ok(false) };
            let mut r: Restriction = serde_json::from_str(&json).map_err(StoreError::corrupt)?;
            r.ended_on = Some(on);
            sqlx::query(Self::sql(
                "UPDATE restrictions SET detail = ?, ended_on = ? \
            WHERE organisation_id = ? AND id = ?",
            ))
            .bind(serde_json::to_string(&r).map_err(StoreError::corrupt)?)
            .bind(on.to_string())
            .bind(org)
            .bind(id)
            .execute(&self.pool)
            .await?;
            Ok(true)
        }

        pub(crate) async fn restriction_reviews_due(
            &self,
            org: &str,
            by: jiff::civil::Date,
        ) -> Result<Vec<crate::sql::restrictions::ReviewDue>, StoreError> {
            let rows = sqlx::query(Self::sql(
                "SELECT r.id, r.person_name, r.contact_id, r.detail, c.reference \
                 FROM restrictions r \
                 JOIN contacts c ON c.id = r.contact_id \
                 WHERE r.organisation_id = ? AND r.ended_on IS NULL AND r.review_on <= ? \
                 ORDER BY r.review_on",
            ))
            .bind(org)
            .bind(by.to_string())
            .fetch_all(&self.pool)
            .await?;
            rows.iter()
                .map(|r| {
                    Ok(crate::sql::restrictions::ReviewDue {
                        id: r.try_get("id")?,
                        person_name: r.try_get("person_name")?,
                        contact_id: r.try_get("contact_id")?,
                        reference: redress_domain::contact::Reference::from_trusted(
                            r.try_get("reference")?,
                        ),
                        restriction: serde_json::from_str(&r.try_get::<String, _>("detail")?)
                            .map_err(StoreError::corrupt)?,
                    })
                })
                .collect()
        }

        /// Records a review: the restriction's new terms (its next review date) replace the old.
        pub(crate) async fn update_restriction(
            &self,
            org: &str,
            id: &str,
            r: &redress_domain::restriction::Restriction,
        ) -> Result<bool, StoreError> {
            let done = sqlx::query(Self::sql(
                "UPDATE restrictions SET detail = ?, review_on = ? WHERE organisation_id = ? \
                 AND id = ? AND ended_on IS NULL",
            ))
            .bind(serde_json::to_string(r).map_err(StoreError::corrupt)?)
            .bind(r.review_on.to_string())
            .bind(org)
            .bind(id)
            .execute(&self.pool)
            .await?;
            Ok(done.rows_affected() == 1)
        }
    };
}

impl SqliteStore {
    restriction_methods!(sqlx::Sqlite);
}

impl PgStore {
    restriction_methods!(sqlx::Postgres);
}

store_api! {
    /// Records a restriction against a person, found again by email address or phone digits.
    pub async fn add_restriction(
        &self,
        org: &str,
        id: &str,
        person: RestrictedPerson<'_>,
        r: &Restriction,
        at: Timestamp,
    ) -> Result<(), StoreError>;

    /// Restrictions (current and past) on whoever has this email address or phone number.
    pub async fn restrictions_for(
        &self,
        org: &str,
        email: Option<&str>,
        phone_digits: Option<&str>,
    ) -> Result<Vec<(String, String, Restriction)>, StoreError>;

    pub async fn end_restriction(&self, org: &str, id: &str, on: Date) -> Result<bool, StoreError>;

    /// Restrictions in force whose review date is on or before `by`.
    pub async fn restriction_reviews_due(
        &self,
        org: &str,
        by: jiff::civil::Date,
    ) -> Result<Vec<ReviewDue>, StoreError>;

    pub async fn update_restriction(
        &self,
        org: &str,
        id: &str,
        r: &redress_domain::restriction::Restriction,
    ) -> Result<bool, StoreError>;
}
