package io.github.loomchan.verify.lincheck;

import io.github.loomchan.verify.RealChannelOps;

/** Lincheck: the non-blocking operations of the real buffered(2) channel are linearizable against {@link LincheckSpec}. */
public class Buffered2LincheckTest extends RealChannelLincheckTest {
    public Buffered2LincheckTest() {
        super(RealChannelOps.of(2), LincheckSpec.Cap2.class);
    }
}
