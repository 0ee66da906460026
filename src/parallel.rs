//! One parallel map for the whole tool: `compile` renders targets on every core, the
//! org-side workflow talks to a few brands at a time. Scoped threads take the next item
//! from a shared counter (work stealing by index), results come back in input order.

use std::sync::atomic::{AtomicUsize, Ordering};

/// How many threads to use for `items` items when at most `limit` are wanted: never more
/// than there are items, at least one.
pub fn threads(items: usize, limit: usize) -> usize {
    limit.min(items).max(1)
}

/// The machine's cores (1 when unknown).
pub fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// `f` over `items` on `threads` threads; results in input order. `done` counts the items
/// finished so far, and `watch` runs on the calling thread while the workers run (a
/// progress bar), with a function that tells whether they have all finished.
pub fn map<T: Sync, R: Send>(
    items: &[T],
    threads: usize,
    f: impl Fn(&T) -> R + Sync,
    watch: impl FnOnce(&AtomicUsize, &dyn Fn() -> bool),
) -> Vec<R> {
    let next = AtomicUsize::new(0);
    let done = AtomicUsize::new(0);
    let mut slots: Vec<Option<R>> = (0..items.len()).map(|_| None).collect();
    std::thread::scope(|s| {
        let workers: Vec<_> = (0..self::threads(items.len(), threads))
            .map(|_| {
                s.spawn(|| {
                    let mut mine = Vec::new();
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        if i >= items.len() {
                            break;
                        }
                        mine.push((i, f(&items[i])));
                        done.fetch_add(1, Ordering::Relaxed);
                    }
                    mine
                })
            })
            .collect();
        watch(&done, &|| workers.iter().all(|w| w.is_finished()));
        for w in workers {
            // A panic in `f` is a bug: carry it to the caller as it is.
            match w.join() {
                Ok(mine) => {
                    for (i, r) in mine {
                        slots[i] = Some(r);
                    }
                }
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
    });
    slots
        .into_iter()
        .map(|r| r.expect("every item ran"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_come_back_in_order_whatever_the_threads() {
        let items: Vec<u32> = (0..100).collect();
        for t in [1, 2, 7, 200] {
            let out = map(&items, t, |x| x * 2, |_, _| {});
            assert_eq!(out, items.iter().map(|x| x * 2).collect::<Vec<_>>());
        }
        assert!(map(&[] as &[u32], 4, |x| *x, |_, _| {}).is_empty());
    }

    #[test]
    fn the_watcher_sees_every_item_done() {
        let items = [1, 2, 3];
        let mut seen = 0;
        map(
            &items,
            2,
            |x| *x,
            |done, finished| {
                while !finished() {
                    std::thread::yield_now();
                }
                seen = done.load(Ordering::Relaxed);
            },
        );
        assert_eq!(seen, 3);
    }
}
