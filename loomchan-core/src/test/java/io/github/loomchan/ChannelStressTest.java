package io.github.loomchan;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Short, bounded stress: producers and consumers using every operation style at once (blocking, timed, non-blocking,
 * async with random cancellation, select with timeouts), an interrupter hitting random workers, and a close (with
 * or without cause) racing all of them at a random moment. Checks the delivery invariants exactly:
 *
 * <ul>
 *   <li>every item whose put succeeded is received exactly once; no item whose put failed (closed, full, timed out,
 *       interrupted, cancelled, select took another clause) is ever received;
 *   <li>each consumer receives each producer's items in the order they were put;
 *   <li>size() stays within [0, capacity]; every thread ends; the channel ends done with no waiter left.
 * </ul>
 *
 * <p>Scaled by the system property {@code loomchan.stress.scale} (default 1: a few seconds for the whole class).
 */
@ParameterizedClass(name = "{0}, {1} producers, {2} consumers")
@MethodSource("configurations")
class ChannelStressTest {
    static final int SCALE = Integer.getInteger("loomchan.stress.scale", 1);

    static Stream<Arguments> configurations() {
        List<Arguments> all = new ArrayList<>();
        for (ChannelKind kind : ChannelKind.values()) {
            all.add(Arguments.of(kind, ThreadKind.PLATFORM, ThreadKind.PLATFORM));
            all.add(Arguments.of(kind, ThreadKind.VIRTUAL, ThreadKind.VIRTUAL));
            all.add(Arguments.of(kind, ThreadKind.VIRTUAL, ThreadKind.PLATFORM));
        }
        return all.stream();
    }

    private static final int PRODUCERS = 4;
    private static final int CONSUMERS = 4;
    private static final int ATTEMPTS_PER_PRODUCER = 2000;
    private static final int ROUNDS = 6 * SCALE;

    private final ChannelKind kind;
    private final ThreadKind producerThreads;
    private final ThreadKind consumerThreads;

    ChannelStressTest(ChannelKind kind, ThreadKind producerThreads, ThreadKind consumerThreads) {
        this.kind = kind;
        this.producerThreads = producerThreads;
        this.consumerThreads = consumerThreads;
    }

    /** An item: which producer put it and its attempt number (attempt numbers of one producer only grow). */
    record Item(int producer, int seq) {}

    @Test
    void everySuccessfulPutIsReceivedExactlyOnceInProducerOrder() {
        for (int round = 0; round < ROUNDS; round++) {
            // spread the close over the whole run: early (most puts fail), middle, and after every producer finished
            double closeAt = round % 3 == 0 ? 0.05 + 0.1 * round : round % 3 == 1 ? 0.6 : 1.1;
            runRound(closeAt, round % 2 == 0);
        }
    }

