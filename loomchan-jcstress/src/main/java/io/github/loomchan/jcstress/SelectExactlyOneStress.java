package io.github.loomchan.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import io.github.loomchan.Channel;
import io.github.loomchan.Select;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

/** Claim: select completes exactly one clause: the clauses not chosen consume nothing and put nothing. */
public final class SelectExactlyOneStress {
    private SelectExactlyOneStress() {}

    /**
     * A select waits on two empty channels while the other actor puts into b, then into a. r1: the clause chosen
     * (1 = a, 2 = b); r2: items left in a and b together (the arbiter counts them); r3: what the select received.
     */
    @JCStressTest
    @Outcome(
            id = {"1, 1, 10", "2, 1, 20"},
            expect = ACCEPTABLE,
            desc = "one clause took its item, the other item is left")
    @Outcome(expect = FORBIDDEN, desc = "an item consumed twice or lost, or the wrong item")
    @State
    public static class GetRacingPuts {
        final Channel<Integer> a = Channel.buffered(1);
        final Channel<Integer> b = Channel.buffered(1);

        @Actor
        public void selector(III_Result r) {
            try {
                int got = Select.select(a.onGet(item -> item), b.onGet(item -> item));
                r.r1 = got == 10 ? 1 : got == 20 ? 2 : -1;
                r.r3 = got;
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }

        @Actor
        public void putter() {
            b.offer(20);
            a.offer(10);
        }

        @Arbiter
        public void count(III_Result r) {
            r.r2 = a.size() + b.size();
        }
    }

    /**
     * Both channels hold one item; a select with a default takes one of them while a poller takes a's item.
     * r1: the clause chosen (0 = default, 1 = a, 2 = b); r2: 1 if the poll got a's item; r3: items left.
     */
    @JCStressTest
    @Outcome(id = "1, 0, 1", expect = ACCEPTABLE, desc = "the select took a's item first; the poll found nothing")
    @Outcome(id = "2, 1, 0", expect = ACCEPTABLE, desc = "the poll took a's item first; the select took b's")
    @Outcome(expect = FORBIDDEN, desc = "an item taken twice, or the default chosen while b was ready")
    @State
    public static class ReadyClausesAgainstAPoll {
        final Channel<Integer> a = Channel.buffered(1);
        final Channel<Integer> b = Channel.buffered(1);

        public ReadyClausesAgainstAPoll() {
            a.offer(10);
            b.offer(20);
        }

        @Actor
        public void selector(III_Result r) {
            try {
                r.r1 = Select.select(a.onGet(item -> 1), b.onGet(item -> 2), Select.orElse(() -> 0));
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }

        @Actor
        public void poller(III_Result r) {
            r.r2 = a.poll() == null ? 0 : 1;
        }

        @Arbiter
        public void count(III_Result r) {
            r.r3 = a.size() + b.size();
        }
    }
}
