//! Petitions: the number of signatures the team asks for, who may sign (residents of
//! the area, or any affected customer), and one person signing once.

use crate::FieldErrors;
use crate::field::{Text, parse_email, parse_postcode};
use serde::{Deserialize, Serialize};

/// The team sets a number representative of the area or of the customers affected.
pub fn parse_threshold(raw: &str) -> Result<u32, String> {
    match raw.trim().parse::<u32>() {
        Ok(n) if (1..=100_000).contains(&n) => Ok(n),
        Ok(_) => Err("The number of signatures needed must be between 1 and 100,000".into()),
        Err(_) => Err("Enter the number of signatures needed, like 25".into()),
    }
}

/// Postcode areas, districts or sectors whose residents may sign ("LS", "LS6", "LS6 1"),
/// separated by commas or new lines. Empty means any affected customer may sign.
pub fn parse_areas(raw: &str) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    for part in raw
        .split([',', '\n', ';'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
    {
        let norm = part
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_uppercase();
        let mut pieces = norm.split(' ');
        let outward = pieces.next().unwrap_or_default();
        let sector = pieces.next();
        let outward_ok = (1..=4).contains(&outward.len())
            && outward
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_alphabetic())
            && outward.chars().all(|c| c.is_ascii_alphanumeric());
        let sector_ok =
            sector.is_none_or(|s| s.len() == 1 && s.chars().all(|c| c.is_ascii_digit()));
        if !outward_ok || !sector_ok || pieces.next().is_some() {
            return Err(format!(
                "{part} is not a postcode area, district or sector: enter them like LS, LS6 or LS6 1"
            ));
        }
        if !out.contains(&norm) {
            out.push(norm);
        }
    }
    Ok(out)
}

/// Whether a (normalised) postcode lies in one of the areas.
pub fn in_areas(postcode: &str, areas: &[String]) -> bool {
    if areas.is_empty() {
        return true;
    }
    let Some((outward, inward)) = postcode.split_once(' ') else {
        return false;
    };
    let letters: String = outward
        .chars()
        .take_while(|c| c.is_ascii_alphabetic())
        .collect();
    areas.iter().any(|a| match a.split_once(' ') {
        Some((o, s)) => o == outward && inward.starts_with(s),
        None if a.chars().all(|c| c.is_ascii_alphabetic()) => *a == letters,
        None => a == outward,
    })
}

/// One signature, online or from paper.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Signature {
    pub name: Text,
    pub email: Option<String>,
    pub postcode: String,
    pub paper: bool,
    /// Name and postcode, normalised: the same person twice has the same key.
    pub key: String,
}

impl Signature {
    pub fn parse(
        name: &str,
        email: &str,
        postcode: &str,
        declaration: bool,
        paper: bool,
        areas: &[String],
    ) -> Result<Signature, FieldErrors> {
        let mut e = FieldErrors::new();
        let name = e.take("name", Text::parse(name, "the full name", 200));
        let email = e.take_opt("email", parse_email(email));
        let postcode = match parse_postcode(postcode) {
            Ok(Some(p)) if in_areas(&p, areas) => Some(p),
            Ok(Some(_)) => {
                e.add(
                    "postcode",
                    format!(
                        "Only residents of {} can sign this petition",
                        areas.join(", ")
                    ),
                );
                None
            }
            Ok(None) => {
                e.add("postcode", "Enter the postcode of the home");
                None
            }
            Err(m) => {
                e.add("postcode", m);
                None
            }
        };
        if !declaration {
            e.add(
                "declaration",
                "Confirm you are a resident affected and have not signed before",
            );
        }
        match (name, postcode) {
            (Some(name), Some(postcode)) if e.is_empty() => {
                let key = format!(
                    "{}|{postcode}",
                    name.as_str()
                        .split_whitespace()
                        .map(str::to_lowercase)
                        .collect::<Vec<_>>()
                        .join(" ")
                );
                Ok(Signature {
                    name,
                    email: email.map(|m| m.to_lowercase()),
                    postcode,
                    paper,
                    key,
                })
            }
            _ => Err(e),
        }
    }
}

pub fn threshold_reached(count: u32, threshold: Option<u32>) -> bool {
    threshold.is_some_and(|t| count >= t)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn areas_match_by_area_district_and_sector_only() {
        let areas = parse_areas("ls6, M1 2\nCF").unwrap();
        assert_eq!(areas, ["LS6", "M1 2", "CF"]);
        assert!(in_areas("LS6 1AA", &areas));
        assert!(!in_areas("LS16 1AA", &areas), "LS6 is not LS16");
        assert!(in_areas("M1 2AB", &areas));
        assert!(!in_areas("M1 3AB", &areas));
        assert!(in_areas("CF10 1AA", &areas));
        assert!(!in_areas("CH1 1AA", &areas), "CF is not C");
        assert!(in_areas("ZZ1 1AA", &[]), "no areas: any affected customer");
        assert!(parse_areas("LS6 1AA").is_err());
        assert!(parse_areas("6LS").is_err());
    }

    #[test]
    fn one_person_once_and_only_from_the_area() {
        let areas = vec!["LS6".to_string()];
        let a = Signature::parse("Ann  Smith", "", "ls61aa", true, false, &areas).unwrap();
        let b = Signature::parse(
            "ann smith",
            "ANN@example.org",
            "LS6 1AA",
            true,
            true,
            &areas,
        )
        .unwrap();
        assert_eq!(a.key, b.key);
        let e = Signature::parse("Bob", "", "LS16 1AA", true, false, &areas).unwrap_err();
        assert_eq!(
            e.get("postcode"),
            Some("Only residents of LS6 can sign this petition")
        );
        let e = Signature::parse("", "", "", false, false, &areas).unwrap_err();
        for f in ["name", "postcode", "declaration"] {
            assert!(e.get(f).is_some(), "{f}");
        }
    }

    proptest! {
        #[test]
        fn reached_exactly_at_the_threshold(count in 0u32..500, threshold in 1u32..500) {
            prop_assert_eq!(threshold_reached(count, Some(threshold)), count >= threshold);
            prop_assert!(!threshold_reached(count, None));
        }

        #[test]
        fn a_district_never_matches_a_longer_one(d in 1u8..9, extra in 0u8..10) {
            let areas = vec![format!("LS{d}")];
            let longer = format!("LS{d}{extra} 1AA");
            prop_assert!(!in_areas(&longer, &areas));
            let inside = format!("LS{d} 9ZZ");
            prop_assert!(in_areas(&inside, &areas));
        }
    }
}
