package io.github.loomchan;

import static io.github.loomchan.ChannelContractTest.assertFailsWith;
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

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The asynchronous part of the contract ({@code putAsync}, {@code getAsync}, {@code joinAsync}), per {@link
 * ChannelKind}: completion, cancellation and external completion withdrawing the operation, close, and callbacks
 * that use channels.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(ChannelKind.class)
class ChannelAsyncTest {
    private final ChannelKind kind;
    private final Channel<String> channel;

    ChannelAsyncTest(ChannelKind kind) {
        this.kind = kind;
        this.channel = kind.create();
    }

    @AfterEach
    void leavesNoWaiterBehind() {
        Waits.untilQueued(channel, 0, 0, 0);
    }

    /**
     * Checks that no get is pending and {@code item} is not in the channel: puts a probe and sees it stay (or, on a
     * rendezvous channel, sees that nobody takes it).
     */
    private void assertNoPendingGetter() {
        if (kind.isRendezvous()) {
            assertFalse(channel.offer("probe"), "no getter is waiting");
        } else {
            assertTrue(channel.offer("probe"));
            assertEquals("probe", channel.poll(), "the probe stayed in the buffer: nobody consumed it");
        }
    }

    // ------------------------------------------------------------------------------------------------ completion

    @Test
    void getAsyncCompletesAtOnceWithAnAvailableItem() {
        List<CompletableFuture<Void>> puts = Supply.items(channel, "a");
        CompletableFuture<String> got = channel.getAsync();
        assertTrue(got.isDone());
        assertEquals("a", got.join());
        puts.get(0).join();
    }

    @Test
    void pendingGetAsyncIsCompletedByAPutOnThePuttersThread() {
        CompletableFuture<String> got = channel.getAsync();
        assertFalse(got.isDone());
        Waits.untilQueued(channel, 0, 1, 0);
        AtomicReference<Thread> ranOn = new AtomicReference<>();
        CompletableFuture<String> seen = got.thenApply(item -> {
            ranOn.set(Thread.currentThread());
            return item;
        });
        assertTrue(channel.offer("x"));
        assertEquals("x", seen.join());
        assertSame(Thread.currentThread(), ranOn.get(), "dependent actions run in the completing thread");
        assertEquals(0, channel.size());
    }

    @Test
    void pendingPutAsyncIsCompletedByAGet() {
        assumeTrue(kind.isBounded());
        List<String> filled = Supply.fill(channel);
        CompletableFuture<Void> put = channel.putAsync("late");
        assertFalse(put.isDone());
        assertEquals(filled, channel.snapshot());
        assertEquals(kind.isRendezvous() ? "late" : "f0", channel.poll());
        assertTrue(put.isDone());
        put.join();
        if (!kind.isRendezvous()) {
            assertEquals("late", channel.snapshot().get(channel.size() - 1));
        }
    }

    @Test
    void unboundedPutAsyncIsAlwaysCompleteAtOnce() {
        assumeFalse(kind.isBounded());
        for (int i = 0; i < 1000; i++) {
            assertTrue(channel.putAsync("u" + i).isDone());
        }
        assertEquals(1000, channel.size());
    }

