//! What an ombudsman asks a landlord for about one complaint, gathered at once: the case's
//! whole history, every letter as it went, every file kept, and the remedies. Making it is
//! itself in the case's history, since it shows what was handed over and when.

use crate::access::Principal;
use crate::cases::CaseView;
use crate::{App, AppError};
use redress_domain::case::{AttachmentInfo, Command, NoteKind};
use redress_domain::role::Permission;
use redress_store::StoredLetter;

/// Letter statuses that mean it reached the resident: emailed, printed for the post, or
/// sent in the format they asked for.
const WENT: [&str; 3] = ["sent", "printed", "converted"];

/// One case's evidence, as it stood when gathered.
#[derive(Debug, Clone)]
pub struct Evidence {
    /// The case, its deadlines and its history, including the entry for this bundle.
    pub view: CaseView,
    /// Letters as they went, oldest first; drafts and withdrawn letters never went.
    pub letters: Vec<StoredLetter>,
    /// The files still kept on the case, with their contents; files taken out for privacy
    /// are listed in the history only.
    pub files: Vec<(AttachmentInfo, Vec<u8>)>,
    pub made_at: jiff::Timestamp,
    pub made_by: String,
}

impl App {
    /// Gathers a case's evidence for an ombudsman, for those who handle cases in its area,
    /// and records in the case's history that it was made and what it holds.
    pub async fn evidence_bundle(
        &self,
        who: &Principal,
        reference: &str,
    ) -> Result<Evidence, AppError> {
        let scope = self.grant(who, Permission::HandleCases).await?;
        let before = self.case(reference).await?;
        if !scope.allows(&before.contact) {
            return Err(AppError::Forbidden);
        }
        let mut letters: Vec<StoredLetter> = self
            .store
            .letters(&self.organisation.id, &before.contact.id)
            .await?
            .into_iter()
            .filter(|l| WENT.contains(&l.status.as_str()))
            .collect();
        letters.sort_by_key(|l| l.sent_at.unwrap_or(l.created_at));
        let mut files = Vec::new();
        for info in before
            .contact
            .case
            .attachments
            .iter()
            .filter(|a| a.redacted_on.is_none())
        {
            if let Some(bytes) = self.store.attachment(&before.contact.id, &info.id).await? {
                files.push((info.clone(), bytes));
            }
        }
        let note = Command::AddNote {
            kind: NoteKind::Note,
            on: self.today(),
            text: format!(
                "Evidence bundle made for the Ombudsman: the history, {} letters as sent and {} files",
                letters.len(),
                files.len()
            ),
        };
        self.apply_command(who, reference, note, None).await?;
        Ok(Evidence {
            view: self.case(reference).await?,
            letters,
            files,
            made_at: self.now(),
            made_by: who.actor().name,
        })
    }
}
