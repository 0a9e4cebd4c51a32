package io.github.loomchan;

import static io.github.loomchan.PatternThreads.assertRange;
import static io.github.loomchan.PatternThreads.awaitBlocked;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link ChannelScope}: joining, failure reporting, cancellation, close, workers. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ChannelScopeTest {

    @Test
    void joinReportsTheFirstFailureAndCloseDoesNotRepeatIt() throws InterruptedException {
        PatternThreads threads = PatternThreads.virtual();
        IllegalStateException first = new IllegalStateException("first");
        CountDownLatch never = new CountDownLatch(1);
        ChannelScope scope = ChannelScope.open(threads);
        scope.fork(never::await); // stopped by the failure
        scope.fork(() -> {
            throw first;
        });
        PipelineException thrown = assertThrows(PipelineException.class, scope::join);
        assertSame(first, thrown.getCause());
        assertTrue(scope.isFailed());
        assertDoesNotThrow(scope::close);
        threads.assertAllTerminatedNow(2);
    }

    @Test
    void closeWithoutJoinThrowsAFailureNobodyReported() throws InterruptedException {
        PatternThreads threads = PatternThreads.virtual();
        Exception failure = new Exception("lost?");
        ChannelScope scope = ChannelScope.open(threads);
        scope.fork(() -> {
            throw failure;
        });
        threads.assertAllTerminated(1);
        PipelineException thrown = assertThrows(PipelineException.class, scope::close);
        assertSame(failure, thrown.getCause());
        assertDoesNotThrow(scope::close, "reported once");
    }

    @Test
    void closeWithRunningTasksCancelsThemAndWaits() throws InterruptedException {
        PatternThreads threads = PatternThreads.virtual();
        CountDownLatch never = new CountDownLatch(1);
        Channel<Integer> owned;
        try (ChannelScope scope = ChannelScope.open(threads)) {
            scope.fork(never::await);
            owned = scope.produce(1, out -> {
                for (int i = 0; ; i++) {
                    out.put(i);
                }
            });
            assertEquals(0, owned.get());
        } // the body leaves early, as after a break: close stops everything and reports nothing
        threads.assertAllTerminatedNow(2);
        assertTrue(owned.isClosed());
        ChannelClosedException end = assertThrows(ChannelClosedException.class, () -> {
            while (true) {
                owned.get();
            }
        });
        assertInstanceOf(CancellationException.class, end.getCause());
    }

    @Test
    void forkAfterCloseIsRefused() {
        ChannelScope scope = ChannelScope.open();
        scope.close();
        assertThrows(IllegalStateException.class, () -> scope.fork(() -> {}));
    }

    @Test
    void joinWithTimeoutCancelsAndReportsATimeout() throws InterruptedException {
        PatternThreads threads = PatternThreads.platform();
        CountDownLatch never = new CountDownLatch(1);
        ChannelScope scope = ChannelScope.open(threads);
        scope.fork(never::await);
        PipelineException thrown = assertThrows(PipelineException.class, () -> scope.join(Duration.ofMillis(50)));
        assertInstanceOf(TimeoutException.class, thrown.getCause());
        threads.assertAllTerminatedNow(1);
        scope.close();
    }

    @Test
    void interruptedJoinCancelsTheScopeAndWaitsForItsThreads() throws Exception {
        PatternThreads threads = PatternThreads.virtual();
        CountDownLatch never = new CountDownLatch(1);
        ChannelScope scope = ChannelScope.open(threads);
        scope.fork(never::await);
        CompletableFuture<Throwable> outcome = new CompletableFuture<>();
        Thread joiner = Thread.ofVirtual().start(() -> {
            try {
                scope.join();
                outcome.complete(null);
            } catch (Throwable e) {
                outcome.complete(e);
            }
        });
        awaitBlocked(joiner);
        joiner.interrupt();
        assertInstanceOf(InterruptedException.class, outcome.get(10, TimeUnit.SECONDS));
        threads.assertAllTerminatedNow(1); // join threw only after the scope's threads had ended
        scope.close(); // cancellation by the owner is not a failure to report again
    }

    @Test
    void newChannelOfAFailedScopeIsAlreadyClosedWithTheCause() throws InterruptedException {
        ChannelScope scope = ChannelScope.open();
        scope.cancel();
        Channel<String> channel = scope.newChannel(4);
        ChannelClosedException closed = assertThrows(ChannelClosedException.class, () -> channel.put("x"));
        assertInstanceOf(CancellationException.class, closed.getCause());
        scope.close();
    }

    @Test
    void workersShareOneChannelEachItemToExactlyOneWorker() throws InterruptedException {
        PatternThreads threads = PatternThreads.virtual();
        Set<Integer> seen = ConcurrentHashMap.newKeySet();
        AtomicInteger duplicates = new AtomicInteger();
        try (ChannelScope scope = ChannelScope.open(threads)) {
            Channel<Integer> jobs = scope.produce(8, out -> {
                for (int i = 0; i < 5000; i++) {
                    out.put(i);
                }
            });
            scope.workers(jobs, 4, item -> {
                if (!seen.add(item)) {
                    duplicates.incrementAndGet();
                }
            });
            scope.join();
        }
        threads.assertAllTerminatedNow(5);
        assertEquals(0, duplicates.get());
        List<Integer> sorted = new ArrayList<>(seen);
        sorted.sort(null);
        assertRange(5000, sorted);
        threads.assertAllTerminated(5);
    }

    @Test
    void failingWorkerStopsTheOthersAndLeavesUntakenItemsInTheSource() throws InterruptedException {
        PatternThreads threads = PatternThreads.virtual();
        Channel<Integer> source = Channel.buffered(100);
        for (int i = 0; i < 100; i++) {
            source.put(i);
        }
        Set<Integer> handled = ConcurrentHashMap.newKeySet();
        RuntimeException failure = new RuntimeException("worker broke on 10");
        CountDownLatch never = new CountDownLatch(1);
        ChannelScope scope = ChannelScope.open(threads);
        scope.workers(source, 3, item -> {
            if (item == 10) {
                throw failure;
            }
            handled.add(item);
            if (item > 10) {
                never.await(); // the other workers get stuck in their handler; the failure must stop them
            }
        });
        PipelineException thrown = assertThrows(PipelineException.class, scope::join);
        assertSame(failure, thrown.getCause());
        threads.assertAllTerminatedNow(3);
        scope.close();
        // Every item is accounted for: handled, the failing one, or still in the (caller's, never closed) source.
        List<Integer> all = new ArrayList<>(handled);
        all.add(10);
        all.addAll(source.snapshot());
        all.sort(null);
        assertRange(100, all);
        assertTrue(!source.isClosed());
    }

    @Test
    void cancelledWorkerStopsBeforeItsNextItemEvenIfItemsAreAvailable() throws Exception {
        PatternThreads threads = PatternThreads.virtual();
        Channel<Integer> source = Channel.buffered(1000);
        for (int i = 0; i < 1000; i++) {
            source.put(i);
        }
        CountDownLatch firstItem = new CountDownLatch(1);
        List<Integer> handled = new ArrayList<>();
        ChannelScope scope = ChannelScope.open(threads);
        scope.workers(source, 1, item -> {
            handled.add(item);
            firstItem.countDown();
            while (!Thread.currentThread().isInterrupted()) {
                Thread.onSpinWait(); // busy, never blocks: it returns with the interrupt status set
            }
        });
        assertTrue(firstItem.await(10, TimeUnit.SECONDS));
        scope.cancel();
        PipelineException thrown = assertThrows(PipelineException.class, scope::join);
        assertInstanceOf(CancellationException.class, thrown.getCause());
        threads.assertAllTerminatedNow(1);
        scope.close();
        assertEquals(List.of(0), handled);
        assertEquals(999, source.size(), "the other items were not taken");
    }
}
