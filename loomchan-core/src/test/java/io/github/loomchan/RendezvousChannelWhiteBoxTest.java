package io.github.loomchan;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * White-box checks of {@link RendezvousChannel}'s lock-free queue (no sentinel, ADR 0006) in states that a race
 * produces only for a few instructions, set up here by hand: a remover paused between its seal and its CAS of head, a
 * dead front not yet removed, a removed front whose self-link is not yet written, a stale tail hint.
 */
class RendezvousChannelWhiteBoxTest {

    @Test
    void anEmptyChannelHasNoHeadAndItsFirstWaiterIsPublishedAtHead() {
        RendezvousChannel<String> channel = newChannel();
        assertNull(channel.head, "nobody waits: no node at all");
        CompletableFuture<String> get = channel.getAsync();
        Waiter getter = channel.head;
        assertNotNull(getter, "the first waiter is head itself");
        assertNull(getter.nextVolatile(), "and the last");
        assertNull(channel.tail, "an append to an empty queue leaves the tail hint alone");
        assertTrue(channel.offer("x"));
        assertEquals("x", get.join());
        assertNull(channel.head, "the claimed waiter left the queue");
        assertSame(getter, getter.nextVolatile(), "sealed as it left: no append can link behind it");
    }

    /** A remover sealed the last waiter and paused before it set head to null: the next operation finishes it. */
    @Test
    void aSealedFrontIsRemovedByTheNextOperationAndNothingLinksBehindIt() {
        RendezvousChannel<String> channel = newChannel();
        ThreadWaiter sealed = deadWaiter(Waiter.GET_MODE, null);
        assertTrue(sealed.casNext(null, sealed));
        channel.head = sealed;
        assertFalse(channel.offer("x"), "a sealed waiter is dead: no getter waits");
        assertNull(channel.head, "the offer finished the removal");

        channel.head = sealed; // the same pause again, now met by an operation that appends
        CompletableFuture<Void> put = channel.putAsync("y");
        Waiter putter = channel.head;
        assertTrue(putter instanceof FutureWaiter, "the putter was published at head, not behind the sealed waiter");
        assertSame(sealed, sealed.nextVolatile(), "the seal stays");
        assertEquals("y", channel.poll());
        assertTrue(put.isDone());
        assertArrayEquals(new int[] {0, 0, 0}, channel.queuedWaiters(), "nothing left queued");
    }

    /** A dead waiter at the front with a live successor: the successor is matched, and both leave. */
    @Test
    void aDeadFrontIsSkippedAndItsLiveSuccessorMatched() {
        RendezvousChannel<String> channel = newChannel();
        ThreadWaiter live = waiter(Waiter.GET_MODE, null);
        ThreadWaiter dead = deadWaiterBefore(live);
        channel.head = dead;
        assertTrue(channel.offer("x"), "the live getter behind the dead one is waiting");
        assertEquals(Waiter.RECEIVED, live.outcome);
        assertEquals("x", live.item);
        assertSame(dead, dead.nextVolatile(), "the dead front left through a self-link");
        assertSame(live, live.nextVolatile(), "the matched waiter left sealed");
        assertNull(channel.head);
    }

    /**
     * A front removed (head moved on) whose self-link is not written yet still points into the queue: an append that
     * starts from it, as the tail hint, walks on to the last waiter.
     */
    @Test
    void anAppendWalksOnFromAHintThatLeftTheFrontBeforeItsSelfLink() {
        RendezvousChannel<String> channel = newChannel();
        ThreadWaiter first = waiter(Waiter.PUT_MODE, "a");
        ThreadWaiter removed = deadWaiterBefore(first);
        channel.head = first;
        channel.tail = removed;
        CompletableFuture<Void> put = channel.putAsync("b");
        Waiter appended = first.nextVolatile();
        assertTrue(appended instanceof FutureWaiter, "linked behind the last waiter");
        assertSame(appended, channel.tail, "the hint moves to the new last waiter, since it was not the last");
        assertArrayEquals(new int[] {2, 0, 0}, channel.queuedWaiters());
        assertEquals("a", channel.poll(), "first come, first served");
        assertEquals("b", channel.poll());
        assertTrue(put.isDone());
    }

    /** A tail hint that left the queue (self-linked) is not followed: the walk starts at head. */
    @Test
    void aHintThatLeftTheQueueSendsTheAppendToHead() {
        RendezvousChannel<String> channel = newChannel();
        ThreadWaiter gone = deadWaiter(Waiter.PUT_MODE, null);
        gone.setNextRelease(gone);
        ThreadWaiter first = waiter(Waiter.PUT_MODE, "a");
        channel.head = first;
        channel.tail = gone;
        channel.putAsync("b");
        assertTrue(first.nextVolatile() instanceof FutureWaiter, "appended behind head's waiter");
        assertSame(gone, gone.nextVolatile(), "nothing linked behind the waiter that left");
        assertEquals("a", channel.poll());
        assertEquals("b", channel.poll());
    }

