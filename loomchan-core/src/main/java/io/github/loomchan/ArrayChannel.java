package io.github.loomchan;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.AbstractQueuedSynchronizer;

/**
 * A buffered channel of capacity 1 to {@value AbstractChannel#SPLIT_MAX_CAPACITY}, or an unbounded one, with one lock
 * for puts and one for gets, so that a producer and a consumer working on the same channel do not contend for one
 * lock (ADR 0003). The ring of a buffered channel is allocated whole; the ring of an unbounded channel starts small
 * and doubles when it fills.
 */
final class ArrayChannel<T> extends AbstractChannel<T> {
    /*
     * Implementation overview
     * =======================
     *
     * Structure
     * ---------
     *     putSide  (lock, index, putters, wakeList, moved, detour)  ──┐
     *                                                                 ├── ring: Object[capacity]; null = free slot
     *     takeSide (lock, index, getters, wakeList, moved, detour)  ──┘
     *     joiners  (guarded by the take lock)
     *     flags    gettersWaiting = putSide.peerWaiting, puttersWaiting = takeSide.peerWaiting (volatile; each
     *              lives with the side that reads it after every section that wrote a slot, and is written by
     *              the other side)
     *     closed, closeCause (written holding both locks)
     *
     * Producers are serialized by the put lock and consumers by the take lock, so each side has one writer at a time
     * and the ring is a single-producer/single-consumer queue between the two critical sections (Lamport's ring, with
     * FastForward's rule that the slot itself says whether it is free): a put stores into ring[putSide.index] only if
     * that slot is null, a get clears ring[takeSide.index] only if it is non-null. The ring holds as many slots as
     * the capacity, so a non-null put slot means exactly "full" and a null take slot exactly "empty". The two sides
     * never read each other's index.
     *
     * Spread slots
     * ------------
     * A ring of capacity 2 to SPREAD_MAX_CAPACITY keeps its slots SPREAD array elements apart (stride; the elements
     * between them are never used), and its indices step by the stride. Without that, a ring of 16 references is one
     * cache line: a producer and a consumer working a few items apart write the same line for every item, and on
     * this host's slow placement of its vCPUs (a 300 ns round trip) buffered(16) 1P/1C ran at about twice Kotlin's
     * time (performance notes section 23). Everything below speaks of slots; "ring.length" means the capacity times
     * the stride for a buffered channel. A growing ring is never spread (its stride is 1).
     *
     * Growing (unbounded channels)
     * ----------------------------
     * The ring of a channel whose capacity exceeds SPLIT_MAX_CAPACITY (only Channel.unbounded() creates one) starts
     * at GROWING_RING_START slots. A put that finds the put slot non-null on a ring shorter than the capacity does
     * not answer FULL: it takes the take lock as well (put before take, the order every section holding both uses;
     * select takes both locks of such a channel for a put clause, so there it already holds it), and if the slot is
     * still non-null the ring is full: it copies the items, oldest first, to the start of a ring twice as long, sets
     * the take index to 0 and the put index to the item count, and stores. If a get freed the slot meanwhile, it
     * stores there without growing. The field ring is replaced only holding both locks and read only holding at
     * least one, so every section sees one ring throughout, and the lock hand-over orders the copy before any later
     * section's reads (the items copied were themselves stored and cleared under the locks now held). A non-null put
     * slot means "full" only on a ring as long as the capacity (GR1), which an unbounded channel's ring never is.
     *
     * The memory is given back, as in the one-lock channel: a get, poll, getAsync or isEmpty that leaves a ring
     * longer than SHRINK_ABOVE slots empty (read under the take lock), after releasing its lock, takes both locks
     * (put before take) and, if the ring is still empty and oversized, replaces it with a new ring of
     * GROWING_RING_START slots and both indices 0. Getters may be queued meanwhile; they wait for a put, which then
     * stores into the new ring. A ring emptied only by a select or by a serve to a queued getter is given back at the
     * next get-side call that finds it empty.
     *
     * Operations (each under the one lock it names):
     *
     *   tryPutLocked (put):   closed? -> CLOSED; put slot non-null? -> FULL; else store the item there (the put's
     *                         linearization point) and advance; the section has "moved" (its caller tells the
     *                         unlock so): after releasing the lock, if gettersWaiting, serve the getters.
     *   tryGetLocked (take):  take slot non-null? -> clear it (the get's linearization point) and advance; the
     *                         section has "moved" (after the release, if puttersWaiting, serve the putters); else
     *                         closed? -> CLOSED (done); else EMPTY.
     *   serveGettersLocked (take): while a getter is queued and the take slot holds an item: claim the first getter
     *                         with that item and clear the slot. Then the "done" rule below.
     *   servePuttersLocked (put):  while a putter is queued and the put slot is free: claim the first putter and
     *                         store its item there.
     *   close (put, then take): closed = true; claim every putter with CLOSED; if the ring is empty, claim every
     *                         getter and joiner with CLOSED.
     *   done rule (take):     a take-side section that leaves the ring empty on a closed channel claims every getter
     *                         and joiner with CLOSED.
     *   drainTo (put, then take): one atomic step, as Channel promises: takes items from the take slot on, and
     *                         serves both sides in place (serveOwedLocked) so that queued putters refill the freed
     *                         slots and queued getters keep their turn (F1). Under the take lock alone a put could
     *                         refill a freed slot mid-drain and the drain would return more items than were ever
     *                         buffered at once (found by Lincheck's model checker).
     *
     * A serve a section owes is run after that section released its lock (settle; the release is also what orders
     * the section's slot writes before its read of the other side's flag, see "No lost wake-up"): serving the getters
     * needs the take lock, and a thread never waits for a lock while holding another one, except close, drainTo,
     * size, snapshot and queuedWaiters (put lock, then take lock) and select (locks ordered by channel id, put before
     * take). Hence no deadlock. A section under both locks runs every serve it owes before releasing them.
     *
     * Invariants
     * ----------
     *   S1  ring[i] is written non-null only by the put-lock holder and only when it is null, and written null only
     *       by the take-lock holder and only when it is non-null. The buffered items are the non-null slots from
     *       takeSide.index on (wrapping), in the order they were stored; they are contiguous, and every other slot is
     *       null. (A put fills the slot right after the newest item; a get clears the oldest.)
     *   S2  with both locks held: 0 <= size <= ring.length / stride <= capacity, and size is determined by the two
     *       indices (multiples of the stride) and the take slot.
     *   GR1 ring.length == capacity * stride, or the channel grows (capacity > SPLIT_MAX_CAPACITY, stride 1) and
     *       ring.length is a power of two; a put answers FULL only when ring.length == capacity * stride.
     *   W1  a live getter is queued only while gettersWaiting is set; gettersWaiting is cleared only under the take
     *       lock and only when no getter is queued. Every section that stores an item and then reads it set (after
     *       its release) is followed, before the storing operation returns, by a serve of the getters.
     *       Symmetrically for putters, puttersWaiting and freed slots.
     *   W2  a serve that finds the take slot empty (a get that did not wait took the item first) or the put slot
     *       full (a put that did not wait filled it first) leaves its waiters queued. That is correct: the barging
     *       operation used up what the waiter waited for, and the next store (clear) serves again by W1.
     *   C1  after close, nothing is stored: puts check closed under the put lock, and close writes it holding that
     *       lock; close claims every putter, and servePuttersLocked stops at closed.
     *   DT1 a side whose queue holds a waiter has DETOUR_QUEUED in its detour word (plain, guarded by that side's
     *       lock): the section that queues a waiter sets it, and only a section that finds the queue empty clears it.
     *   DT2 for the holder of a side's lock, DETOUR_CLOSED is set in that side's detour word if and only if closed is
     *       true: close sets both, holding both locks, and nothing clears them.
     *   So a section that reads its detour word as 0 knows, with one read of the line its lock CAS has just brought
     *   in, that the channel is open and no waiter of its side is queued: the uncontended offer and poll then skip
     *   the read of closed and of the queue's head (about a tenth of an offer+poll: performance notes section 22).
     *
     * No lost wake-up
     * --------------
     * A getter G that found its slot empty, still holding the take lock, queues its waiter, sets gettersWaiting
     * (volatile write W), reads the put lock's word (volatile read A, nothing else) and serves the getters itself,
     * which reads the take slot again. A put P stores its slot (a release write, no fence) in a section under the put
     * lock, releases that lock (the volatile write U of the lock word) and only then reads gettersWaiting (volatile
     * read R). The claim: either P reads the flag set and serves the getters, or G's re-read sees P's item (or a
     * later state: some get took it, W2).
     *
     *   Suppose R reads false. W, R, U and A are synchronization actions, so they are totally ordered consistently
     *   with program order: U < R (P's program order) and W < A (G's). R does not see W, so R < W, unless a write of
     *   false came between W and R in that order; but false is written only under the take lock with no getter
     *   queued, i.e. after G's waiter was served or withdrawn, and then G needs nothing. So U < R < W < A, and A reads
     *   the value U wrote or a later write of the lock word. Every later write of the word is a lock CAS that read the
     *   previous value (synchronizes-with it) or the holder's release, so every one of them happens after U, and A
     *   synchronizes with whichever it reads: U happens-before A. P's store is before U in P's program order and G's
     *   re-read after A in G's, so the store happens-before the re-read, which therefore sees the item (or a later
     *   write of the slot). Symmetrically for putters, puttersWaiting, the take lock's word and freed slots.
     *
     * This is a Dekker pair whose store-load fence is the unlock the fast path pays anyway: an uncontended put or get
     * costs two fences (the lock's CAS and its release), as in ArrayBlockingQueue; the waiting side pays one more
     * volatile read. (With the flag read inside the section, the slot write itself had to be volatile: a third
     * fence, about 10 ns per offer+poll on the machines measured; see docs/performance-notes.md.) A select, which
     * may hold several locks, re-reads both flags after releasing all of them (afterSelect); sections under both
     * locks of a channel serve both sides inside the section (serveBothLocked), since no waiter can queue meanwhile.
     *
     * Handoffs in flight
     * ------------------
     * Between a section that stores an item while getters are queued and the serve it owes (run after its release,
     * under the other lock), the ring shows an item that, in the sequential specification, already belongs to the
     * first queued getter: the put handed it over at its store. An operation of the put side that reads the slot in
     * that window sees "full" (an offer fails, a put queues), which is consistent only if the getter does receive
     * the item; the serve on its way gives it to it. Symmetrically, a get that frees a slot while putters are queued
     * leaves the ring looking one item short until its serve moves the first putter's item in.
     *
     *   H1  a putter or getter withdraws (interrupt, timeout, cancelled or completed future) only under its side's
     *       lock, after serving that side's queue; a select does the same serve on each such channel before its
     *       withdrawal CAS. A waiter is therefore never withdrawn from an item or a slot that is already its own:
     *       the serve claims it first, the withdrawal fails, and the operation reports the handoff. (Without H1,
     *       HistoryLinearizabilityTest found: a getter waits, put(4) stores, a put(2) finds the ring full and is
     *       interrupted, the getter's future is cancelled before the owed serve claims it, and 4 stays buffered: no
     *       order of those steps explains the put(2) that waited.)
     *
     * A select decided by a clause on another channel during such a window can leave the item behind in the same way
     * (its linearization point is the other claim, while the item was already visible here); see
     * ADR 0003, "Revision (eleventh session): handoffs in flight".
     *
     * Memory ordering
     * ---------------
     * - An item's contents: written by the putting thread before its release store of the slot; read by a getter
     *   after its volatile (acquire) read of that slot, which sees the store: happens-before through the slot.
     *   Through a waiter: see Waiter.
     * - A slot cleared (release) before the put side reuses it: the put side reads the slot (acquire) before
     *   storing, so the getter's read of the old item happens-before the new store.
     * - Each side's index, queue, wakeList, moved and detour are read and written only under that side's lock.
     * - closed is written holding both locks, so it cannot change while either lock is held; it is volatile for the
     *   lock-free isClosed and the first check of isDone.
     *
     * Fairness
     * --------
     *   F1  no operation overtakes a queued waiter of its own side: tryPutLocked and tryGetLocked first serve their
     *       side's queue, and if waiters remain queued they answer FULL (EMPTY) without looking at the slot again,
     *       since the other side may have changed it meanwhile under its own lock; so a put stores only when no
     *       putter is queued (and a get takes only when no getter is queued). Without it, a producer pipelining
     *       putAsync calls could see a later item overtake its own pending put in the window between a get freeing
     *       a slot and the serve of the putters; with it, each side is FIFO, as in the one-lock channel. The cost is
     *       one read of the queue head per operation.
     *
     * Cancellation, claims and waking are as in BufferedChannel (see its overview): a withdrawn waiter is skipped by
     * the failing claim CAS and unlinked under its side's lock; claimed waiters are woken after the lock is released.
     * One difference: the withdrawing CAS itself runs under that lock, after a serve of that side (H1, above).
     *
     * Spinning before queuing
     * -----------------------
     * A blocking put (get) of a virtual thread, untimed, on a ring of at most SPIN_MAX_CAPACITY slots, that finds the
     * ring full (empty) while no waiter of its own side is queued, does not queue at once: it releases its lock, spins
     * (Thread.onSpinWait, up to HANDOFF_SPINS times, holding no lock) until the one slot it can use next changes (the
     * put slot is freed, the take slot filled: S1), the channel is closed, or the spin runs out, and then tries once
     * more under its lock. If that attempt fails too (the spin ran out, or a barging operation used the slot first), it
     * queues as above; it never spins twice. Why: with a producer and a consumer running on carriers of their own, the
     * counterpart frees (fills) that slot within a few hundred nanoseconds, while a queued waiter costs a serve under
     * the other lock, an unpark, and the JDK scheduler's move of the woken thread to the idle carrier, after which the
     * pair hands items across cores and parks again (a park/unpark round trip costs about 1.1 microseconds on the
     * 2-core benchmark machine; performance notes, sections 18 and 19).
     *
     * Whether to spin is learned as for the rendezvous handoff spin (AbstractChannel, "Spinning for a running
     * counterpart"): the shared hint handoffScore goes up for a spin that saw its slot change and down four times as
     * much for one that ran out, and below 0 only probes spin. Where the counterpart is queued behind other threads
     * on the same carrier (chains, thousands of pairs) the spins miss and stop; a spin that ends at a close teaches
     * nothing. Platform threads spin in await instead, and timed or interrupted calls queue at once (N1).
     *
     * Correctness does not depend on the spin. The first attempt changed nothing but what any operation's section
     * may change (it served its own side's queue, which found the slot full or empty again), and the spin writes
     * nothing but the hints; so a put that spins is, as far as any other thread can tell, a failed offer followed
     * by a fresh put, and its linearization point is the retry's store or the queued waiter's claim, both inside
     * the call. W1, H1 and N1 are untouched (only the retry queues). F1 too: a spinning operation is not queued yet,
     * so other operations may pass it, as they may pass a thread that has not called yet; first-come, first-served
     * counts from the moment a waiter queues, which is before its thread can be seen parked.
     *
     * Interrupts
     * ----------
     *   N1  a blocking put (get) that finds the ring full (empty) queues its waiter even if its thread is already
     *       interrupted, and withdraws it in await. Unlike the one-lock channel, FULL (EMPTY) was read under one
     *       side's lock only, so the other side may free a slot (store an item) before the interrupt arrives;
     *       throwing at once would withdraw the operation at a moment it could have completed. Queuing re-checks
     *       (No lost wake-up, above), and the withdrawal's CAS then decides between the interrupt and a
     *       counterpart's claim.
     */

    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(Object[].class);