    private void runRound(double closeAtFraction, boolean withCause) {
        Channel<Item> channel = kind.create();
        Channel<Item> aux = kind.create(); // never fed: a second clause for selects, checked for leftovers
        Queue<Throwable> errors = new ConcurrentLinkedQueue<>();
        AtomicLong attempts = new AtomicLong();
        AtomicBoolean stopInterrupter = new AtomicBoolean();
        RuntimeException cause = new RuntimeException("closed by the stress test");

        // The close races the producers: the producer whose attempt reaches closeAfter closes the channel while the
        // others keep putting; if it is never reached, this thread closes once every producer finished.
        long closeAfter = Math.max(1, (long) (closeAtFraction * PRODUCERS * ATTEMPTS_PER_PRODUCER));
        Runnable close = () -> {
            if (withCause) {
                channel.close(cause);
            } else {
                channel.close();
            }
        };

        BitSet[] succeeded = new BitSet[PRODUCERS];
        List<List<Item>> received = new ArrayList<>();
        List<Thread> producers = new ArrayList<>();
        List<Thread> consumers = new ArrayList<>();
        for (int p = 0; p < PRODUCERS; p++) {
            BitSet mine = new BitSet();
            succeeded[p] = mine;
            int id = p;
            producers.add(producerThreads.start(
                    "producer-" + p,
                    guarded(errors, () -> produce(channel, aux, id, mine, attempts, closeAfter, close))));
        }
        for (int c = 0; c < CONSUMERS; c++) {
            List<Item> mine = new ArrayList<>();
            received.add(mine);
            consumers.add(consumerThreads.start("consumer-" + c, guarded(errors, () -> consume(channel, aux, mine))));
        }
        // Joiners, interrupted like everyone else, retry until join returns; each must see the channel done.
        List<Thread> joiners = new ArrayList<>();
        for (int j = 0; j < 2; j++) {
            boolean timed = j == 1;
            joiners.add(consumerThreads.start("joiner-" + j, guarded(errors, () -> {
                while (true) {
                    try {
                        if (timed ? channel.join(Duration.ofMillis(1)) : joinOrFalse(channel)) {
                            if (!channel.isDone()) {
                                throw new AssertionError("join returned before the channel was done");
                            }
                            return;
                        }
                    } catch (InterruptedException e) {
                        // retry
                    }
                }
            })));
        }
        CompletableFuture<Void> joinedAsync = channel.joinAsync();
        List<Thread> workers = new ArrayList<>(producers);
        workers.addAll(consumers);
        workers.addAll(joiners);
        Thread interrupter = Thread.ofPlatform().name("interrupter").start(guarded(errors, () -> {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            while (!stopInterrupter.get()) {
                workers.get(random.nextInt(workers.size())).interrupt();
                observe(channel);
                LockSupport.parkNanos(random.nextInt(20_000, 300_000));
            }
        }));

        joinAll(producers, workers);
        close.run();
        joinAll(consumers, workers);
        joinAll(joiners, workers);
        if (!joinedAsync.isDone() || joinedAsync.isCompletedExceptionally()) {
            fail("joinAsync did not complete normally once the channel was done: " + joinedAsync);
        }
        stopInterrupter.set(true);
        joinAll(List.of(interrupter), workers);
        if (!errors.isEmpty()) {
            AssertionError failure = new AssertionError("a worker failed: " + errors.peek());
            errors.forEach(failure::addSuppressed);
            throw failure;
        }

        // exactly once, nothing that failed
        BitSet[] seen = new BitSet[PRODUCERS];
        for (int p = 0; p < PRODUCERS; p++) {
            seen[p] = new BitSet();
        }
        for (List<Item> consumer : received) {
            int[] last = new int[PRODUCERS];
            java.util.Arrays.fill(last, -1);
            for (Item item : consumer) {
                if (seen[item.producer()].get(item.seq())) {
                    fail("received twice: " + item);
                }
                seen[item.producer()].set(item.seq());
                if (!succeeded[item.producer()].get(item.seq())) {
                    fail("received an item whose put failed: " + item);
                }
                if (item.seq() <= last[item.producer()]) {
                    fail("a consumer received " + item + " after seq " + last[item.producer()] + " of that producer");
                }
                last[item.producer()] = item.seq();
            }
        }
        for (int p = 0; p < PRODUCERS; p++) {
            BitSet lost = (BitSet) succeeded[p].clone();
            lost.andNot(seen[p]);
            assertTrue(lost.isEmpty(), "producer " + p + ": items put but never received: " + lost);
        }
        int delivered = 0;
        for (int p = 0; p < PRODUCERS; p++) {
            delivered += succeeded[p].cardinality();
        }
        if (closeAtFraction > 1) {
            // closed after every producer finished: a large share of the attempts must have gone through (a
            // check that the run did real work; how many fail depends on timing, so the bar is low)
            assertTrue(delivered > PRODUCERS * ATTEMPTS_PER_PRODUCER / 20, "only " + delivered + " items delivered");
        }
        System.out.printf(
                "%s %s/%s close at %.1f: %d of %d attempts delivered%n",
                kind, producerThreads, consumerThreads, closeAtFraction, delivered, attempts.get());
        assertTrue(channel.isDone());
        assertEquals(0, channel.size());
        assertArrayEquals(new int[] {0, 0, 0}, Waits.queued(channel), "no waiter left on the channel");
        assertArrayEquals(new int[] {0, 0, 0}, Waits.queued(aux), "no select registration left on aux");
    }

    @Test
    void pingPongNeverLosesAWakeUp() {
        // Every handoff here lands while the other side is spinning, about to park, or parked: a lost wake-up
        // (a claim that does not unpark a thread that went on to park) hangs the exchange and fails the join.
        Channel<Integer> ping = kind.create();
        Channel<Integer> pong = kind.create();
        int rounds = 10_000 * SCALE;
        Actor<Void> echo = Actor.start(consumerThreads, "echo", () -> {
            for (Integer value : ping) {
                pong.put(value + 1);
            }
            pong.close();
            return null;
        });
        Actor<Integer> driver = Actor.start(producerThreads, "driver", () -> {
            int value = 0;
            for (int i = 0; i < rounds; i++) {
                ping.put(value);
                value = pong.get();
            }
            ping.close();
            return value;
        });
        assertEquals(rounds, driver.join());
        echo.join();
        assertTrue(pong.isClosed());
    }

