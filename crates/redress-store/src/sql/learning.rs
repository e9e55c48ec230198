//! The service improvement register.

use crate::StoreError;
use crate::postgres::PgStore;
use crate::sql::micros;
use crate::sqlite::SqliteStore;
use jiff::Timestamp;
use jiff::civil::Date;
use redress_domain::contact::Reference;
use redress_domain::learning::Improvement;
use sqlx::Row;

/// An improvement with the cases that led to it: (contact id, reference).
pub type ImprovementWithCases = (Improvement, Vec<(String, Reference)>);

/// Learning from complaints, written once for both backends (`$db` is the backend's sqlx database).
macro_rules! learning_methods {
    ($db:ty) => {
        pub(crate) async fn save_improvement(
            &self,
            org: &str,
            i: &redress_domain::learning::Improvement,
        ) -> Result<(), StoreError> {
            let now = micros(Timestamp::now());
            sqlx::query(Self::sql(
                "INSERT INTO improvements (id, organisation_id, title, description, \
                 service_area_id, status, proposed_on, \
                 decided_on, implemented_on, explanation, created_at, updated_at) \
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) \
                 ON CONFLICT (id) DO UPDATE \
                 SET title = excluded.title, description = excluded.description, \
                 service_area_id = excluded.service_area_id, status = excluded.status, decided_on \
                 = excluded.decided_on, \
                 implemented_on = excluded.implemented_on, explanation = excluded.explanation, \
                 updated_at = excluded.updated_at",
            ))
            .bind(&i.id)
            .bind(org)
            .bind(i.title.as_str())
            .bind(i.description.as_str())
            .bind(i.service_area.as_deref())
            .bind(i.status.as_str())
            .bind(i.proposed_on.to_string())
            .bind(i.decided_on.map(|d| d.to_string()))
            .bind(i.implemented_on.map(|d| d.to_string()))
            .bind(i.explanation.as_ref().map(|t| t.as_str()))
            .bind(now)
            .bind(now)
            .execute(&self.pool)
            .await?;
            Ok(())
        }

        pub(crate) fn improvement_row(
            r: &<$db as sqlx::Database>::Row,
        ) -> Result<redress_domain::learning::Improvement, StoreError> {
            use redress_domain::field::Text;
            Ok(redress_domain::learning::Improvement {
                id: r.try_get("id")?,
                title: Text::from_trusted(r.try_get("title")?),
                description: Text::from_trusted(r.try_get("description")?),
                service_area: r.try_get("service_area_id")?,
                status: redress_domain::learning::ImprovementStatus::parse(
                    &r.try_get::<String, _>("status")?,
                )
                .map_err(StoreError::corrupt)?,
                proposed_on: crate::sql::date(&r.try_get::<String, _>("proposed_on")?)?,
                decided_on: crate::sql::date_opt(r.try_get("decided_on")?)?,
                implemented_on: crate::sql::date_opt(r.try_get("implemented_on")?)?,
                explanation: r
                    .try_get::<Option<String>, _>("explanation")?
                    .map(Text::from_trusted),
            })
        }

        pub(crate) async fn improvements(
            &self,
            org: &str,
        ) -> Result<Vec<crate::sql::learning::ImprovementWithCases>, StoreError> {
            let rows = sqlx::query(Self::sql(
                "SELECT * FROM improvements WHERE organisation_id = ? \
                 ORDER BY proposed_on DESC, created_at DESC",
            ))
            .bind(org)
            .fetch_all(&self.pool)
            .await?;
            let links = sqlx::query(Self::sql(
                "SELECT ic.improvement_id, c.id, c.reference FROM improvement_cases ic \
                 JOIN contacts c ON c.id = ic.contact_id \
                 WHERE c.organisation_id = ? ORDER BY c.reference",
            ))
            .bind(org)
            .fetch_all(&self.pool)
            .await?;
            let mut out = Vec::new();
            for r in &rows {
                let i = Self::improvement_row(r)?;
                let mut cases = Vec::new();
                for l in &links {
                    if l.try_get::<String, _>("improvement_id")? == i.id {
                        cases.push((
                            l.try_get("id")?,
                            Reference::from_trusted(l.try_get("reference")?),
                        ));
                    }
                }
                out.push((i, cases));
            }
            Ok(out)
        }

        pub(crate) async fn link_improvement(
            &self,
            improvement_id: &str,
            contact_id: &str,
        ) -> Result<bool, StoreError> {
            let done = sqlx::query(Self::sql(
                "INSERT INTO improvement_cases (improvement_id, contact_id) VALUES (?, ?) \
                 ON CONFLICT DO NOTHING",
            ))
            .bind(improvement_id)
            .bind(contact_id)
            .execute(&self.pool)
            .await?;
            Ok(done.rows_affected() == 1)
        }

        pub(crate) async fn create_survey(
            &self,
            token_hash: &str,
            contact_id: &str,
            stage: u8,
            at: Timestamp,
            expires_at: Timestamp,
        ) -> Result<(), StoreError> {
            sqlx::query(Self::sql(
                "INSERT INTO survey_invitations (token_hash, contact_id, stage, created_at, \
                 expires_at) VALUES (?, ?, ?, ?, ?)",
            ))
            .bind(token_hash)
            .bind(contact_id)
            .bind(i64::from(stage))
            .bind(micros(at))
            .bind(micros(expires_at))
            .execute(&self.pool)
            .await?;
            Ok(())
        }

        /// The case and stage of an unanswered, unexpired survey link.
        pub(crate) async fn survey(
            &self,
            token_hash: &str,
            now: Timestamp,
        ) -> Result<Option<(String, u8)>, StoreError> {
            let row = sqlx::query(Self::sql(
                "SELECT contact_id, stage FROM survey_invitations WHERE token_hash = ? \
                 AND used_at IS NULL AND expires_at > ?",
            ))
            .bind(token_hash)
            .bind(micros(now))
            .fetch_optional(&self.pool)
            .await?;
            row.as_ref().map(Self::survey_row).transpose()
        }

        /// Uses the link up, in one statement so two answers racing cannot both count.
        pub(crate) async fn consume_survey(
            &self,
            token_hash: &str,
            now: Timestamp,
        ) -> Result<Option<(String, u8)>, StoreError> {
            let row = sqlx::query(Self::sql(
                "UPDATE survey_invitations SET used_at = ? WHERE token_hash = ? \
                 AND used_at IS NULL AND expires_at > ? \
                 RETURNING contact_id, stage",
            ))
            .bind(micros(now))
            .bind(token_hash)
            .bind(micros(now))
            .fetch_optional(&self.pool)
            .await?;
            row.as_ref().map(Self::survey_row).transpose()
        }

        pub(crate) fn survey_row(
            r: &<$db as sqlx::Database>::Row,
        ) -> Result<(String, u8), StoreError> {
            let stage: i64 = r.try_get("stage")?;
            Ok((
                r.try_get("contact_id")?,
                u8::try_from(stage).map_err(StoreError::corrupt)?,
            ))
        }

        pub(crate) async fn improvements_implemented(
            &self,
            org: &str,
            from: Date,
            to: Date,
        ) -> Result<i64, StoreError> {
            Ok(sqlx::query_scalar(Self::sql(
                "SELECT COUNT(*) FROM improvements WHERE organisation_id = ? \
                 AND status = 'implemented' \
                 AND implemented_on >= ? AND implemented_on <= ?",
            ))
            .bind(org)
            .bind(from.to_string())
            .bind(to.to_string())
            .fetch_one(&self.pool)
            .await?)
        }
    };
}

