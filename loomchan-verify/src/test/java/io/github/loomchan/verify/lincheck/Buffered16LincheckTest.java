package io.github.loomchan.verify.lincheck;

import io.github.loomchan.verify.RealChannelOps;

/** Lincheck: the non-blocking operations of the real buffered(16) channel are linearizable against {@link LincheckSpec}. */
public class Buffered16LincheckTest extends RealChannelLincheckTest {
    public Buffered16LincheckTest() {
        super(RealChannelOps.of(16), LincheckSpec.Cap16.class);
    }
}
