package io.github.loomchan.bench;

import io.github.loomchan.Channel;
import java.util.Queue;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.LinkedTransferQueue;
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
import org.openjdk.jmh.infra.Blackhole;

/**
 * The uncontended fast path: one thread offers an item to an empty buffered(16) channel and polls it back (Kotlin:
 * {@code trySend}/{@code tryReceive}; jox 1.0.1 has no non-blocking operations, so it uses send/receive, which do
 * not wait here). Nanoseconds per item (one offer plus one poll); {@code -prof gc} shows whether it allocates.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@OperationsPerInvocation(Sizes.FAST_PATH_ITEMS)
public class FastPathBenchmark {
    private static final int CAPACITY = 16;

    private int items;
    private Channel<Object> loomchan;
    private com.softwaremill.jox.Channel<Object> jox;
    private KotlinChannels kotlin;
    private Queue<Object> arrayBlockingQueue;
    private Queue<Object> linkedBlockingQueue;
    private Queue<Object> linkedTransferQueue;

    @Setup
    public void setUp() {
        items = Sizes.scaled(Sizes.FAST_PATH_ITEMS);
        loomchan = Channel.buffered(CAPACITY);
        jox = com.softwaremill.jox.Channel.newBufferedChannel(CAPACITY);
        kotlin = new KotlinChannels(1, CAPACITY);
        arrayBlockingQueue = new ArrayBlockingQueue<>(CAPACITY);
        linkedBlockingQueue = new LinkedBlockingQueue<>(CAPACITY);
        linkedTransferQueue = new LinkedTransferQueue<>();
    }

    @Benchmark
    public void loomchan(Blackhole blackhole) {
        for (int i = 0; i < items; i++) {
            blackhole.consume(loomchan.offer(Workloads.ITEM));
            blackhole.consume(loomchan.poll());
        }
    }

    @Benchmark
    public void jox(Blackhole blackhole) throws InterruptedException {
        for (int i = 0; i < items; i++) {
            jox.send(Workloads.ITEM);
            blackhole.consume(jox.receive());
        }
    }

    @Benchmark
    public void kotlin(Blackhole blackhole) {
        for (int i = 0; i < items; i++) {
            blackhole.consume(kotlin.offerPoll());
        }
    }

    @Benchmark
    public void arrayBlockingQueue(Blackhole blackhole) {
        offerPoll(arrayBlockingQueue, blackhole);
    }

    @Benchmark
    public void linkedBlockingQueue(Blackhole blackhole) {
        offerPoll(linkedBlockingQueue, blackhole);
    }

    @Benchmark
    public void linkedTransferQueue(Blackhole blackhole) {
        offerPoll(linkedTransferQueue, blackhole);
    }

    private void offerPoll(Queue<Object> queue, Blackhole blackhole) {
        for (int i = 0; i < items; i++) {
            blackhole.consume(queue.offer(Workloads.ITEM));
            blackhole.consume(queue.poll());
        }
    }
}
