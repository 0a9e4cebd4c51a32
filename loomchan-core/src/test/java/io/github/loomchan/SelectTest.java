package io.github.loomchan;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@link Select}, with all channels of one {@link ChannelKind} per run: argument checks, bias to the first ready
 * clause, default and timeout clauses, closed clauses, callbacks that throw, waiting, and cleanup of registrations.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(ChannelKind.class)
class SelectTest {
    private final ChannelKind kind;
    private final Channel<String> a;
    private final Channel<String> b;

    SelectTest(ChannelKind kind) {
        this.kind = kind;
        this.a = kind.create();
        this.b = kind.create();
    }

    @AfterEach
    void leavesNoRegistrationBehind() {
        Thread.interrupted();
        Waits.untilQueued(a, 0, 0, 0);
        Waits.untilQueued(b, 0, 0, 0);
    }

    // ------------------------------------------------------------------------------------------------ arguments

    @Test
    void selectWithoutClausesIsIllegal() {
        IllegalArgumentException empty = assertThrows(IllegalArgumentException.class, Select::select);
        assertTrue(empty.getMessage().contains("clause"), empty.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Select.select(List.of()));
    }

    @Test
    void moreThanOneDefaultOrTimeoutIsIllegalAndNothingHappens() {
        List<CompletableFuture<Void>> puts = Supply.items(a, "kept");
        List<List<SelectClause<String>>> illegal = List.of(
                List.of(a.onGet(item -> item), Select.orElse(() -> "1"), Select.orElse(() -> "2")),
                List.of(
                        Select.orElse(() -> "1"),
                        a.onGet(item -> item),
                        Select.timeout(Duration.ofSeconds(1), () -> "2")),
                List.of(Select.timeout(Duration.ZERO, () -> "1"), Select.timeout(Duration.ofDays(1), () -> "2")),
                List.of(Select.orElse(() -> "1"), Select.orElse(() -> "2")));
        for (List<SelectClause<String>> clauses : illegal) {
            assertThrows(IllegalArgumentException.class, () -> Select.select(clauses));
            @SuppressWarnings("unchecked")
            SelectClause<String>[] array = (SelectClause<String>[]) clauses.toArray(new SelectClause<?>[0]);
            assertThrows(IllegalArgumentException.class, () -> Select.select(array));
        }
        assertEquals("kept", a.poll(), "the rejected selects consumed nothing");
        puts.get(0).join();
    }

    @Test
    void nullClausesAreRejectedAndNothingHappens() {
        List<CompletableFuture<Void>> puts = Supply.items(a, "kept");
        assertThrows(NullPointerException.class, () -> Select.select((SelectClause<String>[]) null));
        assertThrows(NullPointerException.class, () -> Select.select((List<SelectClause<String>>) null));
        assertThrows(NullPointerException.class, () -> Select.select(a.onGet(item -> item), null));
        assertThrows(NullPointerException.class, () -> Select.select(Arrays.asList(a.onGet(item -> item), null)));
        assertEquals("kept", a.poll());
        puts.get(0).join();
    }

    // ------------------------------------------------------------------------------------------------ choice

    @Test
    void theFirstReadyClauseWins() throws InterruptedException {
        List<CompletableFuture<Void>> puts = new ArrayList<>();
        puts.addAll(Supply.items(a, "a1"));
        puts.addAll(Supply.items(b, "b1"));
        assertEquals("a:a1", Select.select(a.onGet(item -> "a:" + item), b.onGet(item -> "b:" + item)));
        if (!kind.isRendezvous()) {
            assertEquals(List.of("b1"), b.snapshot(), "the clause not chosen consumed nothing");
        }
        puts.addAll(Supply.items(a, "a2"));
        assertEquals("b:b1", Select.select(b.onGet(item -> "b:" + item), a.onGet(item -> "a:" + item)));
        assertEquals("a2", a.poll());
        puts.forEach(CompletableFuture::join);
    }

