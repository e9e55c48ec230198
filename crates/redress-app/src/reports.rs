//! Performance measures and the Tenant Satisfaction Measures, from the organisation's own
//! records.

use crate::access::Principal;
use crate::{App, AppError};
use redress_domain::FieldErrors;
use redress_domain::figures::{AtPeriodEnd, Total, measures_from, stages_by_tenure};
use redress_domain::measures::{Measures, Period, Tsm, tsm_from};
use redress_domain::organisation::ServiceArea;
use redress_domain::role::Permission;

/// The years a report's dates may fall in, as for a financial year.
const REPORT_YEARS: std::ops::RangeInclusive<i16> = 2000..=2100;
/// The longest period one report covers.
const MAX_REPORT_YEARS: i64 = 10;

/// Reads a period typed as two dates.
pub fn parse_period(from: &str, to: &str) -> Result<Period, AppError> {
    let mut e = FieldErrors::new();
    let date =
        |e: &mut FieldErrors, field: &str, raw: &str| match raw.trim().parse::<jiff::civil::Date>()
        {
            Ok(d) => Some(d),
            Err(_) => {
                e.add(field, "Enter a real date, like 2026-04-01");
                None
            }
        };
    let from = date(&mut e, "from", from);
    let to = date(&mut e, "to", to);
    // Reports count day by day: a period of centuries would keep a server busy for
    // minutes, and no organisation's records reach back that far.
    for (field, d) in [("from", from), ("to", to)] {
        if d.is_some_and(|d| !REPORT_YEARS.contains(&d.year())) {
            e.add(field, "Enter a date from 2000 to 2100");
        }
    }
    match (from, to) {
        (Some(from), Some(to)) if e.is_empty() => {
            if from.saturating_add(jiff::Span::new().years(MAX_REPORT_YEARS)) < to {
                return Err(AppError::invalid(
                    "to",
                    format!(
                        "A report covers at most {MAX_REPORT_YEARS} years: choose a shorter period"
                    ),
                ));
            }
            Period::new(from, to).map_err(|m| AppError::invalid("to", m))
        }
        _ => Err(AppError::Invalid(e)),
    }
}

/// Reads a financial year given by the year it starts in.
pub fn parse_year(raw: &str) -> Result<i16, AppError> {
    match raw.trim().parse::<i16>() {
        Ok(y) if (2000..=2100).contains(&y) => Ok(y),
        _ => Err(AppError::invalid(
            "year",
            "Enter the year the financial year starts in, like 2025 for April 2025 to March 2026",
        )),
    }
}

impl App {
    /// A service area by its id or its name (any case).
    pub async fn find_area(&self, id_or_name: &str) -> Result<ServiceArea, AppError> {
        let wanted = id_or_name.trim();
        self.store
            .service_areas(&self.organisation.id)
            .await?
            .into_iter()
            .find(|a| a.id == wanted || a.name.eq_ignore_ascii_case(wanted))
            .ok_or_else(|| {
                AppError::invalid("service_area", "There is no service area with that name")
            })
    }

    /// The performance measures for a period, for those who read reports: counts and
    /// rates, no personal data.
    pub async fn measures(
        &self,
        who: &Principal,
        period: Period,
        service_area: Option<&str>,
    ) -> Result<Measures, AppError> {
        who.require(Permission::ViewReports)?;
        self.count_measures(period, service_area).await
    }

    pub(crate) async fn count_measures(
        &self,
        period: Period,
        service_area: Option<&str>,
    ) -> Result<Measures, AppError> {
        let area = match service_area.filter(|a| !a.trim().is_empty()) {
            Some(a) => Some(self.find_area(a).await?),
            None => None,
        };
        let area_id = area.as_ref().map(|a| a.id.as_str());
        let org = &self.organisation.id;
        let (totals, mut end) = self
            .store
            .figure_totals(org, period.from, period.to, area_id)
            .await?;
        end.repeat_complainants = self
            .store
            .repeat_complainants(org, period.from, period.to, area_id)
            .await?;
        self.measures_from_totals(&totals, &end, period, area).await
    }

    async fn measures_from_totals(
        &self,
        totals: &[Total],
        end: &AtPeriodEnd,
        period: Period,
        area: Option<ServiceArea>,
    ) -> Result<Measures, AppError> {
        let areas = self.store.service_areas(&self.organisation.id).await?;
        let calendar = self.calendar().await?;
        let name = |id: Option<&str>| {
            id.and_then(|id| areas.iter().find(|a| a.id == id))
                .map(|a| a.name.clone())
                .unwrap_or_else(|| "No service area".into())
        };
        let mut m = measures_from(totals, end, period, &calendar, &name);
        let implemented = match &area {
            // The register is kept per service area; count those of the area asked for.
            Some(a) => self
                .store
                .improvements(&self.organisation.id)
                .await?
                .iter()
                .filter(|(i, _)| {
                    i.service_area.as_deref() == Some(a.id.as_str())
                        && i.implemented_on.is_some_and(|d| period.contains(d))
                })
                .count(),
            None => usize::try_from(
                self.store
                    .improvements_implemented(&self.organisation.id, period.from, period.to)
                    .await?,
            )
            .unwrap_or(0),
        };
        m.improvements_implemented = u32::try_from(implemented).unwrap_or(u32::MAX);
        m.service_area = area.map(|a| a.name);
        Ok(m)
    }

