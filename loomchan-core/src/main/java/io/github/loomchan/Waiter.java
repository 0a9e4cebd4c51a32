package io.github.loomchan;

/**
 * A blocked operation parked in one of a channel's waiter queues: a putter (its item travels with it), a getter, or
 * a joiner. See the overviews in {@link BufferedChannel} and {@link ArrayChannel} for the protocols; in short:
 *
 * <ol>
 *   <li>The owner creates the waiter and links it into a queue while holding the channel lock.
 *   <li>A counterpart (a getter for a putter, a putter for a getter, a close) takes it out of the queue while holding
 *       the same lock, writes {@link #outcome} (and, for a getter, {@link #item}), then calls {@link #tryClaim()}.
 *       Only a successful claim completes the operation; a failed one means the owner withdrew (interrupt, timeout,
 *       cancelled future) or, for a select, another clause won, and the counterpart moves on to the next waiter.
 *   <li>After releasing the lock, the counterpart calls {@link #wake()}.
 *   <li>The owner observes the claim (a volatile read that pairs with the claiming CAS, so it also sees {@code
 *       outcome} and {@code item}), or withdraws first with its own CAS; exactly one of the two CASes succeeds.
 * </ol>
 *
 * <p>Subclasses: {@link ThreadWaiter} (a parked thread), {@link FutureWaiter} (an async operation's future),
 * {@link SelectWaiter} (one clause of a blocked select; the claim is shared by all clauses of that select). The
 * first two share their state machine through {@link OwnedWaiter}.
 */
abstract class Waiter {
    /** Outcome: a putter's item was taken (by a getter, or moved into the buffer). */
    static final int TAKEN = 1;
    /** Outcome: a getter received {@link #item}. */
    static final int RECEIVED = 2;
    /** Outcome: the channel was closed (putter: item not enqueued), or is done (getter, joiner). */
    static final int CLOSED = 3;

    /**
     * A putter's item (set by the owner before the waiter is queued, read by the claimer after its claim succeeded),
     * or the item handed to a getter (written by the claimer before its claim, read by the owner after observing
     * the claim). Written speculatively: a failed claim leaves a value nobody will read.
     */
    Object item;

    /**
     * One of {@link #TAKEN}, {@link #RECEIVED}, {@link #CLOSED}; 0 until claimed. Written by the claimer before its
     * claiming CAS, read by the owner after it observed that CAS.
     */
    int outcome;

    /** Links of the intrusive {@link WaiterQueue}; guarded by the lock of the channel that owns the queue. */
    Waiter prev;

    Waiter next;

    /** Whether the waiter is linked in a queue; guarded by the same lock. */
    boolean queued;

    /**
     * Link of the channel's list of claimed waiters to wake once the lock is released; guarded by the channel lock
     * while the waiter is on that list, then owned by the thread that detached the list.
     */
    Waiter wakeNext;

    /**
     * Completes this waiter's operation with the {@link #outcome} (and {@link #item}) just written, unless its owner
     * withdrew or, for a select, another clause won first. Called with the lock of this waiter's channel held.
     *
     * @return whether the caller now owns the completion, and must call {@link #wake()} after unlocking
     */
    abstract boolean tryClaim();

    /** Lets the owner see the outcome: unparks its thread or completes its future. Called without any lock held. */
    abstract void wake();
}
