//! Fitting a calibration: from each scored event's raw confidence and whether
//! it was right, a step function that rises with the raw confidence and gives
//! the share of right events at each step (isotonic regression by pooling
//! adjacent violators, with one right and one wrong event added to every step
//! so that a step of three events does not claim certainty).

use serde::Serialize;

/// Events whose raw confidence is at least `from` (and below the next step's)
/// were right in `right` of `events` cases; `value` is the calibrated confidence.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Step {
    pub from: f64,
    pub events: usize,
    pub right: usize,
    pub value: f64,
}

/// The steps fitted to `judged` (raw confidence, right), lowest first.
pub fn fit(judged: &[(f64, bool)]) -> Vec<Step> {
    let mut sorted: Vec<(f64, bool)> = judged.to_vec();
    sorted.sort_by(|a, b| a.0.total_cmp(&b.0));
    // One block per distinct raw value (to two decimals: the rules' values are coarse).
    let mut blocks: Vec<Step> = Vec::new();
    for (c, ok) in sorted {
        let from = (c * 100.0).round() / 100.0;
        match blocks.last_mut() {
            Some(b) if b.from == from => {
                b.events += 1;
                b.right += usize::from(ok);
            }
            _ => blocks.push(Step { from, events: 1, right: usize::from(ok), value: 0.0 }),
        }
    }
    let share = |b: &Step| (b.right as f64 + 1.0) / (b.events as f64 + 2.0);
    // Pool a block into the one before it while it would fall below it.
    let mut pooled: Vec<Step> = Vec::new();
    for b in blocks {
        pooled.push(b);
        while pooled.len() >= 2 && share(&pooled[pooled.len() - 1]) < share(&pooled[pooled.len() - 2]) {
            let last = pooled.pop().expect("two blocks");
            let prev = pooled.last_mut().expect("two blocks");
            prev.events += last.events;
            prev.right += last.right;
        }
    }
    for b in &mut pooled {
        b.value = (share(b) * 1000.0).round() / 1000.0;
    }
    pooled
}

#[cfg(test)]
mod tests {
    use super::*;

    fn judged(spec: &[(f64, usize, usize)]) -> Vec<(f64, bool)> {
        spec.iter().flat_map(|&(c, n, right)| (0..n).map(move |i| (c, i < right))).collect()
    }

    #[test]
    fn each_raw_value_gets_the_smoothed_share_of_its_events_that_were_right() {
        let steps = fit(&judged(&[(0.5, 8, 4), (0.9, 18, 17)]));
        assert_eq!(steps.len(), 2);
        assert_eq!((steps[0].from, steps[0].events, steps[0].right, steps[0].value), (0.5, 8, 4, 0.5));
        assert_eq!((steps[1].from, steps[1].events, steps[1].right, steps[1].value), (0.9, 18, 17, 0.9));
    }

    #[test]
    fn a_step_that_would_fall_below_the_one_before_is_pooled_with_it() {
        // 0.8 is right less often than 0.7: the two are one step, (6+3+1)/(8+4+2).
        let steps = fit(&judged(&[(0.7, 8, 6), (0.8, 4, 1), (0.9, 10, 9)]));
        assert_eq!(steps.iter().map(|s| s.from).collect::<Vec<_>>(), vec![0.7, 0.9]);
        assert_eq!((steps[0].events, steps[0].right), (12, 7));
        assert_eq!(steps[0].value, ((7.0 + 1.0) / 14.0_f64 * 1000.0).round() / 1000.0);
        assert!(steps.windows(2).all(|w| w[0].value <= w[1].value));
    }

    #[test]
    fn nothing_judged_fits_nothing() {
        assert!(fit(&[]).is_empty());
    }
}
