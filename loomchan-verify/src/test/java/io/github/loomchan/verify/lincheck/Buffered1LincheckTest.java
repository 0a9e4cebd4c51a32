package io.github.loomchan.verify.lincheck;

import io.github.loomchan.verify.RealChannelOps;

/** Lincheck: the non-blocking operations of the real buffered(1) channel are linearizable against {@link LincheckSpec}. */
public class Buffered1LincheckTest extends RealChannelLincheckTest {
    public Buffered1LincheckTest() {
        super(RealChannelOps.of(1), LincheckSpec.Cap1.class);
    }
}
