package io.github.loomchan;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The one-lock implementation of {@link Channel}: rendezvous (capacity 0) and buffered channels whose capacity is
 * above {@value AbstractChannel#SPLIT_MAX_CAPACITY} (their ring grows on demand). Smaller buffered channels and
 * unbounded ones are {@link ArrayChannel}s, with a lock per side.
 */
final class BufferedChannel<T> extends AbstractChannel<T> {
    /*
     * Implementation overview
     * =======================
     *
     * Overview
     * --------
     * Go's design (runtime/chan.go), adapted to threads that park and to futures: one lock per channel guards a ring
     * buffer and three FIFO queues of waiters. Every operation takes the lock once, decides, and releases it;
     * nothing ever blocks while holding it (waiting happens after the release, on the waiter's own state), and
     * nothing foreign runs under it (futures are completed and threads unparked after the release).
     *
     *     lock ─┬─ buffer:    items[head], items[head+1], ... (count items, a power-of-two ring, grown lazily)
     *           ├─ putters:   waiters of put / offer(timeout) / putAsync / select onPut, each holding its item
     *           ├─ getters:   waiters of get / poll(timeout) / getAsync / select onGet
     *           ├─ joiners:   waiters of join / join(timeout) / joinAsync
     *           ├─ closed, closeCause
     *           └─ wakeList:  waiters claimed during this critical section, to wake after unlocking
     *
     * The vocabulary: a *waiter* (class Waiter) is a blocked operation; a counterpart *claims* it (a CAS on the
     * waiter's state, see Waiter), which completes it; its owner may instead *withdraw* it (interrupt, timeout,
     * cancelled future) with the competing CAS. Exactly one of the two succeeds, which is what makes interrupts and
     * cancellations safe: an item is handed over only to a getter whose claim succeeded, and taken only from a
     * putter whose claim succeeded.
     *
     * Operations under the lock (the only places that change the state):
     *
     *   tryPutLocked(item):  closed?               -> CLOSED
     *                        claim a getter?       -> hand the item straight to it (no buffer round trip), OK
     *                        count < capacity?     -> append to the buffer, OK
     *                        else                  -> FULL
     *   tryGetLocked():      count > 0?            -> take the head; if a putter waits, claim it and append its
     *                                                 item (the buffer was full, so FIFO is kept), return the item
     *                        claim a putter?       -> take its item (rendezvous; buffered channels have no putters
     *                                                 when empty), return it
     *                        closed?               -> CLOSED (done)
     *                        else                  -> EMPTY
     *   close:               closed = true; claim every putter with CLOSED; if count == 0, claim every getter and
     *                        joiner with CLOSED (the channel is done).
     *   becoming done:       a take that leaves count == 0 on a closed channel claims every joiner.
     *
     * A blocking operation that gets FULL/EMPTY queues a waiter before releasing the lock, then waits for the claim.
     * "Claim X?" means: poll waiters from X's head until one tryClaim() succeeds; failed ones were withdrawn or
     * belong to a select that completed elsewhere, and are dropped (they are already unlinked by the poll).
     *
     * Invariants (with the lock held, counting only waiters that can still be claimed, "live" ones):
     *   I1  live getters exist   =>  count == 0 and no live putter exists
     *   I2  live putters exist   =>  count == capacity and no live getter exists, and the channel is open
     *   I3  closed and count == 0  =>  no live getter and no live joiner exist
     *   I4  0 <= count <= capacity; the buffer holds exactly the items of successful puts not yet taken, in the
     *       order those puts took effect.
     * Proof sketch: a waiter is queued only after its operation found FULL/EMPTY (so I1/I2 held their premises
     * then), and every transition that would break I1/I2 (a put into an empty channel with getters; a get from a
     * full channel with putters) first claims from the opposite queue. Close claims putters (I2) and, if empty,
     * getters and joiners (I3); a take reaching count == 0 after close claims joiners (no live getters can exist
     * while count > 0, by I1). Waiters that cannot be claimed any more are harmless: every scan skips them.
     *
     * Closing
     * -------
     * close is one critical section: after it, tryPutLocked answers CLOSED at once, and no putter is left queued
     * (the item of a putter claimed with CLOSED is never enqueued). Getters keep receiving the buffer; the take that
     * empties it wakes the joiners; getters arriving after that see CLOSED.
     *
     * Interruption, timeouts, cancelled futures
     * -----------------------------------------
     * The owner withdraws with the CAS WAITING -> CANCELLED (OwnedWaiter.tryCancel for threads and futures,
     * Selection.tryCancel), then takes the lock to unlink the waiter. If the CAS fails, a counterpart claimed the
     * waiter first: the operation has completed, and the owner reports its outcome (keeping the interrupt status
     * set). Because a counterpart only ever completes a waiter it claimed, a withdrawn waiter consumes no wake-up
     * and leaves no other waiter asleep: there is no "wake the next in line" problem to solve.
     *
     * Waking
     * ------
     * Claimed waiters are pushed on wakeList under the lock and woken after the release (unlockAndWake): unpark for
     * threads, completion for futures. This keeps foreign code (future callbacks) out of the critical section (a
     * select holding several locks releases all of them before waking anyone), and
     * keeps the unpark system call out of it too. The woken thread re-reads its waiter's state, so a wake-up that
     * arrives before it parked (the permit) or a spurious one is harmless. Before parking, a waiting virtual thread
     * yields its carrier once (the counterpart is usually queued on that carrier; not on a channel of capacity 1,
     * or a rendezvous channel whose spins miss, see VIRTUAL_YIELDS) and a platform thread spins a little; both catch the common handoff where the counterpart arrives at once (see VIRTUAL_YIELDS). On a
     * rendezvous channel whose recent spins caught their handoffs, a virtual thread spins before its yield ("Spinning
     * for a running counterpart" in AbstractChannel).
     * Before its first park it announces `parking` (a volatile write followed by one more check of its state); a
     * claimer unparks only announced waiters, so a handoff caught while spinning costs no unpark at all (the
     * Dekker-style argument is on ThreadWaiter.parking; LinkedTransferQueue uses the same idea).
     *
     * Size accounting
     * ---------------
     * count changes only under the lock, at the moment an item enters or leaves the buffer; an item handed straight
     * from a putter to a getter never enters the buffer and is never counted. size(), isEmpty(), isFull() and
     * isDone() read it without the lock. It is stored with release mode and loaded with acquire mode instead of
     * volatile: a volatile store costs a full fence on x86, twice per offer+poll pair, and measured about a third
     * of the uncontended offer+poll time here (roughly 200 -> 130 ns per pair, noisy 2-core machine, quick
     * benchmark against ArrayBlockingQueue in the same run). What a lock-free reader gets:
     *   - a value count really had (coherence), so never below 0 nor above capacity;
     *   - once a thread has observed closed == true (volatile, written under the lock after every earlier count
     *     store), a count no older than the close; since count never grows after close, "closed, then 0" means
     *     done (isDone);
     *   - the newest value in practice: every count store is followed, before the lock is released, by the
     *     unlock's volatile write (a fence on x86, an ordered store on AArch64), so it is visible to every core
     *     by the time the operation returns. The JMM by itself does not promise recency for acquire loads; the
     *     exact-size claim of the API rests on this plus the fact that every value read is a real one.
     *
     * Memory ordering
     * ---------------
     * - Item publication through the buffer: the putter writes items[] under the lock; the getter reads it under the
     *   same lock: unlock/lock happens-before.
     * - Item publication through a waiter: the claimer writes waiter.item/outcome, then CASes the waiter's state
     *   (volatile); the owner reads the state (volatile) before reading item/outcome. For a putter's item, the owner
     *   wrote it before queuing the waiter under the lock; the claimer reads it under the same lock.
     * - closed is written under the lock and is volatile so that isClosed()/isDone() need no lock; isDone reads
     *   closed before count: once closed, count never grows, so "closed, then count == 0" means done at that read.
     * - closeCause is written before closed (volatile) and read only after reading closed == true or under the lock.
     *
     * Select
     * ------
     * Select locks all its channels in order of their id (no deadlock between selects; for an ArrayChannel it takes
     * only the side a clause needs, put side before take side), runs tryGetLocked / tryPutLocked on its clauses in
     * order, and if none is ready queues one SelectWaiter per clause before it releases any lock, so no readiness
     * can slip between the check and the registration (ArrayChannel re-checks the other side, Dekker-style). All SelectWaiters of one
     * select share one claim (Selection). After it wakes, the selecting thread unlinks its waiters from every
     * channel, so a loop of selects leaves nothing behind.
     *
     * Differences from Go, Kotlin and jox
     * -----------------------------------
     * Go parks goroutines with the channel lock handed to the scheduler; here parking happens after the release,
     * guarded by the claim CAS. Kotlin and jox are lock-free (Koval et al., PPoPP'23), with counters that count
     * attempts, so they cannot give an exact size; this channel counts completed moves under the lock and can.
     */

    /** Ring length allocated up front for capacities up to this; larger buffers grow on demand. */
    private static final int EAGER_RING = 1024;

    /** Initial ring length of channels whose buffer grows on demand. */
    private static final int LAZY_RING = 16;

    /** The largest ring: a power of two that Java arrays can hold. */
    private static final int MAX_RING = 1 << 30;

    /** Guards every field below that is not final, except where a field says otherwise. */
    final ReentrantLock lock = new ReentrantLock();

    /**
     * The ring buffer. Invariants: length is 0 (rendezvous) or a power of two; items[(head + i) & mask] for i in
     * [0, count) are the buffered items, oldest first; every other slot is null (taken items are cleared so the
     * channel does not keep them alive).
     */
    private Object[] items;

    /** Index of the oldest item. */
    private int head;

    /**
     * Number of buffered items. Written only under the lock, with release stores ({@link #setCount}); read under the
     * lock plainly, and without it with acquire loads ({@link #countAcquire}); see "Size accounting". Invariants:
     * 0 <= count <= capacity, count <= items.length.
     */
    private int count;

    final WaiterQueue putters = new WaiterQueue();
    final WaiterQueue getters = new WaiterQueue();
    private final WaiterQueue joiners = new WaiterQueue();

    /**
     * Waiters claimed in the current critical section, linked through {@link Waiter#wakeNext}; detached and woken by
     * {@link #unlockAndWake()}. Invariants: null whenever the lock is free.
     */
    private Waiter wakeList;

    BufferedChannel(int capacity) {
        super(capacity);
        assert capacity >= 0;
        if (capacity == 0) {
            items = new Object[0];
        } else {
            items = new Object[initialRingLength(capacity)];
        }
    }

    private static int initialRingLength(int capacity) {
        return capacity <= EAGER_RING ? ringLengthFor(capacity) : LAZY_RING;
    }

    /** The smallest power of two >= n, at most MAX_RING. */
    private static int ringLengthFor(int n) {
        if (n >= MAX_RING) {
            return MAX_RING;
        }
        return n <= 1 ? 1 : Integer.highestOneBit(n - 1) << 1;
    }

    // ================================================================================================ select hooks
    // One lock guards both sides, so the side arguments are ignored.

    @Override
    boolean splitSides() {
        return false;
    }

    @Override
    void lockSide(boolean putSide) {
        lock.lock();
    }

    @Override
    Waiter unlockSideDeferringWakes(boolean putSide) {
        return unlockDeferringWakes();
    }

    @Override
    void addSelectWaiterLocked(SelectWaiter waiter, boolean putSide) {
        (putSide ? putters : getters).addLast(waiter);
    }

    @Override
    void afterSelect() {
        // nothing: every handoff happened under the lock
    }

    // ================================================================================================ core steps
    // Every method in this section requires the lock to be held.

    @Override
    int tryPutLocked(Object item) {
        if (closed) {
            return PUT_CLOSED;
        }
        // I1: getters wait only when count == 0, so handing the item to the first live one keeps FIFO.
        for (Waiter getter; (getter = getters.pollFirst()) != null; ) {
            getter.item = item; // speculative: read by the owner only if the claim below succeeds
            getter.outcome = Waiter.RECEIVED;
            if (getter.tryClaim()) {
                pushWake(getter);
                return PUT_OK;
            }
        }
        int n = count;
        if (n < capacity) {
            Object[] ring = items;
            if (n == ring.length) {
                ring = grow();
            }
            ring[(head + n) & (ring.length - 1)] = item;
            setCount(n + 1); // the linearization point of the put for lock-free readers of count
            return PUT_OK;
        }
        return PUT_FULL;
    }

    @Override
    Object tryGetLocked() {
        int n = count;
        if (n > 0) {
            Object[] ring = items;
            int mask = ring.length - 1;
            int h = head;
            Object item = ring[h];
            ring[h] = null;
            head = (h + 1) & mask;
            n--;
            // I2: putters wait only while the buffer is full; refill the slot just freed from the first live one.
            for (Waiter putter; (putter = putters.pollFirst()) != null; ) {
                putter.outcome = Waiter.TAKEN;
                if (putter.tryClaim()) {
                    ring[(head + n) & mask] = putter.item;
                    n++;
                    pushWake(putter);
                    break;
                }
            }
            setCount(n);
            if (n == 0) {
                onEmptied(ring);
            }
            return item;
        }
        // Empty buffer: only a rendezvous channel can have putters here (I2).
        for (Waiter putter; (putter = putters.pollFirst()) != null; ) {
            putter.outcome = Waiter.TAKEN;
            if (putter.tryClaim()) {
                pushWake(putter);
                return putter.item;
            }
        }
        return closed ? CLOSED : EMPTY;
    }

    /** The buffer just became empty: wake joiners if the channel is closed, and give back an oversized ring. */
    private void onEmptied(Object[] ring) {
        if (closed) {
            claimAll(joiners, Waiter.CLOSED);
        }
        if (ring.length > EAGER_RING && ring.length > initialRingLength(capacity)) {
            items = new Object[initialRingLength(capacity)];
            head = 0;
        }
    }

    /** Doubles the ring (it is full and count < capacity); the items are copied to the start of the new ring. */
    private Object[] grow() {
        Object[] old = items;
        int n = count;
        if (old.length >= MAX_RING) {
            throw new OutOfMemoryError(
                    "a channel cannot buffer more than " + MAX_RING + " items; this one holds " + n + " already");
        }
        Object[] ring = new Object[ringLengthFor(Math.min(capacity, old.length * 2))];
        int first = Math.min(n, old.length - head);
        System.arraycopy(old, head, ring, 0, first);
        System.arraycopy(old, 0, ring, first, n - first);
        items = ring;
        head = 0;
        return ring;
    }

    /** Claims every live waiter of {@code queue} with {@code outcome} and schedules its wake-up. */
    private void claimAll(WaiterQueue queue, int outcome) {
        for (Waiter w; (w = queue.pollFirst()) != null; ) {
            w.outcome = outcome;
            if (w.tryClaim()) {
                pushWake(w);
            }
        }
    }

    private void pushWake(Waiter waiter) {
        waiter.wakeNext = wakeList;
        wakeList = waiter;
    }

    /** Releases the lock, then wakes the waiters claimed while it was held (outside the lock, see "Waking"). */
    void unlockAndWake() {
        Waiter claimed = wakeList;
        if (claimed == null) {
            lock.unlock();
            return;
        }
        wakeList = null;
        lock.unlock();
        wakeAll(claimed);
    }

    /**
     * Releases the lock and returns the waiters claimed while it was held, for the caller to pass to {@link
     * #wakeAll} once it holds no lock at all (a select holding several channels' locks).
     */
    Waiter unlockDeferringWakes() {
        Waiter claimed = wakeList;
        wakeList = null;
        lock.unlock();
        return claimed;
    }

    @Override
    void unlink(Waiter waiter, ChannelFuture.Kind kind) {
        WaiterQueue queue =
                switch (kind) {
                    case PUT -> putters;
                    case GET -> getters;
                    case JOIN -> joiners;
                };
        unlink(waiter, queue);
    }

    void unlink(Waiter waiter, WaiterQueue queue) {
        lock.lock();
        try {
            queue.remove(waiter);
        } finally {
            unlockAndWake();
        }
    }

    @Override
    boolean send(T item, boolean timed, long nanos) throws InterruptedException {
        Objects.requireNonNull(item, "item");
        ThreadWaiter waiter;
        lock.lock();
        try {
            int result = tryPutLocked(item);
            if (result == PUT_OK) {
                return true;
            }
            if (result == PUT_CLOSED) {
                throw closedForPut();
            }
            if (timed && nanos <= 0) {
                return false;
            }
            if (Thread.interrupted()) {
                throw new InterruptedException("interrupted before waiting to put");
            }
            waiter = new ThreadWaiter(Thread.currentThread());
            waiter.item = item;
            putters.addLast(waiter);
        } finally {
            unlockAndWake();
        }
        long deadline = timed ? System.nanoTime() + nanos : 0L;
        return putOutcome(await(waiter, ChannelFuture.Kind.PUT, timed, deadline));
    }

    @Override
    Object receive(boolean timed, long nanos) throws InterruptedException {
        ThreadWaiter waiter;
        lock.lock();
        try {
            Object result = tryGetLocked();
            if (result != EMPTY) {
                return result;
            }
            if (timed && nanos <= 0) {
                return TIMED_OUT;
            }
            if (Thread.interrupted()) {
                throw new InterruptedException("interrupted before waiting to get");
            }
            waiter = new ThreadWaiter(Thread.currentThread());
            getters.addLast(waiter);
        } finally {
            unlockAndWake();
        }
        long deadline = timed ? System.nanoTime() + nanos : 0L;
        return getOutcome(waiter, await(waiter, ChannelFuture.Kind.GET, timed, deadline));
    }

    // ================================================================================================ Channel API

    @Override
    public boolean offer(T item) {
        Objects.requireNonNull(item, "item");
        int result;
        lock.lock();
        try {
            result = tryPutLocked(item);
        } finally {
            unlockAndWake();
        }
        if (result == PUT_CLOSED) {
            throw closedForPut();
        }
        return result == PUT_OK;
    }

    @Override
    public CompletableFuture<Void> putAsync(T item) {
        Objects.requireNonNull(item, "item");
        ChannelFuture<Void> future;
        lock.lock();
        try {
            int result = tryPutLocked(item);
            if (result == PUT_OK) {
                return CompletableFuture.completedFuture(null);
            }
            if (result == PUT_CLOSED) {
                return CompletableFuture.failedFuture(closedForPut());
            }
            future = new ChannelFuture<>(this, ChannelFuture.Kind.PUT);
            future.waiter().item = item;
            putters.addLast(future.waiter());
        } finally {
            unlockAndWake();
        }
        return future;
    }

    @Override
    Object takeNow() {
        lock.lock();
        try {
            return tryGetLocked();
        } finally {
            unlockAndWake();
        }
    }

    @Override
    public CompletableFuture<T> getAsync() {
        ChannelFuture<T> future;
        lock.lock();
        try {
            Object result = tryGetLocked();
            if (result == CLOSED) {
                return CompletableFuture.failedFuture(closedForGet());
            }
            if (result != EMPTY) {
                @SuppressWarnings("unchecked")
                T item = (T) result;
                return CompletableFuture.completedFuture(item);
            }
            future = new ChannelFuture<>(this, ChannelFuture.Kind.GET);
            getters.addLast(future.waiter());
        } finally {
            unlockAndWake();
        }
        return future;
    }

    @Override
    public int drainTo(Collection<? super T> target, int max) {
        Objects.requireNonNull(target, "target");
        int moved = 0;
        lock.lock();
        try {
            while (moved < max) {
                if (count > 0) {
                    // Add before taking, so that an add that throws leaves the item in the channel.
                    @SuppressWarnings("unchecked")
                    T item = (T) items[head];
                    target.add(item);
                    tryGetLocked();
                } else {
                    Object result = tryGetLocked(); // rendezvous: a waiting putter, else EMPTY/CLOSED
                    if (result == EMPTY || result == CLOSED) {
                        break;
                    }
                    @SuppressWarnings("unchecked")
                    T item = (T) result;
                    target.add(item);
                }
                moved++;
            }
        } finally {
            unlockAndWake();
        }
        return moved;
    }

    @Override
    void closeWith(Throwable cause) {
        lock.lock();
        try {
            if (closed) {
                return; // idempotent: the first close and its cause stay
            }
            closeCause = cause; // before the volatile write of closed; see "Memory ordering"
            closed = true;
            claimAll(putters, Waiter.CLOSED); // I2/I3: no putter survives a close; their items are not enqueued
            if (count == 0) {
                claimAll(getters, Waiter.CLOSED); // done now (I3)
                claimAll(joiners, Waiter.CLOSED);
            }
        } finally {
            unlockAndWake();
        }
    }

    @Override
    public boolean isDone() {
        // closed before count: once closed, count never grows, so this is "done" at the moment count is read.
        return closed && countAcquire() == 0;
    }

    @Override
    boolean awaitDone(boolean timed, long nanos) throws InterruptedException {
        if (isDone()) {
            return true;
        }
        ThreadWaiter waiter;
        lock.lock();
        try {
            if (closed && count == 0) {
                return true;
            }
            if (timed && nanos <= 0) {
                return false;
            }
            if (Thread.interrupted()) {
                throw new InterruptedException("interrupted before waiting for the channel to be done");
            }
            waiter = new ThreadWaiter(Thread.currentThread());
            joiners.addLast(waiter);
        } finally {
            unlockAndWake();
        }
        return joinOutcome(await(waiter, ChannelFuture.Kind.JOIN, timed, timed ? System.nanoTime() + nanos : 0L));
    }

    @Override
    public CompletableFuture<Void> joinAsync() {
        ChannelFuture<Void> future;
        lock.lock();
        try {
            if (closed && count == 0) {
                return CompletableFuture.completedFuture(null);
            }
            future = new ChannelFuture<>(this, ChannelFuture.Kind.JOIN);
            joiners.addLast(future.waiter());
        } finally {
            unlockAndWake();
        }
        return future;
    }

    @Override
    public int size() {
        return countAcquire();
    }

    @Override
    public boolean isEmpty() {
        return countAcquire() == 0;
    }

    @Override
    public boolean isFull() {
        return countAcquire() >= capacity;
    }

    @Override
    public List<T> snapshot() {
        lock.lock();
        try {
            int n = count;
            List<T> copy = new ArrayList<>(n);
            Object[] ring = items;
            for (int i = 0; i < n; i++) {
                @SuppressWarnings("unchecked")
                T item = (T) ring[(head + i) & (ring.length - 1)];
                copy.add(item);
            }
            return Collections.unmodifiableList(copy);
        } finally {
            lock.unlock();
        }
    }

    @Override
    int[] queuedWaiters() {
        lock.lock();
        try {
            return new int[] {putters.count(), getters.count(), joiners.count()};
        } finally {
            lock.unlock();
        }
    }

    /** Stores count; only under the lock. Release: see "Size accounting". */
    private void setCount(int n) {
        COUNT.setRelease(this, n);
    }

    /** Loads count without the lock. Acquire: pairs with {@link #setCount}; see "Size accounting". */
    private int countAcquire() {
        return (int) COUNT.getAcquire(this);
    }

    // VarHandle mechanics
    private static final VarHandle COUNT;

    static {
        try {
            COUNT = MethodHandles.lookup().findVarHandle(BufferedChannel.class, "count", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
