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
 * Many channels at once, on virtual threads (Kotlin: coroutines): the benchmarks of the peers every such row has
 * (loomchan, jox, Kotlin). {@link ManyBufferedChannels} and {@link ManyRendezvousChannels} add the
 * {@code java.util.concurrent} peers of their kind; a concrete subclass chooses the topology and the number of
 * channels (its own {@code @Param}) and declares the items per invocation. Thread start-up is included (see {@link
 * Sizes}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public abstract class ManyChannels {
    /** Items each invocation moves per channel (chain: per hop), after scaling. */
    int items;

    private Pipe[] loomchan;
    private Pipe[] jox;
    private KotlinChannels kotlin;

    /** How the channels are connected. */
    abstract Topology topology();

    /** How many channels (chain length or number of pairs). */
    abstract int channels();

    /** Items per invocation before scaling: the concrete class's {@code @OperationsPerInvocation}. */
    abstract int itemsPerInvocation();

    /** Every channel's capacity: 0 for rendezvous channels. */
    abstract int capacity();

    /** Makes the {@code java.util.concurrent} peers, {@code count} of each. */
    abstract void setUpQueues(int count);

    @Setup
    public void setUp() {
        int count = channels();
        int capacity = capacity();
        items = Sizes.share(itemsPerInvocation(), count);
        loomchan = Topology.pipes(count, () -> Pipe.loomchan(capacity));
        jox = Topology.pipes(count, () -> Pipe.jox(capacity));
        kotlin = new KotlinChannels(count, capacity);
        setUpQueues(count);
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
}
