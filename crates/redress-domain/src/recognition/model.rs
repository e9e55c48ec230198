//! A multinomial naive Bayes model (smartcore) of which words go with which kind of contact, learnt
//! from the labelled messages shipped in `data/recognition.jsonl` (their "train" and "dev"
//! parts; the "test" part is kept out, to measure it by). It catches what the lexicon's
//! phrases miss; the lexicon says why. Learnt once, when first asked, in a few milliseconds.

use crate::intake::ContactKind;
use smartcore::linalg::basic::matrix::DenseMatrix;
use smartcore::naive_bayes::multinomial::{MultinomialNB, MultinomialNBParameters};
use std::collections::{BTreeSet, HashMap};
use std::sync::OnceLock;

/// The labelled messages: JSON lines with `split`, `text` and `kind`.
pub(super) const DATA: &str = include_str!("../../data/recognition.jsonl");

/// The parts of the data the shipped model learns from.
const LEARNT_FROM: [&str; 2] = ["train", "dev"];

pub(crate) struct Model {
    vocabulary: HashMap<String, usize>,
    /// Per kind (in `ContactKind::ALL` order): the log prior, and each word's log weight.
    log_prior: [f64; 5],
    log_weight: Vec<[f64; 5]>,
}

/// The words of a normalised text, and each pair of neighbours ("not_happy").
pub(super) fn features(normalised: &str) -> BTreeSet<String> {
    let words: Vec<&str> = normalised.split_whitespace().collect();
    let mut out: BTreeSet<String> = words.iter().map(|w| w.to_string()).collect();
    for pair in words.windows(2) {
        out.insert(format!("{}_{}", pair[0], pair[1]));
    }
    out
}

/// The labelled messages of the given parts, normalised, with their kind's index.
pub(super) fn examples(parts: &[&str]) -> Vec<(String, usize)> {
    DATA.lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .filter(|m| parts.iter().any(|p| m["split"] == *p))
        .filter_map(|m| {
            let kind = ContactKind::parse(m["kind"].as_str()?).ok()?;
            let index = ContactKind::ALL.iter().position(|k| *k == kind)?;
            Some((super::normalise(m["text"].as_str()?).0, index))
        })
        .collect()
}

impl Model {
    /// Learns from the examples; words seen in only one message are left out as noise.
    pub(super) fn learn(examples: &[(String, usize)]) -> Option<Model> {
        let mut seen: HashMap<String, usize> = HashMap::new();
        let docs: Vec<BTreeSet<String>> = examples.iter().map(|(t, _)| features(t)).collect();
        for d in &docs {
            for f in d {
                *seen.entry(f.clone()).or_default() += 1;
            }
        }
        let mut kept: Vec<&String> = seen
            .iter()
            .filter(|(_, n)| **n >= 2)
            .map(|(f, _)| f)
            .collect();
        kept.sort();
        let vocabulary: HashMap<String, usize> = kept
            .into_iter()
            .enumerate()
            .map(|(i, f)| (f.clone(), i))
            .collect();
        let rows: Vec<Vec<u32>> = docs
            .iter()
            .map(|d| {
                let mut row = vec![0u32; vocabulary.len()];
                for f in d {
                    if let Some(col) = vocabulary.get(f) {
                        row[*col] = 1;
                    }
                }
                row
            })
            .collect();
        let x = DenseMatrix::from_2d_vec(&rows).ok()?;
        let y: Vec<u32> = examples.iter().map(|(_, k)| *k as u32).collect();
        let nb =
            MultinomialNB::fit(&x, &y, MultinomialNBParameters::default().with_alpha(0.5)).ok()?;
        // The model's own parameters, laid out by kind so a message is scored (and its
        // words weighed, for the reasons) without a matrix per message.
        let total: usize = nb.class_count().iter().sum();
        let mut log_prior = [f64::NEG_INFINITY; 5];
        let mut log_weight = vec![[f64::NEG_INFINITY; 5]; vocabulary.len()];
        for (i, class) in nb.classes().iter().enumerate() {
            let k = *class as usize;
            let count = *nb.class_count().get(i)?;
            *log_prior.get_mut(k)? = (count as f64 / total as f64).ln();
            for (col, w) in nb.feature_log_prob().get(i)?.iter().enumerate() {
                *log_weight.get_mut(col)?.get_mut(k)? = *w;
            }
        }
        Some(Model {
            vocabulary,
            log_prior,
            log_weight,
        })
    }

    /// The log-probability of each kind, in `ContactKind::ALL` order; `None` for a text
    /// with no word the model knows.
    pub(super) fn log_proba(&self, normalised: &str) -> Option<[f64; 5]> {
        let mut joint = self.log_prior;
        let mut any = false;
        for f in features(normalised) {
            if let Some(w) = self
                .vocabulary
                .get(&f)
                .and_then(|col| self.log_weight.get(*col))
            {
                any = true;
                for k in 0..5 {
                    joint[k] += w[k];
                }
            }
        }
        if !any {
            return None;
        }
        // Normalised so the kinds' probabilities add up to one.
        let top = joint.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let sum: f64 = joint.iter().map(|j| (j - top).exp()).sum();
        let norm = top + sum.ln();
        Some(joint.map(|j| j - norm))
    }
}

/// The shipped model, learnt at first use.
pub(super) fn shipped() -> Option<&'static Model> {
    static MODEL: OnceLock<Option<Model>> = OnceLock::new();
    MODEL
        .get_or_init(|| Model::learn(&examples(&LEARNT_FROM)))
        .as_ref()
}
