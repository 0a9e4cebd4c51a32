package io.github.loomchan;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collector;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * A chain of stages connected by channels, each stage on its own thread(s), run by one blocking terminal call that
 * either completes or reports the first failure: the producer / map / filter / consumer program written once,
 * correctly.
 *
 * <pre>{@code
 * Map<String, Long> hitsPerHost = Pipeline.from(Files.readAllLines(log))           // source thread
 *         .map(StageOptions.parallel(4), LogLine::parse)                          // 4 parser threads, order kept
 *         .filter(line -> line.status() == 200)
 *         .collect(Collectors.groupingBy(LogLine::host, Collectors.counting()));  // in the calling thread
 * }</pre>
 *
 * <h2>Building and running</h2>
 * <p>A {@code Pipeline} is an immutable description; building one starts nothing. A terminal operation ({@link
 * #forEach}, {@link #toList}, {@link #collect}, {@link #forEachBatch}, {@link #forEachParallel}, and, lazily,
 * {@link #stream()}) starts one thread
 * per source and per stage worker (virtual threads unless {@link #withThreadFactory} says otherwise), consumes the
 * last stage's output and returns only after <b>every thread it started has finished</b>. {@link #start} instead
 * wires the stages into a {@link ChannelScope} the caller controls and returns the last channel. A pipeline built
 * on a one-shot source ({@link #from(Stream)}, {@link #from(Channel)}) can usefully run once.
 *
 * <h2>Stages</h2>
 * <p>{@link #map}, {@link #filter} and {@link #flatMap} each add a stage that reads the previous channel and writes a
 * new one; {@link StageOptions} chooses its number of workers, ordered or unordered results and its output capacity
 * (backpressure: a stage waits while its output is full). When a stage's input is closed and drained, the stage
 * finishes its items and closes its output: the end travels forward. Stage functions run concurrently when a stage
 * has several workers and must then be thread-safe. They must not return {@code null}.
 *
 * <h2>Failure: once, with the original cause</h2>
 * <p>If a source, a stage function or the terminal's handler throws, every stage is stopped (threads interrupted,
 * channels closed with the failure as cause) and the terminal operation throws a {@link PipelineException} whose
 * {@link Throwable#getCause() cause} is that exception, exactly once; exceptions other threads throw while stopping
 * are not reported. The stop is immediate (fail-fast), not a drain: results already in the last stage's output are
 * still handed to the terminal before the exception, items inside earlier stages are discarded.
 *
 * <h2>Cancellation</h2>
 * <p>If the calling thread is interrupted while the terminal operation waits, the pipeline is stopped and the call
 * throws {@link InterruptedException} once every thread has finished. With {@link #withTimeout}, a pipeline still
 * running at its deadline is stopped the same way and the call throws a {@link PipelineException} caused by a {@link
 * TimeoutException}. From another thread, use {@link #start} and {@link ChannelScope#cancel()}. Items that were
 * inside the pipeline when it stopped are discarded, and the exception is how the caller knows; items not yet taken
 * from a caller-supplied source channel stay in it. A handler running in the calling thread is not interrupted; a
 * deadline is noticed when it returns.
 *
 * <h2>Thread-safety</h2>
 * <p>{@code Pipeline} objects are immutable and may be shared; each terminal call runs its own threads. The handler
 * of {@link #forEach} runs in the calling thread only; that of {@link #forEachParallel} in several threads at once.
 *
 * @param <T> the type of the items leaving the last stage
 */
public final class Pipeline<T> {
    private static final int SOURCE_CAPACITY = StageOptions.DEFAULT_CAPACITY;

    /** Starts the sources and stages in a scope and returns the last channel. */
    @FunctionalInterface
    private interface Wiring<T> {
        Channel<T> wire(ChannelScope scope);
    }

    private final Wiring<T> wiring;
    private final ThreadFactory threadFactory; // null: virtual threads
    private final Duration timeout; // null: none

    private Pipeline(Wiring<T> wiring, ThreadFactory threadFactory, Duration timeout) {
        this.wiring = wiring;
        this.threadFactory = threadFactory;
        this.timeout = timeout;
    }

    // ------------------------------------------------------------------------------------------------ sources

    /**
     * Starts a pipeline that reads an existing channel. The pipeline never closes it; when the pipeline stops early,
     * the items not yet taken stay in it. If it is closed with a cause, the pipeline fails with that cause.
     *
     * @param source the channel to read
     * @param <T> the item type
     * @return the pipeline
     */
    public static <T> Pipeline<T> from(Channel<T> source) {
        Objects.requireNonNull(source, "source");
        return new Pipeline<>(scope -> source, null, null);
    }

    /**
     * Starts a pipeline whose source thread iterates {@code source}, which may block (a blocking {@code Iterable},
     * such as lines arriving from a socket, is the intended case). An exception from the iteration fails the
     * pipeline; the iteration is interrupted if the pipeline stops early.
     *
     * @param source what to iterate; iterated once per run, on the source thread
     * @param <T> the item type
     * @return the pipeline
     */
    public static <T> Pipeline<T> from(Iterable<? extends T> source) {
        Objects.requireNonNull(source, "source");
        return produce(SOURCE_CAPACITY, out -> {
            for (T item : source) {
                out.put(item);
            }
        });
    }

    /**
     * Starts a pipeline whose source thread consumes {@code source} and then closes it. A stream can be consumed
     * once, so such a pipeline can run once.
     *
     * @param source the stream
     * @param <T> the item type
     * @return the pipeline
     */
    public static <T> Pipeline<T> from(Stream<? extends T> source) {
        Objects.requireNonNull(source, "source");
        return produce(SOURCE_CAPACITY, out -> {
            try (Stream<? extends T> stream = source) {
                var iterator = stream.iterator();
                while (iterator.hasNext()) {
                    out.put(iterator.next());
                }
            }
        });
    }

    /**
     * Starts a pipeline whose source is {@code producer}, run on its own thread and writing into a channel of the
     * given capacity; see {@link ChannelScope#produce}.
     *
     * @param capacity 0 rendezvous, {@link Integer#MAX_VALUE} unbounded, else buffered
     * @param producer puts the items; its exception fails the pipeline
     * @param <T> the item type
     * @return the pipeline
     * @throws IllegalArgumentException if {@code capacity} is negative
     */
    public static <T> Pipeline<T> produce(int capacity, Producer<T> producer) {
        Objects.requireNonNull(producer, "producer");
        checkCapacity(capacity);
        return new Pipeline<>(scope -> scope.produce(capacity, producer), null, null);
    }

    /**
     * Starts a pipeline whose source is several producers writing into one channel; see {@link ChannelScope#fanIn}
     * (a failing producer stops its siblings and fails the pipeline).
     *
     * @param capacity 0 rendezvous, {@link Integer#MAX_VALUE} unbounded, else buffered
     * @param producers the producers
     * @param <T> the item type
     * @return the pipeline
     * @throws IllegalArgumentException if {@code capacity} is negative
     */
    public static <T> Pipeline<T> fanIn(int capacity, List<? extends Producer<T>> producers) {
        List<Producer<T>> copy = List.copyOf(producers);
        checkCapacity(capacity);
        return new Pipeline<>(scope -> scope.fanIn(capacity, copy), null, null);
    }

    /**
     * Starts a pipeline that merges several channels; see {@link ChannelScope#merge}.
     *
     * @param capacity 0 rendezvous, {@link Integer#MAX_VALUE} unbounded, else buffered
     * @param sources the channels; never closed by the pipeline
     * @param <T> the item type
     * @return the pipeline
     * @throws IllegalArgumentException if {@code capacity} is negative
     */
    public static <T> Pipeline<T> merge(int capacity, List<? extends Channel<? extends T>> sources) {
        List<Channel<? extends T>> copy = List.copyOf(sources);
        checkCapacity(capacity);
        return new Pipeline<>(scope -> scope.merge(capacity, copy), null, null);
    }

    // ------------------------------------------------------------------------------------------------ stages

    /**
     * Adds a stage that applies {@code function} to each item, on one thread.
     *
     * @param function the mapping; must not return {@code null}
     * @param <R> the result type
     * @return a new pipeline with the stage added
     */
    public <R> Pipeline<R> map(Function<? super T, ? extends R> function) {
        return map(StageOptions.DEFAULT, function);
    }

    /**
     * Adds a stage that applies {@code function} to each item, run as {@code options} say.
     *
     * @param options workers, order and output capacity
     * @param function the mapping; thread-safe if several workers; must not return {@code null}
     * @param <R> the result type
     * @return a new pipeline with the stage added
     */
    public <R> Pipeline<R> map(StageOptions options, Function<? super T, ? extends R> function) {
        Objects.requireNonNull(function, "function");
        return stage(
                options,
                (item, out) -> out.put(Objects.requireNonNull(
                        function.apply(item), () -> "the map function returned null for " + item)));
    }

    /**
     * Adds a stage that keeps the items matching {@code predicate}, on one thread.
     *
     * @param predicate which items to keep
     * @return a new pipeline with the stage added
     */
    public Pipeline<T> filter(Predicate<? super T> predicate) {
        return filter(StageOptions.DEFAULT, predicate);
    }

    /**
     * Adds a stage that keeps the items matching {@code predicate}, run as {@code options} say.
     *
     * @param options workers, order and output capacity
     * @param predicate which items to keep; thread-safe if several workers
     * @return a new pipeline with the stage added
     */
    public Pipeline<T> filter(StageOptions options, Predicate<? super T> predicate) {
        Objects.requireNonNull(predicate, "predicate");
        return stage(options, (item, out) -> {
            if (predicate.test(item)) {
                out.put(item);
            }
        });
    }

    /**
     * Adds a stage that replaces each item by the items of the iterable {@code function} returns, on one thread.
     *
     * @param function the expansion; the iterable must not contain {@code null}
     * @param <R> the result type
     * @return a new pipeline with the stage added
     */
    public <R> Pipeline<R> flatMap(Function<? super T, ? extends Iterable<? extends R>> function) {
        return flatMap(StageOptions.DEFAULT, function);
    }

    /**
     * Adds a stage that replaces each item by the items of the iterable {@code function} returns, run as {@code
     * options} say. In an ordered stage the results of one item stay together and in order.
     *
     * @param options workers, order and output capacity
     * @param function the expansion; thread-safe if several workers; the iterable must not contain {@code null}
     * @param <R> the result type
     * @return a new pipeline with the stage added
     */
    public <R> Pipeline<R> flatMap(
            StageOptions options, Function<? super T, ? extends Iterable<? extends R>> function) {
        Objects.requireNonNull(function, "function");
        return stage(options, (item, out) -> {
            for (R result : function.apply(item)) {
                out.put(Objects.requireNonNull(result, "the flatMap function produced null"));
            }
        });
    }

    private <R> Pipeline<R> stage(StageOptions options, Stages.Step<? super T, R> step) {
        Objects.requireNonNull(options, "options");
        Wiring<T> upstream = wiring;
        return new Pipeline<>(
                scope -> Stages.start(scope, upstream.wire(scope), options, step), threadFactory, timeout);
    }

    // ------------------------------------------------------------------------------------------------ settings

    /**
     * Returns a copy whose terminal operations start their threads with {@code threadFactory} (one new thread per
     * source, stage worker and parallel consumer) instead of as virtual threads.
     *
     * @param threadFactory the factory
     * @return the new pipeline
     */
    public Pipeline<T> withThreadFactory(ThreadFactory threadFactory) {
        return new Pipeline<>(wiring, Objects.requireNonNull(threadFactory, "threadFactory"), timeout);
    }

    /**
     * Returns a copy whose terminal operations stop the pipeline if it has not finished within {@code timeout} of
     * their start, and then throw a {@link PipelineException} caused by a {@link TimeoutException}.
     *
     * @param timeout the time limit of one run
     * @return the new pipeline
     */
    public Pipeline<T> withTimeout(Duration timeout) {
        return new Pipeline<>(wiring, threadFactory, Objects.requireNonNull(timeout, "timeout"));
    }

    // ------------------------------------------------------------------------------------------------ terminals

    /**
     * Runs the pipeline and hands every result to {@code handler}, in the calling thread, in the order the last stage
     * produced them; returns when all were handled and every thread has finished.
     *
     * @param handler what to do with each result; if it throws, the pipeline stops and fails with that exception
     * @throws InterruptedException if the calling thread is interrupted (the pipeline is stopped first)
     * @throws PipelineException if a source, stage or the handler failed, or the time limit passed
     */
    public void forEach(ItemHandler<? super T> handler) throws InterruptedException {
        Objects.requireNonNull(handler, "handler");
        run((scope, out, deadline) -> {
            T item;
            while ((item = next(scope, out, deadline)) != null) {
                handler.handle(item);
            }
        });
    }

    /**
     * Runs the pipeline and returns its results in a list, in the order the last stage produced them.
     *
     * @return a new modifiable list of all results
     * @throws InterruptedException if the calling thread is interrupted (the pipeline is stopped first)
     * @throws PipelineException if a source or stage failed, or the time limit passed
     */
    public List<T> toList() throws InterruptedException {
        List<T> results = new ArrayList<>();
        forEach(results::add);
        return results;
    }

    /**
     * Runs the pipeline and reduces its results with {@code collector} in the calling thread.
     *
     * @param collector how to reduce
     * @param <A> the collector's accumulation type
     * @param <R> the result type
     * @return the collector's result
     * @throws InterruptedException if the calling thread is interrupted (the pipeline is stopped first)
     * @throws PipelineException if a source, stage or the collector failed, or the time limit passed
     */
    public <A, R> R collect(Collector<? super T, A, R> collector) throws InterruptedException {
        Objects.requireNonNull(collector, "collector");
        A container = collector.supplier().get();
        BiConsumer<A, ? super T> accumulator = collector.accumulator();
        forEach(item -> accumulator.accept(container, item));
        return collector.finisher().apply(container);
    }

    /**
     * Runs the pipeline and hands its results to {@code handler} in batches, in the calling thread: each batch waits
     * for at least one result, then takes the results available at once up to {@code maxBatch}, then waits at most
     * {@code linger} for more to fill it. The last batch may be short; no batch is empty.
     *
     * @param maxBatch the largest batch, at least 1
     * @param linger how long to wait to fill a batch once it has its first item; zero to never wait
     * @param handler what to do with each batch (a new list each time, which the handler may keep)
     * @throws InterruptedException if the calling thread is interrupted (the pipeline is stopped first; a batch
     *     already taken is handed over before)
     * @throws PipelineException if a source, stage or the handler failed, or the time limit passed
     * @throws IllegalArgumentException if {@code maxBatch} is less than 1
     */
    public void forEachBatch(int maxBatch, Duration linger, ItemHandler<? super List<T>> handler)
            throws InterruptedException {
        Channels.checkBatch(maxBatch);
        long lingerNanos = PatternSupport.toNanos(Objects.requireNonNull(linger, "linger"));
        Objects.requireNonNull(handler, "handler");
        run((scope, out, deadline) -> {
            T first;
            while ((first = next(scope, out, deadline)) != null) {
                List<T> batch = new ArrayList<>();
                batch.add(first);
                PatternSupport.fillBatch(out, batch, maxBatch, lingerNanos);
                handler.handle(batch);
            }
        });
    }

    /**
     * Runs the pipeline and consumes its results with {@code workers} threads (a worker pool): each result goes to
     * exactly one worker; returns when all were handled and every thread has finished.
     *
     * @param workers the number of consumer threads, at least 1
     * @param handler what to do with each result; called concurrently, so it must be thread-safe
     * @throws InterruptedException if the calling thread is interrupted (the pipeline is stopped first)
     * @throws PipelineException if a source, stage or the handler failed, or the time limit passed
     * @throws IllegalArgumentException if {@code workers} is less than 1
     */
    public void forEachParallel(int workers, ItemHandler<? super T> handler) throws InterruptedException {
        Objects.requireNonNull(handler, "handler");
        if (workers < 1) {
            throw new IllegalArgumentException("workers must be at least 1, but was " + workers);
        }
        run((scope, out, deadline) -> scope.workers(out, workers, handler));
    }

    /**
     * Starts the pipeline and returns its results as a sequential stream, consumed in the calling thread, for code
     * that wants {@code java.util.stream} at the end. <b>Close the stream</b> (try-with-resources): closing it before
     * the end stops the pipeline and waits for its threads.
     *
     * <pre>{@code
     * try (Stream<Order> orders = Pipeline.from(lines).map(Order::parse).stream()) {
     *     orders.filter(Order::isLarge).limit(10).forEach(System.out::println);   // limit stops the pipeline at close
     * }
     * }</pre>
     *
     * <p>When the last result was taken, the stream ends after every thread has finished. If the pipeline fails,
     * taking the next element throws a {@link PipelineException} with the original cause, once every thread has
     * finished (results produced before the failure are returned first). If the consuming thread is interrupted
     * while it waits, the pipeline is stopped and a {@link ChannelException} caused by the {@link
     * InterruptedException} is thrown, with the interrupt status set again. With a time limit ({@link #withTimeout}),
     * counted from this call: when it passes before the last result was taken, the pipeline is stopped and taking the
     * next element throws a {@link PipelineException} caused by a {@link TimeoutException} (results already taken
     * stay taken). As with {@link #forEach}, the limit is checked while the stream waits for a result; time spent by
     * the consumer between elements counts towards it. The stream is for the calling thread; it is not parallel.
     *
     * @return a stream of the results, to be closed
     * @throws PipelineException if a source or stage could not be started
     */
    public Stream<T> stream() {
        long deadline = timeout == null ? NO_DEADLINE : System.nanoTime() + PatternSupport.toNanos(timeout);
        ChannelScope scope = threadFactory == null ? ChannelScope.open() : ChannelScope.open(threadFactory);
        Channel<T> out;
        try {
            out = wiring.wire(scope);
        } catch (Throwable failed) {
            scope.fail(failed);
            scope.close(); // throws the failure
            throw new AssertionError("unreachable: close reports the failure", failed);
        }
        Iterator<T> results = new Iterator<>() {
            private T next;
            private boolean ended;

            @Override
            public boolean hasNext() {
                if (next != null) {
                    return true;
                }
                if (ended) {
                    return false;
                }
                try {
                    next = Pipeline.this.next(scope, out, deadline); // null at the end, or once timed out
                } catch (InterruptedException interrupted) {
                    ended = true;
                    scope.cancelAndAwait();
                    Thread.currentThread().interrupt();
                    throw new ChannelException("interrupted while waiting for the next result", interrupted);
                } catch (ChannelClosedException failed) {
                    ended = true;
                    scope.fail(failed);
                    joinForStream(scope, deadline); // throws the PipelineException
                }
                if (next == null) {
                    ended = true;
                    joinForStream(scope, deadline); // throws if the scope failed or timed out
                    return false;
                }
                return true;
            }

            @Override
            public T next() {
                if (!hasNext()) {
                    throw new NoSuchElementException("the pipeline has no more results");
                }
                T result = next;
                next = null;
                return result;
            }
        };
        return StreamSupport.stream(
                        Spliterators.spliteratorUnknownSize(results, Spliterator.ORDERED | Spliterator.NONNULL), false)
                .onClose(scope::close);
    }

    /**
     * Joins the scope for the stream, within what is left of the time limit if there is one; an interrupt (after
     * which join has stopped everything) becomes unchecked.
     */
    private static void joinForStream(ChannelScope scope, long deadline) {
        try {
            join(scope, deadline);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new ChannelException("interrupted while waiting for the pipeline to finish", interrupted);
        }
    }

    /**
     * Starts the sources and stages as tasks of {@code scope} and returns the last stage's output channel, owned by
     * the scope, for the caller to consume; non-blocking. The scope's thread factory is used and this pipeline's
     * time limit is ignored ({@link ChannelScope#join(Duration)} gives one). Failures, cancellation and waiting for
     * the threads are the scope's: consume the channel, then call {@link ChannelScope#join()}.
     *
     * @param scope the scope that runs the threads
     * @return the last channel; closed when the pipeline finished, closed with the cause if it failed
     * @throws IllegalStateException if the scope is closed
     */
    public Channel<T> start(ChannelScope scope) {
        return wiring.wire(Objects.requireNonNull(scope, "scope"));
    }

    // ------------------------------------------------------------------------------------------------ running

    /** What a terminal operation does with the last channel, in the calling thread. */
    @FunctionalInterface
    private interface Terminal<T> {
        void consume(ChannelScope scope, Channel<T> out, long deadline) throws Exception;
    }

    private static final long NO_DEADLINE = Long.MIN_VALUE;

    // Error Prone's InterruptedInCatchBlock: clearing the status is deliberate; the rethrown exception reports it.
    @SuppressWarnings("InterruptedInCatchBlock")
    private void run(Terminal<T> terminal) throws InterruptedException {
        long start = System.nanoTime();
        long deadline = timeout == null ? NO_DEADLINE : start + PatternSupport.toNanos(timeout);
        ChannelScope scope = threadFactory == null ? ChannelScope.open() : ChannelScope.open(threadFactory);
        try {
            try {
                terminal.consume(scope, wiring.wire(scope), deadline);
            } catch (InterruptedException interrupted) {
                scope.cancelAndAwait();
                Thread.interrupted(); // reported by the exception
                throw interrupted;
            } catch (Throwable failed) {
                scope.fail(failed);
            }
            join(scope, deadline);
        } finally {
            scope.close();
        }
    }

    /** Joins {@code scope}, within what is left until {@code deadline} unless it is {@link #NO_DEADLINE}. */
    private static void join(ChannelScope scope, long deadline) throws InterruptedException {
        if (deadline == NO_DEADLINE) {
            scope.join();
        } else {
            scope.join(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
        }
    }

    /**
     * Takes the next result for a terminal: {@code null} at the end, or when the deadline passed (the scope is then
     * failed with a timeout, which {@code join} reports).
     */
    private <X> X next(ChannelScope scope, Channel<X> out, long deadline) throws InterruptedException {
        if (deadline == NO_DEADLINE) {
            return PatternSupport.take(out);
        }
        X item = PatternSupport.take(out, deadline - System.nanoTime());
        if (item == null && !out.isDone()) {
            scope.timeOut("the pipeline did not finish within " + timeout);
        }
        return item;
    }

    private static void checkCapacity(int capacity) {
        if (capacity < 0) {
            throw new IllegalArgumentException("capacity must be 0 or more, but was " + capacity);
        }
    }

    @Override
    public String toString() {
        return "Pipeline[" + (threadFactory == null ? "virtual threads" : threadFactory)
                + (timeout == null ? "" : ", timeout " + timeout) + "]";
    }
}
