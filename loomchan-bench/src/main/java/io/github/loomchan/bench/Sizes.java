package io.github.loomchan.bench;

/**
 * How many items each workload moves per benchmark invocation. The constants are the {@code
 * OperationsPerInvocation} of the benchmarks, so JMH reports nanoseconds per item moved (per hop, for chains).
 *
 * <p>Every invocation starts its threads (or coroutines, goroutines) and joins them, so thread start-up is part of
 * the measurement, amortised over the items each thread moves; the counts are chosen so that it stays small for the
 * 1P/1C rows and is stated in docs/benchmarks.md for the many-thread rows.
 *
 * <p>With the system property {@code loomchan.bench.smoke=true} (set by the module's smoke test) every count is
 * divided by {@link #SMOKE_DIVISOR}, so that each benchmark method runs once in milliseconds; the reported numbers
 * are then meaningless, which is fine for a test that only checks that every benchmark executes.
 */
final class Sizes {
    /** Items per invocation of the one-producer/one-consumer, unbounded, async and select rows. */
    static final int PAIR_ITEMS = 100_000;

    /** Items per invocation of the many-producers/many-consumers rows (divisible by 4 and 16). */
    static final int MPMC_ITEMS = 160_000;

    /** Hops per invocation of the chain rows: items = HOPS / length (1,000 or 10,000). */
    static final int CHAIN_HOPS = 1_000_000;

    /** Items per invocation of the independent-pairs rows, over all pairs: per pair = PAIRS_ITEMS / pairs. */
    static final int PAIRS_ITEMS = 1_000_000;

    /** offer+poll pairs per invocation of the uncontended fast path. */
    static final int FAST_PATH_ITEMS = 1_000;

    static final int SMOKE_DIVISOR = 1_000;

    private static final boolean SMOKE = Boolean.getBoolean("loomchan.bench.smoke");

    private Sizes() {}

    /** The count to move for a nominal count: the nominal one, or a tiny one in smoke mode (at least 1). */
    static int scaled(int nominal) {
        return SMOKE ? Math.max(1, nominal / SMOKE_DIVISOR) : nominal;
    }

    /** The nominal per-thread share of {@code total} over {@code parties}, scaled; at least 1. */
    static int share(int total, int parties) {
        if (total % parties != 0) {
            throw new IllegalArgumentException(total + " items do not divide evenly over " + parties);
        }
        return Math.max(1, scaled(total) / parties);
    }
}
