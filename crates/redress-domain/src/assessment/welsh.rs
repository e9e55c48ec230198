//! The self-assessment in Welsh: each requirement's section and summary, and the
//! assessment's words, for the annual report published in Welsh. Like the English, the
//! summaries are this project's words; `docs/welsh.md` lists them for a translator's check.

use super::Assessment;

/// A requirement's section and summary in Welsh, by its id; `None` for an id not assessed.
pub fn requirement(id: &str) -> Option<(&'static str, &'static str)> {
    Some(match id {
        "definition" => (
            "1. Diffiniad o gŵyn",
            "Mae unrhyw fynegiant o anfodlonrwydd yn cael ei drin fel cwyn, pa eiriau bynnag a ddefnyddir, a'i gadw ar wahân i gais am wasanaeth.",
        ),
        "exclusions" => (
            "2. Eithriadau",
            "Dim ond am reswm y mae'r Cod yn ei ganiatáu y caiff cwyn ei gwrthod, a dywedir wrth y preswylydd pam ac y gall ofyn i'r Ombwdsmon adolygu'r penderfyniad.",
        ),
        "time-limit" => (
            "2. Eithriadau",
            "Derbynnir cwynion hyd at ddeuddeg mis ar ôl y mater, neu ar ôl i'r preswylydd ddod yn ymwybodol ohono.",
        ),
        "accessibility" => (
            "3. Hygyrchedd ac ymwybyddiaeth",
            "Gall preswylwyr gwyno mewn unrhyw ffordd a ddewisant, gwneir addasiadau rhesymol a'u cofnodi, ac mae'n hawdd dod o hyd i'r polisi.",
        ),
        "complaints-officer" => (
            "4. Staff sy'n ymdrin â chwynion",
            "Mae person neu dîm a enwir yn gyfrifol am ymdrin â chwynion, gyda'r awdurdod i ddatrys cwynion.",
        ),
        "two-stages" => (
            "5. Y broses ymdrin â chwynion",
            "Dau gam yn unig sydd i'r weithdrefn, heb gam anffurfiol nac ychwanegol.",
        ),
        "acknowledgement" => (
            "5. Y broses ymdrin â chwynion",
            "Caiff cwynion eu cydnabod, gyda dealltwriaeth y sefydliad ohonynt, o fewn pum diwrnod gwaith.",
        ),
        "stage-1" => (
            "6. Camau cwyno: cam 1",
            "Anfonir ymatebion cam 1 o fewn deg diwrnod gwaith i'r gydnabyddiaeth; nid yw unrhyw estyniad yn fwy na deg diwrnod gwaith arall, ac fe'i hesbonnir i'r preswylydd.",
        ),
        "stage-2" => (
            "6. Camau cwyno: cam 2",
            "Anfonir ymatebion cam 2 o fewn ugain diwrnod gwaith i gydnabod yr uwchgyfeirio, gan rywun nad oedd yn rhan o gam 1; nid yw unrhyw estyniad yn fwy nag ugain diwrnod gwaith arall.",
        ),
        "escalation" => (
            "6. Camau cwyno",
            "Gall preswylwyr uwchgyfeirio heb roi rheswm.",
        ),
        "putting-right" => (
            "7. Unioni pethau",
            "Mae camau unioni yn cyd-fynd â'r hyn a aeth o'i le ac yn cael eu cwblhau; ni chaiff iawndal ei wrthbwyso yn erbyn ôl-ddyledion.",
        ),
        "self-assessment" => (
            "8. Hunanasesu, adrodd a chydymffurfio",
            "Cyhoeddir yr hunanasesiad hwn ac adroddiad blynyddol ar berfformiad cwynion a gwella gwasanaethau gydag ymateb y corff llywodraethu.",
        ),
        "learning" => (
            "9. Craffu a goruchwylio: dysgu a gwella parhaus",
            "Defnyddir cwynion i wella gwasanaethau, ac mae Aelod sy'n Gyfrifol am Gwynion ar y corff llywodraethu yn cael adroddiadau rheolaidd.",
        ),
        _ => return None,
    })
}

/// The assessment as the Welsh report says it.
pub fn assessment(a: Assessment) -> &'static str {
    match a {
        Assessment::Meets => "Yn bodloni'r Cod",
        Assessment::DoesNotMeet => "Nid yw'n bodloni'r Cod",
        Assessment::Statement => "Angen datganiad",
    }
}

#[cfg(test)]
mod tests {
    use crate::assessment::{Facts, assess};
    use crate::measures::Measures;
    use crate::scheme::Scheme;

    #[test]
    fn every_requirement_and_its_evidence_is_in_welsh() {
        let hos: Vec<Scheme> = Scheme::find_built_in("hos-2024").into_iter().collect();
        let overdue = [(1, vec!["CMP-2026-000001".to_string()])].into();
        let facts = Facts {
            schemes: &hos,
            complaints_officers: 0,
            member_responsible: None,
            governing_body_response: false,
            published: false,
            remedies_overdue: 2,
            service_requests: 3,
            on_time_target_pct: 95.0,
            overdue_now: &overdue,
        };
        let assessed = assess(&Measures::default(), &facts);
        assert_eq!(assessed.len(), 13);
        for r in &assessed {
            let (section, requirement) =
                super::requirement(r.id).unwrap_or_else(|| panic!("{} has no Welsh", r.id));
            // The section's number is the Code's, whichever the language.
            assert_eq!(section.split('.').next(), r.section.split('.').next());
            assert_ne!(requirement, r.requirement);
            assert!(
                !r.evidence_cy.is_empty() && r.evidence_cy != r.evidence,
                "{}",
                r.id
            );
        }
        let stage1 = assessed.iter().find(|r| r.id == "stage-1");
        assert!(
            stage1.is_some_and(|r| r.evidence_cy.contains("95% yn brydlon")
                && r.evidence_cy.contains("1 yn hwyr nawr")
                && r.evidence_cy.contains("Dim ymatebion cam 1 eleni.")),
            "{stage1:?}"
        );
    }
}
