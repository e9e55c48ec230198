//! Files kept with a request for scrutiny: a scan of a form that came on paper, evidence
//! an officer gathered. Never replaced; each is added with a line in the history.

use crate::StoreError;
use crate::postgres::PgStore;
use crate::sql::micros;
use crate::sql::scrutiny::ScrutinyFile;
use crate::sqlite::SqliteStore;
use sqlx::Row;

/// Request files, written once for both backends (`$db` is the backend's sqlx database).
macro_rules! file_methods {
    ($db:ty) => {
        pub(crate) async fn put_scrutiny_file(
            tx: &mut sqlx::Transaction<'static, $db>,
            request_id: &str,
            f: &ScrutinyFile,
            bytes: &[u8],
        ) -> Result<(), StoreError> {
            sqlx::query(Self::sql(
                "INSERT INTO scrutiny_files (id, request_id, name, file_type, size, description, \
                 added_at, added_by, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            ))
            .bind(f.id.clone())
            .bind(request_id.to_string())
            .bind(f.name.clone())
            .bind(f.file_type.as_str())
            .bind(i64::try_from(f.size).unwrap_or(i64::MAX))
            .bind(f.description.clone())
            .bind(micros(f.added_at))
            .bind(f.added_by.clone())
            .bind(bytes.to_vec())
            .execute(&mut **tx)
            .await?;
            Ok(())
        }

        fn scrutiny_file_from_row(
            r: &<$db as sqlx::Database>::Row,
        ) -> Result<ScrutinyFile, StoreError> {
            Ok(ScrutinyFile {
                id: r.try_get("id")?,
                name: r.try_get("name")?,
                file_type: redress_domain::attachment::FileType::parse(
                    &r.try_get::<String, _>("file_type")?,
                )
                .map_err(StoreError::corrupt)?,
                size: u64::try_from(r.try_get::<i64, _>("size")?).unwrap_or(0),
                description: r.try_get("description")?,
                added_at: crate::sql::timestamp(r.try_get("added_at")?)?,
                added_by: r.try_get("added_by")?,
            })
        }

        /// A request's files, oldest first.
        pub(crate) async fn scrutiny_files(
            &self,
            request_id: &str,
        ) -> Result<Vec<ScrutinyFile>, StoreError> {
            let rows = sqlx::query(Self::sql(
                "SELECT id, name, file_type, size, description, added_at, added_by \
                 FROM scrutiny_files WHERE request_id = ? ORDER BY added_at, id",
            ))
            .bind(request_id)
            .fetch_all(&self.pool)
            .await?;
            rows.iter().map(Self::scrutiny_file_from_row).collect()
        }

        /// One of a request's files with its bytes.
        pub(crate) async fn scrutiny_file(
            &self,
            request_id: &str,
            id: &str,
        ) -> Result<Option<(ScrutinyFile, Vec<u8>)>, StoreError> {
            let row = sqlx::query(Self::sql(
                "SELECT id, name, file_type, size, description, added_at, added_by, data \
                 FROM scrutiny_files WHERE request_id = ? AND id = ?",
            ))
            .bind(request_id)
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
            row.map(|r| Ok((Self::scrutiny_file_from_row(&r)?, r.try_get("data")?)))
                .transpose()
        }
    };
}

impl SqliteStore {
    file_methods!(sqlx::Sqlite);
}

impl PgStore {
    file_methods!(sqlx::Postgres);
}

store_api! {
    /// A request's files (without their bytes), oldest first.
    pub async fn scrutiny_files(&self, request_id: &str) -> Result<Vec<ScrutinyFile>, StoreError>;

    pub async fn scrutiny_file(
        &self,
        request_id: &str,
        id: &str,
    ) -> Result<Option<(ScrutinyFile, Vec<u8>)>, StoreError>;
}
