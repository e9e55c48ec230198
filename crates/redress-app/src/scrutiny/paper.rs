//! Requests that come on paper, and files kept with a request: staff type in a form that
//! arrived by post with the day it came and a scan of it, and add files of evidence. A
//! file is checked by its content and size as a case's files are.

use super::*;
use redress_store::ScrutinyFile;

impl App {
    /// Logs a form received on paper, with the day it came and, when there is one, a scan
    /// of it: the request, its scan and its history are kept together.
    pub async fn log_paper_scrutiny(
        &self,
        who: &Principal,
        answers: RequestAnswers,
        received_on: &str,
        scan: Option<(String, Vec<u8>)>,
    ) -> Result<Request, AppError> {
        who.require(Permission::SupportScrutiny)?;
        let actor = who.actor();
        let draft = Request::draft(
            uuid::Uuid::now_v7().to_string(),
            String::new(),
            answers.clone(),
        );
        let mut errors = FieldErrors::new();
        let step = match draft.submit_paper(&answers, received_on, self.today()) {
            Ok(step) => Some(step),
            Err(e) => {
                errors = e;
                None
            }
        };
        let area = answers.get("business_area").map(|a| a.trim()).unwrap_or("");
        if !area.is_empty() && !self.service_area_names().await?.contains_key(area) {
            errors.add("business_area", "Select a service from the list");
        }
        let file = match scan {
            Some((name, bytes)) => {
                match self.checked_file(&name, &bytes, "Scan of the paper form", &actor) {
                    Ok(f) => Some((f, bytes)),
                    Err(m) => {
                        errors.add("file", m);
                        None
                    }
                }
            }
            None => None,
        };
        let Some(step) = step.filter(|_| errors.is_empty()) else {
            return Err(AppError::Invalid(errors));
        };
        let mut request = draft;
        request.apply(&step, self.today());
        let mut steps = vec![step];
        let files: Vec<_> = file.into_iter().collect();
        for (f, _) in &files {
            steps.push(Step::FileAdded {
                name: f.name.clone(),
                description: f.description.clone(),
            });
        }
        let (request, _) = self
            .create_scrutiny(request, &answers, &steps, &actor, &files)
            .await?;
        Ok(request)
    }

    /// Adds a file to a request (evidence, a later scan), with its line in the history.
    pub async fn add_scrutiny_file(
        &self,
        who: &Principal,
        id: &str,
        name: &str,
        bytes: &[u8],
        description: &str,
    ) -> Result<Request, AppError> {
        who.require(Permission::SupportScrutiny)?;
        let actor = who.actor();
        let (request, version) = self.request_by_id(id).await?;
        if request.status == Status::Draft {
            return Err(AppError::NotFound);
        }
        let mut errors = FieldErrors::new();
        let description = match redress_domain::Text::parse(description, "what the file is", 200) {
            Ok(d) => Some(d),
            Err(m) => {
                errors.add("description", m);
                None
            }
        };
        let file = match self.checked_file(
            name,
            bytes,
            description.as_ref().map(|d| d.as_str()).unwrap_or(""),
            &actor,
        ) {
            Ok(f) => Some(f),
            Err(m) => {
                errors.add("file", m);
                None
            }
        };
        let Some(file) = file.filter(|_| errors.is_empty()) else {
            return Err(AppError::Invalid(errors));
        };
        let step = Step::FileAdded {
            name: file.name.clone(),
            description: file.description.clone(),
        };
        self.store
            .save_scrutiny_request_with_file(
                &request,
                version,
                &[step],
                &doer(&actor),
                (&file, bytes),
            )
            .await?;
        Ok(request)
    }

    /// A request's files, for staff who support requesters (a scan shows the requester's
    /// address).
    pub async fn scrutiny_files(
        &self,
        who: &Principal,
        id: &str,
    ) -> Result<Vec<ScrutinyFile>, AppError> {
        who.require(Permission::SupportScrutiny)?;
        Ok(self.store.scrutiny_files(id).await?)
    }

    pub async fn scrutiny_file(
        &self,
        who: &Principal,
        id: &str,
        file_id: &str,
    ) -> Result<(ScrutinyFile, Vec<u8>), AppError> {
        who.require(Permission::SupportScrutiny)?;
        self.store
            .scrutiny_file(id, file_id)
            .await?
            .ok_or(AppError::NotFound)
    }

    /// A file as it will be kept, or why it is refused: the same kinds and size as a
    /// case's files.
    fn checked_file(
        &self,
        name: &str,
        bytes: &[u8],
        description: &str,
        actor: &Actor,
    ) -> Result<ScrutinyFile, String> {
        let file_type = redress_domain::attachment::identify(name, bytes)?;
        Ok(ScrutinyFile {
            id: uuid::Uuid::now_v7().to_string(),
            name: redress_domain::attachment::clean_name(name),
            file_type,
            size: u64::try_from(bytes.len()).unwrap_or(u64::MAX),
            description: description.to_string(),
            added_at: self.now(),
            added_by: actor.name.clone(),
        })
    }
}
