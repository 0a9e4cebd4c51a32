package io.github.loomchan;

import static io.github.loomchan.PatternThreads.assertRange;
import static io.github.loomchan.PatternThreads.awaitBlocked;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@link Pipeline}: stages, order, close propagation, failure, cancellation, terminals. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class PipelineTest {

    /** A producer of 0, 1, 2, ... that only ends when stopped. */
    private static Producer<Integer> endless(AtomicInteger putsReturned) {
        return out -> {
            for (int i = 0; ; i++) {
                out.put(i);
                putsReturned.incrementAndGet();
            }
        };
    }

    private static Pipeline<Integer> range(int count) {
        return Pipeline.produce(8, out -> {
            for (int i = 0; i < count; i++) {
                out.put(i);
            }
        });
    }

    /** Busy work that takes a different time per item, so parallel workers finish out of order. */
    private static int slowIdentity(int item) {
        long spin = (item * 7919L) % 2000;
        long sink = 0;
        for (long i = 0; i < spin * 50; i++) {
            sink += i ^ item;
        }
        return sink == -1 ? -1 : item;
    }

    static Stream<Arguments> stageOptions() {
        return Stream.of(
                Arguments.of(StageOptions.DEFAULT, true),
                Arguments.of(StageOptions.DEFAULT.capacity(0), true),
                Arguments.of(StageOptions.parallel(4), true),
                Arguments.of(StageOptions.parallel(3).capacity(1), true),
                Arguments.of(StageOptions.parallel(4).unordered(), false),
                Arguments.of(StageOptions.parallel(2).unordered().capacity(Integer.MAX_VALUE), false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("stageOptions")
    void mapFilterFlatMapDeliverEveryResultOnceAndCloseForward(StageOptions options, boolean ordered)
            throws InterruptedException {
        PatternThreads threads = PatternThreads.virtual();
        List<Integer> results = range(1000)
                .map(options, PipelineTest::slowIdentity)
                .filter(options, i -> i % 2 == 0)
                .flatMap(options, i -> List.of(i, i + 1)) // gives back 0..999: even i, then i + 1
                .withThreadFactory(threads)
                .toList();
        if (!ordered) {
            Collections.sort(results);
        }
        assertRange(1000, results);
        threads.assertAllTerminatedNow(1 + 3 * options.parallelism());
    }

    @Test
    void orderedFlatMapKeepsTheResultsOfOneItemTogether() throws InterruptedException {
        PatternThreads threads = PatternThreads.platform();
        List<String> results = range(200)
                .flatMap(StageOptions.parallel(4), i -> List.of(i + "a", i + "b", i + "c"))
                .withThreadFactory(threads)
                .toList();
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            expected.addAll(List.of(i + "a", i + "b", i + "c"));
        }
        assertEquals(expected, results);
        threads.assertAllTerminatedNow(6);
    }

    @Test
    void collectAndForEachRunInTheCallingThread() throws InterruptedException {
        PatternThreads threads = PatternThreads.virtual();
        Thread caller = Thread.currentThread();
        Map<Boolean, Long> evenOdd = range(101)
                .map(i -> {
                    assertFalse(Thread.currentThread() == caller, "a stage runs on its own thread");
                    return i;
                })
                .withThreadFactory(threads)
                .collect(Collectors.partitioningBy(i -> i % 2 == 0, Collectors.counting()));
        assertEquals(Map.of(true, 51L, false, 50L), evenOdd);
        threads.assertAllTerminatedNow(2);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("stageOptions")
    void stageFailureStopsEveryStageAndSurfacesOnceWithTheOriginalCause(StageOptions options, boolean ordered)
            throws InterruptedException {
        PatternThreads threads = PatternThreads.virtual();
        AtomicInteger produced = new AtomicInteger();
        IllegalArgumentException failure = new IllegalArgumentException("cannot parse item 50");
        List<Integer> handled = new ArrayList<>();
        PipelineException thrown = assertThrows(PipelineException.class, () -> Pipeline.produce(4, endless(produced))
                .map(options, i -> i)
                .map(options, i -> {
                    if (i == 50) {
                        throw failure;
                    }
                    return i;
                })
                .map(options, i -> i)
                .withThreadFactory(threads)
                .forEach(handled::add));
        assertSame(failure, thrown.getCause());
        assertEquals(0, thrown.getSuppressed().length);
        threads.assertAllTerminatedNow(1 + 3 * options.parallelism());
        assertFalse(handled.contains(50));
        assertEquals(handled.size(), handled.stream().distinct().count(), "no item handled twice");
        if (ordered) {
            assertRange(handled.size(), handled);
        }
    }

    @Test
    void sourceFailureSurfacesWithItsCause() throws InterruptedException {
        PatternThreads threads = PatternThreads.virtual();
        Exception failure = new Exception("source broke");
        List<Integer> handled = new ArrayList<>();
        PipelineException thrown = assertThrows(PipelineException.class, () -> Pipeline.<Integer>produce(2, out -> {
                    for (int i = 0; i < 10; i++) {
                        out.put(i);
                    }
                    throw failure;
                })
                .map(i -> i)
                .withThreadFactory(threads)
                .forEach(handled::add));
        assertSame(failure, thrown.getCause());
        // Fail-fast: the map stage is stopped at once, so only a prefix of what was put gets through, in order.
        assertTrue(handled.size() <= 10, "handled " + handled);
        assertRange(handled.size(), handled);
        threads.assertAllTerminatedNow(2);
    }

    @Test
    void callerChannelClosedWithCauseFailsThePipelineWithThatCause() throws InterruptedException {
        PatternThreads threads = PatternThreads.virtual();
        Channel<Integer> source = Channel.buffered(10);
        for (int i = 0; i < 5; i++) {
            source.put(i);
        }
        IllegalStateException failure = new IllegalStateException("upstream failed");
        source.close(failure);
        List<Integer> handled = new ArrayList<>();
        PipelineException thrown = assertThrows(PipelineException.class, () -> Pipeline.from(source)
                .map(i -> i)
                .withThreadFactory(threads)
                .forEach(handled::add));
        assertSame(failure, thrown.getCause());
        assertRange(5, handled);
        threads.assertAllTerminatedNow(1);
    }

    @Test
    void handlerFailureStopsThePipeline() throws InterruptedException {
        PatternThreads threads = PatternThreads.virtual();
        AtomicInteger produced = new AtomicInteger();
        Exception failure = new Exception("cannot store item 10");
        List<Integer> handled = new ArrayList<>();
        PipelineException thrown = assertThrows(PipelineException.class, () -> Pipeline.produce(4, endless(produced))
                .map(StageOptions.parallel(2), i -> i)
                .withThreadFactory(threads)
                .forEach(item -> {
                    if (item == 10) {
                        throw failure;
                    }
                    handled.add(item);
                }));
        assertSame(failure, thrown.getCause());
        assertRange(10, handled);
        threads.assertAllTerminatedNow(4);
    }

    @Test
    void nullFromAMapFunctionFailsThePipeline() throws InterruptedException {
        PatternThreads threads = PatternThreads.virtual();
        PipelineException thrown = assertThrows(PipelineException.class, () -> range(5).map(i -> i == 3 ? null : i)
                .withThreadFactory(threads)
                .toList());
        assertInstanceOf(NullPointerException.class, thrown.getCause());
        threads.assertAllTerminatedNow(2);
    }

    @Test
    void interruptingTheCallerStopsThePipelineAndLeavesNoThread() throws Exception {
        PatternThreads threads = PatternThreads.virtual();
        AtomicInteger produced = new AtomicInteger();
        CountDownLatch tenHandled = new CountDownLatch(10);
        List<Integer> handled = Collections.synchronizedList(new ArrayList<>());
        CompletableFuture<Throwable> outcome = new CompletableFuture<>();
        Thread caller = Thread.ofVirtual().start(() -> {
            try {
                Pipeline.produce(4, endless(produced))
                        .map(StageOptions.parallel(3), i -> i)
                        .filter(i -> true)
                        .withThreadFactory(threads)
                        .forEach(item -> {
                            handled.add(item);
                            tenHandled.countDown();
                        });
                outcome.complete(null);
            } catch (Throwable e) {
                outcome.complete(e);
            }
        });
        assertTrue(tenHandled.await(10, TimeUnit.SECONDS));
        caller.interrupt();
        assertInstanceOf(InterruptedException.class, outcome.get(10, TimeUnit.SECONDS));
        caller.join();
        threads.assertAllTerminatedNow(1 + 3 + 1 + 1 + 1); // source, 3 workers, dispatcher, collector, filter
        List<Integer> copy = List.copyOf(handled);
        assertRange(copy.size(), copy); // a prefix, nothing skipped or repeated
    }

    @Test
    void deadlineStopsAStuckPipelineWithATimeout() throws InterruptedException {
        PatternThreads threads = PatternThreads.virtual();
        CountDownLatch never = new CountDownLatch(1);
        List<Integer> handled = new ArrayList<>();
        PipelineException thrown = assertThrows(PipelineException.class, () -> Pipeline.<Integer>produce(1, out -> {
                    out.put(1);
                    never.await(); // a source that stalls
                })
                .map(i -> i)
                .withThreadFactory(threads)
                .withTimeout(Duration.ofMillis(100))
                .forEach(handled::add));
        assertInstanceOf(TimeoutException.class, thrown.getCause());
        assertEquals(List.of(1), handled);
        threads.assertAllTerminatedNow(2);
    }

    @Test
    void scopeCancelFromAnotherThreadStopsAStartedPipeline() throws Exception {
        PatternThreads threads = PatternThreads.virtual();
        AtomicInteger produced = new AtomicInteger();
        List<Integer> received = new ArrayList<>();
        ChannelScope scope = ChannelScope.open(threads);
        Channel<Integer> out = Pipeline.produce(2, endless(produced))
                .map(StageOptions.parallel(2).unordered(), i -> i)
                .start(scope);
        for (int i = 0; i < 20; i++) {
            received.add(out.get());
        }
        Thread canceller = Thread.ofVirtual().start(scope::cancel);
        canceller.join();
        ChannelClosedException end = assertThrows(ChannelClosedException.class, () -> {
            while (true) {
                received.add(out.get());
            }
        });
        assertInstanceOf(CancellationException.class, end.getCause());
        PipelineException thrown = assertThrows(PipelineException.class, scope::join);
        assertInstanceOf(CancellationException.class, thrown.getCause());
        scope.close(); // the failure was reported by join: close does not repeat it
        threads.assertAllTerminatedNow(3);
        assertEquals(received.size(), received.stream().distinct().count(), "no item received twice");
    }

    @Test
    void forEachBatchHandsOverEveryItemInNonEmptyBatchesOfAtMostMax() throws InterruptedException {
        PatternThreads threads = PatternThreads.virtual();
        List<List<Integer>> batches = new ArrayList<>();
        range(1000).withThreadFactory(threads).forEachBatch(64, Duration.ofMillis(5), batches::add);
        List<Integer> all = new ArrayList<>();
        for (List<Integer> batch : batches) {
            assertFalse(batch.isEmpty());
            assertTrue(batch.size() <= 64, "batch of " + batch.size());
            all.addAll(batch);
        }
        assertRange(1000, all);
        threads.assertAllTerminatedNow(1);
    }

    @Test
    void forEachParallelGivesEachItemToExactlyOneWorker() throws InterruptedException {
        PatternThreads threads = PatternThreads.platform();
        Map<Integer, Thread> handledBy = new ConcurrentHashMap<>();
        AtomicInteger duplicates = new AtomicInteger();
        range(2000).withThreadFactory(threads).forEachParallel(4, item -> {
            if (handledBy.put(item, Thread.currentThread()) != null) {
                duplicates.incrementAndGet();
            }
        });
        assertEquals(0, duplicates.get());
        assertEquals(IntStream.range(0, 2000).boxed().collect(Collectors.toSet()), handledBy.keySet());
        assertTrue(handledBy.values().stream().allMatch(t -> t.getName().startsWith("pattern-test-p")));
        threads.assertAllTerminatedNow(5);
    }

    @Test
    void workerFailureInForEachParallelStopsTheOtherWorkers() throws InterruptedException {
        PatternThreads threads = PatternThreads.virtual();
        AtomicInteger produced = new AtomicInteger();
        RuntimeException failure = new RuntimeException("worker broke");
        PipelineException thrown = assertThrows(PipelineException.class, () -> Pipeline.produce(4, endless(produced))
                .withThreadFactory(threads)
                .forEachParallel(3, item -> {
                    if (item == 100) {
                        throw failure;
                    }
                }));
        assertSame(failure, thrown.getCause());
        threads.assertAllTerminatedNow(4);
    }

    @Test
    void stageCapacityBoundsTheItemsInFlight() throws Exception {
        PatternThreads threads = PatternThreads.virtual();
        AtomicInteger produced = new AtomicInteger();
        CompletableFuture<Void> release = new CompletableFuture<>();
        List<Integer> handled = new ArrayList<>();
        CompletableFuture<Void> run = CompletableFuture.runAsync(() -> {
            try {
                Pipeline.<Integer>produce(3, out -> {
                            for (int i = 0; i < 100; i++) {
                                out.put(i);
                                produced.incrementAndGet();
                            }
                        })
                        .map(StageOptions.DEFAULT.capacity(5), i -> i)
                        .withThreadFactory(threads)
                        .forEach(item -> {
                            release.get(); // the consumer is stuck on its first item
                            handled.add(item);
                        });
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        PatternThreads.awaitCondition("two threads started", () -> threads.created() == 2);
        for (Thread thread : threads.threads()) {
            awaitBlocked(thread); // source and stage both wait for room
        }
        // 1 in the handler + 5 in the stage's output + 1 in the stage's hands + 3 in the source's channel
        assertTrue(produced.get() <= 10, "produced " + produced.get() + " items ahead of a stuck consumer");
        release.complete(null);
        run.get(10, TimeUnit.SECONDS);
        assertRange(100, handled);
        threads.assertAllTerminatedNow(2);
    }

    @Test
    void fanInAndMergeSourcesFeedAPipeline() throws InterruptedException {
        PatternThreads threads = PatternThreads.virtual();
        List<Producer<Integer>> producers = List.of(
                out -> {
                    for (int i = 0; i < 500; i += 2) {
                        out.put(i);
                    }
                },
                out -> {
                    for (int i = 1; i < 500; i += 2) {
                        out.put(i);
                    }
                });
        List<Integer> fromFanIn = Pipeline.fanIn(4, producers)
                .map(StageOptions.parallel(2).unordered(), i -> i)
                .withThreadFactory(threads)
                .toList();
        Collections.sort(fromFanIn);
        assertRange(500, fromFanIn);
        threads.assertAllTerminatedNow(4);

        PatternThreads detached = PatternThreads.virtual();
        Channel<Integer> evens = Channels.fromIterable(
                IntStream.range(0, 100).map(i -> 2 * i).boxed().toList(), 3, detached);
        Channel<Integer> odds = Channels.fromIterable(
                IntStream.range(0, 100).map(i -> 2 * i + 1).boxed().toList(), 3, detached);
        List<Integer> merged = Pipeline.merge(0, List.of(evens, odds))
                .withThreadFactory(threads)
                .toList();
        Collections.sort(merged);
        assertRange(200, merged);
        threads.assertAllTerminatedNow(6);
        detached.assertAllTerminated(2);
    }

    @Test
    void iterableSourceAndTimeoutOnACallerChannelWithoutStages() throws InterruptedException {
        PatternThreads threads = PatternThreads.virtual();
        assertEquals(
                List.of(1, 2, 3),
                Pipeline.from(List.of(1, 2, 3)).withThreadFactory(threads).toList());
        threads.assertAllTerminatedNow(1);

        Channel<String> idle = Channel.buffered(2);
        idle.put("only");
        List<String> handled = new ArrayList<>();
        PipelineException thrown = assertThrows(
                PipelineException.class,
                () -> Pipeline.from(idle).withTimeout(Duration.ofMillis(50)).forEach(handled::add));
        assertInstanceOf(TimeoutException.class, thrown.getCause());
        assertEquals(List.of("only"), handled);
        assertFalse(idle.isClosed(), "a caller's channel is never closed by the pipeline");
    }

    @Test
    void stageOptionsRejectNonsense() {
        assertThrows(IllegalArgumentException.class, () -> StageOptions.parallel(0));
        assertThrows(IllegalArgumentException.class, () -> StageOptions.DEFAULT.capacity(-1));
        assertThrows(IllegalArgumentException.class, () -> Pipeline.produce(-1, out -> {}));
        assertEquals(StageOptions.parallel(1), StageOptions.DEFAULT);
        assertFalse(StageOptions.parallel(2).unordered().isOrdered());
    }

    @Test
    void streamOutStopsThePipelineWhenClosedEarly() throws InterruptedException {
        PatternThreads threads = PatternThreads.virtual();
        AtomicInteger produced = new AtomicInteger();
        List<Integer> firstTen;
        try (Stream<Integer> results = Pipeline.produce(4, endless(produced))
                .map(StageOptions.parallel(2), i -> i)
                .withThreadFactory(threads)
                .stream()) {
            firstTen = results.limit(10).toList();
        }
        assertRange(10, firstTen);
        threads.assertAllTerminatedNow(5);
    }

    @Test
    void streamOutAppliesTheTimeLimitAndStopsThePipeline() throws InterruptedException {
        PatternThreads threads = PatternThreads.virtual();
        Channel<String> idle = Channel.buffered(2);
        idle.put("only");
        List<String> seen = new ArrayList<>();
        try (Stream<String> results = Pipeline.from(idle)
                .map(String::toUpperCase)
                .withThreadFactory(threads)
                .withTimeout(Duration.ofMillis(50))
                .stream()) {
            PipelineException thrown = assertThrows(PipelineException.class, () -> results.forEach(seen::add));
            assertInstanceOf(TimeoutException.class, thrown.getCause());
        }
        assertEquals(List.of("ONLY"), seen, "the result produced before the limit was delivered");
        assertFalse(idle.isClosed(), "a caller's channel is never closed by the pipeline");
        threads.assertAllTerminatedNow(1);
    }

    @Test
    void streamOutWithATimeLimitThatIsNotReachedEndsNormally() throws InterruptedException {
        PatternThreads threads = PatternThreads.virtual();
        try (Stream<Integer> results =
                range(50).map(i -> i * 2).withThreadFactory(threads).withTimeout(Duration.ofMinutes(5)).stream()) {
            assertEquals(IntStream.range(0, 50).map(i -> i * 2).boxed().toList(), results.toList());
        }
        threads.assertAllTerminatedNow(2);
    }

    @Test
    void streamOutReportsAStageFailureOnceWithTheOriginalCause() throws InterruptedException {
        PatternThreads threads = PatternThreads.virtual();
        IllegalStateException failure = new IllegalStateException("stage broke on 20");
        List<Integer> seen = new ArrayList<>();
        try (Stream<Integer> results = range(100)
                .map(i -> {
                    if (i == 20) {
                        throw failure;
                    }
                    return i;
                })
                .withThreadFactory(threads)
                .stream()) {
            PipelineException thrown = assertThrows(PipelineException.class, () -> results.forEach(seen::add));
            assertSame(failure, thrown.getCause());
        } // closing does not report it a second time
        threads.assertAllTerminatedNow(2);
        assertRange(seen.size(), seen);
        assertTrue(seen.size() <= 20);
    }

    @Test
    void streamOutReturnsEveryResultThenEnds() throws InterruptedException {
        PatternThreads threads = PatternThreads.platform();
        try (Stream<Integer> results =
                range(300).map(StageOptions.parallel(3), i -> i).withThreadFactory(threads).stream()) {
            assertRange(300, results.toList());
            threads.assertAllTerminatedNow(6); // the end of the stream comes after the threads ended
        }
    }
}
