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
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link Channels#produce} and the source adapters: closing on return, on failure, and when the consumer quits. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class PatternProduceTest {

    @ParameterizedTest(name = "capacity {0}")
    @ValueSource(ints = {0, 1, 16, Integer.MAX_VALUE})
    void producerChannelIsClosedWhenTheProducerReturns(int capacity) throws InterruptedException {
        PatternThreads threads = PatternThreads.virtual();
        Channel<Integer> channel = Channels.produce(
                capacity,
                out -> {
                    for (int i = 0; i < 1000; i++) {
                        out.put(i);
                    }
                },
                threads);
        List<Integer> received = new ArrayList<>();
        for (Integer item : channel) {
            received.add(item);
        }
        assertRange(1000, received);
        assertTrue(channel.isDone());
        threads.assertAllTerminated(1);
    }

    @Test
    void producerFailureMidwayClosesWithTheCauseAfterTheItemsWereDrained() throws InterruptedException {
        PatternThreads threads = PatternThreads.platform();
        IOException failure = new IOException("disk gone");
        Channel<Integer> channel = Channels.produce(
                4,
                out -> {
                    for (int i = 0; i < 10; i++) {
                        out.put(i);
                    }
                    throw failure;
                },
                threads);
        List<Integer> received = new ArrayList<>();
        ChannelClosedException end = assertThrows(ChannelClosedException.class, () -> {
            for (Integer item : channel) {
                received.add(item);
            }
        });
        assertSame(failure, end.getCause());
        assertRange(10, received);
        threads.assertAllTerminated(1);
    }

    @Test
    void consumerClosingTheChannelStopsAnEndlessProducer() throws InterruptedException {
        PatternThreads threads = PatternThreads.virtual();
        AtomicInteger putsReturned = new AtomicInteger();
        Channel<Integer> channel = Channels.produce(
                2,
                out -> {
                    for (int i = 0; ; i++) {
                        out.put(i);
                        putsReturned.incrementAndGet();
                    }
                },
                threads);
        List<Integer> received = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            received.add(channel.get());
        }
        channel.close();
        threads.assertAllTerminated(1);
        received.addAll(channel.snapshot()); // what was buffered at the close is still there, not lost
        assertEquals(putsReturned.get(), received.size(), "every item whose put returned is accounted for");
        assertRange(received.size(), received);
    }

    @Test
    void interruptedConsumerConsumesNothingAndAnotherConsumerGetsEverything() throws Exception {
        PatternThreads threads = PatternThreads.virtual();
        CompletableFuture<Void> release = new CompletableFuture<>();
        Channel<Integer> channel = Channels.produce(
                0,
                out -> {
                    release.get();
                    for (int i = 0; i < 100; i++) {
                        out.put(i);
                    }
                },
                threads);
        CompletableFuture<Throwable> firstConsumer = new CompletableFuture<>();
        Thread consumer = threads.newThread(() -> {
            try {
                channel.get();
                firstConsumer.complete(null);
            } catch (Throwable e) {
                firstConsumer.complete(e);
            }
        });
        consumer.start();
        awaitBlocked(consumer);
        consumer.interrupt();
        assertInstanceOf(InterruptedException.class, firstConsumer.get(10, TimeUnit.SECONDS));
        release.complete(null);
        List<Integer> received = new ArrayList<>();
        channel.forEach(received::add);
        assertRange(100, received);
        threads.assertAllTerminated(2);
    }

    @Test
    void negativeCapacityIsRejected() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> Channels.produce(-1, out -> {}));
        assertTrue(e.getMessage().contains("-1"), e.getMessage());
    }

    @Test
    void blockingIterableSourceIsAdaptedAndEndsWithTheIterable() throws InterruptedException {
        PatternThreads threads = PatternThreads.virtual();
        BlockingQueue<Integer> arrivals = new ArrayBlockingQueue<>(10);
        Iterable<Integer> blockingSource = () -> new Iterator<>() {
            private Integer next;

            @Override
            public boolean hasNext() {
                if (next == null) {
                    try {
                        next = arrivals.take(); // blocks like a socket read
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException(e);
                    }
                }
                return next >= 0;
            }

            @Override
            public Integer next() {
                Integer item = next;
                next = null;
                return item;
            }
        };
        Channel<Integer> channel = Channels.fromIterable(blockingSource, 1, threads);
        Thread feeder = threads.newThread(() -> {
            try {
                for (int i = 0; i < 50; i++) {
                    arrivals.put(i);
                }
                arrivals.put(-1); // end of the source
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        feeder.start();
        List<Integer> received = new ArrayList<>();
        channel.forEach(received::add);
        assertRange(50, received);
        threads.assertAllTerminated(2);
    }

    @Test
    void iterableThatThrowsClosesTheChannelWithItsException() throws InterruptedException {
        PatternThreads threads = PatternThreads.virtual();
        UncheckedIOException failure = new UncheckedIOException(new IOException("broken pipe"));
        Iterable<Integer> source = () -> IntStream.range(0, 10)
                .mapToObj(i -> {
                    if (i == 7) {
                        throw failure;
                    }
                    return i;
                })
                .iterator();
        Channel<Integer> channel = Channels.fromIterable(source, 16, threads);
        List<Integer> received = new ArrayList<>();
        ChannelClosedException end = assertThrows(ChannelClosedException.class, () -> channel.forEach(received::add));
        assertSame(failure, end.getCause());
        assertRange(7, received);
        threads.assertAllTerminated(1);
    }

    @Test
    void streamSourceIsConsumedAndClosedAndChannelStreamsOut() throws InterruptedException {
        PatternThreads threads = PatternThreads.virtual();
        AtomicBoolean streamClosed = new AtomicBoolean();
        Stream<Integer> source = IntStream.range(0, 200).boxed().onClose(() -> streamClosed.set(true));
        Channel<Integer> channel = Channels.fromStream(source, 8, threads);
        List<Integer> received = channel.stream().toList();
        assertRange(200, received);
        threads.assertAllTerminated(1);
        assertTrue(streamClosed.get(), "the source stream was closed");
    }

    // ------------------------------------------------------------------------------------------------ fan-in

    @Test
    void fanInDeliversEveryItemOfEveryProducerOnceInEachProducersOrder() throws InterruptedException {
        PatternThreads threads = PatternThreads.virtual();
        int producers = 8;
        int perProducer = 500;
        List<Producer<int[]>> bodies = new ArrayList<>();
        for (int p = 0; p < producers; p++) {
            int id = p;
            int count = p == 0 ? 0 : perProducer; // producer 0 finishes at once: it must not cut the others off
            bodies.add(out -> {
                for (int i = 0; i < count; i++) {
                    out.put(new int[] {id, i});
                }
            });
        }
        Channel<int[]> merged = Channels.fanIn(4, bodies, threads);
        int[] nextExpected = new int[producers];
        int total = 0;
        for (int[] item : merged) {
            assertEquals(nextExpected[item[0]]++, item[1], "order of producer " + item[0]);
            total++;
        }
        assertEquals((producers - 1) * perProducer, total);
        assertEquals(0, nextExpected[0]);
        for (int p = 1; p < producers; p++) {
            assertEquals(perProducer, nextExpected[p], "items of producer " + p);
        }
        assertTrue(merged.isDone());
        threads.assertAllTerminated(producers);
    }

    @Test
    void failingProducerClosesTheFanInWithItsCauseAndStopsItsSiblings() throws InterruptedException {
        PatternThreads threads = PatternThreads.virtual();
        IllegalStateException failure = new IllegalStateException("producer A broke");
        CompletableFuture<Void> siblingRunning = new CompletableFuture<>();
        AtomicInteger siblingPuts = new AtomicInteger();
        Producer<String> failing = out -> {
            siblingRunning.join();
            out.put("a0");
            out.put("a1");
            throw failure;
        };
        Producer<String> endless = out -> {
            for (int i = 0; ; i++) {
                out.put("b" + i);
                siblingPuts.incrementAndGet();
                siblingRunning.complete(null);
            }
        };
        Channel<String> merged = Channels.fanIn(Integer.MAX_VALUE, List.of(failing, endless), threads);
        threads.assertAllTerminated(2); // the endless sibling was stopped: unbounded, so only a stop ends it
        List<String> received = new ArrayList<>();
        ChannelClosedException end = assertThrows(ChannelClosedException.class, () -> merged.forEach(received::add));
        assertSame(failure, end.getCause());
        assertTrue(received.containsAll(List.of("a0", "a1")), "items put before the failure are delivered");
        List<String> fromSibling =
                received.stream().filter(s -> s.startsWith("b")).toList();
        assertEquals(siblingPuts.get(), fromSibling.size(), "every put that returned is delivered, once");
        for (int i = 0; i < fromSibling.size(); i++) {
            assertEquals("b" + i, fromSibling.get(i));
        }
    }

    @Test
    void emptyFanInIsClosedAtOnce() throws InterruptedException {
        PatternThreads threads = PatternThreads.virtual();
        Channel<String> merged = Channels.fanIn(1, List.of(), threads);
        assertTrue(merged.isDone());
        assertEquals(0, threads.created());
    }

    @Test
    void mergeForwardsEveryItemOfEverySourceAndLeavesTheSourcesAlone() throws InterruptedException {
        PatternThreads threads = PatternThreads.platform();
        List<Channel<Integer>> sources = List.of(Channel.unbounded(), Channel.buffered(3), Channel.rendezvous());
        Channel<Integer> merged = Channels.merge(2, sources, threads);
        Thread feeder = threads.newThread(() -> {
            try {
                for (int i = 0; i < 300; i++) {
                    sources.get(i % 3).put(i);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                sources.forEach(Channel::close);
            }
        });
        feeder.start();
        List<Integer> received = new ArrayList<>();
        merged.forEach(received::add);
        received.sort(null);
        assertRange(300, received);
        threads.assertAllTerminated(4);
    }

    @Test
    void sourceClosedWithCauseFailsTheMergeAndStopsTheOtherForwarders() throws InterruptedException {
        PatternThreads threads = PatternThreads.virtual();
        Channel<Integer> failing = Channel.buffered(4);
        Channel<Integer> idle = Channel.buffered(4);
        Channel<Integer> merged = Channels.merge(8, List.of(failing, idle), threads);
        failing.put(1);
        IOException failure = new IOException("upstream broke");
        failing.close(failure);
        List<Integer> received = new ArrayList<>();
        ChannelClosedException end = assertThrows(ChannelClosedException.class, () -> merged.forEach(received::add));
        assertSame(failure, end.getCause());
        assertEquals(List.of(1), received);
        threads.assertAllTerminated(2); // the forwarder blocked on the idle source was stopped
        assertFalse(idle.isClosed(), "merge never closes a caller's channel");
        idle.put(42);
        assertEquals(List.of(42), idle.snapshot(), "nothing was taken from the idle source");
    }
}
