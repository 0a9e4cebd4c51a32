package io.github.loomchan.bench;

import io.github.loomchan.Channel;
import io.github.loomchan.Select;
import io.github.loomchan.SelectClause;
import java.util.ArrayList;
import java.util.List;

/**
 * The workloads of {@link InProcessAb}, written against loomchan's public API only. {@link InProcessAb} loads this
 * class once per build under test, each time in a class loader of its own next to that build's loomchan-core jar, so
 * that one JVM can run two builds of loomchan in alternating windows. Every call makes fresh channels and threads.
 * The threads are {@link Crew}s, as in the JMH benchmarks. Stateless; calls may run concurrently but are meant to run one at a time (they are measurements).
 */
public final class AbWorkloads {
    /** The item moved everywhere: one object, so that nothing is boxed or allocated per item. */
    private static final Object ITEM = new Object();

    /** The workloads {@link #run} knows, with a one-line description each. */
    public static final List<String> NAMES = List.of(
            "rv: rendezvous, 1 producer + 1 consumer, virtual threads",
            "rvPlatform: rendezvous, 1 producer + 1 consumer, platform threads",
            "b1: buffered(1), 1 producer + 1 consumer, virtual threads",
            "b16: buffered(16), 1 producer + 1 consumer, virtual threads",
            "b100: buffered(100), 1 producer + 1 consumer, virtual threads",
            "chainRv: chain of 1,000 rendezvous channels (ns per hop)",
            "chainB16: chain of 1,000 buffered(16) channels (ns per hop)",
            "pairsRv: 1,000 independent rendezvous pairs",
            "pairsB16: 1,000 independent buffered(16) pairs",
            "sel2: select over 2 rendezvous channels, one producer each",
            "sel8: select over 8 rendezvous channels, one producer each");

    private AbWorkloads() {}

    /**
     * Runs one window of {@code workload}, moving about {@code items} items.
     *
     * @return nanoseconds per item moved (per hop for the chains), wall clock
     * @throws IllegalArgumentException if {@code workload} is not one of {@link #NAMES}
     */
    public static double run(String workload, int items) throws InterruptedException {
        return switch (workload) {
            case "rv" -> pair(Channel.rendezvous(), items, true);
            case "rvPlatform" -> pair(Channel.rendezvous(), items, false);
            case "b1" -> pair(Channel.buffered(1), items, true);
            case "b16" -> pair(Channel.buffered(16), items, true);
            case "b100" -> pair(Channel.buffered(100), items, true);
            case "chainRv" -> chain(1_000, 0, items);
            case "chainB16" -> chain(1_000, 16, items);
            case "pairsRv" -> pairs(1_000, 0, items);
            case "pairsB16" -> pairs(1_000, 16, items);
            case "sel2" -> select(2, items);
            case "sel8" -> select(8, items);
            default ->
                throw new IllegalArgumentException(
                        "unknown workload '" + workload + "'; known: " + String.join(", ", names()));
        };
    }

    /** The bare names of {@link #NAMES}. */
    static List<String> names() {
        return NAMES.stream().map(n -> n.substring(0, n.indexOf(':'))).toList();
    }

    private static double pair(Channel<Object> channel, int items, boolean virtual) throws InterruptedException {
        Crew crew = new Crew(virtual);
        long start = System.nanoTime();
        crew.start(() -> drain(channel, items));
        crew.start(() -> fill(channel, items));
        crew.join();
        return (System.nanoTime() - start) / (double) items;
    }

    private static double chain(int length, int capacity, int hops) throws InterruptedException {
        int items = Math.max(1, hops / length);
        List<Channel<Object>> links = new ArrayList<>();
        for (int i = 0; i <= length; i++) {
            links.add(capacity == 0 ? Channel.rendezvous() : Channel.buffered(capacity));
        }
        Crew crew = new Crew(true);
        long start = System.nanoTime();
        crew.start(() -> fill(links.get(0), items));
        for (int i = 0; i < length; i++) {
            Channel<Object> in = links.get(i);
            Channel<Object> out = links.get(i + 1);
            crew.start(() -> {
                for (int k = 0; k < items; k++) {
                    out.put(in.get());
                }
            });
        }
        crew.start(() -> drain(links.get(length), items));
        crew.join();
        return (System.nanoTime() - start) / ((double) items * length);
    }

    private static double pairs(int count, int capacity, int items) throws InterruptedException {
        int each = Math.max(1, items / count);
        Crew crew = new Crew(true);
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            Channel<Object> channel = capacity == 0 ? Channel.rendezvous() : Channel.buffered(capacity);
            crew.start(() -> drain(channel, each));
            crew.start(() -> fill(channel, each));
        }
        crew.join();
        return (System.nanoTime() - start) / ((double) each * count);
    }

    private static double select(int channels, int items) throws InterruptedException {
        int each = Math.max(1, items / channels);
        Crew crew = new Crew(true);
        List<SelectClause<Object>> clauses = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < channels; i++) {
            Channel<Object> channel = Channel.rendezvous();
            clauses.add(channel.onGet(item -> item));
            crew.start(() -> fill(channel, each));
        }
        crew.start(() -> {
            for (int k = 0; k < each * channels; k++) {
                Select.select(clauses);
            }
        });
        crew.join();
        return (System.nanoTime() - start) / ((double) each * channels);
    }

    private static void fill(Channel<Object> channel, int items) throws InterruptedException {
        for (int i = 0; i < items; i++) {
            channel.put(ITEM);
        }
    }

    private static void drain(Channel<Object> channel, int items) throws InterruptedException {
        for (int i = 0; i < items; i++) {
            channel.get();
        }
    }
}
