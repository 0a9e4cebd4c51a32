package io.github.loomchan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Adversarial interleavings, each repeated many times: a blocked operation is withdrawn (interrupt, timeout,
 * cancel) or failed (close) at the same moment a counterpart completes it. Every round checks that exactly one of
 * the two outcomes happened and that the channel is left consistent: an item is either delivered or still
 * available, never both, never neither, and no waiter is left asleep.
 */
@ParameterizedClass(name = "{0} on {1} threads")
@MethodSource("kinds")
class ChannelRaceTest {
    private static final int ROUNDS = 150 * ChannelStressTest.SCALE;

    static Stream<Arguments> kinds() {
        return ChannelBlockingTest.kinds();
    }

    private final ChannelKind kind;
    private final ThreadKind threads;
    private Racer racer;

    ChannelRaceTest(ChannelKind kind, ThreadKind threads) {
        this.kind = kind;
        this.threads = threads;
    }

    @BeforeEach
    void startRacer() {
        racer = new Racer();
    }

    @AfterEach
    void stopRacer() {
        racer.close();
    }

    @Test
    void interruptRacingAPutToABlockedGetter() {
        for (int round = 0; round < ROUNDS; round++) {
            Channel<String> channel = kind.create();
            Actor<String> getter = Actor.start(threads, "getter", () -> {
                try {
                    return channel.get();
                } catch (InterruptedException e) {
                    return "interrupted";
                }
            });
            Waits.untilQueued(channel, 0, 1, 0, getter.thread);
            AtomicBoolean offered = new AtomicBoolean();
            racer.race(getter::interrupt, () -> offered.set(channel.offer("x")));
            String result = getter.join();
            if (result.equals("x")) {
                assertTrue(offered.get());
                assertNull(channel.poll(), "a delivered item is not also left in the channel");
            } else {
                assertEquals("interrupted", result);
                assertItemStillAvailable(channel, offered.get(), "x");
            }
            assertNothingQueued(channel);
        }
    }

    @Test
    void interruptOfTheFirstGetterRacingAPutLeavesTheSecondAwake() {
        for (int round = 0; round < ROUNDS; round++) {
            Channel<String> channel = kind.create();
            Actor<String> first = Actor.start(threads, "first", () -> {
                try {
                    return channel.get();
                } catch (InterruptedException e) {
                    return "interrupted";
                }
            });
            Waits.untilQueued(channel, 0, 1, 0, first.thread);
            Actor<String> second = Actor.start(threads, "second", channel::get);
            Waits.untilQueued(channel, 0, 2, 0, second.thread);
            AtomicBoolean offered = new AtomicBoolean();
            racer.race(first::interrupt, () -> offered.set(channel.offer("x")));
            assertTrue(offered.get(), "a getter was waiting either way");
            String firstResult = first.join();
            if (firstResult.equals("x")) {
                channel.close(); // releases the second getter
                second.joinFailure(ChannelClosedException.class);
            } else {
                assertEquals("interrupted", firstResult);
                assertEquals("x", second.join(), "the item went to the next in line, which did not stay asleep");
            }
            assertNothingQueued(channel);
        }
    }