    /**
     * One side of the channel: its lock (this synchronizer: state 0 free, 1 held; not reentrant), the fields it
     * guards, and the other side's "waiting" flag. The padding in {@link Side} keeps the two sides on different
     * cache lines.
     */
    @SuppressWarnings("serial") // never serialized: channels are not Serializable
    abstract static class SideFields extends AbstractQueuedSynchronizer {
        /** The ring index this side uses next. */
        int index;

        /** This side's waiters: putters, or getters. */
        final WaiterQueue waiters = new WaiterQueue();

        /**
         * Why this side's next operation cannot go straight to the ring ({@link #DETOUR_QUEUED}, {@link
         * #DETOUR_CLOSED}); 0 on the fast path. Guarded by this side's lock: a plain field, read by the holder only.
         * It repeats, on the cache line the lock holder has just written (the lock word), what the fast path would
         * otherwise learn from two other lines: the channel's volatile {@code closed} and the head of {@link
         * #waiters}, a further object. Invariants (DT1, DT2 in the overview):
         *
         * <ul>
         *   <li>{@link #waiters} non-empty implies DETOUR_QUEUED: set in the section that queues a waiter (the only
         *       way the queue grows), cleared only by a section of this side that finds the queue empty;
         *   <li>{@code closed} if and only if DETOUR_CLOSED, for the holder of this side's lock: close writes both
         *       holding both locks, and nothing clears either.
         * </ul>
         */
        byte detour; // a byte: it fits the gap beside the two booleans, so the side is no larger for it

