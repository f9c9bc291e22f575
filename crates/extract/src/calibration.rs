//! Confidence that means something: each extractor's raw event confidences
//! mapped to the share of such events found right on the annotated reports
//! (`data/calibration.tsv`, fitted by `chronicle eval --fit-calibration`).
//!
//! The map is a step function, rising with the raw confidence: an event whose
//! raw confidence is at least a step's `from` (and below the next step's)
//! gets that step's value. An extractor with no steps keeps its raw values.

use chronicle_model::Extraction;
use std::collections::HashMap;
use std::sync::OnceLock;

/// One step of an extractor's map.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Step {
    pub from: f64,
    pub value: f64,
}

/// The steps of every extractor, from `data/calibration.tsv`.
fn table() -> &'static HashMap<String, Vec<Step>> {
    static TABLE: OnceLock<HashMap<String, Vec<Step>>> = OnceLock::new();
    TABLE.get_or_init(|| parse(include_str!("../data/calibration.tsv")))
}

/// Reads `extractor<TAB>from<TAB>value[<TAB>…]` lines; `#` starts a comment.
fn parse(text: &str) -> HashMap<String, Vec<Step>> {
    let mut out: HashMap<String, Vec<Step>> = HashMap::new();
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')) {
        let cols: Vec<&str> = line.split('\t').collect();
        let (Some(name), Some(from), Some(value)) = (cols.first(), cols.get(1), cols.get(2)) else { panic!("calibration.tsv: bad line {line:?}") };
        let step = Step { from: from.parse().expect("calibration.tsv: from"), value: value.parse().expect("calibration.tsv: value") };
        out.entry((*name).to_string()).or_default().push(step);
    }
    for steps in out.values_mut() {
        steps.sort_by(|a, b| a.from.total_cmp(&b.from));
    }
    out
}

/// The steps fitted for `extractor` (empty when none were).
pub fn steps(extractor: &str) -> &'static [Step] {
    table().get(extractor).map_or(&[], Vec::as_slice)
}

/// The calibrated confidence of a raw one on these steps: the value of the
/// last step at or below it. Below every step nothing was measured: the raw
/// value stands, never above the first step's.
pub fn calibrated(steps: &[Step], raw: f64) -> f64 {
    // Raw values come as f32: compare to within its precision.
    match steps.iter().rev().find(|s| s.from <= raw + 1e-6) {
        Some(s) => s.value,
        None => steps.first().map_or(raw, |first| raw.min(first.value)),
    }
}

/// Calibrates every event of an extraction made by `extractor`.
pub fn apply(extractor: &str, extraction: &mut Extraction) {
    let steps = steps(extractor);
    if steps.is_empty() {
        return;
    }
    for e in &mut extraction.events {
        e.confidence = calibrated(steps, f64::from(e.confidence)) as f32;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_raw_confidence_takes_the_value_of_the_step_it_falls_on() {
        let steps = parse("x\t0.4\t0.5\nx\t0.8\t0.9\nx\t0.7\t0.75\n")["x"].clone();
        assert_eq!(calibrated(&steps, 0.3), 0.3, "below every step: the raw value");
        assert_eq!(calibrated(&parse("x\t0.7\t0.6\n")["x"], 0.65), 0.6, "never above the first step");
        assert_eq!(calibrated(&steps, 0.4), 0.5);
        assert_eq!(calibrated(&steps, 0.72), 0.75, "steps are sorted by where they start");
        assert_eq!(calibrated(&steps, 0.95), 0.9);
        assert_eq!(calibrated(&[], 0.66), 0.66, "no steps: the raw value");
        assert_eq!(calibrated(&steps, f64::from(0.8f32)), 0.9, "an f32 raw value on a step's start is on the step");
    }

    #[test]
    fn every_shipped_map_rises_and_stays_within_zero_and_one() {
        for (name, steps) in table() {
            assert!(!steps.is_empty());
            assert!(steps.windows(2).all(|w| w[0].value <= w[1].value), "{name}: the map must not fall");
            assert!(steps.iter().all(|s| (0.0..=1.0).contains(&s.value)), "{name}: values are shares");
        }
    }
}
