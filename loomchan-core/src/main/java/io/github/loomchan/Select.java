package io.github.loomchan;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * Go's {@code select}: waits until one of several channel operations can proceed, performs exactly that one, and
 * returns the result of its callback.
 *
 * <pre>{@code
 * String result = Select.select(
 *         requests.onGet(request -> "handled " + handle(request)),
 *         results.onPut(nextResult, () -> "sent a result"),
 *         Select.timeout(Duration.ofSeconds(1), () -> "idle"));
 * }</pre>
 *
 * <p><b>Choice.</b> If several clauses are ready when {@code select} is called, the first one in argument order wins
 * (Go picks at random; a biased select is predictable and lets callers express priorities). If none is ready, the
 * call waits for the first to become ready; if a default clause ({@link #orElse}) is present it is taken instead of
 * waiting, and a {@link #timeout} clause is taken if nothing became ready in time.
 *
 * <p><b>Atomicity.</b> Exactly one clause completes: a get clause that was not chosen consumes nothing and a put
 * clause that was not chosen puts nothing. The check of all clauses is one atomic step, so a select never misses a
 * clause that was ready while it looked.
 *
 * <p><b>Closed channels.</b> A get clause on a closed and drained channel, and a put clause on a closed channel, are
 * ready; if such a clause is chosen, {@code select} throws {@link ChannelClosedException} (with the close cause).
 *
 * <p><b>Callbacks</b> run in the selecting thread after the chosen operation completed and without any lock held;
 * whatever they throw propagates out of {@code select}, the operation staying done.
 *
 * <p><b>Blocking and interruption.</b> If the thread is interrupted before or while it waits, {@code select} throws
 * {@link InterruptedException} and no clause completes, unless one completed at the same moment, in which case it
 * returns that clause's result with the interrupt status set.
 *
 * <p>This class is thread-safe: any number of threads may select over the same channels at once. A finished select
 * leaves no registration behind on any channel.
 */
public final class Select {
    private Select() {}

    /**
     * Waits until one of {@code clauses} can proceed, performs it and returns its callback's result.
     *
     * @param clauses channel clauses ({@link Channel#onGet}, {@link Channel#onPut}) and at most one of {@link
     *     #orElse} and {@link #timeout}
     * @param <R> the result type
     * @return the result of the chosen clause's callback
     * @throws InterruptedException if interrupted while waiting
     * @throws ChannelClosedException if the chosen clause is a get on a closed and drained channel or a put on a
     *     closed channel
     * @throws IllegalArgumentException if there is no clause, or more than one {@code orElse}/{@code timeout} clause
     * @throws NullPointerException if {@code clauses} or one of them is null
     */
    @SafeVarargs
    @SuppressWarnings("varargs") // the array is only read, through an unmodifiable view
    public static <R> R select(SelectClause<? extends R>... clauses) throws InterruptedException {
        return select(Arrays.asList(Objects.requireNonNull(clauses, "clauses")));
    }

    /**
     * Like {@link #select(SelectClause[])}, for a number of clauses known only at run time.
     *
     * @param clauses the clauses, in order of preference
     * @param <R> the result type
     * @return the result of the chosen clause's callback
     * @throws InterruptedException if interrupted while waiting
     * @throws ChannelClosedException if the chosen clause is a get on a closed and drained channel or a put on a
     *     closed channel
     * @throws IllegalArgumentException if there is no clause, or more than one {@code orElse}/{@code timeout} clause
     * @throws NullPointerException if {@code clauses} or one of them is null
     */
    public static <R> R select(List<? extends SelectClause<? extends R>> clauses) throws InterruptedException {
        return new Run<R>(clauses).select();
    }

    /**
     * Returns the default clause: taken, by calling {@code action}, when no other clause is ready at once (Go's
     * {@code default}). With it, {@code select} never waits.
     *
     * @param action computes the result of {@code select}
     * @param <R> the result type
     * @return a clause for {@code select}
     * @throws NullPointerException if {@code action} is null
     */
    public static <R> SelectClause<R> orElse(Supplier<? extends R> action) {
        return new DefaultClause<>(DefaultClause.NO_WAIT, action);
    }

    /**
     * Returns a timeout clause: taken, by calling {@code action}, when no other clause became ready within {@code
     * timeout}. A zero or negative timeout makes it behave like {@link #orElse}.
     *
     * @param timeout how long {@code select} waits at most
     * @param action computes the result of {@code select}
     * @param <R> the result type
     * @return a clause for {@code select}
     * @throws NullPointerException if {@code timeout} or {@code action} is null
     */
    public static <R> SelectClause<R> timeout(Duration timeout, Supplier<? extends R> action) {
        Objects.requireNonNull(timeout, "timeout");
        long nanos;
        if (timeout.isNegative() || timeout.isZero()) {
            nanos = 0;
        } else {
            try {
                nanos = timeout.toNanos();
            } catch (ArithmeticException overflow) {
                nanos = Long.MAX_VALUE;
            }
        }
        return new DefaultClause<>(nanos, action);
    }

    /** One select call: its validated clauses, its channels in lock order, and (if it waits) its waiters. */
    private static final class Run<R> {
        /** The channel clauses, in the caller's order; a clause's index here is its index in the Selection. */
        private final SelectClause<? extends R>[] clauses;

        private final DefaultClause<? extends R> fallback;

        /** The distinct channels of the clauses, sorted by id: the order in which their locks are taken. */
        private final BufferedChannel<?>[] channels;

        @SuppressWarnings("unchecked")
        Run(List<? extends SelectClause<? extends R>> all) {
            Objects.requireNonNull(all, "clauses");
            if (all.isEmpty()) {
                throw new IllegalArgumentException(
                        "select needs at least one clause: onGet, onPut, and optionally one orElse or timeout");
            }
            DefaultClause<? extends R> foundDefault = null;
            SelectClause<? extends R>[] channelClauses = (SelectClause<? extends R>[]) new SelectClause<?>[all.size()];
            BufferedChannel<?>[] involved = new BufferedChannel<?>[all.size()];
            int m = 0;
            int distinct = 0;
            for (SelectClause<? extends R> clause : all) {
                Objects.requireNonNull(clause, "select clause");
                BufferedChannel<?> channel;
                switch (clause) {
                    case DefaultClause<? extends R> d -> {
                        if (foundDefault != null) {
                            throw new IllegalArgumentException("select accepts at most one orElse or timeout clause,"
                                    + " but got " + foundDefault + " and " + d);
                        }
                        foundDefault = d;
                        continue;
                    }
                    case GetClause<?, ? extends R> g -> channel = g.channel();
                    case PutClause<?, ? extends R> p -> channel = p.channel();
                }
                channelClauses[m++] = clause;
                if (!contains(involved, distinct, channel)) {
                    involved[distinct++] = channel;
                }
            }
            this.clauses = Arrays.copyOf(channelClauses, m);
            this.fallback = foundDefault;
            BufferedChannel<?>[] sorted = Arrays.copyOf(involved, distinct);
            Arrays.sort(sorted, (a, b) -> Long.compare(a.id, b.id));
            this.channels = sorted;
        }

        private static boolean contains(BufferedChannel<?>[] array, int length, BufferedChannel<?> channel) {
            for (int i = 0; i < length; i++) {
                if (array[i] == channel) {
                    return true;
                }
            }
            return false;
        }

        R select() throws InterruptedException {
            boolean mayWait = fallback == null || fallback.timeoutNanos() > 0;
            Selection selection = null;
            SelectWaiter[] waiters = null;
            int winner = -1;
            Object result = null;
            lockAll();
            try {
                for (int i = 0; i < clauses.length; i++) {
                    result = tryNowLocked(clauses[i]);
                    if (result != BufferedChannel.EMPTY) {
                        winner = i;
                        break;
                    }
                }
                if (winner < 0 && mayWait) {
                    if (Thread.interrupted()) {
                        throw new InterruptedException("interrupted before select waited");
                    }
                    // Register on every channel before releasing any lock: whoever makes a clause ready afterwards
                    // must take that channel's lock, and then finds our waiter.
                    selection = new Selection(Thread.currentThread());
                    waiters = new SelectWaiter[clauses.length];
                    for (int i = 0; i < clauses.length; i++) {
                        waiters[i] = register(selection, i, clauses[i]);
                    }
                }
            } finally {
                unlockAll();
            }
            if (winner >= 0) {
                return complete(clauses[winner], result);
            }
            if (selection == null) {
                return fallback.action().get();
            }
            return await(selection, waiters);
        }

        /** Tries clause now; returns EMPTY if not ready, else the item (get), null (put), or CLOSED. */
        private Object tryNowLocked(SelectClause<? extends R> clause) {
            if (clause instanceof GetClause<?, ? extends R> get) {
                return get.channel().tryGetLocked();
            }
            PutClause<?, ? extends R> put = (PutClause<?, ? extends R>) clause;
            int status = put.channel().tryPutLocked(put.item());
            return switch (status) {
                case BufferedChannel.PUT_OK -> null;
                case BufferedChannel.PUT_CLOSED -> BufferedChannel.CLOSED;
                default -> BufferedChannel.EMPTY;
            };
        }

        private static SelectWaiter register(Selection selection, int index, SelectClause<?> clause) {
            if (clause instanceof GetClause<?, ?> get) {
                SelectWaiter waiter = new SelectWaiter(selection, index, get.channel(), get.channel().getters);
                waiter.queue.addLast(waiter);
                return waiter;
            }
            PutClause<?, ?> put = (PutClause<?, ?>) clause;
            SelectWaiter waiter = new SelectWaiter(selection, index, put.channel(), put.channel().putters);
            waiter.item = put.item();
            waiter.queue.addLast(waiter);
            return waiter;
        }

        private R await(Selection selection, SelectWaiter[] waiters) throws InterruptedException {
            boolean timed = fallback != null;
            long deadline = timed ? System.nanoTime() + fallback.timeoutNanos() : 0L;
            boolean virtual = Thread.currentThread().isVirtual();
            int spins = BufferedChannel.spinsBeforePark(virtual);
            int winner;
            while (true) {
                winner = selection.state; // volatile read: pairs with the winning claimer's CAS
                if (winner >= 0) {
                    break;
                }
                if (spins > 0) {
                    spins--;
                    BufferedChannel.spinOnce(virtual);
                    continue;
                }
                if (!selection.parking) {
                    selection.parking = true; // then re-check state; see ThreadWaiter#parking
                    continue;
                }
                boolean interrupted = Thread.interrupted();
                long remaining = timed ? deadline - System.nanoTime() : Long.MAX_VALUE;
                if (interrupted || remaining <= 0) {
                    if (selection.tryCancel()) {
                        unregister(waiters);
                        if (interrupted) {
                            throw new InterruptedException("interrupted while select waited");
                        }
                        return fallback.action().get();
                    }
                    if (interrupted) {
                        Thread.currentThread().interrupt(); // a clause won at the same moment: report it
                    }
                    winner = selection.state;
                    break;
                }
                if (timed) {
                    LockSupport.parkNanos(this, remaining);
                } else {
                    LockSupport.park(this);
                }
            }
            unregister(waiters);
            SelectWaiter won = waiters[winner];
            Object result =
                    switch (won.outcome) {
                        case Waiter.RECEIVED -> won.item;
                        case Waiter.TAKEN -> null;
                        default -> BufferedChannel.CLOSED;
                    };
            return complete(clauses[winner], result);
        }

        /** Unlinks every waiter of this select that is still queued; one lock at a time. */
        private static void unregister(SelectWaiter[] waiters) {
            for (SelectWaiter waiter : waiters) {
                BufferedChannel<?> channel = waiter.channel;
                channel.lock.lock();
                try {
                    waiter.queue.remove(waiter); // no-op if a claimer already unlinked it
                } finally {
                    channel.unlockAndWake();
                }
            }
        }

        private R complete(SelectClause<? extends R> clause, Object result) {
            if (clause instanceof GetClause<?, ? extends R> get) {
                return applyGet(get, result);
            }
            PutClause<?, ? extends R> put = (PutClause<?, ? extends R>) clause;
            if (result == BufferedChannel.CLOSED) {
                throw put.channel().closedForPut();
            }
            return put.onPut().get();
        }

        @SuppressWarnings("unchecked")
        private static <T, R> R applyGet(GetClause<T, R> get, Object result) {
            if (result == BufferedChannel.CLOSED) {
                throw get.channel().closedForGet();
            }
            return get.onItem().apply((T) result);
        }

        private void lockAll() {
            for (BufferedChannel<?> channel : channels) {
                channel.lock.lock();
            }
        }

        /**
         * Releases every lock first and only then wakes the waiters claimed under them: a future's callbacks must
         * never run while this thread still holds another channel's lock (they may wait for a thread that needs it).
         */
        private void unlockAll() {
            if (channels.length == 1) {
                channels[0].unlockAndWake();
                return;
            }
            Waiter[] claimed = new Waiter[channels.length];
            for (int i = channels.length - 1; i >= 0; i--) {
                claimed[i] = channels[i].unlockDeferringWakes();
            }
            for (Waiter list : claimed) {
                BufferedChannel.wakeAll(list);
            }
        }
    }
}
