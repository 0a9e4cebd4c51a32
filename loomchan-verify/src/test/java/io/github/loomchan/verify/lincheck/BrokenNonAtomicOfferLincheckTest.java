package io.github.loomchan.verify.lincheck;

import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.loomchan.verify.NaiveChannel;
import org.junit.jupiter.api.Test;

/** The checker must reject a broken channel: the naive buffered(1) channel with {@code NON_ATOMIC_OFFER}. */
public class BrokenNonAtomicOfferLincheckTest extends ChannelLincheckBase {
    public BrokenNonAtomicOfferLincheckTest() {
        super(new NaiveChannel<>(1, NaiveChannel.Defect.NON_ATOMIC_OFFER));
    }

    @Test
    public void modelCheckingRejectsIt() {
        assertThrows(AssertionError.class, () -> modelChecking(LincheckSpec.Cap1.class)
                .minimizeFailedScenario(false)
                .check(getClass()));
    }

    @Test
    public void stressRejectsIt() {
        assertThrows(AssertionError.class, () -> stress(LincheckSpec.Cap1.class)
                .minimizeFailedScenario(false)
                .check(getClass()));
    }
}
