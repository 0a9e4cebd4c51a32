package io.github.loomchan.verify.lincheck;

import io.github.loomchan.GrowingChannels;
import io.github.loomchan.verify.RealChannelOps;

/**
 * Lincheck: the non-blocking operations of an unbounded channel whose ring starts at one slot are linearizable
 * against {@link LincheckSpec}: every second, fourth and eighth item of a scenario grows the ring (a put that finds it
 * full takes the take lock and doubles it), so the model checker interleaves growths with gets, drains, size reads and
 * close.
 */
public class UnboundedGrowingLincheckTest extends RealChannelLincheckTest {
    public UnboundedGrowingLincheckTest() {
        super(new RealChannelOps<>(GrowingChannels.unboundedWithRing(1)), LincheckSpec.Unbounded.class);
    }
}
