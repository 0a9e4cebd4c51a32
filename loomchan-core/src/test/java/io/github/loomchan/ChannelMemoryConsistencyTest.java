package io.github.loomchan;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The memory consistency promise: actions before a put happen-before actions after the get that receives the item,
 * and actions before close happen-before actions after an operation that reports the channel closed. The payloads'
 * fields are plain (non-final, non-volatile), so only the channel's own synchronization can make them visible.
 *
 * <p>A test like this can only fail when the hardware and JIT actually reorder; on x86 a missing barrier often goes
 * unnoticed. It still pins the contract down, and runs every put and get style so each path is exercised.
 */
@ParameterizedClass(name = "{0} on {1} threads")
@MethodSource("kinds")
class ChannelMemoryConsistencyTest {
    private static final int ITEMS = 20_000 * ChannelStressTest.SCALE;

    static Stream<Arguments> kinds() {
        return ChannelBlockingTest.kinds();
    }

    private final ChannelKind kind;
    private final ThreadKind threads;

    ChannelMemoryConsistencyTest(ChannelKind kind, ThreadKind threads) {
        this.kind = kind;
        this.threads = threads;
    }

    /** Written by the producer before the put, read by the consumer after the get; deliberately not final. */
    static final class Payload {
        int index;
        long square;
        String label;
        int[] numbers;
        Payload self;
    }

    @Test
    void fieldsWrittenBeforePutAreSeenAfterGet() throws Exception {
        Channel<Payload> channel = kind.create();
        Actor<Void> producer = Actor.start(threads, "producer", () -> {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            try {
                for (int i = 0; i < ITEMS; i++) {
                    Payload payload = new Payload();
                    payload.index = i;
                    payload.square = (long) i * i;
                    payload.label = "item-" + i;
                    payload.numbers = new int[] {i, -i};
                    payload.self = payload;
                    switch (random.nextInt(4)) {
                        case 0 -> channel.put(payload);
                        case 1 -> {
                            while (!channel.offer(payload, Duration.ofMillis(1))) {
                                Thread.onSpinWait();
                            }
                        }
                        case 2 -> channel.putAsync(payload).get(Waits.LONG.toMillis(), TimeUnit.MILLISECONDS);
                        default -> Select.select(channel.onPut(payload, () -> null));
                    }
                }
            } finally {
                channel.close();
            }
            return null;
        });
        Actor<Integer> consumer = Actor.start(threads, "consumer", () -> {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            int expected = 0;
            Iterator<Payload> iterator = channel.iterator();
            List<Payload> batch = new ArrayList<>();
            while (true) {
                batch.clear();
                try {
                    switch (random.nextInt(6)) {
                        case 0 -> batch.add(channel.get());
                        case 1 -> {
                            Payload payload = channel.poll(Duration.ofMillis(1));
                            if (payload != null) {
                                batch.add(payload);
                            }
                        }
                        case 2 -> batch.add(channel.getAsync().get(Waits.LONG.toMillis(), TimeUnit.MILLISECONDS));
                        case 3 -> batch.add(Select.select(channel.onGet(payload -> payload)));
                        case 4 -> {
                            if (channel.drainTo(batch, 8) == 0 && channel.isDone()) {
                                return expected;
                            }
                        }
                        default -> {
                            if (!iterator.hasNext()) {
                                return expected;
                            }
                            batch.add(iterator.next());
                        }
                    }
                } catch (ChannelClosedException done) {
                    return expected;
                } catch (java.util.concurrent.ExecutionException e) {
                    if (e.getCause() instanceof ChannelClosedException) {
                        return expected;
                    }
                    throw e;
                }
                for (Payload payload : batch) {
                    int i = expected++;
                    if (payload.index != i
                            || payload.square != (long) i * i
                            || !("item-" + i).equals(payload.label)
                            || payload.numbers[0] != i
                            || payload.numbers[1] != -i
                            || payload.self != payload) {
                        throw new AssertionError("item " + i + " seen with stale fields: index=" + payload.index
                                + " square=" + payload.square + " label=" + payload.label);
                    }
                }
            }
        });
        producer.join();
        assertEquals(ITEMS, consumer.join(), "every item arrived, in order, with its fields");
    }

    /** A plain field written before close and read by a thread that learned of the close from the channel. */
    static final class Marker {
        int value;
    }

    @Test
    void actionsBeforeCloseAreSeenByWhoeverSeesTheChannelClosed() {
        for (int round = 0; round < 200; round++) {
            Channel<String> channel = kind.create();
            Marker marker = new Marker();
            Actor<Integer> getter = Actor.start(threads, "getter", () -> {
                try {
                    channel.get();
                    throw new AssertionError("got an item from a channel nobody put into");
                } catch (ChannelClosedException closed) {
                    return marker.value;
                }
            });
            if (round % 2 == 0) {
                Waits.untilQueued(channel, 0, 1, 0, getter.thread); // half the time, the getter is surely blocked
            }
            marker.value = round + 1;
            channel.close();
            assertEquals(round + 1, getter.join());
        }
    }
}
