package io.github.loomchan.verify.history;

import io.github.loomchan.ChannelClosedException;
import io.github.loomchan.verify.ChannelOps;
import io.github.loomchan.verify.history.Op.Kind;
import io.github.loomchan.verify.history.Op.Outcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntFunction;

/**
 * Runs one short random scenario on a channel and records its history: a few worker threads (all platform or all
 * virtual) each run a short random script of operations, while a controller interrupts workers and cancels their
 * futures at random moments. When every worker is finished or parked and nothing happened for a while
 * (quiescence), the controller interrupts or cancels whatever still waits, so every operation ends; the last
 * operation, a snapshot taken alone, shows what stayed in the buffer.
 *
 * <p>The result is the history plus the faults of the run itself (an unexpected exception, a thread left running).
 * {@link LinearizabilityChecker} judges the history.
 */
public final class ScenarioRunner {

    /** One run's history and what went wrong outside the history. */
    public record Run(List<Op> history, List<String> problems, String description) {}

    private final IntFunction<ChannelOps<Integer>> factory;
    private final boolean virtualThreads;

    /** Scenario generator state. */
    private final Random random;

    /** One counter for every stamp: its order is the real-time order of the events. */
    private final AtomicLong clock = new AtomicLong();

    /**
     * @param factory makes a fresh channel of the given capacity
     * @param virtualThreads whether workers are virtual threads
     * @param seed the scenario generator's seed (printed with every failure, for replay)
     */
    public ScenarioRunner(IntFunction<ChannelOps<Integer>> factory, boolean virtualThreads, long seed) {
        this.factory = factory;
        this.virtualThreads = virtualThreads;
        this.random = new Random(seed);
    }

    /** A worker: its script, its thread, and the interrupt bookkeeping the controller shares with it. */
    private final class Worker implements Runnable {
        final int index;
        final List<Op> script;
        final ChannelOps<Integer> channel;
        final CountDownLatch start;
        final CountDownLatch running;
        final Duration timeout;
        final List<String> problems;
        Thread thread;
        volatile Op current;
        volatile boolean stop;
        /** The stamp of the earliest interrupt not yet consumed by an InterruptedException, 0 if none. */
        final AtomicLong pendingInterrupt = new AtomicLong();

        Worker(
                int index,
                List<Op> script,
                ChannelOps<Integer> channel,
                CountDownLatch start,
                CountDownLatch running,
                List<String> problems) {
            this.index = index;
            this.running = running;
            this.script = script;
            this.channel = channel;
            this.start = start;
            this.timeout = Duration.ofNanos(200_000 + random.nextInt(2_000_000));
            this.problems = problems;
        }

