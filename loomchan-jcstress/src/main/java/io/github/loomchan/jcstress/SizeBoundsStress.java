package io.github.loomchan.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import io.github.loomchan.Channel;
import java.util.concurrent.CompletableFuture;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

/**
 * Claim: size() is exact, never below 0 nor above the capacity, even while puts and gets race; it reads one value
 * the buffer really held. Two actors each (jcstress cannot schedule more on a two-core machine).
 */
public final class SizeBoundsStress {
    private SizeBoundsStress() {}

    /**
     * buffered(1) holds one item and a putter waits (a pending putAsync); a poll takes the item and moves the
     * waiting putter's item into the freed slot in the same step. A reader racing it must always see exactly one
     * item: a transient 0 (count decremented, then incremented) or 2 would be a size the buffer never held.
     * r1: the polled item; r2: size(); r3: isFull().
     */
    @JCStressTest
    @Outcome(id = "1, 1, 1", expect = ACCEPTABLE, desc = "one item before and after the poll-and-refill")
    @Outcome(expect = FORBIDDEN, desc = "a size the buffer never held")
    @State
    public static class RefillDuringPoll {
        final Channel<Integer> channel = Channel.buffered(1);
        final CompletableFuture<Void> waitingPut;

        public RefillDuringPoll() {
            channel.offer(1);
            waitingPut = channel.putAsync(2);
        }

        @Actor
        public void getter(III_Result r) {
            Integer item = channel.poll();
            r.r1 = item == null ? -1 : item;
        }

        @Actor
        public void reader(III_Result r) {
            r.r2 = channel.size();
            r.r3 = channel.isFull() ? 1 : 0;
        }
    }

    /**
     * buffered(2) starts empty; one actor puts two items and takes them back while the other reads size twice.
     * r1, r2: the sizes read; r3: what the mutator took (2 items = 2).
     */
    @JCStressTest
    @Outcome(
            id = {"0, 0, 2", "0, 1, 2", "0, 2, 2", "1, 1, 2", "1, 2, 2", "2, 2, 2", "1, 0, 2", "2, 1, 2", "2, 0, 2"},
            expect = ACCEPTABLE,
            desc = "sizes within [0, 2]")
    @Outcome(expect = FORBIDDEN, desc = "a size outside [0, capacity]")
    @State
    public static class FillAndDrainAgainstAReader {
        final Channel<Integer> channel = Channel.buffered(2);

        @Actor
        public void mutator(III_Result r) {
            channel.offer(1);
            channel.offer(2);
            channel.offer(3); // full: refused
            int taken = 0;
            while (channel.poll() != null) {
                taken++;
            }
            r.r3 = taken;
        }

        @Actor
        public void reader(III_Result r) {
            r.r1 = channel.size();
            r.r2 = channel.size();
        }
    }
}
