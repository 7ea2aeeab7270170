//! The bindings, run in Node.js.
#![cfg(target_arch = "wasm32")]

mod common;

use wasm_bindgen_test::wasm_bindgen_test;

#[wasm_bindgen_test]
fn sandbox_cards_are_valid() {
    common::sandbox_cards_are_valid();
}

#[wasm_bindgen_test]
fn broken_number_is_invalid() {
    common::broken_number_is_invalid();
}

#[wasm_bindgen_test]
fn wrong_argument_type_is_a_typed_error() {
    common::wrong_argument_type_is_a_typed_error();
}

#[wasm_bindgen_test]
fn version_matches_the_crate() {
    assert_eq!(flexkit_wasm::version(), env!("CARGO_PKG_VERSION"));
}

/// The module's allocator (`src/alloc.rs`): blocks keep their contents through growth and
/// shrinking, honour their alignment, never overlap, and freed blocks are reused.
#[wasm_bindgen_test]
fn the_allocator_keeps_contents_and_alignment() {
    #[repr(align(64))]
    struct Wide([u8; 64]);
    let mut kept: Vec<Vec<u8>> = Vec::new();
    for round in 0..3u8 {
        for size in [1usize, 7, 16, 17, 100, 1000, 4096, 70_000, 200_000] {
            let block = vec![round ^ (size as u8); size];
            kept.push(block);
        }
        let wide: Vec<Box<Wide>> = (0..50).map(|i| Box::new(Wide([i; 64]))).collect();
        for (i, w) in wide.iter().enumerate() {
            assert_eq!(&**w as *const Wide as usize % 64, 0);
            assert!(w.0.iter().all(|&b| b == i as u8));
        }
        let mut grown = Vec::new();
        for i in 0..100_000u32 {
            grown.push(i);
        }
        assert!(grown.iter().enumerate().all(|(i, &v)| v == i as u32));
        grown.truncate(10);
        grown.shrink_to_fit();
        assert_eq!(grown, (0..10).collect::<Vec<u32>>());
        // Drop half the blocks so the next round reuses them.
        kept.retain(|b| b.len() % 2 == 0);
    }
    for block in &kept {
        let first = block[0];
        assert!(block.iter().all(|&b| b == first));
    }
    let mut starts: Vec<(usize, usize)> = kept
        .iter()
        .map(|b| (b.as_ptr() as usize, b.len()))
        .collect();
    starts.sort();
    assert!(starts.windows(2).all(|w| w[0].0 + w[0].1 <= w[1].0));
}
