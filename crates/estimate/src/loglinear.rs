//! Log-linear models of an overlap table, fitted as Poisson regressions by
//! iteratively reweighted least squares, and the profile likelihood of the
//! population size they imply.
//!
//! A model says how the expected count of each capture history is made:
//! `log μ(h) = β₀ + Σ_j β_j h_j + Σ_(i,j) β_ij h_i h_j`, over the lists `j`
//! a history `h` is on and the chosen pairs `(i, j)` of dependent lists. It
//! is fitted to the observed cells only; the unobserved cell (no list) has
//! every indicator 0, so its expected count is `exp(β₀)`.

use crate::numeric::{ln_gamma, solve_spd};
use crate::table::OverlapTable;
use crate::EstimateError;

/// Which terms a log-linear model has beyond the intercept and the lists'
/// main effects: the pairs of lists allowed to depend on each other.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Model {
    lists: usize,
    interactions: Vec<(usize, usize)>,
}

impl Model {
    /// Every list independent of every other.
    pub fn independence(lists: usize) -> Self {
        Model { lists, interactions: Vec::new() }
    }
    /// Main effects and these pairwise interactions (each pair `i < j`, in the order given).
    pub fn with_interactions(lists: usize, interactions: Vec<(usize, usize)>) -> Self {
        Model { lists, interactions }
    }
    /// Main effects and every pairwise interaction.
    pub fn all_pairs(lists: usize) -> Self {
        Model { lists, interactions: pairs(lists).collect() }
    }
    pub fn lists(&self) -> usize {
        self.lists
    }
    pub fn interactions(&self) -> &[(usize, usize)] {
        &self.interactions
    }
    /// Parameters: the intercept, one per list, one per interaction.
    pub fn parameters(&self) -> usize {
        1 + self.lists + self.interactions.len()
    }
    /// The model as R writes its terms (`A + B + C + A:B`), lists named.
    pub fn formula(&self, names: &[String]) -> String {
        let mut terms: Vec<String> = names.iter().take(self.lists).cloned().collect();
        terms.extend(self.interactions.iter().map(|&(i, j)| format!("{}:{}", names[i], names[j])));
        terms.join(" + ")
    }
    /// A short name: `independence`, `all pairs`, or the dependent pairs (`A×B, B×C`).
    pub fn name(&self, names: &[String]) -> String {
        if self.interactions.is_empty() {
            "independence".into()
        } else if self.lists > 2 && self.interactions.len() == self.lists * (self.lists - 1) / 2 {
            "all pairs".into()
        } else {
            self.interactions.iter().map(|&(i, j)| format!("{}×{}", names[i], names[j])).collect::<Vec<_>>().join(", ")
        }
    }
    /// The design row of a capture history.
    fn row(&self, mask: usize, out: &mut Vec<f64>) {
        out.clear();
        out.push(1.0);
        out.extend((0..self.lists).map(|j| bit(mask, j)));
        out.extend(self.interactions.iter().map(|&(i, j)| bit(mask, i) * bit(mask, j)));
    }
}

fn bit(mask: usize, j: usize) -> f64 {
    if mask & 1 << j != 0 {
        1.0
    } else {
        0.0
    }
}

/// Every pair `i < j` of `k` lists, in order (0,1), (0,2) … (1,2) …
pub fn pairs(k: usize) -> impl Iterator<Item = (usize, usize)> {
    (0..k).flat_map(move |i| (i + 1..k).map(move |j| (i, j)))
}

/// A model fitted to the observed cells of a table.
#[derive(Debug, Clone, PartialEq)]
pub struct Fit {
    pub model: Model,
    /// Intercept, main effects (one per list, in the table's order), interactions (in the model's order).
    pub coefficients: Vec<f64>,
    /// Expected counts of the observed cells, masks 1 to `2^k − 1`.
    pub fitted: Vec<f64>,
    /// `2 Σ [y log(y/μ) − (y − μ)]` over the observed cells.
    pub deviance: f64,
    /// The Poisson log-likelihood `Σ [y log μ − μ − log y!]`.
    pub log_likelihood: f64,
    /// Observed cells less parameters.
    pub df: usize,
    pub iterations: usize,
}

