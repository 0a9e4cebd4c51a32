package io.github.loomchan.verify.lincheck;

import io.github.loomchan.verify.NaiveChannel;
import org.junit.jupiter.api.Test;

/** Control: Lincheck accepts a correct channel that shares no code with the real one (naive, buffered(2)). */
public class NaiveChannelLincheckTest extends ChannelLincheckBase {
    public NaiveChannelLincheckTest() {
        super(new NaiveChannel<>(2, NaiveChannel.Defect.NONE));
    }

    @Test
    public void modelCheckingAcceptsTheCorrectNaiveChannel() {
        modelChecking(LincheckSpec.Cap2.class).check(getClass());
    }
}