impl SqliteStore {
    learning_methods!(sqlx::Sqlite);
}

impl PgStore {
    learning_methods!(sqlx::Postgres);
}

store_api! {
    /// Keeps the hash of a survey link for a case and stage.
    pub async fn create_survey(
        &self,
        token_hash: &str,
        contact_id: &str,
        stage: u8,
        at: jiff::Timestamp,
        expires_at: jiff::Timestamp,
    ) -> Result<(), StoreError>;

    /// The case id and stage a live survey link is for.
    pub async fn survey(
        &self,
        token_hash: &str,
        now: jiff::Timestamp,
    ) -> Result<Option<(String, u8)>, StoreError>;

    /// Marks a live survey link answered, once; the case id and stage when it was live.
    pub async fn consume_survey(
        &self,
        token_hash: &str,
        now: jiff::Timestamp,
    ) -> Result<Option<(String, u8)>, StoreError>;

    pub async fn save_improvement(&self, org: &str, i: &Improvement) -> Result<(), StoreError>;

    /// The register, newest proposals first, each with the cases that led to it.
    pub async fn improvements(&self, org: &str) -> Result<Vec<ImprovementWithCases>, StoreError>;

    /// Records that a case led to an improvement; false if it was already linked.
    pub async fn link_improvement(
        &self,
        improvement_id: &str,
        contact_id: &str,
    ) -> Result<bool, StoreError>;

    pub async fn improvements_implemented(
        &self,
        org: &str,
        from: Date,
        to: Date,
    ) -> Result<i64, StoreError>;
}
