package io.github.loomchan;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The blocking part of the {@link Channel} contract, run for every {@link ChannelKind} on platform and on virtual
 * threads: waiting, being released, FIFO among waiters, close, interrupts and timeouts of blocked calls.
 *
 * <p>A test learns that an actor is blocked from the channel's queued waiters (white-box), never by sleeping.
 */
@ParameterizedClass(name = "{0} on {1} threads")
@MethodSource("kinds")
class ChannelBlockingTest {
    private static final Duration LONG_TIMEOUT = Duration.ofMinutes(5);

    static Stream<Arguments> kinds() {
        return Stream.of(ChannelKind.values())
                .flatMap(kind -> Stream.of(ThreadKind.values()).map(threads -> Arguments.of(kind, threads)));
    }

    private final ChannelKind kind;
    private final ThreadKind threads;
    private final Channel<String> channel;

    ChannelBlockingTest(ChannelKind kind, ThreadKind threads) {
        this.kind = kind;
        this.threads = threads;
        this.channel = kind.create();
    }

    @AfterEach
    void leavesNoWaiterBehind() {
        Waits.untilQueued(channel, 0, 0, 0);
    }

    private <V> Actor<V> start(String name, Actor.Body<V> body) {
        return Actor.start(threads, name, body);
    }

    // ------------------------------------------------------------------------------------------------ waiting

    @Test
    void getBlocksUntilAnItemArrives() {
        Actor<String> getter = start("getter", channel::get);
        Waits.untilQueued(channel, 0, 1, 0, getter.thread);
        assertFalse(getter.isDone());
        assertTrue(channel.offer("x"), "a waiting getter takes the item even on a rendezvous channel");
        assertEquals("x", getter.join());
        assertEquals(0, channel.size(), "an item handed to a waiting getter is never counted");
    }

    @Test
    void putBlocksWhileFullUntilAGetMakesRoom() throws InterruptedException {
        assumeTrue(kind.isBounded());
        List<String> filled = Supply.fill(channel);
        Actor<Void> putter = start("putter", () -> {
            channel.put("late");
            return null;
        });
        Waits.untilQueued(channel, 1, 0, 0, putter.thread);
        assertFalse(putter.isDone());
        assertEquals(filled, channel.snapshot(), "the waiting item is not in the buffer");
        assertEquals(kind.capacity, channel.size());
        List<String> got = new ArrayList<>();
        got.add(channel.get());
        putter.join();
        got.addAll(channel.snapshot());
        List<String> expected = new ArrayList<>(filled);
        expected.add("late");
        assertEquals(expected, got, "the waiting putter's item comes after the buffered ones");
    }

    @Test
    void rendezvousPutReturnsOnlyOnceAGetTookTheItem() throws InterruptedException {
        assumeTrue(kind.isRendezvous());
        Actor<Void> putter = start("putter", () -> {
            channel.put("hand");
            return null;
        });
        Waits.untilQueued(channel, 1, 0, 0, putter.thread);
        assertFalse(putter.isDone());
        assertEquals(0, channel.size());
        assertEquals("hand", channel.get());
        putter.join();
    }

