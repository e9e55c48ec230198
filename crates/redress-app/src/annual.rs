//! The annual complaints performance and service improvement report with the Code
//! self-assessment: prepared by administrators, answered and approved by the governing
//! body, and on approval published as a snapshot that never changes. A correction is a new,
//! dated version; the earlier ones stay readable.

use crate::access::Principal;
use crate::{App, AppError};
use redress_domain::FieldErrors;
use redress_domain::language::Language;
use redress_domain::measures::{Measures, Period, Tsm};
use redress_domain::role::Permission;

/// The annual complaints performance and service improvement report, with the Code
/// self-assessment and the governing body's response.
#[derive(Debug, Clone, serde::Serialize)]
pub struct AnnualReport {
    pub year: i16,
    pub organisation: String,
    pub measures: Measures,
    pub tsm: Tsm,
    /// Each requirement with the organisation's own statement, if written.
    pub assessment: Vec<(
        redress_domain::assessment::AssessedRequirement,
        Option<String>,
    )>,
    /// Improvements made in the year: what changed, where, when.
    pub improvements_made: Vec<(String, String, jiff::civil::Date)>,
    /// Suggested changes not going ahead, with why.
    pub improvements_declined: Vec<(String, String)>,
    pub ombudsman_letter: Option<String>,
    pub governing_body_response: Option<String>,
    pub member_responsible: Option<String>,
    /// The share on time, in per cent, that the self-assessment counts as meeting the Code.
    pub on_time_target_pct: u32,
    /// Whether a version has been approved and published.
    pub published: bool,
    /// The versions approved so far, oldest first.
    pub versions: Vec<VersionSummary>,
    /// The year's quarters, for the quarter-on-quarter table.
    pub quarters: Vec<crate::trends::TrendPoint>,
    /// The year and the two before it, for the year-on-year table.
    pub years: Vec<crate::trends::TrendPoint>,
}

/// One approved version of a year's report: when, and by whom.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct VersionSummary {
    pub version: u32,
    pub published_on: jiff::civil::Date,
    /// Who approved it, for staff; the public see the date only.
    #[serde(skip_serializing_if = "String::is_empty", default)]
    pub approved_by: String,
}

/// A year's report exactly as the governing body approved it: never changed afterwards.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct PublishedReport {
    #[serde(flatten)]
    pub summary: VersionSummary,
    /// The figures, self-assessment and responses, as the API serves them.
    pub report: serde_json::Value,
    /// The same, as the public page shows them.
    pub html: String,
    /// The same in Welsh; none for a version approved before reports were written in Welsh.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub html_cy: Option<String>,
}

fn version_key(year: i16, version: u32) -> String {
    // Zero-padded, so the stored names sort in version order.
    annual_key(year, &format!("version:{version:04}"))
}

fn annual_key(year: i16, part: &str) -> String {
    format!("annual:{year}:{part}")
}

/// Where an improvement made for no one service area was made.
pub const ACROSS_SERVICES: &str = "Across services";

const MEMBER_RESPONSIBLE: &str = "member-responsible";
const ON_TIME_TARGET: &str = "annual:on-time-target";
/// The share answered on time, in per cent, counted as meeting the Code's timescales
/// unless the organisation sets its own.
pub const DEFAULT_ON_TIME_TARGET: u32 = 95;

/// What administrators write into the annual report. The governing body's response is its
/// own (`respond_to_annual_report`).
#[derive(Debug, Clone, Default)]
pub struct AnnualText {
    pub statements: std::collections::BTreeMap<String, String>,
    pub ombudsman_letter: String,
    pub member_responsible: String,
    /// The share on time, in per cent, that meets the Code's timescales (50 to 100).
    pub on_time_target: String,
}

/// Typed text keeps its line breaks; other control characters go (PostgreSQL refuses a NUL,
/// and none belongs in a published report).
fn clean(v: &str) -> String {
    v.chars()
        .filter(|c| !c.is_control() || matches!(c, '\n' | '\r' | '\t'))
        .collect::<String>()
        .trim()
        .to_string()
}

