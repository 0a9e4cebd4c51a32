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
 * One producer and one consumer on a rendezvous channel, virtual threads (Kotlin: coroutines on Dispatchers.Default). Nanoseconds per item.
 * {@link java.util.concurrent.LinkedTransferQueue} puts with {@code transfer}, which waits for the taker.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@OperationsPerInvocation(Sizes.PAIR_ITEMS)
public class RendezvousPairBenchmark {
    private int items;
    private Pipe loomchan;
    private Pipe jox;
    private Pipe synchronousQueue;
    private Pipe synchronousQueueFair;
    private Pipe linkedTransferQueue;
    private KotlinChannels kotlin;
    private Pipe sentinelFree;

    @Setup
    public void setUp() {
        items = Sizes.scaled(Sizes.PAIR_ITEMS);
        loomchan = Pipe.loomchan(0);
        jox = Pipe.jox(0);
        synchronousQueue = Pipe.synchronousQueue();
        synchronousQueueFair = Pipe.synchronousQueueFair();
        linkedTransferQueue = Pipe.linkedTransferQueueTransfer();
        kotlin = new KotlinChannels(1, 0);
        sentinelFree = new SentinelFreeHandoff();
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
    public void synchronousQueue() throws InterruptedException {
        Workloads.pair(synchronousQueue, items, true);
    }

    @Benchmark
    public void synchronousQueueFair() throws InterruptedException {
        Workloads.pair(synchronousQueueFair, items, true);
    }

    @Benchmark
    public void linkedTransferQueue() throws InterruptedException {
        Workloads.pair(linkedTransferQueue, items, true);
    }

    /**
     * Not a peer: the benchmark-only prototype of a FIFO dual queue without a sentinel ({@link SentinelFreeHandoff}),
     * which bench/run skips unless asked for by name (performance notes section 24).
     */
    @Benchmark
    public void sentinelFreeExperiment() throws InterruptedException {
        Workloads.pair(sentinelFree, items, true);
    }
}
