package io.github.loomchan.bench;

import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Param;

/**
 * A chain of {@code length} buffered channels with a virtual thread relaying between each two (Kotlin: coroutines); each
 * item takes {@code length} hops. Nanoseconds per hop.
 */
@OperationsPerInvocation(Sizes.CHAIN_HOPS)
public class ChainBufferedBenchmark extends ManyBufferedChannels {
    @Param({"1000", "10000"})
    public int length;

    @Override
    Topology topology() {
        return Topology.CHAIN;
    }

    @Override
    int channels() {
        return length;
    }

    @Override
    int itemsPerInvocation() {
        return Sizes.CHAIN_HOPS;
    }
}
