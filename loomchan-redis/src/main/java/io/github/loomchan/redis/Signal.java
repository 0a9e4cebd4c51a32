package io.github.loomchan.redis;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Local wake-ups for one channel's pub/sub events: a generation counter bumped by every message (and every
 * re-subscription), and a condition waiters park on. A waiter reads the generation <i>before</i> it looks at the
 * channel, and waits only while the generation is unchanged and at most a bounded time, so a message lost anywhere
 * delays it by at most that bound.
 */
final class Signal {
    final String channel;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();

    /** Guarded by lock. Invariant: only grows. */
    private long generation;

    /** Whether the current pub/sub connection is subscribed to {@link #channel}; guarded by the owner's lock. */
    volatile boolean subscribed;

    Signal(String channel) {
        this.channel = channel;
    }

    long generation() {
        lock.lock();
        try {
            return generation;
        } finally {
            lock.unlock();
        }
    }

    void bump() {
        lock.lock();
        try {
            generation++;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Waits until the generation differs from {@code seen} or {@code nanos} elapsed. */
    void await(long seen, long nanos) throws InterruptedException {
        lock.lockInterruptibly();
        try {
            long remaining = nanos;
            while (generation == seen && remaining > 0) {
                remaining = changed.awaitNanos(remaining);
            }
        } finally {
            lock.unlock();
        }
    }

    static long millisToNanos(long millis) {
        return TimeUnit.MILLISECONDS.toNanos(millis);
    }
}
