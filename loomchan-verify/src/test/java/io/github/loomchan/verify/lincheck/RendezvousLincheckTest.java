package io.github.loomchan.verify.lincheck;

import io.github.loomchan.verify.RealChannelOps;

/** Lincheck: the non-blocking operations of the real rendezvous channel are linearizable against {@link LincheckSpec}. */
public class RendezvousLincheckTest extends RealChannelLincheckTest {
    public RendezvousLincheckTest() {
        super(RealChannelOps.of(0), LincheckSpec.Cap0.class);
    }
}