        /** DT1: this side's queue has just received a waiter. Requires this side's lock. */
        final void markQueued() {
            detour = (byte) (detour | DETOUR_QUEUED);
        }

        /** DT1: this side's queue has been found empty. Requires this side's lock. */
        final void clearQueued() {
            detour = (byte) (detour & ~DETOUR_QUEUED);
        }

        /** DT2: the channel is being closed. Requires both locks. */
        final void markClosed() {
            detour = (byte) (detour | DETOUR_CLOSED);
        }

        /** Waiters claimed in the current critical section, woken after the release; null while the lock is free. */
        Waiter wakeList;

        /**
         * Set by a serve that wrote a slot in this section (a put side serve stored a queued putter's item, a take
         * side serve freed a slot for a queued getter): after the release, read {@link #peerWaiting} and serve the
         * other side if it is set (see "No lost wake-up": the read must come after the release). The operation's
         * own store or clear does not set it: its caller passes that to the unlock instead (see {@link
         * ArrayChannel#unlock(Side, boolean)}), so that an uncontended offer or poll writes nothing here.
         */
        boolean moved;

        /**
         * Whether the other side may have queued waiters (W1): on the put side this is "getters waiting", on the take
         * side "putters waiting". Written only by the other side's lock holder (when it queues a waiter, or finds
         * its queue empty), read by this side after releasing the lock of a section that wrote a slot. It lives
         * with the side that reads it on every operation; it is written only when waiting starts or ends.
         */
        volatile boolean peerWaiting;

        /**
         * The thread running drainTo on this channel (which holds both locks while it calls the target), else null.
         * Written only by that thread, holding both locks; read without the lock by a thread whose lock attempt
         * failed, to refuse re-entry from the drainTo target instead of deadlocking. The racy read is exact for the
         * question it answers: a thread sees its own identity here only if it wrote it itself and has not cleared it
         * yet (its own writes are in its program order); any other value means "not the drainer".
         */
        Thread drainer;

        @Override
        protected final boolean tryAcquire(int ignored) {
            return compareAndSetState(0, 1);
        }

        @Override
        protected final boolean tryRelease(int ignored) {
            setState(0); // volatile write: the release
            return true;
        }

        /**
         * Acquires the lock. No owner is recorded (two stores per operation saved on the fast path): the only way a
         * thread can ask for a lock it holds is foreign code run under the lock, i.e. drainTo's target, which
         * {@link #drainer} detects.
         */
        final void lock() {
            if (!compareAndSetState(0, 1)) {
                if (drainer == Thread.currentThread()) {
                    throw new IllegalStateException("a channel was used from inside its own drainTo target");
                }
                acquire(1);
            }
        }

        final void unlock() {
            release(1);
        }

        /**
         * A volatile read of the lock word, and nothing else: it synchronizes with the last release of this lock
         * before it (or with a later acquisition, each of which happens after that release), so whatever that
         * release's section wrote is visible afterwards. Used by a thread that has just announced it waits on the
         * other side (see "No lost wake-up"). Its value is ignored; the JIT keeps volatile reads.
         */
        final void synchronizeWithLastRelease() {
            getState();
        }

        final void pushWake(Waiter waiter) {
            waiter.wakeNext = wakeList;
            wakeList = waiter;
        }

        /** Claims every live waiter of this side with {@code outcome}. Requires the lock. */
        final void claimAll(WaiterQueue queue, int outcome) {
            for (Waiter w; (w = queue.pollFirst()) != null; ) {
                w.outcome = outcome;
                if (w.tryClaim()) {
                    pushWake(w);
                }
            }
        }

        /** Detaches the wake list; requires the lock. */
        final Waiter takeWakes() {
            Waiter claimed = wakeList;
            wakeList = null;
            return claimed;
        }
    }

    /** {@link SideFields#detour} bit: this side's queue may hold waiters. */
    static final byte DETOUR_QUEUED = 1;

    /** {@link SideFields#detour} bit: the channel is closed. */
    static final byte DETOUR_CLOSED = 2;

    /** A side padded to past a cache line (the JVM lays superclass fields out first, so the padding comes last). */
    @SuppressWarnings({"serial", "unused"}) // the padding fields are never read
    static final class Side extends SideFields {
        private long p0, p1, p2, p3, p4, p5, p6, p7;
    }

