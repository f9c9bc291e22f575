//! How well a name comparison separates labelled pairs: precision and recall
//! at each threshold, the best F1, and the lowest threshold that reaches a
//! wanted precision, so that a user can choose where to link.

/// Precision and recall of linking every pair that scores at or above `threshold`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CurvePoint {
    pub threshold: f64,
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
    /// Pairs of one person at or above the threshold.
    pub true_links: usize,
    /// Pairs of two persons at or above the threshold.
    pub false_links: usize,
}

fn point(threshold: f64, tp: usize, fp: usize, positives: usize) -> CurvePoint {
    let ratio = |x: usize, y: usize| if y == 0 { 0.0 } else { x as f64 / y as f64 };
    // Linking nothing links nothing wrongly: precision 1.
    let precision = if tp + fp == 0 { 1.0 } else { ratio(tp, tp + fp) };
    let recall = ratio(tp, positives);
    let f1 = if tp == 0 { 0.0 } else { 2.0 * precision * recall / (precision + recall) };
    CurvePoint { threshold, precision, recall, f1, true_links: tp, false_links: fp }
}

/// The curve of scored pairs (`score`, `same person`): one point at each
/// distinct score, highest threshold first.
pub fn curve(scored: &[(f64, bool)]) -> Vec<CurvePoint> {
    let mut sorted: Vec<(f64, bool)> = scored.iter().copied().filter(|s| s.0.is_finite()).collect();
    sorted.sort_by(|a, b| b.0.total_cmp(&a.0));
    let positives = sorted.iter().filter(|s| s.1).count();
    let (mut tp, mut fp) = (0, 0);
    let mut out = Vec::new();
    for (i, &(s, same)) in sorted.iter().enumerate() {
        if same {
            tp += 1;
        } else {
            fp += 1;
        }
        // A point once every pair with this score is counted.
        if sorted.get(i + 1).is_none_or(|next| next.0 < s) {
            out.push(point(s, tp, fp, positives));
        }
    }
    out
}

/// The point at `threshold` exactly: pairs at or above it linked.
pub fn at_threshold(scored: &[(f64, bool)], threshold: f64) -> CurvePoint {
    let positives = scored.iter().filter(|s| s.1).count();
    let tp = scored.iter().filter(|s| s.1 && s.0 >= threshold).count();
    let fp = scored.iter().filter(|s| !s.1 && s.0 >= threshold).count();
    point(threshold, tp, fp, positives)
}

/// The point of the curve with the best F1 (the highest threshold among equals).
pub fn best_f1(curve: &[CurvePoint]) -> Option<CurvePoint> {
    curve.iter().copied().fold(None, |best: Option<CurvePoint>, p| match best {
        Some(b) if b.f1 >= p.f1 => Some(b),
        _ => Some(p),
    })
}

/// The lowest threshold whose precision is at least `precision`, with its
/// recall: the most a user can link at that precision. None when no
/// threshold that links anything reaches it.
pub fn lowest_threshold_for(curve: &[CurvePoint], precision: f64) -> Option<CurvePoint> {
    curve.iter().copied().filter(|p| p.precision >= precision && p.true_links + p.false_links > 0).last()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_curve_counts_pairs_at_or_above_each_threshold() {
        let scored = [(0.9, true), (0.9, false), (0.8, true), (0.5, false), (0.4, true)];
        let c = curve(&scored);
        assert_eq!(c.iter().map(|p| p.threshold).collect::<Vec<_>>(), [0.9, 0.8, 0.5, 0.4]);
        assert_eq!((c[0].true_links, c[0].false_links), (1, 1));
        assert!((c[1].precision - 2.0 / 3.0).abs() < 1e-9 && (c[1].recall - 2.0 / 3.0).abs() < 1e-9);
        assert_eq!(at_threshold(&scored, 0.8), c[1]);
        assert_eq!(best_f1(&c).map(|p| p.threshold), Some(0.4));
    }

    #[test]
    fn the_lowest_threshold_reaching_a_precision_gives_the_most_recall() {
        let scored = [(1.0, true), (0.95, true), (0.9, false), (0.85, true), (0.8, true), (0.7, false), (0.6, false)];
        let c = curve(&scored);
        // 0.8 links 4 right and 1 wrong: 0.8 precision; 0.95 is the last at 1.0.
        assert_eq!(lowest_threshold_for(&c, 1.0).map(|p| (p.threshold, p.recall)), Some((0.95, 0.5)));
        assert_eq!(lowest_threshold_for(&c, 0.8).map(|p| p.threshold), Some(0.8));
        assert_eq!(lowest_threshold_for(&curve(&[(0.5, false)]), 0.9), None);
    }
}
