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
 * {@code parties} producers and as many consumers, virtual threads (Kotlin: coroutines), on one buffered(100)
 * channel. Nanoseconds per item. {@link java.util.concurrent.LinkedTransferQueue} is unbounded: a reference.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@OperationsPerInvocation(Sizes.MPMC_ITEMS)
public class MpmcBenchmark {
    private static final int CAPACITY = 100;

    @Param({"4", "16"})
    public int parties;

    private int itemsEach;
    private Pipe loomchan;
    private Pipe jox;
    private KotlinChannels kotlin;
    private Pipe arrayBlockingQueue;
    private Pipe linkedBlockingQueue;
    private Pipe linkedTransferQueue;

    @Setup
    public void setUp() {
        itemsEach = Sizes.share(Sizes.MPMC_ITEMS, parties);
        loomchan = Pipe.loomchan(CAPACITY);
        jox = Pipe.jox(CAPACITY);
        kotlin = new KotlinChannels(1, CAPACITY);
        arrayBlockingQueue = Pipe.arrayBlockingQueue(CAPACITY);
        linkedBlockingQueue = Pipe.linkedBlockingQueue(CAPACITY);
        linkedTransferQueue = Pipe.linkedTransferQueue();
    }

    @Benchmark
    public void loomchan() throws InterruptedException {
        Workloads.mpmc(loomchan, parties, itemsEach);
    }

    @Benchmark
    public void jox() throws InterruptedException {
        Workloads.mpmc(jox, parties, itemsEach);
    }

    @Benchmark
    public void kotlin() {
        kotlin.mpmc(parties, itemsEach);
    }

    @Benchmark
    public void arrayBlockingQueue() throws InterruptedException {
        Workloads.mpmc(arrayBlockingQueue, parties, itemsEach);
    }

    @Benchmark
    public void linkedBlockingQueue() throws InterruptedException {
        Workloads.mpmc(linkedBlockingQueue, parties, itemsEach);
    }

    @Benchmark
    public void linkedTransferQueue() throws InterruptedException {
        Workloads.mpmc(linkedTransferQueue, parties, itemsEach);
    }
}
