//! Two lists: Chapman's estimator.

use crate::EstimateError;

/// Chapman's estimate of a population from two lists.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Chapman {
    /// `(n₁ + 1)(n₂ + 1)/(m + 1) − 1`.
    pub estimate: f64,
    /// Seber's variance of it, `(n₁+1)(n₂+1)(n₁−m)(n₂−m) / ((m+1)²(m+2))`.
    pub variance: f64,
    /// A 95% interval, log-normal in the unobserved count (Chao's), so that it
    /// never reaches below the observed count and is wider above than below.
    pub lower: f64,
    pub upper: f64,
}

/// Chapman's estimator from the sizes of two lists and their overlap. Refused
/// when no victim is on both: then the lists say nothing of the rest.
pub fn chapman(n1: u64, n2: u64, both: u64) -> Result<Chapman, EstimateError> {
    if both > n1.min(n2) {
        return Err(EstimateError::BadTable(format!("{both} victims on both lists of {n1} and {n2}")));
    }
    if both == 0 {
        return Err(EstimateError::NoOverlap);
    }
    let (a, b, m) = (n1 as f64, n2 as f64, both as f64);
    let estimate = (a + 1.0) * (b + 1.0) / (m + 1.0) - 1.0;
    let variance = (a + 1.0) * (b + 1.0) * (a - m) * (b - m) / ((m + 1.0).powi(2) * (m + 2.0));
    let observed = a + b - m;
    let unseen = estimate - observed;
    let (lower, upper) = if unseen <= 0.0 || variance <= 0.0 {
        (observed, observed.max(estimate))
    } else {
        let c = (Z95 * (1.0 + variance / unseen.powi(2)).ln().sqrt()).exp();
        (observed + unseen / c, observed + unseen * c)
    };
    Ok(Chapman { estimate, variance, lower, upper })
}

/// The normal distribution's 97.5% quantile.
pub(crate) const Z95: f64 = 1.959_963_984_540_054;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chapman_by_hand() {
        // (61 × 51)/21 − 1 = 147.142857…
        let c = chapman(60, 50, 20).unwrap();
        assert!((c.estimate - 147.142_857_142_857).abs() < 1e-9);
        let v = 61.0 * 51.0 * 40.0 * 30.0 / (21.0f64 * 21.0 * 22.0);
        assert!((c.variance - v).abs() < 1e-9);
        assert!(c.lower > 90.0 && c.lower < c.estimate && c.upper > c.estimate);
    }

    #[test]
    fn lists_that_never_meet_say_nothing() {
        assert!(matches!(chapman(30, 40, 0), Err(EstimateError::NoOverlap)));
    }

    #[test]
    fn lists_that_name_the_same_victims_leave_none_unseen() {
        let c = chapman(25, 25, 25).unwrap();
        assert!((c.estimate - 25.0).abs() < 1e-9 && c.lower == 25.0 && c.upper == 25.0);
    }
}
