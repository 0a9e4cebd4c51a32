package io.github.loomchan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** A thread factory that remembers every thread it made, so a test can check that none is left running. */
final class PatternThreads implements ThreadFactory {
    private final ThreadFactory delegate;
    private final List<Thread> created = new CopyOnWriteArrayList<>();

    private PatternThreads(ThreadFactory delegate) {
        this.delegate = delegate;
    }

    static PatternThreads virtual() {
        return new PatternThreads(Thread.ofVirtual().name("pattern-test-v", 0).factory());
    }

    static PatternThreads platform() {
        return new PatternThreads(
                Thread.ofPlatform().daemon().name("pattern-test-p", 0).factory());
    }

    @Override
    public Thread newThread(Runnable task) {
        Thread thread = delegate.newThread(task);
        created.add(thread);
        return thread;
    }

    int created() {
        return created.size();
    }

    List<Thread> threads() {
        return List.copyOf(created);
    }

    /**
     * Asserts that every thread made so far terminates (waiting at most a few seconds each, since a thread whose
     * task has finished may still be exiting), and that at least {@code minimum} were made (so the check checks
     * something).
     */
    void assertAllTerminated(int minimum) throws InterruptedException {
        assertTrue(created.size() >= minimum, "expected at least " + minimum + " threads, made " + created.size());
        for (Thread thread : created) {
            thread.join(Duration.ofSeconds(10));
            if (thread.isAlive()) {
                StringBuilder trace = new StringBuilder();
                for (StackTraceElement element : thread.getStackTrace()) {
                    trace.append("\n\tat ").append(element);
                }
                fail("thread " + thread + " is still running:" + trace);
            }
        }
    }

    /**
     * Asserts that every thread made so far has already terminated, without waiting: for checks right after a call
     * that promises to return only once its threads have finished ({@link Pipeline} terminals, {@link
     * ChannelScope#join()}, {@link ChannelScope#close()}).
     */
    void assertAllTerminatedNow(int minimum) {
        assertTrue(created.size() >= minimum, "expected at least " + minimum + " threads, made " + created.size());
        for (Thread thread : created) {
            assertEquals(Thread.State.TERMINATED, thread.getState(), () -> "thread " + thread + " is still running");
        }
    }

    /** Waits (polling, bounded) until {@code condition} holds; fails the test if it does not within 10 s. */
    static void awaitCondition(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("timed out waiting until " + what);
            }
            Thread.sleep(1);
        }
    }

    /** Waits until {@code thread} is parked (WAITING or TIMED_WAITING). */
    static void awaitBlocked(Thread thread) throws InterruptedException {
        awaitCondition(thread + " is blocked", () -> {
            Thread.State state = thread.getState();
            return state == Thread.State.WAITING || state == Thread.State.TIMED_WAITING;
        });
    }

    /** Asserts {@code items} is exactly 0..count-1 in order. */
    static void assertRange(int count, List<Integer> items) {
        assertEquals(count, items.size(), "number of items");
        for (int i = 0; i < count; i++) {
            assertEquals(i, items.get(i), "item at index " + i);
        }
    }
}
