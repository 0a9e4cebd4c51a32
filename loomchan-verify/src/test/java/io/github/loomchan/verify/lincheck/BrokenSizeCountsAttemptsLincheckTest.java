package io.github.loomchan.verify.lincheck;

import io.github.loomchan.verify.NaiveChannel;

/** Lincheck must reject the naive buffered(1) channel with {@code SIZE_COUNTS_ATTEMPTS}. */
public class BrokenSizeCountsAttemptsLincheckTest extends BrokenChannelLincheckTest {
    public BrokenSizeCountsAttemptsLincheckTest() {
        super(NaiveChannel.Defect.SIZE_COUNTS_ATTEMPTS);
    }
}