fn too_long(e: &mut FieldErrors, field: &str, v: &str) {
    if v.chars().count() > 10_000 {
        e.add(field, "This must be 10,000 characters or fewer");
    }
}

impl App {
    async fn setting_text(&self, key: &str) -> Result<Option<String>, AppError> {
        Ok(self
            .store
            .setting(&self.organisation.id, key)
            .await?
            .filter(|v| !v.trim().is_empty()))
    }

    /// The annual report as it stands, for those who read reports.
    pub async fn annual_report(
        &self,
        who: &Principal,
        year: i16,
    ) -> Result<AnnualReport, AppError> {
        who.require(Permission::ViewReports)?;
        self.build_annual_report(year, None).await
    }

    /// Every approved version of a year's report, oldest first.
    async fn published_versions(&self, year: i16) -> Result<Vec<PublishedReport>, AppError> {
        let prefix = annual_key(year, "version:");
        let mut versions: Vec<PublishedReport> = self
            .store
            .settings_named(&self.organisation.id, &prefix)
            .await?
            .into_iter()
            .filter_map(|(_, json)| serde_json::from_str(&json).ok())
            .collect();
        versions.sort_by_key(|v| v.summary.version);
        Ok(versions)
    }

    /// A published version of the report (the latest unless `version` is given), with the
    /// dates of every version, for anyone: exactly as approved, whatever has happened since.
    pub async fn published_annual_report(
        &self,
        year: i16,
        version: Option<u32>,
    ) -> Result<(PublishedReport, Vec<VersionSummary>), AppError> {
        let versions = self.published_versions(year).await?;
        let chosen = match version {
            Some(n) => versions.iter().find(|v| v.summary.version == n),
            None => versions.last(),
        }
        .cloned()
        .ok_or(AppError::NotFound)?;
        let mut chosen = chosen;
        chosen.summary.approved_by.clear();
        let dates = versions
            .into_iter()
            .map(|v| VersionSummary {
                approved_by: String::new(),
                ..v.summary
            })
            .collect();
        Ok((chosen, dates))
    }

    /// A report published before versions were kept (a flag, and the live figures) becomes
    /// version 1 as it reads now, so its public page stays up; returns whether it did.
    pub async fn keep_earlier_publication(
        &self,
        year: i16,
        render: impl Fn(&AnnualReport, Language) -> String,
    ) -> Result<bool, AppError> {
        let flagged = self
            .setting_text(&annual_key(year, "published"))
            .await?
            .is_some_and(|v| v == "yes");
        if !flagged || !self.published_versions(year).await?.is_empty() {
            return Ok(false);
        }
        let response = self
            .setting_text(&annual_key(year, "response"))
            .await?
            .unwrap_or_default();
        let report = self.build_annual_report(year, Some(&response)).await?;
        let published = PublishedReport {
            summary: VersionSummary {
                version: 1,
                published_on: self.today(),
                approved_by: "Published before versions were kept".into(),
            },
            report: serde_json::to_value(&report).map_err(|e| AppError::Internal(e.to_string()))?,
            html: render(&report, Language::English),
            html_cy: Some(render(&report, Language::Welsh)),
        };
        let json =
            serde_json::to_string(&published).map_err(|e| AppError::Internal(e.to_string()))?;
        self.change(
            &Principal::System,
            &[redress_store::AdminChange::Settings(vec![
                (version_key(year, 1), json),
                (annual_key(year, "published"), String::new()),
            ])],
            &format!(
                "Annual report {} kept as version 1, as published before versions were kept",
                Period::financial_year_label(year)
            ),
        )
        .await?;
        Ok(true)
    }

