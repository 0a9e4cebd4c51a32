package io.github.loomchan;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Flow;
import java.util.concurrent.ThreadFactory;
import java.util.stream.Stream;

/**
 * Ready-made channel patterns: producers that close their channel, fan-in, batch reads, and adapters to and from
 * iterables, streams and {@link java.util.concurrent.Flow}.
 *
 * <pre>{@code
 * Channel<Path> files = Channels.produce(64, out -> {
 *     try (var paths = Files.list(directory)) {
 *         for (Path path : (Iterable<Path>) paths::iterator) out.put(path);
 *     }
 * });                                   // closed when the producer returns, closed with the cause if it throws
 * for (List<Path> batch : Channels.batches(files, 100, Duration.ofMillis(50))) {
 *     upload(batch);                    // up to 100 files, waiting at most 50 ms to fill a batch
 * }
 * }</pre>
 *
 * <h2>Threads</h2>
 * <p>Methods that start threads do so with a {@link ThreadFactory} if one is given, otherwise as virtual threads. They
 * are <i>detached</i>: nobody joins them; each thread ends on its own once its work is done, its output channel is
 * closed by the consumer, or its input ends. To start them in a group that can be joined and cancelled as one, use a
 * {@link ChannelScope}. To stop a producer early, close its channel: its next put fails and it ends.
 *
 * <h2>Capacity convention</h2>
 * <p>Where a method creates a channel, {@code capacity} 0 means a rendezvous channel, {@link Integer#MAX_VALUE} an
 * unbounded one, and any other positive number a buffered one; a negative capacity throws {@link
 * IllegalArgumentException}.
 *
 * <p>All methods are thread-safe.
 */
public final class Channels {
    private Channels() {}

    // ------------------------------------------------------------------------------------------------ produce

    /**
     * Starts {@code producer} on a new virtual thread and returns the channel it writes into: closed when the
     * producer returns, closed with the exception as cause when it throws (consumers drain what was put, then see
     * the failure, for example as a {@link ChannelClosedException} with that cause at the end of iteration).
     *
     * <p>If a consumer closes the channel, the producer's next put throws {@link ChannelClosedException} and, unless
     * it catches it, the producer ends.
     *
     * @param capacity 0 rendezvous, {@link Integer#MAX_VALUE} unbounded, else buffered
     * @param producer what puts the items
     * @param <T> the item type
     * @return the channel, open, possibly still empty
     * @throws IllegalArgumentException if {@code capacity} is negative
     */
    public static <T> Channel<T> produce(int capacity, Producer<T> producer) {
        return produce(capacity, producer, defaultThreads());
    }

    /**
     * Like {@link #produce(int, Producer)}, with the producer's thread made by {@code threadFactory}.
     *
     * @param capacity 0 rendezvous, {@link Integer#MAX_VALUE} unbounded, else buffered
     * @param producer what puts the items
     * @param threadFactory makes the producer's thread
     * @param <T> the item type
     * @return the channel
     * @throws IllegalArgumentException if {@code capacity} is negative
     */
    public static <T> Channel<T> produce(int capacity, Producer<T> producer, ThreadFactory threadFactory) {
        return ChannelScope.open(threadFactory).produce(capacity, producer);
    }

    /**
     * Fan-in: starts every producer on its own virtual thread, all writing into one channel that is closed exactly
     * once, after the last producer returned.
     *
     * <p><b>A failing producer stops its siblings</b>: the channel is closed with its exception as cause and the other
     * producers are interrupted; consumers receive the items put before the failure, then the failure. See {@link
     * ChannelScope#fanIn}.
     *
     * @param capacity 0 rendezvous, {@link Integer#MAX_VALUE} unbounded, else buffered
     * @param producers the producers; each one's items arrive in its order
     * @param <T> the item type
     * @return the merged channel
     * @throws IllegalArgumentException if {@code capacity} is negative
     */
    public static <T> Channel<T> fanIn(int capacity, List<? extends Producer<T>> producers) {
        return fanIn(capacity, producers, defaultThreads());
    }