    @Test
    void aReadyClauseLaterInTheListWinsOverNotReadyOnes() throws InterruptedException {
        List<CompletableFuture<Void>> puts = Supply.items(b, "b1");
        assertEquals(
                "b:b1",
                Select.select(a.onGet(item -> "a:" + item), b.onGet(item -> "b:" + item), Select.orElse(() -> "none")));
        puts.get(0).join();
    }

    @Test
    void theSameChannelTwiceTakesTheFirstClause() throws InterruptedException {
        List<CompletableFuture<Void>> puts = Supply.items(a, "x");
        assertEquals("first x", Select.select(a.onGet(item -> "first " + item), a.onGet(item -> "second " + item)));
        puts.get(0).join();
    }

    @Test
    void orElseIsTakenOnlyWhenNothingIsReady() throws InterruptedException {
        assertEquals(
                "default", Select.select(a.onGet(item -> item), b.onGet(item -> item), Select.orElse(() -> "default")));
        assertEquals(
                "default",
                Select.select(Select.orElse(() -> "default"), a.onGet(item -> item)),
                "position does not matter");
        assertEquals("default", Select.select(Select.orElse(() -> "default")), "a select of only a default");
        List<CompletableFuture<Void>> puts = Supply.items(a, "x");
        assertEquals("x", Select.select(Select.orElse(() -> "default"), a.onGet(item -> item)));
        puts.get(0).join();
    }

    @Test
    void aZeroOrNegativeTimeoutBehavesLikeOrElse() throws InterruptedException {
        assertEquals("t", Select.select(a.onGet(item -> item), Select.timeout(Duration.ZERO, () -> "t")));
        assertEquals("t", Select.select(a.onGet(item -> item), Select.timeout(Duration.ofSeconds(-3), () -> "t")));
    }

    @Test
    void theTimeoutIsTakenWhenNothingBecameReadyInTime() throws InterruptedException {
        assertEquals(
                "timed out",
                Select.select(
                        a.onGet(item -> item),
                        b.onGet(item -> item),
                        Select.timeout(Duration.ofMillis(30), () -> "timed out")));
        assertEquals("timed out", Select.select(Select.timeout(Duration.ofMillis(5), () -> "timed out")));
        if (kind.isBounded()) {
            Supply.fill(a);
            List<String> before = a.snapshot();
            assertEquals(
                    "timed out",
                    Select.select(a.onPut("x", () -> "put"), Select.timeout(Duration.ofMillis(30), () -> "timed out")));
            assertEquals(before, a.snapshot(), "the timed-out put clause put nothing");
        }
    }

    @Test
    void aPutClauseIsReadyWithRoomOrAWaitingGetter() throws InterruptedException {
        CompletableFuture<String> getter = kind.isRendezvous() ? a.getAsync() : null;
        // on a rendezvous channel only a's put clause is ready (a getter waits there); otherwise b's comes first
        assertEquals(
                kind.isRendezvous() ? "a" : "b",
                Select.select(b.onPut("b", () -> "b"), a.onPut("x", () -> "a"), Select.orElse(() -> "none")));
        if (kind.isRendezvous()) {
            assertEquals("x", getter.join());
            assertNull(b.poll(), "the put clause not chosen put nothing");
        } else {
            assertEquals(List.of("b"), b.snapshot(), "the first ready put clause won");
            assertEquals(List.of(), a.snapshot(), "the second put clause put nothing");
        }
    }

    // ------------------------------------------------------------------------------------------------ closed clauses

    @Test
    void aClosedGetClauseIsReadyAndThrowsTheCause() {
        RuntimeException cause = new RuntimeException("a is finished");
        a.close(cause);
        ChannelClosedException closed = assertThrows(
                ChannelClosedException.class,
                () -> Select.select(a.onGet(item -> item), b.onGet(item -> item), Select.orElse(() -> "default")));
        assertSame(cause, closed.getCause());
        assertThrows(
                ChannelClosedException.class,
                () -> Select.select(b.onGet(item -> item), a.onGet(item -> item)),
                "the first ready clause, even if not first in the list");
        assertThrows(
                ChannelClosedException.class,
                () -> Select.select(a.onGet(item -> item), Select.timeout(Duration.ofDays(1), () -> "timeout")),
                "never waits for the timeout");
    }

