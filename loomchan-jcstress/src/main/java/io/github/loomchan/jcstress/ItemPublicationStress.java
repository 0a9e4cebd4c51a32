package io.github.loomchan.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import io.github.loomchan.Channel;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * Claim: actions before a put happen-before actions after the get that receives the item. The item is a mutable
 * object with plain (non-final, non-volatile) fields written just before the put; a getter that receives it must
 * see both writes. One nested test per path the item can take.
 */
public final class ItemPublicationStress {
    private ItemPublicationStress() {}

    /** A mutable item with plain fields: only the channel's ordering can publish them. */
    public static final class Box {
        int x;
        int y;

        /** A box with both fields written (plain writes), as a producer fills an item just before its put. */
        static Box filled() {
            Box box = new Box();
            box.x = 1;
            box.y = 2;
            return box;
        }

        /** Records what a getter received: "0, -1" for nothing, else "1, x + y" as the getter saw them. */
        static void record(Box box, II_Result r) {
            if (box == null) {
                r.r1 = 0;
                r.r2 = -1;
            } else {
                r.r1 = 1;
                r.r2 = box.x + box.y;
            }
        }
    }

    /** r1: 1 if the getter received the box; r2: x + y as the getter saw them. */
    @JCStressTest
    @Outcome(id = "0, -1", expect = ACCEPTABLE, desc = "the poll ran first: nothing received")
    @Outcome(id = "1, 3", expect = ACCEPTABLE, desc = "received, with both writes visible")
    @Outcome(expect = FORBIDDEN, desc = "received the box without the writes made before its put")
    @State
    public static class ThroughTheBuffer {
        final Channel<Box> channel = Channel.buffered(1);

        @Actor
        public void putter() {
            channel.offer(Box.filled());
        }

        @Actor
        public void getter(II_Result r) {
            Box.record(channel.poll(), r);
        }
    }

    /** Rendezvous: the getter is already waiting (a pending getAsync), so the put hands the box to its waiter. */
    @JCStressTest
    @Outcome(id = "0, -1", expect = ACCEPTABLE, desc = "the future was not complete yet when read")
    @Outcome(id = "1, 3", expect = ACCEPTABLE, desc = "received through the waiter, with both writes visible")
    @Outcome(expect = FORBIDDEN, desc = "received the box without the writes made before its put")
    @State
    public static class ThroughAWaiter {
        final Channel<Box> channel = Channel.rendezvous();
        final CompletableFuture<Box> waiting = channel.getAsync();

        @Actor
        public void putter() {
            channel.offer(Box.filled()); // succeeds: a getter waits
        }

        @Actor
        public void getter(II_Result r) {
            Box.record(waiting.getNow(null), r);
        }
    }

    /**
     * Rendezvous between two threads that both wait: whichever arrives first queues its waiter, the other claims it.
     * A getter that waits receives the box through its waiter's item, written by the putter after the claiming CAS
     * (FILLING) and published by the release store that ends the claim; a putter that waits has its box read from its
     * waiter by the getter. Timed, so that the harness can never hang on a lost handoff (that would show as "0, -1").
     */
    @JCStressTest
    @Outcome(id = "1, 3", expect = ACCEPTABLE, desc = "handed over, with both writes visible")
    @Outcome(id = "0, -1", expect = ACCEPTABLE_INTERESTING, desc = "no handoff within 10 s: the harness starved a side")
    @Outcome(expect = FORBIDDEN, desc = "received the box without the writes made before its put")
    @State
    public static class BetweenTwoWaitingThreads {
        private static final Duration PATIENCE = Duration.ofSeconds(10);
        final Channel<Box> channel = Channel.rendezvous();

        @Actor
        public void putter() {
            try {
                channel.offer(Box.filled(), PATIENCE);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt(); // nobody interrupts the harness's threads
            }
        }

        @Actor
        public void getter(II_Result r) {
            Box box;
            try {
                box = channel.poll(PATIENCE);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt(); // nobody interrupts the harness's threads
                box = null;
            }
            Box.record(box, r);
        }
    }
}