    /// The report as it stands. With `approving`, as it will be once the governing body's
    /// response is that text and the report is published.
    async fn build_annual_report(
        &self,
        year: i16,
        approving: Option<&str>,
    ) -> Result<AnnualReport, AppError> {
        use redress_domain::assessment::{Facts, assess};
        use redress_domain::learning::ImprovementStatus;
        use redress_domain::role::Role;
        let period = Period::financial_year(year).map_err(|m| AppError::invalid("year", m))?;
        let measures = self.count_measures(period, None).await?;
        let tsm = self.count_tsm(year).await?;
        let org = &self.organisation.id;
        let mut schemes = vec![self.find_scheme(&self.organisation.default_scheme).await?];
        for area in self.store.service_areas(org).await? {
            // An organisation's own scheme is found by its id without a version.
            if !schemes
                .iter()
                .any(|s| redress_domain::scheme::Scheme::base_id(&s.id) == area.scheme)
            {
                schemes.push(self.find_scheme(&area.scheme).await?);
            }
        }
        let officers = self
            .store
            .users()
            .await?
            .iter()
            .filter(|u| u.active && u.role == Role::ComplaintsOfficer)
            .count();
        let overdue = self
            .store
            .open_actions(org, Some(self.today()))
            .await?
            .iter()
            .filter(|a| a.kind == "remedy")
            .count();
        let member = self.setting_text(MEMBER_RESPONSIBLE).await?;
        let response = match approving {
            Some(text) => Some(text.to_string()),
            None => self.setting_text(&annual_key(year, "response")).await?,
        };
        let versions: Vec<VersionSummary> = self
            .published_versions(year)
            .await?
            .into_iter()
            .map(|v| v.summary)
            .collect();
        let published = approving.is_some() || !versions.is_empty();
        let target = self
            .setting_text(ON_TIME_TARGET)
            .await?
            .and_then(|v| v.parse::<u32>().ok())
            .unwrap_or(DEFAULT_ON_TIME_TARGET);
        // What is overdue today, so "meets the Code" is never claimed over late complaints.
        let today = self.today();
        let waiting = self
            .store
            .contacts_for_report(org, today, today, None)
            .await?;
        let mut overdue_now: std::collections::BTreeMap<u8, Vec<String>> = Default::default();
        for (c, s) in redress_domain::measures::awaiting_response(&waiting, today) {
            if s.respond_by < today {
                overdue_now
                    .entry(s.stage)
                    .or_default()
                    .push(c.reference.to_string());
            }
        }
        let facts = Facts {
            schemes: &schemes,
            complaints_officers: officers,
            member_responsible: member.as_deref(),
            governing_body_response: response.is_some(),
            published,
            remedies_overdue: overdue,
            service_requests: measures
                .received_by_kind
                .get("service-request")
                .copied()
                .unwrap_or(0),
            on_time_target_pct: f64::from(target),
            overdue_now: &overdue_now,
        };
        let mut assessment = Vec::new();
        for r in assess(&measures, &facts) {
            let statement = self
                .setting_text(&annual_key(year, &format!("statement:{}", r.id)))
                .await?;
            assessment.push((r, statement));
        }
        let areas = self.store.service_areas(org).await?;
        let area_name = |id: &Option<String>| {
            id.as_ref()
                .and_then(|id| areas.iter().find(|a| &a.id == id))
                .map(|a| a.name.clone())
                .unwrap_or_else(|| ACROSS_SERVICES.into())
        };
        let mut improvements_made = Vec::new();
        let mut improvements_declined = Vec::new();
        for (i, _) in self.store.improvements(org).await? {
            match (i.status, i.implemented_on, i.decided_on) {
                (ImprovementStatus::Implemented, Some(on), _) if period.contains(on) => {
                    improvements_made.push((i.title.to_string(), area_name(&i.service_area), on))
                }
                (ImprovementStatus::Declined, _, Some(on)) if period.contains(on) => {
                    improvements_declined.push((
                        i.title.to_string(),
                        i.explanation.map(|t| t.into_string()).unwrap_or_default(),
                    ))
                }
                _ => {}
            }
        }
        improvements_made.sort_by_key(|(_, _, on)| *on);
        let (quarters, years) = self.year_trends(year).await?;
        Ok(AnnualReport {
            year,
            organisation: self.display_name(),
            measures,
            tsm,
            assessment,
            improvements_made,
            improvements_declined,
            ombudsman_letter: self.setting_text(&annual_key(year, "ombudsman")).await?,
            governing_body_response: response,
            member_responsible: member,
            on_time_target_pct: target,
            published,
            versions,
            quarters,
            years,
        })
    }

