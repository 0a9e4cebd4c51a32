package io.github.loomchan.jcstress.broken;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import io.github.loomchan.Channel;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.I_Result;

/**
 * The control for {@code SizeBoundsStress}: a deliberately broken size, kept only here. It counts put
 * <i>attempts</i> in a separate field before the put and takes them back if the put fails (what a channel without
 * completion counters would report), so a reader can see 2 items in a full buffered(1) channel. The stress profile
 * runs this test expecting jcstress to FAIL it; if it ever passes, the litmus setup has lost its power to see the
 * bug.
 */
@JCStressTest
@Outcome(id = "1", expect = ACCEPTABLE, desc = "the size the buffer holds")
@Outcome(expect = FORBIDDEN, desc = "a size above the capacity: the defect, seen")
@State
public class BrokenSizeStress {
    final Channel<Integer> channel = Channel.buffered(1);
    volatile int attempts;

    public BrokenSizeStress() {
        channel.offer(0);
        attempts = 1;
    }

    @Actor
    public void putter() {
        attempts = attempts + 1; // the defect: counted before the put succeeded
        if (!channel.offer(1)) {
            attempts = attempts - 1;
        }
    }

    @Actor
    public void reader(I_Result r) {
        r.r1 = attempts;
    }
}