        @Override
        public void run() {
            try {
                start.await();
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
            running.countDown(); // the controller disturbs only after this
            java.util.concurrent.ThreadLocalRandom rnd = java.util.concurrent.ThreadLocalRandom.current();
            for (Op op : script) {
                if (stop) {
                    break;
                }
                for (int spin = rnd.nextInt(200); spin > 0; spin--) {
                    Thread.onSpinWait();
                }
                current = op;
                perform(op);
                current = null;
            }
            Thread.interrupted(); // a late interrupt must not leak into the next scenario's use of this thread
        }

        private void perform(Op op) {
            op.invoked = clock.incrementAndGet();
            try {
                switch (op.kind) {
                    case PUT -> {
                        channel.put(op.item);
                        op.outcome = Outcome.OK;
                    }
                    case OFFER_TIMED -> op.outcome = channel.offer(op.item, timeout) ? Outcome.OK : Outcome.TIMED_OUT;
                    case OFFER -> op.outcome = channel.offer(op.item) ? Outcome.OK : Outcome.FAILED_NOW;
                    case PUT_ASYNC -> {
                        var future = channel.putAsync(op.item);
                        op.future = future;
                        future.join();
                        op.outcome = Outcome.OK;
                    }
                    case GET -> item(op, channel.get(), Outcome.ITEM);
                    case POLL_TIMED -> item(op, channel.poll(timeout), Outcome.TIMED_OUT);
                    case POLL -> item(op, channel.poll(), Outcome.FAILED_NOW);
                    case GET_ASYNC -> {
                        var future = channel.getAsync();
                        op.future = future;
                        item(op, future.join(), Outcome.ITEM);
                    }
                    case JOIN -> {
                        channel.join();
                        op.outcome = Outcome.OK;
                    }
                    case CLOSE -> {
                        channel.close();
                        op.outcome = Outcome.OK;
                    }
                    case SIZE -> {
                        op.value = channel.size();
                        op.outcome = Outcome.VALUE;
                    }
                    case SNAPSHOT -> throw new AssertionError("snapshot is taken by the controller");
                }
            } catch (ChannelClosedException e) {
                op.outcome = Outcome.CLOSED;
            } catch (CancellationException e) {
                op.outcome = Outcome.CANCELLED;
                op.withdrawnNotBefore = op.cancelStamp.get();
            } catch (CompletionException e) {
                if (e.getCause() instanceof ChannelClosedException) {
                    op.outcome = Outcome.CLOSED;
                } else {
                    op.outcome = Outcome.CLOSED; // keeps the history well-formed; the problem is reported
                    problems.add("unexpected failure of " + op + ": " + e);
                }
            } catch (InterruptedException e) {
                op.outcome = Outcome.INTERRUPTED;
                op.withdrawnNotBefore = pendingInterrupt.getAndSet(0);
            } catch (RuntimeException | Error e) {
                op.outcome = Outcome.CLOSED;
                problems.add("unexpected exception from " + op + ": " + e);
            } finally {
                op.returned = clock.incrementAndGet();
            }
        }

        private void item(Op op, Integer item, Outcome whenNull) {
            if (item == null) {
                op.outcome = whenNull;
            } else {
                op.outcome = Outcome.ITEM;
                op.value = item;
            }
        }

        /** Interrupts the worker, or cancels the future it waits for; returns whether it did anything. */
        void disturb(boolean preferCancel) {
            Op op = current;
            var future = op == null ? null : op.future;
            if (future != null && (preferCancel || op.kind == Kind.PUT_ASYNC || op.kind == Kind.GET_ASYNC)) {
                op.cancelStamp.compareAndSet(0, clock.incrementAndGet());
                future.cancel(true);
                return;
            }
            pendingInterrupt.compareAndSet(0, clock.incrementAndGet());
            thread.interrupt();
        }
    }

    private Kind randomKind(ChannelOps<Integer> channel, boolean closeUsed) {
        while (true) {
            int r = random.nextInt(100);
            Kind kind;
            if (r < 22) {
                kind = Kind.PUT;
            } else if (r < 44) {
                kind = Kind.GET;
            } else if (r < 50) {
                kind = Kind.OFFER_TIMED;
            } else if (r < 56) {
                kind = Kind.POLL_TIMED;
            } else if (r < 62) {
                kind = Kind.OFFER;
            } else if (r < 68) {
                kind = Kind.POLL;
            } else if (r < 76) {
                kind = Kind.PUT_ASYNC;
            } else if (r < 84) {
                kind = Kind.GET_ASYNC;
            } else if (r < 88) {
                kind = Kind.JOIN;
            } else if (r < 94) {
                kind = Kind.SIZE;
            } else {
                kind = Kind.CLOSE;
            }
            if ((kind == Kind.PUT_ASYNC || kind == Kind.GET_ASYNC) && !channel.supportsAsync()) {
                continue;
            }
            if (kind == Kind.CLOSE && closeUsed) {
                continue;
            }
            return kind;
        }
    }

