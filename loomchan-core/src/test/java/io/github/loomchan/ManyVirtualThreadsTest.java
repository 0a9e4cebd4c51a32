package io.github.loomchan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * 100,000 virtual threads blocked on one channel at once (waiters never pin a carrier, so this needs no more than
 * the default carrier pool), released half by counterparts and half by close, every one of them accounted for.
 */
class ManyVirtualThreadsTest {
    private static final int THREADS = 100_000;

    /** What happened to each thread: null while running. */
    private static final String CLOSED = "closed";

    @ParameterizedTest
    @EnumSource(
            value = ChannelKind.class,
            names = {"RENDEZVOUS"}) // getters wait on an empty channel the same way for every kind
    void blockedGettersAreReleasedByPutsAndByClose(ChannelKind kind) throws InterruptedException {
        Channel<Integer> channel = kind.create();
        AtomicReferenceArray<Object> outcome = new AtomicReferenceArray<>(THREADS);
        CountDownLatch finished = new CountDownLatch(THREADS);
        List<Thread> threads = new ArrayList<>(THREADS);
        for (int i = 0; i < THREADS; i++) {
            int index = i;
            threads.add(Thread.ofVirtual().start(() -> {
                try {
                    outcome.set(index, channel.get());
                } catch (ChannelClosedException e) {
                    outcome.set(index, CLOSED);
                } catch (Throwable t) {
                    outcome.set(index, t);
                } finally {
                    finished.countDown();
                }
            }));
        }
        long t0 = System.nanoTime();
        awaitQueued(channel, 0, THREADS);
        long t1 = System.nanoTime();
        int released = THREADS / 2;
        for (int i = 0; i < released; i++) {
            channel.put(i); // a getter waits for each of these, so put never blocks
        }
        assertEquals(0, channel.size(), "every item went straight to a waiting getter");
        long t2 = System.nanoTime();
        channel.close();
        awaitAll(finished, threads);
        System.out.printf(
                "%d getters: all queued after %d ms, half released by puts in %d ms, the rest by close in %d ms%n",
                THREADS, (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000, (System.nanoTime() - t2) / 1_000_000);

        BitSet items = new BitSet(released);
        int closed = 0;
        for (int i = 0; i < THREADS; i++) {
            Object result = outcome.get(i);
            if (result == CLOSED) {
                closed++;
            } else if (result instanceof Integer item) {
                assertTrue(item >= 0 && item < released, "unknown item " + item);
                assertTrue(!items.get(item), "item " + item + " received twice");
                items.set(item);
            } else {
                fail("getter " + i + " ended with " + result);
            }
        }
        assertEquals(released, items.cardinality(), "every item was received");
        assertEquals(THREADS - released, closed, "every other getter saw the close");
        assertTrue(channel.isDone());
        Waits.untilQueued(channel, 0, 0, 0);
    }

    @ParameterizedTest
    @EnumSource(
            value = ChannelKind.class,
            names = {"BUFFERED_16"}) // a full buffer: gets take the buffer and refill it from the waiting putters
    void blockedPuttersAreReleasedByGetsAndByClose(ChannelKind kind) throws InterruptedException {
        Channel<Integer> channel = kind.create();
        int buffered = kind.capacity;
        for (int i = 0; i < buffered; i++) {
            channel.putNowait(-1 - i); // fill: negative items are not the putters'
        }
        AtomicReferenceArray<Object> outcome = new AtomicReferenceArray<>(THREADS);
        CountDownLatch finished = new CountDownLatch(THREADS);
        List<Thread> threads = new ArrayList<>(THREADS);
        for (int i = 0; i < THREADS; i++) {
            int index = i;
            threads.add(Thread.ofVirtual().start(() -> {
                try {
                    channel.put(index);
                    outcome.set(index, "put");
                } catch (ChannelClosedException e) {
                    outcome.set(index, CLOSED);
                } catch (Throwable t) {
                    outcome.set(index, t);
                } finally {
                    finished.countDown();
                }
            }));
        }
        awaitQueued(channel, THREADS, 0);
        List<Integer> received = new ArrayList<>();
        for (int i = 0; i < THREADS / 2; i++) {
            received.add(channel.get()); // a putter waits behind each of these, so get never blocks
        }
        channel.close();
        channel.drainTo(received, Integer.MAX_VALUE); // what the released putters left in the buffer
        awaitAll(finished, threads);

        BitSet receivedFromPutters = new BitSet(THREADS);
        int fillItems = 0;
        for (int item : received) {
            if (item < 0) {
                fillItems++;
            } else {
                assertTrue(!receivedFromPutters.get(item), "item " + item + " received twice");
                receivedFromPutters.set(item);
            }
        }
        assertEquals(buffered, fillItems);
        int put = 0;
        for (int i = 0; i < THREADS; i++) {
            Object result = outcome.get(i);
            if ("put".equals(result)) {
                put++;
                assertTrue(receivedFromPutters.get(i), "putter " + i + " returned but its item was not received");
            } else if (result == CLOSED) {
                assertTrue(!receivedFromPutters.get(i), "putter " + i + " failed but its item was received");
            } else {
                fail("putter " + i + " ended with " + result);
            }
        }
        assertEquals(THREADS / 2, put, "each get released exactly one putter");
        assertTrue(channel.isDone());
        Waits.untilQueued(channel, 0, 0, 0);
    }

    /** Waits until the given numbers of putters and getters are queued; polls rarely (counting is O(waiters)). */
    private static void awaitQueued(Channel<?> channel, int putters, int getters) {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
        int[] queued;
        while ((queued = Waits.queued(channel))[0] != putters || queued[1] != getters) {
            if (System.nanoTime() - deadline > 0) {
                fail("only " + queued[0] + " putters and " + queued[1] + " getters queued after a minute");
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
    }

    private static void awaitAll(CountDownLatch finished, List<Thread> threads) throws InterruptedException {
        if (!finished.await(1, TimeUnit.MINUTES)) {
            List<Thread> stuck =
                    threads.stream().filter(Thread::isAlive).limit(5).toList();
            fail(finished.getCount() + " threads did not end; some of them:\n"
                    + ThreadDumps.dump(stuck.toArray(new Thread[0])));
        }
    }
}