impl Fit {
    /// The expected number of victims no list names: `exp(β₀)`.
    pub fn unobserved(&self) -> f64 {
        self.coefficients[0].exp()
    }
    /// Akaike's criterion, `−2 log L + 2p` (as R's `AIC` gives for a Poisson `glm`).
    pub fn aic(&self) -> f64 {
        -2.0 * self.log_likelihood + 2.0 * self.model.parameters() as f64
    }
    /// Schwarz's criterion, `−2 log L + p log n`, with `n` the victims observed
    /// (not the cells: the victims are the sample).
    pub fn bic(&self, observed: u64) -> f64 {
        -2.0 * self.log_likelihood + self.model.parameters() as f64 * (observed.max(1) as f64).ln()
    }
    /// Whether the fit is on the edge of its parameter space: a coefficient
    /// running off towards infinity because a cell or margin the model needs
    /// is empty. Such a fit's estimate means nothing.
    pub fn on_boundary(&self) -> bool {
        self.coefficients.iter().any(|b| !b.is_finite() || b.abs() > BOUNDARY)
    }
}

/// A coefficient this large (a factor of e^20 between cells) is taken for a
/// fit diverging, as IRLS does when the maximum likelihood is at infinity.
const BOUNDARY: f64 = 20.0;
const MAX_ITERATIONS: usize = 100;
/// Relative change of the deviance at which IRLS stops: far below R's 1e-8,
/// so that the fits are the maximum likelihood to the precision of a double.
const TOLERANCE: f64 = 1e-13;

/// Fits a model to a table's observed cells.
pub fn fit(table: &OverlapTable, model: &Model) -> Result<Fit, EstimateError> {
    let k = table.lists().len();
    if model.lists != k {
        return Err(EstimateError::BadModel(format!("a model of {} lists for a table of {k}", model.lists)));
    }
    let cells: Vec<(usize, f64)> = table.cells().map(|(m, c)| (m, c as f64)).collect();
    if model.parameters() > cells.len() {
        return Err(EstimateError::BadModel(format!("{} parameters for {} cells", model.parameters(), cells.len())));
    }
    let (coefficients, fitted, iterations) = irls(model, &cells, None)?;
    let deviance = cells.iter().zip(&fitted).map(|(&(_, y), &mu)| deviance_term(y, mu)).sum();
    let log_likelihood = cells.iter().zip(&fitted).map(|(&(_, y), &mu)| poisson_ll(y, mu)).sum();
    Ok(Fit { model: model.clone(), coefficients, fitted, deviance, log_likelihood, df: cells.len() - model.parameters(), iterations })
}

fn deviance_term(y: f64, mu: f64) -> f64 {
    2.0 * (if y > 0.0 { y * (y / mu).ln() } else { 0.0 } - (y - mu))
}

fn poisson_ll(y: f64, mu: f64) -> f64 {
    (if y > 0.0 { y * mu.ln() } else { 0.0 }) - mu - ln_gamma(y + 1.0)
}

