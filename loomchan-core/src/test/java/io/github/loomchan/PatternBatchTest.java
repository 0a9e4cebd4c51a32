package io.github.loomchan;

import static io.github.loomchan.PatternThreads.assertRange;
import static io.github.loomchan.PatternThreads.awaitBlocked;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link Channels#readBatch} and {@link Channels#batches}. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class PatternBatchTest {
    private static final Duration LONG_LINGER = Duration.ofMinutes(5); // never expires within a test's timeout

    /** Runs {@code readBatch} on a tracked thread; the future holds the batch or the exception. */
    private static CompletableFuture<Object> readInThread(
            PatternThreads threads, Channel<Integer> channel, int max, Duration linger, boolean[] interruptedAfter) {
        CompletableFuture<Object> outcome = new CompletableFuture<>();
        threads.newThread(() -> {
                    try {
                        List<Integer> batch = Channels.readBatch(channel, max, linger);
                        interruptedAfter[0] = Thread.currentThread().isInterrupted();
                        outcome.complete(batch);
                    } catch (Throwable e) {
                        outcome.complete(e);
                    }
                })
                .start();
        return outcome;
    }

    @Test
    void takesWhatIsAvailableUpToMaxWithoutWaitingForMore() throws InterruptedException {
        Channel<Integer> channel = Channel.buffered(10);
        for (int i = 0; i < 5; i++) {
            channel.put(i);
        }
        assertEquals(List.of(0, 1, 2), Channels.readBatch(channel, 3));
        assertEquals(List.of(3, 4), Channels.readBatch(channel, 10)); // no wait for a full batch
        channel.close();
        assertEquals(List.of(), Channels.readBatch(channel, 10), "closed and drained: the clean end");
    }

    @Test
    void waitsForTheFirstItem() throws Exception {
        PatternThreads threads = PatternThreads.virtual();
        Channel<Integer> channel = Channel.rendezvous();
        CompletableFuture<Object> outcome = readInThread(threads, channel, 5, Duration.ZERO, new boolean[1]);
        awaitBlocked(threads.threads().get(0));
        assertFalse(outcome.isDone());
        channel.put(7);
        assertEquals(List.of(7), outcome.get(10, TimeUnit.SECONDS));
        threads.assertAllTerminated(1);
    }

    @Test
    void lingerWaitsToFillTheBatchAndReturnsOnceFull() throws Exception {
        PatternThreads threads = PatternThreads.virtual();
        Channel<Integer> channel = Channel.buffered(10);
        CompletableFuture<Object> outcome = readInThread(threads, channel, 3, LONG_LINGER, new boolean[1]);
        channel.put(1);
        awaitBlocked(threads.threads().get(0));
        channel.put(2);
        channel.put(3); // the batch is full: it returns without waiting out the linger
        assertEquals(List.of(1, 2, 3), outcome.get(10, TimeUnit.SECONDS));
        threads.assertAllTerminated(1);
    }

    @Test
    void closeWhileLingeringReturnsTheBatchAndTheNextReadSeesTheEnd() throws Exception {
        PatternThreads threads = PatternThreads.virtual();
        Channel<Integer> channel = Channel.buffered(10);
        channel.put(1);
        CompletableFuture<Object> outcome = readInThread(threads, channel, 3, LONG_LINGER, new boolean[1]);
        awaitBlocked(threads.threads().get(0));
        IOException cause = new IOException("producer failed");
        channel.close(cause);
        assertEquals(List.of(1), outcome.get(10, TimeUnit.SECONDS));
        ChannelClosedException end = assertThrows(ChannelClosedException.class, () -> Channels.readBatch(channel, 3));
        assertSame(cause, end.getCause(), "a failure is never reported as a clean end");
        threads.assertAllTerminated(1);
    }

    @Test
    void interruptWhileLingeringReturnsTheItemsAlreadyTaken() throws Exception {
        PatternThreads threads = PatternThreads.virtual();
        Channel<Integer> channel = Channel.buffered(10);
        channel.put(1);
        boolean[] interruptedAfter = new boolean[1];
        CompletableFuture<Object> outcome = readInThread(threads, channel, 3, LONG_LINGER, interruptedAfter);
        Thread reader = threads.threads().get(0);
        awaitBlocked(reader);
        reader.interrupt();
        assertEquals(List.of(1), outcome.get(10, TimeUnit.SECONDS), "no item lost to the interrupt");
        assertTrue(interruptedAfter[0], "the interrupt is kept for the caller");
        threads.assertAllTerminated(1);
    }

    @Test
    void interruptBeforeTheFirstItemConsumesNothing() throws Exception {
        PatternThreads threads = PatternThreads.virtual();
        Channel<Integer> channel = Channel.buffered(10);
        CompletableFuture<Object> outcome = readInThread(threads, channel, 3, LONG_LINGER, new boolean[1]);
        Thread reader = threads.threads().get(0);
        awaitBlocked(reader);
        reader.interrupt();
        assertInstanceOf(InterruptedException.class, outcome.get(10, TimeUnit.SECONDS));
        channel.put(5);
        assertEquals(List.of(5), channel.snapshot());
        threads.assertAllTerminated(1);
    }

    @Test
    void batchesIterateEveryItemInOrderInNonEmptyBatches() throws InterruptedException {
        PatternThreads threads = PatternThreads.virtual();
        Channel<Integer> channel = Channels.produce(
                7,
                out -> {
                    for (int i = 0; i < 1000; i++) {
                        out.put(i);
                    }
                },
                threads);
        List<Integer> all = new ArrayList<>();
        for (List<Integer> batch : Channels.batches(channel, 50, Duration.ofMillis(1))) {
            assertFalse(batch.isEmpty());
            assertTrue(batch.size() <= 50);
            all.addAll(batch);
        }
        assertRange(1000, all);
        threads.assertAllTerminated(1);
    }

    @Test
    void batchesEndByThrowingTheCloseCause() {
        Channel<Integer> channel = Channel.buffered(4);
        channel.offer(1);
        IllegalStateException cause = new IllegalStateException("boom");
        channel.close(cause);
        List<Integer> all = new ArrayList<>();
        ChannelClosedException end = assertThrows(ChannelClosedException.class, () -> {
            for (List<Integer> batch : Channels.batches(channel, 10, Duration.ZERO)) {
                all.addAll(batch);
            }
        });
        assertSame(cause, end.getCause());
        assertEquals(List.of(1), all);
    }

    @Test
    void maxBelowOneIsRejected() {
        Channel<Integer> channel = Channel.unbounded();
        assertThrows(IllegalArgumentException.class, () -> Channels.readBatch(channel, 0));
        assertThrows(IllegalArgumentException.class, () -> Channels.batches(channel, -1, Duration.ZERO));
    }
}
