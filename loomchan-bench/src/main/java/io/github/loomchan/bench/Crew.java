package io.github.loomchan.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The threads of one benchmark invocation: started one by one, joined together, the first failure rethrown. Not
 * thread-safe: the benchmark thread alone starts and joins.
 */
final class Crew {
    /** A thread's work. */
    interface Task {
        void run() throws Exception;
    }

    private final boolean virtual;
    private final List<Thread> threads = new ArrayList<>();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();

    /** A crew of virtual threads if {@code virtual}, else of platform threads. */
    Crew(boolean virtual) {
        this.virtual = virtual;
    }

    /** Starts a thread running {@code task}; a failure is recorded and rethrown by {@link #join()}. */
    void start(Task task) {
        Runnable body = () -> {
            try {
                task.run();
            } catch (Throwable t) {
                failure.compareAndSet(null, t);
            }
        };
        threads.add(
                virtual ? Thread.ofVirtual().start(body) : Thread.ofPlatform().start(body));
    }

    /** Waits for every thread; throws if any failed. */
    void join() throws InterruptedException {
        for (Thread thread : threads) {
            thread.join();
        }
        Throwable t = failure.get();
        if (t != null) {
            throw new IllegalStateException("a benchmark thread failed", t);
        }
    }
}
