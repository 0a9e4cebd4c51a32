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
 * One producer and one consumer on a buffered channel, virtual threads (Kotlin: coroutines on Dispatchers.Default). Nanoseconds per item.
 * {@link java.util.concurrent.LinkedTransferQueue} is unbounded: a reference, not a bounded peer.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@OperationsPerInvocation(Sizes.PAIR_ITEMS)
public class BufferedPairBenchmark {
    @Param({"1", "16", "100", "1024"})
    public int capacity;

    private int items;
    private Pipe loomchan;
    private Pipe jox;
    private Pipe arrayBlockingQueue;
    private Pipe linkedBlockingQueue;
    private Pipe linkedTransferQueue;
    private KotlinChannels kotlin;

    @Setup
    public void setUp() {
        items = Sizes.scaled(Sizes.PAIR_ITEMS);
        loomchan = Pipe.loomchan(capacity);
        jox = Pipe.jox(capacity);
        arrayBlockingQueue = Pipe.arrayBlockingQueue(capacity);
        linkedBlockingQueue = Pipe.linkedBlockingQueue(capacity);
        linkedTransferQueue = Pipe.linkedTransferQueue();
        kotlin = new KotlinChannels(1, capacity);
    }

    @Benchmark
    public void loomchan() throws InterruptedException {
        Workloads.pair(loomchan, items, true);
    }

    @Benchmark
    public void jox() throws InterruptedException {
        Workloads.pair(jox, items, true);
    }

    @Benchmark
    public void kotlin() {
        kotlin.pair(items);
    }

    @Benchmark
    public void arrayBlockingQueue() throws InterruptedException {
        Workloads.pair(arrayBlockingQueue, items, true);
    }

    @Benchmark
    public void linkedBlockingQueue() throws InterruptedException {
        Workloads.pair(linkedBlockingQueue, items, true);
    }

    @Benchmark
    public void linkedTransferQueue() throws InterruptedException {
        Workloads.pair(linkedTransferQueue, items, true);
    }
}
