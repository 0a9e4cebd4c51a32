package io.github.loomchan.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The experiment behind ADR 0003: one producer and one consumer on virtual threads, through loomchan's buffered
 * channel (one lock), through {@link SplitLockPrototype} (a put lock and a take lock) and through a Kotlin channel
 * (coroutines), in the same run. Nanoseconds per item. bench/run leaves it out unless its regex names
 * "Experiment" (e.g. {@code bench/run --quick --no-go --no-footprint --no-redis Experiment}); results are in
 * docs/performance-notes.md, section 7.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@OperationsPerInvocation(Sizes.PAIR_ITEMS)
public class SplitLockExperimentBenchmark {
    @Param({"1", "16", "100", "1024"})
    public int capacity;

    private int items;
    private Pipe loomchan;
    private Pipe splitLock;
    private KotlinChannels kotlin;

    @Setup
    public void setUp() {
        items = Sizes.scaled(Sizes.PAIR_ITEMS);
        loomchan = Pipe.loomchan(capacity);
        splitLock = Pipe.splitLockPrototype(capacity);
        kotlin = new KotlinChannels(1, capacity);
    }

    @Benchmark
    public void loomchan() throws InterruptedException {
        Workloads.pair(loomchan, items, true);
    }

    @Benchmark
    public void splitLock() throws InterruptedException {
        Workloads.pair(splitLock, items, true);
    }

    @Benchmark
    public void kotlin() {
        kotlin.pair(items);
    }
}
