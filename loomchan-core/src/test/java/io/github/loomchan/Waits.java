package io.github.loomchan;

import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Bounded waiting for observable states, instead of sleeping "long enough": every wait polls a condition and fails
 * with a description and a thread dump when {@link #LONG} passes, which only a deadlock or a lost wake-up can cause.
 */
final class Waits {
    /** How long a test waits for something that should take microseconds; only reached on a bug. */
    static final Duration LONG = Duration.ofSeconds(30);

    private Waits() {}

    /** Polls {@code condition} until it holds; fails after {@link #LONG}. */
    static void until(String what, BooleanSupplier condition, Thread... suspects) {
        long deadline = System.nanoTime() + LONG.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out waiting until " + what + "\n" + ThreadDumps.dump(suspects));
            }
            LockSupport.parkNanos(100_000);
        }
    }

    /**
     * Waits until exactly {@code putters}, {@code getters} and {@code joiners} waiters are queued on the channel
     * (white-box: {@link AbstractChannel#queuedWaiters()}). This is how a test knows that a thread is blocked in an
     * operation (or that a select registered) without sleeping.
     */
    static void untilQueued(Channel<?> channel, int putters, int getters, int joiners, Thread... suspects) {
        AbstractChannel<?> impl = (AbstractChannel<?>) channel;
        int[] expected = {putters, getters, joiners};
        until(
                "the channel has [putters, getters, joiners] = " + Arrays.toString(expected) + " (it has "
                        + Arrays.toString(impl.queuedWaiters()) + " at the first check)",
                () -> Arrays.equals(impl.queuedWaiters(), expected),
                suspects);
    }

    /** [putters, getters, joiners] queued on the channel right now. */
    static int[] queued(Channel<?> channel) {
        return ((AbstractChannel<?>) channel).queuedWaiters();
    }

    /** Waits until {@code thread} is parked (WAITING or TIMED_WAITING). */
    static void untilParked(Thread thread) {
        until(
                thread.getName() + " is parked",
                () -> {
                    Thread.State state = thread.getState();
                    return state == Thread.State.WAITING || state == Thread.State.TIMED_WAITING;
                },
                thread);
    }
}
