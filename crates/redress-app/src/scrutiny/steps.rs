//! The steps staff and the team take on a request, each with who may take it: supporting
//! the requester, the team's decisions, and the appeal panel's.

use super::*;

/// A step on a request, named as its form's address names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScrutinyStep {
    Acknowledge,
    Assign,
    Area,
    Route,
    Sign,
    Evidence,
    Decide,
    SendDecision,
    Posted,
    Inform,
    Note,
    Appeal,
    Panel,
    AppealDecision,
    SendAppeal,
    FollowUp,
    FollowUpDone,
}

impl ScrutinyStep {
    pub fn parse(slug: &str) -> Option<ScrutinyStep> {
        use ScrutinyStep::*;
        Some(match slug {
            "acknowledge" => Acknowledge,
            "assign" => Assign,
            "area" => Area,
            "route" => Route,
            "sign" => Sign,
            "evidence" => Evidence,
            "decide" => Decide,
            "send-decision" => SendDecision,
            "posted" => Posted,
            "inform" => Inform,
            "note" => Note,
            "appeal" => Appeal,
            "panel" => Panel,
            "appeal-decision" => AppealDecision,
            "send-appeal" => SendAppeal,
            "follow-up" => FollowUp,
            "follow-up-done" => FollowUpDone,
            _ => return None,
        })
    }

    /// Who may take it: the team decides, the panel decides appeals, staff support.
    pub fn permission(self) -> Permission {
        use ScrutinyStep::*;
        match self {
            Decide | Route | Area => Permission::DecideScrutiny,
            Panel | AppealDecision => Permission::DecideAppeals,
            Acknowledge | Assign | Sign | Evidence | SendDecision | Inform | Note | Appeal
            | SendAppeal | Posted | FollowUp | FollowUpDone => Permission::SupportScrutiny,
        }
    }
}

impl App {
    /// Takes a step on a request with the values its form sent, if the principal may.
    pub async fn take_scrutiny_step(
        &self,
        who: &Principal,
        id: &str,
        step: ScrutinyStep,
        values: &BTreeMap<String, String>,
    ) -> Result<Request, AppError> {
        who.require(step.permission())?;
        let actor = &who.actor();
        let v = |k: &str| values.get(k).map(String::as_str).unwrap_or("").to_string();
        let date = |k: &str| -> Result<jiff::civil::Date, AppError> {
            v(k).trim()
                .parse()
                .map_err(|_| AppError::invalid(k, "Enter a real date, like 2026-04-01"))
        };
        use ScrutinyStep::*;
        match step {
            Acknowledge => {
                let on = date("on")?;
                self.scrutiny_step(id, actor, |r, today| Ok(vec![r.acknowledge(on, today)?]))
                    .await
            }
            Assign => self.assign_scrutiny_officer(id, &v("officer"), actor).await,
            Area => self.set_scrutiny_area(id, &v("area"), actor).await,
            Route => {
                self.scrutiny_step(id, actor, |r, _| {
                    r.set_route(&v("route"), &v("threshold"), &v("eligible"))
                })
                .await
            }
            Sign => {
                let (r, _) = self.request_by_id(id).await?;
                self.sign(
                    &r.reference,
                    &v("name"),
                    &v("email"),
                    &v("postcode"),
                    v("declaration") == "yes",
                    Some(actor),
                )
                .await
            }
            Evidence => {
                self.scrutiny_step(id, actor, |r, _| {
                    r.record_evidence(&v("evidence"), v("complete") == "yes", &actor.name)
                })
                .await
            }
            Decide => {
                self.scrutiny_step(id, actor, |r, today| {
                    r.decide(
                        &v("outcome"),
                        &v("reasons"),
                        &v("review_group"),
                        &v("recommendations"),
                        today,
                    )
                })
                .await
            }
            SendDecision => self.send_scrutiny_decision(id, actor).await,
            Posted => self.scrutiny_letter_posted(id, &v("letter"), actor).await,
            Inform => {
                let on = date("on")?;
                self.scrutiny_step(id, actor, |r, today| {
                    Ok(vec![r.inform(on, &v("how"), today)?])
                })
                .await
            }
            Note => {
                self.scrutiny_step(id, actor, |r, _| Ok(vec![r.note(&v("action"))?]))
                    .await
            }
            Appeal => {
                let on = date("received_on")?;
                self.scrutiny_step(id, actor, |r, today| {
                    Ok(vec![r.appeal(on, &v("grounds"), today)?])
                })
                .await
            }
            Panel => self.set_appeal_panel(id, values, actor).await,
            AppealDecision => {
                let decision = [
                    v("appeal_outcome"),
                    v("appeal_review_group"),
                    v("appeal_recommendations"),
                ];
                self.scrutiny_step(id, actor, |r, today| {
                    let [o, g, m] = &decision;
                    Ok(vec![r.decide_appeal(
                        &v("upheld"),
                        &v("reasons"),
                        [o.as_str(), g.as_str(), m.as_str()],
                        today,
                    )?])
                })
                .await
            }
            SendAppeal => self.send_appeal_decision(id, actor).await,
            FollowUp => {
                self.scrutiny_step(id, actor, |r, _| {
                    Ok(vec![r.set_follow_up(&v("follow_owner"), &v("follow_due"))?])
                })
                .await
            }
            FollowUpDone => {
                self.scrutiny_step(id, actor, |r, today| {
                    Ok(vec![r.finish_follow_up(
                        &v("follow_outcome"),
                        &v("follow_on"),
                        today,
                    )?])
                })
                .await
            }
        }
    }
}
