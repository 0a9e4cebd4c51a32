package io.github.loomchan;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Selects under contention: producers put into whichever of three channels has room (a select of put clauses),
 * consumers take from whichever has an item (a select of get clauses, sometimes with a timeout), "brokers" take
 * items from one channel and put them into whichever channel has room, and an interrupter hits everyone. Checks that
 * every item whose put clause won is received exactly once (brokers move items, so no order is checked), that every
 * thread ends after the channels close, and that no registration is left on any channel.
 */
@ParameterizedClass(name = "{0} on {1} threads")
@MethodSource("kinds")
class SelectStressTest {
    private static final int CHANNELS = 3;
    private static final int PRODUCERS = 3;
    private static final int CONSUMERS = 3;
    private static final int BROKERS = 2;
    private static final int ATTEMPTS = 1500 * ChannelStressTest.SCALE;

    static Stream<Arguments> kinds() {
        return ChannelBlockingTest.kinds();
    }

    private final ChannelKind kind;
    private final ThreadKind threads;

    SelectStressTest(ChannelKind kind, ThreadKind threads) {
        this.kind = kind;
        this.threads = threads;
    }

    /** An item: which producer put it and its attempt number. */
    record Item(int producer, int seq) {}

    @Test
    void selectsOverSeveralChannelsDeliverEveryItemExactlyOnce() {
        List<Channel<Item>> channels = new ArrayList<>();
        for (int i = 0; i < CHANNELS; i++) {
            channels.add(kind.create());
        }
        Queue<Throwable> errors = new ConcurrentLinkedQueue<>();
        BitSet[] succeeded = new BitSet[PRODUCERS];
        List<List<Item>> received = new ArrayList<>();
        List<Thread> producers = new ArrayList<>();
        List<Thread> others = new ArrayList<>();
        for (int p = 0; p < PRODUCERS; p++) {
            BitSet mine = new BitSet();
            succeeded[p] = mine;
            int id = p;
            producers.add(threads.start(
                    "producer-" + p, ChannelStressTest.guarded(errors, () -> produce(channels, id, mine))));
        }
        for (int c = 0; c < CONSUMERS; c++) {
            List<Item> mine = new ArrayList<>();
            received.add(mine);
            others.add(
                    threads.start("consumer-" + c, ChannelStressTest.guarded(errors, () -> consume(channels, mine))));
        }
        for (int b = 0; b < BROKERS; b++) {
            others.add(threads.start("broker-" + b, ChannelStressTest.guarded(errors, () -> broker(channels))));
        }
        List<Thread> everyone = new ArrayList<>(producers);
        everyone.addAll(others);
        AtomicBoolean stop = new AtomicBoolean();
        Thread interrupter = Thread.ofPlatform().name("interrupter").start(ChannelStressTest.guarded(errors, () -> {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            while (!stop.get()) {
                everyone.get(random.nextInt(everyone.size())).interrupt();
                LockSupport.parkNanos(random.nextInt(50_000, 500_000));
            }
        }));
        ChannelStressTest.joinAll(producers, everyone);
        // Brokers may still hold an item they took and are about to put into another channel; close only once no
        // broker holds one: stop the brokers first (they finish their current move), then close.
        brokersStop.set(true);
        ChannelStressTest.joinAll(others.subList(CONSUMERS, others.size()), everyone);
        channels.forEach(Channel::close);
        ChannelStressTest.joinAll(others.subList(0, CONSUMERS), everyone);
        stop.set(true);
        ChannelStressTest.joinAll(List.of(interrupter), everyone);
        if (!errors.isEmpty()) {
            AssertionError failure = new AssertionError("a worker failed: " + errors.peek());
            errors.forEach(failure::addSuppressed);
            throw failure;
        }

        BitSet[] seen = new BitSet[PRODUCERS];
        for (int p = 0; p < PRODUCERS; p++) {
            seen[p] = new BitSet();
        }
        for (List<Item> consumer : received) {
            for (Item item : consumer) {
                if (seen[item.producer()].get(item.seq())) {
                    fail("received twice: " + item);
                }
                if (!succeeded[item.producer()].get(item.seq())) {
                    fail("received an item whose put did not win: " + item);
                }
                seen[item.producer()].set(item.seq());
            }
        }
        int delivered = 0;
        for (int p = 0; p < PRODUCERS; p++) {
            BitSet lost = (BitSet) succeeded[p].clone();
            lost.andNot(seen[p]);
            assertTrue(lost.isEmpty(), "producer " + p + ": put but never received: " + lost);
            delivered += succeeded[p].cardinality();
        }
        assertTrue(delivered > 0, "the run delivered nothing");
        System.out.printf(
                "select stress %s on %s threads: %d of %d puts won%n", kind, threads, delivered, PRODUCERS * ATTEMPTS);
        for (Channel<Item> channel : channels) {
            assertTrue(channel.isDone());
            assertArrayEquals(new int[] {0, 0, 0}, Waits.queued(channel), "no registration left on " + channel);
        }
    }

