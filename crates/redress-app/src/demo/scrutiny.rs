//! The demonstration's resident scrutiny: what a new user sees on the scrutiny pages.

use super::DEMO_DOMAIN;
use crate::access::Principal;
use crate::{App, AppError};

/// A petition gathering signatures, a request on the next meeting's agenda, and the year's
/// first scrutiny exercise under way.
pub(super) async fn scrutiny(app: &App, area_ids: &[String]) -> Result<(), AppError> {
    let user = app
        .store
        .user_by_email(&format!("officer@{DEMO_DOMAIN}"))
        .await?
        .map(|(u, _)| u)
        .ok_or_else(|| AppError::Setup("the demo officer is missing".into()))?;
    let who = Principal::Staff(user);
    let officer = who.actor();
    let form = |name: &str, email: &str, area: &str, concerns: &str| {
        [
            ("name", name),
            ("email", email),
            ("preferred_contact", "email"),
            ("business_area", area),
            ("concerns", concerns),
            (
                "actions_taken",
                "Complained at both stages; reported it to our housing officer.",
            ),
            (
                "failures",
                "Repairs reported in March are still outstanding; appointments missed.",
            ),
            ("affected", "Residents of the whole estate"),
            (
                "resolution",
                "Repairs done within the published times, and residents kept informed.",
            ),
            ("signature", name),
            ("declaration", "yes"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
    };
    let repairs = area_ids.first().cloned().unwrap_or_default();
    let estates = area_ids.get(3).cloned().unwrap_or_default();
    let (petition, _) = app
        .start_scrutiny(
            form(
                "Bethan Morgan",
                "bethan@example.org",
                &repairs,
                "Communal repairs on the Maes estate are left for months.",
            ),
            true,
        )
        .await?;
    app.scrutiny_step(&petition.id, &officer, |r, today| {
        Ok(vec![r.acknowledge(today, today)?])
    })
    .await?;
    app.scrutiny_step(&petition.id, &officer, |r, _| {
        r.set_route("petition", "25", "CF10, CF11")
    })
    .await?;
    for (name, postcode) in [
        ("Carys Price", "CF10 1AB"),
        ("Dafydd Williams", "CF10 2CD"),
        ("Eleanor Smith", "CF11 6EF"),
        ("Farah Ahmed", "CF11 7GH"),
        ("George Brown", "CF10 3JK"),
    ] {
        app.sign_scrutiny(&petition.reference, name, "", postcode, true)
            .await?;
    }
    let next_month = app
        .today()
        .checked_add(jiff::ToSpan::days(14))
        .map_err(|e| AppError::Internal(e.to_string()))?;
    app.schedule_meeting(
        &who,
        &next_month.to_string(),
        "18:30",
        "Maes Community Centre",
    )
    .await?;
    let (serious, _) = app
        .start_scrutiny(
            form(
                "Hannah Davies",
                "hannah@example.org",
                &estates,
                "The lifts in Tŵr Celyn have been out of action for six weeks.",
            ),
            true,
        )
        .await?;
    app.scrutiny_step(&serious.id, &officer, |r, today| {
        Ok(vec![r.acknowledge(today, today)?])
    })
    .await?;
    app.scrutiny_step(&serious.id, &officer, |r, _| {
        r.set_route("significant-failure", "", "")
    })
    .await?;
    let year = redress_domain::measures::Period::financial_year_of(app.today());
    let exercise = app.add_to_programme(&who, year, &repairs).await?;
    app.change_exercise(&who, &exercise.id, |x, today| {
        x.update_stage(0, "", "Mary O'Neill", &today.to_string(), today)
    })
    .await?;
    Ok(())
}
