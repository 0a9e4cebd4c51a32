package io.github.loomchan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * White-box checks of {@link BufferedChannel}: the buffer is allocated lazily for huge capacities, grows and
 * shrinks, and keeps FIFO through wrap-around, growth and refills from waiting putters for capacities that are not
 * powers of two.
 */
class BufferedChannelWhiteBoxTest {

    /** The length of the channel's ring (the private field {@code items}). */
    private static int ringLength(Channel<?> channel) {
        return RingLength.of(channel, BufferedChannel.class, "items");
    }

    @Test
    void bufferedMaxValueAllocatesNoHugeArrayAndWorks() {
        Channel<Integer> channel = Channel.buffered(Integer.MAX_VALUE);
        assertEquals(Integer.MAX_VALUE, channel.capacity());
        assertTrue(ringLength(channel) <= 1024, "initial ring of " + ringLength(channel) + " slots");
        int count = 200_000;
        for (int i = 0; i < count; i++) {
            assertTrue(channel.offer(i));
        }
        assertFalse(channel.isFull());
        assertEquals(count, channel.size());
        int grown = ringLength(channel);
        assertTrue(grown >= count && grown < 4 * count, "the ring grew with the items: " + grown);
        for (int i = 0; i < count; i++) {
            assertEquals(i, channel.poll());
        }
        assertTrue(ringLength(channel) <= 1024, "an emptied ring is given back: " + ringLength(channel));
    }

    @Test
    void thousandsOfHugeCapacityChannelsCostLittleMemory() {
        // If buffered(Integer.MAX_VALUE) allocated its capacity up front (8 GB of references with compressed oops
        // disabled, 4 GB with), the first channel would already fail with OutOfMemoryError.
        Runtime runtime = Runtime.getRuntime();
        System.gc();
        long before = runtime.totalMemory() - runtime.freeMemory();
        List<Channel<String>> channels = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            Channel<String> channel = i % 2 == 0 ? Channel.buffered(Integer.MAX_VALUE) : Channel.unbounded();
            channel.putNowait("x");
            channels.add(channel);
        }
        long after = runtime.totalMemory() - runtime.freeMemory();
        // generous: 10,000 small channels take a few MB; the bound only catches allocations per channel of ~100 KB+
        assertTrue(after - before < 1L << 30, "10,000 channels took " + (after - before) / (1 << 20) + " MB");
        assertEquals(10_000, channels.stream().mapToInt(Channel::size).sum());
    }

    @Test
    void unboundedRingGrowsWithTheHeadInTheMiddle() {
        Channel<Integer> channel = Channel.unbounded();
        ArrayDeque<Integer> expected = new ArrayDeque<>();
        int next = 0;
        for (int round = 0; round < 12; round++) {
            // put more than we take, so the ring wraps and then grows while the head is not at slot 0
            for (int i = 0; i < 7 + round * 5; i++) {
                channel.putNowait(next);
                expected.add(next++);
            }
            for (int i = 0; i < 5; i++) {
                assertEquals(expected.poll(), channel.poll());
            }
            assertEquals(List.copyOf(expected), channel.snapshot());
        }
        while (!expected.isEmpty()) {
            assertEquals(expected.poll(), channel.getNowait());
        }
        assertNull(channel.poll());
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 5, 17, 1000, 1024, 1025, 3000})
    void fifoHoldsThroughWrapGrowthAndRefillsFromWaitingPutters(int capacity) {
        // Random offers, pending putAsyncs (waiting putters), cancellations, polls and drains, compared with a
        // model: a bounded FIFO buffer plus a FIFO of waiting putters that refill it as room appears.
        Channel<Integer> channel = Channel.buffered(capacity);
        ArrayDeque<Integer> buffer = new ArrayDeque<>();
        List<Integer> pendingItems = new ArrayList<>();
        List<CompletableFuture<Void>> pendingPuts = new ArrayList<>();
        Random random = new Random(capacity);
        int next = 0;
        int steps = capacity > 100 ? 20_000 : 5_000;
        for (int step = 0; step < steps; step++) {
            int op = random.nextInt(10);
            if (op < 3) {
                int item = next++;
                boolean fits = buffer.size() < capacity;
                assertEquals(fits, channel.offer(item));
                if (fits) {
                    buffer.add(item);
                }
            } else if (op < 5) {
                int item = next++;
                CompletableFuture<Void> put = channel.putAsync(item);
                if (buffer.size() < capacity) {
                    assertTrue(put.isDone());
                    buffer.add(item);
                } else {
                    assertFalse(put.isDone());
                    pendingItems.add(item);
                    pendingPuts.add(put);
                }
            } else if (op == 5 && !pendingPuts.isEmpty()) {
                int victim = random.nextInt(pendingPuts.size());
                assertTrue(pendingPuts.remove(victim).cancel(false));
                pendingItems.remove(victim);
            } else if (op < 9) {
                int burst = 1 + random.nextInt(capacity > 100 ? 200 : 3);
                for (int i = 0; i < burst; i++) {
                    Integer expected = buffer.poll();
                    if (expected != null && !pendingItems.isEmpty()) {
                        buffer.add(pendingItems.remove(0));
                        CompletableFuture<Void> put = pendingPuts.remove(0);
                        assertEquals(expected, channel.poll());
                        assertTrue(put.isDone(), "the get that freed a slot completed the first waiting put");
                    } else {
                        assertEquals(expected, channel.poll());
                    }
                }
            } else {
                assertEquals(List.copyOf(buffer), channel.snapshot());
            }
            assertEquals(buffer.size(), channel.size());
            assertEquals(buffer.size() == capacity, channel.isFull());
            assertEquals(pendingPuts.size(), Waits.queued(channel)[0]);
        }
        channel.close();
        for (CompletableFuture<Void> put : pendingPuts) {
            assertTrue(put.isCompletedExceptionally(), "a put still waiting at close fails");
        }
        List<Integer> rest = new ArrayList<>();
        channel.drainTo(rest, Integer.MAX_VALUE);
        assertEquals(List.copyOf(buffer), rest);
        assertTrue(channel.isDone());
    }
}
