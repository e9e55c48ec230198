//! The organisation running Redress and the areas of its work.

use crate::calendar::Division;
use crate::choice;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Organisation {
    pub id: String,
    pub name: String,
    pub division: Division,
    /// The scheme for work not assigned to a service area yet.
    pub default_scheme: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceArea {
    pub id: String,
    pub name: String,
    pub scheme: String,
}

choice!(
    /// Tenure, as the Tenant Satisfaction Measures split it.
    Tenure, "the tenure" {
        LowCostRental = "low-cost-rental": "Renting (social or affordable rent)",
        LowCostHomeOwnership = "low-cost-home-ownership": "Shared ownership or other low-cost home ownership",
        Leaseholder = "leaseholder": "Leaseholder",
        NotAResident = "not-a-resident": "Not a tenant, owner or leaseholder",
    }
);

/// Number of homes owned, by tenure and year, for the per-1,000-homes measures.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HomesCount {
    pub year: i16,
    pub tenure: Tenure,
    pub homes: i64,
}
