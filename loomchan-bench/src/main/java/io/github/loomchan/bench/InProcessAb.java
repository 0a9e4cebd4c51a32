package io.github.loomchan.bench;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * An A/B comparison of two builds of loomchan-core inside one JVM, for a shared machine whose speed changes under
 * the benchmarks (performance notes section 21: on the 2-core cloud machines here, a cache-line round trip between
 * the two vCPUs is about 30, 70 or 300 ns depending on where the host runs them, and it changes every few seconds,
 * so two JMH forks run minutes apart compare two machines). Each build gets a class loader of its own (its core jar
 * and {@link AbWorkloads}, with the platform class loader as parent), and every round runs each workload for both
 * builds back to back, in the order A B B A (B A A B in every other round), between two measurements of the round
 * trip. A ratio B/A per round
 * is then taken within one placement, and its median over the rounds is the result.
 *
 * <p>What this does not remove: each build's code is compiled by the JIT once per JVM, and that compilation can be
 * a few percent better or worse than the other's. A/A runs (one jar twice) gave per-run medians of 0.95 and 1.06 on
 * the chain of buffered(16) channels, with quartiles that excluded 1, and 1.02–1.03 on rendezvous 1P/1C. So a
 * result counts only when it holds in more than one JVM and in both orders ({@code bench/ab} runs both) and
 * exceeds what an A/A run of the same workload shows.
 *
 * <p>Usage: {@code InProcessAb ROUNDS WORKLOAD:ITEMS[,WORKLOAD:ITEMS...] NAME=CORE_JAR NAME=CORE_JAR}, where the
 * workloads are those of {@link AbWorkloads#NAMES}; {@code bench/ab} builds the jars from two git revisions and runs
 * this. Prints a line per round and workload, then a summary. Not thread-safe; one run per JVM.
 */
public final class InProcessAb {
    private static volatile long ping;
    private static volatile long pong;

    private InProcessAb() {}

    /**
     * The round trip of one cache line between two platform threads (a store seen by the other thread, answered by
     * a store of its own), in ns: what the host's placement of the two CPUs costs right now.
     */
    static double roundTrip(int rounds) throws InterruptedException {
        long base = ping;
        Thread echo = Thread.ofPlatform().start(() -> {
            long last = base;
            for (int i = 0; i < rounds; i++) {
                long v;
                while ((v = ping) == last) {
                    Thread.onSpinWait();
                }
                last = v;
                pong = v;
            }
        });
        long start = System.nanoTime();
        for (int i = 1; i <= rounds; i++) {
            long v = base + i;
            ping = v;
            while (pong != v) {
                Thread.onSpinWait();
            }
        }
        long elapsed = System.nanoTime() - start;
        echo.join();
        return elapsed / (double) rounds;
    }

    /** One build under test: its name and its workloads' entry point. */
    private record Build(String name, Method run) {
        double run(String workload, int items) throws ReflectiveOperationException {
            try {
                return (double) run.invoke(null, workload, items);
            } catch (InvocationTargetException e) {
                if (e.getCause() instanceof RuntimeException r) {
                    throw r;
                }
                throw e;
            }
        }
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 4) {
            throw new IllegalArgumentException(
                    "usage: InProcessAb ROUNDS WORKLOAD:ITEMS[,...] NAME=CORE_JAR NAME=CORE_JAR (got "
                            + Arrays.toString(args) + "); workloads: " + String.join(", ", AbWorkloads.names()));
        }
        int rounds = Integer.parseInt(args[0]);
        if (rounds < 2) {
            throw new IllegalArgumentException("ROUNDS must be at least 2, got " + rounds);
        }
        Map<String, Integer> workloads = new LinkedHashMap<>();
        for (String spec : args[1].split(",")) {
            String[] parts = spec.split(":");
            if (parts.length != 2 || !AbWorkloads.names().contains(parts[0])) {
                throw new IllegalArgumentException("bad workload '" + spec + "': expected NAME:ITEMS with NAME one of "
                        + String.join(", ", AbWorkloads.names()));
            }
            workloads.put(parts[0], Integer.parseInt(parts[1]));
        }
        Build a = load(args[2]);
        Build b = load(args[3]);
        for (Map.Entry<String, Integer> w : workloads.entrySet()) { // warm-up: compile both builds' paths
            for (int i = 0; i < 3; i++) {
                a.run(w.getKey(), w.getValue());
                b.run(w.getKey(), w.getValue());
            }
        }
        Map<String, List<double[]>> results = new LinkedHashMap<>();
        for (int r = 0; r < rounds; r++) {
            for (Map.Entry<String, Integer> w : workloads.entrySet()) {
                String name = w.getKey();
                int items = w.getValue();
                // A B B A in odd rounds, B A A B in even ones, so that neither build always has the windows at the
                // edges of a round (right after the round-trip measurement). This does not remove the larger
                // effect, which is per JVM: see the class comment.
                boolean flip = r % 2 == 1;
                Build outer = flip ? b : a;
                Build inner = flip ? a : b;
                double before = roundTrip(200_000);
                double tOuter = outer.run(name, items);
                double tInner = inner.run(name, items);
                tInner += inner.run(name, items);
                tOuter += outer.run(name, items);
                double after = roundTrip(200_000);
                double ta = flip ? tInner : tOuter;
                double tb = flip ? tOuter : tInner;
                double[] row = {ta / 2, tb / 2, (before + after) / 2};
                results.computeIfAbsent(name, k -> new ArrayList<>()).add(row);
                System.out.printf(
                        Locale.ROOT,
                        "round %d %-9s round-trip %6.1f %6.1f  %s %8.1f  %s %8.1f  ratio %.3f%n",
                        r + 1,
                        name,
                        before,
                        after,
                        a.name,
                        row[0],
                        b.name,
                        row[1],
                        row[1] / row[0]);
            }
        }
        System.out.printf(
                Locale.ROOT,
                "%n%-9s %6s %10s %10s %8s %8s %8s %10s%n",
                "workload",
                "rounds",
                a.name,
                b.name,
                "B/A",
                "q1",
                "q3",
                "round-trip");
        for (Map.Entry<String, List<double[]>> e : results.entrySet()) {
            List<double[]> rows = e.getValue();
            double[] ratios =
                    rows.stream().mapToDouble(row -> row[1] / row[0]).sorted().toArray();
            System.out.printf(
                    Locale.ROOT,
                    "%-9s %6d %10.1f %10.1f %8.3f %8.3f %8.3f %10.1f%n",
                    e.getKey(),
                    rows.size(),
                    median(rows, 0),
                    median(rows, 1),
                    quantile(ratios, 0.5),
                    quantile(ratios, 0.25),
                    quantile(ratios, 0.75),
                    median(rows, 2));
        }
        System.out.println(
                "(ns per item, medians over the rounds; B/A is the median of the per-round ratios, q1 and q3 "
                        + "its quartiles; round-trip is the cache-line round trip measured around each round)");
    }

    private static Build load(String spec) throws MalformedURLException, ReflectiveOperationException {
        int eq = spec.indexOf('=');
        if (eq <= 0 || !Files.isRegularFile(Path.of(spec.substring(eq + 1)))) {
            throw new IllegalArgumentException("bad build '" + spec + "': expected NAME=PATH_TO_LOOMCHAN_CORE_JAR");
        }
        URL core = Path.of(spec.substring(eq + 1)).toUri().toURL();
        // This class's own location holds AbWorkloads; the core jar comes first, so loomchan's classes are the build's.
        URL workloads = InProcessAb.class.getProtectionDomain().getCodeSource().getLocation();
        @SuppressWarnings("resource") // lives as long as the run
        URLClassLoader loader = new URLClassLoader(
                spec.substring(0, eq), new URL[] {core, workloads}, ClassLoader.getPlatformClassLoader());
        Class<?> type = loader.loadClass(AbWorkloads.class.getName());
        if (type.getClassLoader() != loader
                || loader.loadClass("io.github.loomchan.Channel").getClassLoader() != loader) {
            throw new IllegalStateException("the build's classes must come from its own loader: " + spec);
        }
        return new Build(spec.substring(0, eq), type.getMethod("run", String.class, int.class));
    }

    private static double median(List<double[]> rows, int column) {
        return quantile(rows.stream().mapToDouble(row -> row[column]).sorted().toArray(), 0.5);
    }

    /** The {@code q} quantile of sorted {@code values}, interpolated between neighbours. */
    private static double quantile(double[] values, double q) {
        double at = q * (values.length - 1);
        int low = (int) Math.floor(at);
        int high = Math.min(values.length - 1, low + 1);
        return values[low] + (at - low) * (values[high] - values[low]);
    }
}
