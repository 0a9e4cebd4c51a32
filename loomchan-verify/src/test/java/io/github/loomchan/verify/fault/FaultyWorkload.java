package io.github.loomchan.verify.fault;

import io.github.loomchan.ChannelClosedException;
import io.github.loomchan.verify.ChannelOps;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * A randomized producer/consumer workload with faults injected at random points: a disturber thread interrupts
 * random producers and consumers and cancels the futures they wait on, threads cancel their own futures, and the
 * channel is closed either after the producers finish or in the middle of production.
 *
 * <p>Afterwards {@link Report#problems()} lists every violation of: nothing lost (every put that succeeded was
 * received), nothing invented (nothing received whose put failed), nothing duplicated, FIFO per producer as seen by
 * each consumer, every waiter woken (every consumer ends once the channel is done), no thread left running.
 */
public final class FaultyWorkload {

    /** What to run. */
    public record Config(
            int producers,
            int consumers,
            int itemsPerProducer,
            boolean virtualThreads,
            boolean async,
            boolean timedOps,
            boolean closeMidway,
            int disturbances,
            Duration stuckAfter) {}

    /** The outcome: counts for the report, and the violations found. */
    public record Report(int putSucceeded, int putFailed, int received, int disturbancesDone, List<String> problems) {}

    private FaultyWorkload() {}

    private static final int PER_PRODUCER = 1_000_000;

    /** Runs one workload on {@code channel}. */
    public static Report run(ChannelOps<Integer> channel, Config config, long seed) throws InterruptedException {
        Random random = new Random(seed);
        int threads = config.producers() + config.consumers();
        Set<Integer> succeeded = ConcurrentHashMap.newKeySet();
        Set<Integer> failed = ConcurrentHashMap.newKeySet();
        List<List<Integer>> receivedBy = new ArrayList<>();
        for (int c = 0; c < config.consumers(); c++) {
            receivedBy.add(Collections.synchronizedList(new ArrayList<>()));
        }
        List<String> problems = Collections.synchronizedList(new ArrayList<>());
        AtomicReferenceArray<CompletableFuture<?>> pendingFutures = new AtomicReferenceArray<>(threads);
        AtomicBoolean producing = new AtomicBoolean(true);
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> all = new ArrayList<>();

        for (int p = 0; p < config.producers(); p++) {
            int index = p;
            all.add(newThread(config, "producer-" + p, () -> {
                awaitStart(start);
                ThreadLocalRandom rnd = ThreadLocalRandom.current();
                for (int i = 0; i < config.itemsPerProducer(); i++) {
                    int item = index * PER_PRODUCER + i + 1;
                    boolean ok = putOnce(channel, config, rnd, item, index, pendingFutures, problems);
                    (ok ? succeeded : failed).add(item);
                }
                Thread.interrupted();
            }));
        }
        for (int c = 0; c < config.consumers(); c++) {
            int index = config.producers() + c;
            List<Integer> mine = receivedBy.get(c);
            all.add(newThread(config, "consumer-" + c, () -> {
                awaitStart(start);
                ThreadLocalRandom rnd = ThreadLocalRandom.current();
                while (true) {
                    try {
                        Integer item = getOnce(channel, config, rnd, index, pendingFutures);
                        if (item != null) {
                            mine.add(item);
                        }
                    } catch (ChannelClosedException e) {
                        break; // done: closed and drained
                    } catch (InterruptedException e) {
                        // a fault: nothing consumed; go on
                    } catch (RuntimeException | Error e) {
                        problems.add("consumer failed: " + e);
                        break;
                    }
                }
                Thread.interrupted();
            }));
        }
        all.forEach(Thread::start);
        start.countDown();

        int disturbancesDone = 0;
        int closeAt = config.closeMidway() ? random.nextInt(Math.max(1, config.disturbances())) : -1;
        for (int d = 0; d < config.disturbances() && producing.get(); d++) {
            for (int spin = random.nextInt(50_000); spin > 0; spin--) {
                Thread.onSpinWait();
            }
            if (d == closeAt) {
                channel.close();
            }
            int victim = random.nextInt(threads);
            CompletableFuture<?> future = pendingFutures.get(victim);
            if (future != null && random.nextBoolean()) {
                future.cancel(true);
            } else {
                all.get(victim).interrupt();
            }
            disturbancesDone++;
            if (all.subList(0, config.producers()).stream().noneMatch(Thread::isAlive)) {
                producing.set(false);
            }
        }
        for (Thread producer : all.subList(0, config.producers())) {
            if (!producer.join(config.stuckAfter())) {
                problems.add("producer left running: " + producer + stack(producer));
            }
        }
        channel.close();
        for (Thread consumer : all.subList(config.producers(), threads)) {
            if (!consumer.join(config.stuckAfter())) {
                problems.add("consumer never woken after close: " + consumer + stack(consumer));
            }
        }
        for (Thread t : all) {
            if (t.isAlive()) {
                t.interrupt(); // clean up, so a broken channel does not keep the test JVM busy
                if (!t.join(Duration.ofSeconds(5))) {
                    problems.add("thread left running even after an interrupt: " + t);
                }
            }
        }

        Set<Integer> received = new HashSet<>();
        int receivedCount = 0;
        for (List<Integer> list : receivedBy) {
            int[] lastPerProducer = new int[config.producers()];
            synchronized (list) {
                for (int item : list) {
                    receivedCount++;
                    if (!received.add(item)) {
                        problems.add("duplicated: " + item);
                    }
                    if (failed.contains(item)) {
                        problems.add("received an item whose put failed: " + item);
                    }
                    int producer = (item - 1) / PER_PRODUCER;
                    if (item <= lastPerProducer[producer]) {
                        problems.add("FIFO broken for producer " + producer + ": " + item + " after "
                                + lastPerProducer[producer]);
                    }
                    lastPerProducer[producer] = item;
                }
            }
        }
        for (int item : succeeded) {
            if (!received.contains(item)) {
                problems.add("lost: " + item + " was put but never received");
                if (problems.size() > 20) {
                    break;
                }
            }
        }
        if (!channel.isDone()) {
            problems.add("channel not done at the end: " + channel);
        }
        return new Report(succeeded.size(), failed.size(), receivedCount, disturbancesDone, List.copyOf(problems));
    }