    /// Empties the report totals and counts every case into them again, in one
    /// transaction: for operators, after a change to how figures are made.
    pub async fn recount_figures(&self, who: &Principal) -> Result<u64, AppError> {
        who.require(Permission::Administer)?;
        Ok(self.store.recount_figures().await?)
    }

    /// CH01 and CH02 for a financial year, for those who read reports.
    pub async fn tsm(&self, who: &Principal, year: i16) -> Result<Tsm, AppError> {
        who.require(Permission::ViewReports)?;
        self.count_tsm(year).await
    }

    pub(crate) async fn count_tsm(&self, year: i16) -> Result<Tsm, AppError> {
        let period = Period::financial_year(year).map_err(|m| AppError::invalid("year", m))?;
        let (totals, end) = self
            .store
            .figure_totals(&self.organisation.id, period.from, period.to, None)
            .await?;
        let m = self
            .measures_from_totals(&totals, &end, period, None)
            .await?;
        let homes = self.store.homes(&self.organisation.id).await?;
        tsm_from(&m, stages_by_tenure(&totals), year, &homes)
            .map_err(|m| AppError::invalid("year", m))
    }
}

/// One open complaint on the management dashboard.
#[derive(Debug, Clone, serde::Serialize)]
pub struct OpenComplaint {
    pub reference: String,
    pub stage: u8,
    pub service_area: String,
    pub handler: Option<String>,
    pub respond_by: jiff::civil::Date,
    /// Working days left to the response date; negative once it has passed.
    pub working_days_left: i64,
}

impl App {
    /// Complaints waiting for a response today, most at risk of breach first: for those
    /// who read reports, narrowed to a service manager's own areas.
    pub async fn open_complaints(&self, who: &Principal) -> Result<Vec<OpenComplaint>, AppError> {
        let scope = self.grant(who, Permission::ViewReports).await?;
        let today = self.today();
        let mut contacts = self
            .store
            .contacts_for_report(&self.organisation.id, today, today, None)
            .await?;
        contacts.retain(|c| scope.allows(c));
        let areas = self.store.service_areas(&self.organisation.id).await?;
        let calendar = self.calendar().await?;
        let mut out: Vec<OpenComplaint> =
            redress_domain::measures::awaiting_response(&contacts, today)
                .into_iter()
                .map(|(c, s)| OpenComplaint {
                    reference: c.reference.to_string(),
                    stage: s.stage,
                    service_area: c
                        .detail
                        .service_area
                        .as_ref()
                        .and_then(|id| areas.iter().find(|a| &a.id == id))
                        .map(|a| a.name.clone())
                        .unwrap_or_else(|| "No service area".into()),
                    handler: s
                        .handler
                        .as_ref()
                        .or(c.case.officer.as_ref())
                        .map(|a| a.name.clone()),
                    respond_by: s.respond_by,
                    working_days_left: calendar.working_days_left(today, s.respond_by),
                })
                .collect();
        out.sort_by(|a, b| {
            a.working_days_left
                .cmp(&b.working_days_left)
                .then_with(|| a.reference.cmp(&b.reference))
        });
        Ok(out)
    }
}

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
    pub published: bool,
}

fn annual_key(year: i16, part: &str) -> String {
    format!("annual:{year}:{part}")
}

const MEMBER_RESPONSIBLE: &str = "member-responsible";