    @Test
    void timeoutRacingAPutToABlockedGetter() throws Exception {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int round = 0; round < ROUNDS; round++) {
            Channel<String> channel = kind.create();
            long nanos = random.nextLong(10_000, 300_000);
            Actor<String> getter = Actor.start(threads, "getter", () -> channel.poll(Duration.ofNanos(nanos)));
            long spin = System.nanoTime() + random.nextLong(0, 300_000);
            while (System.nanoTime() - spin < 0) {
                Thread.onSpinWait();
            }
            boolean offered = channel.offer("x");
            String result = getter.join();
            if ("x".equals(result)) {
                assertTrue(offered);
                assertNull(channel.poll());
            } else {
                assertNull(result);
                assertItemStillAvailable(channel, offered, "x");
            }
            assertNothingQueued(channel);
        }
    }

    @Test
    void selectTimeoutRacingAPutAndAGet() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int round = 0; round < ROUNDS; round++) {
            Channel<String> in = kind.create();
            Channel<String> out = kind.create();
            List<String> filled = kind.isBounded() ? Supply.fill(out) : List.of();
            long nanos = random.nextLong(10_000, 300_000);
            // waits on a get clause (in) and, on bounded kinds, a put clause (out is full), until the timeout
            Actor<String> selecting = Actor.start(
                    threads,
                    "select",
                    () -> Select.select(
                            in.onGet(item -> "got " + item),
                            out.onPut("sent", () -> "put"),
                            Select.timeout(Duration.ofNanos(nanos), () -> "timeout")));
            long spin = System.nanoTime() + random.nextLong(0, 300_000);
            while (System.nanoTime() - spin < 0) {
                Thread.onSpinWait();
            }
            boolean offered = in.offer("x");
            String polled = kind.isBounded() ? out.poll() : null;
            String result = selecting.join();
            // the get clause: delivered exactly when the select says so
            if (result.equals("got x")) {
                assertTrue(offered);
                assertNull(in.poll());
            } else {
                assertItemStillAvailable(in, offered, "x");
            }
            // the put clause: "sent" is in out exactly when the select says so
            List<String> rest = new ArrayList<>();
            if (polled != null) {
                rest.add(polled);
            }
            out.drainTo(rest, Integer.MAX_VALUE);
            List<String> expected = new ArrayList<>(filled);
            if (result.equals("put")) {
                expected.add("sent");
            } else if (!kind.isBounded()) {
                assertEquals("got x", result, "an unbounded put clause is always ready: no timeout");
            }
            assertEquals(expected, rest, "select returned " + result);
            assertNothingQueued(in);
            assertNothingQueued(out);
        }
    }

    @Test
    void interruptRacingAGetFromABlockedPutter() {
        assumeTrue(kind.isBounded());
        for (int round = 0; round < ROUNDS; round++) {
            Channel<String> channel = kind.create();
            raceAPollWithABlockedPutter(channel, InterruptedException.class, Actor::interrupt);
            assertNothingQueued(channel);
        }
    }

    @Test
    void closeRacingAGetFromABlockedPutter() {
        assumeTrue(kind.isBounded());
        for (int round = 0; round < ROUNDS; round++) {
            Channel<String> channel = kind.create();
            raceAPollWithABlockedPutter(channel, ChannelClosedException.class, putter -> channel.close());
            assertTrue(channel.isDone());
            assertNothingQueued(channel);
        }
    }

    /**
     * Fills {@code channel}, blocks a putter of "late" on it, then races {@code disturb} (which may make that put
     * fail with {@code failure}) against a poll (which may find the channel done), and checks that the putter
     * returned normally exactly when its item was delivered, after the filled items, to the poll or the final drain.
     */
    private void raceAPollWithABlockedPutter(
            Channel<String> channel, Class<? extends Exception> failure, Consumer<Actor<Boolean>> disturb) {
        List<String> filled = Supply.fill(channel);
        Actor<Boolean> putter = Actor.start(threads, "putter", () -> {
            try {
                channel.put("late");
                return true;
            } catch (InterruptedException | ChannelClosedException e) {
                if (failure.isInstance(e)) {
                    return false;
                }
                throw e;
            }
        });
        Waits.untilQueued(channel, 1, 0, 0, putter.thread);
        AtomicReference<String> polled = new AtomicReference<>();
        racer.race(() -> disturb.accept(putter), () -> {
            try {
                polled.set(channel.poll());
            } catch (ChannelClosedException done) {
                polled.set(null); // done: nothing left to poll
            }
        });
        boolean put = putter.join();
        List<String> received = new ArrayList<>();
        if (polled.get() != null) {
            received.add(polled.get());
        }
        channel.drainTo(received, Integer.MAX_VALUE);
        List<String> expected = new ArrayList<>(filled);
        if (put) {
            expected.add("late");
        }
        assertEquals(expected, received, "the putter returned normally exactly when its item was delivered");
    }

    @Test
    void closeRacingInterruptOfABlockedGetter() {
        for (int round = 0; round < ROUNDS; round++) {
            Channel<String> channel = kind.create();
            Actor<String> getter = Actor.start(threads, "getter", () -> {
                try {
                    return channel.get();
                } catch (InterruptedException e) {
                    return "interrupted";
                } catch (ChannelClosedException e) {
                    return "closed";
                }
            });
            Waits.untilQueued(channel, 0, 1, 0, getter.thread);
            racer.race(getter::interrupt, channel::close);
            String result = getter.join();
            assertTrue(result.equals("interrupted") || result.equals("closed"), result);
            assertNothingQueued(channel);
        }
    }

    @Test
    void cancelRacingCloseOfAPendingGetAsync() throws Exception {
        for (int round = 0; round < ROUNDS; round++) {
            Channel<String> channel = kind.create();
            CompletableFuture<String> got = channel.getAsync();
            AtomicBoolean cancelled = new AtomicBoolean();
            racer.race(() -> cancelled.set(got.cancel(false)), channel::close);
            if (cancelled.get()) {
                assertTrue(got.isCancelled());
            } else {
                ExecutionException failure = org.junit.jupiter.api.Assertions.assertThrows(
                        ExecutionException.class, () -> got.get(Waits.LONG.toMillis(), TimeUnit.MILLISECONDS));
                assertInstanceOf(ChannelClosedException.class, failure.getCause());
            }
            assertNothingQueued(channel);
        }
    }

    @Test
    void cancelRacingAGetOfAPendingPutAsync() throws Exception {
        assumeTrue(kind.isBounded());
        for (int round = 0; round < ROUNDS; round++) {
            Channel<String> channel = kind.create();
            List<String> filled = Supply.fill(channel);
            CompletableFuture<Void> put = channel.putAsync("late");
            AtomicBoolean cancelled = new AtomicBoolean();
            AtomicReference<String> polled = new AtomicReference<>();
            racer.race(() -> cancelled.set(put.cancel(false)), () -> polled.set(channel.poll()));
            if (!cancelled.get()) {
                put.get(Waits.LONG.toMillis(), TimeUnit.MILLISECONDS); // completes normally
            }
            List<String> received = new ArrayList<>();
            if (polled.get() != null) {
                received.add(polled.get());
            }
            channel.drainTo(received, Integer.MAX_VALUE);
            List<String> expected = new ArrayList<>(filled);
            if (!cancelled.get()) {
                expected.add("late");
            }
            assertEquals(expected, received, "a put that could not be cancelled was delivered, and only that one");
            assertNothingQueued(channel);
        }
    }

    @Test
    void aSelectWhoseClausesBecomeReadyAndClosedAtOnceCompletesOne() {
        for (int round = 0; round < ROUNDS; round++) {
            Channel<String> a = kind.create();
            Channel<String> b = kind.create();
            Actor<String> selecting = Actor.start(threads, "select", () -> {
                try {
                    return Select.select(a.onGet(item -> item), b.onGet(item -> "from b"));
                } catch (ChannelClosedException e) {
                    return "closed";
                }
            });
            Waits.untilQueued(a, 0, 1, 0, selecting.thread);
            Waits.untilQueued(b, 0, 1, 0, selecting.thread);
            AtomicBoolean offered = new AtomicBoolean();
            racer.race(() -> offered.set(a.offer("x")), b::close);
            String result = selecting.join();
            if (result.equals("x")) {
                assertTrue(offered.get());
                assertNull(a.poll());
            } else {
                assertEquals("closed", result);
                assertItemStillAvailable(a, offered.get(), "x");
            }
            assertNothingQueued(a);
            assertNothingQueued(b);
        }
    }

    @Test
    void interruptRacingTwoClausesOfABlockedSelect() {
        for (int round = 0; round < ROUNDS; round++) {
            Channel<String> a = kind.create();
            Channel<String> b = kind.create();
            Actor<String> selecting = Actor.start(threads, "select", () -> {
                try {
                    return Select.select(a.onGet(item -> item), b.onGet(item -> item));
                } catch (InterruptedException e) {
                    return "interrupted";
                }
            });
            Waits.untilQueued(a, 0, 1, 0, selecting.thread);
            Waits.untilQueued(b, 0, 1, 0, selecting.thread);
            AtomicBoolean offeredA = new AtomicBoolean();
            AtomicBoolean offeredB = new AtomicBoolean();
            boolean interruptFirst = round % 2 == 0;
            racer.race(
                    () -> {
                        if (interruptFirst) {
                            selecting.interrupt();
                        }
                        offeredA.set(a.offer("a"));
                        if (!interruptFirst) {
                            selecting.interrupt();
                        }
                    },
                    () -> offeredB.set(b.offer("b")));
            String result = selecting.join();
            int delivered = 0;
            for (String name : List.of("a", "b")) {
                Channel<String> channel = name.equals("a") ? a : b;
                boolean offered = name.equals("a") ? offeredA.get() : offeredB.get();
                if (result.equals(name)) {
                    delivered++;
                    assertTrue(offered);
                    assertNull(channel.poll());
                } else {
                    assertItemStillAvailable(channel, offered, name);
                }
            }
            assertEquals(result.equals("interrupted") ? 0 : 1, delivered, "exactly one clause, or none: " + result);
            assertNothingQueued(a);
            assertNothingQueued(b);
        }
    }

    @Test
    void joinersRacingTheLastGetAllEnd() throws Exception {
        assumeTrue(!kind.isRendezvous());
        for (int round = 0; round < ROUNDS / 3; round++) {
            Channel<String> channel = kind.create();
            channel.putNowait("last");
            List<Actor<Boolean>> joiners = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                joiners.add(Actor.start(threads, "joiner-" + i, () -> channel.join(Waits.LONG)));
            }
            CompletableFuture<Void> joinedAsync = channel.joinAsync();
            AtomicReference<String> got = new AtomicReference<>();
            racer.race(channel::close, () -> got.set(channel.poll()));
            if (got.get() == null) {
                assertEquals(
                        "last", channel.poll(), "the poll ran before the item? it cannot have: the item was there");
            }
            for (Actor<Boolean> joiner : joiners) {
                assertTrue(joiner.join(), "every joiner ends once the channel is closed and drained");
            }
            joinedAsync.get(Waits.LONG.toMillis(), TimeUnit.MILLISECONDS);
            assertNothingQueued(channel);
        }
    }

    @Test
    void concurrentClosesKeepExactlyOneCause() {
        for (int round = 0; round < ROUNDS; round++) {
            Channel<String> channel = kind.create();
            RuntimeException first = new RuntimeException("first");
            RuntimeException second = new RuntimeException("second");
            Actor<String> getter = Actor.start(threads, "getter", () -> {
                try {
                    return channel.get();
                } catch (ChannelClosedException e) {
                    return e.getCause().getMessage();
                }
            });
            Waits.untilQueued(channel, 0, 1, 0, getter.thread);
            racer.race(() -> channel.close(first), () -> channel.close(second));
            String seenByGetter = getter.join();
            ChannelClosedException later =
                    org.junit.jupiter.api.Assertions.assertThrows(ChannelClosedException.class, () -> channel.put("x"));
            assertEquals(seenByGetter, later.getCause().getMessage(), "one cause for everyone");
            assertTrue(channel.toString().contains(seenByGetter), channel.toString());
            assertNothingQueued(channel);
        }
    }

    @Test
    void joinersWithdrawingWhileTheChannelBecomesDone() throws Exception {
        for (int round = 0; round < ROUNDS / 3; round++) {
            Channel<String> channel = kind.create();
            Actor<String> interruptedJoiner = Actor.start(threads, "interrupted", () -> {
                try {
                    channel.join();
                    return "joined";
                } catch (InterruptedException e) {
                    return "interrupted";
                }
            });
            Actor<Boolean> steadyJoiner = Actor.start(threads, "steady", () -> channel.join(Waits.LONG));
            CompletableFuture<Void> cancelledAsync = channel.joinAsync();
            CompletableFuture<Void> steadyAsync = channel.joinAsync();
            Waits.untilQueued(channel, 0, 0, 4, interruptedJoiner.thread, steadyJoiner.thread);
            AtomicBoolean cancelled = new AtomicBoolean();
            racer.race(
                    () -> {
                        interruptedJoiner.interrupt();
                        cancelled.set(cancelledAsync.cancel(false));
                    },
                    channel::close);
            String first = interruptedJoiner.join();
            assertTrue(first.equals("joined") || first.equals("interrupted"), first);
            assertTrue(steadyJoiner.join(), "a joiner that did not withdraw returns true");
            steadyAsync.get(Waits.LONG.toMillis(), TimeUnit.MILLISECONDS);
            if (!cancelled.get()) {
                cancelledAsync.get(Waits.LONG.toMillis(), TimeUnit.MILLISECONDS); // completed normally by close
            }
            assertNothingQueued(channel);
        }
    }

    // ------------------------------------------------------------------------------------------------ helpers

    /**
     * After a race in which a getter withdrew: the racing put must have left its item available (buffered), or, on a
     * rendezvous channel, failed because nobody was waiting.
     */
    private void assertItemStillAvailable(Channel<String> channel, boolean offered, String item) {
        if (kind.isRendezvous()) {
            assertFalse(offered, "a rendezvous put cannot succeed without a taker");
        } else {
            assertTrue(offered);
            assertEquals(item, channel.poll(), "the item is still in the channel");
        }
    }

    private static void assertNothingQueued(Channel<?> channel) {
        Waits.untilQueued(channel, 0, 0, 0);
    }

    /** Two long-lived platform threads that run a pair of actions starting at (nearly) the same instant. */
    static final class Racer implements AutoCloseable {
        @FunctionalInterface
        interface Action {
            void run() throws Exception;
        }

        private final java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(3);
        private final java.util.concurrent.CyclicBarrier end = new java.util.concurrent.CyclicBarrier(3);
        private final List<AtomicReference<Action>> actions = List.of(new AtomicReference<>(), new AtomicReference<>());
        private final AtomicReference<Throwable> failure = new AtomicReference<>();
        private final Thread[] threads = new Thread[2];
        private volatile boolean closed;

        Racer() {
            for (int i = 0; i < 2; i++) {
                AtomicReference<Action> mine = actions.get(i);
                threads[i] = Thread.ofPlatform().daemon(true).name("racer-" + i).start(() -> {
                    try {
                        while (true) {
                            start.await();
                            if (closed) {
                                return;
                            }
                            try {
                                mine.get().run();
                            } catch (Throwable t) {
                                failure.compareAndSet(null, t);
                            }
                            end.await();
                        }
                    } catch (Exception e) {
                        // barrier broken on close
                    }
                });
            }
        }

        void race(Action first, Action second) {
            actions.get(0).set(first);
            actions.get(1).set(second);
            try {
                start.await(Waits.LONG.toMillis(), TimeUnit.MILLISECONDS);
                end.await(Waits.LONG.toMillis(), TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                fail("the racers did not finish\n" + ThreadDumps.dump(threads), e);
            }
            Throwable failed = failure.getAndSet(null);
            if (failed != null) {
                throw new AssertionError("a racing action failed", failed);
            }
        }

        @Override
        public void close() {
            closed = true;
            try {
                start.await(1, TimeUnit.SECONDS);
            } catch (Exception e) {
                // the racers are daemons; a broken barrier ends them
            }
        }
    }
}
