package io.github.loomchan.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One producer and one consumer on an unbounded channel or queue, virtual threads (Kotlin: coroutines, {@code
 * Channel.UNLIMITED}). Nanoseconds per item. The producer never waits; the consumer waits when it has caught up.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@OperationsPerInvocation(Sizes.PAIR_ITEMS)
public class UnboundedBenchmark {
    private int items;
    private Pipe loomchan;
    private Pipe jox;
    private KotlinChannels kotlin;
    private Pipe linkedTransferQueue;
    private Pipe linkedBlockingQueue;

    @Setup
    public void setUp() {
        items = Sizes.scaled(Sizes.PAIR_ITEMS);
        loomchan = Pipe.loomchan(Integer.MAX_VALUE);
        jox = Pipe.jox(Integer.MAX_VALUE);
        kotlin = new KotlinChannels(1, Integer.MAX_VALUE);
        linkedTransferQueue = Pipe.linkedTransferQueue();
        linkedBlockingQueue = Pipe.linkedBlockingQueue(Integer.MAX_VALUE);
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
    public void linkedTransferQueue() throws InterruptedException {
        Workloads.pair(linkedTransferQueue, items, true);
    }

    @Benchmark
    public void linkedBlockingQueue() throws InterruptedException {
        Workloads.pair(linkedBlockingQueue, items, true);
    }
}
