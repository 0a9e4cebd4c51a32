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
 * {@code pairs} independent rendezvous channels, each with its own producer and consumer virtual thread (Kotlin: coroutines), all at once. Nanoseconds per item (over all pairs). Thread start-up is included (see {@link Sizes}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@OperationsPerInvocation(Sizes.PAIRS_ITEMS)
public class PairsRendezvousBenchmark {
    @Param({"1000", "10000"})
    public int pairs;

    private int items;
    private Pipe[] loomchan;
    private Pipe[] jox;
    private KotlinChannels kotlin;
    private Pipe[] synchronousQueue;
    private Pipe[] linkedTransferQueue;

    @Setup
    public void setUp() {
        items = Sizes.share(Sizes.PAIRS_ITEMS, pairs);
        loomchan = new Pipe[pairs];
        jox = new Pipe[pairs];
        synchronousQueue = new Pipe[pairs];
        linkedTransferQueue = new Pipe[pairs];
        for (int i = 0; i < pairs; i++) {
            loomchan[i] = Pipe.loomchan(0);
            jox[i] = Pipe.jox(0);
            synchronousQueue[i] = Pipe.synchronousQueue();
            linkedTransferQueue[i] = Pipe.linkedTransferQueueTransfer();
        }
        kotlin = new KotlinChannels(pairs, 0);
    }

    @Benchmark
    public void loomchan() throws InterruptedException {
        Workloads.pairs(loomchan, items);
    }

    @Benchmark
    public void jox() throws InterruptedException {
        Workloads.pairs(jox, items);
    }

    @Benchmark
    public void kotlin() {
        kotlin.pairs(items);
    }

    @Benchmark
    public void synchronousQueue() throws InterruptedException {
        Workloads.pairs(synchronousQueue, items);
    }

    @Benchmark
    public void linkedTransferQueue() throws InterruptedException {
        Workloads.pairs(linkedTransferQueue, items);
    }
}
