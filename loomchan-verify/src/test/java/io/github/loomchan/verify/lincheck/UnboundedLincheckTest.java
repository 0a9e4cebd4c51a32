package io.github.loomchan.verify.lincheck;

import io.github.loomchan.verify.RealChannelOps;

/** Lincheck: the non-blocking operations of the real unbounded channel are linearizable against {@link LincheckSpec}. */
public class UnboundedLincheckTest extends RealChannelLincheckTest {
    public UnboundedLincheckTest() {
        super(RealChannelOps.of(Integer.MAX_VALUE), LincheckSpec.Unbounded.class);
    }
}
