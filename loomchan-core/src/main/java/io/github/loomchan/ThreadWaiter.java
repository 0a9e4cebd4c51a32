package io.github.loomchan;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;

/**
 * A waiter for a thread blocked in {@code put}, {@code get}, their timed forms or {@code join}.
 *
 * <p>State machine of {@link #state}, each transition a CAS from {@link #WAITING}, so exactly one happens:
 *
 * <pre>
 *              claimer (holds the channel lock): tryClaim()
 *   WAITING ----------------------------------------------> CLAIMED   (outcome/item valid)
 *      |
 *      +-- owner thread (interrupt or timeout): tryCancel() -> CANCELLED (the owner then unlinks it under the lock)
 * </pre>
 */
final class ThreadWaiter extends Waiter {
    static final int WAITING = 0;
    static final int CLAIMED = 1;
    static final int CANCELLED = 2;

    final Thread thread;

    /**
     * Invariants: starts {@link #WAITING}; changes at most once, by CAS, to {@link #CLAIMED} or {@link #CANCELLED}.
     */
    volatile int state;

    /**
     * Set by the owner, once, right before it parks for the first time; {@link #wake()} unparks only if it is set.
     * Dekker-style pairing with {@link #state}: the owner writes {@code parking} then re-reads {@code state} before
     * parking; the claimer writes {@code state} (its CAS) then reads {@code parking}. Both are volatile, so at least
     * one side sees the other's write: either the owner sees CLAIMED and does not park, or the claimer sees {@code
     * parking} and unparks. A waiter that is still spinning is therefore never sent a needless unpark (whose leftover
     * permit would also cost its thread a spurious wake-up later).
     */
    volatile boolean parking;

    ThreadWaiter(Thread thread) {
        this.thread = thread;
    }

    @Override
    boolean tryClaim() {
        // Volatile CAS: publishes outcome/item written just before; pairs with the owner's volatile read of state.
        return STATE.compareAndSet(this, WAITING, CLAIMED);
    }

    /** Withdraws the operation; only the owner calls this. Fails if a counterpart claimed the waiter first. */
    boolean tryCancel() {
        // Volatile CAS; when it fails, the failed CAS is a volatile read of CLAIMED, so outcome/item are visible.
        return STATE.compareAndSet(this, WAITING, CANCELLED);
    }

    @Override
    void wake() {
        // Called after the claiming CAS (see parking). If the owner announced parking but has not parked yet, the
        // permit makes its park return at once; it re-checks state after every return, so no wake-up is lost.
        if (parking) {
            LockSupport.unpark(thread);
        }
    }

    // VarHandle mechanics
    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(ThreadWaiter.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
