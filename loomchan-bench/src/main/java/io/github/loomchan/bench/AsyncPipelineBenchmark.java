package io.github.loomchan.bench;

import io.github.loomchan.Channel;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The async API: a producer chains {@code putAsync} and a consumer chains {@code getAsync} on a buffered(16)
 * channel, continuing on a two-thread executor whenever a future is not complete yet (no thread ever blocks). The
 * peer is Kotlin's channel with coroutines dispatched on an executor of the same size. jox and the queues have no
 * asynchronous API. Nanoseconds per item.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@OperationsPerInvocation(Sizes.PAIR_ITEMS)
public class AsyncPipelineBenchmark {
    private static final int CAPACITY = 16;

    private int items;
    private ExecutorService executor;
    private Channel<Object> loomchan;
    private KotlinChannels kotlin;

    @Setup
    public void setUp() {
        items = Sizes.scaled(Sizes.PAIR_ITEMS);
        executor = Executors.newFixedThreadPool(2);
        loomchan = Channel.buffered(CAPACITY);
        kotlin = new KotlinChannels(1, CAPACITY);
    }

    @TearDown
    public void tearDown() {
        executor.shutdownNow();
    }

    @Benchmark
    public void loomchan() {
        CompletableFuture<Void> produced = new AsyncLoop(executor, items) {
            @Override
            CompletableFuture<?> step() {
                return loomchan.putAsync(Workloads.ITEM);
            }
        }.start();
        CompletableFuture<Void> consumed = new AsyncLoop(executor, items) {
            @Override
            CompletableFuture<?> step() {
                return loomchan.getAsync();
            }
        }.start();
        CompletableFuture.allOf(produced, consumed).join();
    }

    @Benchmark
    public void kotlin() {
        kotlin.pair(items, executor);
    }
}
