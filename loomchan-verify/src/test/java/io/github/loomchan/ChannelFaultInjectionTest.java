package io.github.loomchan;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.loomchan.verify.Budget;
import io.github.loomchan.verify.NaiveChannel;
import io.github.loomchan.verify.RealChannelOps;
import io.github.loomchan.verify.fault.FaultyWorkload;
import java.lang.ref.WeakReference;
import java.lang.reflect.Field;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Fault injection, with white-box checks of the waiter queues ({@link BufferedChannel#queuedWaiters()}: putters,
 * getters, joiners). Each test checks: nothing lost, nothing duplicated, every waiter woken, no thread left running,
 * and no waiter left queued.
 *
 * <p>It lives in the core's package to reach {@code queuedWaiters()}; the verify module runs on the class path, so
 * sharing the package with the core jar is allowed there.
 */
public class ChannelFaultInjectionTest {

    private static final int[] NO_WAITERS = {0, 0, 0};

    private static int[] waiters(Channel<?> channel) {
        return ((AbstractChannel<?>) channel).queuedWaiters();
    }

    static Stream<Arguments> kinds() {
        List<Arguments> all = new ArrayList<>();
        for (int capacity : new int[] {0, 1, 16, Integer.MAX_VALUE}) {
            all.add(Arguments.of(capacity, false));
            all.add(Arguments.of(capacity, true));
        }
        return all.stream();
    }

    // ------------------------------------------------------------------ interrupts and cancellations at random points

    @ParameterizedTest(name = "capacity {0}, virtual threads {1}")
    @MethodSource("kinds")
    @Timeout(value = 60, unit = TimeUnit.MINUTES)
    public void randomInterruptsAndCancellationsLoseNothingAndWakeEveryone(int capacity, boolean virtual)
            throws InterruptedException {
        long seed = System.nanoTime();
        int rounds = Budget.pick(6, 100);
        int disturbed = 0;
        int failedPuts = 0;
        for (int round = 0; round < rounds; round++) {
            RealChannelOps<Integer> ops = (RealChannelOps<Integer>) RealChannelOps.<Integer>of(capacity);
            FaultyWorkload.Config config = new FaultyWorkload.Config(
                    3, 3, Budget.pick(300, 3_000), virtual, true, true, round % 2 == 1, 300, Duration.ofSeconds(60));
            FaultyWorkload.Report report = FaultyWorkload.run(ops, config, seed + round);
            assertEquals(List.of(), report.problems(), "seed " + (seed + round) + ", " + ops.name());
            assertArrayEquals(NO_WAITERS, waiters(ops.channel()), "waiters left queued on " + ops.channel());
            assertEquals(report.putSucceeded(), report.received());
            disturbed += report.disturbancesDone();
            failedPuts += report.putFailed();
        }
        assertTrue(disturbed > 0, "no fault was injected");
        if (capacity != Integer.MAX_VALUE) { // on an unbounded channel puts never wait, so they cannot be withdrawn
            assertTrue(failedPuts > 0, "no put was ever withdrawn or refused: the faults did not reach the channel");
        }
    }

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    public void theWorkloadCatchesACloseThatForgetsWaitingGetters() throws InterruptedException {
        for (int round = 0; round < 20; round++) {
            NaiveChannel<Integer> broken = new NaiveChannel<>(4, NaiveChannel.Defect.CLOSE_FORGETS_WAITERS);
            FaultyWorkload.Config config =
                    new FaultyWorkload.Config(2, 3, 50, false, false, false, false, 0, Duration.ofSeconds(1));
            FaultyWorkload.Report report = FaultyWorkload.run(broken, config, round);
            if (report.problems().stream().anyMatch(p -> p.startsWith("consumer never woken"))) {
                System.out.println("[expected] " + broken.name() + " caught: "
                        + report.problems().get(0));
                return;
            }
        }
        throw new AssertionError("the workload did not notice getters left asleep by close");
    }

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    public void theWorkloadAcceptsTheCorrectNaiveChannel() throws InterruptedException {
        NaiveChannel<Integer> naive = new NaiveChannel<>(4, NaiveChannel.Defect.NONE);
        FaultyWorkload.Config config =
                new FaultyWorkload.Config(3, 3, 300, false, false, true, false, 300, Duration.ofSeconds(60));
        assertEquals(List.of(), FaultyWorkload.run(naive, config, 1).problems());
    }

    // ------------------------------------------------------------------ exceptions from select callbacks

    /** What a callback throws. */
    static final class CallbackFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        CallbackFailure(int item) {
            super("callback failed on " + item, null, false, false);
        }
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    public void getCallbacksThatThrowStillConsumeEachItemExactlyOnce() throws Exception {
        Channel<Integer> a = Channel.buffered(2);
        Channel<Integer> b = Channel.rendezvous();
        int perChannel = Budget.pick(2_000, 50_000);
        Thread producerA = Thread.ofVirtual().start(() -> produce(a, 0, perChannel));
        Thread producerB = Thread.ofVirtual().start(() -> produce(b, 10_000_000, perChannel));
        List<Integer> seen = new ArrayList<>();
        int failures = 0;
        while (!(a.isDone() && b.isDone())) {
            List<SelectClause<Integer>> clauses = new ArrayList<>();
            for (Channel<Integer> ch : List.of(a, b)) {
                if (!ch.isDone()) {
                    clauses.add(ch.onGet(item -> {
                        seen.add(item);
                        if (ThreadLocalRandom.current().nextInt(3) == 0) {
                            throw new CallbackFailure(item);
                        }
                        return item;
                    }));
                }
            }
            if (clauses.isEmpty()) {
                break;
            }
            try {
                Select.select(clauses);
            } catch (CallbackFailure e) {
                failures++;
            } catch (ChannelClosedException e) {
                // a channel became done between isDone() and the select: the next round leaves it out
            }
        }
        assertTrue(producerA.join(Duration.ofMinutes(1)) && producerB.join(Duration.ofMinutes(1)));
        assertTrue(failures > 0);
        assertExactlyOnce(seen, 2 * perChannel, 0, 10_000_000, perChannel);
        assertArrayEquals(NO_WAITERS, waiters(a));
        assertArrayEquals(NO_WAITERS, waiters(b));
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    public void putCallbacksThatThrowLeaveTheItemPutExactlyOnce() throws Exception {
        Channel<Integer> a = Channel.buffered(1);
        Channel<Integer> b = Channel.rendezvous();
        List<Integer> received = Collections.synchronizedList(new ArrayList<>());
        Thread consumerA = Thread.ofVirtual().start(() -> a.forEach(received::add));
        Thread consumerB = Thread.ofVirtual().start(() -> b.forEach(received::add));
        int items = Budget.pick(4_000, 100_000);
        int failures = 0;
        for (int item = 1; item <= items; item++) {
            int current = item;
            try {
                Select.select(
                        a.onPut(item, () -> {
                            if (current % 3 == 0) {
                                throw new CallbackFailure(current);
                            }
                            return current;
                        }),
                        b.onPut(item, () -> {
                            if (current % 2 == 0) {
                                throw new CallbackFailure(current);
                            }
                            return current;
                        }));
            } catch (CallbackFailure e) {
                failures++;
            }
        }
        a.close();
        b.close();
        assertTrue(consumerA.join(Duration.ofMinutes(1)) && consumerB.join(Duration.ofMinutes(1)));
        assertTrue(failures > 0);
        assertExactlyOnce(received, items, 1, 1, items);
        assertArrayEquals(NO_WAITERS, waiters(a));
        assertArrayEquals(NO_WAITERS, waiters(b));
    }

    // ------------------------------------------------------------------ OutOfMemoryError thrown by user code

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    public void aConsumerDyingOfOutOfMemoryErrorLosesOnlyTheItemItHeld() throws Exception {
        Channel<Integer> channel = Channel.buffered(4);
        int items = Budget.pick(5_000, 100_000);
        Set<Integer> consumed = ConcurrentHashMap.newKeySet();
        AtomicReference<Throwable> died = new AtomicReference<>();
        AtomicInteger dyingItem = new AtomicInteger();
        Thread dying = Thread.ofVirtual().unstarted(() -> {
            for (int item : channel) {
                consumed.add(item);
                if (item == items / 2) {
                    dyingItem.set(item);
                    throw new OutOfMemoryError("simulated, thrown by the consumer's own code");
                }
            }
        });
        dying.setUncaughtExceptionHandler((t, e) -> died.set(e));
        dying.start();
        Thread producer = Thread.ofVirtual().start(() -> produce(channel, 0, items));
        assertTrue(dying.join(Duration.ofMinutes(1)));
        assertTrue(died.get() instanceof OutOfMemoryError, "the consumer should have died: " + died.get());
        // a second consumer takes over; the producer (perhaps blocked on a full buffer) must not be stuck
        List<Integer> rest = new ArrayList<>();
        Thread survivor = Thread.ofVirtual().start(() -> channel.forEach(rest::add));
        assertTrue(producer.join(Duration.ofMinutes(1)), "producer stuck after the consumer died");
        assertTrue(survivor.join(Duration.ofMinutes(1)), "the second consumer was never woken");
        for (int item : rest) {
            assertTrue(consumed.add(item), "duplicated: " + item);
        }
        assertEquals(items, consumed.size(), "lost items");
        assertTrue(channel.isDone());
        assertArrayEquals(NO_WAITERS, waiters(channel));
    }

    @Test
    @Timeout(value = 1, unit = TimeUnit.MINUTES)
    public void anOutOfMemoryErrorInAFutureCallbackDoesNotReachThePutterOrTheChannel() throws Exception {
        Channel<Integer> channel = Channel.rendezvous();
        CompletableFuture<Integer> get = channel.getAsync();
        CompletableFuture<Void> dependent = get.thenAccept(item -> {
            throw new OutOfMemoryError("simulated, thrown by the consumer's callback");
        });
        channel.put(7); // the callback runs in this thread after the handoff; the put must not fail
        assertEquals(7, get.join());
        CompletionException failure = assertThrows(CompletionException.class, dependent::join);
        assertTrue(failure.getCause() instanceof OutOfMemoryError);
        assertArrayEquals(NO_WAITERS, waiters(channel));
        CompletableFuture<Integer> next = channel.getAsync();
        assertTrue(channel.offer(8), "the channel must still hand over items");
        assertEquals(8, next.join());
    }

    // ------------------------------------------------------------------ 100,000 withdrawn waiters leave nothing behind

    private static final int MANY = 100_000;

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    public void aHundredThousandCancelledAsyncWaitersLeaveNothingBehind() throws Exception {
        Channel<Integer> channel = Channel.buffered(1);
        channel.put(1); // full: putters wait
        List<WeakReference<CompletableFuture<?>>> refs = new ArrayList<>(3 * MANY);
        {
            List<CompletableFuture<?>> futures = new ArrayList<>(MANY);
            for (int i = 0; i < MANY; i++) {
                futures.add(channel.putAsync(i + 2));
            }
            assertArrayEquals(new int[] {MANY, 0, 0}, waiters(channel));
            for (CompletableFuture<?> f : futures) {
                assertTrue(f.cancel(true));
                refs.add(new WeakReference<>(f));
            }
            // The interpreter keeps a block's dead local alive in its frame slot until the slot is reused: without
            // this, the list itself would keep the futures reachable and assertAllCollected would blame the channel.
            futures.clear();
        }
        assertArrayEquals(NO_WAITERS, waiters(channel));
        assertEquals(List.of(1), channel.snapshot(), "a cancelled put left its item behind");
        assertEquals(1, channel.poll());
        {
            List<CompletableFuture<?>> futures = new ArrayList<>(MANY);
            for (int i = 0; i < MANY; i++) {
                futures.add(i % 2 == 0 ? channel.getAsync() : channel.joinAsync());
            }
            assertArrayEquals(new int[] {0, MANY / 2, MANY / 2}, waiters(channel));
            for (CompletableFuture<?> f : futures) {
                assertTrue(f.cancel(true));
                refs.add(new WeakReference<>(f));
            }
            // The interpreter keeps a block's dead local alive in its frame slot until the slot is reused: without
            // this, the list itself would keep the futures reachable and assertAllCollected would blame the channel.
            futures.clear();
        }
        assertArrayEquals(NO_WAITERS, waiters(channel));
        assertAllCollected(refs);
        // the channel still works and nothing was consumed by the cancelled gets
        assertTrue(channel.offer(5));
        assertEquals(5, channel.getAsync().join());
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    public void aHundredThousandTimedOutVirtualThreadsLeaveNothingBehind() throws Exception {
        Channel<Integer> channel = Channel.rendezvous();
        List<Thread> threads = new ArrayList<>(MANY);
        AtomicInteger timedOut = new AtomicInteger();
        // Two offers per poll: each exchange pairs one offer with one poll, so at least offers - polls operations
        // must time out however fast the machine is (with as many polls as offers, all of them met in time once).
        int polls = (MANY + 2) / 3; // the threads with item % 3 == 0
        int offers = MANY - polls;
        for (int i = 0; i < MANY; i++) {
            int item = i;
            threads.add(Thread.ofVirtual().start(() -> {
                try {
                    boolean put = item % 3 != 0
                            ? channel.offer(item, Duration.ofMillis(1))
                            : channel.poll(Duration.ofMillis(1)) != null;
                    if (!put) {
                        timedOut.incrementAndGet();
                    }
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
            }));
        }
        for (Thread t : threads) {
            assertTrue(t.join(Duration.ofMinutes(2)), "thread left running: " + t);
        }
        // an offer may meet a poll in time (an exchange); the others time out, and each must leave nothing queued
        assertTrue(timedOut.get() >= offers - polls, "timed out: " + timedOut.get() + " of " + MANY);
        assertArrayEquals(NO_WAITERS, waiters(channel));
        List<WeakReference<Thread>> refs = new ArrayList<>();
        threads.forEach(t -> refs.add(new WeakReference<>(t)));
        threads.clear();
        assertAllCollected(refs);
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    public void aHundredThousandTimedOutSelectsLeaveNothingBehind() throws Exception {
        Channel<Integer> a = Channel.rendezvous();
        Channel<Integer> b = Channel.buffered(1);
        b.put(0); // full: an onPut clause must wait too
        for (int i = 0; i < MANY; i++) {
            String result = Select.select(
                    a.onGet(item -> "got"), b.onPut(i, () -> "put"), Select.timeout(Duration.ofNanos(1), () -> "idle"));
            assertEquals("idle", result);
        }
        assertArrayEquals(NO_WAITERS, waiters(a));
        assertArrayEquals(NO_WAITERS, waiters(b));
        assertEquals(List.of(0), b.snapshot());
    }

    private static void assertAllCollected(List<? extends WeakReference<?>> refs) throws InterruptedException {
        for (int attempt = 0; attempt < 20; attempt++) {
            System.gc();
            if (refs.stream().allMatch(r -> r.get() == null)) {
                return;
            }
            TimeUnit.MILLISECONDS.sleep(50); // let the reference handler run; the check itself is exact
        }
        long alive = refs.stream().filter(r -> r.get() != null).count();
        throw new AssertionError(alive + " of " + refs.size() + " withdrawn waiters are still reachable");
    }

    // ------------------------------------------------------------------ lazy allocation

    private static int ringLength(Channel<?> channel) throws ReflectiveOperationException {
        Field items = BufferedChannel.class.getDeclaredField("items");
        items.setAccessible(true);
        return ((Object[]) items.get(channel)).length;
    }

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    public void bufferedMaxValueAllocatesOnlyWhatItHolds() throws Exception {
        List<Channel<Integer>> channels = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            channels.add(Channel.buffered(Integer.MAX_VALUE)); // 1,000 eager 8 GiB arrays could not exist
        }
        Channel<Integer> channel = channels.get(0);
        assertTrue(ringLength(channel) <= 1024, "allocated " + ringLength(channel) + " slots up front");
        int items = 200_000;
        for (int i = 0; i < items; i++) {
            assertTrue(channel.offer(i));
        }
        assertEquals(items, channel.size());
        assertTrue(ringLength(channel) >= items && ringLength(channel) < 4 * items);
        for (int i = 0; i < items; i++) {
            assertEquals(i, channel.poll());
        }
        assertNull(channel.poll());
        assertTrue(ringLength(channel) <= 1024, "the ring did not shrink back: " + ringLength(channel));
        assertFalse(channel.isFull());
        assertEquals(Integer.MAX_VALUE, channel.capacity());
    }

    // ------------------------------------------------------------------ helpers

    private static void produce(Channel<Integer> channel, int base, int count) {
        try {
            for (int i = 0; i < count; i++) {
                channel.put(base + i);
            }
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        } finally {
            channel.close();
        }
    }

    /** Every item of [base1, base1+count) and [base2, base2+count) exactly once, nothing else. */
    private static void assertExactlyOnce(List<Integer> seen, int expectedTotal, int base1, int base2, int count) {
        Set<Integer> unique = new HashSet<>();
        for (int item : seen) {
            assertTrue(unique.add(item), "duplicated: " + item);
            boolean inFirst = item >= base1 && item < base1 + count;
            boolean inSecond = item >= base2 && item < base2 + count;
            assertTrue(inFirst || inSecond, "invented: " + item);
        }
        assertEquals(expectedTotal, unique.size(), "lost items");
    }
}
