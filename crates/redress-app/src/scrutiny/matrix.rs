//! The scoring matrix: criteria and weights, figures entered or read from Redress's own records, and each year's scores kept.

use super::*;

impl App {
    /// The matrix's criteria and weights, for those who read scrutiny.
    pub async fn matrix_settings(&self, who: &Principal) -> Result<MatrixSettings, AppError> {
        who.require(Permission::ViewScrutiny)?;
        self.matrix_in_use().await
    }

    pub(crate) async fn matrix_in_use(&self) -> Result<MatrixSettings, AppError> {
        Ok(self
            .store
            .setting(&self.organisation.id, MATRIX_SETTING)
            .await?
            .and_then(|s| serde_json::from_str(&s).ok())
            .unwrap_or_default())
    }

    /// The team's own criteria and weights.
    pub async fn save_matrix_settings(
        &self,
        who: &Principal,
        form: &BTreeMap<String, String>,
    ) -> Result<(), AppError> {
        who.require(Permission::DecideScrutiny)?;
        let settings = MatrixSettings::parse(form)?;
        let json =
            serde_json::to_string(&settings).map_err(|e| AppError::Internal(e.to_string()))?;
        let by = who.actor().name;
        let changes = [
            AdminChange::Setting {
                name: MATRIX_SETTING,
                value: &json,
            },
            AdminChange::ScrutinyRecord {
                what: "matrix",
                value: &json,
                by: &by,
            },
        ];
        self.change(who, &changes, "Scoring matrix criteria and weights changed")
            .await
    }

    /// Records a figure the team has for an area (performance, criticality, or one that
    /// replaces Redress's own).
    pub async fn enter_figure(
        &self,
        who: &Principal,
        year: i16,
        area_id: &str,
        criterion: &str,
        value: &str,
        evidence: &str,
    ) -> Result<(), AppError> {
        who.require(Permission::DecideScrutiny)?;
        let mut e = FieldErrors::new();
        let criterion = e.take("criterion", Criterion::parse(criterion));
        let value = match value.trim() {
            "" => None,
            v => match (v.parse::<f64>(), criterion) {
                (Ok(n), Some(c)) => e.take("value", c.check(n)),
                (Ok(n), None) => Some(n),
                (Err(_), _) => {
                    e.add("value", "Enter a number, like 82.5, or leave it empty");
                    None
                }
            },
        };
        let evidence = e.take(
            "evidence",
            redress_domain::Text::parse(evidence, "where the figure comes from", 1_000),
        );
        if !self.service_area_names().await?.contains_key(area_id) {
            e.add("area", "Select a business area");
        }
        e.into_result()?;
        let (Some(criterion), Some(evidence)) = (criterion, evidence) else {
            return Err(AppError::invalid("criterion", "Select the measure"));
        };
        self.store
            .save_figure(
                &self.organisation.id,
                year,
                &Figure {
                    area_id: area_id.to_string(),
                    criterion,
                    value,
                    evidence: evidence.into_string(),
                },
                &who.actor().name,
            )
            .await?;
        Ok(())
    }

