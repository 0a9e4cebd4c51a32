package io.github.loomchan.verify.lincheck;

import io.github.loomchan.GrowingChannels;
import io.github.loomchan.verify.Budget;
import io.github.loomchan.verify.RealChannelOps;
import org.junit.jupiter.api.Test;

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

    /**
     * More model checking than the shared default budget: at that budget the checker does not reach a growth that
     * races a poll (a mutant that grows without the take lock passed it; it fails this one).
     */
    @Test
    public void modelCheckingWithALargerBudgetFindsEveryGrowthLinearizable() {
        modelChecking(LincheckSpec.Unbounded.class)
                .iterations(Budget.pick(20, 30))
                .invocationsPerIteration(Budget.pick(500, 2_000))
                .check(getClass());
    }
}
