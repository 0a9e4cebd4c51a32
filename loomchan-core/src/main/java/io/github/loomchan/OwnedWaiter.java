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
 *      |
 *      +-- owner (interrupt, timeout, cancelled future): tryCancel() -> CANCELLED (then unlinked under the lock)
 * </pre>
 */
abstract class OwnedWaiter extends Waiter {
    static final int WAITING = 0;
    static final int CLAIMED = 1;
    static final int CANCELLED = 2;

    /**
     * Invariants: starts {@link #WAITING}; changes at most once, by CAS, to {@link #CLAIMED} or {@link #CANCELLED}.
     */
    volatile int state;

    @Override
    final boolean tryClaim() {
        // Volatile CAS: publishes outcome/item written just before; pairs with the owner's volatile read of state
        // (a thread's await loop, or wake() running after the claimer released the channel lock).
        return STATE.compareAndSet(this, WAITING, CLAIMED);
    }

    /** Withdraws the operation on the owner's behalf. Fails if a counterpart claimed the waiter first. */
    final boolean tryCancel() {
        // Volatile CAS; when it fails, the failed CAS is a volatile read of CLAIMED, so outcome/item are visible.
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
