//! The labelled evaluation set (`data/recognition.jsonl`): messages written apart from
//! the lexicon, part of them ("test") held out from its tuning. Figures in
//! docs/benchmarks.md come from here.

use super::*;

struct Figures {
    total: usize,
    right: usize,
    complaints: usize,
    complaints_found: usize,
    hazards: usize,
    hazards_found: usize,
    false_hazards: usize,
    confusion: std::collections::BTreeMap<(String, String), usize>,
}

fn measure(split: &str) -> Figures {
    let mut f = Figures {
        total: 0,
        right: 0,
        complaints: 0,
        complaints_found: 0,
        hazards: 0,
        hazards_found: 0,
        false_hazards: 0,
        confusion: Default::default(),
    };
    for line in include_str!("../../data/recognition.jsonl").lines() {
        let Ok(m) = serde_json::from_str::<serde_json::Value>(line) else {
            continue;
        };
        if m["split"] != split {
            continue;
        }
        let text = m["text"].as_str().unwrap_or_default();
        let expected = m["kind"].as_str().unwrap_or_default();
        let got = recognise(text);
        f.total += 1;
        if got.kind.as_str() == expected {
            f.right += 1;
        }
        if expected == "complaint" {
            f.complaints += 1;
            if got.kind == ContactKind::Complaint {
                f.complaints_found += 1;
            }
        }
        match (m["hazard"].is_null(), &got.hazard) {
            (false, Some(_)) => {
                f.hazards += 1;
                f.hazards_found += 1;
            }
            (false, None) => f.hazards += 1,
            (true, Some(_)) => f.false_hazards += 1,
            (true, None) => {}
        }
        *f.confusion
            .entry((expected.to_string(), got.kind.as_str().to_string()))
            .or_default() += 1;
        if std::env::var_os("RECOGNITION_VERBOSE").is_some() && got.kind.as_str() != expected {
            eprintln!(
                "{} {expected} -> {} {:?}: {text}",
                m["id"],
                got.kind.as_str(),
                got.reasons
            );
        }
    }
    f
}

fn report(split: &str, f: &Figures) {
    eprintln!(
        "{split}: {} messages, accuracy {:.1}%, complaint recall {:.1}% ({}/{}), hazards found {}/{}, hazards suggested wrongly {}",
        f.total,
        100.0 * f.right as f64 / f.total as f64,
        100.0 * f.complaints_found as f64 / f.complaints as f64,
        f.complaints_found,
        f.complaints,
        f.hazards_found,
        f.hazards,
        f.false_hazards,
    );
    for ((expected, got), n) in &f.confusion {
        eprintln!("  {expected:>16} read as {got:<16} {n}");
    }
}

/// Chooses the blend by five-fold cross-validation on "train" and "dev": each fold's
/// model learns from the other four. Run by hand after changing the lexicon or the data:
/// `cargo test -p redress-domain tune_the_blend -- --ignored --nocapture`.
#[test]
#[ignore = "a tuning aid, run by hand; it prints, it does not check"]
fn tune_the_blend() {
    let all = model::examples(&["train", "dev"]);
    let texts: Vec<String> = super::model::DATA
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter(|m| m["split"] == "train" || m["split"] == "dev")
        .filter_map(|m| m["text"].as_str().map(str::to_string))
        .collect();
    let folds: Vec<Option<model::Model>> = (0..5)
        .map(|f| {
            let rest: Vec<(String, usize)> = all
                .iter()
                .enumerate()
                .filter(|(i, _)| i % 5 != f)
                .map(|(_, e)| e.clone())
                .collect();
            model::Model::learn(&rest)
        })
        .collect();
    let complaint = 0;
    for lexicon in [0.5, 1.0, 1.5, 2.0] {
        for complaint_bias in [0.0, 1.0, 2.0, 3.0] {
            for decisive in [2.5, 4.0, 100.0] {
                let blend = Blend {
                    lexicon,
                    complaint_bias,
                    decisive,
                };
                let (mut right, mut found, mut complaints) = (0, 0, 0);
                for (i, (_, kind)) in all.iter().enumerate() {
                    let got = read_with(&texts[i], folds[i % 5].as_ref(), blend);
                    let got = ContactKind::ALL.iter().position(|k| *k == got.kind);
                    right += usize::from(got == Some(*kind));
                    if *kind == complaint {
                        complaints += 1;
                        found += usize::from(got == Some(complaint));
                    }
                }
                eprintln!(
                    "lexicon {lexicon} bias {complaint_bias} decisive {decisive}: accuracy {:.1}% recall {:.1}%",
                    100.0 * right as f64 / all.len() as f64,
                    100.0 * found as f64 / complaints as f64
                );
            }
        }
    }
}

#[test]
fn the_held_out_messages_meet_the_targets() {
    let train = measure("train");
    report("train", &train);
    let dev = measure("dev");
    report("dev", &dev);
    let test = measure("test");
    report("test", &test);
    assert!(
        test.total >= 120,
        "the held-out part is there: {}",
        test.total
    );
    let recall = test.complaints_found as f64 / test.complaints as f64;
    let accuracy = test.right as f64 / test.total as f64;
    assert!(recall >= 0.90, "complaint recall {recall:.3} is below 90%");
    assert!(accuracy >= 0.80, "accuracy {accuracy:.3} is below 80%");
}
