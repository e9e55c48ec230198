//! Residents' side of a Community Call for Scrutiny: the form saved and sent, the private link, signing a petition and appealing.

use super::*;

impl App {
    /// Starts a request from the public form: saved as a draft, or sent at once. Returns
    /// the request and the private link's token (shown once and emailed if we can).
    pub async fn start_scrutiny(
        &self,
        answers: RequestAnswers,
        send: bool,
    ) -> Result<(Request, String), AppError> {
        let draft = Request::draft(
            uuid::Uuid::now_v7().to_string(),
            String::new(),
            answers.clone(),
        );
        let mut steps = vec![Step::DraftSaved];
        let mut request = draft.clone();
        if send {
            let step = self.submit_checked(&draft, &answers).await?;
            request.apply(&step, self.today());
            steps = vec![step];
        }
        self.create_scrutiny(request, &answers, &steps, &Actor::public(), &[])
            .await
    }

    /// Keeps a new request with its steps and files, and its private link, emailed when
    /// there is an address to email it to. Returns the request and the link's token.
    pub(crate) async fn create_scrutiny(
        &self,
        request: Request,
        answers: &RequestAnswers,
        steps: &[Step],
        actor: &Actor,
        files: &[(redress_store::ScrutinyFile, Vec<u8>)],
    ) -> Result<(Request, String), AppError> {
        let token = random_token()?;
        let year = self.today().year();
        // The link email is written with the request, so a request never exists without
        // it; its reference is filled in once the store has given one.
        let link = self.scrutiny_link_letter(&request, answers, &token).await?;
        let request = self
            .store
            .create_scrutiny_request(
                (&self.organisation.id, year),
                request,
                &token_hash(&token),
                steps,
                &doer(actor),
                files,
                move |r| {
                    let mut v = BTreeMap::new();
                    v.insert("reference", r.reference.clone());
                    link.into_iter()
                        .map(|mut l| {
                            l.subject = fill(&l.subject, &v);
                            l.body = fill(&l.body, &v);
                            l
                        })
                        .collect()
                },
            )
            .await?;
        Ok((request, token))
    }

    /// Sends the form: the domain checks the answers, and the business area, if one was
    /// chosen, must be one of the organisation's.
    pub(crate) async fn submit_checked(
        &self,
        request: &Request,
        answers: &RequestAnswers,
    ) -> Result<Step, AppError> {
        let area = answers.get("business_area").map(|a| a.trim()).unwrap_or("");
        let known = area.is_empty() || self.service_area_names().await?.contains_key(area);
        match (request.submit(answers, self.today()), known) {
            (Ok(step), true) => Ok(step),
            (Ok(_), false) => Err(AppError::invalid(
                "business_area",
                "Select a service from the list",
            )),
            (Err(mut e), known) => {
                if !known {
                    e.add("business_area", "Select a service from the list");
                }
                Err(AppError::Invalid(e))
            }
        }
    }

    /// Saves more of a draft, or sends it.
    pub async fn continue_scrutiny(
        &self,
        token: &str,
        answers: RequestAnswers,
        send: bool,
    ) -> Result<Request, AppError> {
        let (mut request, version) = self.scrutiny_by_token(token).await?;
        if request.status != Status::Draft {
            // Sent already (a second press of Send, or the back button): nothing to do,
            // and nothing typed is lost because the sent form is kept.
            return Ok(request);
        }
        let step = if send {
            self.submit_checked(&request, &answers).await?
        } else {
            Step::DraftSaved
        };
        request.answers = answers;
        request.apply(&step, self.today());
        self.store
            .save_scrutiny_request(&request, version, &[step], &[], &doer(&Actor::public()))
            .await?;
        Ok(request)
    }

    /// Opens a request with the short code from a letter: the code works once, and gives
    /// the requester a new private link (any earlier link stops working). Returns the new
    /// link's token.
    pub async fn open_scrutiny_with_code(&self, typed: &str) -> Result<String, AppError> {
        let code = crate::auth::typed_key(typed);
        if code.len() != crate::auth::CODE_LENGTH {
            return Err(AppError::invalid(
                "code",
                "Enter the 8 letters and numbers of the code, like ABCD 2345",
            ));
        }
        let token = random_token()?;
        match self
            .store
            .redeem_scrutiny_code(
                &self.organisation.id,
                &token_hash(&code),
                &token_hash(&token),
                self.now(),
            )
            .await?
        {
            Some(_) => Ok(token),
            None => Err(AppError::invalid(
                "code",
                "This code has expired, has already been used or is not right: check it, or call us for a new one",
            )),
        }
    }

    /// The request a requester's private link is for.
    pub async fn scrutiny_by_token(&self, token: &str) -> Result<(Request, i64), AppError> {
        if token.len() > 128 || !token.chars().all(|c| c.is_ascii_hexdigit()) {
            return Err(AppError::NotFound);
        }
        self.store
            .scrutiny_request_by_token(&self.organisation.id, &token_hash(token))
            .await?
            .ok_or(AppError::NotFound)
    }

    pub(crate) async fn scrutiny_by_reference(
        &self,
        reference: &str,
    ) -> Result<(Request, i64), AppError> {
        let reference = reference.trim().to_uppercase();
        if reference.len() > 30
            || !reference
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-')
        {
            return Err(AppError::NotFound);
        }
        self.store
            .scrutiny_request_by_reference(&self.organisation.id, &reference)
            .await?
            .ok_or(AppError::NotFound)
    }

