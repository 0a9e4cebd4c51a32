package io.github.loomchan;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The single-threaded part of the {@link Channel} contract, run once per {@link ChannelKind}: every row of the API
 * table and every "precise point" that needs no second thread. A waiting counterpart, where one is needed (a
 * rendezvous channel's item, a getter for {@code offer}), is a pending future; blocked threads are covered by
 * {@link ChannelBlockingTest}.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(ChannelKind.class)
class ChannelContractTest {
    private static final Duration SHORT = Duration.ofMillis(20);
    private static final Duration FOREVER = Duration.ofSeconds(Long.MAX_VALUE, 999_999_999);

    private final ChannelKind kind;
    private final Channel<String> channel;

    ChannelContractTest(ChannelKind kind) {
        this.kind = kind;
        this.channel = kind.create();
    }

    @AfterEach
    void leavesNoWaiterBehind() {
        Thread.interrupted(); // a failed test must not leak the flag into the next one
        Waits.untilQueued(channel, 0, 0, 0);
    }

    // ------------------------------------------------------------------------------------------------ inspection

    @Test
    void newChannelIsOpenEmptyAndReportsItsCapacity() {
        assertEquals(kind.capacity, channel.capacity());
        assertFalse(channel.isClosed());
        assertFalse(channel.isDone());
        assertEquals(0, channel.size());
        assertTrue(channel.isEmpty());
        assertEquals(kind.isRendezvous(), channel.isFull());
        assertEquals(List.of(), channel.snapshot());
        assertEquals("Channel[" + kind.displayName() + ", size=0, open]", channel.toString());
    }

    @Test
    void sizeIsEmptyAndIsFullFollowTheBuffer() {
        assumeFalse(kind.isRendezvous());
        for (int i = 1; i <= kind.fillCount(); i++) {
            assertTrue(channel.offer("i" + i));
            assertEquals(i, channel.size());
            assertFalse(channel.isEmpty());
            assertEquals(i == kind.capacity, channel.isFull());
        }
        for (int i = kind.fillCount() - 1; i >= 0; i--) {
            channel.getNowait();
            assertEquals(i, channel.size());
            assertEquals(i == 0, channel.isEmpty());
            assertFalse(channel.isFull());
        }
    }

    @Test
    void rendezvousCountsNothingEvenWithWaitingPutters() {
        assumeTrue(kind.isRendezvous());
        List<CompletableFuture<Void>> puts = Supply.items(channel, "a", "b");
        assertEquals(0, channel.size());
        assertTrue(channel.isEmpty());
        assertTrue(channel.isFull());
        assertEquals(List.of(), channel.snapshot());
        assertTrue(channel.toString().contains("size=0"), channel.toString());
        assertEquals("a", channel.poll());
        assertEquals("b", channel.poll());
        puts.forEach(CompletableFuture::join);
    }

    @Test
    void snapshotIsAnUnmodifiableCopyOldestFirst() {
        assumeFalse(kind.isRendezvous());
        List<String> filled = fillBuffer();
        List<String> snapshot = channel.snapshot();
        assertEquals(filled, snapshot);
        assertEquals(filled.size(), channel.size(), "snapshot consumes nothing");
        assertThrows(UnsupportedOperationException.class, () -> snapshot.add("x"));
        channel.poll();
        assertEquals(filled, snapshot, "later operations do not change a snapshot");
        assertEquals(filled.subList(1, filled.size()), channel.snapshot());
    }

    /** Fills a bounded buffer, or puts {@link ChannelKind#fillCount()} items into an unbounded one. */
    private List<String> fillBuffer() {
        if (kind.isBounded()) {
            return Supply.fill(channel);
        }
        List<String> put = new ArrayList<>();
        for (int i = 0; i < kind.fillCount(); i++) {
            channel.putNowait("f" + i);
            put.add("f" + i);
        }
        return put;
    }

    @Test
    void toStringShowsKindSizeAndState() {
        assumeFalse(kind.isRendezvous());
        channel.putNowait("a");
        assertEquals("Channel[" + kind.displayName() + ", size=1, open]", channel.toString());
        channel.close(new IllegalStateException("producer broke"));
        String closed = channel.toString();
        assertTrue(closed.startsWith("Channel[" + kind.displayName() + ", size=1, closed"), closed);
        assertTrue(closed.contains("producer broke"), "shows the cause: " + closed);
        channel.poll();
        String done = channel.toString();
        assertTrue(done.startsWith("Channel[" + kind.displayName() + ", size=0, done"), done);
        assertTrue(done.contains("producer broke"), done);
    }

    @Test
    void toStringOfDoneChannelWithoutCause() {
        channel.close();
        assertEquals("Channel[" + kind.displayName() + ", size=0, done]", channel.toString());
    }

    @Test
    void sequentialOperationsMatchAFifoQueue() {
        assumeFalse(kind.isRendezvous());
        // Random offers, polls, drains and snapshots against ArrayDeque: exercises the ring's wrap-around and (for
        // the unbounded kind) its growth and shrinking with the head anywhere in the ring.
        Random random = new Random(42);
        ArrayDeque<String> expected = new ArrayDeque<>();
        int limit = kind.capacity;
        int next = 0;
        for (int step = 0; step < 20_000; step++) {
            int op = random.nextInt(10);
            if (op < 4) {
                int burst = 1 + random.nextInt(op < 2 ? 60 : 3);
                for (int i = 0; i < burst; i++) {
                    String item = "i" + next++;
                    boolean fits = expected.size() < limit;
                    assertEquals(fits, channel.offer(item), "offer at size " + expected.size());
                    if (fits) {
                        expected.addLast(item);
                    }
                }
            } else if (op < 8) {
                int burst = 1 + random.nextInt(op < 6 ? 60 : 3);
                for (int i = 0; i < burst; i++) {
                    assertEquals(expected.pollFirst(), channel.poll());
                }
            } else if (op == 8) {
                int max = random.nextInt(30) - 5;
                List<String> drained = new ArrayList<>();
                int moved = channel.drainTo(drained, max);
                List<String> want = new ArrayList<>();
                for (int i = 0; i < max && !expected.isEmpty(); i++) {
                    want.add(expected.pollFirst());
                }
                assertEquals(want, drained);
                assertEquals(want.size(), moved);
            } else {
                assertEquals(List.copyOf(expected), channel.snapshot());
            }
            assertEquals(expected.size(), channel.size());
            assertEquals(expected.isEmpty(), channel.isEmpty());
            assertEquals(expected.size() == kind.capacity, channel.isFull());
        }
    }

    // ------------------------------------------------------------------------------------------------ put / get now

    @Test
    void offerAndPutNowaitReportFullOnlyWhenNoRoom() {
        assumeTrue(kind.isBounded());
        List<String> filled = Supply.fill(channel);
        assertFalse(channel.offer("over"));
        assertThrows(ChannelFullException.class, () -> channel.putNowait("over"));
        assertEquals(filled, channel.snapshot(), "a rejected item is not enqueued");
        assertEquals(kind.capacity, channel.size());
        if (!kind.isRendezvous()) {
            assertEquals("f0", channel.poll());
            assertTrue(channel.offer("after"), "room again after a get");
        }
    }

    @Test
    void unboundedOfferNeverReportsFull() {
        assumeFalse(kind.isBounded());
        for (int i = 0; i < 100_000; i++) {
            assertTrue(channel.offer("u" + i));
        }
        channel.putNowait("last");
        assertFalse(channel.isFull());
        assertEquals(100_001, channel.size());
        assertEquals("u0", channel.poll());
    }

    @Test
    void rendezvousOfferSucceedsOnlyWithAWaitingGetter() {
        assumeTrue(kind.isRendezvous());
        assertFalse(channel.offer("a"));
        assertThrows(ChannelFullException.class, () -> channel.putNowait("a"));
        CompletableFuture<String> first = channel.getAsync();
        CompletableFuture<String> second = channel.getAsync();
        assertFalse(first.isDone());
        assertTrue(channel.offer("b"));
        channel.putNowait("c");
        assertEquals("b", first.join(), "waiting getters are served first-come first-served");
        assertEquals("c", second.join());
        assertFalse(channel.offer("d"), "no getter waits any more");
    }

    @Test
    void rendezvousPollSucceedsOnlyWithAWaitingPutter() {
        assumeTrue(kind.isRendezvous());
        assertNull(channel.poll());
        assertThrows(ChannelEmptyException.class, channel::getNowait);
        List<CompletableFuture<Void>> puts = Supply.items(channel, "a", "b");
        assertEquals("a", channel.poll());
        assertTrue(puts.get(0).isDone(), "the putter's put completed when its item was taken");
        assertFalse(puts.get(1).isDone());
        assertEquals("b", channel.getNowait());
        puts.get(1).join();
        assertNull(channel.poll());
    }

    @Test
    void pollAndGetNowaitOnEmptyOpenChannel() throws InterruptedException {
        assertNull(channel.poll());
        assertThrows(ChannelEmptyException.class, channel::getNowait);
        assertNull(channel.poll(Duration.ZERO), "zero timeout means try now");
        assertNull(channel.poll(Duration.ofSeconds(-5)), "negative timeout means try now");
        assertFalse(channel.isClosed());
    }

    @Test
    void itemsComeOutOldestFirstThroughEveryGet() throws Exception {
        List<CompletableFuture<Void>> puts = Supply.items(channel, "a", "b", "c", "d", "e", "f", "g");
        // buffered(1) holds one item: feed it as we go
        assertEquals("a", channel.get());
        assertEquals("b", channel.getNowait());
        assertEquals("c", channel.poll());
        assertEquals("d", channel.poll(Duration.ZERO));
        assertEquals("e", channel.poll(Duration.ofSeconds(10)));
        assertEquals("f", channel.getAsync().get(10, TimeUnit.SECONDS));
        List<String> rest = new ArrayList<>();
        assertEquals(1, channel.drainTo(rest, 5));
        assertEquals(List.of("g"), rest);
        for (CompletableFuture<Void> put : puts) {
            put.get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void offerWithZeroOrNegativeTimeoutTriesNow() throws InterruptedException {
        if (kind.isRendezvous()) {
            assertFalse(channel.offer("a", Duration.ZERO));
            CompletableFuture<String> getter = channel.getAsync();
            assertTrue(channel.offer("a", Duration.ofMillis(-1)));
            assertEquals("a", getter.join());
            return;
        }
        assertTrue(channel.offer("a", Duration.ZERO));
        if (kind.capacity > 1) {
            assertTrue(channel.offer("b", Duration.ofDays(-1)));
        }
        if (kind.isBounded()) {
            while (!channel.isFull()) {
                channel.putNowait("x");
            }
            assertFalse(channel.offer("c", Duration.ZERO));
            assertFalse(channel.offer("c", Duration.ofNanos(-1)));
            assertFalse(channel.snapshot().contains("c"));
        }
        assertEquals("a", channel.poll());
    }

    @Test
    void hugeTimeoutsDoNotOverflow() throws InterruptedException {
        // Duration.toNanos() overflows for these; "wait practically forever" is what they mean.
        channel.close();
        assertTrue(channel.join(FOREVER));
        Channel<String> other = kind.create();
        List<CompletableFuture<Void>> puts = Supply.items(other, "a");
        assertEquals("a", other.poll(FOREVER));
        puts.get(0).join();
        if (!kind.isRendezvous()) {
            assertTrue(other.offer("b", FOREVER));
            assertEquals("b", other.poll(Duration.ofSeconds(Long.MAX_VALUE)));
        }
    }

    // ------------------------------------------------------------------------------------------------ timeouts

    @Test
    void timedOperationsGiveUpAfterTheirTimeoutAndLeaveNothingBehind() throws InterruptedException {
        assertNull(channel.poll(SHORT));
        assertFalse(channel.join(SHORT));
        if (kind.isBounded()) {
            List<String> filled = Supply.fill(channel);
            assertFalse(channel.offer("late", SHORT));
            assertEquals(filled, channel.snapshot(), "a timed-out put enqueues nothing");
        }
        Waits.untilQueued(channel, 0, 0, 0);
        if (kind.isRendezvous()) {
            CompletableFuture<String> getter = channel.getAsync();
            assertTrue(channel.offer("now", SHORT));
            assertEquals("now", getter.join(), "a timed-out put is not handed to a later getter");
        }
    }

    // ------------------------------------------------------------------------------------------------ interrupts

    @Test
    void callsThatWouldBlockThrowInterruptedWhenTheFlagIsAlreadySet() {
        List<Executable> onEmpty = List.of(
                channel::get,
                () -> channel.poll(Duration.ofSeconds(10)),
                channel::join,
                () -> channel.join(Duration.ofSeconds(10)),
                () -> Select.select(channel.onGet(item -> item)),
                () -> Select.select(channel.onGet(item -> item), Select.timeout(Duration.ofSeconds(10), () -> "")));
        assertAllInterrupted(onEmpty);
        if (kind.isBounded()) {
            Supply.fill(channel);
            assertAllInterrupted(List.of(
                    () -> channel.put("x"),
                    () -> channel.offer("x", Duration.ofSeconds(10)),
                    () -> Select.select(channel.onPut("x", () -> "")),
                    channel::join));
        }
    }

    private void assertAllInterrupted(List<Executable> calls) {
        List<String> before = channel.snapshot();
        for (Executable call : calls) {
            Thread.currentThread().interrupt();
            assertThrows(InterruptedException.class, call);
            assertFalse(Thread.interrupted(), "the interrupt status is cleared by the InterruptedException");
            assertEquals(before, channel.snapshot(), "nothing was enqueued or consumed");
            assertArrayEquals(new int[] {0, 0, 0}, Waits.queued(channel), "no waiter left queued");
        }
    }

    @Test
    void callsThatNeedNotBlockIgnoreTheInterruptFlag() throws InterruptedException {
        List<CompletableFuture<Void>> puts = Supply.items(channel, "a");
        Thread.currentThread().interrupt();
        try {
            assertEquals("a", channel.get(), "an available item is returned despite the flag");
            assertTrue(Thread.currentThread().isInterrupted(), "and the flag stays set");
            assertNull(channel.poll(Duration.ZERO), "a zero timeout never waits, so never throws");
            assertFalse(channel.join(Duration.ZERO));
            assertEquals("else", Select.select(channel.onGet(item -> "got"), Select.orElse(() -> "else")));
            assertEquals(
                    "else", Select.select(channel.onGet(item -> "got"), Select.timeout(Duration.ZERO, () -> "else")));
            if (!kind.isRendezvous()) {
                channel.put("b");
                if (kind.capacity > 1) {
                    assertTrue(channel.offer("c", Duration.ofSeconds(1)));
                }
                assertEquals("got b", Select.select(channel.onGet(item -> "got " + item)));
            }
            channel.close();
            channel.drainTo(new ArrayList<>(), Integer.MAX_VALUE);
            channel.join();
            assertTrue(channel.join(Duration.ofSeconds(1)));
            assertTrue(Thread.currentThread().isInterrupted());
        } finally {
            Thread.interrupted();
        }
        puts.forEach(CompletableFuture::join);
    }

    // ------------------------------------------------------------------------------------------------ bad arguments

    @Test
    void nullItemsAreRejectedAndNothingIsEnqueued() {
        CompletableFuture<String> getter = channel.getAsync(); // a waiting counterpart that must not receive null
        assertThrows(NullPointerException.class, () -> channel.put(null));
        assertThrows(NullPointerException.class, () -> channel.putNowait(null));
        assertThrows(NullPointerException.class, () -> channel.offer(null));
        assertThrows(NullPointerException.class, () -> channel.offer(null, Duration.ofSeconds(1)));
        assertThrows(NullPointerException.class, () -> channel.putAsync(null));
        assertThrows(NullPointerException.class, () -> channel.onPut(null, () -> ""));
        assertFalse(getter.isDone(), "the waiting getter received nothing");
        assertEquals(0, channel.size());
        assertTrue(channel.offer("real"));
        assertEquals("real", getter.join());
    }

    @Test
    void nullTimeoutsAreRejectedBeforeAnythingHappens() {
        List<CompletableFuture<Void>> puts = Supply.items(channel, "kept");
        assertThrows(NullPointerException.class, () -> channel.poll(null));
        assertThrows(NullPointerException.class, () -> channel.offer("x", null));
        assertThrows(NullPointerException.class, () -> channel.join(null));
        assertThrows(NullPointerException.class, () -> Select.timeout(null, () -> ""));
        assertEquals("kept", channel.poll(), "the rejected poll consumed nothing, the rejected offer added nothing");
        assertNull(channel.poll());
        puts.forEach(CompletableFuture::join);
    }

    @Test
    void nullCauseIsRejectedAndTheChannelStaysOpen() {
        assertThrows(NullPointerException.class, () -> channel.close(null));
        assertFalse(channel.isClosed());
        channel.close();
        assertThrows(NullPointerException.class, () -> channel.close(null), "also on a closed channel");
    }

    @Test
    void nullCallbacksAndTargetsAreRejected() {
        assertThrows(NullPointerException.class, () -> channel.onGet(null));
        assertThrows(NullPointerException.class, () -> channel.onPut("x", null));
        assertThrows(NullPointerException.class, () -> channel.drainTo(null, 1));
        assertThrows(NullPointerException.class, () -> Select.orElse(null));
        assertThrows(NullPointerException.class, () -> Select.timeout(Duration.ZERO, null));
    }

    // ------------------------------------------------------------------------------------------------ close

    @Test
    void closeIsPermanentAndIdempotent() {
        channel.close();
        assertTrue(channel.isClosed());
        assertTrue(channel.isDone());
        channel.close();
        channel.close(new RuntimeException("late"));
        assertTrue(channel.isClosed());
        ChannelClosedException closed = assertThrows(ChannelClosedException.class, channel::poll);
        assertNull(closed.getCause(), "a close after the first one adds no cause");
    }

    @Test
    void everyPutOnAClosedChannelThrowsClosedAndEnqueuesNothing() {
        channel.close();
        assertThrows(ChannelClosedException.class, () -> channel.put("x"));
        assertThrows(ChannelClosedException.class, () -> channel.putNowait("x"));
        assertThrows(ChannelClosedException.class, () -> channel.offer("x"));
        assertThrows(ChannelClosedException.class, () -> channel.offer("x", Duration.ofSeconds(1)));
        assertThrows(ChannelClosedException.class, () -> channel.offer("x", Duration.ZERO));
        assertFailsWith(ChannelClosedException.class, channel.putAsync("x"));
        assertThrows(ChannelClosedException.class, () -> Select.select(channel.onPut("x", () -> "put")));
        assertEquals(0, channel.size());
        assertTrue(channel.isDone());
    }

    @Test
    void closedWinsOverFull() {
        assumeTrue(kind.isBounded());
        List<String> filled = Supply.fill(channel);
        channel.close();
        assertThrows(ChannelClosedException.class, () -> channel.putNowait("x"), "not ChannelFullException");
        assertThrows(ChannelClosedException.class, () -> channel.offer("x"), "not false");
        assertThrows(ChannelClosedException.class, () -> channel.offer("x", Duration.ZERO), "not false");
        assertThrows(ChannelClosedException.class, () -> channel.offer("x", SHORT), "not a timeout");
        assertThrows(ChannelClosedException.class, () -> channel.put("x"), "not blocking");
        assertFailsWith(ChannelClosedException.class, channel.putAsync("x"));
        assertEquals("closed", assertDoesNotBlock(() -> {
            try {
                return Select.select(channel.onPut("x", () -> "put"), Select.orElse(() -> "full"));
            } catch (ChannelClosedException e) {
                return "closed";
            }
        }));
        assertEquals(filled, channel.snapshot());
    }

    @Test
    void closedAndDrainedWinsOverEmpty() {
        channel.close();
        assertThrows(ChannelClosedException.class, channel::getNowait, "not ChannelEmptyException");
        assertThrows(ChannelClosedException.class, channel::poll, "not null");
        assertThrows(ChannelClosedException.class, () -> channel.poll(Duration.ZERO), "not null");
        assertThrows(ChannelClosedException.class, () -> channel.poll(SHORT), "not a timeout");
        assertThrows(ChannelClosedException.class, channel::get, "not blocking");
        assertFailsWith(ChannelClosedException.class, channel.getAsync());
        assertThrows(
                ChannelClosedException.class,
                () -> Select.select(channel.onGet(item -> item), Select.orElse(() -> "empty")));
        assertEquals(0, channel.drainTo(new ArrayList<>(), 10), "drainTo never throws for a closed channel");
    }

    @Test
    void getsAfterCloseReturnTheBufferedItemsThenThrowClosed() throws Exception {
        assumeFalse(kind.isRendezvous());
        List<String> filled = fillBuffer();
        channel.close();
        assertTrue(channel.isClosed());
        assertFalse(channel.isDone(), "closed but not drained");
        CompletableFuture<Void> joined = channel.joinAsync();
        assertFalse(joined.isDone());
        assertFalse(channel.join(Duration.ZERO));
        List<String> got = new ArrayList<>();
        int op = 0;
        while (!channel.isEmpty()) {
            got.add(
                    switch (op++ % 5) {
                        case 0 -> channel.get();
                        case 1 -> channel.getNowait();
                        case 2 -> channel.poll();
                        case 3 -> channel.poll(Duration.ofSeconds(1));
                        default -> channel.getAsync().get(1, TimeUnit.SECONDS);
                    });
        }
        assertEquals(filled, got);
        assertTrue(channel.isDone());
        assertTrue(joined.isDone(), "the take that drained the channel completed the join");
        assertTrue(channel.join(Duration.ZERO));
        assertThrows(ChannelClosedException.class, channel::get);
    }

    @Test
    void rendezvousIsDoneAtCloseAndItsWaitingPuttersFail() {
        assumeTrue(kind.isRendezvous());
        List<CompletableFuture<Void>> puts = Supply.items(channel, "a", "b");
        channel.close();
        assertTrue(channel.isDone());
        for (CompletableFuture<Void> put : puts) {
            assertFailsWith(ChannelClosedException.class, put);
        }
        assertThrows(ChannelClosedException.class, channel::poll, "the failed putters' items are gone");
    }

    @Test
    void closeCauseIsTheCauseOfEveryLaterClosedException() throws Exception {
        Exception cause = new Exception("producer failed");
        List<CompletableFuture<Void>> puts = kind.isRendezvous() ? List.of() : Supply.items(channel, "a");
        CompletableFuture<Void> joined = channel.joinAsync();
        channel.close(cause);
        assertSame(
                cause,
                assertThrows(ChannelClosedException.class, () -> channel.put("x"))
                        .getCause());
        assertSame(
                cause,
                assertThrows(ChannelClosedException.class, () -> channel.offer("x"))
                        .getCause());
        assertSame(
                cause,
                assertFailsWith(ChannelClosedException.class, channel.putAsync("x"))
                        .getCause());
        if (!kind.isRendezvous()) {
            assertEquals("a", channel.get(), "the buffered item is still delivered");
        }
        assertSame(
                cause, assertThrows(ChannelClosedException.class, channel::get).getCause());
        assertSame(
                cause,
                assertThrows(ChannelClosedException.class, channel::getNowait).getCause());
        assertSame(
                cause, assertThrows(ChannelClosedException.class, channel::poll).getCause());
        assertSame(
                cause,
                assertThrows(ChannelClosedException.class, () -> channel.poll(SHORT))
                        .getCause());
        assertSame(
                cause,
                assertFailsWith(ChannelClosedException.class, channel.getAsync())
                        .getCause());
        assertSame(
                cause,
                assertThrows(ChannelClosedException.class, () -> Select.select(channel.onGet(item -> item)))
                        .getCause());
        assertSame(
                cause,
                assertThrows(ChannelClosedException.class, () -> Select.select(channel.onPut("x", () -> "")))
                        .getCause());
        joined.get(1, TimeUnit.SECONDS); // join completes normally whatever the cause
        channel.join();
        assertTrue(channel.joinAsync().isDone());
        puts.forEach(CompletableFuture::join);
    }

    @Test
    void aSecondCloseKeepsTheFirstCause() {
        RuntimeException first = new RuntimeException("first");
        channel.close(first);
        channel.close(new RuntimeException("second"));
        channel.close();
        assertSame(
                first, assertThrows(ChannelClosedException.class, channel::poll).getCause());
    }

    @Test
    void aCauseAfterAPlainCloseIsIgnored() {
        channel.close();
        channel.close(new RuntimeException("too late"));
        assertNull(assertThrows(ChannelClosedException.class, channel::poll).getCause());
        assertFalse(channel.iterator().hasNext(), "iteration still ends normally");
    }

    // ------------------------------------------------------------------------------------------------ drainTo

    @Test
    void drainToMovesUpToMaxItemsOldestFirst() {
        String[] items = {"a", "b", "c", "d", "e"};
        List<CompletableFuture<Void>> puts =
                kind == ChannelKind.BUFFERED_1 ? Supply.items(channel, "a") : Supply.items(channel, items);
        int available = puts.size();
        List<String> target = new ArrayList<>(List.of("already"));
        assertEquals(Math.min(3, available), channel.drainTo(target, 3));
        List<String> expected = new ArrayList<>(List.of("already"));
        expected.addAll(List.of(items).subList(0, Math.min(3, available)));
        assertEquals(expected, target);
        target.clear();
        assertEquals(Math.max(0, available - 3), channel.drainTo(target, Integer.MAX_VALUE));
        assertEquals(List.of(items).subList(Math.min(3, available), available), target);
        for (CompletableFuture<Void> put : puts) {
            assertTrue(put.isDone(), "a rendezvous drain completes the putters whose items it took");
            put.join();
        }
        assertEquals(0, channel.drainTo(target, 10), "nothing left: 0, no exception");
    }

    @Test
    void drainToWithNonPositiveMaxMovesNothing() {
        List<CompletableFuture<Void>> puts = Supply.items(channel, "a");
        List<String> target = new ArrayList<>();
        assertEquals(0, channel.drainTo(target, 0));
        assertEquals(0, channel.drainTo(target, -1));
        assertEquals(0, channel.drainTo(target, Integer.MIN_VALUE));
        assertEquals(List.of(), target);
        assertFalse(kind.isRendezvous() && puts.get(0).isDone(), "the waiting putter still waits");
        assertEquals("a", channel.poll());
    }

    @Test
    void drainToOnAClosedChannelTakesWhatIsLeftThenReturnsZero() {
        if (!kind.isRendezvous()) {
            Supply.items(channel, "a");
        }
        CompletableFuture<Void> joined = channel.joinAsync();
        channel.close(new RuntimeException("cause is not thrown by drainTo"));
        List<String> target = new ArrayList<>();
        assertEquals(kind.isRendezvous() ? 0 : 1, channel.drainTo(target, 10));
        assertTrue(channel.isDone());
        assertTrue(joined.isDone(), "draining the last item completes the join");
        assertEquals(0, channel.drainTo(target, 10));
    }

    @Test
    void drainToLeavesTheRestInTheChannelWhenTheTargetThrows() {
        assumeFalse(kind.isRendezvous() || kind == ChannelKind.BUFFERED_1);
        Supply.items(channel, "a", "b", "c");
        List<String> accepted = new ArrayList<>();
        java.util.AbstractCollection<String> picky = new java.util.AbstractCollection<>() {
            @Override
            public boolean add(String item) {
                if (item.equals("b")) {
                    throw new IllegalStateException("no b");
                }
                return accepted.add(item);
            }

            @Override
            public Iterator<String> iterator() {
                return accepted.iterator();
            }

            @Override
            public int size() {
                return accepted.size();
            }
        };
        assertThrows(IllegalStateException.class, () -> channel.drainTo(picky, 10));
        assertEquals(List.of("a"), accepted);
        assertEquals(List.of("b", "c"), channel.snapshot());
    }

    // ------------------------------------------------------------------------------------------------ iteration

    @Test
    void iterationEndsNormallyAfterCloseOnceDrained() {
        assumeFalse(kind.isRendezvous());
        List<String> filled = fillBuffer();
        channel.close();
        Iterator<String> iterator = channel.iterator();
        List<String> got = new ArrayList<>();
        while (iterator.hasNext()) {
            assertTrue(iterator.hasNext(), "hasNext is idempotent while an item is in hand");
            got.add(iterator.next());
        }
        assertEquals(filled, got);
        assertFalse(iterator.hasNext());
        assertThrows(NoSuchElementException.class, iterator::next);
        assertFalse(channel.iterator().hasNext(), "a new iterator of a done channel is empty");
    }

    @Test
    void forEachLoopEndsAfterClose() {
        List<CompletableFuture<Void>> puts = kind.isRendezvous() ? List.of() : Supply.items(channel, "a");
        channel.close();
        List<String> got = new ArrayList<>();
        for (String item : channel) {
            got.add(item);
        }
        assertEquals(kind.isRendezvous() ? List.of() : List.of("a"), got);
        puts.forEach(CompletableFuture::join);
    }

    @Test
    void iterationThrowsTheCauseAfterCloseWithCauseOnceDrained() {
        assumeFalse(kind.isRendezvous());
        List<String> filled = fillBuffer();
        IllegalStateException cause = new IllegalStateException("boom");
        channel.close(cause);
        Iterator<String> iterator = channel.iterator();
        List<String> got = new ArrayList<>();
        ChannelClosedException end = assertThrows(ChannelClosedException.class, () -> {
            while (iterator.hasNext()) {
                got.add(iterator.next());
            }
        });
        assertEquals(filled, got, "every buffered item came first");
        assertSame(cause, end.getCause());
        assertSame(
                cause,
                assertThrows(ChannelClosedException.class, iterator::hasNext).getCause(),
                "a failure is never silent: asking again throws again");
        assertSame(
                cause,
                assertThrows(ChannelClosedException.class, iterator::next).getCause());
    }

    @Test
    void iteratorDoesNotSupportRemove() {
        Supply.items(channel, "a");
        Iterator<String> iterator = channel.iterator();
        assertEquals("a", iterator.next());
        assertThrows(UnsupportedOperationException.class, iterator::remove);
    }

    @Test
    void streamConsumesUntilClosedAndDrained() {
        assumeFalse(kind.isRendezvous());
        List<String> filled = fillBuffer();
        channel.close();
        assertEquals(filled, channel.stream().collect(Collectors.toList()));
        assertTrue(channel.isDone());
        assertEquals(0, channel.stream().count());
    }

    @Test
    void streamConsumesWhatItPullsEvenWhenShortCircuited() {
        assumeFalse(kind.isRendezvous() || kind == ChannelKind.BUFFERED_1);
        Supply.items(channel, "a", "b", "c");
        assertEquals("a", channel.stream().findFirst().orElseThrow());
        assertEquals(List.of("b", "c"), channel.snapshot(), "only the item pulled was consumed");
    }

    @Test
    void streamThrowsTheCauseAfterCloseWithCause() {
        List<CompletableFuture<Void>> puts = kind.isRendezvous() ? List.of() : Supply.items(channel, "a");
        Error cause = new AssertionError("fatal producer error");
        channel.close(cause);
        List<String> got = new ArrayList<>();
        ChannelClosedException end = assertThrows(
                ChannelClosedException.class, () -> channel.stream().forEach(got::add));
        assertSame(cause, end.getCause());
        assertEquals(kind.isRendezvous() ? List.of() : List.of("a"), got);
        puts.forEach(CompletableFuture::join);
    }

    // ------------------------------------------------------------------------------------------------ join

    @Test
    void joinReturnsAtOnceOnADoneChannelAndTimesOutOnAnOpenOne() throws InterruptedException {
        assertFalse(channel.join(Duration.ZERO));
        assertFalse(channel.join(Duration.ofSeconds(-1)));
        assertFalse(channel.join(SHORT));
        CompletableFuture<Void> joined = channel.joinAsync();
        assertFalse(joined.isDone());
        channel.close();
        assertTrue(joined.isDone() && !joined.isCompletedExceptionally());
        channel.join();
        assertTrue(channel.join(Duration.ZERO));
        assertTrue(channel.joinAsync().isDone());
    }

    @Test
    void cancellingAJoinAsyncWithdrawsOnlyThatWait() {
        CompletableFuture<Void> cancelled = channel.joinAsync();
        CompletableFuture<Void> kept = channel.joinAsync();
        Waits.untilQueued(channel, 0, 0, 2);
        assertTrue(cancelled.cancel(false));
        assertTrue(cancelled.isCancelled());
        assertArrayEquals(new int[] {0, 0, 1}, Waits.queued(channel));
        channel.close();
        assertTrue(kept.isDone() && !kept.isCompletedExceptionally());
    }

    // ------------------------------------------------------------------------------------------------ helpers

    static <X extends Throwable> X assertFailsWith(Class<X> type, CompletableFuture<?> future) {
        assertTrue(future.isDone(), "the future is complete");
        ExecutionException failure = assertThrows(ExecutionException.class, () -> future.get(0, TimeUnit.SECONDS));
        return assertInstanceOf(type, failure.getCause());
    }

    private static <V> V assertDoesNotBlock(java.util.concurrent.Callable<V> call) {
        try {
            return call.call();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