    /**
     * Like {@link #fanIn(int, List)}, with the producers' threads made by {@code threadFactory}.
     *
     * @param capacity 0 rendezvous, {@link Integer#MAX_VALUE} unbounded, else buffered
     * @param producers the producers
     * @param threadFactory makes the threads
     * @param <T> the item type
     * @return the merged channel
     * @throws IllegalArgumentException if {@code capacity} is negative
     */
    public static <T> Channel<T> fanIn(
            int capacity, List<? extends Producer<T>> producers, ThreadFactory threadFactory) {
        return ChannelScope.open(threadFactory).fanIn(capacity, producers);
    }

    /**
     * Fan-in from channels: one virtual thread per source forwards its items into one channel, closed exactly once,
     * when every source is closed and drained. A source closed with a cause closes the output with that cause and
     * stops the other forwarders. The sources are never closed by this method. See {@link ChannelScope#merge}.
     *
     * @param capacity 0 rendezvous, {@link Integer#MAX_VALUE} unbounded, else buffered
     * @param sources the channels to merge
     * @param <T> the item type
     * @return the merged channel
     * @throws IllegalArgumentException if {@code capacity} is negative
     */
    public static <T> Channel<T> merge(int capacity, List<? extends Channel<? extends T>> sources) {
        return merge(capacity, sources, defaultThreads());
    }

    /**
     * Like {@link #merge(int, List)}, with the forwarding threads made by {@code threadFactory}.
     *
     * @param capacity 0 rendezvous, {@link Integer#MAX_VALUE} unbounded, else buffered
     * @param sources the channels to merge
     * @param threadFactory makes the threads
     * @param <T> the item type
     * @return the merged channel
     * @throws IllegalArgumentException if {@code capacity} is negative
     */
    public static <T> Channel<T> merge(
            int capacity, List<? extends Channel<? extends T>> sources, ThreadFactory threadFactory) {
        return ChannelScope.open(threadFactory).merge(capacity, sources);
    }

    // ------------------------------------------------------------------------------------------------ sources

    /**
     * Adapts a (possibly blocking) iterable: a virtual thread iterates it and puts each element into the returned
     * channel, which is closed at the end, or closed with the cause if the iteration throws.
     *
     * @param source the iterable; iterated once, on the new thread
     * @param capacity 0 rendezvous, {@link Integer#MAX_VALUE} unbounded, else buffered
     * @param <T> the item type
     * @return the channel
     * @throws IllegalArgumentException if {@code capacity} is negative
     */
    public static <T> Channel<T> fromIterable(Iterable<? extends T> source, int capacity) {
        return fromIterable(source, capacity, defaultThreads());
    }

    /**
     * Like {@link #fromIterable(Iterable, int)}, with the thread made by {@code threadFactory}.
     *
     * @param source the iterable
     * @param capacity 0 rendezvous, {@link Integer#MAX_VALUE} unbounded, else buffered
     * @param threadFactory makes the thread
     * @param <T> the item type
     * @return the channel
     * @throws IllegalArgumentException if {@code capacity} is negative
     */
    public static <T> Channel<T> fromIterable(Iterable<? extends T> source, int capacity, ThreadFactory threadFactory) {
        Objects.requireNonNull(source, "source");
        return produce(
                capacity,
                out -> {
                    for (T item : source) {
                        out.put(item);
                    }
                },
                threadFactory);
    }

    /**
     * Adapts a stream: a virtual thread consumes it into the returned channel, then closes the stream and the
     * channel (with the cause if the stream throws).
     *
     * @param source the stream
     * @param capacity 0 rendezvous, {@link Integer#MAX_VALUE} unbounded, else buffered
     * @param <T> the item type
     * @return the channel
     * @throws IllegalArgumentException if {@code capacity} is negative
     */
    public static <T> Channel<T> fromStream(Stream<? extends T> source, int capacity) {
        return fromStream(source, capacity, defaultThreads());
    }