    /// Saves what administrators write in the report: a statement for each requirement,
    /// the Ombudsman's letter and the Member Responsible for Complaints. The governing
    /// body's response and its approval are the governing body's alone.
    pub async fn save_annual_text(
        &self,
        who: &Principal,
        year: i16,
        submitted: &AnnualText,
    ) -> Result<(), AppError> {
        who.require(Permission::Administer)?;
        let report = self.build_annual_report(year, None).await?;
        let mut e = FieldErrors::new();
        // Only the Code's requirements have statements; anything else sent is ignored.
        let mut settings = Vec::new();
        for (r, _) in &report.assessment {
            let v = submitted
                .statements
                .get(r.id)
                .map(String::as_str)
                .unwrap_or_default();
            too_long(&mut e, &format!("statement-{}", r.id), v);
            settings.push((annual_key(year, &format!("statement:{}", r.id)), clean(v)));
        }
        too_long(&mut e, "ombudsman_letter", &submitted.ombudsman_letter);
        let target = submitted.on_time_target.trim();
        let target = if target.is_empty() {
            String::new()
        } else {
            match target.trim_end_matches('%').trim().parse::<u32>() {
                Ok(n) if (50..=100).contains(&n) => n.to_string(),
                _ => {
                    e.add(
                        "on_time_target",
                        "Enter the share on time as a whole number from 50 to 100",
                    );
                    String::new()
                }
            }
        };
        if submitted.member_responsible.chars().count() > 200 {
            e.add(
                "member_responsible",
                "The name must be 200 characters or fewer",
            );
        }
        e.into_result()?;
        settings.extend([
            (
                annual_key(year, "ombudsman"),
                clean(&submitted.ombudsman_letter),
            ),
            (
                MEMBER_RESPONSIBLE.to_string(),
                clean(&submitted.member_responsible),
            ),
            (ON_TIME_TARGET.to_string(), target),
        ]);
        let summary = format!(
            "Annual report {}: statements saved",
            Period::financial_year_label(year)
        );
        self.change(
            who,
            &[redress_store::AdminChange::Settings(settings)],
            &summary,
        )
        .await
    }

    /// The governing body writes its response and, with `approve`, approves the report as it
    /// stands: the figures, the self-assessment and the response are published as a new
    /// version, rendered once by `render` in English and in Welsh for the public page, and
    /// never change after.
    /// Returns the new version's number when one was published.
    pub async fn respond_to_annual_report(
        &self,
        who: &Principal,
        year: i16,
        response: &str,
        approve: bool,
        render: impl Fn(&AnnualReport, Language) -> String,
    ) -> Result<Option<u32>, AppError> {
        who.require(Permission::AnswerAnnualReport)?;
        let response = clean(response);
        let mut e = FieldErrors::new();
        too_long(&mut e, "governing_body_response", &response);
        if approve && response.is_empty() {
            e.add(
                "governing_body_response",
                "Write the governing body's response before approving: they are published together",
            );
        }
        e.into_result()?;
        let label = Period::financial_year_label(year);
        let mut settings = vec![(annual_key(year, "response"), response.clone())];
        if !approve {
            return self
                .change(
                    who,
                    &[redress_store::AdminChange::Settings(settings)],
                    &format!("Annual report {label}: the governing body's response saved"),
                )
                .await
                .map(|()| None);
        }
        let report = self.build_annual_report(year, Some(&response)).await?;
        let version = report.versions.last().map_or(1, |v| v.version + 1);
        let published = PublishedReport {
            summary: VersionSummary {
                version,
                published_on: self.today(),
                approved_by: who.actor().name,
            },
            report: serde_json::to_value(&report).map_err(|e| AppError::Internal(e.to_string()))?,
            html: render(&report, Language::English),
            html_cy: Some(render(&report, Language::Welsh)),
        };
        let json =
            serde_json::to_string(&published).map_err(|e| AppError::Internal(e.to_string()))?;
        settings.push((version_key(year, version), json));
        self.change(
            who,
            &[redress_store::AdminChange::Settings(settings)],
            &format!("Annual report {label} approved and published by the governing body: version {version}"),
        )
        .await?;
        Ok(Some(version))
    }
}