    private final AtomicBoolean brokersStop = new AtomicBoolean();

    private static void produce(List<Channel<Item>> channels, int id, BitSet succeeded) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int seq = 0; seq < ATTEMPTS; seq++) {
            Item item = new Item(id, seq);
            List<SelectClause<Boolean>> clauses = new ArrayList<>();
            int first = random.nextInt(CHANNELS);
            for (int i = 0; i < CHANNELS; i++) {
                clauses.add(channels.get((first + i) % CHANNELS).onPut(item, () -> true));
            }
            if (random.nextInt(3) == 0) {
                clauses.add(Select.timeout(Duration.ofNanos(random.nextInt(1, 500_000)), () -> false));
            }
            try {
                if (Select.select(clauses)) {
                    succeeded.set(seq);
                }
            } catch (InterruptedException e) {
                // withdrawn: nothing put
            }
        }
    }

    private static void consume(List<Channel<Item>> channels, List<Item> received) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        List<Channel<Item>> open = new ArrayList<>(channels);
        while (!open.isEmpty()) {
            List<SelectClause<Item>> clauses = new ArrayList<>();
            int first = random.nextInt(open.size());
            for (int i = 0; i < open.size(); i++) {
                clauses.add(open.get((first + i) % open.size()).onGet(item -> item));
            }
            if (random.nextInt(4) == 0) {
                clauses.add(Select.timeout(Duration.ofNanos(random.nextInt(1, 500_000)), () -> null));
            }
            try {
                Item item = Select.select(clauses);
                if (item != null) {
                    received.add(item);
                }
            } catch (ChannelClosedException e) {
                open.removeIf(Channel::isDone);
            } catch (InterruptedException e) {
                // withdrawn: nothing taken
            }
        }
    }

    /**
     * Moves items between channels: a select with a get clause on one channel and a short timeout; once it holds an
     * item, a select of put clauses on every channel, retried until the item is put, so it is never dropped.
     */
    private void broker(List<Channel<Item>> channels) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        while (!brokersStop.get()) {
            Channel<Item> from = channels.get(random.nextInt(CHANNELS));
            Item held;
            try {
                held = Select.select(from.onGet(item -> item), Select.timeout(Duration.ofNanos(200_000), () -> null));
            } catch (InterruptedException e) {
                continue;
            }
            if (held == null) {
                continue;
            }
            // Holding an item: put it somewhere before doing anything else. Interrupts do not drop it.
            boolean put = false;
            while (!put) {
                List<SelectClause<Boolean>> clauses = new ArrayList<>();
                for (Channel<Item> to : channels) {
                    clauses.add(to.onPut(held, () -> true));
                }
                try {
                    put = Select.select(clauses);
                } catch (InterruptedException e) {
                    // retry
                }
            }
        }
    }
}