    /// Scores every business area for the financial year starting in `year`, from
    /// Redress's complaints and surveys where it has them and the team's figures where
    /// not (an entered figure wins), plus accepted calls for scrutiny. Not kept.
    pub async fn score_areas(
        &self,
        who: &Principal,
        year: i16,
    ) -> Result<Vec<AreaScore>, AppError> {
        who.require(Permission::ViewScrutiny)?;
        let settings = self.matrix_in_use().await?;
        let period = Period::financial_year(year).map_err(|m| AppError::invalid("year", m))?;
        let entered = self.store.figures(&self.organisation.id, year).await?;
        let requests = self.all_requests().await?;
        let mut scores = Vec::new();
        for area in self.store.service_areas(&self.organisation.id).await? {
            let m = self.count_measures(period, Some(&area.id)).await?;
            let mut computed: BTreeMap<Criterion, (Option<f64>, String)> = BTreeMap::new();
            computed.insert(
                Criterion::Complaints,
                (
                    Some(f64::from(m.new_complaints)),
                    format!(
                        "{} complaints received in {}",
                        m.new_complaints,
                        Period::financial_year_label(year)
                    ),
                ),
            );
            let (responses, upheld) =
                m.outcomes_by_stage
                    .values()
                    .fold((0u32, 0u32), |(n, u), by| {
                        let all: u32 = by.values().sum();
                        let up = by.get("upheld").copied().unwrap_or(0)
                            + by.get("partly-upheld").copied().unwrap_or(0);
                        (n + all, u + up)
                    });
            computed.insert(
                Criterion::Upheld,
                (
                    pct(upheld, responses),
                    format!("{upheld} of {responses} responses upheld in full or part"),
                ),
            );
            let (answered, on_time) = m
                .timeliness_by_stage
                .values()
                .fold((0u32, 0u32), |(n, t), s| (n + s.responses, t + s.on_time));
            computed.insert(
                Criterion::Late,
                (
                    pct(answered - on_time, answered),
                    format!("{} of {answered} responses late", answered - on_time),
                ),
            );
            computed.insert(
                Criterion::Repeat,
                (
                    Some(f64::from(m.repeat_complainants)),
                    format!("{} people complained more than once", m.repeat_complainants),
                ),
            );
            let (asked, satisfied) = m
                .satisfaction_by_stage
                .values()
                .fold((0u32, 0u32), |(n, s), x| {
                    (n + x.responses, s + x.satisfied_with_handling)
                });
            computed.insert(
                Criterion::Satisfaction,
                (
                    pct(satisfied, asked),
                    format!("{satisfied} of {asked} survey answers satisfied with handling"),
                ),
            );
            let figures = Criterion::ALL
                .iter()
                .map(|c| {
                    // An emptied figure no longer replaces Redress's own.
                    let typed = entered
                        .iter()
                        .find(|f| f.area_id == area.id && f.criterion == *c && f.value.is_some());
                    match (typed, computed.remove(c)) {
                        (Some(f), _) => (*c, f.value, Source::Entered, f.evidence.clone()),
                        (None, Some((v, why))) => (*c, v, Source::Computed, why),
                        (None, None) => (*c, None, Source::Missing, "Not entered yet".into()),
                    }
                })
                .collect();
            let accepted = requests
                .iter()
                .filter(|r| {
                    r.decision.as_ref().is_some_and(|d| {
                        d.outcome == Outcome::Accepted && period.contains(d.decided_on)
                    }) && r.form.as_ref().and_then(|f| f.business_area.as_deref())
                        == Some(area.id.as_str())
                })
                .count();
            scores.push(score(
                &settings,
                &area.id,
                &area.name,
                figures,
                u32::try_from(accepted).unwrap_or(u32::MAX),
            ));
        }
        Ok(rank(scores))
    }

    /// Scores and keeps the year's scores with their evidence.
    pub async fn keep_scores(
        &self,
        who: &Principal,
        year: i16,
    ) -> Result<Vec<AreaScore>, AppError> {
        who.require(Permission::DecideScrutiny)?;
        let scores = self.score_areas(who, year).await?;
        self.store
            .save_scores(&self.organisation.id, year, &scores, &who.actor().name)
            .await?;
        Ok(scores)
    }

    /// The year's latest kept scores, highest first, with when and by whom.
    pub async fn kept_scores(
        &self,
        who: &Principal,
        year: i16,
    ) -> Result<Vec<(AreaScore, jiff::Timestamp, String)>, AppError> {
        Ok(self
            .score_versions(who, year)
            .await?
            .into_iter()
            .next()
            .map(|v| {
                v.scores
                    .into_iter()
                    .map(|s| (s, v.at, v.by.clone()))
                    .collect()
            })
            .unwrap_or_default())
    }

    /// Every time the year's scores were kept, the latest first: rescoring never loses
    /// an earlier version.
    pub async fn score_versions(
        &self,
        who: &Principal,
        year: i16,
    ) -> Result<Vec<ScoreVersion>, AppError> {
        // Kept scores are figures by business area, no resident's details: the Board reads
        // the ranking the programme was chosen from.
        who.require(Permission::ReadScrutinyReports)?;
        let mut versions: Vec<ScoreVersion> = Vec::new();
        for (score, at, by) in self.store.scores(&self.organisation.id, year).await? {
            match versions.last_mut() {
                Some(v) if v.at == at => v.scores.push(score),
                _ => versions.push(ScoreVersion {
                    at,
                    by,
                    scores: vec![score],
                }),
            }
        }
        Ok(versions)
    }

    /// What changed in the matrix's criteria and weights, the exercise stages and the
    /// figures the team entered, latest first, for those who read scrutiny.
    pub async fn scrutiny_changes(
        &self,
        who: &Principal,
    ) -> Result<Vec<redress_store::ScrutinyChange>, AppError> {
        who.require(Permission::ViewScrutiny)?;
        Ok(self.store.scrutiny_changes(&self.organisation.id).await?)
    }
}

/// One kept scoring of a year.
#[derive(Debug, Clone)]
pub struct ScoreVersion {
    pub at: jiff::Timestamp,
    pub by: String,
    /// Highest first.
    pub scores: Vec<AreaScore>,
}