    /**
     * A hint that a sweep unlinked from inside the queue still points forward, here at a waiter that left since: the
     * walk must fall back to head instead of returning to the same dead end on every retry (it hung once).
     */
    @Test
    @Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // the failure is a busy loop
    void aHintLeadingToAWaiterThatLeftFallsBackToHead() {
        RendezvousChannel<String> channel = newChannel();
        ThreadWaiter gone = deadWaiter(Waiter.PUT_MODE, null);
        ThreadWaiter unlinked = deadWaiterBefore(gone);
        gone.setNextRelease(gone);
        ThreadWaiter first = waiter(Waiter.PUT_MODE, "a");
        channel.head = first;
        channel.tail = unlinked;
        channel.putAsync("b");
        Waiter appended = first.nextVolatile();
        assertTrue(appended instanceof FutureWaiter, "appended behind head's waiter");
        assertSame(appended, channel.tail, "and the stale hint replaced");
        assertEquals("a", channel.poll());
        assertEquals("b", channel.poll());
    }

    /** The hint moves only when an append walked past it: every other append of a long queue. */
    @Test
    void theTailHintMovesEveryOtherAppendAndOrderIsKept() {
        RendezvousChannel<String> channel = newChannel();
        channel.putAsync("0");
        assertNull(channel.tail, "the first waiter is head: no hint yet");
        channel.putAsync("1");
        Waiter second = channel.head.nextVolatile();
        assertSame(second, channel.tail, "the second walked from head past the missing hint: the hint moves");
        channel.putAsync("2");
        assertSame(second, channel.tail, "the third appended right behind the hint: it stays");
        channel.putAsync("3");
        Waiter fourth = second.nextVolatile().nextVolatile();
        assertNotNull(fourth);
        assertSame(fourth, channel.tail, "the fourth walked past the hint to the third: the hint moves to it");
        assertArrayEquals(new int[] {4, 0, 0}, channel.queuedWaiters());
        for (int i = 0; i < 4; i++) {
            assertEquals(Integer.toString(i), channel.poll());
        }
        assertNull(channel.head);
    }

    /** A waiter of the other mode at the front is claimed, never appended behind (D1). */
    @Test
    void anOperationClaimsACounterpartAtTheFrontInsteadOfQueuingBehindIt() {
        RendezvousChannel<String> channel = newChannel();
        CompletableFuture<String> get = channel.getAsync();
        CompletableFuture<Void> put = channel.putAsync("z");
        assertTrue(put.isDone(), "the put met the queued getter");
        assertEquals("z", get.join());
        assertNull(channel.head);
    }

    /**
     * A blocking get that must wait is refused when its thread is interrupted, and links nothing; one that finds a
     * putter takes its item whatever the interrupt status, and keeps the status.
     */
    @Test
    void anInterruptedGetTakesAWaitingItemButIsRefusedAWait() throws InterruptedException {
        RendezvousChannel<String> channel = newChannel();
        ThreadWaiter putter = waiter(Waiter.PUT_MODE, "w");
        channel.head = putter;
        Thread.currentThread().interrupt();
        try {
            assertEquals("w", channel.get(), "the putter is waiting: the get takes its item");
            assertTrue(Thread.currentThread().isInterrupted(), "the get needed no wait, so the flag stays set");
            assertThrows(InterruptedException.class, channel::get, "now the get would wait: refused");
            assertFalse(Thread.currentThread().isInterrupted(), "the exception reports the interrupt and clears it");
            assertNull(channel.head, "the refused get linked nothing");
        } finally {
            Thread.interrupted();
        }
        assertEquals(Waiter.TAKEN, putter.outcome);
    }

    /** A close claims every waiter, the dead ones are removed on the way, and the queue ends empty. */
    @Test
    void aCloseClaimsEveryLiveWaiterPastADeadFront() {
        RendezvousChannel<String> channel = newChannel();
        ThreadWaiter live = waiter(Waiter.PUT_MODE, "a");
        ThreadWaiter dead = deadWaiterBefore(live);
        channel.head = dead;
        channel.close();
        assertEquals(Waiter.CLOSED, live.outcome, "the live putter learns of the close");
        assertNull(live.item, "its item was not enqueued");
        assertNull(channel.head);
        assertSame(dead, dead.nextVolatile());
        assertSame(live, live.nextVolatile());
    }

    private static RendezvousChannel<String> newChannel() {
        return (RendezvousChannel<String>) Channel.<String>rendezvous();
    }

    /** A live waiter of the calling thread, not linked anywhere: a put of {@code item} or a get. */
    private static ThreadWaiter waiter(byte mode, String item) {
        ThreadWaiter waiter = new ThreadWaiter(Thread.currentThread());
        waiter.mode = mode;
        waiter.item = item;
        return waiter;
    }

    /** A withdrawn waiter of {@code next}'s mode whose next is {@code next}, as if {@code next} was appended to it. */
    private static ThreadWaiter deadWaiterBefore(Waiter next) {
        ThreadWaiter dead = deadWaiter(next.mode, null);
        assertTrue(dead.casNext(null, next));
        return dead;
    }

    /** A withdrawn waiter, not linked anywhere. */
    private static ThreadWaiter deadWaiter(byte mode, String item) {
        ThreadWaiter waiter = waiter(mode, item);
        assertTrue(waiter.tryCancel());
        return waiter;
    }
}
