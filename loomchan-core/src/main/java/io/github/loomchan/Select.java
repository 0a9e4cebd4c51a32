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
        /** The lock lists of a select of lock-free channels only (shared: empty arrays are never written). */
        private static final AbstractChannel<?>[] NO_CHANNELS = new AbstractChannel<?>[0];

        private static final boolean[] NO_SIDES = new boolean[0];

        /** The channel clauses, in the caller's order; a clause's index here is its index in the Selection. */
        private final SelectClause<? extends R>[] clauses;

        private final DefaultClause<? extends R> fallback;

        /** The distinct channels of the clauses, sorted by id. */
        private final AbstractChannel<?>[] channels;

        /**
         * The locks this select takes, in the order it takes them: {@code lockChannels[i]}'s put side if {@code
         * lockPutSide[i]}, else its take side. Sorted by (channel id, put side first), the same order as {@link
         * ArrayChannel}'s close, so two selects (or a select and a close) never wait for each other's locks. A channel
         * whose sides share one lock ({@link BufferedChannel}) appears once.
         */
        private final AbstractChannel<?>[] lockChannels;

        private final boolean[] lockPutSide;

        /**
         * Waiters of lock-free channels that this select claimed while it held locks, to wake once it holds none;
         * null if no clause is on a lock-free channel ({@link RendezvousChannel}).
         */
        private final RendezvousChannel.DeferredWakes wakes;

        @SuppressWarnings("unchecked")
        Run(List<? extends SelectClause<? extends R>> all) {
            Objects.requireNonNull(all, "clauses");
            if (all.isEmpty()) {
                throw new IllegalArgumentException(
                        "select needs at least one clause: onGet, onPut, and optionally one orElse or timeout");
            }
            DefaultClause<? extends R> foundDefault = null;
            SelectClause<? extends R>[] channelClauses = (SelectClause<? extends R>[]) new SelectClause<?>[all.size()];
            AbstractChannel<?>[] involved = new AbstractChannel<?>[all.size()];
            long[] lockKeys = null; // allocated at the first clause that needs a lock: none for lock-free channels
            int locks = 0;
            int m = 0;
            int distinct = 0;
            boolean anyLockFree = false;
            for (SelectClause<? extends R> clause : all) {
                Objects.requireNonNull(clause, "select clause");
                AbstractChannel<?> channel;
                boolean putSide;
                switch (clause) {
                    case DefaultClause<? extends R> d -> {
                        if (foundDefault != null) {
                            throw new IllegalArgumentException("select accepts at most one orElse or timeout clause,"
                                    + " but got " + foundDefault + " and " + d);
                        }
                        foundDefault = d;
                        continue;
                    }
                    case GetClause<?, ? extends R> g -> {
                        channel = g.channel();
                        putSide = false;
                    }
                    case PutClause<?, ? extends R> p -> {
                        channel = p.channel();
                        putSide = true;
                    }
                }
                channelClauses[m++] = clause;
                if (!contains(involved, distinct, channel)) {
                    involved[distinct++] = channel;
                }
                if (channel.lockFree()) {
                    anyLockFree = true;
                    continue; // no lock to take: checked and registered lock-free (RendezvousChannel, "Select")
                }
                if (lockKeys == null) {
                    lockKeys = new long[all.size() * 2]; // a put clause may need two locks
                }
                // key: id * 2, plus 1 for a take side of its own; ids are far below 2^62
                long key = channel.id * 2 + (channel.splitSides() && !putSide ? 1 : 0);
                if (!contains(lockKeys, locks, key)) {
                    lockKeys[locks++] = key;
                }
                // a put clause on a channel whose ring grows takes its take side's lock too (ArrayChannel, "Growing")
                if (putSide && channel.putNeedsBothLocks() && !contains(lockKeys, locks, key + 1)) {
                    lockKeys[locks++] = key + 1;
                }
            }
            this.wakes = anyLockFree ? new RendezvousChannel.DeferredWakes() : null;
            // Copies only where the arrays have spare room (a default clause, a channel named twice): a select
            // allocates on every call, so the common case keeps the arrays it built.
            this.clauses = m == channelClauses.length ? channelClauses : Arrays.copyOf(channelClauses, m);
            this.fallback = foundDefault;
            this.channels = distinct == involved.length ? involved : Arrays.copyOf(involved, distinct);
            if (locks == 0) {
                this.lockChannels = NO_CHANNELS;
                this.lockPutSide = NO_SIDES;
            } else {
                Arrays.sort(lockKeys, 0, locks); // in place: only the first `locks` entries are used
                this.lockChannels = new AbstractChannel<?>[locks];
                this.lockPutSide = new boolean[locks];
                for (int i = 0; i < locks; i++) {
                    lockChannels[i] = channelWithId(lockKeys[i] / 2);
                    lockPutSide[i] = lockKeys[i] % 2 == 0;
                }
            }
        }

        private AbstractChannel<?> channelWithId(long id) {
            for (AbstractChannel<?> channel : channels) {
                if (channel.id == id) {
                    return channel;
                }
            }
            throw new AssertionError("no channel with id " + id);
        }

        private static boolean contains(AbstractChannel<?>[] array, int length, AbstractChannel<?> channel) {
            for (int i = 0; i < length; i++) {
                if (array[i] == channel) {
                    return true;
                }
            }
            return false;
        }

        private static boolean contains(long[] array, int length, long key) {
            for (int i = 0; i < length; i++) {
                if (array[i] == key) {
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
                    if (result != AbstractChannel.EMPTY) {
                        winner = i;
                        break;
                    }
                }
                if (winner < 0 && mayWait) {
                    // No "interrupted before waiting" check here: on a channel with a lock per side (ArrayChannel)
                    // only one side's lock is held, so a clause seen not ready may become ready before an interrupt
                    // arrives, and withdrawing then would not be linearizable. Registering re-checks every clause;
                    // await sees a pending interrupt before it spins and withdraws unless a clause completed first.
                    // Register on every channel before releasing any lock: whoever makes a clause ready afterwards
                    // must take the lock of that clause's side, and then finds our waiter (for a channel with a
                    // lock per side, ArrayChannel's registration re-checks the other side's progress, Dekker-style).
                    // A lock-free channel's registration may find a counterpart that arrived after the check and
                    // complete that clause at once (RendezvousChannel, "Select"); registering stops once decided.
                    selection = new Selection(Thread.currentThread());
                    waiters = new SelectWaiter[clauses.length];
                    for (int i = 0; i < clauses.length; i++) {
                        if (waiters[i] != null) {
                            continue; // a lock-free channel's waiter, registered with an earlier clause
                        }
                        if (channelOf(clauses[i]) instanceof RendezvousChannel<?> lockFree) {
                            if (lockFree.registerSelect(lockFreeWaiter(selection, i, lockFree, waiters), wakes)) {
                                break;
                            }
                        } else {
                            waiters[i] = register(selection, i, clauses[i]);
                        }
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
            if (channelOf(clause) instanceof RendezvousChannel<?> lockFree) {
                return clause instanceof PutClause<?, ? extends R> put
                        ? lockFree.selectNow(true, put.item(), wakes)
                        : lockFree.selectNow(false, null, wakes);
            }
            if (clause instanceof GetClause<?, ? extends R> get) {
                return get.channel().tryGetLocked();
            }
            PutClause<?, ? extends R> put = (PutClause<?, ? extends R>) clause;
            int status = put.channel().tryPutLocked(put.item());
            return switch (status) {
                case AbstractChannel.PUT_OK -> null;
                case AbstractChannel.PUT_CLOSED -> AbstractChannel.CLOSED;
                default -> AbstractChannel.EMPTY;
            };
        }

        private static AbstractChannel<?> channelOf(SelectClause<?> clause) {
            return clause instanceof GetClause<?, ?> get ? get.channel() : ((PutClause<?, ?>) clause).channel();
        }

        /**
         * The one waiter of this select on a lock-free channel: for its first put clause there (with that item) and
         * its first get clause there, both modes if it has both (a later clause of the same kind on the same channel
         * could never win: the earlier one is matched first). Stored in {@code waiters} at every clause on that
         * channel, from {@code first} on.
         */
        private SelectWaiter lockFreeWaiter(
                Selection selection, int first, AbstractChannel<?> channel, SelectWaiter[] waiters) {
            int putClause = -1;
            int getClause = -1;
            for (int j = first; j < clauses.length; j++) {
                if (channelOf(clauses[j]) == channel) {
                    if (clauses[j] instanceof PutClause<?, ?>) {
                        putClause = putClause < 0 ? j : putClause;
                    } else {
                        getClause = getClause < 0 ? j : getClause;
                    }
                }
            }
            SelectWaiter waiter;
            if (putClause >= 0) {
                waiter = new SelectWaiter(selection, putClause, channel, ChannelFuture.Kind.PUT);
                waiter.item = ((PutClause<?, ?>) clauses[putClause]).item();
                waiter.mode = Waiter.PUT_MODE;
                if (getClause >= 0) {
                    waiter.getClause = getClause;
                    waiter.mode = RendezvousChannel.BOTH_MODES;
                }
            } else {
                waiter = new SelectWaiter(selection, getClause, channel, ChannelFuture.Kind.GET);
                waiter.mode = Waiter.GET_MODE;
            }
            for (int j = first; j < clauses.length; j++) {
                if (channelOf(clauses[j]) == channel) {
                    waiters[j] = waiter;
                }
            }
            return waiter;
        }

        private static SelectWaiter register(Selection selection, int index, SelectClause<?> clause) {
            if (clause instanceof GetClause<?, ?> get) {
                SelectWaiter waiter = new SelectWaiter(selection, index, get.channel(), ChannelFuture.Kind.GET);
                get.channel().addSelectWaiterLocked(waiter, false);
                return waiter;
            }
            PutClause<?, ?> put = (PutClause<?, ?>) clause;
            SelectWaiter waiter = new SelectWaiter(selection, index, put.channel(), ChannelFuture.Kind.PUT);
            waiter.item = put.item();
            put.channel().addSelectWaiterLocked(waiter, true);
            return waiter;
        }

        private R await(Selection selection, SelectWaiter[] waiters) throws InterruptedException {
            boolean timed = fallback != null;
            long deadline = timed ? System.nanoTime() + fallback.timeoutNanos() : 0L;
            Thread self = Thread.currentThread();
            boolean virtual = self.isVirtual();
            // The channel whose adaptive spin budget this wait uses and adapts; none for a select of only a timeout
            // clause, which has nothing to spin for.
            AbstractChannel<?> hint = channels.length == 0 ? null : channels[0];
            // A virtual thread's select yields once before it parks whatever its channels' capacities: its clauses'
            // counterparts are several threads, and one of them usually runs during the yield (select over 2 and 8
            // rendezvous channels measured 4-7% slower when it parked at once; performance notes, section 17).
            int budget = hint == null ? 0 : virtual ? AbstractChannel.VIRTUAL_YIELDS : hint.spinsBeforePark(false);
            int spins = timed ? (int) Math.min(budget, Math.max(0L, deadline - System.nanoTime()) >> 6) : budget;
            // As in AbstractChannel#await: an interrupt pending before the wait skips the spin and says nothing
            // about spinning; the parking branch withdraws.
            boolean adapt = !virtual && hint != null;
            if (self.isInterrupted()) {
                spins = 0;
                adapt = false;
            }
            int winner;
            while (true) {
                winner = selection.state; // volatile read: pairs with the winning claimer's CAS or release store
                if (winner == Selection.FILLING) {
                    winner = selection.awaitDecided(); // never park on FILLING: the claimer is two stores away
                }
                if (winner >= 0) {
                    if (adapt && !selection.parking) {
                        hint.adaptSpins(budget, true);
                    }
                    break;
                }
                if (spins > 0) {
                    spins--;
                    AbstractChannel.spinOnce(virtual);
                    continue;
                }
                if (!selection.parking) {
                    if (adapt) {
                        hint.adaptSpins(budget, false);
                    }
                    selection.parking = true; // then re-check state; see ThreadWaiter#parking
                    continue;
                }
                boolean interrupted = Thread.interrupted();
                long remaining = timed ? deadline - System.nanoTime() : Long.MAX_VALUE;
                if (interrupted || remaining <= 0) {
                    serveInFlight(selection, waiters);
                    if (!closedLockFreeChannel(waiters) && selection.tryCancel()) {
                        unregister(waiters);
                        forget(selection, waiters);
                        if (interrupted) {
                            throw new InterruptedException("interrupted while select waited");
                        }
                        return fallback.action().get();
                    }
                    if (interrupted) {
                        Thread.currentThread().interrupt(); // a clause won at the same moment: report it
                    }
                    winner = selection.awaitDecided();
                    assert winner >= 0 : "a select that may not withdraw is decided";
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
                        default -> AbstractChannel.CLOSED;
                    };
            if (result == AbstractChannel.CLOSED) {
                won.channel.closeObserved(); // rule C1 of RendezvousChannel "Closing" (a no-op on locked channels)
            }
            forget(selection, waiters);
            return complete(clauses[winner], result);
        }

        /**
         * Rule H1 of ArrayChannel for a select about to give up: on each channel with a lock per side, runs the
         * handoffs to the select's side that another section has already made possible, which may decide the select
         * (then the withdrawal's CAS fails and the select reports that clause). Without it, a select could time out
         * while an item stored for it (seen as "full" by a concurrent offer) was still on its way.
         *
         * <p>The locks are released before the CAS. If the CAS still succeeds, nobody claimed the select since the
         * serves looked, and each serve found nothing owed to it: the withdrawal linearizes at the first of those
         * looks, and whatever the other sides stored or freed after it was not the select's.
         */
        private static void serveInFlight(Selection selection, SelectWaiter[] waiters) {
            // This thread parks no more: a claim by one of these serves must not unpark it (a stray permit).
            selection.parking = false;
            for (SelectWaiter waiter : waiters) {
                if (waiter != null) { // a no-op on channels without a lock per side
                    waiter.channel.serveInFlight(waiter.kind == ChannelFuture.Kind.PUT);
                }
            }
        }

        /**
         * Rule C2 of RendezvousChannel "Closing" for a select about to give up: if a lock-free channel it waits on
         * is closed, it finishes that close, whose pass claims its waiter there unless the select was decided first,
         * and the select must not withdraw. Returns whether it found one; then the select is decided.
         *
         * <p>If it finds none, each channel's closed read false, and since closed never goes back to false, all of
         * them were open at the first read: the withdrawal (the CAS that follows) linearizes there.
         */
        private static boolean closedLockFreeChannel(SelectWaiter[] waiters) {
            for (SelectWaiter waiter : waiters) {
                if (waiter != null && waiter.channel.lockFree() && waiter.channel.closed) { // volatile read
                    waiter.channel.closeObserved();
                    return true;
                }
            }
            return false;
        }

        /**
         * Unlinks every waiter of this select that is still queued; one lock at a time. Entries are null for clauses
         * not registered (a lock-free registration decided the select first).
         */
        private static void unregister(SelectWaiter[] waiters) {
            for (SelectWaiter waiter : waiters) {
                if (waiter != null) {
                    waiter.channel.unlink(waiter, waiter.kind); // no-op if a claimer already unlinked it
                }
            }
        }

        /**
         * Drops what the waiters carry once the select is decided and its result read: a waiter on a lock-free
         * channel may stay behind as that channel's front node (RendezvousChannel, "Withdrawal and cleaning").
         * Nobody reads them any more: every claim of this select's waiters ended before the decision was visible.
         */
        private static void forget(Selection selection, SelectWaiter[] waiters) {
            selection.thread = null;
            for (SelectWaiter waiter : waiters) {
                if (waiter != null) {
                    waiter.item = null;
                }
            }
        }

        private R complete(SelectClause<? extends R> clause, Object result) {
            if (clause instanceof GetClause<?, ? extends R> get) {
                return applyGet(get, result);
            }
            PutClause<?, ? extends R> put = (PutClause<?, ? extends R>) clause;
            if (result == AbstractChannel.CLOSED) {
                throw put.channel().closedForPut();
            }
            return put.onPut().get();
        }

        @SuppressWarnings("unchecked")
        private static <T, R> R applyGet(GetClause<T, R> get, Object result) {
            if (result == AbstractChannel.CLOSED) {
                throw get.channel().closedForGet();
            }
            return get.onItem().apply((T) result);
        }

        private void lockAll() {
            for (int i = 0; i < lockChannels.length; i++) {
                lockChannels[i].lockSide(lockPutSide[i]);
            }
        }

        /**
         * Releases every lock first and only then wakes the waiters claimed under them: a future's callbacks must
         * never run while this thread still holds another channel's lock (they may wait for a thread that needs it).
         * Then lets each channel finish what the select's moves owe it (ArrayChannel serves the other side).
         */
        private void unlockAll() {
            int n = lockChannels.length;
            if (n == 1) {
                AbstractChannel.wakeAll(lockChannels[0].unlockSideDeferringWakes(lockPutSide[0]));
            } else if (n > 1) { // n == 0: only lock-free channels, no lock to release
                Waiter[] claimed = new Waiter[n];
                for (int i = n - 1; i >= 0; i--) {
                    claimed[i] = lockChannels[i].unlockSideDeferringWakes(lockPutSide[i]);
                }
                for (Waiter list : claimed) {
                    AbstractChannel.wakeAll(list);
                }
            }
            if (wakes != null) {
                wakes.wakeAll(); // lock-free claims made while this select held locks
            }
            for (AbstractChannel<?> channel : channels) {
                channel.afterSelect();
            }
        }
    }
}
