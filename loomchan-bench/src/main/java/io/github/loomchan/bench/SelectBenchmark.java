package io.github.loomchan.bench;

import io.github.loomchan.Channel;
import io.github.loomchan.Select;
import io.github.loomchan.SelectClause;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A producer virtual thread per rendezvous channel; one consumer selects a receive over all {@code channels} of them
 * until every item arrived (Kotlin: coroutines and {@code select { onReceive }}). Nanoseconds per item. Each select
 * builds its clauses afresh, as typical code does. java.util.concurrent has no select: no queue columns.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@OperationsPerInvocation(Sizes.PAIR_ITEMS)
public class SelectBenchmark {
    @Param({"2", "8"})
    public int channels;

    private int itemsEach;
    private List<Channel<Object>> loomchan;
    private List<com.softwaremill.jox.Channel<Object>> jox;
    private KotlinChannels kotlin;

    @Setup
    public void setUp() {
        itemsEach = Sizes.share(Sizes.PAIR_ITEMS, channels);
        loomchan = new ArrayList<>();
        jox = new ArrayList<>();
        for (int i = 0; i < channels; i++) {
            loomchan.add(Channel.rendezvous());
            jox.add(com.softwaremill.jox.Channel.newRendezvousChannel());
        }
        kotlin = new KotlinChannels(channels, 0);
    }

    @Benchmark
    public void loomchan() throws InterruptedException {
        Crew crew = new Crew(true);
        for (Channel<Object> channel : loomchan) {
            crew.start(() -> {
                for (int i = 0; i < itemsEach; i++) {
                    channel.put(Workloads.ITEM);
                }
            });
        }
        crew.start(() -> {
            List<SelectClause<Object>> clauses = new ArrayList<>(channels);
            for (int n = itemsEach * channels; n > 0; n--) {
                clauses.clear();
                for (Channel<Object> channel : loomchan) {
                    clauses.add(channel.onGet(item -> item));
                }
                check(Select.select(clauses));
            }
        });
        crew.join();
    }

    @Benchmark
    public void jox() throws InterruptedException {
        Crew crew = new Crew(true);
        for (com.softwaremill.jox.Channel<Object> channel : jox) {
            crew.start(() -> {
                for (int i = 0; i < itemsEach; i++) {
                    channel.send(Workloads.ITEM);
                }
            });
        }
        crew.start(() -> {
            @SuppressWarnings("unchecked") // a generic array for jox's varargs select; it only ever holds such clauses
            com.softwaremill.jox.SelectClause<Object>[] clauses =
                    (com.softwaremill.jox.SelectClause<Object>[]) new com.softwaremill.jox.SelectClause<?>[channels];
            for (int n = itemsEach * channels; n > 0; n--) {
                for (int i = 0; i < channels; i++) {
                    clauses[i] = jox.get(i).receiveClause();
                }
                check(com.softwaremill.jox.Select.select(clauses));
            }
        });
        crew.join();
    }

    @Benchmark
    public void kotlin() {
        kotlin.select(itemsEach);
    }

    private static void check(Object item) {
        if (item != Workloads.ITEM) {
            throw new AssertionError("a foreign item arrived");
        }
    }
}
