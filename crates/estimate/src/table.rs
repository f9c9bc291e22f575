//! The overlap table: how many victims each combination of lists names.

use crate::EstimateError;
use std::collections::{BTreeMap, BTreeSet};
use std::hash::Hash;

/// The most lists a table holds. Five lists make 31 observed cells and, with
/// every pairwise interaction, 16 parameters: as far as the overlap of a
/// monitor's sources can carry a log-linear model. More sources are pooled
/// (see [`OverlapTable::from_memberships`]).
pub const MAX_LISTS: usize = 5;

/// Victims by capture history: for `k` lists, `2^k` cells indexed by a bit
/// mask (bit `j` set: on list `j`). Cell 0, the victims on no list, is what
/// is estimated; it always holds 0 here.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OverlapTable {
    lists: Vec<String>,
    counts: Vec<u64>,
    /// Lists pooled into the last one, when there were more than [`MAX_LISTS`].
    pooled: Vec<String>,
}

impl OverlapTable {
    /// A table from its counts, `counts[mask]` for every mask of `lists.len()` bits.
    pub fn new(lists: Vec<String>, counts: Vec<u64>) -> Result<Self, EstimateError> {
        if lists.len() > MAX_LISTS {
            return Err(EstimateError::TooManyLists { lists: lists.len(), max: MAX_LISTS });
        }
        if counts.len() != 1 << lists.len() {
            return Err(EstimateError::BadTable(format!("{} lists need {} cells, not {}", lists.len(), 1usize << lists.len(), counts.len())));
        }
        if counts[0] != 0 {
            return Err(EstimateError::BadTable("the cell of victims on no list is not observed; it must be 0".into()));
        }
        Ok(OverlapTable { lists, counts, pooled: Vec::new() })
    }

    /// A table from each victim's lists (`(victim, list)` pairs, in any
    /// order, repeated or not). Lists are ordered by how many victims they
    /// name, largest first (ties by name). With more than [`MAX_LISTS`] lists
    /// the smallest are pooled into one list, `other lists`, and named in
    /// [`OverlapTable::pooled`].
    pub fn from_memberships<V, L>(pairs: impl IntoIterator<Item = (V, L)>) -> Self
    where
        V: Ord + Hash,
        L: AsRef<str>,
    {
        let mut by_victim: BTreeMap<V, BTreeSet<String>> = BTreeMap::new();
        for (v, l) in pairs {
            by_victim.entry(v).or_default().insert(l.as_ref().to_string());
        }
        let mut sizes: BTreeMap<&str, u64> = BTreeMap::new();
        for lists in by_victim.values() {
            for l in lists {
                *sizes.entry(l).or_default() += 1;
            }
        }
        let mut order: Vec<(&str, u64)> = sizes.into_iter().collect();
        order.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        let mut lists: Vec<String> = order.iter().map(|(l, _)| l.to_string()).collect();
        let mut pooled = Vec::new();
        if lists.len() > MAX_LISTS {
            pooled = lists.split_off(MAX_LISTS - 1);
            lists.push(OTHER_LISTS.to_string());
        }
        let index = |l: &str| lists.iter().position(|x| x == l).unwrap_or(lists.len() - 1);
        let mut counts = vec![0u64; 1 << lists.len()];
        for victim_lists in by_victim.values() {
            let mask = victim_lists.iter().fold(0usize, |m, l| m | 1 << index(l));
            counts[mask] += 1;
        }
        OverlapTable { lists, counts, pooled }
    }

    pub fn lists(&self) -> &[String] {
        &self.lists
    }
    /// The lists pooled into `other lists`, if any.
    pub fn pooled(&self) -> &[String] {
        &self.pooled
    }
    /// Victims with exactly this capture history.
    pub fn count(&self, mask: usize) -> u64 {
        self.counts[mask]
    }
    /// Every cell but the unobserved one: `(mask, count)` for masks 1 to `2^k - 1`.
    pub fn cells(&self) -> impl Iterator<Item = (usize, u64)> + '_ {
        self.counts.iter().copied().enumerate().skip(1)
    }
    /// Victims on at least one list: the documented count.
    pub fn observed(&self) -> u64 {
        self.counts.iter().sum()
    }
    /// Victims on list `j`.
    pub fn list_size(&self, j: usize) -> u64 {
        self.cells().filter(|(m, _)| m & 1 << j != 0).map(|(_, c)| c).sum()
    }
    /// Victims on two lists or more: what the estimate stands on.
    pub fn on_several(&self) -> u64 {
        self.cells().filter(|(m, _)| m.count_ones() > 1).map(|(_, c)| c).sum()
    }
    /// Victims on both list `a` and list `b` (whatever else names them).
    pub fn overlap(&self, a: usize, b: usize) -> u64 {
        self.cells().filter(|(m, _)| m & 1 << a != 0 && m & 1 << b != 0).map(|(_, c)| c).sum()
    }
}

/// The name of the list the smallest lists are pooled into.
pub const OTHER_LISTS: &str = "other lists";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_victim_counts_once_in_the_cell_of_all_their_lists() {
        let t = OverlapTable::from_memberships([(1, "A"), (1, "B"), (1, "A"), (2, "A"), (3, "B"), (4, "C"), (5, "A")]);
        assert_eq!(t.lists(), ["A", "B", "C"]);
        assert_eq!((t.count(0b011), t.count(0b001), t.count(0b010), t.count(0b100)), (1, 2, 1, 1));
        assert_eq!((t.observed(), t.list_size(0), t.on_several(), t.overlap(0, 1)), (5, 3, 1, 1));
    }

    #[test]
    fn more_lists_than_a_model_carries_pool_the_smallest() {
        let pairs: Vec<(u32, String)> = (0..7u32).flat_map(|l| (0..(10 - l)).map(move |v| (v, format!("L{l}")))).collect();
        let t = OverlapTable::from_memberships(pairs);
        assert_eq!(t.lists(), ["L0", "L1", "L2", "L3", OTHER_LISTS]);
        assert_eq!(t.pooled(), ["L4", "L5", "L6"]);
        assert_eq!(t.list_size(4), 6);
    }

    #[test]
    fn a_table_written_by_hand_is_checked() {
        assert!(OverlapTable::new(vec!["A".into(), "B".into()], vec![0, 1, 2]).is_err());
        assert!(OverlapTable::new(vec!["A".into(), "B".into()], vec![3, 1, 2, 1]).is_err());
        assert!(OverlapTable::new(vec!["A".into(), "B".into()], vec![0, 1, 2, 1]).is_ok());
    }
}

#[cfg(test)]
impl OverlapTable {
    /// A table of 2^k cells for lists named "A", "B", … (for tests).
    pub(crate) fn lettered(counts: &[u64]) -> OverlapTable {
        let k = counts.len().trailing_zeros() as usize;
        OverlapTable::new((0..k).map(|j| ((b'A' + j as u8) as char).to_string()).collect(), counts.to_vec()).unwrap()
    }
}