    @Test
    void sizeIsExactOnceConcurrentOperationsEnd() {
        // No consumer: producers fill an unbounded-enough buffer concurrently; once they all returned, size() must
        // count every item. Then concurrent consumers take them all and size() must be 0.
        int perProducer = 2_000 * SCALE;
        Channel<Item> channel = kind.isBounded() ? Channel.buffered(PRODUCERS * perProducer) : kind.create();
        Queue<Throwable> errors = new ConcurrentLinkedQueue<>();
        List<Thread> producers = new ArrayList<>();
        for (int p = 0; p < PRODUCERS; p++) {
            int id = p;
            producers.add(producerThreads.start("producer-" + p, guarded(errors, () -> {
                for (int i = 0; i < perProducer; i++) {
                    if (i % 2 == 0) {
                        channel.put(new Item(id, i));
                    } else {
                        channel.putAsync(new Item(id, i)).join();
                    }
                }
            })));
        }
        joinAll(producers, producers);
        assertTrue(errors.isEmpty(), () -> "producer failed: " + errors.peek());
        assertEquals(PRODUCERS * perProducer, channel.size());
        assertEquals(PRODUCERS * perProducer, channel.snapshot().size());
        List<List<Item>> received = new ArrayList<>();
        List<Thread> consumers = new ArrayList<>();
        for (int c = 0; c < CONSUMERS; c++) {
            List<Item> mine = new ArrayList<>();
            received.add(mine);
            consumers.add(consumerThreads.start("consumer-" + c, guarded(errors, () -> {
                for (Item item; (item = channel.poll()) != null; ) {
                    mine.add(item);
                }
            })));
        }
        joinAll(consumers, consumers);
        assertTrue(errors.isEmpty(), () -> "consumer failed: " + errors.peek());
        assertEquals(0, channel.size());
        assertTrue(channel.isEmpty());
        assertEquals(
                PRODUCERS * perProducer, received.stream().mapToInt(List::size).sum());
        assertEquals(
                PRODUCERS * perProducer,
                received.stream().flatMap(List::stream).distinct().count(),
                "no item received twice");
    }

    private static boolean joinOrFalse(Channel<?> channel) throws InterruptedException {
        channel.join();
        return true;
    }

    /**
     * Checks what a lock-free observer may rely on while everything runs: size within bounds (0 on a rendezvous
     * channel, which is always empty and full), an atomic snapshot (within bounds, each producer's items in order),
     * and "done" being final (a get after isDone() reports closed).
     */
    private static void observe(Channel<Item> channel) {
        int capacity = channel.capacity();
        int size = channel.size();
        if (size < 0 || size > capacity) {
            throw new AssertionError("size " + size + " outside [0, " + capacity + "]");
        }
        if (capacity == 0 && !(channel.isEmpty() && channel.isFull())) {
            throw new AssertionError("a rendezvous channel must always be empty and full");
        }
        List<Item> snapshot = channel.snapshot();
        if (snapshot.size() > capacity) {
            throw new AssertionError("snapshot of " + snapshot.size() + " items exceeds capacity " + capacity);
        }
        int[] last = new int[PRODUCERS];
        java.util.Arrays.fill(last, -1);
        for (Item item : snapshot) {
            if (item.seq() <= last[item.producer()]) {
                throw new AssertionError("snapshot out of producer order: " + snapshot);
            }
            last[item.producer()] = item.seq();
        }
        if (channel.isDone()) {
            try {
                Item item = channel.poll();
                throw new AssertionError("poll returned " + item + " after isDone() was true");
            } catch (ChannelClosedException expected) {
                // done is final
            }
        }
    }

    // ------------------------------------------------------------------------------------------------ producer

