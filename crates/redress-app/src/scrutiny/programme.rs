//! The annual programme of scrutiny exercises and their stages.

use super::*;
use redress_domain::scrutiny::response::Body;

impl App {
    /// The stages every new exercise starts with, for those who read scrutiny.
    pub async fn stage_template(&self, who: &Principal) -> Result<Vec<String>, AppError> {
        who.require(Permission::ViewScrutiny)?;
        self.stages_in_use().await
    }

    pub(crate) async fn stages_in_use(&self) -> Result<Vec<String>, AppError> {
        Ok(self
            .store
            .setting(&self.organisation.id, STAGES_SETTING)
            .await?
            .and_then(|s| parse_template(&s).ok())
            .unwrap_or_else(|| DEFAULT_STAGES.iter().map(|s| s.to_string()).collect()))
    }

    pub async fn save_stage_template(&self, who: &Principal, raw: &str) -> Result<(), AppError> {
        who.require(Permission::DecideScrutiny)?;
        let stages = parse_template(raw).map_err(|m| AppError::invalid("stages", m))?;
        let template = stages.join("\n");
        let by = who.actor().name;
        let changes = [
            AdminChange::Setting {
                name: STAGES_SETTING,
                value: &template,
            },
            AdminChange::ScrutinyRecord {
                what: "stages",
                value: &template,
                by: &by,
            },
        ];
        self.change(who, &changes, "Scrutiny exercise stages changed")
            .await
    }

    pub async fn add_to_programme(
        &self,
        who: &Principal,
        year: i16,
        area_id: &str,
    ) -> Result<Exercise, AppError> {
        who.require(Permission::DecideScrutiny)?;
        let actor = &who.actor();
        if !self.service_area_names().await?.contains_key(area_id) {
            return Err(AppError::invalid("area", "Select a business area"));
        }
        let x = Exercise::new(
            uuid::Uuid::now_v7().to_string(),
            year,
            area_id.to_string(),
            &self.stages_in_use().await?,
        );
        match self
            .store
            .create_exercise(&self.organisation.id, &x, &doer(actor))
            .await
        {
            Ok(()) => Ok(x),
            Err(StoreError::Duplicate(_)) => Err(AppError::invalid(
                "area",
                "This business area is already in the year's programme",
            )),
            Err(e) => Err(e.into()),
        }
    }

    /// Every exercise, for those who read scrutiny and its reports (the Board and the
    /// Executive Management Team among them: an exercise holds no resident's details).
    pub async fn exercises(&self, who: &Principal) -> Result<Vec<(Exercise, i64)>, AppError> {
        who.require(Permission::ReadScrutinyReports)?;
        Ok(self.store.exercises(&self.organisation.id).await?)
    }

    pub async fn exercise(&self, who: &Principal, id: &str) -> Result<(Exercise, i64), AppError> {
        self.exercises(who)
            .await?
            .into_iter()
            .find(|(x, _)| x.id == id)
            .ok_or(AppError::NotFound)
    }

    /// Changes an exercise; `change` returns the line for its history.
    pub async fn change_exercise(
        &self,
        who: &Principal,
        id: &str,
        change: impl FnOnce(&mut Exercise, jiff::civil::Date) -> Result<String, FieldErrors>,
    ) -> Result<Exercise, AppError> {
        who.require(Permission::DecideScrutiny)?;
        let actor = &who.actor();
        let (mut x, version) = self.exercise(who, id).await?;
        let summary = change(&mut x, self.today())?;
        self.store
            .save_exercise(&x, version, &summary, &doer(actor))
            .await?;
        Ok(x)
    }

    /// Records the Board's or the Executive Management Team's response to an exercise's
    /// final report: which of them answers follows from the role of who records it.
    pub async fn answer_scrutiny_report(
        &self,
        who: &Principal,
        id: &str,
        text: &str,
    ) -> Result<Exercise, AppError> {
        who.require(Permission::AnswerScrutinyReport)?;
        let actor = who.actor();
        let from = match who {
            Principal::Staff(user) if user.role == redress_domain::role::Role::Executive => {
                Body::Executive
            }
            _ => Body::Board,
        };
        let (mut x, version) = self.exercise(who, id).await?;
        let summary = x.answer_report(from, text, &actor.name, self.today())?;
        self.store
            .save_exercise(&x, version, &summary, &doer(&actor))
            .await?;
        Ok(x)
    }
}
