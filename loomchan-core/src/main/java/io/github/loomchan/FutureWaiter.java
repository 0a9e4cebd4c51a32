package io.github.loomchan;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A waiter for a pending {@code putAsync}, {@code getAsync} or {@code joinAsync}: the {@link ChannelFuture} handed to
 * the caller. Same state machine as {@link ThreadWaiter}, except that the withdrawing CAS comes from whoever cancels
 * or completes the future, on any thread.
 */
final class FutureWaiter extends Waiter {
    static final int WAITING = 0;
    static final int CLAIMED = 1;
    static final int CANCELLED = 2;

    final ChannelFuture<?> future;

    /** Invariants: starts WAITING; changes at most once, by CAS, to CLAIMED or CANCELLED. */
    volatile int state;

    FutureWaiter(ChannelFuture<?> future) {
        this.future = future;
    }

    @Override
    boolean tryClaim() {
        // Volatile CAS: publishes outcome/item to wake(), which may run on another thread only after the claimer
        // released the channel lock (and so also happens-after this CAS).
        return STATE.compareAndSet(this, WAITING, CLAIMED);
    }

    /** Withdraws the operation on behalf of a cancel or an external completion of the future. */
    boolean tryCancel() {
        return STATE.compareAndSet(this, WAITING, CANCELLED);
    }

    @Override
    void wake() {
        future.settle(outcome, item);
    }

    // VarHandle mechanics
    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(FutureWaiter.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
