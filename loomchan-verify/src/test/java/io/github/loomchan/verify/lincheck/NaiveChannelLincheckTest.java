package io.github.loomchan.verify.lincheck;

import io.github.loomchan.verify.NaiveChannel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Control: Lincheck accepts a correct channel that shares no code with the real one (naive, buffered(2)). Runs only
 * under -Pstress, to keep the default build short; the history checker's control runs in every build.
 */
public class NaiveChannelLincheckTest extends ChannelLincheckBase {
    public NaiveChannelLincheckTest() {
        super(new NaiveChannel<>(2, NaiveChannel.Defect.NONE));
    }

    @Test
    @EnabledIfSystemProperty(named = "loomchan.verify.budget", matches = "stress")
    public void modelCheckingAcceptsTheCorrectNaiveChannel() {
        modelChecking(LincheckSpec.Cap2.class).check(getClass());
    }
}
