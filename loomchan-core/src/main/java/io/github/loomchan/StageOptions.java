package io.github.loomchan;

/**
 * How a {@link Pipeline} stage runs: how many worker threads it uses, whether it keeps the input order when it uses
 * several, and the capacity of the channel it writes.
 *
 * <pre>{@code
 * pipeline.map(StageOptions.parallel(4), this::parse)                  // 4 workers, input order kept
 *         .map(StageOptions.parallel(8).unordered().capacity(64), this::enrich)
 * }</pre>
 *
 * <p>The defaults ({@link #DEFAULT}): one worker, capacity {@value #DEFAULT_CAPACITY}. With one worker the order is
 * always kept.
 *
 * <p><b>Ordered</b> (the default with several workers): results leave the stage in the order their inputs arrived; a
 * slow item holds back the results after it, at most about {@code 2 * parallelism} items are in progress at once,
 * and the results of one item (several, for {@code flatMap}) are collected in memory before they leave the stage.
 * <b>Unordered</b>: each worker writes its results as soon as they are ready; faster, and the order of results from
 * different inputs is not defined.
 *
 * <p>Instances are immutable and thread-safe; each {@code with}-style method returns a new instance.
 */
public final class StageOptions {
    /** The capacity of a stage's output channel unless {@link #capacity(int)} says otherwise. */
    public static final int DEFAULT_CAPACITY = 16;

    /** One worker, capacity {@value #DEFAULT_CAPACITY}. */
    public static final StageOptions DEFAULT = new StageOptions(1, true, DEFAULT_CAPACITY);

    private final int parallelism;
    private final boolean ordered;
    private final int capacity;

    private StageOptions(int parallelism, boolean ordered, int capacity) {
        this.parallelism = parallelism;
        this.ordered = ordered;
        this.capacity = capacity;
    }

    /**
     * Returns options for a stage with {@code workers} worker threads, keeping the input order, with the default
     * capacity.
     *
     * @param workers the number of worker threads, at least 1
     * @return the options
     * @throws IllegalArgumentException if {@code workers} is less than 1
     */
    public static StageOptions parallel(int workers) {
        return DEFAULT.parallelism(workers);
    }

    /**
     * Returns a copy with {@code workers} worker threads.
     *
     * @param workers the number of worker threads, at least 1
     * @return the new options
     * @throws IllegalArgumentException if {@code workers} is less than 1
     */
    public StageOptions parallelism(int workers) {
        if (workers < 1) {
            throw new IllegalArgumentException("a stage needs at least 1 worker, but " + workers + " were asked for");
        }
        return new StageOptions(workers, ordered, capacity);
    }

    /**
     * Returns a copy whose results may leave the stage in any order.
     *
     * @return the new options
     */
    public StageOptions unordered() {
        return new StageOptions(parallelism, false, capacity);
    }

    /**
     * Returns a copy whose results leave the stage in input order (the default).
     *
     * @return the new options
     */
    public StageOptions ordered() {
        return new StageOptions(parallelism, true, capacity);
    }

    /**
     * Returns a copy whose output channel has the given capacity.
     *
     * @param capacity 0 for a rendezvous channel, {@link Integer#MAX_VALUE} for an unbounded one, otherwise the
     *     number of results that may wait for the next stage
     * @return the new options
     * @throws IllegalArgumentException if {@code capacity} is negative
     */
    public StageOptions capacity(int capacity) {
        if (capacity < 0) {
            throw new IllegalArgumentException("capacity must be 0 or more, but was " + capacity);
        }
        return new StageOptions(parallelism, ordered, capacity);
    }

    /**
     * Returns the number of worker threads.
     *
     * @return at least 1
     */
    public int parallelism() {
        return parallelism;
    }

    /**
     * Returns whether results keep the input order.
     *
     * @return {@code true} if ordered
     */
    public boolean isOrdered() {
        return ordered;
    }

    /**
     * Returns the capacity of the output channel.
     *
     * @return the capacity
     */
    public int capacity() {
        return capacity;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof StageOptions that
                && parallelism == that.parallelism
                && ordered == that.ordered
                && capacity == that.capacity;
    }

    @Override
    public int hashCode() {
        return (parallelism * 31 + capacity) * 2 + (ordered ? 1 : 0);
    }

    @Override
    public String toString() {
        return "StageOptions[parallelism=" + parallelism + (ordered ? ", ordered" : ", unordered") + ", capacity="
                + capacity + "]";
    }
}