/// Poisson regression with log link by iteratively reweighted least squares,
/// started as R starts it (μ = y + 0.1) unless coefficients are given.
/// Returns the coefficients, the fitted counts and the iterations taken.
fn irls(model: &Model, cells: &[(usize, f64)], start: Option<&[f64]>) -> Result<(Vec<f64>, Vec<f64>, usize), EstimateError> {
    let p = model.parameters();
    let mut rows = Vec::with_capacity(cells.len());
    let mut row = Vec::with_capacity(p);
    for &(mask, _) in cells {
        model.row(mask, &mut row);
        rows.push(row.clone());
    }
    let eta_of = |b: &[f64]| -> Vec<f64> { rows.iter().map(|r| r.iter().zip(b).map(|(x, b)| x * b).sum()).collect() };
    let mut eta: Vec<f64> = match start {
        Some(b) => eta_of(b),
        None => cells.iter().map(|&(_, y)| (y + 0.1).ln()).collect(),
    };
    let mut mu: Vec<f64> = eta.iter().map(|e| e.exp()).collect();
    let mut dev_old = f64::INFINITY;
    let mut beta = vec![0.0; p];
    let mut xtwx = vec![0.0; p * p];
    let mut xtwz = vec![0.0; p];
    for iteration in 1..=MAX_ITERATIONS {
        xtwx.iter_mut().for_each(|v| *v = 0.0);
        xtwz.iter_mut().for_each(|v| *v = 0.0);
        for ((r, &(_, y)), (&e, &m)) in rows.iter().zip(cells).zip(eta.iter().zip(&mu)) {
            // Working response and weight of the log link: z = η + (y − μ)/μ, w = μ.
            let z = e + (y - m) / m;
            for a in 0..p {
                if r[a] == 0.0 {
                    continue;
                }
                xtwz[a] += m * r[a] * z;
                for b in 0..=a {
                    xtwx[a * p + b] += m * r[a] * r[b];
                }
            }
        }
        for a in 0..p {
            for b in 0..a {
                xtwx[b * p + a] = xtwx[a * p + b];
            }
        }
        let next = solve_spd(&xtwx, &xtwz, p).ok_or(EstimateError::NotIdentified)?;
        // Large counts leave the deviance rounding noise above the tolerance; settled coefficients end the fit too.
        let settled = next.iter().zip(&beta).all(|(a, b)| (a - b).abs() <= 1e-11 * (1.0 + a.abs()));
        beta = next;
        eta = eta_of(&beta);
        mu = eta.iter().map(|e| e.exp()).collect();
        let dev: f64 = cells.iter().zip(&mu).map(|(&(_, y), &m)| deviance_term(y, m)).sum();
        if !dev.is_finite() {
            return Err(EstimateError::NotConverged { iterations: iteration });
        }
        if (dev - dev_old).abs() / (dev.abs() + 0.1) < TOLERANCE || (settled && iteration > 1) {
            return Ok((beta, mu, iteration));
        }
        dev_old = dev;
    }
    // A fit whose coefficients run off to infinity creeps on without converging; say so by its coefficients.
    if beta.iter().any(|b| b.abs() > BOUNDARY) {
        return Ok((beta, mu, MAX_ITERATIONS));
    }
    Err(EstimateError::NotConverged { iterations: MAX_ITERATIONS })
}

/// The profile log-likelihood of the population size `n_total` under a
/// model: the multinomial likelihood of the whole table, the unobserved cell
/// holding `n_total − observed`, maximised over the model's parameters
/// (Cormack's construction). Differences of it are what matter.
pub struct Profile<'a> {
    model: &'a Model,
    cells: Vec<(usize, f64)>,
    observed: f64,
    constant: f64,
    start: std::cell::RefCell<Option<Vec<f64>>>,
}

impl<'a> Profile<'a> {
    pub fn new(table: &OverlapTable, model: &'a Model) -> Self {
        let mut cells: Vec<(usize, f64)> = vec![(0, 0.0)];
        cells.extend(table.cells().map(|(m, c)| (m, c as f64)));
        let constant = -cells.iter().map(|&(_, y)| ln_gamma(y + 1.0)).sum::<f64>();
        Profile { model, observed: table.observed() as f64, cells, constant, start: Default::default() }
    }

    /// The profile log-likelihood at a population of `n_total` (at least the observed).
    pub fn at(&self, n_total: f64) -> Result<f64, EstimateError> {
        let unseen = n_total - self.observed;
        let mut cells = self.cells.clone();
        cells[0].1 = unseen;
        // Each fit starts from the last: neighbouring sizes have neighbouring fits.
        let start = self.start.borrow().clone();
        let (beta, mu, _) = match irls(self.model, &cells, start.as_deref()) {
            Ok(fit) => fit,
            Err(_) if start.is_some() => irls(self.model, &cells, None)?,
            Err(e) => return Err(e),
        };
        *self.start.borrow_mut() = Some(beta);
        let total: f64 = mu.iter().sum();
        let mut ll = ln_gamma(n_total + 1.0) - ln_gamma(unseen + 1.0) + self.constant;
        for (&(_, y), &m) in cells.iter().zip(&mu) {
            if y > 0.0 {
                ll += y * (m / total).ln();
            }
        }
        Ok(ll)
    }
}

