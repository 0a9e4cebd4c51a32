package io.github.loomchan.verify.lincheck;

import io.github.loomchan.verify.RealChannelOps;
import org.junit.jupiter.api.Test;

/** Lincheck: the non-blocking operations of the real buffered(2) channel are linearizable against {@link LincheckSpec}. */
public class Buffered2LincheckTest extends ChannelLincheckBase {
    public Buffered2LincheckTest() {
        super(RealChannelOps.of(2));
    }

    @Test
    public void modelCheckingFindsEveryHistoryLinearizable() {
        modelChecking(LincheckSpec.Cap2.class).check(getClass());
    }

    @Test
    public void stressFindsEveryHistoryLinearizable() {
        stress(LincheckSpec.Cap2.class).check(getClass());
    }
}
