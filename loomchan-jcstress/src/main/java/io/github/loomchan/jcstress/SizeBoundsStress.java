package io.github.loomchan.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import io.github.loomchan.Channel;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

/**
 * Claim: size() is exact, never below 0 nor above the capacity, even while puts and gets race. buffered(1) starts
 * with one item; one actor takes it, two try to put; the reader records size() twice and isFull(). The lock-free
 * read of the count sees only values the buffer really held: 0 or 1.
 */
@JCStressTest
@Outcome(
        id = {"0, 0, 0", "0, 1, 1", "1, 1, 1", "1, 0, 0", "0, 0, 1", "1, 1, 0", "0, 1, 0", "1, 0, 1"},
        expect = ACCEPTABLE,
        desc = "sizes within [0, 1]; isFull read separately")
@Outcome(expect = FORBIDDEN, desc = "a size outside [0, capacity]")
@State
public class SizeBoundsStress {
    final Channel<Integer> channel = Channel.buffered(1);

    public SizeBoundsStress() {
        channel.offer(0);
    }

    @Actor
    public void getter() {
        channel.poll();
    }

    @Actor
    public void putter1() {
        channel.offer(1);
    }

    @Actor
    public void putter2() {
        channel.offer(2);
    }

    @Actor
    public void reader(III_Result r) {
        r.r1 = channel.size();
        r.r2 = channel.size();
        r.r3 = channel.isFull() ? 1 : 0;
    }
}
