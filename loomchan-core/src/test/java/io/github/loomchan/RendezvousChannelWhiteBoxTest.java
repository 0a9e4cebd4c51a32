package io.github.loomchan;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * White-box checks of {@link RendezvousChannel}'s lock-free queue in states that a race produces only for a few
 * instructions, set up here by hand.
 */
class RendezvousChannelWhiteBoxTest {

    /**
     * An appender links its node (the CAS of the sentinel's next, its linearization point) before it swings tail; in
     * between, tail is the sentinel and looks like an empty queue. A non-blocking counterpart must still find the
     * linked waiter (ChannelBlockingTest once saw an offer refused while a getter was queued).
     */
    @Test
    void anOfferMatchesAGetterLinkedBeforeTailMoved() {
        RendezvousChannel<String> channel = (RendezvousChannel<String>) Channel.<String>rendezvous();
        ThreadWaiter getter = new ThreadWaiter(Thread.currentThread());
        getter.mode = Waiter.GET_MODE;
        Waiter sentinel = channel.head;
        assertSame(sentinel, channel.tail, "a new channel's tail is its sentinel");
        assertTrue(sentinel.casNext(null, getter)); // the appender, paused between its two CASes
        assertTrue(channel.offer("x"), "the linked getter is waiting: the offer must hand it the item");
        assertEquals(OwnedWaiter.CLAIMED, getter.state);
        assertEquals(Waiter.RECEIVED, getter.outcome);
        assertEquals("x", getter.item);
        assertArrayEquals(new int[] {0, 0, 0}, channel.queuedWaiters(), "nothing left queued");
    }

    /** The symmetric case: a poll finds a putter linked before tail moved. */
    @Test
    void aPollMatchesAPutterLinkedBeforeTailMoved() {
        RendezvousChannel<String> channel = (RendezvousChannel<String>) Channel.<String>rendezvous();
        ThreadWaiter putter = new ThreadWaiter(Thread.currentThread());
        putter.mode = Waiter.PUT_MODE;
        putter.item = "y";
        assertTrue(channel.head.casNext(null, putter));
        assertEquals("y", channel.poll(), "the linked putter is waiting: the poll must take its item");
        assertEquals(OwnedWaiter.CLAIMED, putter.state);
        assertEquals(Waiter.TAKEN, putter.outcome);
        assertArrayEquals(new int[] {0, 0, 0}, channel.queuedWaiters(), "nothing left queued");
    }
}
