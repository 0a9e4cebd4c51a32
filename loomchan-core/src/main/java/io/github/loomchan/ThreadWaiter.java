package io.github.loomchan;

import java.util.concurrent.locks.LockSupport;

/**
 * A waiter for a thread blocked in {@code put}, {@code get}, their timed forms or {@code join}. The state machine is
 * {@link OwnedWaiter}'s; the owner thread withdraws on interrupt or timeout.
 */
final class ThreadWaiter extends OwnedWaiter {
    /**
     * The waiting thread. Not final: a {@link RendezvousChannel} waiter can outlive its operation as the queue's
     * front node, so its owner clears this when its operation returns ({@link RendezvousChannel} says why). A racy
     * read in {@link #wake()} is harmless: the field is read once, and unparking null does nothing.
     */
    Thread thread;

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
    void wake() {
        // Called after the claiming CAS (see parking). If the owner announced parking but has not parked yet, the
        // permit makes its park return at once; it re-checks state after every return, so no wake-up is lost.
        if (parking) {
            LockSupport.unpark(thread); // null only after the owner returned, which needs no unpark; a no-op then
        }
    }
}