    @Test
    void aClosedClauseThrowsOnlyIfItIsTheFirstReadyOne() throws InterruptedException {
        a.close();
        List<CompletableFuture<Void>> puts = Supply.items(b, "b1");
        assertEquals("b1", Select.select(b.onGet(item -> item), a.onGet(item -> "a")));
        puts.get(0).join();
        if (!kind.isRendezvous()) {
            b.putNowait("b2");
            assertThrows(
                    ChannelClosedException.class, () -> Select.select(a.onPut("x", () -> "a"), b.onGet(item -> item)));
            assertEquals(List.of("b2"), b.snapshot(), "the later ready clause did not complete");
        }
    }

    @Test
    void aClosedButNotDrainedGetClauseReturnsItsItems() throws InterruptedException {
        assumeFalse(kind.isRendezvous());
        a.putNowait("last");
        a.close(new RuntimeException("cause"));
        assertEquals("last", Select.select(a.onGet(item -> item)));
        assertThrows(ChannelClosedException.class, () -> Select.select(a.onGet(item -> item)));
    }

    @Test
    void aPutClauseOnAClosedChannelThrowsEvenWhenFull() {
        List<String> filled = kind.isBounded() ? Supply.fill(a) : List.of();
        RuntimeException cause = new RuntimeException("closed");
        a.close(cause);
        ChannelClosedException closed = assertThrows(
                ChannelClosedException.class,
                () -> Select.select(a.onPut("x", () -> "put"), Select.orElse(() -> "full")));
        assertSame(cause, closed.getCause());
        assertEquals(filled, a.snapshot());
    }

    // ------------------------------------------------------------------------------------------------ callbacks

    @Test
    void aGetCallbackThatThrowsPropagatesAfterTheItemWasConsumed() {
        List<CompletableFuture<Void>> puts = Supply.items(a, "consumed", "next");
        IllegalStateException thrown = assertThrows(
                IllegalStateException.class,
                () -> Select.select(a.onGet(item -> {
                    throw new IllegalStateException("callback failed on " + item);
                })));
        assertEquals("callback failed on consumed", thrown.getMessage());
        assertEquals("next", a.poll(), "the item was consumed although the callback failed");
        puts.forEach(CompletableFuture::join);
    }

    @Test
    void aPutCallbackThatThrowsPropagatesAfterTheItemWasPut() {
        CompletableFuture<String> getter = kind.isRendezvous() ? a.getAsync() : null;
        assertThrows(
                UnsupportedOperationException.class,
                () -> Select.select(a.onPut("delivered", () -> {
                    throw new UnsupportedOperationException("callback failed");
                })));
        assertEquals("delivered", kind.isRendezvous() ? getter.join() : a.poll());
    }

    @Test
    void aBlockedSelectWhoseCallbackThrowsStillCompletedItsClause() throws InterruptedException {
        Actor<String> selecting = Actor.start(
                ThreadKind.VIRTUAL,
                "select",
                () -> Select.select(a.onGet(item -> {
                    throw new IllegalStateException(item);
                })));
        Waits.untilQueued(a, 0, 1, 0, selecting.thread);
        a.put("taken");
        assertEquals("taken", selecting.joinFailure(IllegalStateException.class).getMessage());
        assertTrue(a.isEmpty());
        assertNull(a.poll());
    }

    // ------------------------------------------------------------------------------------------------ waiting

    @Test
    void aBlockedSelectTakesTheFirstClauseToBecomeReady() throws InterruptedException {
        for (ThreadKind threads : ThreadKind.values()) {
            Actor<String> selecting = Actor.start(
                    threads, "select", () -> Select.select(a.onGet(item -> "a:" + item), b.onGet(item -> "b:" + item)));
            Waits.untilQueued(a, 0, 1, 0, selecting.thread);
            Waits.untilQueued(b, 0, 1, 0, selecting.thread);
            assertTrue(b.offer("x"), "the select's get clause is a waiting getter, even on a rendezvous channel");
            assertEquals("b:x", selecting.join());
            Waits.untilQueued(a, 0, 0, 0);
            if (kind.isRendezvous()) {
                assertFalse(a.offer("y"), "the losing clause's registration is gone");
            } else {
                assertTrue(a.offer("y"));
                assertEquals("y", a.poll(), "the losing clause consumed nothing");
            }
        }
    }

