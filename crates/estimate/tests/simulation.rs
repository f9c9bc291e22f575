//! Populations of known size, listed by two to five lists drawn from a
//! log-linear model (lists independent, or two of them dependent): the
//! estimate's 95% interval must cover the true size in 90–98% of 400 runs
//! where the models tried include the truth, and Chapman's estimator must be
//! unbiased to within 2% on two lists. Seeded: the same runs every time.

use chronicle_estimate::loglinear::{fit, Model};
use chronicle_estimate::{chapman, estimate, Criterion, OverlapTable};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// How lists name the members of a population: the log odds of each list's
/// naming someone, and the extra log odds of pairs of lists naming the same person.
struct Listing {
    main: Vec<f64>,
    pairs: Vec<(usize, usize, f64)>,
}

impl Listing {
    fn independent(probabilities: &[f64]) -> Self {
        Listing { main: probabilities.iter().map(|p| (p / (1.0 - p)).ln()).collect(), pairs: Vec::new() }
    }
    fn with_dependence(mut self, a: usize, b: usize, odds_ratio: f64) -> Self {
        self.pairs.push((a, b, odds_ratio.ln()));
        self
    }
    /// The chance of each capture history, the cell of nobody's lists included.
    fn probabilities(&self) -> Vec<f64> {
        let k = self.main.len();
        let weight = |m: usize| {
            let on = |j: usize| m & 1 << j != 0;
            let s: f64 = (0..k).filter(|&j| on(j)).map(|j| self.main[j]).sum::<f64>()
                + self.pairs.iter().filter(|&&(a, b, _)| on(a) && on(b)).map(|&(_, _, l)| l).sum::<f64>();
            s.exp()
        };
        let w: Vec<f64> = (0..1usize << k).map(weight).collect();
        let total: f64 = w.iter().sum();
        w.iter().map(|x| x / total).collect()
    }
    /// Lists a population of `size`: each member falls in one capture history.
    fn draw(&self, rng: &mut ChaCha8Rng, size: u64) -> OverlapTable {
        let p = self.probabilities();
        let cumulative: Vec<f64> = p
            .iter()
            .scan(0.0, |s, x| {
                *s += x;
                Some(*s)
            })
            .collect();
        let mut counts = vec![0u64; p.len()];
        for _ in 0..size {
            let u: f64 = rng.random();
            let cell = cumulative.iter().position(|&c| u < c).unwrap_or(p.len() - 1);
            counts[cell] += 1;
        }
        counts[0] = 0;
        let names = (0..self.main.len()).map(|j| format!("L{j}")).collect();
        OverlapTable::new(names, counts).unwrap()
    }
}

const RUNS: usize = 400;
/// The default criterion, as `chronicle estimate` chooses.
const CRITERION: Criterion = Criterion::Bic;
const SIZE: u64 = 1200;

/// The share of runs whose interval covers the true size, and the runs that gave no number.
fn coverage(rng: &mut ChaCha8Rng, criterion: Criterion, mut listing: impl FnMut(usize) -> Listing) -> (f64, usize) {
    let mut covered = 0;
    let mut withheld = 0;
    for run in 0..RUNS {
        let table = listing(run).draw(rng, SIZE);
        match estimate(&table, criterion).interval {
            Some(i) if i.lower <= SIZE as f64 && SIZE as f64 <= i.upper => covered += 1,
            Some(_) => {}
            None => withheld += 1,
        }
    }
    (covered as f64 / RUNS as f64, withheld)
}

fn probabilities(rng: &mut ChaCha8Rng, k: usize) -> Vec<f64> {
    (0..k).map(|_| rng.random_range(0.15..0.45)).collect()
}

#[test]
fn intervals_cover_the_true_size_of_populations_listed_independently() {
    let mut rng = ChaCha8Rng::seed_from_u64(19);
    let mut choose = ChaCha8Rng::seed_from_u64(190);
    // Two, three, four and five lists in turn, each with its own chances of naming someone.
    let (share, withheld) = coverage(&mut rng, CRITERION, |run| Listing::independent(&probabilities(&mut choose, 2 + run % 4)));
    println!("independent lists: the interval covers the true size in {:.1}% of {RUNS} runs ({withheld} without a number)", share * 100.0);
    assert!((0.90..=0.98).contains(&share), "coverage {share}");
    assert_eq!(withheld, 0);
}

#[test]
fn intervals_cover_the_true_size_when_two_lists_depend_on_each_other() {
    let mut rng = ChaCha8Rng::seed_from_u64(1919);
    let mut choose = ChaCha8Rng::seed_from_u64(19190);
    // Three, four and five lists, two of which share informants (odds ratio 4).
    let (share, withheld) = coverage(&mut rng, CRITERION, |run| {
        let k = 3 + run % 3;
        let a = run % k;
        Listing::independent(&probabilities(&mut choose, k)).with_dependence(a, (a + 1) % k, 4.0)
    });
    println!("dependent lists: the interval covers the true size in {:.1}% of {RUNS} runs ({withheld} without a number)", share * 100.0);
    assert!((0.90..=0.98).contains(&share), "coverage {share}");
}

#[test]
fn ignoring_a_dependence_counts_too_few() {
    // What the candidate models are for: supposing positively dependent lists
    // independent takes their overlap for a sign of few missed, and estimates low.
    let mut rng = ChaCha8Rng::seed_from_u64(7);
    let listing = Listing::independent(&[0.3, 0.3, 0.3]).with_dependence(0, 1, 4.0);
    let runs = 100;
    let mean_independent: f64 = (0..runs)
        .map(|_| {
            let t = listing.draw(&mut rng, SIZE);
            t.observed() as f64 + fit(&t, &Model::independence(3)).unwrap().unobserved()
        })
        .sum::<f64>()
        / runs as f64;
    println!("independence on dependent lists: mean estimate {mean_independent:.0} of {SIZE}");
    assert!(mean_independent < 0.9 * SIZE as f64, "{mean_independent}");
}

#[test]
fn chapman_is_unbiased_on_two_lists() {
    let mut rng = ChaCha8Rng::seed_from_u64(2);
    let listing = Listing::independent(&[0.3, 0.25]);
    let mut sum = 0.0;
    for _ in 0..RUNS {
        let t = listing.draw(&mut rng, SIZE);
        sum += chapman(t.list_size(0), t.list_size(1), t.overlap(0, 1)).unwrap().estimate;
    }
    let bias = (sum / RUNS as f64 - SIZE as f64) / SIZE as f64;
    println!("Chapman on two lists: mean estimate off the true size by {:+.2}% over {RUNS} runs", bias * 100.0);
    assert!(bias.abs() < 0.02, "bias {bias}");
}
