package io.github.loomchan.verify;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The channel operations the checkers drive. {@code io.github.loomchan.Channel} is sealed, so the checkers run on
 * this interface instead; {@link RealChannelOps} adapts the real channel and {@link NaiveChannel} is a small
 * lock-based channel that can be built with one named {@link NaiveChannel.Defect}. Every checker must accept the
 * real channel and the defect-free naive one, and reject the broken ones.
 *
 * <p>Contract: the same as {@code io.github.loomchan.Channel} for the methods of the same name.
 */
public interface ChannelOps<T> {
    /** A short name for reports, such as {@code real buffered(2)}. */
    String name();

    int capacity();

    void put(T item) throws InterruptedException;

    boolean offer(T item, Duration timeout) throws InterruptedException;

    boolean offer(T item);

    void putNowait(T item);

    T get() throws InterruptedException;

    T poll(Duration timeout) throws InterruptedException;

    T poll();

    T getNowait();

    void close();

    void close(Throwable cause);

    boolean isClosed();

    boolean isDone();

    int size();

    boolean isEmpty();

    boolean isFull();

    List<T> snapshot();

    int drainTo(Collection<? super T> target, int max);

    void join() throws InterruptedException;

    /** Whether {@link #putAsync} and {@link #getAsync} are supported. */
    default boolean supportsAsync() {
        return false;
    }

    default CompletableFuture<Void> putAsync(T item) {
        throw new UnsupportedOperationException(name() + " has no async operations");
    }

    default CompletableFuture<T> getAsync() {
        throw new UnsupportedOperationException(name() + " has no async operations");
    }
}
