package io.github.loomchan.verify;

import io.github.loomchan.ChannelClosedException;
import io.github.loomchan.ChannelEmptyException;
import io.github.loomchan.ChannelFullException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A deliberately simple buffered channel (one lock, two conditions, an {@link ArrayDeque}; capacity 1 or more,
 * {@link Integer#MAX_VALUE} meaning unbounded), written only so that the checkers have something to reject: each
 * {@link Defect} breaks it in exactly one named way. With {@link Defect#NONE} it is correct, and every checker must
 * accept it too (that shows the checkers do not reject correct code that differs from the real channel).
 *
 * <p>Thread-safe (except for the defects, on purpose). Not related to the real channel's code.
 */
public final class NaiveChannel<T> implements ChannelOps<T> {

    /** The one way in which a naive channel is broken. */
    public enum Defect {
        /** Correct. */
        NONE,
        /** {@code close} forgets to wake blocked getters: they sleep forever on a closed, empty channel. */
        CLOSE_FORGETS_WAITERS,
        /**
         * {@code size} is a separate counter bumped by every put <i>attempt</i> before it takes the lock (and undone
         * if the attempt fails): an item is counted while it is not in the buffer, so size can exceed capacity.
         */
        SIZE_COUNTS_ATTEMPTS,
        /** {@code offer} checks for room and inserts in two critical sections: two offers can both fill one slot. */
        NON_ATOMIC_OFFER,
        /** A put on a closed and full channel reports "full" instead of "closed" (aiochannel 1.3's bug). */
        CLOSED_AND_FULL_REPORTS_FULL,
        /**
         * {@code close} sets the flag that new operations see in one critical section and wakes the waiters in a
         * later one: in between, a waiter can still be interrupted or cancelled although others already saw the
         * close (the flaw of the first lock-free rendezvous close, ADR 0004).
         */
        CLOSE_WAKES_WAITERS_LATER
    }

    private final int capacity;
    private final Defect defect;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notEmpty = lock.newCondition();
    private final Condition notFull = lock.newCondition();
    private final Condition done = lock.newCondition();
    private final ArrayDeque<T> buffer = new ArrayDeque<>();
    private final AtomicInteger attemptCount = new AtomicInteger(); // only for SIZE_COUNTS_ATTEMPTS
    private boolean closed;
    private Throwable cause;

    public NaiveChannel(int capacity, Defect defect) {
        if (capacity < 1) {
            throw new IllegalArgumentException("the naive channel needs a capacity of 1 or more: " + capacity);
        }
        this.capacity = capacity;
        this.defect = defect;
    }

    @Override
    public String name() {
        return "naive " + RealChannelOps.kindName(capacity) + (defect == Defect.NONE ? "" : " with " + defect);
    }

    @Override
    public int capacity() {
        return capacity;
    }

    private ChannelClosedException closedException() {
        return new ChannelClosedException("closed", cause);
    }

    private boolean closedWins() {
        // CLOSED_AND_FULL_REPORTS_FULL: "full" is checked before "closed"
        return closed && !(defect == Defect.CLOSED_AND_FULL_REPORTS_FULL && buffer.size() >= capacity);
    }

    /** Inserts with the lock held; the caller checked for room and for close. */
    private void insertLocked(T item) {
        buffer.addLast(item);
        notEmpty.signalAll();
    }

    private T removeLocked() {
        T item = buffer.pollFirst();
        if (defect == Defect.SIZE_COUNTS_ATTEMPTS) {
            attemptCount.decrementAndGet();
        }
        notFull.signalAll();
        if (closed && buffer.isEmpty()) {
            done.signalAll();
        }
        return item;
    }

    private boolean putInternal(T item, boolean wait, long nanos) throws InterruptedException {
        Objects.requireNonNull(item, "item");
        if (defect == Defect.SIZE_COUNTS_ATTEMPTS) {
            attemptCount.incrementAndGet(); // counted before it is in the buffer: the defect
        }
        boolean inserted = false;
        lock.lock();
        try {
            while (true) {
                if (closedWins()) {
                    throw closedException();
                }
                if (buffer.size() < capacity) {
                    insertLocked(item);
                    inserted = true;
                    return true;
                }
                if (!wait || (nanos != Long.MAX_VALUE && nanos <= 0)) {
                    return false;
                }
                if (nanos == Long.MAX_VALUE) {
                    notFull.await();
                } else {
                    nanos = notFull.awaitNanos(nanos);
                }
            }
        } finally {
            lock.unlock();
            if (!inserted && defect == Defect.SIZE_COUNTS_ATTEMPTS) {
                attemptCount.decrementAndGet();
            }
        }
    }

    @Override
    public void put(T item) throws InterruptedException {
        putInternal(item, true, Long.MAX_VALUE);
    }

    @Override
    public boolean offer(T item, Duration timeout) throws InterruptedException {
        return putInternal(item, true, Math.max(0, Math.min(timeout.toNanos(), Long.MAX_VALUE - 1)));
    }

    @Override
    public boolean offer(T item) {
        if (defect == Defect.NON_ATOMIC_OFFER) {
            Objects.requireNonNull(item, "item");
            lock.lock();
            try {
                if (closed) {
                    throw closedException();
                }
                if (buffer.size() >= capacity) {
                    return false;
                }
            } finally {
                lock.unlock();
            }
            // the defect: room may be gone (or the channel closed) by now; the yield widens the window
            Thread.yield();
            lock.lock();
            try {
                insertLocked(item);
                return true;
            } finally {
                lock.unlock();
            }
        }
        try {
            return putInternal(item, false, 0);
        } catch (InterruptedException e) {
            throw new AssertionError("a put that does not wait cannot be interrupted", e);
        }
    }

    @Override
    public void putNowait(T item) {
        if (!offer(item)) {
            throw new ChannelFullException("full");
        }
    }

    /** Returns the item, or null on timeout / empty when not waiting. */
    private T getInternal(boolean wait, long nanos) throws InterruptedException {
        lock.lock();
        try {
            while (true) {
                if (!buffer.isEmpty()) {
                    return removeLocked();
                }
                if (closed) {
                    throw closedException();
                }
                if (!wait || (nanos != Long.MAX_VALUE && nanos <= 0)) {
                    return null;
                }
                if (nanos == Long.MAX_VALUE) {
                    notEmpty.await();
                } else {
                    nanos = notEmpty.awaitNanos(nanos);
                }
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public T get() throws InterruptedException {
        return getInternal(true, Long.MAX_VALUE);
    }

    @Override
    public T poll(Duration timeout) throws InterruptedException {
        return getInternal(true, Math.max(0, Math.min(timeout.toNanos(), Long.MAX_VALUE - 1)));
    }

    @Override
    public T poll() {
        try {
            return getInternal(false, 0);
        } catch (InterruptedException e) {
            throw new AssertionError("a get that does not wait cannot be interrupted", e);
        }
    }

    @Override
    public T getNowait() {
        T item = poll();
        if (item == null) {
            throw new ChannelEmptyException("empty");
        }
        return item;
    }

    @Override
    public void close() {
        closeInternal(null);
    }

    @Override
    public void close(Throwable cause) {
        closeInternal(Objects.requireNonNull(cause, "cause"));
    }

    private void closeInternal(Throwable why) {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            cause = why;
            if (defect == Defect.CLOSE_WAKES_WAITERS_LATER) {
                lock.unlock();
                try {
                    Thread.sleep(1); // the defect: the close is visible, its waiters not woken; the sleep widens it
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    lock.lock();
                }
            }
            notFull.signalAll();
            if (defect != Defect.CLOSE_FORGETS_WAITERS) {
                notEmpty.signalAll();
            }
            if (buffer.isEmpty()) {
                done.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean isClosed() {
        lock.lock();
        try {
            return closed;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean isDone() {
        lock.lock();
        try {
            return closed && buffer.isEmpty();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public int size() {
        if (defect == Defect.SIZE_COUNTS_ATTEMPTS) {
            return attemptCount.get();
        }
        lock.lock();
        try {
            return buffer.size();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean isEmpty() {
        return size() == 0;
    }

    @Override
    public boolean isFull() {
        return size() >= capacity;
    }

    @Override
    public List<T> snapshot() {
        lock.lock();
        try {
            return List.copyOf(buffer);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public int drainTo(Collection<? super T> target, int max) {
        Objects.requireNonNull(target, "target");
        lock.lock();
        try {
            int moved = 0;
            while (moved < max && !buffer.isEmpty()) {
                target.add(removeLocked());
                moved++;
            }
            return moved;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void join() throws InterruptedException {
        lock.lock();
        try {
            while (!(closed && buffer.isEmpty())) {
                done.await();
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String toString() {
        return name();
    }
}
