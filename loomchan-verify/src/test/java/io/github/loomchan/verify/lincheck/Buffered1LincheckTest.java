package io.github.loomchan.verify.lincheck;

import io.github.loomchan.verify.RealChannelOps;
import org.junit.jupiter.api.Test;

/** Lincheck: the non-blocking operations of the real buffered(1) channel are linearizable against {@link LincheckSpec}. */
public class Buffered1LincheckTest extends ChannelLincheckBase {
    public Buffered1LincheckTest() {
        super(RealChannelOps.of(1));
    }

    @Test
    public void modelCheckingFindsEveryHistoryLinearizable() {
        modelChecking(LincheckSpec.Cap1.class).check(getClass());
    }

    @Test
    public void stressFindsEveryHistoryLinearizable() {
        stress(LincheckSpec.Cap1.class).check(getClass());
    }
}
