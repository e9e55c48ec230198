//! My work: where a member of staff starts the day. Their open cases by the next deadline,
//! what is overdue or due this week, new contacts nobody has taken, letters waiting to be
//! checked or approved, remedies and orders falling due, and unhappy survey answers to
//! follow up; for those who lead a team, the same across the cases they oversee.

use crate::access::{Principal, Scope};
use crate::{App, AppError};
use jiff::civil::Date;
use redress_domain::letter::LetterKind;
use redress_domain::role::{Permission, Role};
use redress_store::{ContactFilter, ContactSummary, DueFilter, OpenAction, StoredLetter, Workload};

/// Working days ahead that "due this week" looks.
pub const WEEK_WORKING_DAYS: u32 = 5;
/// Working days ahead that a remedy or order counts as falling due.
const ACTIONS_AHEAD: u32 = 10;
/// Most cases listed in each part of the page; the counts link to the full lists.
const LISTED: u32 = 25;

/// Counts of one set of cases, each a filtered case list away.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Counts {
    pub open: i64,
    pub overdue: i64,
    pub due_this_week: i64,
    pub awaiting_triage: i64,
    pub follow_ups: i64,
}

/// The cases a team lead oversees: theirs are a service manager's areas, or everything.
#[derive(Debug, Clone)]
pub struct TeamWork {
    pub counts: Counts,
    pub workload: Vec<Workload>,
    /// The lead sees only their own service areas.
    pub areas_only: bool,
}

#[derive(Debug, Clone)]
pub struct MyWork {
    /// Safeguarding concerns nobody has reviewed yet, in the cases the user sees: first on
    /// the page, whoever's they are.
    pub safeguarding: Vec<ContactSummary>,
    /// Hazards to decide on or with steps to record, with the next legal clock.
    pub hazards: Vec<crate::hazards::HazardDue>,
    /// Cases with emails from the resident nobody has read: the user's own, or for a team
    /// lead every case they oversee (a closed case's email must reach someone too).
    pub emails: Vec<ContactSummary>,
    /// The user's open cases, next deadline first.
    pub mine: Vec<ContactSummary>,
    pub counts: Counts,
    /// Cases with an unhappy survey answer to follow up: the user's own, or for a team
    /// lead every case they oversee.
    pub follow_ups: Vec<ContactSummary>,
    /// Letters the user's steps drafted, waiting for them to check and send.
    pub drafts: Vec<StoredLetter>,
    /// Final responses others drafted that wait for a second person's approval.
    pub to_approve: Vec<StoredLetter>,
    /// Letters waiting to be transcribed or translated, soonest due first.
    pub converting: Vec<StoredLetter>,
    /// Remedies and ombudsman orders on the user's cases or owed by them, overdue or due
    /// within two working weeks.
    pub actions: Vec<OpenAction>,
    pub team: Option<TeamWork>,
    /// The date the week's window runs to.
    pub week_ends: Date,
}

impl App {
    /// The "due this week" window: today up to five working days ahead.
    pub async fn due_this_week(&self) -> Result<DueFilter, AppError> {
        let today = self.today();
        let by = self
            .calendar()
            .await?
            .add_working_days(today, WEEK_WORKING_DAYS)
            .map_err(|e| AppError::Internal(e.to_string()))?;
        Ok(DueFilter::DueBy { today, by })
    }

