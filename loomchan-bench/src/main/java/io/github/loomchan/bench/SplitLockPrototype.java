package io.github.loomchan.bench;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayDeque;
import java.util.concurrent.locks.AbstractQueuedSynchronizer;
import java.util.concurrent.locks.LockSupport;

/**
 * An experiment, not a channel: the smallest version of ADR 0003's split lock (docs/adr/0003-*.md), so that its
 * speed can be measured next to loomchan's one-lock channel before the real change is made. It has a blocking
 * {@link #put} and {@link #take} and nothing else: no close, no timeouts, no interruption, no cancellation, no
 * select. Do not use it outside the experiment benchmarks.
 *
 * <p>The design: producers are serialized by the put side's lock, consumers by the take side's lock, and the two
 * sides share only the ring's slots (null means free) and two "someone waits" flags. Because each side has a single
 * writer at a time, the ring is a single-producer/single-consumer queue between the two critical sections (Lamport;
 * FastForward): a put stores into {@code ring[putIndex]} only if that slot is null, a take clears {@code
 * ring[takeIndex]} only if it is non-null. The ring length is the capacity, so "slot not free" means exactly "full".
 *
 * <p>Invariants: (S1) a slot is written non-null only by the put-lock holder and only when it is null, and written
 * null only by the take-lock holder and only when it is non-null; the buffered items are the non-null slots from
 * takeIndex on, in put order. (W1) a waiter is queued only while its side's flag is set; the flag is cleared only by
 * its side's lock holder when the queue is empty. (W2) a serve that finds the slot already taken (or filled) by an
 * operation that did not wait leaves its waiter queued: that operation used what the waiter waited for, and the
 * next store (or clear) serves again.
 *
 * <p>No lost wake-up (Dekker): a take that finds its slot empty queues its waiter, sets {@code gettersWaiting}
 * (volatile) and reads the slot again (volatile); a put stores its slot (volatile) and then reads {@code
 * gettersWaiting} (volatile). In the total order of these four volatile accesses either the taker's second read sees
 * the item, or the putter sees the flag and, after releasing its own lock, serves the queued getters under the take
 * lock before its put returns. Putters are symmetric. A thread never holds both locks, so there is no lock order.
 *
 * <p>Thread-safety: {@link #put} and {@link #take} may be called by any number of threads.
 */
final class SplitLockPrototype {
    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(Object[].class);

    /** A blocked put or take: claimed once by the side that serves it, then woken. */
    private static final class Waiter {
        private static final VarHandle STATE;

