package io.github.loomchan.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import io.github.loomchan.Channel;
import io.github.loomchan.ChannelClosedException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIIII_Result;
import org.openjdk.jcstress.infra.results.IIII_Result;
import org.openjdk.jcstress.infra.results.III_Result;

/**
 * Claim: the buffered channel with one lock for puts and one for gets (capacity 1 to 1024) loses no wake-up and
 * reports no size it never held. A put and a get now run under different locks, so a waiting side learns of the
 * other side's progress only through the waiting flags and their re-check (Dekker); these tests race exactly those
 * hand-overs, and close, through the public API. Two actors each (jcstress cannot schedule more on a two-core
 * machine); the arbiter, run after both, reads what the actors left.
 */
public final class SplitLockStress {
    private SplitLockStress() {}

    /** The pending-future code: not completed at all. */
    static final int PENDING = 0;

    /** The code of a future that failed, or was cancelled, when it should have completed normally. */
    static final int FAILED = -1;

    /**
     * No lost wake-up, getter side: buffered(1) starts empty; a getter registers (a pending getAsync) while an
     * offer stores an item. Whichever runs first, the getter must end up with the item and the buffer empty: the
     * offer either finds the getter announced and hands the item over, or stores first and the getter's re-check
     * (or its plain get) takes it. r1: 1 if the offer was accepted; r2: the future's item (0 = still pending, -1 =
     * failed); r3: size() afterwards.
     */
    @JCStressTest
    @Outcome(id = "1, 7, 0", expect = ACCEPTABLE, desc = "the getter received the item, the buffer is empty")
    @Outcome(id = "1, 0, 1", expect = FORBIDDEN, desc = "lost wake-up: the item sits in the buffer, the getter waits")
    @Outcome(expect = FORBIDDEN, desc = "the item lost, duplicated or refused, or the getter failed")
    @State
    public static class GetterNotLost {
        final Channel<Integer> channel = Channel.buffered(1);
        CompletableFuture<Integer> waiting;

        @Actor
        public void getter() {
            waiting = channel.getAsync();
        }

        @Actor
        public void putter(III_Result r) {
            r.r1 = channel.offer(7) ? 1 : 0;
        }

        @Arbiter
        public void check(III_Result r) {
            r.r2 = switch (waiting.state()) {
                case SUCCESS -> waiting.resultNow();
                case RUNNING -> PENDING;
                default -> FAILED;
            };
            r.r3 = channel.size();
        }
    }

    /**
     * No lost wake-up, putter side: buffered(1) holds item 1; a putter of 2 registers (a pending putAsync) while a
     * poll takes. The poll takes 1 in either order (a put cannot overtake the buffered item), and the put must end
     * up done with 2 in the buffer: the poll either finds the putter announced and moves its item into the freed
     * slot, or frees the slot first and the putter's re-check (or its plain put) fills it. r1: the polled item (0 =
     * none); r2: the put future (1 = done, 0 = still pending, -1 = failed); r3, r4: the snapshot's size and its
     * first item (0 if empty).
     */
    @JCStressTest
    @Outcome(id = "1, 1, 1, 2", expect = ACCEPTABLE, desc = "the poll took 1, the put is done, the buffer holds [2]")
    @Outcome(id = "1, 0, 0, 0", expect = FORBIDDEN, desc = "lost wake-up: a slot is free, the putter still waits")
    @Outcome(expect = FORBIDDEN, desc = "an item lost, duplicated or reordered, or the put failed")
    @State
    public static class PutterNotLost {
        final Channel<Integer> channel = Channel.buffered(1);
        CompletableFuture<Void> waiting;

        public PutterNotLost() {
            channel.offer(1);
        }

        @Actor
        public void putter() {
            waiting = channel.putAsync(2);
        }

        @Actor
        public void getter(IIII_Result r) {
            Integer item = channel.poll();
            r.r1 = item == null ? 0 : item;
        }

        @Arbiter
        public void check(IIII_Result r) {
            r.r2 = switch (waiting.state()) {
                case SUCCESS -> 1;
                case RUNNING -> PENDING;
                default -> FAILED;
            };
            List<Integer> items = channel.snapshot();
            r.r3 = items.size();
            r.r4 = items.isEmpty() ? 0 : items.get(0);
        }
    }

    /**
     * size(), isEmpty() and isFull() while both sides move: buffered(2) holds one item; one actor offers a second
     * (the buffer holds 2) and then polls the first (1 again), so the buffer only ever holds 1, 2, 1 items. The
     * reader's three calls each see one of those states, in order; with 1 -> 2 -> 1 every (size, isFull) pair is
     * reachable (size in state 1 then isFull in state 2, or size in state 2 then isFull after the poll), but never
     * a size of 0 or 3 nor isEmpty() true: the buffer was never empty, the poll comes only after the offer. r1: 1 if
     * the offer was accepted; r2: the polled item; r3: size(); r4: isEmpty(); r5: isFull().
     */
    @JCStressTest
    @Outcome(
            id = {"1, 1, 1, 0, 0", "1, 1, 1, 0, 1", "1, 1, 2, 0, 0", "1, 1, 2, 0, 1"},
            expect = ACCEPTABLE,
            desc = "sizes of 1 or 2, never empty: states the buffer held")
    @Outcome(expect = FORBIDDEN, desc = "a size, emptiness or fullness the buffer never had")
    @State
    public static class SizeWhileBothSidesMove {
        final Channel<Integer> channel = Channel.buffered(2);

        public SizeWhileBothSidesMove() {
            channel.offer(1);
        }

        @Actor
        public void mutator(IIIII_Result r) {
            r.r1 = channel.offer(2) ? 1 : 0;
            Integer item = channel.poll();
            r.r2 = item == null ? 0 : item;
        }

        @Actor
        public void reader(IIIII_Result r) {
            r.r3 = channel.size();
            r.r4 = channel.isEmpty() ? 1 : 0;
            r.r5 = channel.isFull() ? 1 : 0;
        }
    }

    /**
     * Close versus a waiting getter: buffered(1) starts empty; a getter registers (a pending getAsync) while the
     * channel is closed. Whichever runs first, the future must fail with ChannelClosedException: close finds the
     * getter queued on an empty ring and fails it, or getAsync finds the channel closed and drained. It is never
     * left pending. r1: 1 if the future is done; r2: how it completed (1 = ChannelClosedException, 2 = another
     * exception, 3 = normally, 4 = cancelled, 0 = pending); r3: 1 if the channel isDone().
     */
    @JCStressTest
    @Outcome(id = "1, 1, 1", expect = ACCEPTABLE, desc = "the getter failed with ChannelClosedException")
    @Outcome(id = "0, 0, 1", expect = FORBIDDEN, desc = "lost wake-up: the channel is done, the getter still waits")
    @Outcome(expect = FORBIDDEN, desc = "the getter completed some other way")
    @State
    public static class CloseWakesGetter {
        final Channel<Integer> channel = Channel.buffered(1);
        CompletableFuture<Integer> waiting;

        @Actor
        public void getter() {
            waiting = channel.getAsync();
        }

        @Actor
        public void closer() {
            channel.close();
        }

        @Arbiter
        public void check(III_Result r) {
            r.r1 = waiting.isDone() ? 1 : 0;
            r.r2 = switch (waiting.state()) {
                case FAILED -> waiting.exceptionNow() instanceof ChannelClosedException ? 1 : 2;
                case SUCCESS -> 3;
                case CANCELLED -> 4;
                case RUNNING -> PENDING;
            };
            r.r3 = channel.isDone() ? 1 : 0;
        }
    }
}
