package io.github.loomchan.verify.lincheck;

import io.github.loomchan.verify.RealChannelOps;
import org.junit.jupiter.api.Test;

/** Lincheck: the non-blocking operations of the real buffered(16) channel are linearizable against {@link LincheckSpec}. */
public class Buffered16LincheckTest extends ChannelLincheckBase {
    public Buffered16LincheckTest() {
        super(RealChannelOps.of(16));
    }

    @Test
    public void modelCheckingFindsEveryHistoryLinearizable() {
        modelChecking(LincheckSpec.Cap16.class).check(getClass());
    }

    @Test
    public void stressFindsEveryHistoryLinearizable() {
        stress(LincheckSpec.Cap16.class).check(getClass());
    }
}
