package io.github.loomchan.verify.lincheck;

import io.github.loomchan.verify.RealChannelOps;
import org.junit.jupiter.api.Test;

/** Lincheck: the non-blocking operations of the real unbounded channel are linearizable against {@link LincheckSpec}. */
public class UnboundedLincheckTest extends ChannelLincheckBase {
    public UnboundedLincheckTest() {
        super(RealChannelOps.of(Integer.MAX_VALUE));
    }

    @Test
    public void modelCheckingFindsEveryHistoryLinearizable() {
        modelChecking(LincheckSpec.Unbounded.class).check(getClass());
    }

    @Test
    public void stressFindsEveryHistoryLinearizable() {
        stress(LincheckSpec.Unbounded.class).check(getClass());
    }
}
