package io.github.loomchan.verify.lincheck;

import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.loomchan.verify.NaiveChannel;
import org.junit.jupiter.api.Test;

/**
 * The checker must reject a broken channel (the budget is large because the run stops at the first failure; only a
 * checker that misses the defect pays for all of it): the naive buffered(1) channel with {@code SIZE_COUNTS_ATTEMPTS}.
 */
public class BrokenSizeCountsAttemptsLincheckTest extends ChannelLincheckBase {
    public BrokenSizeCountsAttemptsLincheckTest() {
        super(new NaiveChannel<>(1, NaiveChannel.Defect.SIZE_COUNTS_ATTEMPTS));
    }

    @Test
    public void modelCheckingRejectsIt() {
        assertThrows(AssertionError.class, () -> modelChecking(LincheckSpec.Cap1.class)
                .iterations(100)
                .invocationsPerIteration(500)
                .minimizeFailedScenario(false)
                .check(getClass()));
    }

    @Test
    public void stressRejectsIt() {
        assertThrows(AssertionError.class, () -> stress(LincheckSpec.Cap1.class)
                .iterations(100)
                .invocationsPerIteration(2_000)
                .minimizeFailedScenario(false)
                .check(getClass()));
    }
}
