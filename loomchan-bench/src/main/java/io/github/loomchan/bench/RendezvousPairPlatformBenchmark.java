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
 * One producer and one consumer on a rendezvous channel, platform threads (no Kotlin column: coroutines do not run one per platform thread). Nanoseconds per item.
 * {@link java.util.concurrent.LinkedTransferQueue} puts with {@code transfer}, which waits for the taker.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@OperationsPerInvocation(Sizes.PAIR_ITEMS)
public class RendezvousPairPlatformBenchmark {
    private int items;
    private Pipe loomchan;
    private Pipe jox;
    private Pipe synchronousQueue;
    private Pipe synchronousQueueFair;
    private Pipe linkedTransferQueue;

    @Setup
    public void setUp() {
        items = Sizes.scaled(Sizes.PAIR_ITEMS);
        loomchan = Pipe.loomchan(0);
        jox = Pipe.jox(0);
        synchronousQueue = Pipe.synchronousQueue();
        synchronousQueueFair = Pipe.synchronousQueueFair();
        linkedTransferQueue = Pipe.linkedTransferQueueTransfer();
    }

    @Benchmark
    public void loomchan() throws InterruptedException {
        Workloads.pair(loomchan, items, false);
    }

    @Benchmark
    public void jox() throws InterruptedException {
        Workloads.pair(jox, items, false);
    }

    @Benchmark
    public void synchronousQueue() throws InterruptedException {
        Workloads.pair(synchronousQueue, items, false);
    }

    @Benchmark
    public void synchronousQueueFair() throws InterruptedException {
        Workloads.pair(synchronousQueueFair, items, false);
    }

    @Benchmark
    public void linkedTransferQueue() throws InterruptedException {
        Workloads.pair(linkedTransferQueue, items, false);
    }
}
