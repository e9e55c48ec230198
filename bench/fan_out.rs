//! Making a large history quickly, by copying the cases a benchmark made in SQL.

pub type Error = Box<dyn std::error::Error + Send + Sync>;

/// Copies the `made` cases of the database, with their history, search text and figures,
/// until there are `target`: a history far larger than the API could make in a
/// benchmark's time. Round r gives each copy the original's reference with the year
/// `year` changed to 1900 + r, so every reference is real and different; the copies are
/// otherwise the same cases (same people, same dates), and the running totals are
/// multiplied to count them.
pub async fn copy_cases(url: &str, made: usize, target: usize, year: i16) -> Result<(), Error> {
    let rounds = target.div_ceil(made) - 1;
    let sqlite = url.starts_with("sqlite:");
    let statements = |r: usize| {
        // Years before 2000 can never meet the real cases' year.
        let copy_year = 1900 + r;
        [
            format!(
                "INSERT INTO contacts (id, organisation_id, reference, kind, channel, status, stage, scheme, \
                 received_at, received_on, person_id, representative, service_area_id, property_ref, tenure, summary, \
                 outcome_wanted, issue_date, safeguarding, about_vulnerable_group, wants_reply, staff_named, other_route, \
                 priority, acknowledge_by, acknowledged_on, respond_by, responded_on, closed_on, case_state, officer_id, \
                 handler_id, paused, submission_key, list_key, version, created_at, updated_at) \
                 SELECT id || '-r{r}', organisation_id, replace(reference, '-{year}-', '-{copy_year}-'), kind, channel, status, \
                 stage, scheme, received_at, received_on, person_id, representative, service_area_id, property_ref, tenure, \
                 summary, outcome_wanted, issue_date, safeguarding, about_vulnerable_group, wants_reply, staff_named, \
                 other_route, priority, acknowledge_by, acknowledged_on, respond_by, responded_on, closed_on, case_state, \
                 officer_id, handler_id, paused, NULL, list_key, version, created_at, updated_at \
                 FROM contacts WHERE id IN (SELECT id FROM bench_originals)"
            ),
            format!(
                "INSERT INTO contact_events (id, contact_id, seq, kind, at, actor_id, actor_name, summary, detail) \
                 SELECT id || '-r{r}', contact_id || '-r{r}', seq, kind, at, actor_id, actor_name, summary, detail \
                 FROM contact_events WHERE contact_id IN (SELECT id FROM bench_originals)"
            ),
            // On SQLite a search entry's rowid is its contact's search_row (migration 0006).
            if sqlite {
                "UPDATE contacts SET search_row = rowid WHERE search_row IS NULL".to_string()
            } else {
                "SELECT 1".to_string()
            },
            if sqlite {
                format!(
                    "INSERT INTO contact_search (rowid, contact_id, body) \
                     SELECT c.search_row, c.id, s.body FROM contact_search s JOIN contacts c ON c.id = s.contact_id || '-r{r}' \
                     WHERE s.rowid <= (SELECT MAX(search_row) FROM bench_originals)"
                )
            } else {
                format!(
                    "INSERT INTO contact_search (contact_id, body) SELECT contact_id || '-r{r}', body \
                     FROM contact_search WHERE contact_id IN (SELECT id FROM bench_originals)"
                )
            },
            format!(
                "INSERT INTO complaint_people (contact_id, organisation_id, service_area_id, received_on, person_key) \
                 SELECT contact_id || '-r{r}', organisation_id, service_area_id, received_on, person_key \
                 FROM complaint_people WHERE contact_id IN (SELECT id FROM bench_originals)"
            ),
        ]
    };
    // The same rounds on either backend's pool type.
    macro_rules! copy_rounds {
        ($pool:expr) => {{
            let pool = $pool;
            // The cases to copy, looked up by key in each round rather than by scanning
            // everything copied so far.
            sqlx::query(sqlx::AssertSqlSafe(format!(
                "CREATE TABLE bench_originals AS SELECT id, {} AS search_row FROM contacts",
                if sqlite { "search_row" } else { "0" }
            )))
            .execute(&pool)
            .await?;
            for r in 1..=rounds {
                let mut tx = pool.begin().await?;
                for sql in statements(r) {
                    sqlx::query(sqlx::AssertSqlSafe(sql))
                        .execute(&mut *tx)
                        .await?;
                }
                tx.commit().await?;
            }
            // Every copy counts what its original counts.
            let k = rounds + 1;
            sqlx::query(sqlx::AssertSqlSafe(format!(
                "UPDATE daily_figures SET n = n * {k}, a = a * {k}, b = b * {k}, c = c * {k}"
            )))
            .execute(&pool)
            .await?;
            sqlx::query("DROP TABLE bench_originals")
                .execute(&pool)
                .await?;
            pool.close().await;
        }};
    }
    if url.starts_with("sqlite:") {
        copy_rounds!(sqlx::SqlitePool::connect(url).await?);
    } else {
        copy_rounds!(sqlx::PgPool::connect(url).await?);
    }
    Ok(())
}
