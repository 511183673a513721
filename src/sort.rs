//! The crate's one sort: a heapsort of positions, O(n log n) on any input (short lists by
//! insertion). One non-generic function, a few hundred bytes of wasm, where each instance of
//! the standard library's sort cost several kilobytes (about 16 KB for `IpNet`, 7 KB for
//! canonical JSON's members); a generic heapsort instantiated twice measured 11 KB larger.
//! Used where a list is sorted once: an allowlist when it is built, and a map's members to be
//! written when serde_json's `preserve_order` keeps them in the order sent (a body may bring
//! tens of thousands into one, hence no quadratic sort).

/// Up to this many, an insertion sort: fewer comparisons than the heap on the few members of
/// a model object, and at most 120 of them.
const SHORT: usize = 16;

/// Sorts the positions in `order` so that none is `less` than the one before it.
pub(crate) fn order_by(order: &mut [usize], less: &dyn Fn(usize, usize) -> bool) {
    // Every position below is under `end` ≤ `order.len()`.
    let at = |v: &[usize], i: usize| v.get(i).copied().unwrap_or_default();
    if order.len() <= SHORT {
        for end in 1..order.len() {
            let mut i = end;
            while i > 0 && less(at(order, i), at(order, i - 1)) {
                order.swap(i, i - 1);
                i -= 1;
            }
        }
        return;
    }
    if (1..order.len()).all(|i| !less(at(order, i), at(order, i - 1))) {
        return; // in order already: a map's members, which may be tens of thousands
    }
    let sift_down = |v: &mut [usize], mut node: usize, end: usize| loop {
        let mut child = 2 * node + 1;
        if child >= end {
            break;
        }
        if child + 1 < end && less(at(v, child), at(v, child + 1)) {
            child += 1;
        }
        if !less(at(v, node), at(v, child)) {
            break;
        }
        v.swap(node, child);
        node = child;
    };
    let len = order.len();
    for node in (0..len / 2).rev() {
        sift_down(order, node, len);
    }
    for end in (1..len).rev() {
        order.swap(0, end);
        sift_down(order, 0, end);
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn heapsort_sorts_as_the_standard_library_does() {
        let mut state: u64 = 11;
        for len in (0..70).chain([1_000, 4_097]) {
            let v: Vec<u32> = (0..len)
                .map(|_| {
                    state = state
                        .wrapping_mul(6_364_136_223_846_793_005)
                        .wrapping_add(1_442_695_040_888_963_407);
                    (state >> 58) as u32 // many repeats
                })
                .collect();
            let mut expected = v.clone();
            expected.sort_unstable();
            let mut order: Vec<usize> = (0..v.len()).collect();
            super::order_by(&mut order, &|a, b| v[a] < v[b]);
            let sorted: Vec<u32> = order.iter().map(|&i| v[i]).collect();
            assert_eq!(sorted, expected, "{len} elements");
        }
    }
}