    @Test
    void pendingGetAsyncsAreServedInOrder() {
        List<CompletableFuture<String>> gets = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            gets.add(channel.getAsync());
        }
        for (int i = 0; i < 5; i++) {
            assertTrue(channel.offer("i" + i));
        }
        for (int i = 0; i < 5; i++) {
            assertEquals("i" + i, gets.get(i).join());
        }
    }

    // ------------------------------------------------------------------------------------------------ withdrawal

    @Test
    void cancellingAPendingGetAsyncConsumesNothing() {
        CompletableFuture<String> got = channel.getAsync();
        assertTrue(got.cancel(true));
        assertTrue(got.isCancelled());
        assertThrows(CancellationException.class, got::join);
        assertArrayEquals(new int[] {0, 0, 0}, Waits.queued(channel));
        assertNoPendingGetter();
    }

    @Test
    void cancellingAPendingPutAsyncEnqueuesNothing() {
        assumeTrue(kind.isBounded());
        List<String> filled = Supply.fill(channel);
        CompletableFuture<Void> put = channel.putAsync("withdrawn");
        assertTrue(put.cancel(false));
        assertTrue(put.isCancelled());
        assertArrayEquals(new int[] {0, 0, 0}, Waits.queued(channel));
        List<String> drained = new ArrayList<>();
        channel.drainTo(drained, Integer.MAX_VALUE);
        assertEquals(filled, drained, "the withdrawn item never entered the buffer");
        assertNull(channel.poll());
    }

    @Test
    void cancelAfterCompletionReturnsFalseAndKeepsTheResult() {
        CompletableFuture<String> got = channel.getAsync();
        assertTrue(channel.offer("x"));
        assertFalse(got.cancel(true));
        assertFalse(got.isCancelled());
        assertEquals("x", got.join());
        assertFalse(got.complete("other"), "an external completion of a completed future fails");
        assertEquals("x", got.join());
    }

    @Test
    void orTimeoutOnAPendingGetAsyncWithdrawsIt() {
        CompletableFuture<String> got = channel.getAsync().orTimeout(20, TimeUnit.MILLISECONDS);
        ExecutionException failure =
                assertThrows(ExecutionException.class, () -> got.get(Waits.LONG.toMillis(), TimeUnit.MILLISECONDS));
        assertInstanceOf(TimeoutException.class, failure.getCause());
        Waits.untilQueued(channel, 0, 0, 0);
        assertNoPendingGetter();
    }

    @Test
    void completeOnTimeoutOnAPendingPutAsyncWithdrawsIt() throws Exception {
        assumeTrue(kind.isBounded());
        List<String> filled = Supply.fill(channel);
        CompletableFuture<Void> put = channel.putAsync("withdrawn").completeOnTimeout(null, 20, TimeUnit.MILLISECONDS);
        put.get(Waits.LONG.toMillis(), TimeUnit.MILLISECONDS);
        Waits.untilQueued(channel, 0, 0, 0);
        List<String> drained = new ArrayList<>();
        channel.drainTo(drained, Integer.MAX_VALUE);
        assertEquals(filled, drained);
    }

    @Test
    void externalCompletionOfAPendingGetAsyncWithdrawsIt() {
        CompletableFuture<String> got = channel.getAsync();
        assertTrue(got.complete("from elsewhere"));
        assertEquals("from elsewhere", got.join());
        assertArrayEquals(new int[] {0, 0, 0}, Waits.queued(channel));
        assertNoPendingGetter();
    }

    @Test
    void externalFailureOfAPendingPutAsyncWithdrawsIt() {
        assumeTrue(kind.isBounded());
        List<String> filled = Supply.fill(channel);
        CompletableFuture<Void> put = channel.putAsync("withdrawn");
        assertTrue(put.completeExceptionally(new IllegalStateException("gave up")));
        assertArrayEquals(new int[] {0, 0, 0}, Waits.queued(channel));
        List<String> drained = new ArrayList<>();
        channel.drainTo(drained, Integer.MAX_VALUE);
        assertEquals(filled, drained);
    }

    @Test
    void obtrudingAPendingGetAsyncWithdrawsIt() {
        CompletableFuture<String> got = channel.getAsync();
        got.obtrudeValue("forced");
        assertEquals("forced", got.join());
        assertArrayEquals(new int[] {0, 0, 0}, Waits.queued(channel));
        assertNoPendingGetter();
        CompletableFuture<String> failed = channel.getAsync();
        failed.obtrudeException(new IllegalStateException("forced"));
        assertTrue(failed.isCompletedExceptionally());
        assertNoPendingGetter();
    }

    @Test
    void completeAsyncOnAPendingGetAsyncWithAFailingSupplierWithdrawsIt() {
        CompletableFuture<String> got = channel.getAsync();
        got.completeAsync(
                () -> {
                    throw new IllegalStateException("supplier failed");
                },
                Runnable::run);
        assertTrue(got.isCompletedExceptionally());
        assertNoPendingGetter();
    }

    @Test
    void cancellingOneOfSeveralPendingGetsPassesTheItemToTheNext() {
        CompletableFuture<String> first = channel.getAsync();
        CompletableFuture<String> second = channel.getAsync();
        assertTrue(first.cancel(false));
        assertTrue(channel.offer("x"));
        assertEquals("x", second.join());
    }

    @Test
    void cancelRacingAPutEitherWithdrawsOrDeliversNeverBoth() throws Exception {
        // An adversarial interleaving: the cancel and the put run at the same moment, many times. Either the
        // cancel wins (the future is cancelled and the item is still available) or the put wins (cancel returns
        // false and the future completes with the item); never both, never neither.
        int rounds = 2000;
        CyclicBarrier start = new CyclicBarrier(2);
        AtomicReference<CompletableFuture<String>> current = new AtomicReference<>();
        AtomicReference<Boolean> offered = new AtomicReference<>();
        CyclicBarrier end = new CyclicBarrier(2);
        Actor<Void> putter = Actor.start(ThreadKind.PLATFORM, "putter", () -> {
            for (int i = 0; i < rounds; i++) {
                start.await();
                offered.set(channel.offer("r" + i));
                end.await();
            }
            return null;
        });
        int cancelledWins = 0;
        for (int i = 0; i < rounds; i++) {
            current.set(channel.getAsync());
            start.await(Waits.LONG.toMillis(), TimeUnit.MILLISECONDS);
            boolean cancelled = current.get().cancel(false);
            end.await(Waits.LONG.toMillis(), TimeUnit.MILLISECONDS);
            String item = "r" + i;
            if (cancelled) {
                cancelledWins++;
                assertTrue(current.get().isCancelled());
                if (kind.isRendezvous()) {
                    assertFalse(offered.get(), "nobody took the item");
                } else {
                    assertTrue(offered.get());
                    assertEquals(item, channel.poll(), "the item is still in the channel");
                }
            } else {
                assertTrue(offered.get());
                assertEquals(item, current.get().get(Waits.LONG.toMillis(), TimeUnit.MILLISECONDS));
            }
            assertNull(channel.poll());
        }
        putter.join();
        assertTrue(cancelledWins >= 0 && cancelledWins <= rounds);
    }

    // ------------------------------------------------------------------------------------------------ close

    @Test
    void pendingGetAsyncFailsWithTheCauseOnceClosedAndDrained() {
        CompletableFuture<String> got = channel.getAsync();
        RuntimeException cause = new RuntimeException("end");
        channel.close(cause);
        assertSame(cause, assertFailsWith(ChannelClosedException.class, got).getCause());
    }

    @Test
    void pendingPutAsyncFailsWithTheCauseOnClose() {
        assumeTrue(kind.isBounded());
        List<String> filled = Supply.fill(channel);
        CompletableFuture<Void> put = channel.putAsync("never");
        RuntimeException cause = new RuntimeException("end");
        channel.close(cause);
        assertSame(cause, assertFailsWith(ChannelClosedException.class, put).getCause());
        List<String> drained = new ArrayList<>();
        channel.drainTo(drained, Integer.MAX_VALUE);
        assertEquals(filled, drained);
    }

    @Test
    void joinAsyncCompletesNormallyWhenDoneWhateverTheCause() {
        List<CompletableFuture<Void>> puts = kind.isRendezvous() ? List.of() : Supply.items(channel, "a");
        CompletableFuture<Void> joined = channel.joinAsync();
        channel.close(new RuntimeException("cause"));
        assertEquals(kind.isRendezvous(), joined.isDone());
        if (!kind.isRendezvous()) {
            assertEquals("a", channel.poll());
        }
        assertTrue(joined.isDone());
        assertNull(joined.join());
        puts.forEach(CompletableFuture::join);
    }

    // ------------------------------------------------------------------------------------------------ callbacks

    @Test
    void callbacksMayUseTheSameChannel() {
        CompletableFuture<CompletableFuture<Void>> echoed =
                channel.getAsync().thenApply(item -> channel.putAsync(item + "!"));
        assertTrue(channel.offer("a"));
        CompletableFuture<Void> echo = echoed.join();
        assertEquals("a!", channel.poll());
        echo.join();
    }

    @Test
    void callbacksDoNotRunUnderTheChannelLock() throws Exception {
        // The callback asks another thread to use the channel and waits for it: if the completing thread held the
        // channel's lock while running the callback, the other thread would block until the wait timed out.
        List<String> failures = new ArrayList<>();
        CompletableFuture<Void> checked = channel.getAsync().thenAccept(item -> {
            failures.addAll(useFromAnotherThread(channel));
        });
        assertTrue(channel.offer("x"));
        checked.get(Waits.LONG.toMillis(), TimeUnit.MILLISECONDS);

        if (kind.isBounded()) {
            Supply.fill(channel);
            CompletableFuture<Void> put =
                    channel.putAsync("late").thenRun(() -> failures.addAll(useFromAnotherThread(channel)));
            channel.poll(); // completes the pending put, on this thread
            put.get(Waits.LONG.toMillis(), TimeUnit.MILLISECONDS);
            channel.drainTo(new ArrayList<>(), Integer.MAX_VALUE);
        }

        CompletableFuture<Void> joined =
                channel.joinAsync().thenRun(() -> failures.addAll(useFromAnotherThread(channel)));
        CompletableFuture<Void> getterFailed = channel.getAsync().handle((item, failure) -> {
            failures.addAll(useFromAnotherThread(channel));
            return null;
        });
        channel.close(); // completes both, on this thread
        joined.get(Waits.LONG.toMillis(), TimeUnit.MILLISECONDS);
        getterFailed.get(Waits.LONG.toMillis(), TimeUnit.MILLISECONDS);
        assertEquals(List.of(), failures);
    }

    /** Uses {@code channel} (size, snapshot, a poll) from a fresh thread; returns what went wrong, if anything. */
    static List<String> useFromAnotherThread(Channel<String> channel) {
        CompletableFuture<Void> other = new CompletableFuture<>();
        Thread.ofPlatform().daemon(true).start(() -> {
            try {
                channel.snapshot();
                channel.offer("other");
                channel.poll();
                other.complete(null);
            } catch (Throwable t) {
                if (t instanceof ChannelClosedException) {
                    other.complete(null);
                } else {
                    other.completeExceptionally(t);
                }
            }
        });
        try {
            other.get(10, TimeUnit.SECONDS);
            return List.of();
        } catch (TimeoutException e) {
            return List.of("another thread could not use " + channel + " while a callback ran: a lock is held");
        } catch (Exception e) {
            return List.of("another thread failed: " + e);
        }
    }

    @Test
    void callbacksMayCloseChannelsIncludingTheirOwn() throws Exception {
        Channel<String> other = kind.create();
        CompletableFuture<String> got = channel.getAsync();
        CompletableFuture<Void> closedBoth = got.thenRun(() -> {
            channel.close();
            other.close(new RuntimeException("closed from a callback"));
        });
        CompletableFuture<Void> otherJoined = other.joinAsync();
        CompletableFuture<Void> joined = channel.joinAsync().thenRun(() -> channel.close()); // re-entrant, no-op
        assertTrue(channel.offer("x"));
        closedBoth.get(Waits.LONG.toMillis(), TimeUnit.MILLISECONDS);
        joined.get(Waits.LONG.toMillis(), TimeUnit.MILLISECONDS);
        otherJoined.get(Waits.LONG.toMillis(), TimeUnit.MILLISECONDS);
        assertTrue(channel.isDone() && other.isDone());
        assertEquals("x", got.join());
        Waits.untilQueued(other, 0, 0, 0);
    }

    @Test
    void anEventLoopCanRelayItemsWithCallbacksOnly() throws Exception {
        // ping -> (callback) -> pong, re-arming a getAsync from inside each callback, like an event loop would.
        Channel<Integer> ping = kind.create();
        Channel<Integer> pong = kind.create();
        int rounds = 1000;
        relay(ping, pong, rounds);
        for (int i = 0; i < rounds; i++) {
            ping.put(i);
            assertEquals(i + 1, pong.get());
        }
        ping.close();
        assertTrue(ping.join(Waits.LONG));
        Waits.untilQueued(ping, 0, 0, 0);
    }

    private static void relay(Channel<Integer> from, Channel<Integer> to, int remaining) {
        from.getAsync().thenAccept(value -> {
            to.putAsync(value + 1);
            if (remaining > 1) {
                relay(from, to, remaining - 1);
            }
        });
    }

    @Test
    void aCallbackMayCancelAnotherPendingOperationOfTheSameChannel() {
        CompletableFuture<String> second = new CompletableFuture<>();
        CompletableFuture<String> first = channel.getAsync();
        CompletableFuture<String> victim = channel.getAsync();
        first.thenAccept(item -> second.complete(String.valueOf(victim.cancel(false))));
        assertTrue(channel.offer("x"));
        assertEquals("true", second.join());
        assertTrue(victim.isCancelled());
        assertNoPendingGetter();
        assertThrows(CancellationException.class, victim::join);
    }

    @Test
    void asyncOperationsAcrossThreadsDeliverEveryItemOnce() throws Exception {
        int count = 2000;
        Actor<Void> producer = Actor.start(ThreadKind.VIRTUAL, "producer", () -> {
            List<CompletableFuture<Void>> puts = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                puts.add(channel.putAsync("i" + i));
                if (puts.size() > 32) {
                    puts.remove(0).get(Waits.LONG.toMillis(), TimeUnit.MILLISECONDS);
                }
            }
            for (CompletableFuture<Void> put : puts) {
                put.get(Waits.LONG.toMillis(), TimeUnit.MILLISECONDS);
            }
            channel.close();
            return null;
        });
        List<String> got = new ArrayList<>();
        while (true) {
            try {
                got.add(channel.getAsync().get(Waits.LONG.toMillis(), TimeUnit.MILLISECONDS));
            } catch (ExecutionException e) {
                assertInstanceOf(ChannelClosedException.class, e.getCause());
                break;
            }
        }
        producer.join();
        assertEquals(count, got.size());
        for (int i = 0; i < count; i++) {
            assertEquals("i" + i, got.get(i), "one producer's items in order, pending putters included");
        }
    }
}
