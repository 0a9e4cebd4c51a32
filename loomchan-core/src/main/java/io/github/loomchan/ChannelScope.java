package io.github.loomchan;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A group of threads that produce into, transform and consume from channels, and that succeed or fail together:
 * structured concurrency for channel programs, without preview APIs.
 *
 * <pre>{@code
 * try (ChannelScope scope = ChannelScope.open()) {
 *     Channel<String> lines = scope.produce(64, out -> {
 *         for (String line : Files.readAllLines(path)) out.put(line);
 *     });
 *     Channel<Order> orders = Pipeline.from(lines).map(Order::parse).start(scope);
 *     scope.workers(orders, 4, order -> store(order));   // 4 threads share the channel
 *     scope.join();                                        // throws PipelineException if anything failed
 * }
 * }</pre>
 *
 * <h2>Threads</h2>
 * <p>Every task runs on a new thread from the scope's {@link ThreadFactory} (virtual threads unless {@link
 * #open(ThreadFactory)} says otherwise). {@link #join()} and {@link #close()} return only after every one of them has
 * finished, so a scope leaves no thread behind.
 *
 * <h2>Owned channels</h2>
 * <p>The channels the scope creates ({@link #produce}, {@link #fanIn}, {@link #merge}, {@link #newChannel}, pipeline
 * stages started in it) are <i>owned</i> by it: each is closed normally by whatever writes it when that is finished,
 * and closed with the failure as cause if the scope fails. Channels passed in by the caller are never closed by the
 * scope.
 *
 * <h2>Failure: all or nothing</h2>
 * <p>The first task that throws <i>fails</i> the scope. The scope then, at once: records that exception as <i>the</i>
 * failure; closes every owned channel with it as cause (so consumers, after draining what was put, see it); and
 * interrupts every other thread it started (so producers, stages and workers stop, including siblings in a fan-in).
 * Exceptions the other threads throw while stopping (interrupts, closed channels) are consequences and are not
 * reported. {@link #join()} reports the failure once, as the cause of a {@link PipelineException}. A {@link
 * ChannelClosedException} that carries a close cause is recorded as that cause, so a failure that travelled through
 * channels is reported as the original exception.
 *
 * <h2>Cancellation</h2>
 * <p>{@link #cancel()} fails the scope with a {@link CancellationException}; a thread interrupted in {@link #join()},
 * and a {@link #join(Duration)} whose time runs out, do the same and then wait for every thread to finish. Items that
 * were in flight in the scope's own channels when it was cancelled are discarded; the caller always learns this from
 * the exception it gets. Items still in channels the caller passed in stay there. Cancellation is by interrupt, with
 * the usual consequences for the tasks' own code: a task blocked on an {@link
 * java.nio.channels.InterruptibleChannel} has that I/O channel closed, and a task that swallows interrupts delays the
 * end of the scope.
 *
 * <h2>Thread-safety</h2>
 * <p>All methods may be called from any thread, including from the scope's own tasks (a task may fork more tasks, but must not join or close its own scope). A
 * task that ignores interrupts and never touches a channel cannot be stopped; {@code join} then waits for it.
 */
public final class ChannelScope implements AutoCloseable {
    /*
     * Implementation overview
     *
     * State. One ReentrantLock guards everything mutable: the set of running threads, the owned channels, the running
     * count, the first failure and its flags. The lock is never held while parking on anything but its own
     * condition, never while closing a channel (closing may run future callbacks) and never while interrupting.
     *
     * Task life cycle:
     *
     *     fork: thread made ─► registered (threads += t, running++) ─► started ─► body runs
     *           ─► body returns or throws (throw: fail(e)) ─► taskFinished (threads -= t, exiting += t, running--)
     *
     * join/close wait until running == 0 and then Thread.join() every thread in `exiting`, so "every thread has
     * finished" is literally true when they return.
     *
     * Failure. failWith records the first failure under the lock and copies the owned channels and running threads;
     * then, outside the lock, closes those channels with the cause and interrupts those threads. A channel created
     * or a task forked after that instant sees `failure != null` under the same lock and is closed or interrupted
     * at once, so nothing escapes the shutdown.
     *
     * Ordering rule for writers that share an output (forkMember): a writer that throws calls fail() *before* it
     * stops counting as a live writer, so the last live writer can never close the output normally after a failure
     * (which would make consumers see a clean end instead of the failure). Closing normally after a failure is
     * harmless anyway: the failure closed the channel first, and a channel keeps its first close.
     */

    private final ThreadFactory threadFactory;
    private final ReentrantLock lock = new ReentrantLock();
    /** Signalled when {@link #running} drops to 0. */
    private final Condition allFinished = lock.newCondition();

    // All guarded by lock.
    /** Threads started and not yet finished; interrupted on failure. */
    private final Set<Thread> threads = new HashSet<>();
    /** Threads whose task has finished, not yet seen terminated by a join or close. */
    private final List<Thread> exiting = new ArrayList<>();
    /** Channels this scope owns; closed with the failure as cause on failure. */
    private final List<Channel<?>> ownedChannels = new ArrayList<>();
    /** Number of tasks started and not yet finished (a thread counts until its last action). */
    private int running;
    /** The first failure, or null. Never changes once set. */
    private Throwable failure;
    /** Whether {@link #failure} is a cancellation by the scope's owner (not reported by close). */
    private boolean failureIsCancellation;
    /** Whether join or close has thrown the failure to someone. */
    private boolean failureReported;
    /** Set by close: no new task may start. */
    private boolean closed;

    private ChannelScope(ThreadFactory threadFactory) {
        this.threadFactory = threadFactory;
    }

    /**
     * Opens a scope whose tasks run on new virtual threads (named {@code loomchan-scope-N}).
     *
     * @return a new open scope
     */
    public static ChannelScope open() {
        return new ChannelScope(Thread.ofVirtual().name("loomchan-scope-", 0).factory());
    }

    /**
     * Opens a scope whose tasks run on threads from {@code threadFactory}: one new thread per task, never reused.
     *
     * @param threadFactory creates the threads; it may be called from any thread that forks a task
     * @return a new open scope
     * @throws NullPointerException if {@code threadFactory} is null
     */
    public static ChannelScope open(ThreadFactory threadFactory) {
        return new ChannelScope(Objects.requireNonNull(threadFactory, "threadFactory"));
    }

    // ------------------------------------------------------------------------------------------------ tasks

    /**
     * Starts {@code task} on a new thread of this scope.
     *
     * <p>If the scope has already failed or been cancelled, the task still starts, with its interrupt status set, so
     * it stops at its first blocking channel operation.
     *
     * @param task what to run; if it throws, the scope fails
     * @throws IllegalStateException if the scope is closed
     * @throws RejectedExecutionException if the thread factory returns {@code null}
     * @throws NullPointerException if {@code task} is null
     */
    public void fork(ScopedTask task) {
        Objects.requireNonNull(task, "task");
        Thread thread = threadFactory.newThread(() -> runTask(task));
        if (thread == null) {
            throw new RejectedExecutionException("the thread factory returned null");
        }
        boolean interrupt;
        lock.lock();
        try {
            if (closed) {
                throw new IllegalStateException("the scope is closed");
            }
            threads.add(thread);
            running++;
            interrupt = failure != null;
        } finally {
            lock.unlock();
        }
        try {
            thread.start();
        } catch (RuntimeException | Error startFailure) {
            taskFinished(thread);
            throw startFailure;
        }
        if (interrupt) {
            thread.interrupt();
        }
    }

    /**
     * Creates a channel owned by this scope: when the scope fails, the channel is closed with the failure as cause.
     * Whoever writes it must close it when done (as with any channel).
     *
     * <p>If the scope has already failed, the channel is returned already closed with that cause.
     *
     * @param capacity 0 for a rendezvous channel, {@link Integer#MAX_VALUE} for an unbounded one, otherwise the
     *     buffer size
     * @param <T> the item type
     * @return a new channel
     * @throws IllegalArgumentException if {@code capacity} is negative
     */
    public <T> Channel<T> newChannel(int capacity) {
        Channel<T> channel = PatternSupport.newChannel(capacity);
        Throwable failedWith;
        lock.lock();
        try {
            ownedChannels.add(channel);
            failedWith = failure;
        } finally {
            lock.unlock();
        }
        if (failedWith != null) {
            channel.close(failedWith);
        }
        return channel;
    }

    /**
     * Starts a producer on a new thread and returns the owned channel it writes into.
     *
     * <p>The channel is closed when {@code producer} returns. If it throws, the scope fails with that exception:
     * the channel is closed with it as cause (consumers first drain what was put) and every other thread of the scope
     * is stopped. If a consumer closes the channel, the producer's next put throws {@link ChannelClosedException},
     * which fails the scope unless the producer catches it.
     *
     * @param capacity the channel's capacity: 0 rendezvous, {@link Integer#MAX_VALUE} unbounded, else buffered
     * @param producer what puts the items
     * @param <T> the item type
     * @return the channel, open, possibly still empty
     * @throws IllegalArgumentException if {@code capacity} is negative
     * @throws IllegalStateException if the scope is closed
     */
    public <T> Channel<T> produce(int capacity, Producer<T> producer) {
        return fanIn(capacity, List.of(Objects.requireNonNull(producer, "producer")));
    }

    /**
     * Fan-in: starts every producer on its own thread, all writing into one owned channel that is closed exactly once,
     * when the last of them has returned.
     *
     * <p>A producer cannot close the shared channel (it gets a {@link Sink}), so one producer finishing early never
     * cuts off the others. <b>Failure policy: a failing producer stops its siblings.</b> If any producer throws, the
     * scope fails: the channel is closed with that exception as cause, and the other producers are interrupted (and
     * their puts fail), because the consumer will not read past the failure anyway. Items already in the channel stay
     * there: a consumer outside the scope's threads (such as the caller) receives them before the failure; the scope's
     * own consumers are stopped at once.
     *
     * <p>With no producers, the channel is returned closed.
     *
     * @param capacity the channel's capacity: 0 rendezvous, {@link Integer#MAX_VALUE} unbounded, else buffered
     * @param producers the producers; each item of each producer is delivered once, in that producer's order
     * @param <T> the item type
     * @return the merged channel
     * @throws IllegalArgumentException if {@code capacity} is negative
     * @throws IllegalStateException if the scope is closed
     * @throws NullPointerException if {@code producers} or one of them is null
     */
    public <T> Channel<T> fanIn(int capacity, List<? extends Producer<T>> producers) {
        List<Producer<T>> copy = List.copyOf(producers);
        Channel<T> out = newChannel(capacity);
        if (copy.isEmpty()) {
            out.close();
            return out;
        }
        AtomicInteger remaining = new AtomicInteger(copy.size());
        for (Producer<T> producer : copy) {
            forkMember(() -> producer.produce(out::put), remaining, out);
        }
        return out;
    }

    /**
     * Fan-in from channels: forwards every item of every source into one owned channel, which is closed exactly once,
     * when every source is closed and drained. One thread per source.
     *
     * <p>A source closed with a cause fails the scope with that cause (the other forwarders are stopped; the output
     * is closed with it). The sources themselves are never closed by this method; items not yet forwarded when the
     * scope stops stay in them.
     *
     * @param capacity the output's capacity: 0 rendezvous, {@link Integer#MAX_VALUE} unbounded, else buffered
     * @param sources the channels to merge; each keeps its own order in the output
     * @param <T> the item type
     * @return the merged channel
     * @throws IllegalArgumentException if {@code capacity} is negative
     * @throws IllegalStateException if the scope is closed
     * @throws NullPointerException if {@code sources} or one of them is null
     */
    public <T> Channel<T> merge(int capacity, List<? extends Channel<? extends T>> sources) {
        List<Producer<T>> forwarders = new ArrayList<>();
        for (Channel<? extends T> source : sources) {
            Objects.requireNonNull(source, "source");
            forwarders.add(out -> forward(source, out));
        }
        return fanIn(capacity, forwarders);
    }

    /**
     * Fan-out: starts {@code count} workers that share {@code source}; every item goes to exactly one of them.
     *
     * <p>The workers end when {@code source} is closed and drained; {@link #join()} then returns. If a worker's
     * handler throws, or {@code source} is closed with a cause, the scope fails: the other workers are interrupted
     * and {@code join} reports the exception. The item whose handler threw counts as handled; items still in {@code
     * source} stay there. A cancelled worker stops before its next item even if {@code source} still has items.
     *
     * @param source the channel to consume
     * @param count the number of workers, at least 1
     * @param handler what each worker does with an item; called concurrently by the workers
     * @param <T> the item type
     * @throws IllegalArgumentException if {@code count} is less than 1
     * @throws IllegalStateException if the scope is closed
     */
    public <T> void workers(Channel<? extends T> source, int count, ItemHandler<? super T> handler) {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(handler, "handler");
        if (count < 1) {
            throw new IllegalArgumentException("count must be at least 1, but was " + count);
        }
        for (int i = 0; i < count; i++) {
            fork(() -> {
                T item;
                while ((item = PatternSupport.take(source)) != null) {
                    handler.handle(item);
                }
            });
        }
    }

    // ------------------------------------------------------------------------------------------------ outcome

    /**
     * Waits until every task of the scope has finished, then reports the failure, if any.
     *
     * <p>If the waiting thread is interrupted, the scope is cancelled, this method waits (uninterruptibly) until
     * every thread has finished and then throws {@link InterruptedException}. Call it from outside the scope: a task
     * that joins its own scope waits for itself.
     *
     * @throws InterruptedException if interrupted while waiting (the scope is then cancelled and finished)
     * @throws PipelineException if the scope failed or was cancelled; its cause is the first failure
     */
    public void join() throws InterruptedException {
        awaitFinished(-1);
        throwFailure();
    }

    /**
     * Waits at most {@code timeout} for every task to finish; if they have not, cancels the scope with a {@link
     * TimeoutException}, waits until every thread has finished, and reports it.
     *
     * @param timeout the deadline, from now
     * @throws InterruptedException if interrupted while waiting (the scope is then cancelled and finished)
     * @throws PipelineException if the scope failed, was cancelled or timed out; its cause says which
     * @throws NullPointerException if {@code timeout} is null
     */
    public void join(Duration timeout) throws InterruptedException {
        long nanos = PatternSupport.toNanos(Objects.requireNonNull(timeout, "timeout"));
        if (!awaitFinished(nanos)) {
            failWith(new TimeoutException("the scope did not finish within " + timeout), false);
            awaitFinishedUninterruptibly();
        }
        throwFailure();
    }

    /**
     * Cancels the scope: fails it with a {@link CancellationException}, unless it already failed. Owned channels are
     * closed with that cause and every thread of the scope is interrupted; returns without waiting for them ({@link
     * #join()} or {@link #close()} waits).
     */
    public void cancel() {
        failWith(new CancellationException("the scope was cancelled"), true);
    }

    /**
     * Returns whether the scope has failed or been cancelled.
     *
     * @return {@code true} once a failure, a cancellation or a timeout was recorded
     */
    public boolean isFailed() {
        lock.lock();
        try {
            return failure != null;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Closes the scope: no task may be forked any more; if tasks are still running the scope is cancelled; then waits,
     * uninterruptibly, until every thread has finished (an interrupt meanwhile is kept in the thread's interrupt
     * status). Like {@link #join()}, call it from outside the scope.
     *
     * <p>If a task failed and no {@link #join()} has reported it, this method throws it, so a failure is never lost;
     * the cancellation caused by closing a scope with running tasks is not reported. Idempotent.
     *
     * @throws PipelineException if a failure was not yet reported by {@code join}
     */
    @Override
    public void close() {
        boolean tasksRunning;
        lock.lock();
        try {
            closed = true;
            tasksRunning = running > 0;
        } finally {
            lock.unlock();
        }
        if (tasksRunning) {
            failWith(new CancellationException("the scope was closed while tasks were running"), true);
        }
        awaitFinishedUninterruptibly();
        lock.lock();
        try {
            if (failure == null || failureReported || failureIsCancellation) {
                return;
            }
            failureReported = true;
        } finally {
            lock.unlock();
        }
        throw new PipelineException("a task of the scope failed: " + failure, failure);
    }

    @Override
    public String toString() {
        lock.lock();
        try {
            return "ChannelScope[running=" + running + (failure == null ? "" : ", failed: " + failure)
                    + (closed ? ", closed]" : "]");
        } finally {
            lock.unlock();
        }
    }

    // ------------------------------------------------------------------------------------------------ internals

    /**
     * Forks one of several writers of {@code out}: the last one to return normally closes {@code out}. A writer that
     * throws records the failure <i>before</i> it stops counting as running, so no sibling can close {@code out}
     * normally in between (which would hide the failure from consumers).
     */
    void forkMember(ScopedTask body, AtomicInteger remaining, Channel<?> out) {
        fork(() -> {
            try {
                body.run();
            } catch (Throwable failed) {
                fail(failed);
                return;
            }
            if (remaining.decrementAndGet() == 0) {
                out.close();
            }
        });
    }

    /** Fails the scope with {@code failed} (unwrapped from a close cause), unless it already failed. */
    void fail(Throwable failed) {
        failWith(unwrap(failed), false);
    }

    /** Cancels the scope because its owner was interrupted, and waits until every thread has finished. */
    void cancelAndAwait() {
        failWith(new CancellationException("the thread waiting for the scope was interrupted"), true);
        awaitFinishedUninterruptibly();
    }

    /** Fails the scope because a deadline passed, unless it already failed. */
    void timeOut(String message) {
        failWith(new TimeoutException(message), false);
    }

    private static Throwable unwrap(Throwable failed) {
        Throwable cause = failed;
        while (cause instanceof ChannelClosedException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    private void runTask(ScopedTask task) {
        try {
            task.run();
        } catch (Throwable failed) {
            fail(failed);
        } finally {
            taskFinished(Thread.currentThread());
        }
    }

    private void taskFinished(Thread thread) {
        lock.lock();
        try {
            threads.remove(thread);
            exiting.add(thread);
            if (--running == 0) {
                allFinished.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    private void failWith(Throwable cause, boolean cancellation) {
        List<Channel<?>> toClose;
        List<Thread> toInterrupt;
        lock.lock();
        try {
            if (failure != null) {
                return;
            }
            failure = cause;
            failureIsCancellation = cancellation;
            toClose = new ArrayList<>(ownedChannels);
            toInterrupt = new ArrayList<>(threads);
        } finally {
            lock.unlock();
        }
        // Outside the lock: closing may run future callbacks, which may use this scope.
        for (Channel<?> channel : toClose) {
            channel.close(cause);
        }
        Thread self = Thread.currentThread();
        for (Thread thread : toInterrupt) {
            if (thread != self) {
                thread.interrupt();
            }
        }
    }

    /**
     * Waits for all tasks; {@code nanos < 0} means without limit. On interrupt, cancels the scope, waits for every
     * thread and rethrows.
     *
     * @return whether all tasks finished (false only on timeout)
     */
    // Error Prone's InterruptedInCatchBlock: clearing the status is deliberate here; the rethrown exception reports
    // the interrupt, and cancelAndAwait (which waits uninterruptibly) may have set the status again.
    @SuppressWarnings("InterruptedInCatchBlock")
    private boolean awaitFinished(long nanos) throws InterruptedException {
        try {
            lock.lockInterruptibly();
            try {
                long left = nanos;
                while (running > 0) {
                    if (nanos < 0) {
                        allFinished.await();
                    } else {
                        if (left <= 0) {
                            return false;
                        }
                        left = allFinished.awaitNanos(left);
                    }
                }
            } finally {
                lock.unlock();
            }
            joinExitingThreads();
            return true;
        } catch (InterruptedException interrupted) {
            cancelAndAwait();
            Thread.interrupted(); // the InterruptedException reports it; do not leave the status set as well
            throw interrupted;
        }
    }

    private void awaitFinishedUninterruptibly() {
        lock.lock();
        try {
            while (running > 0) {
                allFinished.awaitUninterruptibly();
            }
        } finally {
            lock.unlock();
        }
        joinExitingThreads();
    }

    /**
     * Waits until the threads whose task finished have terminated, so that "every thread has finished" holds
     * literally when join or close returns. They are past their last action, so this is short; an interrupt is kept
     * in the interrupt status.
     */
    private void joinExitingThreads() {
        List<Thread> toJoin;
        lock.lock();
        try {
            toJoin = new ArrayList<>(exiting);
            exiting.clear();
        } finally {
            lock.unlock();
        }
        boolean interrupted = false;
        for (Thread thread : toJoin) {
            while (true) {
                try {
                    thread.join();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void throwFailure() {
        Throwable failed;
        lock.lock();
        try {
            failed = failure;
            if (failed == null) {
                return;
            }
            failureReported = true;
        } finally {
            lock.unlock();
        }
        throw new PipelineException("the scope failed: " + failed, failed);
    }

    private static <T> void forward(Channel<? extends T> source, Sink<T> out) throws InterruptedException {
        T item;
        while ((item = PatternSupport.take(source)) != null) {
            out.put(item);
        }
    }
}
