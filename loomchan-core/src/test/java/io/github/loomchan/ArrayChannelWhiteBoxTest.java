package io.github.loomchan;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * White-box checks of {@link ArrayChannel}, the split-lock channel: which capacities it serves, that a drainTo target
 * breaking the "must not use this channel" rule gets an exception instead of a deadlock (its locks are not
 * reentrant), that each side stays FIFO with waiters and barging operations mixed, and that the ring of an unbounded
 * channel grows without losing, duplicating or reordering items, also while a consumer takes and from a select; and
 * the spin before queuing of blocked virtual threads: when it runs, what it teaches the score, and that it races
 * barging offers safely.
 */
class ArrayChannelWhiteBoxTest {

    @Test
    void servesCapacitiesUpTo1024AndUnboundedAndLeavesTheRestToTheOneLockChannel() {
        assertInstanceOf(ArrayChannel.class, Channel.buffered(1));
        assertInstanceOf(ArrayChannel.class, Channel.buffered(AbstractChannel.SPLIT_MAX_CAPACITY));
        assertInstanceOf(ArrayChannel.class, Channel.unbounded());
        assertInstanceOf(BufferedChannel.class, Channel.buffered(AbstractChannel.SPLIT_MAX_CAPACITY + 1));
        assertInstanceOf(RendezvousChannel.class, Channel.rendezvous()); // lock-free (ADR 0004)
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 7, 15})
    void anUnboundedRingGrowsWhenFullKeepingTheOrderWhereverTheOldestItemSits(int taken) {
        Channel<Integer> channel = Channel.unbounded();
        int start = ArrayChannel.GROWING_RING_START;
        // Move the take index to `taken`, then fill the ring exactly, so that the oldest item sits at `taken` and the
        // copy into the grown ring wraps (unless taken is 0).
        for (int i = 0; i < taken; i++) {
            assertTrue(channel.offer(-1));
            assertEquals(-1, channel.poll());
        }
        List<Integer> expected = new ArrayList<>();
        for (int i = 0; i < start; i++) {
            assertTrue(channel.offer(i));
            expected.add(i);
        }
        assertFalse(channel.isFull(), "an unbounded channel is never full, even with its ring full");
        for (int i = start; i < 5 * start + 3; i++) { // grows to 32, 64 and 128 slots
            assertTrue(channel.offer(i), "an offer to an unbounded channel must succeed");
            expected.add(i);
            assertEquals(expected.size(), channel.size());
        }
        assertFalse(channel.isFull());
        assertEquals(expected, channel.snapshot());
        for (int i = 0; i < 10; i++) { // take some, refill past the next boundary: the grown ring wraps again
            assertEquals(expected.remove(0), channel.poll());
        }
        for (int i = 0; i < 70; i++) {
            assertTrue(channel.offer(1000 + i));
            expected.add(1000 + i);
        }
        assertEquals(expected, channel.snapshot());
        List<Integer> drained = new ArrayList<>();
        assertEquals(expected.size(), channel.drainTo(drained, Integer.MAX_VALUE));
        assertEquals(expected, drained);
        assertTrue(channel.isEmpty());
        assertEquals(0, channel.size());
    }

    /** The length of the channel's ring (the private field {@code ring}). */
    private static int ringLength(Channel<?> channel) {
        return RingLength.of(channel, ArrayChannel.class, "ring");
    }

    /**
     * A small ring keeps its slots {@link ArrayChannel#SPREAD} elements apart ("Spread slots"); rings of capacity 1
     * and above {@link ArrayChannel#SPREAD_MAX_CAPACITY} are not spread. Whatever the layout, the channel holds
     * exactly its capacity, in FIFO order, across wrap-arounds, and size and snapshot count items, not elements.
     */
    @ParameterizedTest
    @ValueSource(ints = {1, 2, 16, 32, 33, 100})
    void aSpreadRingHoldsExactlyItsCapacity(int capacity) {
        Channel<Integer> channel = Channel.buffered(capacity);
        int stride = capacity > 1 && capacity <= ArrayChannel.SPREAD_MAX_CAPACITY ? ArrayChannel.SPREAD : 1;
        assertEquals(capacity * stride, ringLength(channel), "the ring's array length");
        int next = 0;
        int expected = 0;
        for (int round = 0; round < 3; round++) { // three fills, each starting at another index, so the ring wraps
            while (channel.offer(next)) {
                next++;
            }
            assertEquals(capacity, channel.size(), "full at exactly the capacity");
            assertTrue(channel.isFull());
            List<Integer> snapshot = channel.snapshot();
            assertEquals(capacity, snapshot.size());
            assertEquals(expected, snapshot.get(0), "the snapshot starts with the oldest item");
            int drop = Math.max(1, capacity / 2 + round);
            for (int k = 0; k < drop && k < capacity; k++) {
                assertEquals(expected++, channel.poll(), "FIFO across the spread slots");
            }
            assertEquals(capacity - Math.min(drop, capacity), channel.size());
        }
        while (!channel.isEmpty()) {
            assertEquals(expected++, channel.poll());
        }
        assertEquals(next, expected, "every item came out once");
        assertEquals(0, channel.size());
    }

    @Test
    @Timeout(value = 1, unit = TimeUnit.MINUTES)
    void anUnboundedRingIsGivenBackWhenEmptiedAndAWaitingGetterStillGetsTheNextItem() throws Exception {
        Channel<Integer> channel = Channel.unbounded();
        assertEquals(ArrayChannel.GROWING_RING_START, ringLength(channel));
        int count = 5_000;
        for (int i = 0; i < count; i++) {
            assertTrue(channel.offer(i));
        }
        int grown = ringLength(channel);
        assertTrue(grown >= count && grown < 4 * count, "the ring grew with the items: " + grown);
        for (int i = 0; i < count - 1; i++) {
            assertEquals(i, channel.poll());
        }
        assertEquals(grown, ringLength(channel), "one item left: kept");
        assertEquals(count - 1, channel.poll());
        assertEquals(ArrayChannel.GROWING_RING_START, ringLength(channel), "the poll that emptied it gave it back");
        // Emptied by drainTo (both locks, no give-back there): the next get-side call that finds it empty gives it
        // back.
        for (int i = 0; i < count; i++) {
            assertTrue(channel.offer(i));
        }
        List<Integer> drained = new ArrayList<>();
        assertEquals(count, channel.drainTo(drained, Integer.MAX_VALUE));
        assertTrue(ringLength(channel) > ArrayChannel.SHRINK_ABOVE);
        assertTrue(channel.isEmpty());
        assertEquals(ArrayChannel.GROWING_RING_START, ringLength(channel));
        // A getter that waits on the new ring gets the next put, and the channel keeps working.
        CompletableFuture<Integer> waiting = channel.getAsync();
        for (int i = 0; i < count; i++) {
            assertTrue(channel.offer(i));
        }
        assertEquals(0, waiting.get(10, TimeUnit.SECONDS));
        assertEquals(count - 1, channel.size());
        for (int i = 1; i < count; i++) {
            assertEquals(i, channel.poll());
        }
        assertEquals(ArrayChannel.GROWING_RING_START, ringLength(channel));
        // A fixed ring is never replaced.
        Channel<Integer> fixed = Channel.buffered(AbstractChannel.SPLIT_MAX_CAPACITY);
        assertTrue(fixed.offer(1));
        assertEquals(1, fixed.poll());
        assertEquals(AbstractChannel.SPLIT_MAX_CAPACITY, ringLength(fixed));
    }

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void anUnboundedRingGrowingWhileAConsumerTakesLosesNothingAndKeepsTheOrder() throws Exception {
        // Many short-lived channels, so that many growths race with takes: each round a producer puts a few hundred
        // items (several growths from 16 slots) while the consumer takes them as they come.
        for (int round = 0; round < 400; round++) {
            Channel<Integer> channel = Channel.unbounded();
            int items = 50 + (round * 37) % 700;
            Thread producer = Thread.ofPlatform().start(() -> {
                try {
                    for (int i = 0; i < items; i++) {
                        channel.put(i);
                    }
                    channel.close();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            int expected = 0;
            for (Integer item : channel) {
                assertEquals(expected, item, "round " + round + ": an item was lost, duplicated or reordered");
                expected++;
            }
            producer.join();
            assertEquals(items, expected, "round " + round);
        }
    }

    @Test
    @Timeout(value = 1, unit = TimeUnit.MINUTES)
    void aSelectPutOnAFullUnboundedRingGrowsItHoldingBothLocks() throws InterruptedException {
        Channel<Integer> channel = Channel.unbounded();
        for (int i = 0; i < ArrayChannel.GROWING_RING_START; i++) {
            assertTrue(channel.offer(i));
        }
        // Put clause first: it is ready (an unbounded channel always takes), and the ring is full, so the select grows
        // it; the get clause on the same channel means the select holds the take lock anyway.
        String won = Select.select(channel.onPut(99, () -> "put"), channel.onGet(item -> "get " + item));
        assertEquals("put", won);
        assertEquals(ArrayChannel.GROWING_RING_START + 1, channel.size());
        // A put clause alone also takes both locks of a channel whose ring grows.
        for (int i = 0; i < ArrayChannel.GROWING_RING_START - 1; i++) {
            assertTrue(channel.offer(100 + i)); // 32 items: the grown ring is full again
        }
        assertEquals("put", Select.select(channel.onPut(200, () -> "put")));
        assertEquals(2 * ArrayChannel.GROWING_RING_START + 1, channel.size());
        List<Integer> all = new ArrayList<>();
        channel.drainTo(all, Integer.MAX_VALUE);
        List<Integer> expected = new ArrayList<>();
        for (int i = 0; i < ArrayChannel.GROWING_RING_START; i++) {
            expected.add(i);
        }
        expected.add(99);
        for (int i = 0; i < ArrayChannel.GROWING_RING_START - 1; i++) {
            expected.add(100 + i);
        }
        expected.add(200);
        assertEquals(expected, all);
    }

    @Test
    @Timeout(value = 1, unit = TimeUnit.MINUTES)
    void aDrainTargetThatUsesTheChannelFailsInsteadOfDeadlocking() {
        Channel<Integer> channel = Channel.buffered(4);
        channel.offer(1);
        channel.offer(2);
        List<Integer> target = new ArrayList<>() {
            @Override
            public boolean add(Integer item) {
                channel.size(); // breaks drainTo's contract: the take lock is held and not reentrant
                return super.add(item);
            }
        };
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> channel.drainTo(target, 10));
        assertTrue(e.getMessage().contains("drainTo"), e.getMessage());
        // Nothing moved or lost, and the channel still works: its locks were released.
        assertEquals(List.of(), target);
        assertEquals(List.of(1, 2), channel.snapshot());
        assertEquals(1, channel.poll());
        assertTrue(channel.offer(3));
        assertEquals(List.of(2, 3), channel.snapshot());
    }

    @Test
    @Timeout(value = 1, unit = TimeUnit.MINUTES)
    void anotherThreadThatFindsADrainInProgressWaitsForItInsteadOfFailing() throws Exception {
        // The locks record no owner; a failed lock attempt refuses only the thread running drainTo (its target
        // re-entering). Any other thread must queue for the lock as usual.
        Channel<Integer> channel = Channel.buffered(4);
        channel.offer(1);
        CountDownLatch inTarget = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<Integer> target = new ArrayList<>() {
            @Override
            public boolean add(Integer item) {
                inTarget.countDown();
                try {
                    release.await(); // holds both of the channel's locks meanwhile
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                return super.add(item);
            }
        };
        AtomicReference<Integer> drained = new AtomicReference<>();
        Thread drainer = Thread.ofPlatform().start(() -> drained.set(channel.drainTo(target, 10)));
        inTarget.await();
        AtomicReference<Object> offered = new AtomicReference<>();
        Thread offerer = Thread.ofPlatform().start(() -> {
            try {
                offered.set(channel.offer(2));
            } catch (RuntimeException e) {
                offered.set(e);
            }
        });
        // Deterministic: the offer needs the put lock, which the drain holds until released below.
        while (offerer.getState() != Thread.State.WAITING) {
            assertTrue(offerer.isAlive(), () -> "the offer ended while the drain held the lock: " + offered.get());
            Thread.onSpinWait();
        }
        release.countDown();
        drainer.join();
        offerer.join();
        assertEquals(1, drained.get());
        assertEquals(List.of(1), target);
        assertEquals(Boolean.TRUE, offered.get());
        assertEquals(List.of(2), channel.snapshot());
    }

    @Test
    void queuedPuttersAndGettersAreServedBeforeLaterOperationsOfTheirSide() {
        Channel<Integer> channel = Channel.buffered(2);
        channel.offer(1);
        channel.offer(2);
        CompletableFuture<Void> third = channel.putAsync(3); // waits: full
        CompletableFuture<Void> fourth = channel.putAsync(4);
        assertEquals(1, channel.poll()); // frees a slot: the first waiting putter fills it
        assertTrue(third.isDone());
        assertFalse(fourth.isDone());
        assertFalse(channel.offer(5), "an offer must not overtake the waiting putter of 4");
        assertEquals(List.of(2, 3), channel.snapshot());
        assertEquals(2, channel.poll());
        assertTrue(fourth.isDone());
        List<Integer> drained = new ArrayList<>();
        assertEquals(2, channel.drainTo(drained, 10));
        assertEquals(List.of(3, 4), drained);

        CompletableFuture<Integer> firstGet = channel.getAsync(); // waits: empty
        CompletableFuture<Integer> secondGet = channel.getAsync();
        assertTrue(channel.offer(10));
        assertTrue(channel.offer(11));
        assertEquals(10, firstGet.join());
        assertEquals(11, secondGet.join());
        assertArrayEquals(new int[] {0, 0, 0}, ((AbstractChannel<?>) channel).queuedWaiters());
    }

    /**
     * drainTo is one atomic step (Channel's contract), although puts and gets take different locks: while offers race
     * with it, a drain of a channel of capacity 1 can never return two items, since two items are never buffered at
     * once and no putter waits (offer does not). A drain that released the take lock between items let an offer
     * refill the slot it had just freed, and returned both (found by Lincheck's model checker in the -Pstress soak).
     */
    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void aDrainIsAtomicWhileOffersRace() throws Exception {
        int rounds = 200_000 * Integer.getInteger("loomchan.stress.scale", 1);
        Channel<Integer> channel = Channel.buffered(1);
        Thread producer = Thread.ofPlatform().start(() -> {
            for (int i = 0; !Thread.currentThread().isInterrupted(); i++) {
                channel.offer(i);
            }
        });
        try {
            long drained = 0;
            List<Integer> target = new ArrayList<>();
            for (int round = 0; round < rounds; round++) {
                target.clear();
                int moved = channel.drainTo(target, 2);
                assertEquals(target.size(), moved);
                assertTrue(moved <= 1, "a drain of a capacity-1 channel returned " + target);
                drained += moved;
            }
            assertTrue(drained > 0, "the producer never got an item in: the race was not exercised");
        } finally {
            producer.interrupt();
            producer.join();
        }
    }

    /**
     * F1 under a race: one producer pipelines putAsync calls (several pending) while a consumer on another thread
     * frees slots under the take lock. A new put must never overtake the producer's own pending puts, even when the
     * slot is freed between the serve of the queued putters and the new put's own look at the slot.
     */
    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void aPipelinedProducersItemsArriveInItsOrder(int capacity) throws Exception {
        int count = 200_000 * Integer.getInteger("loomchan.stress.scale", 1);
        Channel<Integer> channel = Channel.buffered(capacity);
        Thread producer = Thread.ofPlatform().start(() -> {
            ArrayDeque<CompletableFuture<Void>> pending = new ArrayDeque<>();
            for (int i = 0; i < count; i++) {
                pending.add(channel.putAsync(i));
                if (pending.size() > 8) {
                    pending.poll().join();
                }
            }
            pending.forEach(CompletableFuture::join);
            channel.close();
        });
        int expected = 0;
        for (Integer item : channel) {
            assertEquals(expected, item, "items of one producer out of order");
            expected++;
        }
        producer.join();
        assertEquals(count, expected);
    }

    /** The channel's private {@code putSide} or {@code takeSide}, whose lock a test may hold to freeze that side. */
    private static ArrayChannel.Side side(Channel<?> channel, String field) throws ReflectiveOperationException {
        java.lang.reflect.Field f = ArrayChannel.class.getDeclaredField(field);
        f.setAccessible(true);
        return (ArrayChannel.Side) f.get(channel);
    }

    /**
     * H1, getter side, with the window held open: a getter waits; an offer stores 4 and then needs the take lock,
     * which the test holds, to hand 4 over. In between, a second offer finds the ring full, which is consistent only
     * if the getter receives 4; so cancelling the getter now must fail, and the getter gets 4. (Before H1 the cancel
     * won at once and 4 stayed buffered.)
     */
    @Test
    @Timeout(value = 1, unit = TimeUnit.MINUTES)
    void aWaitingGetterCannotBeWithdrawnFromAnItemAlreadyStoredForIt() throws Exception {
        Channel<Integer> channel = Channel.buffered(1);
        CompletableFuture<Integer> waiting = channel.getAsync();
        ArrayChannel.Side take = side(channel, "takeSide");
        CompletableFuture<Boolean> cancelled = new CompletableFuture<>();
        Thread putter;
        Thread canceller;
        take.lock();
        try {
            putter = Thread.ofPlatform().start(() -> assertTrue(channel.offer(4)));
            awaitBlockedOn(putter, take); // 4 is stored; its serve waits for the take lock
            assertFalse(channel.offer(2), "the item stored for the getter occupies the only slot");
            canceller = Thread.ofPlatform().start(() -> cancelled.complete(waiting.cancel(true)));
            canceller.join(200); // a withdrawal that does not wait for the take lock (the old code) is done by now
        } finally {
            take.unlock();
        }
        assertFalse(cancelled.get(30, TimeUnit.SECONDS), "the getter was withdrawn from the item meant for it");
        assertEquals(4, waiting.get(30, TimeUnit.SECONDS));
        putter.join();
        canceller.join();
        assertEquals(List.of(), channel.snapshot());
        assertArrayEquals(new int[] {0, 0, 0}, ((ArrayChannel<?>) channel).queuedWaiters());
    }

    /**
     * H1, putter side, with the window held open: a putter of 4 waits on a full buffered(1); a poll takes 1 and then
     * needs the put lock, which the test holds, to move 4 in. In between, a second poll finds the ring empty, which is
     * consistent only if the putter's 4 arrives; so cancelling the putter now must fail, and 4 is buffered.
     */
    @Test
    @Timeout(value = 1, unit = TimeUnit.MINUTES)
    void aWaitingPutterCannotBeWithdrawnFromASlotAlreadyFreedForIt() throws Exception {
        Channel<Integer> channel = Channel.buffered(1);
        assertTrue(channel.offer(1));
        CompletableFuture<Void> waiting = channel.putAsync(4);
        ArrayChannel.Side put = side(channel, "putSide");
        CompletableFuture<Boolean> cancelled = new CompletableFuture<>();
        Thread getter;
        Thread canceller;
        put.lock();
        try {
            getter = Thread.ofPlatform().start(() -> assertEquals(1, channel.poll()));
            awaitBlockedOn(getter, put); // 1 is taken; the serve of the putter waits for the put lock
            assertEquals(null, channel.poll(), "the freed slot is the putter's, not yet filled");
            canceller = Thread.ofPlatform().start(() -> cancelled.complete(waiting.cancel(true)));
            canceller.join(200);
        } finally {
            put.unlock();
        }
        assertFalse(cancelled.get(30, TimeUnit.SECONDS), "the putter was withdrawn from the slot freed for it");
        waiting.get(30, TimeUnit.SECONDS);
        getter.join();
        canceller.join();
        assertEquals(List.of(4), channel.snapshot());
        assertArrayEquals(new int[] {0, 0, 0}, ((ArrayChannel<?>) channel).queuedWaiters());
    }

    /**
     * H1 for a select: a select waits for a get on buffered(1); an offer stores 4 and then needs the take lock, which
     * the test holds, to hand it over; a second offer finds the ring full. Then the select is interrupted: before it
     * withdraws it serves the channel, which needs that lock, and once it has it reports 4 (with its interrupt status
     * kept), not the interrupt. (Before H1 it withdrew at once, threw InterruptedException, and 4 stayed buffered.)
     */
    @Test
    @Timeout(value = 1, unit = TimeUnit.MINUTES)
    void anInterruptedSelectTakesTheItemAlreadyStoredForItInstead() throws Exception {
        Channel<Integer> channel = Channel.buffered(1);
        CompletableFuture<Object> result = new CompletableFuture<>();
        AtomicReference<Boolean> stillInterrupted = new AtomicReference<>();
        Thread selector = Thread.ofPlatform().start(() -> {
            try {
                result.complete(Select.select(channel.onGet(item -> item)));
                stillInterrupted.set(Thread.currentThread().isInterrupted());
            } catch (Throwable failure) {
                result.completeExceptionally(failure);
            }
        });
        Waits.untilQueued(channel, 0, 1, 0, selector);
        ArrayChannel.Side take = side(channel, "takeSide");
        // Parked in the select itself, not in its registration's serve (which would take the item normally).
        Waits.until(
                "the select parks",
                () -> selector.getState() == Thread.State.WAITING && !(LockSupport.getBlocker(selector) == take),
                selector);
        Thread putter;
        take.lock();
        try {
            putter = Thread.ofPlatform().start(() -> assertTrue(channel.offer(4)));
            awaitBlockedOn(putter, take); // 4 is stored; its serve waits for the take lock
            assertFalse(channel.offer(2), "the item stored for the select occupies the only slot");
            selector.interrupt();
            awaitBlockedOn(selector, take); // the interrupted select waits for the take lock before it withdraws
        } finally {
            take.unlock();
        }
        assertEquals(4, result.get(30, TimeUnit.SECONDS));
        putter.join();
        selector.join();
        assertEquals(Boolean.TRUE, stillInterrupted.get(), "a select that reports a clause keeps the interrupt");
        assertEquals(List.of(), channel.snapshot());
        assertArrayEquals(new int[] {0, 0, 0}, ((ArrayChannel<?>) channel).queuedWaiters());
    }

    // ============================================================================ spinning before queuing

    /**
     * "Spinning before queuing": a virtual thread's untimed put (get) that finds the ring full (empty) spins once on
     * the one slot it needs before it queues. Nothing frees (fills) that slot here, so the spin runs out: a miss,
     * which lowers the score by HANDOFF_MISS; the operation queues and completes when the counterpart comes. The next
     * blocked operation finds the score below 0, is refused the spin (one refusal counted) and queues at once.
     */
    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    @Timeout(value = 1, unit = TimeUnit.MINUTES)
    void aBlockedVirtualOperationSpinsOnceBeforeQueuingAndAMissLowersTheScore(boolean put) throws Exception {
        ArrayChannel<Integer> channel = (ArrayChannel<Integer>) Channel.<Integer>buffered(2);
        if (put) {
            assertTrue(channel.offer(1));
            assertTrue(channel.offer(2));
        }
        assertEquals(0, channel.handoffScore);
        CompletableFuture<Integer> first = blockVirtual(channel, put, 3);
        Waits.untilQueued(channel, put ? 1 : 0, put ? 0 : 1, 0);
        assertEquals(-AbstractChannel.HANDOFF_MISS, channel.handoffScore, "the spin ran out: one miss");
        assertEquals(0, channel.handoffRefusals, "the first wait was not refused its spin");
        if (put) {
            assertEquals(1, channel.poll()); // frees a slot: the queued putter's 3 moves in
        } else {
            assertTrue(channel.offer(3)); // the queued getter receives it
        }
        assertEquals(3, first.get(30, TimeUnit.SECONDS));

        CompletableFuture<Integer> second = blockVirtual(channel, put, 4);
        Waits.untilQueued(channel, put ? 1 : 0, put ? 0 : 1, 0);
        assertEquals(1, channel.handoffRefusals, "below a score of 0 the wait is refused its spin");
        assertEquals(-AbstractChannel.HANDOFF_MISS, channel.handoffScore, "a refused wait teaches nothing");
        if (put) {
            assertEquals(2, channel.poll());
        } else {
            assertTrue(channel.offer(4));
        }
        assertEquals(4, second.get(30, TimeUnit.SECONDS));
        assertEquals(put ? List.of(3, 4) : List.of(), channel.snapshot());
        assertArrayEquals(new int[] {0, 0, 0}, channel.queuedWaiters());
    }

    /**
     * Only an untimed wait of a virtual thread that is not interrupted spins before queuing: a platform thread spins
     * in await instead (with its own budget), a timed wait and an interrupted thread queue at once (the score, which
     * only spins change, stays 0). The interrupted put is withdrawn and its item never enqueued (N1).
     */
    @Test
    @Timeout(value = 1, unit = TimeUnit.MINUTES)
    void platformTimedAndInterruptedWaitsQueueWithoutTheSpin() throws Exception {
        ArrayChannel<Integer> channel = (ArrayChannel<Integer>) Channel.<Integer>buffered(1);
        CompletableFuture<Integer> platform = new CompletableFuture<>();
        Thread.ofPlatform().start(() -> complete(platform, channel::get));
        Waits.untilQueued(channel, 0, 1, 0);
        assertTrue(channel.offer(1));
        assertEquals(1, platform.get(30, TimeUnit.SECONDS));

        CompletableFuture<Integer> timed = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> complete(timed, () -> channel.poll(Duration.ofMinutes(1))));
        Waits.untilQueued(channel, 0, 1, 0);
        assertTrue(channel.offer(2));
        assertEquals(2, timed.get(30, TimeUnit.SECONDS));

        assertTrue(channel.offer(3)); // full
        CompletableFuture<Integer> interrupted = new CompletableFuture<>();
        Thread.ofVirtual()
                .start(() -> complete(interrupted, () -> {
                    Thread.currentThread().interrupt();
                    channel.put(4);
                    return 4;
                }));
        ExecutionException failure =
                assertThrows(ExecutionException.class, () -> interrupted.get(30, TimeUnit.SECONDS));
        assertInstanceOf(InterruptedException.class, failure.getCause());
        assertEquals(List.of(3), channel.snapshot(), "the interrupted put enqueued nothing");

        assertEquals(0, channel.handoffScore, "no wait spun before queuing");
        assertEquals(0, channel.handoffRefusals);
        assertArrayEquals(new int[] {0, 0, 0}, channel.queuedWaiters());
    }

    /**
     * The spin and the retry that follows it race with barging offers: a put that saw its slot freed can find it
     * filled again by an offer before it retakes the lock, and then queues (no second spin). Virtual producers put
     * (and spin whenever the one slot is taken), a platform thread offers into the same slot whenever it looks
     * free, and a virtual consumer takes everything: every item arrives exactly once, each source's in order, and
     * nobody is left queued. A stress test: which path each put takes is up to the scheduler; the deterministic
     * white-box tests above pin the spin's gate.
     */
    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void spinningPutsRacingBargingOffersLoseNothingAndKeepEachSourcesOrder() throws Exception {
        int producers = 3;
        int perProducer = 20_000;
        int offers = 20_000;
        Channel<long[]> channel = Channel.buffered(1);
        List<Thread> threads = new ArrayList<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        for (int p = 0; p < producers; p++) {
            int source = p;
            threads.add(Thread.ofVirtual().start(() -> {
                try {
                    for (int i = 0; i < perProducer; i++) {
                        channel.put(new long[] {source, i});
                    }
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                }
            }));
        }
        threads.add(Thread.ofPlatform().start(() -> {
            for (int i = 0; i < offers; ) {
                if (channel.offer(new long[] {producers, i})) {
                    i++;
                } else {
                    Thread.onSpinWait();
                }
            }
        }));
        int total = producers * perProducer + offers;
        long[] next = new long[producers + 1];
        CompletableFuture<Integer> consumed = new CompletableFuture<>();
        Thread consumer = Thread.ofVirtual()
                .start(() -> complete(consumed, () -> {
                    for (int n = 0; n < total; n++) {
                        long[] item = channel.get();
                        int source = (int) item[0];
                        if (item[1] != next[source]) {
                            throw new AssertionError(
                                    "source " + source + ": expected item " + next[source] + ", got " + item[1]);
                        }
                        next[source]++;
                    }
                    return total;
                }));
        assertEquals(total, consumed.get(90, TimeUnit.SECONDS));
        for (Thread t : threads) {
            t.join();
        }
        consumer.join();
        if (failure.get() != null) {
            throw new AssertionError("a producer failed", failure.get());
        }
        assertTrue(channel.isEmpty(), "nothing is left over");
        assertArrayEquals(new int[] {0, 0, 0}, ((ArrayChannel<?>) channel).queuedWaiters());
    }

    /** Starts a virtual thread that puts {@code item} (then completes with it) or gets (then completes with that). */
    private static CompletableFuture<Integer> blockVirtual(Channel<Integer> channel, boolean put, int item) {
        CompletableFuture<Integer> result = new CompletableFuture<>();
        Thread.ofVirtual()
                .start(() -> complete(result, () -> {
                    if (put) {
                        channel.put(item);
                        return item;
                    }
                    return channel.get();
                }));
        return result;
    }

    /** Completes {@code result} with what {@code body} returns, or with what it throws. */
    private static <V> void complete(CompletableFuture<V> result, Callable<V> body) {
        try {
            result.complete(body.call());
        } catch (Throwable t) {
            result.completeExceptionally(t);
        }
    }

    /** Waits until {@code thread} is parked on {@code blocker} (an AQS lock parks with itself as the blocker). */
    private static void awaitBlockedOn(Thread thread, Object blocker) {
        Waits.until("the thread waits for the held lock", () -> LockSupport.getBlocker(thread) == blocker, thread);
    }
}
