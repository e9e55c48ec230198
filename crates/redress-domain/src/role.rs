//! Staff roles and what each may do. One table, so a test can walk every pair.

use crate::choice;
use serde::{Deserialize, Serialize};

choice!(
    Role, "a role" {
        Admin = "admin": "Administrator",
        ComplaintsOfficer = "complaints-officer": "Complaints officer",
        CaseWorker = "case-worker": "Case worker",
        ServiceManager = "service-manager": "Service manager",
        ScrutinyMember = "scrutiny-member": "Scrutiny team member",
        AppealPanelMember = "appeal-panel-member": "Appeal panel member",
        Auditor = "auditor": "Auditor (read only)",
        GoverningBody = "governing-body": "Governing body (reports only)",
        Executive = "executive": "Executive Management Team (reports only)",
        TenantsPanel = "tenants-panel": "Tenants Panel member",
    }
);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Permission {
    /// See the case list and case pages, which hold personal data.
    ViewCases,
    /// Record a contact received by phone, letter, in person and so on.
    RecordContacts,
    /// Take a case through its lifecycle: assign, acknowledge, extend, respond, close.
    HandleCases,
    /// Add users, change settings.
    Administer,
    /// Read the performance reports: counts and rates, no personal data.
    ViewReports,
    /// Write the governing body's response to the annual complaints report and approve the
    /// report, which publishes it: the governing body's alone, as the Code asks.
    AnswerAnnualReport,
    /// Read Community Calls for Scrutiny, meeting papers, the scoring matrix and programme.
    ViewScrutiny,
    /// Read the annual scrutiny programme, its kept ranking and each exercise's final
    /// report: no resident's personal data, so the Board and the Executive Management
    /// Team read them too.
    ReadScrutinyReports,
    /// Record the Board's or the Executive Management Team's response to an exercise's
    /// final report (seed 000: the report goes to them).
    AnswerScrutinyReport,
    /// Support requesters: acknowledge, assign officers, enter paper signatures, gather
    /// evidence, schedule meetings, tell requesters of decisions.
    SupportScrutiny,
    /// The Customer Scrutiny Team's own acts: decide requests, score areas, choose and run
    /// the programme. Complaints officers may record them for the team.
    DecideScrutiny,
    /// Record an appeal panel's membership and final decision.
    DecideAppeals,
    /// Read the complaints and stage 1 responses the Tenants Panel was asked to look at,
    /// without the residents' contact details, and record the panel's input (seed 002).
    ReviewForPanel,
}

impl Role {
    pub fn can(self, permission: Permission) -> bool {
        use Permission::*;
        use Role::*;
        match permission {
            ViewCases => matches!(
                self,
                Admin | ComplaintsOfficer | CaseWorker | ServiceManager | Auditor
            ),
            RecordContacts | HandleCases => matches!(
                self,
                Admin | ComplaintsOfficer | CaseWorker | ServiceManager
            ),
            Administer => matches!(self, Admin),
            ViewReports => !matches!(self, ScrutinyMember | AppealPanelMember | TenantsPanel),
            AnswerAnnualReport => matches!(self, GoverningBody),
            ViewScrutiny => !matches!(self, GoverningBody | Executive | TenantsPanel),
            ReadScrutinyReports => !matches!(self, TenantsPanel),
            AnswerScrutinyReport => matches!(self, GoverningBody | Executive),
            SupportScrutiny => matches!(
                self,
                Admin | ComplaintsOfficer | CaseWorker | ServiceManager
            ),
            DecideScrutiny => matches!(self, Admin | ComplaintsOfficer | ScrutinyMember),
            DecideAppeals => matches!(self, Admin | ComplaintsOfficer | AppealPanelMember),
            ReviewForPanel => matches!(self, Admin | ComplaintsOfficer | TenantsPanel),
        }
    }
}

/// A member of staff named on a case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Assignee {
    pub user_id: String,
    pub name: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn permission_table() {
        use Permission::*;
        let expect = [
            (Role::Admin, [true, true, true]),
            (Role::ComplaintsOfficer, [true, true, false]),
            (Role::CaseWorker, [true, true, false]),
            (Role::ServiceManager, [true, true, false]),
            (Role::ScrutinyMember, [false, false, false]),
            (Role::AppealPanelMember, [false, false, false]),
            (Role::Auditor, [true, false, false]),
            (Role::GoverningBody, [false, false, false]),
            (Role::Executive, [false, false, false]),
            (Role::TenantsPanel, [false, false, false]),
        ];
        assert_eq!(expect.len(), Role::ALL.len());
        for (role, [view, record, admin]) in expect {
            assert_eq!(role.can(ViewCases), view, "{role:?} view");
            assert_eq!(role.can(RecordContacts), record, "{role:?} record");
            assert_eq!(role.can(HandleCases), record, "{role:?} handle");
            assert_eq!(role.can(Administer), admin, "{role:?} admin");
            let reports = !matches!(
                role,
                Role::ScrutinyMember | Role::AppealPanelMember | Role::TenantsPanel
            );
            assert_eq!(role.can(ViewReports), reports, "{role:?} reports");
        }
        assert!(Role::GoverningBody.can(ViewReports) && !Role::GoverningBody.can(ViewCases));
        for role in Role::ALL {
            assert_eq!(
                role.can(AnswerAnnualReport),
                *role == Role::GoverningBody,
                "{role:?} answers the annual report"
            );
            assert_eq!(
                role.can(ViewScrutiny),
                !matches!(
                    role,
                    Role::GoverningBody | Role::Executive | Role::TenantsPanel
                ),
                "{role:?} scrutiny"
            );
            assert_eq!(
                role.can(ReadScrutinyReports),
                role.can(ViewScrutiny) || matches!(role, Role::GoverningBody | Role::Executive),
                "{role:?} reads scrutiny reports"
            );
            assert_eq!(
                role.can(AnswerScrutinyReport),
                matches!(role, Role::GoverningBody | Role::Executive),
                "{role:?} answers a scrutiny report"
            );
            assert_eq!(
                role.can(ReviewForPanel),
                matches!(
                    role,
                    Role::Admin | Role::ComplaintsOfficer | Role::TenantsPanel
                ),
                "{role:?} reads for the Tenants Panel"
            );
            assert_eq!(
                role.can(SupportScrutiny),
                role.can(HandleCases),
                "{role:?} supports requesters"
            );
            assert_eq!(
                role.can(DecideScrutiny),
                matches!(
                    role,
                    Role::Admin | Role::ComplaintsOfficer | Role::ScrutinyMember
                ),
                "{role:?} decides"
            );
            assert_eq!(
                role.can(DecideAppeals),
                matches!(
                    role,
                    Role::Admin | Role::ComplaintsOfficer | Role::AppealPanelMember
                ),
                "{role:?} appeals"
            );
        }
    }
}

/// A member of staff who can sign in.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct User {
    pub id: String,
    pub email: String,
    pub name: String,
    pub role: Role,
    pub active: bool,
}