    /** Generates, runs and records one scenario on a new channel of {@code capacity}. */
    public Run runOne(int capacity, int maxThreads, int maxOpsPerThread, int maxDisturbances) {
        ChannelOps<Integer> channel = factory.apply(capacity);
        List<String> problems = new ArrayList<>();
        List<Op> history = new ArrayList<>();
        CountDownLatch start = new CountDownLatch(1);
        int threads = 2 + random.nextInt(maxThreads - 1);
        CountDownLatch running = new CountDownLatch(threads);
        List<Worker> workers = new ArrayList<>();
        boolean closeUsed = false;
        int nextItem = 1;
        for (int t = 0; t < threads; t++) {
            List<Op> script = new ArrayList<>();
            int n = 1 + random.nextInt(maxOpsPerThread);
            for (int k = 0; k < n; k++) {
                Kind kind = randomKind(channel, closeUsed);
                closeUsed |= kind == Kind.CLOSE;
                Op op = new Op(history.size(), t, kind, kind.isPut ? nextItem++ : 0);
                history.add(op);
                script.add(op);
            }
            workers.add(new Worker(t, script, channel, start, running, problems));
        }
        int disturbances = random.nextInt(maxDisturbances + 1);
        String description = channel.name() + ", " + threads + (virtualThreads ? " virtual" : " platform")
                + " threads, " + disturbances + " random interrupts/cancels";
        for (Worker w : workers) {
            w.thread = virtualThreads
                    ? Thread.ofVirtual().unstarted(w)
                    : Thread.ofPlatform().unstarted(w);
            w.thread.setName("history-worker-" + w.index);
            w.thread.start();
        }
        start.countDown();
        try {
            running.await();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
        for (int d = 0; d < disturbances; d++) {
            for (int spin = random.nextInt(20_000); spin > 0; spin--) {
                Thread.onSpinWait();
            }
            workers.get(random.nextInt(workers.size())).disturb(random.nextBoolean());
        }
        // Quiescence, then clean-up: every operation still waiting is interrupted or cancelled.
        for (int round = 0; round < 100 && anyAlive(workers); round++) {
            awaitQuiescence(workers);
            for (Worker w : workers) {
                w.stop = true;
                if (w.thread.isAlive() && w.current != null) {
                    w.disturb(false);
                }
            }
        }
        for (Worker w : workers) {
            try {
                if (!w.thread.join(Duration.ofSeconds(20))) {
                    problems.add("thread left running: " + w.thread + " in " + w.current + "\n" + stackOf(w.thread));
                }
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
        // Operations after a worker's clean-up never started: drop them, renumber the rest.
        List<Op> started = new ArrayList<>();
        for (Op op : history) {
            if (op.invoked != 0) {
                op.id = started.size();
                started.add(op);
            }
        }
        history = started;
        Op snapshot = new Op(history.size(), threads, Kind.SNAPSHOT, 0);
        snapshot.invoked = clock.incrementAndGet();
        snapshot.list = List.copyOf(channel.snapshot());
        snapshot.outcome = Outcome.VALUE;
        snapshot.returned = clock.incrementAndGet();
        history.add(snapshot);
        for (Op op : history) {
            if (op.outcome == Outcome.PENDING) {
                problems.add("operation never ended: " + op);
            }
        }
        return new Run(history, problems, description);
    }

    private static boolean anyAlive(List<Worker> workers) {
        return workers.stream().anyMatch(w -> w.thread.isAlive());
    }

    /**
     * Waits until every worker is finished or parked in an operation and the clock stood still for two
     * consecutive polls (bounded). Polling the thread states is the only way to see "blocked"; no result depends on
     * getting this exactly right: the checker is sound for any moment of clean-up.
     */
    private void awaitQuiescence(List<Worker> workers) {
        long lastClock = -1;
        int stable = 0;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (stable < 2 && System.nanoTime() < deadline) {
            boolean parked = true;
            for (Worker w : workers) {
                Thread.State state = w.thread.getState();
                if (state != Thread.State.TERMINATED
                        && !((state == Thread.State.WAITING || state == Thread.State.TIMED_WAITING)
                                && w.current != null)) {
                    parked = false;
                }
            }
            long now = clock.get();
            stable = parked && now == lastClock ? stable + 1 : 0;
            lastClock = now;
            LockSupport.parkNanos(500_000);
        }
    }

    private static String stackOf(Thread thread) {
        StringBuilder sb = new StringBuilder();
        for (StackTraceElement e : thread.getStackTrace()) {
            sb.append("    at ").append(e).append('\n');
        }
        return sb.toString();
    }
}
