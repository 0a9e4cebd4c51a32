package io.github.loomchan.bench;

import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Param;

/**
 * {@code pairs} independent rendezvous channels, each with its own producer and consumer virtual thread (Kotlin:
 * coroutines), all at once. Nanoseconds per item (over all pairs).
 */
@OperationsPerInvocation(Sizes.PAIRS_ITEMS)
public class PairsRendezvousBenchmark extends ManyRendezvousChannels {
    @Param({"1000", "10000"})
    public int pairs;

    @Override
    Topology topology() {
        return Topology.PAIRS;
    }

    @Override
    int channels() {
        return pairs;
    }

    @Override
    int itemsPerInvocation() {
        return Sizes.PAIRS_ITEMS;
    }
}
