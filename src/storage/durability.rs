//! Deferred durability waits.
//!
//! A write transaction's `commit()` returns once the write is on disk. Inside a
//! [`deferred`] scope it returns as soon as the write is committed (visible to
//! every later transaction) and leaves a ticket instead; whoever opened the scope
//! must then await [`crate::storage::Store::durable`] for that ticket before it
//! tells anyone that the write happened. The HTTP layer opens one scope per API
//! request and awaits the ticket before sending the answer, so no thread sits
//! blocked while the disk syncs, and a client still never sees an
//! acknowledgement for a write that is not yet durable.

use std::cell::Cell;
use std::future::Future;
use std::pin::Pin;

/// The future returned by [`crate::storage::Store::durable`].
pub type Wait = Pin<Box<dyn Future<Output = anyhow::Result<()>> + Send>>;

thread_local! {
    /// `Some(highest ticket so far)` inside a scope on this thread.
    static SCOPE: Cell<Option<u64>> = const { Cell::new(None) };
}

/// Runs `f` with durability waits deferred; returns its result and the highest
/// ticket of the commits it made (None when it committed nothing that needs one).
pub fn deferred<R>(f: impl FnOnce() -> R) -> (R, Option<u64>) {
    /// Restores the enclosing state even if `f` panics; an enclosing scope
    /// inherits the tickets of this one, so none is ever dropped.
    struct Restore(Option<u64>);
    impl Drop for Restore {
        fn drop(&mut self) {
            let inner = SCOPE.with(|s| s.get()).unwrap_or(0);
            SCOPE.with(|s| s.set(self.0.map(|outer| outer.max(inner))));
        }
    }
    let restore = Restore(SCOPE.with(|s| s.replace(Some(0))));
    let r = f();
    let ticket = SCOPE.with(|s| s.get()).filter(|&t| t > 0);
    drop(restore);
    (r, ticket)
}

/// True inside a [`deferred`] scope on this thread.
pub(crate) fn in_scope() -> bool {
    SCOPE.with(|s| s.get().is_some())
}

/// The highest ticket taken so far in this thread's scope (None outside one, or
/// when nothing was committed yet).
pub(crate) fn pending() -> Option<u64> {
    SCOPE.with(|s| s.get()).filter(|&t| t > 0)
}

/// Called by a backend right after a commit numbered `seq`: true when a scope
/// took the ticket (the caller must not wait), false when the caller must wait
/// for durability itself.
pub(crate) fn defer(seq: u64) -> bool {
    SCOPE.with(|s| match s.get() {
        Some(m) => {
            s.set(Some(m.max(seq)));
            true
        }
        None => false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tickets_are_kept_only_inside_a_scope() {
        assert!(!defer(3));
        let ((), t) = deferred(|| {
            assert!(defer(5));
            assert!(defer(2));
        });
        assert_eq!(t, Some(5));
        let ((), t) = deferred(|| ());
        assert_eq!(t, None);
        // Nested: the outer scope sees the inner tickets too.
        let (inner, outer) = deferred(|| deferred(|| assert!(defer(9))).1);
        assert_eq!((inner, outer), (Some(9), Some(9)));
        assert!(!defer(1));
    }

    #[test]
    fn a_panic_inside_the_scope_leaves_no_scope_behind() {
        let r = std::panic::catch_unwind(|| deferred(|| panic!("boom")));
        assert!(r.is_err());
        assert!(!defer(1));
    }
}