    @Test
    void aBlockedPutClauseCompletesWhenRoomAppears() throws InterruptedException {
        assumeTrue(kind.isBounded());
        List<String> expected = new ArrayList<>(Supply.fill(a));
        Actor<String> selecting = Actor.start(
                ThreadKind.PLATFORM,
                "select",
                () -> Select.select(b.onGet(item -> "got"), a.onPut("late", () -> "put")));
        Waits.untilQueued(a, 1, 0, 0, selecting.thread);
        expected.add("late");
        List<String> got = new ArrayList<>();
        for (int i = 0; i < expected.size(); i++) {
            got.add(a.get());
        }
        assertEquals("put", selecting.join());
        assertEquals(expected, got);
        Waits.untilQueued(b, 0, 0, 0);
    }

    @Test
    void aBlockedSelectIsWokenByCloseAndThrows() {
        Actor<String> getting = Actor.start(
                ThreadKind.VIRTUAL, "select-get", () -> Select.select(a.onGet(item -> item), b.onGet(item -> item)));
        Waits.untilQueued(a, 0, 1, 0, getting.thread);
        RuntimeException cause = new RuntimeException("b closed");
        b.close(cause);
        assertSame(cause, getting.joinFailure(ChannelClosedException.class).getCause());
        if (kind.isBounded()) {
            Channel<String> full = kind.create();
            Supply.fill(full);
            Actor<String> putting = Actor.start(
                    ThreadKind.VIRTUAL,
                    "select-put",
                    () -> Select.select(full.onPut("x", () -> "put"), a.onGet(item -> item)));
            Waits.untilQueued(full, 1, 0, 0, putting.thread);
            full.close();
            putting.joinFailure(ChannelClosedException.class);
            assertFalse(full.snapshot().contains("x"));
        }
    }

    @Test
    void aBlockedSelectTimesOutAndUnregisters() {
        Actor<String> selecting = Actor.start(
                ThreadKind.VIRTUAL,
                "select",
                () -> Select.select(
                        a.onGet(item -> item),
                        b.onGet(item -> item),
                        Select.timeout(Duration.ofMillis(50), () -> "timeout")));
        assertEquals("timeout", selecting.join());
        assertArrayEquals(new int[] {0, 0, 0}, Waits.queued(a));
        assertArrayEquals(new int[] {0, 0, 0}, Waits.queued(b));
    }

    // ------------------------------------------------------------------------------------------------ same channel

    @Test
    void getAndPutOnTheSameChannel() throws InterruptedException {
        if (!kind.isRendezvous()) {
            // empty: only the put is ready; full (or with an item): the get comes first
            assertEquals("put", Select.select(a.onGet(item -> "got " + item), a.onPut("x", () -> "put")));
            assertEquals("got x", Select.select(a.onGet(item -> "got " + item), a.onPut("y", () -> "put")));
            return;
        }
        // rendezvous: neither is ready; a getter completes the put clause, a putter the get clause
        Actor<String> first = Actor.start(
                ThreadKind.VIRTUAL,
                "select-1",
                () -> Select.select(a.onGet(item -> "got " + item), a.onPut("x", () -> "put")));
        Waits.untilQueued(a, 1, 1, 0, first.thread);
        assertEquals("x", a.get());
        assertEquals("put", first.join());
        Actor<String> second = Actor.start(
                ThreadKind.VIRTUAL,
                "select-2",
                () -> Select.select(a.onGet(item -> "got " + item), a.onPut("x", () -> "put")));
        Waits.untilQueued(a, 1, 1, 0, second.thread);
        a.put("y");
        assertEquals("got y", second.join());
    }

