package io.github.loomchan.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import io.github.loomchan.Channel;
import java.util.concurrent.CompletableFuture;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * Claim: a close and the withdrawal of a pending operation are ordered as one step: once anybody has seen the channel
 * closed, a get that was pending at the close can no longer be cancelled (the close ended it). The lock-free
 * rendezvous channel sets its closed flag before it claims the waiters, so this checks the rules that hide that gap
 * (RendezvousChannel, "Closing": whoever reads the flag finishes the close; a withdrawal reads the flag first).
 */
@JCStressTest
@Outcome(id = "0, 1", expect = ACCEPTABLE, desc = "cancelled before the close")
@Outcome(id = "0, 0", expect = ACCEPTABLE, desc = "open when looked at, then ended by the close before the cancel")
@Outcome(id = "1, 0", expect = ACCEPTABLE, desc = "seen closed: the close ended the get, the cancel fails")
@Outcome(id = "1, 1", expect = FORBIDDEN, desc = "seen closed, and yet the get pending at the close was cancelled")
@State
public class CloseVersusWithdrawStress {
    final Channel<Integer> channel = Channel.rendezvous();
    final CompletableFuture<Integer> pending = channel.getAsync();

    @Actor
    public void closer() {
        channel.close();
    }

    @Actor
    public void observer(II_Result r) {
        r.r1 = channel.isClosed() ? 1 : 0;
        r.r2 = pending.cancel(false) ? 1 : 0;
    }
}
