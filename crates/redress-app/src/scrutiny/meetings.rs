//! The Customer Scrutiny Team's meetings, and the requests ready for their agenda.

use super::*;

impl App {
    /// Schedules a meeting and puts every ready request without one onto the next agenda.
    pub async fn schedule_meeting(
        &self,
        who: &Principal,
        on: &str,
        time: &str,
        place: &str,
    ) -> Result<Meeting, AppError> {
        who.require(Permission::SupportScrutiny)?;
        let actor = &who.actor();
        let meeting = Meeting::parse(
            uuid::Uuid::now_v7().to_string(),
            on,
            time,
            place,
            self.today(),
        )?;
        self.store
            .save_meeting(&self.organisation.id, &meeting)
            .await?;
        self.place_ready_requests(actor).await?;
        Ok(meeting)
    }

    /// Cancels a meeting; what was on its agenda goes onto the next meeting's, or waits
    /// for one to be scheduled.
    pub async fn cancel_meeting(&self, who: &Principal, id: &str) -> Result<(), AppError> {
        who.require(Permission::SupportScrutiny)?;
        let actor = &who.actor();
        let mut meeting = self
            .all_meetings()
            .await?
            .into_iter()
            .find(|m| m.id == id)
            .ok_or(AppError::NotFound)?;
        // Cancelling twice sweeps again, so a sweep that stopped part-way is finished.
        meeting.cancelled = true;
        self.store
            .save_meeting(&self.organisation.id, &meeting)
            .await?;
        for r in self.all_requests().await? {
            if r.off_agenda(id).is_some() {
                self.scrutiny_step(&r.id, actor, |r, _| {
                    Ok(r.off_agenda(id).into_iter().collect())
                })
                .await?;
            }
        }
        Ok(())
    }

    /// Puts every ready request that has no meeting to come onto the next one.
    pub(crate) async fn place_ready_requests(&self, actor: &Actor) -> Result<(), AppError> {
        let meetings = self.all_meetings().await?;
        for r in self.all_requests().await? {
            if r.agenda(&meetings, self.today()).is_some() {
                self.scrutiny_step(&r.id, actor, |_, _| Ok(Vec::new()))
                    .await?;
            }
        }
        Ok(())
    }

    /// The team's meetings, for those who read scrutiny.
    pub async fn meetings(&self, who: &Principal) -> Result<Vec<Meeting>, AppError> {
        who.require(Permission::ViewScrutiny)?;
        self.all_meetings().await
    }

    pub(crate) async fn all_meetings(&self) -> Result<Vec<Meeting>, AppError> {
        Ok(self.store.meetings(&self.organisation.id).await?)
    }

    /// Keeps the minutes of a meeting that has taken place: a new version each time, the
    /// earlier ones kept, with who recorded them.
    pub async fn record_minutes(
        &self,
        who: &Principal,
        meeting_id: &str,
        values: &std::collections::BTreeMap<String, String>,
    ) -> Result<i64, AppError> {
        who.require(Permission::SupportScrutiny)?;
        let meeting = self
            .all_meetings()
            .await?
            .into_iter()
            .find(|m| m.id == meeting_id)
            .ok_or(AppError::NotFound)?;
        let v = |k: &str| values.get(k).map(String::as_str).unwrap_or("");
        let minutes = redress_domain::scrutiny::meeting::Minutes::parse(
            &meeting,
            v("attended"),
            v("apologies"),
            v("minutes"),
            self.today(),
        )?;
        match self
            .store
            .save_minutes(meeting_id, &minutes, &who.actor().name, self.now())
            .await
        {
            Ok(version) => Ok(version),
            Err(StoreError::Duplicate(_)) => Err(AppError::invalid(
                "minutes",
                "Someone else saved these minutes at the same moment: look at them again and save",
            )),
            Err(e) => Err(e.into()),
        }
    }

    /// Every version of a meeting's minutes, the latest first.
    pub async fn meeting_minutes(
        &self,
        who: &Principal,
        meeting_id: &str,
    ) -> Result<Vec<redress_store::MinutesVersion>, AppError> {
        who.require(Permission::ViewScrutiny)?;
        Ok(self.store.minutes(meeting_id).await?)
    }
}
