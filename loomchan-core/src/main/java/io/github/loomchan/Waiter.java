package io.github.loomchan;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

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
 *
 * <p><b>Claims without a lock.</b> The protocol above relies on the lock letting one claimer try a waiter at a time:
 * a claimer's speculative writes of {@code outcome} and {@code item} before a claim that then fails are harmless
 * only because no other claimer of the same waiter runs concurrently. {@link RendezvousChannel} has no lock, so
 * several claimers (two putters, a putter and a close) may try one waiter at once. There a claim has two steps:
 * {@link #beginClaim} (the CAS that decides, to a FILLING state), then {@link #finishClaim}, which writes the outcome
 * and item and publishes them with a release store. The owner treats FILLING as "claimed, outcome not yet visible"
 * and spins on it without parking; the claimer is running and a few stores away.
 */
abstract class Waiter {
    /** Outcome: a putter's item was taken (by a getter, or moved into the buffer). */
    static final int TAKEN = 1;
    /** Outcome: a getter received {@link #item}. */
    static final int RECEIVED = 2;
    /** Outcome: the channel was closed (putter: item not enqueued), or is done (getter, joiner). */
    static final int CLOSED = 3;

    /** {@link #mode} bit: the waiter puts (it carries its item). */
    static final byte PUT_MODE = 1;

    /** {@link #mode} bit: the waiter gets. */
    static final byte GET_MODE = 2;

    /** {@link #beginClaim} result: the caller owns the claim and must call {@link #finishClaim}. */
    static final int CLAIM_OWNED = 0;

    /** {@link #beginClaim} result: the waiter can no longer be claimed (withdrawn, claimed, or its select decided). */
    static final int CLAIM_DEAD = 1;

    /**
     * {@link #beginClaim} result for a claiming select: the waiter belongs to an older select that is itself busy
     * claiming; the caller must release its own busy claim and retry (see {@link Selection#BUSY}).
     */
    static final int CLAIM_BACK_OFF = 2;

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

    /**
     * The next waiter: in a {@link WaiterQueue}, a plain field guarded by its channel's lock; in a {@link
     * RendezvousChannel}'s lock-free queue, accessed through {@link #nextVolatile}, {@link #casNext} and {@link
     * #setNextRelease} only. A waiter lives in one kind of queue for its whole life, so the modes never mix.
     */
    Waiter next;

    /**
     * {@link #PUT_MODE}, {@link #GET_MODE} or both (a select with both clauses on one channel); set before the waiter
     * is published, used only by {@link RendezvousChannel}.
     */
    byte mode;

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

    /**
     * First step of a lock-free claim: decides, with one CAS, that the caller completes this waiter. On {@link
     * #CLAIM_OWNED} the caller must call {@link #finishClaim} next (the owner spins until it does).
     *
     * @param claimer the selection of a select that claims while it holds its own busy claim, else null
     * @return {@link #CLAIM_OWNED}, {@link #CLAIM_DEAD} or {@link #CLAIM_BACK_OFF}
     */
    abstract int beginClaim(Selection claimer);

    /**
     * Second step of a lock-free claim: writes {@code outcome} (and, for {@link #RECEIVED}, {@code received} into
     * {@link #item}) and publishes them with a release store of the final state. Only after a {@link #CLAIM_OWNED}.
     */
    abstract void finishClaim(int outcome, Object received);

    /** Whether no claim can succeed any more (the waiter was claimed or withdrawn, or its select decided). */
    abstract boolean isDead();

    // Lock-free links, for RendezvousChannel only.

    /** Volatile read of {@link #next}. */
    final Waiter nextVolatile() {
        return (Waiter) NEXT.getVolatile(this);
    }

    /** CAS of {@link #next}; volatile semantics (publishes the appended waiter's fields, written before it). */
    final boolean casNext(Waiter expected, Waiter value) {
        return NEXT.compareAndSet(this, expected, value);
    }

    /** Release store of {@link #next}, for the self-link of a waiter that left the queue's front. */
    final void setNextRelease(Waiter value) {
        NEXT.setRelease(this, value);
    }

    // VarHandle mechanics
    private static final VarHandle NEXT;

    static {
        try {
            NEXT = MethodHandles.lookup().findVarHandle(Waiter.class, "next", Waiter.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