    @Test
    void waitingGettersAreServedInArrivalOrder() {
        List<Actor<String>> getters = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            getters.add(start("getter-" + i, channel::get));
            Waits.untilQueued(channel, 0, i + 1, 0, getters.get(i).thread);
        }
        for (String item : List.of("a", "b", "c")) {
            assertTrue(channel.offer(item));
        }
        assertEquals("a", getters.get(0).join());
        assertEquals("b", getters.get(1).join());
        assertEquals("c", getters.get(2).join());
    }

    @Test
    void waitingPuttersAreServedInArrivalOrder() throws InterruptedException {
        assumeTrue(kind.isBounded());
        List<String> expected = new ArrayList<>(Supply.fill(channel));
        List<Actor<Void>> putters = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String item = "p" + i;
            putters.add(start("putter-" + i, () -> {
                channel.put(item);
                return null;
            }));
            Waits.untilQueued(channel, i + 1, 0, 0, putters.get(i).thread);
            expected.add(item);
        }
        List<String> got = new ArrayList<>();
        for (int i = 0; i < expected.size(); i++) {
            got.add(channel.get());
        }
        assertEquals(expected, got);
        putters.forEach(Actor::join);
    }

    @Test
    void timedPollIsReleasedByAPut() {
        Actor<String> getter = start("getter", () -> channel.poll(LONG_TIMEOUT));
        Waits.untilQueued(channel, 0, 1, 0, getter.thread);
        channel.putNowait("x");
        assertEquals("x", getter.join());
    }

    @Test
    void timedOfferIsReleasedByAGet() {
        assumeTrue(kind.isBounded());
        List<String> filled = Supply.fill(channel);
        Actor<Boolean> putter = start("putter", () -> channel.offer("late", LONG_TIMEOUT));
        Waits.untilQueued(channel, 1, 0, 0, putter.thread);
        assertEquals(kind.isRendezvous() ? "late" : filled.get(0), channel.poll());
        assertTrue(putter.join());
    }

    @Test
    void timedCallsTimeOutWhileBlockedAndLeaveNothingBehind() {
        Actor<String> getter = start("getter", () -> channel.poll(Duration.ofMillis(30)));
        assertNull(getter.join());
        Actor<Boolean> joiner = start("joiner", () -> channel.join(Duration.ofMillis(30)));
        assertFalse(joiner.join());
        if (kind.isBounded()) {
            List<String> filled = Supply.fill(channel);
            Actor<Boolean> putter = start("putter", () -> channel.offer("late", Duration.ofMillis(30)));
            assertFalse(putter.join());
            assertEquals(filled, channel.snapshot());
            Waits.untilQueued(channel, 0, 0, 0);
            if (kind.isRendezvous()) {
                assertNull(channel.poll(), "the timed-out putter's item is not handed over later");
            }
        }
    }

    // ------------------------------------------------------------------------------------------------ close

    @Test
    void closeFailsBlockedPuttersWithTheCauseAndDropsTheirItems() {
        assumeTrue(kind.isBounded());
        List<String> filled = Supply.fill(channel);
        List<Actor<Void>> putters = new ArrayList<>();
        putters.add(start("put", () -> {
            channel.put("p0");
            return null;
        }));
        Waits.untilQueued(channel, 1, 0, 0, putters.get(0).thread);
        putters.add(start("offer", () -> {
            channel.offer("p1", LONG_TIMEOUT);
            return null;
        }));
        Waits.untilQueued(channel, 2, 0, 0, putters.get(1).thread);
        RuntimeException cause = new RuntimeException("shutdown");
        channel.close(cause);
        for (Actor<Void> putter : putters) {
            assertSame(cause, putter.joinFailure(ChannelClosedException.class).getCause());
        }
        List<String> left = new ArrayList<>();
        channel.drainTo(left, Integer.MAX_VALUE);
        assertEquals(filled, left, "the failed putters' items were never enqueued");
        assertTrue(channel.isDone());
    }

    @Test
    void closeWakesBlockedGettersWithTheCause() {
        List<Actor<String>> getters = new ArrayList<>();
        getters.add(start("get", channel::get));
        Waits.untilQueued(channel, 0, 1, 0, getters.get(0).thread);
        getters.add(start("poll", () -> channel.poll(LONG_TIMEOUT)));
        Waits.untilQueued(channel, 0, 2, 0, getters.get(1).thread);
        IllegalStateException cause = new IllegalStateException("upstream failed");
        channel.close(cause);
        for (Actor<String> getter : getters) {
            assertSame(cause, getter.joinFailure(ChannelClosedException.class).getCause());
        }
    }

    @Test
    void blockedGettersGetTheLastItemsThenClosed() {
        Actor<String> first = start("first", channel::get);
        Waits.untilQueued(channel, 0, 1, 0, first.thread);
        Actor<String> second = start("second", channel::get);
        Waits.untilQueued(channel, 0, 2, 0, second.thread);
        assertTrue(channel.offer("last"));
        channel.close();
        assertEquals("last", first.join());
        second.joinFailure(ChannelClosedException.class);
    }

    @Test
    void joinWaitsUntilClosedAndDrained() throws InterruptedException {
        Actor<Void> joiner = start("join", () -> {
            channel.join();
            return null;
        });
        Actor<Boolean> timedJoiner = start("join(timeout)", () -> channel.join(LONG_TIMEOUT));
        Waits.untilQueued(channel, 0, 0, 2, joiner.thread, timedJoiner.thread);
        if (!kind.isRendezvous()) {
            channel.putNowait("left");
            channel.close();
            assertFalse(channel.isDone());
            assertArrayEquals(new int[] {0, 0, 2}, Waits.queued(channel), "closed but not drained: still waiting");
            assertFalse(joiner.isDone() || timedJoiner.isDone());
            assertEquals("left", channel.get());
        } else {
            channel.close();
        }
        joiner.join();
        assertTrue(timedJoiner.join());
    }

    // ------------------------------------------------------------------------------------------------ interrupts

    @Test
    void interruptedBlockedGetThrowsAndConsumesNothing() {
        assertInterruptedWhileBlocked(channel::get, 0, 1, 0);
        assertInterruptedWhileBlocked(() -> channel.poll(LONG_TIMEOUT), 0, 1, 0);
        assertInterruptedWhileBlocked(() -> Select.select(channel.onGet(item -> item)), 0, 1, 0);
        assertInterruptedWhileBlocked(
                () -> Select.select(channel.onGet(item -> item), Select.timeout(LONG_TIMEOUT, () -> "timeout")),
                0,
                1,
                0);
        // the withdrawn getters do not take a later item
        if (kind.isRendezvous()) {
            assertFalse(channel.offer("x"));
        } else {
            assertTrue(channel.offer("x"));
            assertEquals(List.of("x"), channel.snapshot());
        }
    }

    @Test
    void interruptedBlockedPutThrowsAndEnqueuesNothing() {
        assumeTrue(kind.isBounded());
        List<String> filled = Supply.fill(channel);
        assertInterruptedWhileBlocked(
                () -> {
                    channel.put("lost");
                    return null;
                },
                1,
                0,
                0);
        assertInterruptedWhileBlocked(() -> channel.offer("lost", LONG_TIMEOUT), 1, 0, 0);
        assertInterruptedWhileBlocked(() -> Select.select(channel.onPut("lost", () -> "put")), 1, 0, 0);
        assertEquals(filled, channel.snapshot());
        List<String> drained = new ArrayList<>();
        channel.drainTo(drained, Integer.MAX_VALUE);
        assertEquals(filled, drained, "no withdrawn item entered the buffer when room appeared");
        if (kind.isRendezvous()) {
            assertNull(channel.poll());
        }
    }

    @Test
    void interruptedJoinThrows() {
        assertInterruptedWhileBlocked(
                () -> {
                    channel.join();
                    return null;
                },
                0,
                0,
                1);
        assertInterruptedWhileBlocked(() -> channel.join(LONG_TIMEOUT), 0, 0, 1);
    }

    /**
     * Starts {@code call} on an actor, waits until it is queued (as the given counts say), interrupts it, and checks
     * that it threw InterruptedException with the interrupt status cleared and withdrew its waiter.
     */
    private void assertInterruptedWhileBlocked(Actor.Body<?> call, int putters, int getters, int joiners) {
        Actor<Boolean> actor = start("blocked", () -> {
            try {
                Object result = call.run();
                throw new AssertionError("returned " + result + " instead of throwing InterruptedException");
            } catch (InterruptedException expected) {
                return Thread.currentThread().isInterrupted();
            }
        });
        Waits.untilQueued(channel, putters, getters, joiners, actor.thread);
        actor.interrupt();
        assertFalse(actor.join(), "the interrupt status is cleared when InterruptedException is thrown");
        assertArrayEquals(new int[] {0, 0, 0}, Waits.queued(channel), "the interrupted call withdrew its waiter");
    }

    @Test
    void anInterruptedGetterLeavesTheNextInLineAwake() {
        Actor<String> interrupted = start("interrupted", channel::get);
        Waits.untilQueued(channel, 0, 1, 0, interrupted.thread);
        Actor<String> next = start("next", channel::get);
        Waits.untilQueued(channel, 0, 2, 0, next.thread);
        interrupted.interrupt();
        interrupted.joinFailure(InterruptedException.class);
        assertTrue(channel.offer("x"));
        assertEquals("x", next.join());
    }

    @Test
    void anInterruptedPutterLeavesTheNextInLineAwake() throws InterruptedException {
        assumeTrue(kind.isBounded());
        List<String> expected = new ArrayList<>(Supply.fill(channel));
        Actor<Void> interrupted = start("interrupted", () -> {
            channel.put("withdrawn");
            return null;
        });
        Waits.untilQueued(channel, 1, 0, 0, interrupted.thread);
        Actor<Void> next = start("next", () -> {
            channel.put("next");
            return null;
        });
        Waits.untilQueued(channel, 2, 0, 0, next.thread);
        interrupted.interrupt();
        interrupted.joinFailure(InterruptedException.class);
        expected.add("next");
        List<String> got = new ArrayList<>();
        for (int i = 0; i < expected.size(); i++) {
            got.add(channel.get());
        }
        next.join();
        assertEquals(expected, got);
    }

    // ------------------------------------------------------------------------------------------------ iteration

    @Test
    void iterationAcrossThreadsEndsAfterTheProducerCloses() {
        int count = 500;
        Actor<Void> producer = start("producer", () -> {
            try {
                for (int i = 0; i < count; i++) {
                    channel.put("i" + i);
                }
            } finally {
                channel.close();
            }
            return null;
        });
        List<String> got = new ArrayList<>();
        for (String item : channel) {
            got.add(item);
        }
        producer.join();
        assertEquals(count, got.size());
        for (int i = 0; i < count; i++) {
            assertEquals("i" + i, got.get(i), "a single producer's items arrive in order");
        }
        assertTrue(channel.isDone());
    }

    @Test
    void severalIteratingConsumersEachEndAndShareTheItemsExactlyOnce() {
        int count = 1000;
        List<Actor<List<String>>> consumers = new ArrayList<>();
        for (int c = 0; c < 3; c++) {
            consumers.add(start("consumer-" + c, () -> {
                List<String> got = new ArrayList<>();
                for (String item : channel) {
                    got.add(item);
                }
                return got;
            }));
        }
        Actor<Void> producer = start("producer", () -> {
            try {
                for (int i = 0; i < count; i++) {
                    channel.put(String.valueOf(i));
                }
            } finally {
                channel.close();
            }
            return null;
        });
        producer.join();
        List<Integer> all = new ArrayList<>();
        for (Actor<List<String>> consumer : consumers) {
            List<Integer> got = consumer.join().stream().map(Integer::valueOf).collect(Collectors.toList());
            for (int i = 1; i < got.size(); i++) {
                assertTrue(got.get(i - 1) < got.get(i), "each consumer sees the producer's order");
            }
            all.addAll(got);
        }
        all.sort(null);
        assertEquals(count, all.size(), "nothing lost, nothing duplicated");
        for (int i = 0; i < count; i++) {
            assertEquals(i, all.get(i));
        }
    }

    @Test
    void streamAcrossThreadsThrowsTheCauseAfterTheItems() {
        RuntimeException cause = new RuntimeException("producer crashed");
        Actor<Void> producer = start("producer", () -> {
            channel.put("a");
            channel.put("b");
            channel.close(cause);
            return null;
        });
        List<String> got = new ArrayList<>();
        ChannelClosedException end = org.junit.jupiter.api.Assertions.assertThrows(
                ChannelClosedException.class, () -> channel.stream().forEach(got::add));
        producer.join();
        assertSame(cause, end.getCause());
        assertEquals(List.of("a", "b"), got);
    }

    @Test
    void interruptedIterationThrowsChannelExceptionWithTheInterruptAndKeepsTheFlag() {
        Actor<Boolean> iterating = start("iterating", () -> {
            Iterator<String> iterator = channel.iterator();
            try {
                iterator.hasNext();
                throw new AssertionError("hasNext returned on an open, empty channel");
            } catch (ChannelException e) {
                assertFalse(e instanceof ChannelClosedException, "not a close: " + e);
                assertInstanceOf(InterruptedException.class, e.getCause());
                return Thread.interrupted();
            }
        });
        Waits.untilQueued(channel, 0, 1, 0, iterating.thread);
        iterating.interrupt();
        assertTrue(iterating.join(), "the interrupt status is set again");
        Waits.untilQueued(channel, 0, 0, 0);
        if (!kind.isRendezvous()) {
            channel.putNowait("kept");
            assertEquals(List.of("kept"), channel.snapshot(), "the interrupted iteration consumed nothing");
        }
    }

    @Test
    void anIteratorKeepsWorkingAfterAnInterruptedHasNext() throws InterruptedException {
        Iterator<String> iterator = channel.iterator();
        Actor<String> iterating = start("iterating", () -> {
            try {
                iterator.hasNext();
                return "hasNext returned";
            } catch (ChannelException e) {
                Thread.interrupted();
                return "interrupted";
            }
        });
        Waits.untilQueued(channel, 0, 1, 0, iterating.thread);
        iterating.interrupt();
        assertEquals("interrupted", iterating.join());
        Actor<List<String>> resumed = start("resumed", () -> {
            List<String> got = new ArrayList<>();
            while (iterator.hasNext()) {
                got.add(iterator.next());
            }
            return got;
        });
        channel.put("after");
        channel.close();
        assertEquals(List.of("after"), resumed.join());
    }

    @Test
    void everyIteratingConsumerSeesTheCauseAfterCloseWithCause() {
        List<Actor<Integer>> consumers = new ArrayList<>();
        for (int c = 0; c < 3; c++) {
            consumers.add(start("consumer-" + c, () -> {
                int got = 0;
                try {
                    for (String ignored : channel) {
                        got++;
                    }
                    throw new AssertionError("iteration ended normally after close(cause)");
                } catch (ChannelClosedException e) {
                    assertEquals("disk full", e.getCause().getMessage());
                    return got;
                }
            }));
        }
        Waits.untilQueued(channel, 0, 3, 0);
        Actor<Void> producer = start("producer", () -> {
            for (int i = 0; i < 100; i++) {
                channel.put("i" + i);
            }
            channel.close(new java.io.IOException("disk full"));
            return null;
        });
        producer.join();
        assertEquals(100, consumers.stream().mapToInt(Actor::join).sum(), "the items came before the failure");
    }

    // ------------------------------------------------------------------------------------------------ drainTo

    @Test
    void drainToTakesTheItemsOfWaitingPutters() {
        assumeTrue(kind.isBounded());
        List<String> expected = new ArrayList<>(Supply.fill(channel));
        List<Actor<Void>> putters = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            String item = "w" + i;
            putters.add(start("putter-" + i, () -> {
                channel.put(item);
                return null;
            }));
            Waits.untilQueued(channel, i + 1, 0, 0, putters.get(i).thread);
            expected.add(item);
        }
        List<String> drained = new ArrayList<>();
        // rendezvous: takes both putters' items; buffered: the buffer, refilled from the putters as it empties
        assertEquals(expected.size(), channel.drainTo(drained, Integer.MAX_VALUE));
        assertEquals(expected, drained);
        putters.forEach(Actor::join);
    }

    @Test
    void getterOnTheOtherKindOfThreadIsReleasedToo() {
        assumeFalse(threads == ThreadKind.VIRTUAL && kind == ChannelKind.UNBOUNDED); // one mixed run is enough
        ThreadKind other = threads == ThreadKind.PLATFORM ? ThreadKind.VIRTUAL : ThreadKind.PLATFORM;
        Actor<String> getter = Actor.start(other, "getter", channel::get);
        Waits.untilQueued(channel, 0, 1, 0, getter.thread);
        Actor<Void> putter = start("putter", () -> {
            channel.put("mixed");
            return null;
        });
        assertEquals("mixed", getter.join());
        putter.join();
    }
}