    /**
     * Like {@link #fromStream(Stream, int)}, with the thread made by {@code threadFactory}.
     *
     * @param source the stream
     * @param capacity 0 rendezvous, {@link Integer#MAX_VALUE} unbounded, else buffered
     * @param threadFactory makes the thread
     * @param <T> the item type
     * @return the channel
     * @throws IllegalArgumentException if {@code capacity} is negative
     */
    public static <T> Channel<T> fromStream(Stream<? extends T> source, int capacity, ThreadFactory threadFactory) {
        Objects.requireNonNull(source, "source");
        return produce(
                capacity,
                out -> {
                    try (Stream<? extends T> stream = source) {
                        Iterator<? extends T> iterator = stream.iterator();
                        while (iterator.hasNext()) {
                            out.put(iterator.next());
                        }
                    }
                },
                threadFactory);
    }

    // ------------------------------------------------------------------------------------------------ batching

    /**
     * Reads one batch: waits until at least one item is available, then takes up to {@code max} items that are
     * available at once, without waiting for more (the replacement for "drain with get_nowait, sleep when empty").
     *
     * @param channel the channel to read
     * @param max the largest batch, at least 1
     * @param <T> the item type
     * @return a new, modifiable list of 1 to {@code max} items, oldest first; empty once the channel is closed
     *     (without cause) and drained
     * @throws InterruptedException if interrupted while waiting for the first item (nothing is consumed)
     * @throws ChannelClosedException if the channel was closed with a cause and is drained; the cause is attached
     * @throws IllegalArgumentException if {@code max} is less than 1
     */
    public static <T> List<T> readBatch(Channel<? extends T> channel, int max) throws InterruptedException {
        return readBatch(channel, max, Duration.ZERO);
    }

    /**
     * Reads one batch: waits until at least one item is available, takes up to {@code max} available at once, and
     * then, if the batch is not full, waits at most {@code linger} for more items to fill it.
     *
     * <p>Items already taken are never lost: if the channel ends, or the thread is interrupted, while the batch
     * lingers, the batch is returned (with the interrupt status set again) and the next call reports the end, the
     * cause or the interrupt.
     *
     * <p>Thread-safety: several threads may read batches of one channel at once; each item goes to one batch.
     *
     * @param channel the channel to read
     * @param max the largest batch, at least 1
     * @param linger how long to wait to fill a batch once it has its first item; zero or negative not to wait
     * @param <T> the item type
     * @return a new, modifiable list of 1 to {@code max} items, oldest first; empty once the channel is closed
     *     (without cause) and drained
     * @throws InterruptedException if interrupted while waiting for the first item (nothing is consumed)
     * @throws ChannelClosedException if the channel was closed with a cause and is drained; the cause is attached
     * @throws IllegalArgumentException if {@code max} is less than 1
     */
    public static <T> List<T> readBatch(Channel<? extends T> channel, int max, Duration linger)
            throws InterruptedException {
        Objects.requireNonNull(channel, "channel");
        checkBatch(max);
        long lingerNanos = PatternSupport.toNanos(Objects.requireNonNull(linger, "linger"));
        List<T> batch = new ArrayList<>();
        T first = PatternSupport.take(channel);
        if (first == null) {
            return batch;
        }
        batch.add(first);
        PatternSupport.fillBatch(channel, batch, max, lingerNanos);
        return batch;
    }

    /**
     * Returns an iterable of batches read with {@link #readBatch(Channel, int, Duration)}, for a for-each loop that
     * ends when the channel is closed and drained.
     *
     * <p>Each {@code iterator()} reads the same channel; an iterator is for one thread. If the channel was closed with
     * a cause, {@code hasNext()} throws {@link ChannelClosedException} with it once every item was returned. If the
     * thread is interrupted while {@code hasNext()} waits, it throws a {@link ChannelException} caused by the {@link
     * InterruptedException}, with the interrupt status set again, and nothing is consumed.
     *
     * @param channel the channel to read
     * @param max the largest batch, at least 1
     * @param linger how long to wait to fill a batch once it has its first item
     * @param <T> the item type
     * @return an iterable of non-empty batches
     * @throws IllegalArgumentException if {@code max} is less than 1
     */
    public static <T> Iterable<List<T>> batches(Channel<? extends T> channel, int max, Duration linger) {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(linger, "linger");
        checkBatch(max);
        return () -> new BatchIterator<T>(channel, max, linger);
    }