/// What can be written into the annual report.
#[derive(Debug, Clone, Default)]
pub struct AnnualText {
    pub statements: std::collections::BTreeMap<String, String>,
    pub ombudsman_letter: String,
    pub governing_body_response: String,
    pub member_responsible: String,
    pub published: bool,
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
        self.build_annual_report(year).await
    }

    /// The annual report once the organisation has published it, for anyone.
    pub async fn published_annual_report(&self, year: i16) -> Result<AnnualReport, AppError> {
        let report = self.build_annual_report(year).await?;
        if report.published {
            Ok(report)
        } else {
            Err(AppError::NotFound)
        }
    }

    async fn build_annual_report(&self, year: i16) -> Result<AnnualReport, AppError> {
        use redress_domain::assessment::{Facts, assess};
        use redress_domain::learning::ImprovementStatus;
        use redress_domain::role::Role;
        let period = Period::financial_year(year).map_err(|m| AppError::invalid("year", m))?;
        let measures = self.count_measures(period, None).await?;
        let tsm = self.count_tsm(year).await?;
        let org = &self.organisation.id;
        let mut schemes = vec![self.find_scheme(&self.organisation.default_scheme).await?];
        for area in self.store.service_areas(org).await? {
            if !schemes.iter().any(|s| s.id == area.scheme) {
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
        let response = self.setting_text(&annual_key(year, "response")).await?;
        let published = self
            .setting_text(&annual_key(year, "published"))
            .await?
            .is_some_and(|v| v == "yes");
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
                .unwrap_or_else(|| "Across services".into())
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
            published,
        })
    }

    /// Saves the organisation's words in the report. Publishing needs the governing
    /// body's response first, as the Code asks for them to be published together.
    ///
    /// Administrators write it all; the governing body writes its response, and everything
    /// else stays as the administrators left it.
    pub async fn save_annual_text(
        &self,
        who: &Principal,
        year: i16,
        submitted: &AnnualText,
    ) -> Result<(), AppError> {
        who.require(Permission::AnswerAnnualReport)?;
        let report = self.build_annual_report(year).await?;
        // Only the Code's requirements have statements; anything else sent is ignored.
        let text = &if who.can(Permission::Administer) {
            AnnualText {
                statements: report
                    .assessment
                    .iter()
                    .map(|(r, _)| {
                        let id = r.id.to_string();
                        let v = submitted.statements.get(&id).cloned().unwrap_or_default();
                        (id, v)
                    })
                    .collect(),
                ..submitted.clone()
            }
        } else {
            AnnualText {
                statements: report
                    .assessment
                    .iter()
                    .map(|(r, s)| (r.id.to_string(), s.clone().unwrap_or_default()))
                    .collect(),
                ombudsman_letter: report.ombudsman_letter.unwrap_or_default(),
                governing_body_response: submitted.governing_body_response.clone(),
                member_responsible: report.member_responsible.unwrap_or_default(),
                published: report.published,
            }
        };
        let mut e = FieldErrors::new();
        let long = |e: &mut FieldErrors, field: &str, v: &str| {
            if v.chars().count() > 10_000 {
                e.add(field, "This must be 10,000 characters or fewer");
            }
        };
        for (id, v) in &text.statements {
            long(&mut e, &format!("statement-{id}"), v);
        }
        long(&mut e, "ombudsman_letter", &text.ombudsman_letter);
        long(
            &mut e,
            "governing_body_response",
            &text.governing_body_response,
        );
        if text.member_responsible.chars().count() > 200 {
            e.add(
                "member_responsible",
                "The name must be 200 characters or fewer",
            );
        }
        if text.published && text.governing_body_response.trim().is_empty() {
            e.add(
                "governing_body_response",
                "Add the governing body's response before publishing: they are published together",
            );
        }
        if !e.is_empty() {
            return Err(AppError::Invalid(e));
        }
        // Typed text keeps its line breaks; other control characters go (PostgreSQL
        // refuses a NUL, and none belongs in a published report).
        let clean = |v: &str| -> String {
            v.chars()
                .filter(|c| !c.is_control() || matches!(c, '\n' | '\r' | '\t'))
                .collect::<String>()
                .trim()
                .to_string()
        };
        let mut settings: Vec<(String, String)> = text
            .statements
            .iter()
            .map(|(id, v)| (annual_key(year, &format!("statement:{id}")), clean(v)))
            .collect();
        settings.extend([
            (annual_key(year, "ombudsman"), clean(&text.ombudsman_letter)),
            (
                annual_key(year, "response"),
                clean(&text.governing_body_response),
            ),
            (
                MEMBER_RESPONSIBLE.to_string(),
                clean(&text.member_responsible),
            ),
            (
                annual_key(year, "published"),
                if text.published { "yes" } else { "" }.to_string(),
            ),
        ]);
        let summary = format!(
            "Annual report {} {}",
            Period::financial_year_label(year),
            if text.published {
                "saved and published"
            } else {
                "saved"
            }
        );
        self.change(
            who,
            &[redress_store::AdminChange::Settings(settings)],
            &summary,
        )
        .await
    }
}

impl App {
    /// This organisation's figures for a period in the common benchmarking format.
    pub async fn benchmark(
        &self,
        who: &Principal,
        period: Period,
    ) -> Result<redress_domain::benchmark::Benchmark, AppError> {
        who.require(Permission::ViewReports)?;
        let m = self.count_measures(period, None).await?;
        let homes = redress_domain::measures::tsm_homes(
            &self.store.homes(&self.organisation.id).await?,
            Period::financial_year_of(period.from),
        );
        let homes: i64 = homes.values().sum();
        Ok(redress_domain::benchmark::Benchmark::from_measures(
            &self.display_name(),
            &m,
            period,
            (homes > 0).then_some(homes),
        ))
    }
}