    private static void produce(
            Channel<Item> channel,
            Channel<Item> aux,
            int id,
            BitSet succeeded,
            AtomicLong attempts,
            long closeAfter,
            Runnable close)
            throws Exception {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int seq = 0; seq < ATTEMPTS_PER_PRODUCER; seq++) {
            if (attempts.incrementAndGet() == closeAfter) {
                close.run();
            }
            Item item = new Item(id, seq);
            boolean put;
            try {
                put = putOnce(channel, aux, item, random);
            } catch (ChannelClosedException closed) {
                return;
            } catch (InterruptedException interrupted) {
                put = false; // withdrawn: must never be received
            }
            if (put) {
                succeeded.set(seq);
            }
        }
    }

    /** One put attempt in a random style; true if the item was put, false if it was definitely not. */
    private static boolean putOnce(Channel<Item> channel, Channel<Item> aux, Item item, ThreadLocalRandom random)
            throws Exception {
        switch (random.nextInt(7)) {
            case 0, 1 -> {
                channel.put(item);
                return true;
            }
            case 2 -> {
                return channel.offer(item);
            }
            case 3 -> {
                return channel.offer(item, Duration.ofNanos(random.nextInt(0, 2_000_000)));
            }
            case 4 -> {
                try {
                    channel.putNowait(item);
                    return true;
                } catch (ChannelFullException full) {
                    return false;
                }
            }
            case 5 -> {
                CompletableFuture<Void> future = channel.putAsync(item);
                if (random.nextBoolean() && future.cancel(false)) {
                    return false;
                }
                return awaitFuture(future) != null;
            }
            default -> {
                if (random.nextBoolean()) {
                    return Select.select(
                            aux.onGet(other -> false),
                            channel.onPut(item, () -> true),
                            Select.timeout(Duration.ofNanos(random.nextInt(0, 1_000_000)), () -> false));
                }
                return Select.select(channel.onPut(item, () -> true), aux.onGet(other -> false));
            }
        }
    }

    /**
     * Waits for a channel future that could not be cancelled. Returns a non-null marker on success; throws
     * ChannelClosedException if it failed because of a close.
     */
    private static Object awaitFuture(CompletableFuture<?> future) throws InterruptedException {
        try {
            Object value = future.get(Waits.LONG.toMillis(), TimeUnit.MILLISECONDS);
            return value == null ? Boolean.TRUE : value;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof ChannelClosedException closed) {
                throw closed;
            }
            throw new AssertionError("channel future failed", e.getCause());
        } catch (CancellationException e) {
            throw new AssertionError("cancel returned false, yet the future was cancelled", e);
        } catch (TimeoutException e) {
            throw new AssertionError("a channel future did not complete: " + future);
        } catch (InterruptedException e) {
            // the operation is still pending and owned by the channel: wait for its outcome regardless
            Object value = awaitFuture(future);
            Thread.currentThread().interrupt();
            return value;
        }
    }

    // ------------------------------------------------------------------------------------------------ consumer

    private static void consume(Channel<Item> channel, Channel<Item> aux, List<Item> received) throws Exception {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        while (true) {
            try {
                if (!getOnce(channel, aux, received, random)) {
                    return;
                }
            } catch (ChannelClosedException done) {
                if (!channel.isDone()) {
                    throw new AssertionError("ChannelClosedException from a get before the channel was done", done);
                }
                return;
            } catch (InterruptedException interrupted) {
                // withdrawn: nothing consumed; carry on
            } catch (ChannelException e) {
                if (!(e.getCause() instanceof InterruptedException)) {
                    throw e;
                }
                Thread.interrupted(); // the iterator re-sets the flag
            }
        }
    }

    /** One get attempt in a random style, adding what it got to {@code received}; false once the channel is done. */
    private static boolean getOnce(
            Channel<Item> channel, Channel<Item> aux, List<Item> received, ThreadLocalRandom random) throws Exception {
        switch (random.nextInt(9)) {
            case 0, 1 -> received.add(channel.get());
            case 2 -> add(received, channel.poll());
            case 3 -> add(received, channel.poll(Duration.ofNanos(random.nextInt(0, 2_000_000))));
            case 4 -> {
                try {
                    received.add(channel.getNowait());
                } catch (ChannelEmptyException empty) {
                    Thread.onSpinWait();
                }
            }
            case 5 -> {
                CompletableFuture<Item> future = channel.getAsync();
                if (!(random.nextBoolean() && future.cancel(false))) {
                    received.add((Item) awaitFuture(future));
                }
            }
            case 6 -> {
                Item item = random.nextBoolean()
                        ? Select.select(aux.onGet(other -> other), channel.onGet(mine -> mine))
                        : Select.select(
                                channel.onGet(mine -> mine),
                                aux.onGet(other -> other),
                                Select.timeout(Duration.ofNanos(random.nextInt(0, 1_000_000)), () -> null));
                add(received, item);
            }
            case 7 -> {
                int moved = channel.drainTo(received, random.nextInt(1, 9));
                if (moved == 0 && channel.isDone()) {
                    return false;
                }
            }
            default -> {
                var iterator = channel.iterator();
                for (int i = random.nextInt(1, 6); i > 0; i--) {
                    if (!iterator.hasNext()) {
                        return false;
                    }
                    received.add(iterator.next());
                }
            }
        }
        return true;
    }

    private static void add(List<Item> received, Item item) {
        if (item != null) {
            received.add(item);
        }
    }

    // ------------------------------------------------------------------------------------------------ harness

    @FunctionalInterface
    interface Body {
        void run() throws Exception;
    }

    static Runnable guarded(Queue<Throwable> errors, Body body) {
        return () -> {
            try {
                body.run();
            } catch (Throwable t) {
                errors.add(t);
            }
        };
    }

    /** Joins {@code threads} with a generous timeout; on a hang fails with a dump of every worker. */
    static void joinAll(List<Thread> threads, List<Thread> suspects) {
        long deadline = System.nanoTime() + Waits.LONG.toNanos();
        for (Thread thread : threads) {
            try {
                long left = deadline - System.nanoTime();
                if (left <= 0 || !thread.join(Duration.ofNanos(left))) {
                    fail(thread.getName() + " did not end in time\n"
                            + ThreadDumps.dump(suspects.toArray(new Thread[0])));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
