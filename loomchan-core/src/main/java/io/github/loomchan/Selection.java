package io.github.loomchan;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The shared claim of one blocked {@link Select#select} call: its {@link SelectWaiter}s sit in the queues of
 * different channels (guarded by different locks, or by none), so the decision which clause wins is a CAS on this
 * object.
 *
 * <pre>
 *   WAITING --(a claimer holding clause i's channel lock: tryWin)-------------------------> i   (clause i won)
 *      |----(a lock-free claimer: beginClaim)--> FILLING --(its finishClaim)---------------> i
 *      |----(the selecting thread, registering on a lock-free channel: tryBusy)--> BUSY --> i   (it won there)
 *      |                                                                             \\--> WAITING (no counterpart)
 *      +----(the selecting thread: interrupt or timeout)------------------------------------> CANCELLED
 * </pre>
 *
 * <p><b>BUSY</b> exists because a select that registers on a {@link RendezvousChannel} may find a counterpart
 * already waiting there after it has registered elsewhere: completing that clause needs two claims, its own (no
 * other clause may win meanwhile) and the counterpart's. It takes its own first (WAITING to BUSY), then tries the
 * counterpart, then either wins (BUSY to the clause) or gives its own claim back (BUSY to WAITING). A claimer that
 * finds a waiter of a BUSY select waits for it to resolve, since the selecting thread is running and a few steps
 * from done, with one exception that rules out a cycle of waits: a BUSY select that finds a waiter of another BUSY
 * select which is older (a smaller {@link #id}) gives its own claim back and retries instead of waiting. So every
 * wait goes from an older select to a younger one, or from a non-select to a select, and the youngest select in any
 * chain of waits waits for nobody and resolves.
 */
final class Selection {
    static final int WAITING = -1;
    static final int CANCELLED = -2;
    /** A lock-free claimer is writing the winning waiter's outcome; see {@link Waiter#beginClaim}. */
    static final int FILLING = -3;
    /** The selecting thread holds its own claim while it tries a counterpart's; see the class comment. */
    static final int BUSY = -4;

    /**
     * The selecting thread, to unpark. Not final: the select clears it when it returns, because one of its waiters
     * may stay behind as a {@link RendezvousChannel}'s front node; {@link SelectWaiter#wake} reads it once, and
     * unparking null does nothing (a cleared select has returned and needs no unpark).
     */
    Thread thread;

    /** Orders BUSY selects (see the class comment): the thread's id, unique among threads that select at once. */
    final long id;

    /**
     * Invariants: starts WAITING; becomes a clause index or CANCELLED at most once; FILLING is left only by the
     * claimer that set it (to a clause index), BUSY only by the selecting thread (to a clause index or WAITING).
     */
    volatile int state = WAITING;

    /** Set by the selecting thread before it first parks; the same Dekker pairing as {@link ThreadWaiter#parking}. */
    volatile boolean parking;

    Selection(Thread thread) {
        this.thread = thread;
        this.id = thread.threadId();
    }

    /** A claim under the lock of the clause's channel: one CAS, the outcome written before it (see Waiter). */
    boolean tryWin(int clauseIndex) {
        // Volatile CAS: publishes the winning waiter's outcome/item; pairs with the selector's read of state.
        return STATE.compareAndSet(this, WAITING, clauseIndex);
    }

    boolean tryCancel() {
        return STATE.compareAndSet(this, WAITING, CANCELLED);
    }

    /** Lock-free claim, first step (see {@link SelectWaiter#beginClaim}). */
    boolean tryFill() {
        // Volatile CAS: the decision among concurrent claimers and the selector's own BUSY or CANCELLED CAS.
        return STATE.compareAndSet(this, WAITING, FILLING);
    }

    /** Ends a FILLING claim or the owner's BUSY one with the winning clause; its outcome is written before. */
    void settle(int clauseIndex) {
        // Release: publishes the winning waiter's outcome/item; pairs with the selector's volatile read of state.
        STATE.setRelease(this, clauseIndex);
    }

    /** The selecting thread takes its own claim before it tries a counterpart's (see the class comment). */
    boolean tryBusy() {
        return STATE.compareAndSet(this, WAITING, BUSY);
    }

    /** The selecting thread gives its BUSY claim back: the counterpart it tried could not be claimed. */
    void releaseBusy() {
        // Volatile: claimers spinning on BUSY see WAITING promptly and may claim again (a release store would do for
        // correctness; the store is rare).
        state = WAITING;
    }

    /** Returns the decided state, spinning while a claimer is FILLING; call once the state left WAITING. */
    int awaitDecided() {
        int s;
        for (int spins = 1; (s = state) == FILLING; spins++) {
            OwnedWaiter.spinWhileClaimed(spins);
        }
        return s;
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