    /// My work, for a member of staff who sees cases.
    pub async fn my_work(&self, who: &Principal) -> Result<MyWork, AppError> {
        let scope = self.grant(who, Permission::ViewCases).await?;
        let user = who.user().ok_or(AppError::Forbidden)?;
        let week = self.due_this_week().await?;
        let week_ends = match week {
            DueFilter::DueBy { by, .. } => by,
            DueFilter::Overdue { today } => today,
        };
        let areas = match &scope {
            Scope::Areas(a) => Some(a.clone()),
            Scope::All => None,
        };
        let mine_filter = ContactFilter {
            assignee: Some(user.id.clone()),
            open: true,
            areas: areas.clone(),
            per_page: LISTED,
            page: 1,
            ..ContactFilter::default()
        };
        let mine = self.list_cases(&mine_filter).await?;
        let counts = self.counts(&mine_filter, week).await?;
        let leads = matches!(
            user.role,
            Role::Admin | Role::ComplaintsOfficer | Role::ServiceManager
        );
        let everyone = ContactFilter {
            areas: areas.clone(),
            per_page: LISTED,
            page: 1,
            ..ContactFilter::default()
        };
        let team = if leads {
            let workload = self
                .store
                .workload(&self.organisation.id, self.today(), areas.as_deref())
                .await?;
            let workload = workload
                .into_iter()
                .filter(|w| w.as_officer + w.as_case_worker > 0)
                .collect();
            Some(TeamWork {
                counts: self
                    .counts(
                        &ContactFilter {
                            open: true,
                            ..everyone.clone()
                        },
                        week,
                    )
                    .await?,
                workload,
                areas_only: areas.is_some(),
            })
        } else {
            None
        };
        // What waits on someone whatever the case's state: a lead's across the team, anyone
        // else's on their own cases, open or closed.
        let waiting = if leads {
            everyone.clone()
        } else {
            ContactFilter {
                open: false,
                ..mine_filter.clone()
            }
        };
        let follow_ups = self
            .list_cases(&ContactFilter {
                follow_up: true,
                ..waiting.clone()
            })
            .await?
            .items;
        let emails = self
            .list_cases(&ContactFilter {
                emails_waiting: true,
                ..waiting
            })
            .await?
            .items;
        let mut converting = if user.role.can(Permission::HandleCases) {
            self.letter_queue(who, "to-convert").await?.0
        } else {
            Vec::new()
        };
        converting.sort_by_key(|l| l.convert_by);
        let (drafts, to_approve) = if user.role.can(Permission::HandleCases) {
            let settings = self.letter_settings().await?;
            let (waiting, _) = self.letter_queue(who, "draft").await?;
            let mut drafts = Vec::new();
            let mut to_approve = Vec::new();
            // A survey invitation goes with the last letter of its case, so it is not a
            // letter to check on its own.
            for l in waiting
                .into_iter()
                .filter(|l| l.kind != LetterKind::SurveyInvitation)
            {
                if l.drafted_by.as_deref() == Some(user.id.as_str()) {
                    drafts.push(l);
                } else if settings.final_response_approval
                    && l.kind == LetterKind::FinalResponse
                    && l.approved_by.is_none()
                {
                    to_approve.push(l);
                }
            }
            (drafts, to_approve)
        } else {
            (Vec::new(), Vec::new())
        };
        let horizon = self
            .calendar()
            .await?
            .add_working_days(self.today(), ACTIONS_AHEAD)
            .map_err(|e| AppError::Internal(e.to_string()))?;
        let my_refs: Vec<&str> = mine.items.iter().map(|c| c.reference.as_str()).collect();
        let actions = self
            .open_actions_for(who, Some(horizon))
            .await?
            .into_iter()
            .filter(|a| {
                a.owner.as_deref() == Some(user.name.as_str())
                    || my_refs.contains(&a.reference.as_str())
            })
            .collect();
        let safeguarding = self
            .list_cases(&ContactFilter {
                safeguarding_due: true,
                ..everyone.clone()
            })
            .await?
            .items;
        let hazards = self
            .hazards_due(&ContactFilter {
                hazard_open: true,
                ..everyone.clone()
            })
            .await?;
        Ok(MyWork {
            safeguarding,
            hazards,
            emails,
            mine: mine.items,
            counts,
            follow_ups,
            drafts,
            to_approve,
            converting,
            actions,
            team,
            week_ends,
        })
    }

    /// How many of the cases a filter selects are open, overdue, due this week, waiting
    /// for triage and waiting for a follow-up.
    async fn counts(&self, base: &ContactFilter, week: DueFilter) -> Result<Counts, AppError> {
        let count = |f: ContactFilter| async move {
            let f = ContactFilter {
                per_page: 1,
                page: 1,
                ..f
            };
            self.list_cases(&f).await.map(|p| p.total)
        };
        let open = ContactFilter {
            open: true,
            ..base.clone()
        };
        let triage = ContactFilter {
            assignee: None,
            awaiting_triage: true,
            ..base.clone()
        };
        Ok(Counts {
            open: count(open.clone()).await?,
            overdue: count(ContactFilter {
                due: Some(DueFilter::Overdue {
                    today: self.today(),
                }),
                ..open.clone()
            })
            .await?,
            due_this_week: count(ContactFilter {
                due: Some(week),
                ..open.clone()
            })
            .await?,
            awaiting_triage: count(triage).await?,
            follow_ups: count(ContactFilter {
                open: false,
                follow_up: true,
                ..base.clone()
            })
            .await?,
        })
    }
}