    // ------------------------------------------------------------------------------------------------ Flow

    /**
     * Adapts a channel to a {@link Flow.Publisher}: each subscriber gets a subscription served by its own virtual
     * thread, which takes an item from the channel only when the subscriber has requested one (demand is honoured:
     * never more {@code onNext} calls than requested), and signals {@code onComplete} when the channel is closed and
     * drained, or {@code onError} with the cause if it was closed with one.
     *
     * <p>The channel is consumed: several subscribers share its items, each item going to one of them. Cancelling a
     * subscription stops its thread; items not yet taken stay in the channel. An item the thread had already taken
     * when the subscription was cancelled is still delivered (the Reactive Streams rules allow signals shortly after a
     * cancel), so no item is lost. A {@code request} of zero or less is answered by {@code onError} with an {@link
     * IllegalArgumentException} (rule 3.9). If the subscriber throws from {@code onNext}, the subscription is
     * cancelled.
     *
     * @param channel the channel to read
     * @param <T> the item type
     * @return a publisher that may be subscribed to any number of times
     */
    public static <T> Flow.Publisher<T> toPublisher(Channel<? extends T> channel) {
        return toPublisher(channel, defaultThreads());
    }

    /**
     * Like {@link #toPublisher(Channel)}, with each subscription's thread made by {@code threadFactory}.
     *
     * @param channel the channel to read
     * @param threadFactory makes one thread per subscription
     * @param <T> the item type
     * @return a publisher
     */
    public static <T> Flow.Publisher<T> toPublisher(Channel<? extends T> channel, ThreadFactory threadFactory) {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(threadFactory, "threadFactory");
        return subscriber -> ChannelSubscription.start(channel, subscriber, threadFactory);
    }

    /**
     * Adapts a {@link Flow.Publisher} to a channel: subscribes to {@code publisher} and returns a channel that
     * receives its items, closed on {@code onComplete} and closed with the cause on {@code onError}.
     *
     * <p>Backpressure: items are requested only as room is made: at most about {@code 2 * capacity + 1} items are
     * requested and not yet taken from the channel (for capacity 0: 1; for an unbounded channel the demand is
     * unbounded). A relay thread moves items from the subscriber to the channel, so {@code onNext} never blocks the
     * publisher. If a consumer closes the channel, the subscription is cancelled when the next item arrives; the relay
     * thread then ends. An interrupted relay thread cancels the subscription and closes the channel with the {@link
     * InterruptedException} as cause.
     *
     * @param publisher the publisher
     * @param capacity 0 rendezvous, {@link Integer#MAX_VALUE} unbounded, else buffered
     * @param <T> the item type
     * @return the channel, open until the publisher completes
     * @throws IllegalArgumentException if {@code capacity} is negative
     */
    public static <T> Channel<T> fromPublisher(Flow.Publisher<? extends T> publisher, int capacity) {
        return fromPublisher(publisher, capacity, defaultThreads());
    }

    /**
     * Like {@link #fromPublisher(Flow.Publisher, int)}, with the relay thread made by {@code threadFactory}.
     *
     * @param publisher the publisher
     * @param capacity 0 rendezvous, {@link Integer#MAX_VALUE} unbounded, else buffered
     * @param threadFactory makes the relay thread
     * @param <T> the item type
     * @return the channel
     * @throws IllegalArgumentException if {@code capacity} is negative
     */
    public static <T> Channel<T> fromPublisher(
            Flow.Publisher<? extends T> publisher, int capacity, ThreadFactory threadFactory) {
        Objects.requireNonNull(publisher, "publisher");
        Objects.requireNonNull(threadFactory, "threadFactory");
        Channel<T> out = PatternSupport.newChannel(capacity);
        publisher.subscribe(new ChannelSubscriber<T>(out, threadFactory));
        return out;
    }

    // ------------------------------------------------------------------------------------------------ helpers

    static void checkBatch(int max) {
        if (max < 1) {
            throw new IllegalArgumentException("a batch holds at least 1 item, but max was " + max);
        }
    }

    private static ThreadFactory defaultThreads() {
        return Thread.ofVirtual().name("loomchan-", 0).factory();
    }
}
