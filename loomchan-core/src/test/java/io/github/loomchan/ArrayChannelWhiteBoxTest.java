package io.github.loomchan;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * White-box checks of {@link ArrayChannel}, the split-lock buffered channel: which capacities it serves, that a
 * drainTo target breaking the "must not use this channel" rule gets an exception instead of a deadlock (its locks
 * are not reentrant), and that each side stays FIFO with waiters and barging operations mixed.
 */
class ArrayChannelWhiteBoxTest {

    @Test
    void servesCapacitiesUpTo1024AndLeavesTheRestToTheOneLockChannel() {
        assertInstanceOf(ArrayChannel.class, Channel.buffered(1));
        assertInstanceOf(ArrayChannel.class, Channel.buffered(AbstractChannel.SPLIT_MAX_CAPACITY));
        assertInstanceOf(BufferedChannel.class, Channel.buffered(AbstractChannel.SPLIT_MAX_CAPACITY + 1));
        assertInstanceOf(BufferedChannel.class, Channel.rendezvous());
        assertInstanceOf(BufferedChannel.class, Channel.unbounded());
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
}