    /**
     * The largest capacity whose blocking operations spin before queuing (see "Spinning before queuing"). Measured
     * on virtual threads (A/B on the 2-core machine, seven forks per arm, medians, ns per item): 1P/1C buffered(1)
     * 388 -> 107 and buffered(16) 69 -> 41; chains and pairs of 1,000 and 10,000 buffered(16) channels 0.88 to 1.07
     * of before (within the noise of those rows); 1P/1C buffered(100) 24 -> 21, 4P/4C and 16P/16C on buffered(100)
     * 23 -> 21 and 41 -> 32 (three forks), but 10,000 pairs of buffered(100) 22 -> 29 and 1P/1C buffered(1,024)
     * 22 -> 58: on a large ring a consumer that spins for each item keeps the pair handing items over one at a time
     * across the cores, where one that waits lets the producer fill a batch. Between those (performance notes section
     * 20, three forks per arm): at 32 slots the spin wins 1P/1C (30 against 54) and the 10,000 pairs move both ways;
     * at 64 it loses both (1P/1C 68 against 29, pairs 37 against 30). So 32 is the largest capacity measured to gain.
     */
    static final int SPIN_MAX_CAPACITY = 32;

    /**
     * The spacing of the slots in the ring of a small buffered channel ("Spread slots"): one slot in every this many
     * array elements, so that four slots share a 64-byte cache line (with compressed references) instead of sixteen.
     */
    static final int SPREAD = 4;

    /**
     * The largest capacity whose ring is spread: a ring of at most 32 references spans at most two cache lines, so
     * a producer and a consumer a few items apart write the same line. A ring of 100 or more spans enough lines that
     * spreading it measured mixed (performance notes section 23) and would cost four times its memory.
     */
    static final int SPREAD_MAX_CAPACITY = 32;

    /** The initial ring length of an unbounded channel (see "Growing"). */
    static final int GROWING_RING_START = 16;

    /** An emptied ring longer than this is replaced by a new ring of {@link #GROWING_RING_START} slots. */
    static final int SHRINK_ABOVE = SPLIT_MAX_CAPACITY;

    /** The longest ring of an unbounded channel: a power of two that Java arrays can hold. */
    static final int MAX_RING = 1 << 30;

    /**
     * The ring. Replaced (grown) only holding both locks, read only holding at least one (see "Growing"): plain
     * accesses, ordered by the locks.
     */
    private Object[] ring;

    /** {@link #SPREAD} for a ring that is spread ("Spread slots"), else 1; ring indices are multiples of it. */
    private final byte stride;

    private final Side putSide = new Side();
    private final Side takeSide = new Side();

    /** Waiters of join/joinAsync; guarded by the take lock (done-ness is decided on the take side). */
    private final WaiterQueue joiners = new WaiterQueue();

    ArrayChannel(int capacity) {
        this(capacity, capacity <= SPLIT_MAX_CAPACITY ? capacity : GROWING_RING_START);
    }

    /**
     * A channel whose ring starts at {@code initialRing} slots: exactly {@code capacity} for a buffered channel
     * (capacity up to {@value AbstractChannel#SPLIT_MAX_CAPACITY}), a power of two for one whose ring grows. The
     * verification suites start an unbounded ring at 1 slot, so that their short scenarios grow it.
     */
    ArrayChannel(int capacity, int initialRing) {
        super(capacity);
        if (capacity < 1) {
            throw new IllegalArgumentException("ArrayChannel capacity must be at least 1, but was " + capacity);
        }
        boolean valid = capacity <= SPLIT_MAX_CAPACITY
                ? initialRing == capacity
                : initialRing > 0 && initialRing <= MAX_RING && Integer.bitCount(initialRing) == 1;
        if (!valid) {
            throw new IllegalArgumentException("initial ring of " + initialRing + " slots for capacity " + capacity
                    + ": must equal a capacity up to " + SPLIT_MAX_CAPACITY + ", else be a power of two up to "
                    + MAX_RING);
        }
        stride = (byte) (capacity > 1 && capacity <= SPREAD_MAX_CAPACITY ? SPREAD : 1);
        ring = new Object[initialRing * stride];
    }

    /** Whether this channel's ring grows (see "Growing"): then a select's put clause takes both locks. */
    @Override
    boolean putNeedsBothLocks() {
        return capacity > SPLIT_MAX_CAPACITY;
    }

    private int next(int index) {
        int n = index + stride; // the ring holds capacity slots, stride elements apart ("Spread slots")
        return n == ring.length ? 0 : n;
    }

    private Object slot(int index) {
        return SLOT.getVolatile(ring, index);
    }

    // ================================================================================================ put side

    /**
     * {@inheritDoc} Select calls this; on a channel whose ring grows it holds the take lock too ({@link
     * #putNeedsBothLocks}).
     */
    @Override
    int tryPutLocked(Object item) {
        return tryPutLocked(item, putNeedsBothLocks());
    }

    /**
     * Puts {@code item} if possible now; requires the put lock, and the take lock too if {@code takeLockHeld}. On a
     * ring that can still grow, a full ring is grown (taking the take lock for that moment unless held) instead of
     * answering FULL (see "Growing").
     */
    private int tryPutLocked(Object item, boolean takeLockHeld) {
        Side side = putSide;
        int detour = side.detour; // DT1, DT2: 0 means open and no putter queued
        if (detour != 0) {
            if ((detour & DETOUR_CLOSED) != 0) { // stable: close writes it holding the put lock (C1)
                return PUT_CLOSED;
            }
            if (puttersRemainAfterServeLocked()) {
                // No barging (F1): queued putters go first, and some are still queued, so the serve found the ring
                // full; answer FULL even if a get (under the other lock) has freed the slot since: that get saw
                // puttersWaiting and serves them, and this put queues behind them.
                return PUT_FULL; // linearized at the serve's read of the full slot
            }
        }
        int i = side.index;
        if (slot(i) != null) {
            if (ring.length == capacity * stride) { // GR1: a ring as long as the capacity (spread or not)
                return PUT_FULL; // the item stored capacity puts ago is still there (S1, GR1)
            }
            makeRoomLocked(takeLockHeld);
            i = side.index; // the put slot is free now: grown, or freed by a get meanwhile
        }
        // The linearization point. Release: publishes the item's contents to the getter that reads the slot. No
        // fence: the flag gettersWaiting is read after the unlock, whose volatile write orders it (No lost wake-up).
        SLOT.setRelease(ring, i, item);
        side.index = next(i);
        // Not marked in side.moved: the caller tells its unlock (unlockPut(true)), which then reads gettersWaiting
        // after the release; a select reads both flags after its releases anyway (afterSelect).
        return PUT_OK;
    }

    /**
     * Makes the put slot free on a ring that is shorter than the capacity and looked full: with both locks held, grows
     * the ring if it is still full (see "Growing"). Requires the put lock, and the take lock if {@code takeLockHeld}.
     *
     * @throws OutOfMemoryError if the ring is full at {@link #MAX_RING} slots (the put stores nothing)
     */
    private void makeRoomLocked(boolean takeLockHeld) {
        if (!takeLockHeld) {
            takeSide.lock(); // put before take: the lock order of every section that holds both
        }
        try {
            if (slot(putSide.index) != null) {
                grow();
            }
        } finally {
            if (!takeLockHeld) {
                takeSide.unlock(); // nothing claimed and no slot written on the take side: no wake or serve owed
            }
        }
    }

