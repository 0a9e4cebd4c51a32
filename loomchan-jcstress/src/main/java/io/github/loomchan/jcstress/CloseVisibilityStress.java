package io.github.loomchan.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import io.github.loomchan.Channel;
import io.github.loomchan.ChannelClosedException;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

/**
 * Claim: actions before close() happen-before actions after any operation that reports the channel closed, and a
 * "closed" answer is never followed by isClosed() == false. The closer writes a plain field, then closes; the other
 * actor tries a put (rendezvous: it can only fail, full or closed).
 */
@JCStressTest
@Outcome(id = "0, -1, -1", expect = ACCEPTABLE, desc = "the put ran before the close: full")
@Outcome(id = "1, 1, 1", expect = ACCEPTABLE, desc = "closed, with the closer's write and isClosed visible")
@Outcome(expect = FORBIDDEN, desc = "closed reported without the writes before close, or isClosed() false after")
@State
public class CloseVisibilityStress {
    final Channel<Integer> channel = Channel.rendezvous();
    int written;

    @Actor
    public void closer() {
        written = 1;
        channel.close();
    }

    @Actor
    public void putter(III_Result r) {
        try {
            channel.offer(1);
            r.r1 = 0;
            r.r2 = -1;
            r.r3 = -1;
        } catch (ChannelClosedException e) {
            r.r1 = 1;
            r.r2 = written;
            r.r3 = channel.isClosed() ? 1 : 0;
        }
    }
}