/// A 95% profile-likelihood interval for the population size under a model
/// whose point estimate is `point`: the sizes whose profile log-likelihood is
/// within `χ²₁(0.95)/2` of the best. `Ok(None)` for the upper limit when the
/// likelihood stays that high past `limit`.
pub fn profile_interval(table: &OverlapTable, model: &Model, point: f64, limit: f64) -> Result<(f64, Option<f64>), EstimateError> {
    const HALF_CHI2: f64 = 3.841_458_820_694_124 / 2.0;
    let profile = Profile::new(table, model);
    // Just above the observed count: at it exactly the unobserved cell is empty and its fit at infinity.
    let n = table.observed() as f64 + 0.01;
    // The profile's maximum, by golden sections around the point estimate.
    let (mut a, mut b) = (n, (point * 2.0 - n).max(n + 1.0) + 10.0);
    let ratio = (5f64.sqrt() - 1.0) / 2.0;
    for _ in 0..60 {
        if b - a < 1e-3 {
            break;
        }
        let (c, d) = (b - ratio * (b - a), a + ratio * (b - a));
        if profile.at(c)? >= profile.at(d)? {
            b = d;
        } else {
            a = c;
        }
    }
    let best_n = (a + b) / 2.0;
    let best = profile.at(best_n)?;
    let cut = best - HALF_CHI2;
    // The lower limit: at the observed count if the likelihood is still high there.
    let lower = if profile.at(n)? >= cut { n } else { bisect(&profile, n, best_n, cut)? };
    // The upper limit: step out until the likelihood falls below the cut.
    let mut step = (best_n - n).max(1.0);
    let mut hi = best_n + step;
    loop {
        if hi > limit {
            return Ok((lower, None));
        }
        if profile.at(hi)? < cut {
            break;
        }
        step *= 2.0;
        hi = best_n + step;
    }
    let upper = bisect(&profile, best_n, hi, cut)?;
    Ok((lower, Some(upper)))
}

/// Where between `a` and `b` the profile crosses `cut` (one side above it, the other below), to a hundredth of a victim.
fn bisect(profile: &Profile, mut a: f64, mut b: f64, cut: f64) -> Result<f64, EstimateError> {
    let above_at_a = profile.at(a)? >= cut;
    for _ in 0..80 {
        if (b - a).abs() < 0.01 {
            break;
        }
        let m = (a + b) / 2.0;
        if (profile.at(m)? >= cut) == above_at_a {
            a = m;
        } else {
            b = m;
        }
    }
    Ok((a + b) / 2.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(counts: &[u64]) -> OverlapTable {
        OverlapTable::lettered(counts)
    }

    #[test]
    fn independence_of_two_lists_is_lincoln_and_petersen() {
        // n1 = 60, n2 = 50, both 20: the unobserved cell is (40 × 30) / 20 = 60.
        let f = fit(&table(&[0, 40, 30, 20]), &Model::independence(2)).unwrap();
        assert!((f.unobserved() - 60.0).abs() < 1e-9, "{}", f.unobserved());
        assert!(f.deviance.abs() < 1e-9 && f.df == 0);
    }

    #[test]
    fn a_model_needing_an_empty_margin_runs_to_the_boundary() {
        // A and B never together: the A×B interaction goes to minus infinity.
        let f = fit(&table(&[0, 30, 20, 0, 10, 5, 6, 0]), &Model::with_interactions(3, vec![(0, 1)])).unwrap();
        assert!(f.on_boundary(), "{:?}", f.coefficients);
        let f = fit(&table(&[0, 30, 20, 4, 10, 5, 6, 2]), &Model::with_interactions(3, vec![(0, 1)])).unwrap();
        assert!(!f.on_boundary(), "{:?}", f.coefficients);
    }

    #[test]
    fn the_profile_interval_holds_the_estimate() {
        let t = table(&[0, 120, 100, 30, 90, 25, 22, 8]);
        let model = Model::independence(3);
        let f = fit(&t, &model).unwrap();
        let point = t.observed() as f64 + f.unobserved();
        let (lo, hi) = profile_interval(&t, &model, point, 1e7).unwrap();
        let hi = hi.unwrap();
        assert!(lo < point && point < hi, "{lo} {point} {hi}");
        assert!(lo > t.observed() as f64);
    }
}
