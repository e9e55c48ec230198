//! One case: what it is, who it is for and what they need, where it stands, and what can be done next.

use super::super::{actions, staff_layout};
use super::sections::*;
use crate::html::long_date;
use crate::session::Staff;
use crate::{AppState, Layout, PageResult, render};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use redress_app::access::Principal;
use redress_app::auth::Signed;
use redress_app::cases::CaseView;

use redress_domain::role::Permission;
use std::collections::BTreeMap;
#[derive(Template)]
#[template(path = "case.html")]
pub(crate) struct CasePage {
    layout: Layout,
    restrictions: Vec<(String, String, bool)>,
    can_act: bool,
    csrf: String,
    views: Vec<(String, String, String)>,
    /// Download link (none once removed), name, description.
    files: Vec<(Option<String>, String, String)>,
    links: Vec<(String, Option<String>, String)>,
    letters: Vec<LetterRow>,
    notes: Vec<(String, String)>,
    remedies: Vec<RemedyRow>,
    ombudsman: Vec<(String, String)>,
    done: Option<String>,
    /// Group heading, then each action's address and words.
    actions: Vec<(String, Vec<(String, String)>)>,
    summary: Vec<super::summary::SummaryRow>,
    /// (value, words, how many, chosen)
    history_filters: Vec<(&'static str, &'static str, usize, bool)>,
    history_shown: &'static str,
    banners: Vec<String>,
    stages: Vec<StageView>,
    reference: String,
    kind: String,
    stage: u8,
    priority: bool,
    priority_reason: String,
    deadlines: Vec<DeadlineRow>,
    scheme: String,
    division: String,
    details: Vec<(String, String)>,
    history: Vec<HistoryRow>,
    suggestion: Option<super::recognition::SuggestionView>,
    hazard: Option<super::recognition::HazardView>,
    survey_suggestion: Option<super::recognition::SurveySuggestionView>,
    emails: Vec<super::correspondence::EmailView>,
    emails_waiting: bool,
    repeats: Vec<super::correspondence::RepeatView>,
    version: i64,
}

