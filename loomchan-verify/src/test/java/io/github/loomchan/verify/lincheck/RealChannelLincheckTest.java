package io.github.loomchan.verify.lincheck;

import io.github.loomchan.verify.ChannelOps;
import org.junit.jupiter.api.Test;

/**
 * The two Lincheck checks every real channel kind must pass: model checking and stress, each against the {@link
 * LincheckSpec} of that kind's capacity. A subclass per kind names the channel and the spec (Lincheck creates a fresh
 * instance of the test class, with its no-argument constructor, for every scenario it runs).
 */
public abstract class RealChannelLincheckTest extends ChannelLincheckBase {
    private final Class<? extends LincheckSpec> spec;

    protected RealChannelLincheckTest(ChannelOps<Integer> channel, Class<? extends LincheckSpec> spec) {
        super(channel);
        this.spec = spec;
    }

    @Test
    public void modelCheckingFindsEveryHistoryLinearizable() {
        modelChecking(spec).check(getClass());
    }

    @Test
    public void stressFindsEveryHistoryLinearizable() {
        stress(spec).check(getClass());
    }
}
