package io.github.loomchan.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs every benchmark method, with every parameter combination, exactly once, in this JVM, with the item counts
 * divided by {@link Sizes#SMOKE_DIVISOR} (surefire sets {@code loomchan.bench.smoke}). It checks that each one
 * executes and moves its items (a workload that loses an item hangs and hits the timeout; a foreign item throws);
 * the timings are meaningless and not looked at.
 */
class BenchmarksSmokeTest {
    private static final List<Class<?>> BENCHMARKS = List.of(
            AsyncPipelineBenchmark.class,
            BufferedPairBenchmark.class,
            BufferedPairPlatformBenchmark.class,
            ChainBufferedBenchmark.class,
            ChainRendezvousBenchmark.class,
            FastPathBenchmark.class,
            MpmcBenchmark.class,
            PairsBufferedBenchmark.class,
            PairsRendezvousBenchmark.class,
            RendezvousPairBenchmark.class,
            RendezvousPairPlatformBenchmark.class,
            SelectBenchmark.class,
            UnboundedBenchmark.class);

    @Test
    @Timeout(300)
    void everyBenchmarkMethodRunsOnce() throws RunnerException {
        assertTrue(Boolean.getBoolean("loomchan.bench.smoke"), "run by surefire, which sets loomchan.bench.smoke");
        Options options = new OptionsBuilder()
                .include(BenchmarksSmokeTest.class.getPackageName() + "\\..*Benchmark\\..*")
                .forks(0)
                .mode(Mode.SingleShotTime)
                .warmupIterations(0)
                .measurementIterations(1)
                .measurementBatchSize(1)
                .timeout(TimeValue.seconds(Duration.ofSeconds(60).toSeconds()))
                .shouldFailOnError(true)
                .verbosity(org.openjdk.jmh.runner.options.VerboseMode.SILENT)
                .build();
        Collection<RunResult> results = new Runner(options).run();

        Set<String> expected = new TreeSet<>();
        for (Class<?> type : BENCHMARKS) {
            for (Method method : type.getMethods()) { // public, inherited ones included (ManyBufferedChannels)
                if (method.isAnnotationPresent(Benchmark.class)) {
                    expected.add(type.getName() + "." + method.getName());
                }
            }
        }
        Set<String> ran = new TreeSet<>();
        for (RunResult result : results) {
            ran.add(result.getParams().getBenchmark());
            assertEquals(
                    1,
                    result.getPrimaryResult().getStatistics().getN(),
                    () -> "one measurement of " + result.getParams().getBenchmark());
        }
        assertEquals(expected, ran, "every @Benchmark method of every benchmark class ran");
    }
}