    /// A signature made online by the person signing.
    pub async fn sign_scrutiny(
        &self,
        reference: &str,
        name: &str,
        email: &str,
        postcode: &str,
        declaration: bool,
    ) -> Result<Request, AppError> {
        self.sign(reference, name, email, postcode, declaration, None)
            .await
    }

    /// A signature online (no actor) or entered by staff from a paper petition (through
    /// a step, which checks they support requesters).
    pub(crate) async fn sign(
        &self,
        reference: &str,
        name: &str,
        email: &str,
        postcode: &str,
        declaration: bool,
        entered_by: Option<&Actor>,
    ) -> Result<Request, AppError> {
        // Signatures arriving together race on the request's version; each retries with
        // the count as it now is.
        for _ in 0..8 {
            let (request, version) = self.scrutiny_by_reference(reference).await?;
            request
                .open_for_signatures()
                .map_err(|m| AppError::invalid("name", m))?;
            let signature = Signature::parse(
                name,
                email,
                postcode,
                declaration,
                entered_by.is_some(),
                &request.eligible,
            )?;
            let by = entered_by
                .map(doer)
                .unwrap_or_else(|| doer(&Actor::public()));
            match self
                .store
                .sign_petition(&request, version, &signature, self.today(), &by)
                .await
            {
                Ok(Signed::Counted(next, version)) => {
                    let next = *next;
                    let meetings = self.store.meetings(&self.organisation.id).await?;
                    if let Some(s) = next.agenda(&meetings, self.today()) {
                        let mut placed = next.clone();
                        placed.apply(&s, self.today());
                        let steps = [s];
                        let letters = self.step_letters(&placed, &steps).await?;
                        match self
                            .store
                            .save_scrutiny_request(
                                &placed,
                                version,
                                &steps,
                                &letters,
                                &doer(&Actor::public()),
                            )
                            .await
                        {
                            Ok(_) => return Ok(placed),
                            // Someone else moved it on (perhaps placing it themselves).
                            Err(StoreError::Conflict) => return Ok(next),
                            Err(e) => return Err(e.into()),
                        }
                    }
                    // The signature that met the threshold, with no meeting to go to yet:
                    // the requester is told now that enough have signed.
                    if next.status == Status::Ready && next.threshold == Some(next.signatures) {
                        let ready = [Step::Ready { why: String::new() }];
                        let letters = self.step_letters(&next, &ready).await?;
                        if !letters.is_empty() {
                            match self
                                .store
                                .save_scrutiny_request(
                                    &next,
                                    version,
                                    &[],
                                    &letters,
                                    &doer(&Actor::public()),
                                )
                                .await
                            {
                                Ok(_) | Err(StoreError::Conflict) => {}
                                Err(e) => return Err(e.into()),
                            }
                        }
                    }
                    return Ok(next);
                }
                Ok(Signed::AlreadySigned) => {
                    return Err(AppError::invalid(
                        "name",
                        "This person has already signed this petition: each person signs once",
                    ));
                }
                Err(StoreError::Conflict) => continue,
                Err(e) => return Err(e.into()),
            }
        }
        Err(AppError::Conflict(
            "Many people are signing at once: please try again".into(),
        ))
    }

    /// The requester's page through their private link: the request and its history.
    pub async fn requester_view(
        &self,
        token: &str,
    ) -> Result<(Request, Vec<redress_store::HistoryLine>), AppError> {
        let (request, _) = self.scrutiny_by_token(token).await?;
        let history = self.history_of(&request.id).await?;
        Ok((request, history))
    }

    /// The requester's own appeal, from their link.
    pub async fn appeal_scrutiny(&self, token: &str, grounds: &str) -> Result<Request, AppError> {
        let (request, _) = self.scrutiny_by_token(token).await?;
        self.scrutiny_step(&request.id, &Actor::public(), |r, today| {
            Ok(vec![r.appeal(today, grounds, today)?])
        })
        .await
    }

    /// A petition as anyone may see it, to sign: what it asks, how many have signed and
    /// how many it needs. A request that is not a petition is not found.
    pub async fn petition(&self, reference: &str) -> Result<Petition, AppError> {
        let (request, _) = self.scrutiny_by_reference(reference).await?;
        let form = request
            .form
            .as_ref()
            .filter(|_| request.route == Some(Route::Petition))
            .ok_or(AppError::NotFound)?;
        Ok(Petition {
            reference: request.reference.clone(),
            concerns: form.concerns.to_string(),
            resolution: form.resolution.to_string(),
            signatures: request.signatures,
            threshold: request.threshold.unwrap_or(0),
            eligible: request.eligible.clone(),
            closed_because: request.open_for_signatures().err(),
        })
    }
}

/// What a petition shows the public; nothing of the person who raised it.
#[derive(Debug, Clone)]
pub struct Petition {
    pub reference: String,
    pub concerns: String,
    pub resolution: String,
    pub signatures: u32,
    pub threshold: u32,
    /// Where signatories must live (postcode areas).
    pub eligible: Vec<String>,
    /// Why it cannot be signed now, if it cannot.
    pub closed_because: Option<String>,
}
