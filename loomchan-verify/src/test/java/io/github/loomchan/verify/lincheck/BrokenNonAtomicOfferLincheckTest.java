package io.github.loomchan.verify.lincheck;

import io.github.loomchan.verify.NaiveChannel;

/** Lincheck must reject the naive buffered(1) channel with {@code NON_ATOMIC_OFFER}. */
public class BrokenNonAtomicOfferLincheckTest extends BrokenChannelLincheckTest {
    public BrokenNonAtomicOfferLincheckTest() {
        super(NaiveChannel.Defect.NON_ATOMIC_OFFER);
    }
}
