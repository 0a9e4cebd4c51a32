package io.github.loomchan.bench;

import io.github.loomchan.Channel;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.LinkedTransferQueue;
import java.util.concurrent.SynchronousQueue;
import java.util.function.Supplier;

/**
 * Memory of an idle channel: allocates {@value #COUNT} fresh, empty channels of one kind, keeps them reachable, and
 * divides the growth of the used heap (after full GCs) by their number. Prints one tab-separated line per peer and
 * kind: {@code kind, peer, bytes per channel}. Run with {@code -XX:+UseSerialGC} for stable heap accounting (bench/run
 * does). Not a benchmark: a measurement program, single-threaded.
 */
public final class IdleFootprint {
    static final int COUNT = 100_000;

    private IdleFootprint() {}

    /** Prints the table; no arguments. */
    public static void main(String[] args) {
        Map<String, Supplier<Object>> kinds = new LinkedHashMap<>();
        kinds.put("rendezvous\tloomchan", Channel::rendezvous);
        kinds.put("rendezvous\tjox", com.softwaremill.jox.Channel::newRendezvousChannel);
        kinds.put("rendezvous\tkotlin", () -> new KotlinChannels(1, 0));
        kinds.put("rendezvous\tSynchronousQueue", SynchronousQueue::new);
        kinds.put("rendezvous\tLinkedTransferQueue", LinkedTransferQueue::new);
        for (int capacity : new int[] {16, 1024}) {
            kinds.put("buffered(" + capacity + ")\tloomchan", () -> Channel.buffered(capacity));
            kinds.put(
                    "buffered(" + capacity + ")\tjox", () -> com.softwaremill.jox.Channel.newBufferedChannel(capacity));
            kinds.put("buffered(" + capacity + ")\tkotlin", () -> new KotlinChannels(1, capacity));
            kinds.put("buffered(" + capacity + ")\tArrayBlockingQueue", () -> new ArrayBlockingQueue<>(capacity));
            kinds.put("buffered(" + capacity + ")\tLinkedBlockingQueue", () -> new LinkedBlockingQueue<>(capacity));
        }
        kinds.put("unbounded\tloomchan", Channel::unbounded);
        kinds.put("unbounded\tjox", com.softwaremill.jox.Channel::newUnlimitedChannel);
        kinds.put("unbounded\tkotlin", () -> new KotlinChannels(1, Integer.MAX_VALUE));
        kinds.put("unbounded\tLinkedTransferQueue", LinkedTransferQueue::new);
        kinds.put("unbounded\tLinkedBlockingQueue", LinkedBlockingQueue::new);
        // the Kotlin rows include the small KotlinChannels wrapper (16 bytes + a one-element array, ~40 bytes)
        Object[] baselineArray = new Object[COUNT]; // allocated once so the array itself is not counted
        for (var entry : kinds.entrySet()) {
            measure(entry.getValue(), baselineArray); // warm-up: class loading, static state
            long bytes = measure(entry.getValue(), baselineArray);
            System.out.println(entry.getKey() + "\t" + bytes);
        }
    }

    private static long measure(Supplier<Object> factory, Object[] holder) {
        java.util.Arrays.fill(holder, null);
        long before = usedAfterGc();
        for (int i = 0; i < holder.length; i++) {
            holder[i] = factory.get();
        }
        long after = usedAfterGc();
        if (holder[holder.length - 1] == null) {
            throw new AssertionError("unreachable");
        }
        return Math.round((after - before) / (double) holder.length);
    }

    private static long usedAfterGc() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return memory.getHeapMemoryUsage().getUsed();
    }
}