    /** Doubles the full ring, copying the items oldest first to its start (see "Growing"). Requires both locks. */
    private void grow() {
        Object[] old = ring;
        int n = old.length; // full: n items, the oldest at the take index, which equals the put index
        if (n >= MAX_RING) {
            throw new OutOfMemoryError(
                    "a channel cannot buffer more than " + MAX_RING + " items; this one holds " + n + " already");
        }
        Object[] grown = new Object[n * 2];
        int take = takeSide.index;
        System.arraycopy(old, take, grown, 0, n - take);
        System.arraycopy(old, 0, grown, n - take, take);
        ring = grown;
        takeSide.index = 0;
        putSide.index = n;
    }

    /**
     * Serves the queued putters, if any, and returns whether some are still queued, which means the serve found the
     * put slot full (F1: then the ring counts as full for this side, whatever the take side has freed since).
     * Requires the put lock.
     */
    private boolean puttersRemainAfterServeLocked() {
        if (putSide.waiters.peekFirst() == null) {
            putSide.clearQueued(); // DT1: the queue is empty, under the put lock
            return false;
        }
        servePuttersLocked();
        return putSide.waiters.peekFirst() != null;
    }

    /** Moves queued putters' items into free slots, oldest putter first. Requires the put lock. */
    private void servePuttersLocked() {
        Side side = putSide;
        for (Waiter putter; (putter = side.waiters.peekFirst()) != null; ) {
            int i = side.index;
            if (closed || slot(i) != null) {
                break; // closed: close claims the putters; full: W2, the next clear serves again
            }
            side.waiters.pollFirst();
            putter.outcome = Waiter.TAKEN;
            if (putter.tryClaim()) {
                SLOT.setRelease(ring, i, putter.item); // the putter's item was written before it was queued
                side.index = next(i);
                side.pushWake(putter);
                side.moved = true;
            }
        }
        if (side.waiters.isEmpty()) {
            noneQueued(side);
        }
    }

    /** Queues a putter that found the ring full, then re-checks (No lost wake-up). Requires the put lock. */
    private void addPutterLocked(Waiter putter) {
        putSide.waiters.addLast(putter);
        putSide.markQueued(); // DT1
        takeSide.peerWaiting = true; // W: volatile write
        takeSide.synchronizeWithLastRelease(); // A: a get that read the flag unset released the take lock before
        servePuttersLocked(); // a get may have freed a slot since tryPutLocked looked: serve (maybe ourselves)
    }

    /**
     * Releases the put lock, wakes what it claimed, and runs the serve the section owes.
     *
     * @param stored whether the operation itself stored an item in this section (tryPutLocked answered PUT_OK)
     */
    private void unlockPut(boolean stored) {
        if (unlock(putSide, stored)) {
            settle(takeSide);
        }
    }

    // ================================================================================================ take side

    @Override
    Object tryGetLocked() {
        Side side = takeSide;
        int detour = side.detour; // DT1, DT2: 0 means open and no getter queued
        if ((detour & DETOUR_QUEUED) != 0 && gettersRemainAfterServeLocked()) {
            // No barging (F1): queued getters go first, and some are still queued, so the serve found the ring empty
            // (and open: the done rule empties the queue of a closed, empty channel); answer EMPTY even if a put
            // has stored since: that put saw gettersWaiting and serves them, and this get queues behind them.
            return EMPTY; // linearized at the serve's read of the empty slot
        }
        int i = side.index;
        Object item = slot(i);
        if (item != null) {
            // The linearization point. Release: the reads of the item come before a put reuses the slot. No fence:
            // puttersWaiting is read after the unlock (No lost wake-up).
            SLOT.setRelease(ring, i, null);
            side.index = next(i);
            if ((detour & DETOUR_CLOSED) != 0) { // closed is stable under the take lock (DT2)
                onTakenLocked();
            }
            return item; // not marked in side.moved either: the caller tells its unlock (unlockTake(true))
        }
        // closed is stable under the take lock, and nothing is stored after close (C1): empty and closed is final.
        return closed ? CLOSED : EMPTY;
    }

    /**
     * Serves the queued getters, if any, and returns whether some are still queued, which means the serve found the
     * take slot empty (F1: then the ring counts as empty for this side, whatever the put side has stored since).
     * Requires the take lock.
     */
    private boolean gettersRemainAfterServeLocked() {
        if (takeSide.waiters.peekFirst() == null) {
            takeSide.clearQueued(); // DT1: the queue is empty, under the take lock
            return false;
        }
        serveGettersLocked();
        return takeSide.waiters.peekFirst() != null;
    }

    /** Hands buffered items to queued getters, oldest first. Requires the take lock. */
    private void serveGettersLocked() {
        Side side = takeSide;
        boolean cleared = false;
        for (Waiter getter; (getter = side.waiters.peekFirst()) != null; ) {
            int i = side.index;
            Object item = slot(i);
            if (item == null) {
                break; // W2: a get that did not wait took it; the next store serves again
            }
            side.waiters.pollFirst();
            getter.item = item; // speculative: read by the owner only if the claim succeeds
            getter.outcome = Waiter.RECEIVED;
            if (getter.tryClaim()) {
                SLOT.setRelease(ring, i, null);
                side.index = next(i);
                side.pushWake(getter);
                cleared = true;
            }
        }
        if (side.waiters.isEmpty()) {
            noneQueued(side);
        }
        if (cleared) {
            side.moved = true;
            if (closed) {
                onTakenLocked();
            }
        }
    }

    /** The done rule: after a take on a closed channel, if the ring is empty, wake every getter and joiner. */
    private void onTakenLocked() {
        if (slot(takeSide.index) == null) {
            takeSide.claimAll(takeSide.waiters, Waiter.CLOSED);
            takeSide.claimAll(joiners, Waiter.CLOSED);
            noneQueued(takeSide);
        }
    }

    /** Queues a getter that found the ring empty, then re-checks (No lost wake-up). Requires the take lock. */
    private void addGetterLocked(Waiter getter) {
        takeSide.waiters.addLast(getter);
        takeSide.markQueued(); // DT1
        putSide.peerWaiting = true; // W: volatile write
        putSide.synchronizeWithLastRelease(); // A: a put that read the flag unset released the put lock before
        serveGettersLocked(); // a put may have stored since tryGetLocked looked: serve (maybe ourselves)
    }

    /**
     * Records that {@code side}'s queue is empty, as a section holding that side's lock has just seen: clears its
     * DETOUR_QUEUED bit (DT1) and the other side's flag for its waiters (W1: gettersWaiting, or puttersWaiting, cleared
     * only with no waiter of that side queued, under that side's lock).
     */
    private void noneQueued(Side side) {
        side.clearQueued();
        (side == putSide ? takeSide : putSide).peerWaiting = false;
    }

    /**
     * Releases the take lock, wakes what it claimed, and runs the serve the section owes; then gives back an oversized
     * ring that the section left empty (see "Growing"). Requires the take lock and no other.
     *
     * @param took whether the operation itself took an item in this section (tryGetLocked returned one)
     */
    private void unlockTake(boolean took) {
        // Read under the take lock; only a growing ring can be this long, so a fixed ring pays one length check.
        boolean giveBack = ring.length > SHRINK_ABOVE && slot(takeSide.index) == null;
        if (unlock(takeSide, took)) {
            settle(putSide);
        }
        if (giveBack) {
            shrinkIfEmpty();
        }
    }

