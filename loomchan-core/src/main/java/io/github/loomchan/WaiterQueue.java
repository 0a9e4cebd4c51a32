package io.github.loomchan;

/**
 * A FIFO of {@link Waiter}s, intrusive and doubly linked so that a withdrawn waiter is unlinked in O(1).
 *
 * <p>Not thread-safe: every method must be called with the owning channel's lock held. The queue may hold waiters
 * that can no longer be claimed (a select whose other clause won, before its thread unlinks them); consumers of
 * the queue skip them with a failing {@link Waiter#tryClaim()}.
 */
final class WaiterQueue {
    private Waiter head;
    private Waiter tail;

    boolean isEmpty() {
        return head == null;
    }

    Waiter peekFirst() {
        return head;
    }

    void addLast(Waiter waiter) {
        assert !waiter.queued && waiter.prev == null && waiter.next == null;
        waiter.queued = true;
        Waiter last = tail;
        waiter.prev = last;
        if (last == null) {
            head = waiter;
        } else {
            last.next = waiter;
        }
        tail = waiter;
    }

    /** Removes and returns the first waiter, or returns null if the queue is empty. */
    Waiter pollFirst() {
        Waiter first = head;
        if (first != null) {
            unlink(first);
        }
        return first;
    }

    /** Removes {@code waiter} if it is still linked here; does nothing if a claimer already removed it. */
    void remove(Waiter waiter) {
        if (waiter.queued) {
            unlink(waiter);
        }
    }

    /** Counts the waiters (test and toString support; O(n)). */
    int count() {
        int n = 0;
        for (Waiter w = head; w != null; w = w.next) {
            n++;
        }
        return n;
    }

    private void unlink(Waiter waiter) {
        Waiter before = waiter.prev;
        Waiter after = waiter.next;
        if (before == null) {
            head = after;
        } else {
            before.next = after;
        }
        if (after == null) {
            tail = before;
        } else {
            after.prev = before;
        }
        waiter.prev = null;
        waiter.next = null;
        waiter.queued = false;
    }
}
