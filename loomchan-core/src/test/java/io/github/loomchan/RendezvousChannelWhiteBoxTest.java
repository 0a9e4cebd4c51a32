package io.github.loomchan;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
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
        ThreadWaiter putter = linkBeforeTailMoves(channel, Waiter.PUT_MODE, "y");
        assertEquals("y", channel.poll(), "the linked putter is waiting: the poll must take its item");
        assertEquals(OwnedWaiter.CLAIMED, putter.state);
        assertEquals(Waiter.TAKEN, putter.outcome);
        assertArrayEquals(new int[] {0, 0, 0}, channel.queuedWaiters(), "nothing left queued");
    }

    /**
     * A blocking put makes its waiter only where it would append, in the same pass that looks for a getter; an
     * interrupted caller is refused the wait there. That refusal must come only once no counterpart is linked: here
     * a getter is linked but tail has not moved, and the interrupted put must still hand it the item (and keep the
     * interrupt status, as every call that need not block does).
     */
    @Test
    void anInterruptedPutStillMatchesAGetterLinkedBeforeTailMoved() throws InterruptedException {
        RendezvousChannel<String> channel = (RendezvousChannel<String>) Channel.<String>rendezvous();
        ThreadWaiter getter = linkBeforeTailMoves(channel, Waiter.GET_MODE, null);
        Thread.currentThread().interrupt();
        try {
            channel.put("z");
            assertTrue(Thread.currentThread().isInterrupted(), "the put needed no wait, so the flag stays set");
        } finally {
            Thread.interrupted();
        }
        assertEquals(Waiter.RECEIVED, getter.outcome);
        assertEquals("z", getter.item);
        assertArrayEquals(new int[] {0, 0, 0}, channel.queuedWaiters(), "nothing left queued");
    }

    /** The symmetric case for a blocking get, and then the refusal itself once nothing is linked. */
    @Test
    void anInterruptedGetStillMatchesAPutterLinkedBeforeTailMoved() throws InterruptedException {
        RendezvousChannel<String> channel = (RendezvousChannel<String>) Channel.<String>rendezvous();
        ThreadWaiter putter = linkBeforeTailMoves(channel, Waiter.PUT_MODE, "w");
        Thread.currentThread().interrupt();
        try {
            assertEquals("w", channel.get(), "the linked putter is waiting: the get must take its item");
            assertTrue(Thread.currentThread().isInterrupted(), "the get needed no wait, so the flag stays set");
            Waiter front = channel.head;
            assertThrows(InterruptedException.class, channel::get, "now the get would wait: refused");
            assertFalse(Thread.currentThread().isInterrupted(), "the exception reports the interrupt and clears it");
            assertSame(front, channel.head, "the refused get linked nothing");
            assertNull(front.nextVolatile(), "and appended nothing after it");
        } finally {
            Thread.interrupted();
        }
        assertEquals(Waiter.TAKEN, putter.outcome);
        assertArrayEquals(new int[] {0, 0, 0}, channel.queuedWaiters(), "nothing left queued");
    }

    /**
     * Links a waiter of {@code mode} (with {@code item} for a put) after the sentinel of an empty {@code channel} the
     * way an appender's first CAS does, and stops there: tail still points at the sentinel.
     */
    private static ThreadWaiter linkBeforeTailMoves(RendezvousChannel<String> channel, byte mode, String item) {
        ThreadWaiter waiter = new ThreadWaiter(Thread.currentThread());
        waiter.mode = mode;
        waiter.item = item;
        assertTrue(channel.head.casNext(null, waiter));
        return waiter;
    }
}