    /** Replaces an empty ring longer than {@link #SHRINK_ABOVE} with a new small one (see "Growing"). */
    private void shrinkIfEmpty() {
        lockBoth(); // no lock held here: unlockTake's callers hold only the take lock, released above
        try {
            if (ring.length > SHRINK_ABOVE && slot(takeSide.index) == null) { // S1: empty
                ring = new Object[GROWING_RING_START];
                takeSide.index = 0;
                putSide.index = 0;
            }
        } finally {
            unlockBoth();
        }
    }

    // ================================================================================================ both sides

    /**
     * Releases {@code side}'s lock, then wakes what it claimed; returns whether the section owes a serve of the other
     * side: it wrote a slot and, read after the release, the other side has waiters (No lost wake-up; W1).
     *
     * <p>An uncontended offer or poll claims nothing and serves nothing, so here it only reads its side's line and
     * writes nothing but the lock word: each of the two fields is cleared only if set, and the operation's own slot
     * write comes in as {@code moved} rather than through {@link SideFields#moved}. Those stores cost about a tenth
     * of an offer+poll (performance notes section 22).
     *
     * @param moved whether the operation that held the lock stored or cleared a slot itself (a serve in the section
     *     says so through {@link SideFields#moved})
     */
    private static boolean unlock(Side side, boolean moved) {
        Waiter claimed = side.wakeList;
        if (claimed != null) {
            side.wakeList = null;
        }
        if (side.moved) {
            side.moved = false;
            moved = true;
        }
        side.unlock(); // U: the volatile write that orders the section's slot writes before the flag read R
        boolean owed = moved && side.peerWaiting; // R
        if (claimed != null) {
            wakeAll(claimed);
        }
        return owed;
    }

    /**
     * Serves the waiters of {@code side}, then of the other side for as long as each serve owes the next one (a
     * serve that moved items while the other side waits). Called with no lock held. A loop, not a recursion: under
     * sustained load the sides could hand the work back and forth many times.
     */
    private void settle(Side side) {
        Side next = side;
        while (true) {
            next.lock();
            try {
                if (next == takeSide) {
                    serveGettersLocked();
                } else {
                    servePuttersLocked();
                }
            } finally {
                if (!unlock(next, false)) { // a serve reports its moves through the moved field
                    next = null;
                }
            }
            if (next == null) {
                return;
            }
            next = next == takeSide ? putSide : takeSide;
        }
    }

    /** Takes both locks, put side first (the one order every thread uses). */
    private void lockBoth() {
        putSide.lock();
        try {
            takeSide.lock();
        } catch (RuntimeException | Error e) {
            putSide.unlock(); // the take lock refused (re-entered from a drainTo target): hold nothing
            throw e;
        }
    }

    /**
     * Releases both locks, take side first, then wakes what either claimed. Sections under both owe no serve: no
     * waiter can queue while both locks are held, and each such section serves both sides itself (serveBothLocked).
     */
    private void unlockBoth() {
        Waiter takeClaimed = takeSide.takeWakes();
        Waiter putClaimed = putSide.takeWakes();
        takeSide.moved = false;
        putSide.moved = false;
        takeSide.unlock();
        putSide.unlock();
        wakeAll(takeClaimed);
        wakeAll(putClaimed);
    }

    /** The number of buffered items; requires both locks (S2). */
    private int sizeLocked() {
        int put = putSide.index;
        int take = takeSide.index;
        if (put == take) {
            return slot(take) == null ? 0 : ring.length / stride;
        }
        return (put > take ? put - take : put + ring.length - take) / stride; // indices are stride apart
    }

    // ================================================================================================ select hooks

    @Override
    boolean splitSides() {
        return true;
    }

    @Override
    void lockSide(boolean put) {
        (put ? putSide : takeSide).lock();
    }

    @Override
    Waiter unlockSideDeferringWakes(boolean put) {
        Side side = put ? putSide : takeSide;
        Waiter claimed = side.takeWakes();
        side.moved = false; // afterSelect reads both flags after every lock is released instead
        side.unlock();
        return claimed;
    }

    @Override
    void addSelectWaiterLocked(SelectWaiter waiter, boolean put) {
        if (put) {
            addPutterLocked(waiter);
        } else {
            addGetterLocked(waiter);
        }
    }

    @Override
    void afterSelect() {
        // The select stored or cleared slots (or registered) under its locks and has released them all: these reads
        // come after those releases, so they are valid reads R (No lost wake-up). A serve with nothing to do is
        // harmless.
        if (putSide.peerWaiting) {
            settle(takeSide);
        }
        if (takeSide.peerWaiting) {
            settle(putSide);
        }
    }

    @Override
    void unlink(Waiter waiter, ChannelFuture.Kind kind) {
        Side side = kind == ChannelFuture.Kind.PUT ? putSide : takeSide;
        side.lock();
        try {
            removeLocked(waiter, kind);
        } finally {
            unlock(side, false); // a removal moves no item and owes no serve
        }
    }

    /** Removes a dead or withdrawn waiter from its queue, keeping W1. Requires the lock of the waiter's side. */
    private void removeLocked(Waiter waiter, ChannelFuture.Kind kind) {
        switch (kind) {
            case PUT -> {
                putSide.waiters.remove(waiter);
                if (putSide.waiters.isEmpty()) {
                    noneQueued(putSide);
                }
            }
            case GET -> {
                takeSide.waiters.remove(waiter);
                if (takeSide.waiters.isEmpty()) {
                    noneQueued(takeSide);
                }
            }
            case JOIN -> joiners.remove(waiter);
        }
    }

    /**
     * Withdraws a waiting thread's or pending future's putter or getter under its side's lock, after running the
     * handoffs already in flight to that side's queue (H1), so that it never withdraws from an item or a slot the
     * channel already owes it. A joiner withdraws as in the other channels: no handoff is ever in flight to one (it
     * is claimed in the section that empties the closed channel).
     */
    @Override
    boolean withdraw(OwnedWaiter waiter, ChannelFuture.Kind kind) {
        if (kind == ChannelFuture.Kind.JOIN) {
            return super.withdraw(waiter, kind);
        }
        if (waiter instanceof ThreadWaiter owner) {
            // Its owner is running this call and parks no more (a failed withdrawal only spins until FILLED): a
            // claim by the serve below must not unpark it, which would leave a stray permit for its next park.
            owner.parking = false;
        }
        boolean put = kind == ChannelFuture.Kind.PUT;
        boolean withdrawn;
        lockSide(put);
        try {
            serveInFlightLocked(put);
            // Under the lock, so no claim of this side runs between the serve and the CAS (every claim of a putter
            // or getter happens under its side's lock). If the serve left the waiter unclaimed, the ring had nothing
            // for it when the serve looked (the take slot was empty, or the put slot full): the withdrawal linearizes
            // at that look, and a store the other side makes after it is not this waiter's.
            withdrawn = waiter.tryCancel();
            if (withdrawn) {
                removeLocked(waiter, kind);
            }
        } finally {
            unlockSideAndSettle(put); // the serve may have moved items: run the serve of the other side it owes
        }
        return withdrawn;
    }

    /** Serves one side's queue (H1); requires that side's lock. */
    private void serveInFlightLocked(boolean put) {
        if (put) {
            servePuttersLocked();
        } else {
            serveGettersLocked();
        }
    }

