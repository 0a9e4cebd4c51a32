package io.github.loomchan;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A waiter with a claim of its own (as opposed to a {@link SelectWaiter}, which shares its select's claim): the waiter
 * of a blocked thread ({@link ThreadWaiter}) or of a pending future ({@link FutureWaiter}).
 *
 * <p>State machine of {@link #state}, each transition a CAS from {@link #WAITING}, so exactly one happens:
 *
 * <pre>
 *              claimer (holds the channel lock): tryClaim()
 *   WAITING ----------------------------------------------> CLAIMED   (outcome/item valid)
 *      |  \
 *      |   +-- lock-free claimer: beginClaim() --> FILLING --finishClaim()--> CLAIMED
 *      |
 *      +-- owner (interrupt, timeout, cancelled future): tryCancel() -> CANCELLED (then unlinked)
 * </pre>
 *
 * <p>FILLING is held by a running claimer for the few stores of {@link #finishClaim}; an owner that reads it spins
 * (never parks) until CLAIMED, and a withdrawal fails on it like on CLAIMED. Locked channels never produce it.
 */
abstract class OwnedWaiter extends Waiter {
    static final int WAITING = 0;
    static final int CLAIMED = 1;
    static final int CANCELLED = 2;
    static final int FILLING = 3;

    /**
     * Invariants: starts {@link #WAITING}; leaves it once, by CAS, to {@link #CLAIMED}, {@link #CANCELLED} or {@link
     * #FILLING}; from FILLING only the claimer that set it moves it, to CLAIMED.
     */
    volatile int state;

    @Override
    final boolean tryClaim() {
        // Volatile CAS: publishes outcome/item written just before; pairs with the owner's volatile read of state
        // (a thread's await loop, or wake() running after the claimer released the channel lock).
        return STATE.compareAndSet(this, WAITING, CLAIMED);
    }

    @Override
    final int beginClaim(Selection claimer) {
        // Volatile CAS: the one decision among concurrent claimers and the owner's withdrawal. It also orders the
        // claimer's later read of `parking` (in wake) after it, the Dekker pairing of ThreadWaiter#parking.
        return STATE.compareAndSet(this, WAITING, FILLING) ? CLAIM_OWNED : CLAIM_DEAD;
    }

    @Override
    final void finishClaim(int outcome, Object received) {
        if (outcome == RECEIVED) {
            item = received;
        }
        this.outcome = outcome;
        // Release: publishes item and outcome; pairs with the owner's volatile read of state == CLAIMED.
        STATE.setRelease(this, CLAIMED);
    }

    @Override
    final boolean isDead() {
        return state != WAITING;
    }

    /**
     * Spins until a claim seen in FILLING is finished, then returns; call after observing a state other than WAITING
     * or CANCELLED (the claimer is running: it set FILLING and has only its stores left).
     */
    final void awaitFilled() {
        for (int spins = 1; state == FILLING; spins++) { // volatile read; pairs with finishClaim's release store
            spinWhileClaimed(spins);
        }
    }

    /**
     * One step of a wait for a running thread's next store (a claim's FILLING, a select's BUSY): a pause, and every
     * {@value #YIELD_EVERY} steps a yield, in case that thread was descheduled (a platform thread) or shares this
     * thread's carrier after a yield of its own (a virtual thread).
     */
    // Error Prone's ThreadPriorityCheck: the yield only keeps a descheduled claimer from being starved by this spin.
    @SuppressWarnings("ThreadPriorityCheck")
    static void spinWhileClaimed(int spins) {
        if (spins % YIELD_EVERY == 0) {
            Thread.yield();
        } else {
            Thread.onSpinWait();
        }
    }

    /** See {@link #spinWhileClaimed}. */
    static final int YIELD_EVERY = 128;

    /** Withdraws the operation on the owner's behalf. Fails if a counterpart claimed the waiter first. */
    final boolean tryCancel() {
        // Volatile CAS; when it fails, the failed CAS is a volatile read of CLAIMED (outcome/item visible) or of
        // FILLING (the caller must awaitFilled() before it reads them).
        return STATE.compareAndSet(this, WAITING, CANCELLED);
    }

    // VarHandle mechanics
    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(OwnedWaiter.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
