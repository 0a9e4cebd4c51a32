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
 * The experiment behind ADR 0003 with many producers and consumers (virtual threads, buffered(100)): loomchan's
 * one-lock channel, {@link SplitLockPrototype} and ArrayBlockingQueue in the same run. Nanoseconds per item. Left out
 * of bench/run unless its regex names "Experiment"; results in docs/performance-notes.md, section 7.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@OperationsPerInvocation(Sizes.MPMC_ITEMS)
public class SplitLockMpmcExperimentBenchmark {
    private static final int CAPACITY = 100;

    @Param({"4", "16"})
    public int parties;

    private int itemsEach;
    private Pipe loomchan;
    private Pipe splitLock;
    private Pipe arrayBlockingQueue;

    @Setup
    public void setUp() {
        itemsEach = Sizes.share(Sizes.MPMC_ITEMS, parties);
        loomchan = Pipe.loomchan(CAPACITY);
        splitLock = Pipe.splitLockPrototype(CAPACITY);
        arrayBlockingQueue = Pipe.arrayBlockingQueue(CAPACITY);
    }

    @Benchmark
    public void loomchan() throws InterruptedException {
        Workloads.mpmc(loomchan, parties, itemsEach);
    }

    @Benchmark
    public void splitLock() throws InterruptedException {
        Workloads.mpmc(splitLock, parties, itemsEach);
    }

    @Benchmark
    public void arrayBlockingQueue() throws InterruptedException {
        Workloads.mpmc(arrayBlockingQueue, parties, itemsEach);
    }
}
