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
 * A chain of {@code length} buffered channels with a virtual thread relaying between each two (Kotlin: coroutines); each item takes {@code length} hops. Nanoseconds per hop. Thread start-up is included (see {@link Sizes}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@OperationsPerInvocation(Sizes.CHAIN_HOPS)
public class ChainBufferedBenchmark {
    @Param({"1000", "10000"})
    public int length;

    @Param({"16", "100"})
    public int capacity;

    private int items;
    private Pipe[] loomchan;
    private Pipe[] jox;
    private KotlinChannels kotlin;
    private Pipe[] arrayBlockingQueue;
    private Pipe[] linkedBlockingQueue;

    @Setup
    public void setUp() {
        items = Sizes.share(Sizes.CHAIN_HOPS, length);
        loomchan = new Pipe[length];
        jox = new Pipe[length];
        arrayBlockingQueue = new Pipe[length];
        linkedBlockingQueue = new Pipe[length];
        for (int i = 0; i < length; i++) {
            loomchan[i] = Pipe.loomchan(capacity);
            jox[i] = Pipe.jox(capacity);
            arrayBlockingQueue[i] = Pipe.arrayBlockingQueue(capacity);
            linkedBlockingQueue[i] = Pipe.linkedBlockingQueue(capacity);
        }
        kotlin = new KotlinChannels(length, capacity);
    }

    @Benchmark
    public void loomchan() throws InterruptedException {
        Workloads.chain(loomchan, items);
    }

    @Benchmark
    public void jox() throws InterruptedException {
        Workloads.chain(jox, items);
    }

    @Benchmark
    public void kotlin() {
        kotlin.chain(items);
    }

    @Benchmark
    public void arrayBlockingQueue() throws InterruptedException {
        Workloads.chain(arrayBlockingQueue, items);
    }

    @Benchmark
    public void linkedBlockingQueue() throws InterruptedException {
        Workloads.chain(linkedBlockingQueue, items);
    }
}
