package io.github.loomchan.verify.lincheck;

import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.loomchan.verify.NaiveChannel;
import org.junit.jupiter.api.Test;

/**
 * The checks a broken channel must fail: Lincheck's model checker and its stress mode must each reject the naive
 * buffered(1) channel with one defect (the budget is large because the run stops at the first failure; only a checker
 * that misses the defect pays for all of it). A subclass per defect.
 */
public abstract class BrokenChannelLincheckTest extends ChannelLincheckBase {
    protected BrokenChannelLincheckTest(NaiveChannel.Defect defect) {
        super(new NaiveChannel<>(1, defect));
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
