package io.github.loomchan;

import java.time.Duration;
import java.util.List;

/** Small helpers shared by the pattern classes ({@link Channels}, {@link ChannelScope}, {@link Pipeline}). */
final class PatternSupport {
    private PatternSupport() {}

    /**
     * Creates a channel from the patterns' capacity convention: 0 is a rendezvous channel, {@link Integer#MAX_VALUE}
     * an unbounded one, anything else positive a buffered one.
     */
    static <T> Channel<T> newChannel(int capacity) {
        if (capacity < 0) {
            throw new IllegalArgumentException("capacity must be 0 (rendezvous), positive (buffered) or "
                    + "Integer.MAX_VALUE (unbounded), but was " + capacity);
        }
        if (capacity == 0) {
            return Channel.rendezvous();
        }
        return capacity == Integer.MAX_VALUE ? Channel.unbounded() : Channel.buffered(capacity);
    }

    /**
     * Takes the next item, or returns {@code null} once the channel was closed without cause and drained. Throws
     * {@link InterruptedException} if the thread is interrupted, even when an item is available, consuming nothing.
     *
     * @throws ChannelClosedException if the channel was closed with a cause and is drained: a failure is never turned
     *     into a normal end
     */
    static <T> T take(Channel<? extends T> channel) throws InterruptedException {
        checkInterrupt();
        try {
            return channel.get();
        } catch (ChannelClosedException closed) {
            if (closed.getCause() != null) {
                throw closed;
            }
            return null;
        }
    }

    /**
     * Throws if the current thread is interrupted, clearing the status. A get returns an available item even when the
     * thread is interrupted; a loop of takes must still stop when its scope cancels it, even if items keep coming.
     */
    static void checkInterrupt() throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException("interrupted before taking the next item");
        }
    }

    /**
     * Like {@link #take} but waits at most {@code nanos}; returns {@code null} also on timeout, which {@code
     * channel.isDone()} tells apart from the end.
     */
    static <T> T take(Channel<? extends T> channel, long nanos) throws InterruptedException {
        checkInterrupt();
        try {
            return channel.poll(Duration.ofNanos(Math.max(0, nanos)));
        } catch (ChannelClosedException closed) {
            if (closed.getCause() != null) {
                throw closed;
            }
            return null;
        }
    }

    /**
     * Fills {@code batch} (which already holds at least one item) up to {@code max} items: first with what is
     * available now, then, for at most {@code lingerNanos}, with items that arrive. Never throws: an end, a close
     * cause or an interrupt seen while lingering ends the batch (the interrupt status is set again), so items already
     * taken are never lost; the next read reports the end, the cause or the interrupt.
     */
    static <T> void fillBatch(Channel<? extends T> channel, List<T> batch, int max, long lingerNanos) {
        channel.drainTo(batch, max - batch.size());
        if (lingerNanos <= 0 || batch.size() >= max) {
            return;
        }
        long deadline = System.nanoTime() + lingerNanos;
        while (batch.size() < max) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return;
            }
            T item;
            try {
                item = channel.poll(Duration.ofNanos(left));
            } catch (ChannelClosedException end) {
                return;
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                return;
            }
            if (item == null) {
                return;
            }
            batch.add(item);
            channel.drainTo(batch, max - batch.size());
        }
    }

    /** Converts a duration to nanoseconds, saturating instead of overflowing; negative becomes 0. */
    static long toNanos(Duration duration) {
        if (duration.isNegative()) {
            return 0;
        }
        try {
            return duration.toNanos();
        } catch (ArithmeticException overflow) {
            return Long.MAX_VALUE;
        }
    }
}
