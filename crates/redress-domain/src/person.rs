//! The people behind contacts: their details and the needs every letter must honour.

use crate::choice;
use crate::field::Text;
use serde::{Deserialize, Serialize};

choice!(
    /// How a person wants to be contacted.
    ContactMethod, "how you would like us to contact you" {
        Email = "email": "Email",
        Phone = "phone": "Phone",
        Text = "text": "Text message",
        Letter = "letter": "Letter",
        Textphone = "textphone": "Textphone or Relay UK",
        InPerson = "in-person": "In person",
    }
);

choice!(
    /// The format letters and messages must be produced in.
    PreferredFormat, "a format" {
        Standard = "standard": "Standard",
        LargePrint = "large-print": "Large print",
        Braille = "braille": "Braille",
        Audio = "audio": "Audio",
        EasyRead = "easy-read": "Easy read",
        OtherLanguage = "other-language": "Another language",
    }
);

choice!(
    /// Who a representative is to the person they act for (seed 001 §3.1.1, seed 002).
    Relationship, "who the representative is" {
        Friend = "friend": "Friend",
        Relative = "relative": "Relative",
        Neighbour = "neighbour": "Neighbour",
        Advocate = "advocate": "Advocate",
        AdviceWorker = "advice-worker": "Advice worker",
        Solicitor = "solicitor": "Solicitor",
        Councillor = "councillor": "Councillor",
        Mp = "mp": "MP or MS",
        Other = "other": "Someone else",
    }
);

choice!(
    /// What authority a representative holds to act.
    Authority, "what authority the representative has" {
        WrittenConsent = "written-consent": "Written consent from the person",
        VerbalConsent = "verbal-consent": "Verbal consent from the person",
        PowerOfAttorney = "power-of-attorney": "Power of attorney or legal authority",
        ElectedMember = "elected-member": "Elected member acting for a constituent",
        NotYetConfirmed = "not-yet-confirmed": "Not confirmed yet",
    }
);

/// Needs and circumstances (complaints.md §2): kept on the person, shown first on every
/// case, honoured by every letter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Needs {
    pub preferred_contact: Option<ContactMethod>,
    pub preferred_format: Option<PreferredFormat>,
    pub language: Option<Text>,
    /// The language they are written to in, and served in online; `None` when they have
    /// not said (an organisation that writes Welsh first then writes in both).
    #[serde(default)]
    pub correspond_in: Option<crate::language::Language>,
    pub interpreter: bool,
    /// Accessibility needs and anything that makes dealing with the organisation harder.
    pub accessibility: Option<Text>,
    pub vulnerabilities: Option<Text>,
    pub adjustments: Option<Text>,
    /// Equality monitoring answers: counted in aggregate only, never shown on the case.
    #[serde(default)]
    pub monitoring: Option<crate::equality::Monitoring>,
}

impl Needs {
    /// The language they are written to in: the one they chose, else Welsh when the
    /// language they told us about is Welsh (as cases from before the choice was asked say
    /// it); `None` when they have not said.
    pub fn language(&self) -> Option<crate::language::Language> {
        use crate::language::Language;
        self.correspond_in.or_else(|| {
            self.language
                .as_ref()
                .and_then(|l| Language::from_words(l.as_str()))
                .filter(|l| *l == Language::Welsh)
        })
    }

    /// True when anything here should make staff stop and read before acting.
    pub fn has_any(&self) -> bool {
        self.preferred_format
            .is_some_and(|f| f != PreferredFormat::Standard)
            || self.language.is_some()
            || self.correspond_in == Some(crate::language::Language::Welsh)
            || self.interpreter
            || self.accessibility.is_some()
            || self.vulnerabilities.is_some()
            || self.adjustments.is_some()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Person {
    pub name: Text,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub address: Option<Text>,
    pub postcode: Option<String>,
    pub needs: Needs,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Representative {
    pub name: Text,
    pub relationship: Relationship,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub authority: Authority,
}
