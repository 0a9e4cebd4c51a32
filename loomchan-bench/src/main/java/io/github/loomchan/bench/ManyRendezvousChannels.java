package io.github.loomchan.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Many rendezvous channels at once, on virtual threads (Kotlin: coroutines), one benchmark per peer:
 * SynchronousQueue, LinkedTransferQueue's {@code transfer}, jox, Kotlin. A subclass chooses the topology and the
 * number of channels (its own {@code @Param}) and declares the items per invocation. Thread start-up is included
 * (see {@link Sizes}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public abstract class ManyRendezvousChannels {
    private int items;
    private Pipe[] loomchan;
    private Pipe[] jox;
    private KotlinChannels kotlin;
    private Pipe[] synchronousQueue;
    private Pipe[] linkedTransferQueue;

    /** How the channels are connected. */
    abstract Topology topology();

    /** How many channels (chain length or number of pairs). */
    abstract int channels();

    /** Items per invocation before scaling: the subclass's {@code @OperationsPerInvocation}. */
    abstract int itemsPerInvocation();

    @Setup
    public void setUp() {
        int count = channels();
        items = Sizes.share(itemsPerInvocation(), count);
        loomchan = Topology.pipes(count, () -> Pipe.loomchan(0));
        jox = Topology.pipes(count, () -> Pipe.jox(0));
        synchronousQueue = Topology.pipes(count, Pipe::synchronousQueue);
        linkedTransferQueue = Topology.pipes(count, Pipe::linkedTransferQueueTransfer);
        kotlin = new KotlinChannels(count, 0);
    }

    @Benchmark
    public void loomchan() throws InterruptedException {
        topology().run(loomchan, items);
    }

    @Benchmark
    public void jox() throws InterruptedException {
        topology().run(jox, items);
    }

    @Benchmark
    public void kotlin() {
        topology().run(kotlin, items);
    }

    @Benchmark
    public void synchronousQueue() throws InterruptedException {
        topology().run(synchronousQueue, items);
    }

    @Benchmark
    public void linkedTransferQueue() throws InterruptedException {
        topology().run(linkedTransferQueue, items);
    }
}
