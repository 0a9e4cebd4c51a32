package io.github.loomchan.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import io.github.loomchan.Channel;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIIII_Result;

/**
 * Claim (ArrayChannel, rule H1): a waiter of the channel with a lock per side is never withdrawn from a handoff that
 * is already on its way to it. A put that stores while a getter waits hands the item over only in a serve after it
 * released its lock (a get that frees a slot while a putter waits, likewise); an operation that looks in between
 * sees the item (the free slot) as the sequential specification does not, which stays consistent only if the
 * waiter does receive it. These tests cancel the waiter right after such a look, in the same actor, so the cancel
 * must fail in every linearization. Found by HistoryLinearizabilityTest in CI (a getter's future cancelled while the
 * serve that owed it an item was still on its way; a concurrent put had waited on the "full" ring meanwhile).
 */
public final class HandoffInFlightStress {
    private HandoffInFlightStress() {}

    /** The code of a future that is still pending. */
    static final int PENDING = 0;

    /** The code of a future that was cancelled or failed. */
    static final int CANCELLED = -1;

    /** A snapshot of at most one item as a number: 0 if empty, else the item. */
    static int oneItem(List<Integer> items) {
        if (items.size() > 1) {
            return -items.size(); // never valid for capacity 1: shows as a forbidden outcome
        }
        return items.isEmpty() ? 0 : items.get(0);
    }

    /**
     * Getter side: buffered(1) is empty and a getter waits (a pending getAsync). One actor offers 4; the other offers
     * 2 and then cancels the getter. The getter is waiting when the offer of 2 runs, or has received an item already,
     * so that offer either hands 2 to it or finds 4 buffered only if the getter takes 4 later: the cancel can never
     * win. r1, r2: the offers (1 accepted); r3: the cancel (1 if it succeeded); r4: the getter's item (0 pending, -1
     * cancelled); r5: what stayed buffered.
     */
    @JCStressTest
    @Outcome(id = "1, 1, 0, 4, 2", expect = ACCEPTABLE, desc = "4 went to the getter, 2 into the buffer")
    @Outcome(id = "1, 1, 0, 2, 4", expect = ACCEPTABLE, desc = "2 went to the getter, 4 into the buffer")
    @Outcome(id = "1, 0, 0, 4, 0", expect = ACCEPTABLE, desc = "4 buffered, 2 refused, then the getter took 4")
    @Outcome(id = "0, 1, 0, 2, 0", expect = ACCEPTABLE, desc = "2 buffered, 4 refused, then the getter took 2")
    @Outcome(
            id = "1, 0, 1, -1, 4",
            expect = FORBIDDEN,
            desc = "withdrawn from a handoff in flight: 2 saw 4 buffered while the getter waited, which then left")
    @Outcome(expect = FORBIDDEN, desc = "the cancel won, or an item was lost or duplicated")
    @State
    public static class GetterCancelledAfterAFullLook {
        final Channel<Integer> channel = Channel.buffered(1);
        final CompletableFuture<Integer> waiting = channel.getAsync();

        @Actor
        public void putter(IIIII_Result r) {
            r.r1 = channel.offer(4) ? 1 : 0;
        }

        @Actor
        public void putterThenCanceller(IIIII_Result r) {
            r.r2 = channel.offer(2) ? 1 : 0;
            r.r3 = waiting.cancel(true) ? 1 : 0;
        }

        @Arbiter
        public void check(IIIII_Result r) {
            r.r4 = switch (waiting.state()) {
                case SUCCESS -> waiting.resultNow();
                case RUNNING -> PENDING;
                default -> CANCELLED;
            };
            r.r5 = oneItem(channel.snapshot());
        }
    }

    /**
     * Putter side: buffered(1) holds 1 and a putter of 4 waits (a pending putAsync). Each actor polls; the second
     * then cancels the putter. Whichever poll takes 1 frees the slot for the waiting putter, so the cancel, which
     * comes after that poll in one actor or after the other poll that it could not precede, can never win. r1, r2:
     * the polled items (0 = none); r3: the cancel (1 if it succeeded); r4: the putter (1 done, 0 pending, -1
     * cancelled); r5: what stayed buffered.
     */
    @JCStressTest
    @Outcome(id = "1, 4, 0, 1, 0", expect = ACCEPTABLE, desc = "the first poll took 1, the second the putter's 4")
    @Outcome(id = "4, 1, 0, 1, 0", expect = ACCEPTABLE, desc = "the second poll took 1, the first the putter's 4")
    @Outcome(id = "1, 0, 0, 1, 4", expect = ACCEPTABLE, desc = "one poll took 1, the other came before the put")
    @Outcome(id = "0, 1, 0, 1, 4", expect = ACCEPTABLE, desc = "one poll took 1, the other came before the put")
    @Outcome(
            id = "1, 0, 1, -1, 0",
            expect = FORBIDDEN,
            desc = "withdrawn from a handoff in flight: a poll found the freed slot empty, then the putter left")
    @Outcome(expect = FORBIDDEN, desc = "the cancel won, or an item was lost or duplicated")
    @State
    public static class PutterCancelledAfterAnEmptyLook {
        final Channel<Integer> channel = Channel.buffered(1);
        final CompletableFuture<Void> waiting;

        public PutterCancelledAfterAnEmptyLook() {
            channel.offer(1);
            waiting = channel.putAsync(4);
        }

        @Actor
        public void getter(IIIII_Result r) {
            Integer item = channel.poll();
            r.r1 = item == null ? 0 : item;
        }

        @Actor
        public void getterThenCanceller(IIIII_Result r) {
            Integer item = channel.poll();
            r.r2 = item == null ? 0 : item;
            r.r3 = waiting.cancel(true) ? 1 : 0;
        }

        @Arbiter
        public void check(IIIII_Result r) {
            r.r4 = switch (waiting.state()) {
                case SUCCESS -> 1;
                case RUNNING -> PENDING;
                default -> CANCELLED;
            };
            r.r5 = oneItem(channel.snapshot());
        }
    }
}
