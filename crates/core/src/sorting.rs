//! A stable sort compiled once for every caller.
//!
//! `slice::sort_by_key` is compiled anew for each element type and key, a few kilobytes of
//! WebAssembly each; the portal sorted eleven kinds of list. [`sort_by_key`] sorts the
//! positions of the items instead (one compiled sort of `usize`s, its comparison a `dyn`
//! call) and then moves the items into that order, which is all that is compiled per caller.
//! The lists sorted (transactions, retries, captures) are UI pages of at most some tens of
//! thousands of items, where a call through a reference costs nothing that shows.

use core::cmp::Ordering;

/// Sorts `items` by `key`, keeping the order of items with equal keys, as
/// `slice::sort_by_key` does.
pub fn sort_by_key<T, K: Ord>(items: &mut [T], key: impl Fn(&T) -> K) {
    sort_by(items, |a, b| key(a).cmp(&key(b)));
}

/// Sorts `items` by `compare`, keeping the order of items it finds equal, as
/// `slice::sort_by` does.
pub fn sort_by<T>(items: &mut [T], compare: impl Fn(&T, &T) -> Ordering) {
    let mut order = sorted_positions(items.len(), &|a, b| compare(&items[a], &items[b]));
    arrange(items, &mut order);
}

/// The positions `0..n` ordered by `compare`, equal ones by position (so the sort is stable).
fn sorted_positions(n: usize, compare: &dyn Fn(usize, usize) -> Ordering) -> Vec<usize> {
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_unstable_by(|&a, &b| compare(a, b).then(a.cmp(&b)));
    order
}

/// Moves `items` so that position `i` holds what was at `order[i]`, by following each cycle of
/// the permutation with swaps; `order` is spent doing it.
fn arrange<T>(items: &mut [T], order: &mut [usize]) {
    for start in 0..order.len() {
        let mut at = start;
        // A position whose item is in place is marked by pointing at itself.
        while order[at] != at {
            let from = order[at];
            order[at] = at;
            if from == start {
                break;
            }
            items.swap(at, from);
            at = from;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A small deterministic generator, so the tests need no dependency.
    fn numbers(seed: u64, n: usize, modulo: u64) -> Vec<u64> {
        let mut state = seed;
        (0..n)
            .map(|_| {
                state = state
                    .wrapping_mul(6_364_136_223_846_793_005)
                    .wrapping_add(1_442_695_040_888_963_407);
                (state >> 33) % modulo
            })
            .collect()
    }

    #[test]
    fn agrees_with_the_standard_stable_sort() {
        for (seed, n, modulo) in [
            (1, 0, 1),
            (2, 1, 1),
            (3, 2, 2),
            (4, 17, 3),
            (5, 300, 7),
            (6, 5000, 1000),
            (7, 64, 1),
        ] {
            // Items carry their original position, so a change in the order of equal keys shows.
            let items: Vec<(u64, usize)> = numbers(seed, n, modulo).into_iter().zip(0..).collect();
            let mut ours = items.clone();
            let mut std = items;
            sort_by_key(&mut ours, |&(k, _)| k);
            std.sort_by_key(|&(k, _)| k);
            assert_eq!(ours, std, "seed {seed}, {n} items");
        }
    }

    #[test]
    fn reversed_keys_and_owned_items() {
        let mut names: Vec<String> = ["b", "a", "c", "a"].map(String::from).to_vec();
        sort_by_key(&mut names, |s| core::cmp::Reverse(s.clone()));
        assert_eq!(names, ["c", "b", "a", "a"]);
    }
}
