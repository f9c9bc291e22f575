//! How many victims no source documented: multiple systems estimation
//! (capture–recapture) from the overlap between lists.
//!
//! A monitor's record names only the victims some source reported. If the
//! sources are lists that name victims independently of one another, how
//! often they name the same victims says how many none of them named: lists
//! that mostly overlap have missed few, lists that barely meet have missed
//! many. This crate does the arithmetic:
//!
//! - [`OverlapTable`]: victims by capture history (which lists name them);
//! - [`chapman()`]: two lists, Chapman's estimator with its variance and a 95%
//!   interval;
//! - [`loglinear`]: three lists or more, log-linear Poisson models over the
//!   table (main effects and pairwise interactions), fitted by iteratively
//!   reweighted least squares, with deviance, AIC and BIC, and the profile
//!   likelihood of the population size;
//! - [`estimate()`]: the method the table allows, the candidate models, the one
//!   chosen by AIC (or BIC), its profile-likelihood 95% interval, and
//!   warnings, without a number, when the lists cannot carry one;
//! - [`record`]: the lists and victims of a reader's record, from the events
//!   and documents the store gave that reader.
//!
//! The numerics are small and written here: at most five lists (31 cells,
//! 16 parameters), so the normal equations are solved by a Cholesky
//! factorisation of a 16 × 16 matrix at most; a linear-algebra crate would
//! bring more than it does. The fits agree with R's `glm(family = poisson)`
//! (`tests/r_agreement.rs`).
//!
//! What the numbers assume (a closed population, independent lists, victims
//! equally likely to be named) is in `docs/estimates.md`.
//!
//! **Invariant:** pure computation: no I/O, no database, no wire format.

mod chapman;
mod estimate;
pub mod loglinear;
mod numeric;
pub mod record;
mod table;

pub use chapman::{chapman, Chapman};
pub use estimate::{candidate_models, estimate, Candidate, Criterion, Estimate, Interval, Warning, MIN_ON_SEVERAL, SMALL_LIST};
pub use table::{OverlapTable, MAX_LISTS, OTHER_LISTS};

/// Why a table could not be fitted or estimated from.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum EstimateError {
    #[error("{lists} lists: at most {max} (pool or group the smaller ones)")]
    TooManyLists { lists: usize, max: usize },
    #[error("not an overlap table: {0}")]
    BadTable(String),
    #[error("not a model of this table: {0}")]
    BadModel(String),
    #[error("no victim is on both lists")]
    NoOverlap,
    #[error("the model's parameters are not all identified by the table")]
    NotIdentified,
    #[error("the fit did not converge in {iterations} iterations")]
    NotConverged { iterations: usize },
}