    @Override
    void serveInFlight(boolean put) {
        lockSide(put);
        try {
            serveInFlightLocked(put);
        } finally {
            unlockSideAndSettle(put);
        }
    }

    /** {@link #unlockPut} or {@link #unlockTake}: releases one side's lock and runs the serve its section owes. */
    private void unlockSideAndSettle(boolean put) {
        if (put) {
            unlockPut(false); // a serve reports its moves through the moved field
        } else {
            unlockTake(false);
        }
    }

    // ================================================================================================ blocking

    @Override
    boolean send(T item, boolean timed, long nanos) throws InterruptedException {
        Objects.requireNonNull(item, "item");
        boolean maySpin = !timed && capacity <= SPIN_MAX_CAPACITY; // see "Spinning before queuing"
        ThreadWaiter waiter = null;
        do {
            int spinAt = -1;
            boolean probe = false;
            boolean stored = false;
            putSide.lock();
            try {
                int result = tryPutLocked(item, false);
                if (result == PUT_OK) {
                    stored = true;
                    return true;
                }
                if (result == PUT_CLOSED) {
                    throw closedForPut();
                }
                if (timed && nanos <= 0) {
                    return false;
                }
                if (maySpin && putSide.waiters.peekFirst() == null && spinFirst()) {
                    probe = handoffScore < 0; // hint, read before handoffSpins as in await: a spin below 0 probes
                    if (handoffSpins() > 0) {
                        spinAt = putSide.index; // the one slot this put can use next (S1)
                    }
                }
                if (spinAt < 0) {
                    // No "interrupted before waiting" check here, unlike BufferedChannel: FULL was read under the
                    // put lock only, and a get may free a slot under the take lock before an interrupt arrives.
                    // Throwing now would withdraw the put at a moment the channel had room (not linearizable; the
                    // history checker's soak found the get-side twin). Queuing first re-checks the ring (No lost
                    // wake-up, see addPutterLocked); await then sees a pending interrupt before it spins or parks
                    // and withdraws the waiter unless a get took it meanwhile.
                    waiter = new ThreadWaiter(Thread.currentThread());
                    waiter.item = item;
                    addPutterLocked(waiter);
                }
            } finally {
                unlockPut(stored);
            }
            if (spinAt >= 0) {
                spinForSlot(spinAt, true, probe); // no lock held; then one more attempt, which queues if it fails
                maySpin = false;
            }
        } while (waiter == null);
        long deadline = timed ? System.nanoTime() + nanos : 0L;
        return putOutcome(await(waiter, ChannelFuture.Kind.PUT, timed, deadline));
    }

    @Override
    Object receive(boolean timed, long nanos) throws InterruptedException {
        boolean maySpin = !timed && capacity <= SPIN_MAX_CAPACITY; // see "Spinning before queuing"
        ThreadWaiter waiter = null;
        do {
            int spinAt = -1;
            boolean probe = false;
            boolean took = false;
            takeSide.lock();
            try {
                Object result = tryGetLocked();
                if (result != EMPTY) {
                    took = result != CLOSED;
                    return result;
                }
                if (timed && nanos <= 0) {
                    return TIMED_OUT;
                }
                if (maySpin && takeSide.waiters.peekFirst() == null && spinFirst()) {
                    probe = handoffScore < 0; // as in send
                    if (handoffSpins() > 0) {
                        spinAt = takeSide.index; // the one slot the next put fills (S1)
                    }
                }
                if (spinAt < 0) {
                    // No "interrupted before waiting" check: EMPTY was read under the take lock only, and a put may
                    // store before the interrupt arrives; see send. Found by HistoryLinearizabilityTest: a get
                    // interrupted after a put had returned threw InterruptedException and left the put's item in the
                    // channel.
                    waiter = new ThreadWaiter(Thread.currentThread());
                    addGetterLocked(waiter);
                }
            } finally {
                unlockTake(took);
            }
            if (spinAt >= 0) {
                spinForSlot(spinAt, false, probe);
                maySpin = false;
            }
        } while (waiter == null);
        long deadline = timed ? System.nanoTime() + nanos : 0L;
        return getOutcome(waiter, await(waiter, ChannelFuture.Kind.GET, timed, deadline));
    }

    /**
     * Whether a blocking operation that found the ring full (empty) may spin before it queues: only on a virtual
     * thread that is not interrupted (an interrupted one queues at once and withdraws in await, N1). See "Spinning
     * before queuing".
     */
    private static boolean spinFirst() {
        Thread self = Thread.currentThread();
        return self.isVirtual() && !self.isInterrupted();
    }

    /**
     * Spins, holding no lock, until ring slot {@code index} is free ({@code put}) or holds an item (a get), the
     * channel is closed, or {@link #HANDOFF_SPINS} pauses have passed; teaches {@link #handoffScore} whether the slot
     * changed in time. Decides nothing: the caller tries again under its lock (see "Spinning before queuing").
     */
    private void spinForSlot(int index, boolean put, boolean probe) {
        // A plain read of the field ring outside the locks: a fixed ring (the only kind that spins) is written
        // only by the constructor, and this thread has just read it under a lock. Opaque reads of the slot: a hint
        // that only has to be re-read each time (not hoisted out of the loop); the retry's lock orders what it
        // decides on.
        Object[] slots = ring;
        for (int n = HANDOFF_SPINS; n > 0; n--) {
            Thread.onSpinWait();
            if ((SLOT.getOpaque(slots, index) == null) == put) {
                handoffSpun(true, probe);
                return;
            }
            if (closed) {
                return; // the retry answers CLOSED, or takes what is left; not a lesson about spinning
            }
        }
        handoffSpun(false, probe);
    }

    @Override
    Object takeNow() {
        Object result = EMPTY;
        takeSide.lock();
        try {
            result = tryGetLocked();
            return result;
        } finally {
            unlockTake(result != EMPTY && result != CLOSED);
        }
    }

    // ================================================================================================ Channel API

