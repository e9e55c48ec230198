//! Putting things right (complaints.md §5): remedies with owners and dates, financial
//! remedies with approval and payment, and Ombudsman referrals with their orders.

use crate::choice;
use crate::role::Assignee;
use crate::scheme::Ombudsman;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

choice!(
    RemedyKind, "the kind of remedy" {
        Apology = "apology": "Apology",
        Acknowledgement = "acknowledgement": "Acknowledging what went wrong",
        Explanation = "explanation": "Explanation",
        Action = "action": "Repairs or the action that should have been taken",
        Reconsider = "reconsider": "Reconsidering or changing a decision",
        AmendRecord = "amend-record": "Amending a record",
        RerunProcedure = "rerun-procedure": "Re-running a procedure",
        Recalculate = "recalculate": "Recalculating money owed",
        ImprovePolicy = "improve-policy": "Improving a procedure or policy",
        Financial = "financial": "Financial remedy",
    }
);

choice!(
    PaymentKind, "the kind of payment" {
        Compensation = "compensation": "Compensation",
        ExGratia = "ex-gratia": "Ex gratia payment",
        Goodwill = "goodwill": "Goodwill payment",
    }
);

choice!(
    Determination, "the determination" {
        NoMaladministration = "no-maladministration": "No maladministration",
        ServiceFailure = "service-failure": "Service failure",
        Maladministration = "maladministration": "Maladministration",
        SevereMaladministration = "severe-maladministration": "Severe maladministration",
        OutsideJurisdiction = "outside-jurisdiction": "Outside jurisdiction",
        Resolved = "resolved": "Resolved by agreement",
    }
);

impl Ombudsman {
    pub const ALL: [Ombudsman; 4] = [
        Ombudsman::Housing,
        Ombudsman::LocalGovernmentAndSocialCare,
        Ombudsman::ScottishPublicServices,
        Ombudsman::PublicServicesWales,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Ombudsman::Housing => "housing",
            Ombudsman::LocalGovernmentAndSocialCare => "local-government-and-social-care",
            Ombudsman::ScottishPublicServices => "scottish-public-services",
            Ombudsman::PublicServicesWales => "public-services-wales",
        }
    }

    pub fn parse(s: &str) -> Result<Ombudsman, String> {
        Ombudsman::ALL
            .into_iter()
            .find(|o| o.as_str() == s.trim())
            .ok_or_else(|| "Select the ombudsman".to_string())
    }
}

/// Money in pence, so sums are exact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Pence(pub i64);

impl Pence {
    /// Reads "£1,250.50", "1250.5" or "1250".
    pub fn parse(raw: &str) -> Result<Pence, String> {
        let s: String = raw
            .trim()
            .trim_start_matches('£')
            .chars()
            .filter(|c| *c != ',')
            .collect();
        let bad = || "Enter an amount in pounds, like 150 or 150.50".to_string();
        if s.is_empty() {
            return Err("Enter the amount".into());
        }
        let (pounds, pence) = match s.split_once('.') {
            Some((p, d)) if d.len() <= 2 && !d.is_empty() => (p, format!("{d:0<2}")),
            Some(_) => return Err(bad()),
            None => (s.as_str(), "00".to_string()),
        };
        let pounds: i64 = pounds.parse().map_err(|_| bad())?;
        let pence: i64 = pence.parse().map_err(|_| bad())?;
        let total = pounds
            .checked_mul(100)
            .and_then(|p| p.checked_add(pence))
            .ok_or_else(bad)?;
        if total <= 0 {
            return Err("The amount must be more than £0".into());
        }
        if total > 100_000_000 {
            return Err("The amount must be £1,000,000 or less".into());
        }
        Ok(Pence(total))
    }
}

impl std::fmt::Display for Pence {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let pounds = self.0 / 100;
        let pence = self.0 % 100;
        let digits = pounds.to_string();
        let mut grouped = String::new();
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                grouped.push(',');
            }
            grouped.push(c);
        }
        write!(f, "£{grouped}.{pence:02}")
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Payment {
    pub kind: PaymentKind,
    pub amount: Pence,
    pub approved_by: Option<String>,
    pub approved_on: Option<Date>,
    pub paid_on: Option<Date>,
    /// The user who proposed the payment: above the organisation's limit, someone else
    /// must approve it.
    #[serde(default)]
    pub proposed_by: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Note {
    pub on: Date,
    pub by: String,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Remedy {
    /// 1, 2, 3… within the case.
    pub id: u32,
    pub kind: RemedyKind,
    pub description: String,
    pub owner: Assignee,
    pub due: Date,
    pub done_on: Option<Date>,
    pub payment: Option<Payment>,
    pub notes: Vec<Note>,
}

impl Remedy {
    pub fn is_overdue(&self, today: Date) -> bool {
        self.done_on.is_none() && self.due < today
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Order {
    pub id: u32,
    pub description: String,
    pub due: Date,
    pub complied_on: Option<Date>,
    pub evidence: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Referral {
    pub referred_on: Date,
    pub ombudsman: Ombudsman,
    pub their_reference: Option<String>,
    pub determination: Option<Determination>,
    pub determined_on: Option<Date>,
    pub summary: Option<String>,
    pub orders: Vec<Order>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_parses_and_prints_exactly() {
        assert_eq!(Pence::parse("£1,250.5"), Ok(Pence(125_050)));
        assert_eq!(Pence::parse("150"), Ok(Pence(15_000)));
        assert_eq!(Pence(125_050).to_string(), "£1,250.50");
        assert_eq!(Pence(5).to_string(), "£0.05");
        assert!(Pence::parse("0").is_err());
        assert!(Pence::parse("1.234").is_err());
        assert!(Pence::parse("ten").is_err());
        assert!(Pence::parse("99999999999999999999").is_err());
    }
}