    @Test
    void twoSelectsMeetOnARendezvousChannel() throws InterruptedException {
        assumeTrue(kind.isRendezvous());
        Actor<String> waiting = Actor.start(
                ThreadKind.PLATFORM,
                "waiting",
                () -> Select.select(a.onPut("from waiting", () -> "put"), a.onGet(item -> "got " + item)));
        Waits.untilQueued(a, 1, 1, 0, waiting.thread);
        // this select finds the waiting select's put clause ready for its get clause
        assertEquals(
                "got from waiting", Select.select(a.onGet(item -> "got " + item), a.onPut("from me", () -> "put")));
        assertEquals("put", waiting.join());
    }

    // ------------------------------------------------------------------------------------------------ cleanup

    @Test
    void aLoopOfSelectsLeavesNoRegistrationBehind() throws InterruptedException {
        // b is fed by another thread; a never gets anything. Many of the selects wait (and register on both
        // channels); after every one, nothing may remain registered on a.
        int rounds = 3000;
        Actor<Void> feeder = Actor.start(ThreadKind.VIRTUAL, "feeder", () -> {
            for (int i = 0; i < rounds; i++) {
                b.put("b" + i);
            }
            return null;
        });
        Channel<String> never = kind.create();
        for (int i = 0; i < rounds; i++) {
            assertEquals(
                    "b" + i, Select.select(a.onGet(item -> "a"), never.onGet(item -> "never"), b.onGet(item -> item)));
        }
        feeder.join();
        Waits.untilQueued(never, 0, 0, 0);
        for (int i = 0; i < 200; i++) {
            assertEquals(
                    "t",
                    Select.select(
                            a.onGet(item -> "a"),
                            never.onGet(item -> "never"),
                            Select.timeout(Duration.ofNanos(1000), () -> "t")));
            assertEquals("e", Select.select(a.onGet(item -> "a"), Select.orElse(() -> "e")));
        }
        Waits.untilQueued(never, 0, 0, 0);
        if (kind.isBounded()) {
            Supply.fill(never);
            for (int i = 0; i < 200; i++) {
                assertEquals(
                        "t",
                        Select.select(never.onPut("p", () -> "p"), Select.timeout(Duration.ofNanos(1000), () -> "t")));
            }
            Waits.untilQueued(never, 0, 0, 0);
        }
    }

    @Test
    void interruptedSelectsLeaveNoRegistrationBehind() {
        for (int i = 0; i < 50; i++) {
            Actor<String> selecting = Actor.start(
                    ThreadKind.VIRTUAL, "select-" + i, () -> Select.select(a.onGet(item -> "a"), b.onGet(item -> "b")));
            Waits.untilQueued(b, 0, 1, 0, selecting.thread);
            selecting.interrupt();
            selecting.joinFailure(InterruptedException.class);
        }
        assertArrayEquals(new int[] {0, 0, 0}, Waits.queued(a));
        assertArrayEquals(new int[] {0, 0, 0}, Waits.queued(b));
    }

    @Test
    void exactlyOneClauseCompletesWhenTwoBecomeReadyTogether() throws Exception {
        // Two feeders make both clauses ready at about the same time; the select must take exactly one item.
        AtomicInteger taken = new AtomicInteger();
        for (int round = 0; round < 300; round++) {
            Actor<String> selecting = Actor.start(
                    ThreadKind.PLATFORM,
                    "select",
                    () -> Select.select(
                            a.onGet(item -> {
                                taken.incrementAndGet();
                                return item;
                            }),
                            b.onGet(item -> {
                                taken.incrementAndGet();
                                return item;
                            })));
            Waits.untilQueued(a, 0, 1, 0, selecting.thread);
            Waits.untilQueued(b, 0, 1, 0, selecting.thread);
            CompletableFuture<Void> putA = a.putAsync("a" + round);
            CompletableFuture<Void> putB = b.putAsync("b" + round);
            String won = selecting.join();
            Waits.untilQueued(a, kind.isRendezvous() && !won.startsWith("a") ? 1 : 0, 0, 0);
            String other = won.startsWith("a") ? b.poll() : a.poll();
            assertEquals(won.startsWith("a") ? "b" + round : "a" + round, other, "the losing item is still available");
            putA.join();
            putB.join();
        }
        assertEquals(300, taken.get());
    }
}