        static {
            try {
                STATE = MethodHandles.lookup().findVarHandle(Waiter.class, "state", int.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        final Thread thread = Thread.currentThread();

        /** The item to put, or the item received; published by the state CAS (volatile). */
        Object item;

        /** 0 while waiting, 1 once claimed. */
        volatile int state;

        /** Set before the first park; a claimer unparks only announced waiters (as ThreadWaiter in the core). */
        volatile boolean parking;

        boolean tryClaim() {
            return STATE.compareAndSet(this, 0, 1);
        }

        void wake() {
            if (parking) {
                LockSupport.unpark(thread);
            }
        }

        /** Waits until claimed: one yield (virtual) or a few spins (platform), then park. */
        void await() {
            if (state == 1) {
                return;
            }
            if (thread.isVirtual()) {
                Thread.yield();
            } else {
                for (int i = 0; i < 64 && state == 0; i++) {
                    Thread.onSpinWait();
                }
            }
            if (state == 1) {
                return;
            }
            parking = true; // volatile write, then the state re-read below (Dekker with wake())
            while (state == 0) {
                LockSupport.park(this);
            }
        }
    }

    /**
     * One side: its lock (the AQS state: 0 free, 1 held), its ring index and its waiters. The trailing fields pad the
     * object past a cache line, so that the two sides (allocated one after the other) do not share a line.
     */
    @SuppressWarnings("unused") // the padding fields are never read
    private static final class Side extends AbstractQueuedSynchronizer {
        private static final long serialVersionUID = 1L;

        /** The ring index this side uses next; guarded by this side's lock. */
        int index;

        /** The blocked operations of this side, oldest first; guarded by this side's lock. */
        final transient ArrayDeque<Waiter> waiters = new ArrayDeque<>();

        long p0, p1, p2, p3, p4, p5, p6, p7;

        @Override
        protected boolean tryAcquire(int ignored) {
            return compareAndSetState(0, 1);
        }

        @Override
        protected boolean tryRelease(int ignored) {
            setState(0);
            return true;
        }

        void lock() {
            if (!compareAndSetState(0, 1)) {
                acquire(1);
            }
        }

        void unlock() {
            release(1);
        }
    }

    /** The two flags, written rarely and read by every operation, padded onto a cache line of their own. */
    @SuppressWarnings("unused") // the padding fields are never read
    private static final class Flags {
        long q0, q1, q2, q3, q4, q5, q6, q7;
        volatile boolean puttersWaiting;
        volatile boolean gettersWaiting;
        long p0, p1, p2, p3, p4, p5, p6, p7;
    }

    private final Object[] ring;
    private final Side putSide = new Side();
    private final Flags flags = new Flags();
    private final Side takeSide = new Side();

    /** A ring of exactly {@code capacity} slots; capacity must be at least 1. */
    SplitLockPrototype(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, was " + capacity);
        }
        ring = new Object[capacity];
    }

    private int next(int index) {
        return index + 1 == ring.length ? 0 : index + 1;
    }

    /** Puts {@code item} (not null), waiting while the ring is full. */
    void put(Object item) {
        Waiter waiter = null;
        boolean serveGetters = false;
        putSide.lock();
        try {
            if (tryStoreLocked(item)) {
                serveGetters = flags.gettersWaiting; // after the volatile slot store: the Dekker read
            } else {
                waiter = new Waiter();
                waiter.item = item;
                putSide.waiters.addLast(waiter);
                flags.puttersWaiting = true;
                if (tryStoreLocked(item)) { // the Dekker re-read: a take freed the slot meanwhile
                    putSide.waiters.removeLast();
                    flags.puttersWaiting = !putSide.waiters.isEmpty();
                    waiter = null;
                    serveGetters = flags.gettersWaiting;
                }
            }
        } finally {
            putSide.unlock();
        }
        if (waiter != null) {
            waiter.await(); // the taker that claimed it stored its item
        } else if (serveGetters) {
            serveGetters();
        }
    }

    /** Takes the oldest item, waiting while the ring is empty. */
    Object take() {
        Waiter waiter = null;
        Object item;
        boolean servePutters = false;
        takeSide.lock();
        try {
            item = tryClearLocked();
            if (item != null) {
                servePutters = flags.puttersWaiting;
            } else {
                waiter = new Waiter();
                takeSide.waiters.addLast(waiter);
                flags.gettersWaiting = true;
                item = tryClearLocked(); // the Dekker re-read: a put stored meanwhile
                if (item != null) {
                    takeSide.waiters.removeLast();
                    flags.gettersWaiting = !takeSide.waiters.isEmpty();
                    waiter = null;
                    servePutters = flags.puttersWaiting;
                }
            }
        } finally {
            takeSide.unlock();
        }
        if (waiter != null) {
            waiter.await();
            return waiter.item; // written before the claim CAS that await observed
        }
        if (servePutters) {
            servePutters();
        }
        return item;
    }

    /** Stores into the put slot if it is free. Requires the put lock. */
    private boolean tryStoreLocked(Object item) {
        int i = putSide.index;
        if (SLOT.getVolatile(ring, i) != null) {
            return false;
        }
        SLOT.setVolatile(ring, i, item);
        putSide.index = next(i);
        return true;
    }

    /** Clears and returns the take slot's item, or returns null if it is empty. Requires the take lock. */
    private Object tryClearLocked() {
        int i = takeSide.index;
        Object item = SLOT.getVolatile(ring, i);
        if (item != null) {
            SLOT.setVolatile(ring, i, null);
            takeSide.index = next(i);
        }
        return item;
    }

    /** A put saw gettersWaiting: hand one buffered item to the first live getter. */
    private void serveGetters() {
        Waiter served = null;
        boolean servePutters = false;
        takeSide.lock();
        try {
            while (!takeSide.waiters.isEmpty()) {
                Object item = SLOT.getVolatile(ring, takeSide.index);
                if (item == null) {
                    break; // a take that did not wait got there first; the getter keeps waiting (W2)
                }
                Waiter getter = takeSide.waiters.pollFirst();
                getter.item = item;
                if (getter.tryClaim()) {
                    tryClearLocked();
                    servePutters = flags.puttersWaiting;
                    served = getter;
                    break;
                }
            }
            flags.gettersWaiting = !takeSide.waiters.isEmpty();
        } finally {
            takeSide.unlock();
        }
        if (served != null) {
            served.wake();
        }
        if (servePutters) {
            servePutters();
        }
    }

    /** A take saw puttersWaiting: move the first live putter's item into the slot just freed. */
    private void servePutters() {
        Waiter served = null;
        boolean serveGetters = false;
        putSide.lock();
        try {
            while (!putSide.waiters.isEmpty()) {
                if (SLOT.getVolatile(ring, putSide.index) != null) {
                    break; // a put that did not wait got there first; the putter keeps waiting
                }
                Waiter putter = putSide.waiters.pollFirst();
                if (putter.tryClaim()) {
                    tryStoreLocked(putter.item);
                    serveGetters = flags.gettersWaiting;
                    served = putter;
                    break;
                }
            }
            flags.puttersWaiting = !putSide.waiters.isEmpty();
        } finally {
            putSide.unlock();
        }
        if (served != null) {
            served.wake();
        }
        if (serveGetters) {
            serveGetters();
        }
    }
}