pub(crate) fn case_page(
    state: &AppState,
    signed: &Signed,
    view: CaseView,
    done: Option<&str>,
    letters: Vec<redress_store::StoredLetter>,
) -> CasePage {
    let c = &view.contact;
    let banners = banners(c);
    let can_act = signed.user.role.can(Permission::HandleCases);
    let actions = if can_act {
        actions::ActionForm::offered_groups(c, &view.scheme, signed.user.role)
            .into_iter()
            .map(|(heading, offered)| {
                let links = offered
                    .into_iter()
                    .filter(|a| a.slug != "ask-tenants-panel" || view.panel_offered())
                    .map(|a| {
                        (
                            format!("/staff/cases/{}/act/{}", c.reference, a.slug),
                            a.title.to_string(),
                        )
                    })
                    .collect();
                (heading.to_string(), links)
            })
            .collect()
    } else {
        Vec::new()
    };
    let drafts = letters.iter().filter(|l| l.status == "draft").count();
    let done = match done {
        Some("letter-sent") => Some("The letter is on its way.".to_string()),
        Some("letter-discarded") => {
            Some("The letter was withdrawn: it will not be sent.".to_string())
        }
        Some(slug) => actions::ActionForm::title_for(slug).map(|t| {
            let check = if drafts > 0 {
                " Check the letter it wrote below, then send it."
            } else {
                ""
            };
            format!("Saved: {}.{check}", t.to_lowercase())
        }),
        None => None,
    };
    let d = &c.detail;
    let needs = needs(d);
    let deadlines = deadline_rows(&view);
    let details = details(&view);
    let summary = super::summary::summary(&view, &deadlines, &needs);
    let history: Vec<HistoryRow> = view
        .events
        .iter()
        .map(|e| HistoryRow {
            kind: super::summary::history_kind(e),
            title: e.kind.label().to_string(),
            when: redress_domain::calendar::long_date_time(e.at),
            actor: e.actor.name.clone(),
            summary: e.summary.clone(),
        })
        .collect();
    let priority_reason = if d.safeguarding {
        "Safeguarding: someone may be at immediate risk."
    } else {
        "Anonymous report about a vulnerable group: act on it immediately."
    };
    CasePage {
        layout: staff_layout(state, c.reference.as_str(), signed),
        done,
        actions,
        summary,
        history_filters: Vec::new(),
        history_shown: "",
        banners,
        letters: letters
            .into_iter()
            .map(|l| LetterRow {
                state: letter_state(&l.status).to_string(),
                how: format!(
                    "{}{}{}",
                    l.delivery.label(),
                    if l.large_print { ", large print" } else { "" },
                    l.convert
                        .as_ref()
                        .map(|c| format!(", {}", c.to_lowercase()))
                        .unwrap_or_default()
                ),
                id: l.id,
                subject: l.subject,
            })
            .collect(),
        links: c
            .case
            .links
            .iter()
            .map(|l| {
                let text = match (&l.reference, &l.agency) {
                    (Some(r), _) => r.to_string(),
                    (None, Some(a)) => format!(
                        "{a}{}",
                        l.their_reference
                            .as_ref()
                            .map(|t| format!(", their reference {t}"))
                            .unwrap_or_default()
                    ),
                    (None, None) => String::new(),
                };
                (
                    l.relation.label().to_string(),
                    l.reference.as_ref().map(|r| format!("/staff/cases/{r}")),
                    text,
                )
            })
            .collect(),
        files: c
            .case
            .attachments
            .iter()
            .map(|a| {
                let added = format!("Added {} by {}", long_date(a.added_on), a.by);
                match a.redacted_on {
                    None => (
                        Some(format!("/staff/cases/{}/files/{}", c.reference, a.id)),
                        a.name.clone(),
                        format!(
                            "{}, {} KB. {} {added}",
                            a.file_type.label(),
                            a.size.div_ceil(1024),
                            a.description,
                        ),
                    ),
                    Some(on) => (
                        None,
                        "File removed".to_string(),
                        format!("Removed {}: {}. {added}", long_date(on), a.description),
                    ),
                }
            })
            .collect(),
        views: Vec::new(),
        restrictions: Vec::new(),
        can_act,
        csrf: signed.csrf_token.clone(),
        stages: stage_views(c),
        notes: c
            .case
            .notes
            .iter()
            .rev()
            .map(|n| {
                (
                    format!("{}, {}", long_date(n.on), n.kind.label()),
                    format!("{} ({})", n.text, n.by),
                )
            })
            .collect(),
        remedies: remedy_rows(c, state.app.today()),
        ombudsman: ombudsman_rows(c, state.app.today()),
        reference: c.reference.to_string(),
        kind: d.kind.label().to_string(),
        stage: c.stage(),
        priority: c.is_priority(),
        priority_reason: priority_reason.into(),
        deadlines,
        scheme: view.scheme.name.clone(),
        division: state.app.organisation.division.label().to_string(),
        details,
        history,
        suggestion: super::recognition::suggestion(c, &view.scheme),
        hazard: super::recognition::hazard(
            c,
            &state.app.statutory_calendar(),
            (state.app.now(), state.app.today()),
            !state.app.reach().repairs_email.is_empty(),
        ),
        survey_suggestion: super::recognition::survey_suggestion(c, &view.scheme),
        emails: super::correspondence::emails(c),
        emails_waiting: c.emails_waiting() > 0,
        repeats: Vec::new(),
        version: c.version,
    }
}

pub(crate) async fn case(
    State(state): State<AppState>,
    Staff(signed): Staff,
    Path(reference): Path<String>,
    Query(q): Query<BTreeMap<String, String>>,
) -> PageResult {
    let done = q.get("done").map(String::as_str);
    let shown = match q.get("history").map(String::as_str) {
        Some("changes") => "changes",
        Some("notes") => "notes",
        Some("files") => "files",
        Some("letters") => "letters",
        _ => "",
    };
    let opened = state
        .app
        .open_case(&Principal::staff(&signed.user), &reference, "case page")
        .await?;
    let today = state.app.today();
    let repeats = state
        .app
        .possible_repeats(&Principal::staff(&signed.user), &opened.view.contact)
        .await?;
    let repeats = super::correspondence::repeats(&opened.view.contact, repeats);
    let mut page = case_page(&state, &signed, opened.view, done, opened.letters);
    page.repeats = repeats;
    page.history_filters = super::summary::history_filters(&page.history, shown);
    page.history_shown = shown;
    if !shown.is_empty() {
        page.history.retain(|h| h.kind == shown);
    }
    page.restrictions = opened
        .restrictions
        .into_iter()
        .map(|(id, name, r)| {
            let review = if r.review_due(today) {
                " The review is due now."
            } else {
                ""
            };
            let text = format!(
                "{name}: {}. {} Decided by {}, told {}, review by {}.{review}",
                r.kind.label(),
                r.details,
                r.decided_by,
                long_date(r.communicated_on),
                long_date(r.review_on)
            );
            (id, text, r.review_due(today))
        })
        .collect();
    page.views = opened
        .views
        .into_iter()
        .map(|(name, at, via)| (name, redress_domain::calendar::long_date_time(at), via))
        .collect();
    Ok(render(StatusCode::OK, &page))
}
