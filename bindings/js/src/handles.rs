//! What lives in wasm memory between calls (compiled allowlists, receivers, seen-sets), held
//! in tables and named by number. The package's wrappers (npm/recover.js) hold the numbers
//! and free them from their own FinalizationRegistry; wasm-bindgen's exported classes, whose
//! generated finalizer code the build used to patch, are not used.

use core::cell::RefCell;
use std::thread::LocalKey;

use super::Failure;
use payhook::Error;

/// A table of values named by their slot; freed slots are reused.
pub struct Handles<T> {
    slots: Vec<Option<T>>,
    free: Vec<u32>,
}

impl<T> Handles<T> {
    pub const fn new() -> Self {
        Handles {
            slots: Vec::new(),
            free: Vec::new(),
        }
    }
}

/// A table in a thread-local (wasm has one thread).
pub type Table<T> = LocalKey<RefCell<Handles<T>>>;

/// Stores `value` and returns its handle.
pub fn insert<T>(table: &'static Table<T>, value: T) -> Result<u32, Failure> {
    with(table, |handles| {
        Ok(match handles.free.pop() {
            Some(id) => {
                if let Some(slot) = handles.slots.get_mut(id as usize) {
                    *slot = Some(value);
                }
                id
            }
            None => {
                handles.slots.push(Some(value));
                u32::try_from(handles.slots.len() - 1).map_err(|_| stale())?
            }
        })
    })
}

/// Runs `f` on the value behind `id`; an unknown or freed handle is `argument_invalid`.
pub fn using<T, R>(
    table: &'static Table<T>,
    id: u32,
    f: impl FnOnce(&mut T) -> Result<R, Failure>,
) -> Result<R, Failure> {
    with(table, |handles| {
        match handles.slots.get_mut(id as usize).and_then(Option::as_mut) {
            Some(value) => f(value),
            None => Err(stale()),
        }
    })
}

/// Frees `id` (a second free, or an unknown handle, does nothing).
pub fn remove<T>(table: &'static Table<T>, id: u32) {
    let _ = with(table, |handles| {
        if let Some(slot @ Some(_)) = handles.slots.get_mut(id as usize) {
            *slot = None;
            handles.free.push(id);
        }
        Ok(())
    });
}

fn with<T, R>(
    table: &'static Table<T>,
    f: impl FnOnce(&mut Handles<T>) -> Result<R, Failure>,
) -> Result<R, Failure> {
    // No call into wasm re-enters while a table is borrowed (nothing here calls JS), so the
    // borrow fails only in an instance a trap left half-way through a call (which the package
    // replaces): a refusal, not a panic.
    table.with(|cell| match cell.try_borrow_mut() {
        Ok(mut handles) => f(&mut handles),
        Err(_) => Err(Failure::new(
            Error::ArgumentInvalid,
            "the wasm instance was left in use by a call that did not finish",
        )),
    })
}

fn stale() -> Failure {
    Failure::new(
        Error::ArgumentInvalid,
        "a payhook object was used after it was freed",
    )
}
