package io.github.loomchan.verify.lincheck;

import io.github.loomchan.verify.RealChannelOps;
import org.junit.jupiter.api.Test;

/** Lincheck: the non-blocking operations of the real rendezvous channel are linearizable against {@link LincheckSpec}. */
public class RendezvousLincheckTest extends ChannelLincheckBase {
    public RendezvousLincheckTest() {
        super(RealChannelOps.of(0));
    }

    @Test
    public void modelCheckingFindsEveryHistoryLinearizable() {
        modelChecking(LincheckSpec.Cap0.class).check(getClass());
    }

    @Test
    public void stressFindsEveryHistoryLinearizable() {
        stress(LincheckSpec.Cap0.class).check(getClass());
    }
}
