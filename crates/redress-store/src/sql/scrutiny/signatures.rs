//! Signatures for a request: one per person, counted with the request's move on in one
//! transaction.

use crate::StoreError;
use crate::postgres::PgStore;
use crate::sql::micros;
use crate::sql::scrutiny::{Doer, SignatureRow, Signed};
use crate::sqlite::SqliteStore;
use jiff::Timestamp;
use redress_domain::scrutiny::Request;
use redress_domain::scrutiny::petition::Signature;
use sqlx::Row;

/// Signatures, written once for both backends (`$db` is the backend's sqlx database).
macro_rules! signature_methods {
    ($db:ty) => {
        /// Counts a signature and moves the request on in one transaction: the signature
        /// and the count the requester sees can never disagree.
        pub(crate) async fn sign_petition(
            &self,
            request: &redress_domain::scrutiny::Request,
            version: i64,
            signature: &redress_domain::scrutiny::petition::Signature,
            today: jiff::civil::Date,
            by: &crate::sql::scrutiny::Doer,
        ) -> Result<crate::sql::scrutiny::Signed, StoreError> {
            let mut tx = self.begin_write().await?;
            let inserted = sqlx::query(Self::sql(
                "INSERT INTO scrutiny_signatures (request_id, person_key, name, email, postcode, \
                 paper, entered_by, signed_at) \
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
            ))
            .bind(&request.id)
            .bind(&signature.key)
            .bind(signature.name.as_str())
            .bind(signature.email.as_deref())
            .bind(&signature.postcode)
            .bind(signature.paper)
            .bind(by.id.as_deref())
            .bind(micros(Timestamp::now()))
            .execute(&mut *tx)
            .await?;
            if inserted.rows_affected() != 1 {
                tx.rollback().await?;
                return Ok(crate::sql::scrutiny::Signed::AlreadySigned);
            }
            let count: i64 = sqlx::query_scalar(Self::sql(
                "SELECT COUNT(*) FROM scrutiny_signatures WHERE request_id = ?",
            ))
            .bind(&request.id)
            .fetch_one(&mut *tx)
            .await?;
            let count = u32::try_from(count).map_err(StoreError::corrupt)?;
            let steps = request.signature_steps(signature, count);
            let mut next = request.clone();
            for s in &steps {
                next.apply(s, today);
            }
            let done = sqlx::query(Self::sql(
                "UPDATE scrutiny_requests SET status = ?, state = ?, version = version + 1, \
                 updated_at = ? WHERE id = ? AND version = ?",
            ))
            .bind(crate::sql::scrutiny::status_of(&next)?)
            .bind(crate::sql::scrutiny::json(&next)?)
            .bind(micros(Timestamp::now()))
            .bind(&request.id)
            .bind(version)
            .execute(&mut *tx)
            .await?;
            if done.rows_affected() != 1 {
                tx.rollback().await?;
                return Err(StoreError::Conflict);
            }
            Self::scrutiny_events(&mut tx, &request.id, &Self::step_lines(&steps)?, by).await?;
            tx.commit().await?;
            Ok(crate::sql::scrutiny::Signed::Counted(
                Box::new(next),
                version + 1,
            ))
        }

        /// Signatures given with this email address: (reference, name, postcode, when).
        pub(crate) async fn signatures_by_email(
            &self,
            org: &str,
            email: &str,
        ) -> Result<Vec<(String, String, String, Timestamp)>, StoreError> {
            let rows = sqlx::query(Self::sql(
                "SELECT r.reference, s.name, s.postcode, s.signed_at FROM scrutiny_signatures s \
                 JOIN scrutiny_requests r ON r.id = s.request_id WHERE r.organisation_id = ? \
                 AND s.email = ? ORDER BY s.signed_at",
            ))
            .bind(org)
            .bind(email)
            .fetch_all(&self.pool)
            .await?;
            rows.iter()
                .map(|r| {
                    Ok((
                        r.try_get("reference")?,
                        r.try_get("name")?,
                        r.try_get("postcode")?,
                        crate::sql::timestamp(r.try_get("signed_at")?)?,
                    ))
                })
                .collect()
        }

        pub(crate) async fn signatures(
            &self,
            request_id: &str,
        ) -> Result<Vec<crate::sql::scrutiny::SignatureRow>, StoreError> {
            let rows = sqlx::query(Self::sql(
                "SELECT name, postcode, paper, signed_at FROM scrutiny_signatures \
                 WHERE request_id = ? ORDER BY signed_at, name",
            ))
            .bind(request_id)
            .fetch_all(&self.pool)
            .await?;
            rows.iter()
                .map(|r| {
                    Ok(crate::sql::scrutiny::SignatureRow {
                        name: r.try_get("name")?,
                        postcode: r.try_get("postcode")?,
                        paper: r.try_get("paper")?,
                        signed_at: crate::sql::timestamp(r.try_get("signed_at")?)?,
                    })
                })
                .collect()
        }
    };
}

impl SqliteStore {
    signature_methods!(sqlx::Sqlite);
}

impl PgStore {
    signature_methods!(sqlx::Postgres);
}

store_api! {
    pub async fn signatures_by_email(
        &self,
        org: &str,
        email: &str,
    ) -> Result<Vec<(String, String, String, Timestamp)>, StoreError>;

    pub async fn sign_petition(
        &self,
        request: &Request,
        version: i64,
        signature: &Signature,
        today: jiff::civil::Date,
        by: &Doer,
    ) -> Result<Signed, StoreError>;

    pub async fn signatures(&self, request_id: &str) -> Result<Vec<SignatureRow>, StoreError>;
}