    @Override
    public boolean offer(T item) {
        Objects.requireNonNull(item, "item");
        int result = PUT_FULL;
        putSide.lock();
        try {
            result = tryPutLocked(item, false);
        } finally {
            unlockPut(result == PUT_OK);
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
        boolean stored = false;
        putSide.lock();
        try {
            int result = tryPutLocked(item, false);
            if (result == PUT_OK) {
                stored = true;
                return CompletableFuture.completedFuture(null);
            }
            if (result == PUT_CLOSED) {
                return CompletableFuture.failedFuture(closedForPut());
            }
            future = new ChannelFuture<>(this, ChannelFuture.Kind.PUT);
            future.waiter().item = item;
            addPutterLocked(future.waiter());
        } finally {
            unlockPut(stored);
        }
        return future;
    }

    @Override
    public CompletableFuture<T> getAsync() {
        ChannelFuture<T> future;
        boolean took = false;
        takeSide.lock();
        try {
            Object result = tryGetLocked();
            if (result == CLOSED) {
                return CompletableFuture.failedFuture(closedForGet());
            }
            if (result != EMPTY) {
                took = true;
                @SuppressWarnings("unchecked")
                T item = (T) result;
                return CompletableFuture.completedFuture(item);
            }
            future = new ChannelFuture<>(this, ChannelFuture.Kind.GET);
            addGetterLocked(future.waiter());
        } finally {
            unlockTake(took);
        }
        return future;
    }

    @Override
    public int drainTo(Collection<? super T> target, int max) {
        Objects.requireNonNull(target, "target");
        int moved = 0;
        // Both locks, so that the drain is one atomic step as Channel promises: with only the take lock, a put could
        // refill a slot the drain had just freed and the drain would take that item too (two items from a channel
        // of capacity 1, which never holds two). Putters queued on a full ring refill the freed slots here, oldest
        // first, and their items are drained in turn, as in the one-lock channel.
        lockBoth();
        Thread current = Thread.currentThread();
        putSide.drainer = current; // the target may not use this channel: lock() refuses instead of deadlocking
        takeSide.drainer = current;
        try {
            Side side = takeSide;
            while (moved < max) {
                serveOwedLocked(); // F1: queued getters go first; queued putters fill the slots freed so far
                if (side.waiters.peekFirst() != null) {
                    break; // getters still wait: the ring is empty
                }
                int i = side.index;
                @SuppressWarnings("unchecked")
                T item = (T) slot(i);
                if (item == null) {
                    break;
                }
                target.add(item); // before clearing, so that an add that throws leaves the item in the channel
                SLOT.setRelease(ring, i, null); // both locks held: no waiter can queue meanwhile (unlockBoth)
                side.index = next(i);
                moved++;
                if (closed) {
                    onTakenLocked();
                }
            }
            serveOwedLocked(); // the last slots freed go to the queued putters
        } finally {
            // No serve is owed here: each ran inside the section (serveOwedLocked); if target.add threw, the slots
            // freed before it were served at the top of that iteration, and unlockBoth drops the moved marks.
            putSide.drainer = null;
            takeSide.drainer = null;
            unlockBoth();
        }
        return moved;
    }

    /**
     * Runs the serves that other sections still owe, so that a reader of the state (size, snapshot) sees what the
     * one-lock channel would show. A get that frees a slot while putters wait, or a put that stores while getters
     * wait, hands over under the other side's lock only after releasing its own; in between, with both locks, the
     * ring shows a free slot that a queued putter already owns (or an item a queued getter already owns): a
     * transient size the sequential specification never has (a poll of a full buffered(1) channel with a waiting
     * putter must leave size 1; jcstress SizeBoundsStress.RefillDuringPoll saw 0). Serving here is what the owing
     * section does next anyway; its own serve then finds nothing to do (W2). Requires both locks.
     */
    private void serveOwedLocked() {
        if (takeSide.waiters.peekFirst() != null || putSide.waiters.peekFirst() != null) {
            serveBothLocked(); // the moved marks it leaves are dropped by unlockBoth: no serve is owed after it
        }
    }

    /**
     * Serves both sides until neither owes the other a serve: getters take buffered items, putters fill free slots,
     * and again while both move. Requires both locks. Terminates: each round after the first moves at least one
     * queued putter out of its queue (into the ring, or skipped as withdrawn). Afterwards no getter is queued unless
     * the ring is empty, and no putter is queued unless the ring is full or the channel is closed.
     */
    private void serveBothLocked() {
        while (true) {
            serveGettersLocked();
            if (closed || putSide.waiters.peekFirst() == null || slot(putSide.index) != null) {
                return;
            }
            servePuttersLocked();
        }
    }

    @Override
    void closeWith(Throwable cause) {
        lockBoth();
        try {
            if (closed) {
                return; // idempotent: the first close and its cause stay
            }
            closeCause = cause; // before the volatile write of closed
            closed = true;
            putSide.markClosed(); // DT2: both locks held
            takeSide.markClosed();
            putSide.claimAll(putSide.waiters, Waiter.CLOSED); // C1: no putter survives a close
            noneQueued(putSide);
            if (slot(takeSide.index) == null) { // empty: done now
                takeSide.claimAll(takeSide.waiters, Waiter.CLOSED);
                takeSide.claimAll(joiners, Waiter.CLOSED);
                noneQueued(takeSide);
            }
        } finally {
            unlockBoth();
        }
    }

    @Override
    public boolean isDone() {
        if (!closed) {
            return false; // once closed, always closed; an open channel is not done
        }
        takeSide.lock();
        try {
            return slot(takeSide.index) == null; // closed and empty: final, nothing is stored after close (C1)
        } finally {
            unlock(takeSide, false);
        }
    }

    @Override
    boolean awaitDone(boolean timed, long nanos) throws InterruptedException {
        ThreadWaiter waiter;
        takeSide.lock();
        try {
            if (closed && slot(takeSide.index) == null) {
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
            unlock(takeSide, false);
        }
        return joinOutcome(await(waiter, ChannelFuture.Kind.JOIN, timed, timed ? System.nanoTime() + nanos : 0L));
    }

    @Override
    public CompletableFuture<Void> joinAsync() {
        ChannelFuture<Void> future;
        takeSide.lock();
        try {
            if (closed && slot(takeSide.index) == null) {
                return CompletableFuture.completedFuture(null);
            }
            future = new ChannelFuture<>(this, ChannelFuture.Kind.JOIN);
            joiners.addLast(future.waiter());
        } finally {
            unlock(takeSide, false);
        }
        return future;
    }

    @Override
    public int size() {
        lockBoth();
        try {
            serveOwedLocked();
            return sizeLocked();
        } finally {
            unlockBoth();
        }
    }

    @Override
    public boolean isEmpty() {
        takeSide.lock();
        try {
            // An item stored for queued getters is theirs already (see serveOwedLocked): serve them first.
            if (gettersRemainAfterServeLocked()) {
                // Getters still wait: empty, linearized at the serve's read of the empty slot. Not a second read of
                // the slot: a put (under the other lock) may store meanwhile, and that item is theirs.
                return true;
            }
            return slot(takeSide.index) == null; // S1: the oldest item, if any, is at the take index
        } finally {
            unlockTake(false);
        }
    }

    @Override
    public boolean isFull() {
        putSide.lock();
        try {
            // A slot freed for queued putters is theirs already (see serveOwedLocked): serve them first.
            if (puttersRemainAfterServeLocked()) {
                // Putters still wait: full, linearized at the serve's read of the full slot. Not a second read of
                // the slot: a get (under the other lock) may free it meanwhile, and that slot is theirs (jcstress
                // SizeBoundsStress.RefillDuringPoll saw isFull false there).
                return true;
            }
            // S1, GR1: the put slot is free unless ring.length items are buffered, and only a ring as long as the
            // capacity can be full (an unbounded channel never is)
            return ring.length == capacity * stride && slot(putSide.index) != null;
        } finally {
            unlockPut(false);
        }
    }

    @Override
    public List<T> snapshot() {
        lockBoth();
        try {
            serveOwedLocked();
            int n = sizeLocked();
            List<T> copy = new ArrayList<>(n);
            for (int k = 0, i = takeSide.index; k < n; k++, i = next(i)) {
                @SuppressWarnings("unchecked")
                T item = (T) slot(i);
                copy.add(item);
            }
            return Collections.unmodifiableList(copy);
        } finally {
            unlockBoth();
        }
    }

    @Override
    int[] queuedWaiters() {
        lockBoth();
        try {
            return new int[] {putSide.waiters.count(), takeSide.waiters.count(), joiners.count()};
        } finally {
            unlockBoth();
        }
    }
}
