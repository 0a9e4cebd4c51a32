package io.github.loomchan;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The shared claim of one blocked {@link Select#select} call: its {@link SelectWaiter}s sit in the queues of
 * different channels (guarded by different locks), so the decision which clause wins is a CAS on this object.
 *
 * <pre>
 *   WAITING --(a claimer holding clause i's channel lock)--> i   (i &gt;= 0: clause i won)
 *      |
 *      +----(the selecting thread: interrupt or timeout)-----> CANCELLED
 * </pre>
 */
final class Selection {
    static final int WAITING = -1;
    static final int CANCELLED = -2;

    final Thread thread;

    /** Invariants: starts WAITING; changes at most once, by CAS, to a clause index or CANCELLED. */
    volatile int state = WAITING;

    /** Set by the selecting thread before it first parks; the same Dekker pairing as {@link ThreadWaiter#parking}. */
    volatile boolean parking;

    Selection(Thread thread) {
        this.thread = thread;
    }

    boolean tryWin(int clauseIndex) {
        // Volatile CAS: publishes the winning waiter's outcome/item; pairs with the selector's read of state.
        return STATE.compareAndSet(this, WAITING, clauseIndex);
    }

    boolean tryCancel() {
        return STATE.compareAndSet(this, WAITING, CANCELLED);
    }

    // VarHandle mechanics
    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(Selection.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