    /** One put by a random method; true if it took effect. */
    private static boolean putOnce(
            ChannelOps<Integer> channel,
            Config config,
            ThreadLocalRandom rnd,
            int item,
            int index,
            AtomicReferenceArray<CompletableFuture<?>> pendingFutures,
            List<String> problems) {
        int how = rnd.nextInt(config.async() ? 3 : config.timedOps() ? 2 : 1);
        try {
            switch (how) {
                case 0 -> {
                    channel.put(item);
                    return true;
                }
                case 1 -> {
                    return channel.offer(item, Duration.ofNanos(rnd.nextInt(1_000_000)));
                }
                default -> {
                    CompletableFuture<Void> future = channel.putAsync(item);
                    pendingFutures.set(index, future);
                    try {
                        if (rnd.nextInt(8) == 0) {
                            future.cancel(true); // withdraws it unless it already took effect
                        }
                        future.join();
                        return true;
                    } finally {
                        pendingFutures.set(index, null);
                    }
                }
            }
        } catch (ChannelClosedException | InterruptedException | CancellationException e) {
            return false;
        } catch (CompletionException e) {
            if (!(e.getCause() instanceof ChannelClosedException)) {
                problems.add("put " + item + " failed unexpectedly: " + e);
            }
            return false;
        }
    }

    /** One get by a random method; null if nothing was consumed (timeout, cancelled). */
    private static Integer getOnce(
            ChannelOps<Integer> channel,
            Config config,
            ThreadLocalRandom rnd,
            int index,
            AtomicReferenceArray<CompletableFuture<?>> pendingFutures)
            throws InterruptedException {
        int how = rnd.nextInt(config.async() ? 3 : config.timedOps() ? 2 : 1);
        switch (how) {
            case 0 -> {
                return channel.get();
            }
            case 1 -> {
                return channel.poll(Duration.ofNanos(rnd.nextInt(1_000_000)));
            }
            default -> {
                CompletableFuture<Integer> future = channel.getAsync();
                pendingFutures.set(index, future);
                try {
                    if (rnd.nextInt(8) == 0) {
                        future.cancel(true);
                    }
                    return future.join();
                } catch (CancellationException e) {
                    return null;
                } catch (CompletionException e) {
                    if (e.getCause() instanceof ChannelClosedException closed) {
                        throw closed;
                    }
                    throw e;
                } finally {
                    pendingFutures.set(index, null);
                }
            }
        }
    }

    private static Thread newThread(Config config, String name, Runnable body) {
        return config.virtualThreads()
                ? Thread.ofVirtual().name(name).unstarted(body)
                : Thread.ofPlatform().name(name).unstarted(body);
    }

    private static void awaitStart(CountDownLatch start) {
        boolean interrupted = false;
        while (true) {
            try {
                start.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private static String stack(Thread thread) {
        StringBuilder sb = new StringBuilder();
        for (StackTraceElement e : thread.getStackTrace()) {
            sb.append("\n    at ").append(e);
        }
        return sb.toString();
    }
}
