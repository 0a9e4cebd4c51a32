package io.github.loomchan;

import java.time.Duration;
import java.util.Iterator;
import java.util.Objects;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * What the two channel implementations share: the waiting loop of blocked threads, the close state, the methods of
 * {@link Channel} that are defined in terms of others, and the hooks through which {@link Select}, {@link
 * ChannelFuture} and {@link ChannelIterator} drive a channel without knowing which implementation it is.
 *
 * <ul>
 *   <li>{@link BufferedChannel}: one lock per channel (Go's design); rendezvous and buffered capacities above {@value
 *       #SPLIT_MAX_CAPACITY}.
 *   <li>{@link ArrayChannel}: a put lock and a take lock around a ring (ADR 0003); capacities 1 to {@value
 *       #SPLIT_MAX_CAPACITY} (a fixed ring) and unbounded (a ring that grows).
 * </ul>
 *
 * <p><b>Sides.</b> Every operation belongs to a side: puts (and {@code onPut} clauses) to the put side, gets, joins
 * and {@code onGet} clauses to the take side. {@link #lockSide} takes the lock that guards a side; for {@link
 * BufferedChannel} both sides have the same lock. A select orders the locks it takes by (channel id, side: put before
 * take), and {@link ArrayChannel#close} takes put before take too, so no two threads wait for each other's locks.
 */
abstract sealed class AbstractChannel<T> implements Channel<T>
        permits BufferedChannel, ArrayChannel, RendezvousLayout.Pad0 {

    /**
     * The largest buffered capacity served by {@link ArrayChannel} with a ring allocated whole; larger buffered
     * capacities are served by {@link BufferedChannel}, whose ring grows on demand, and unbounded channels by an
     * {@link ArrayChannel} whose ring grows.
     */
    static final int SPLIT_MAX_CAPACITY = 1024;

    /**
     * The initial spin budget of a blocked platform thread: how many times it re-checks its waiter (with {@link
     * Thread#onSpinWait}) before parking. A handoff that completes while the waiter spins saves a park/unpark round
     * trip (several microseconds for platform threads). The budget then adapts per channel, see {@link
     * #platformSpins}.
     */
    static final int PLATFORM_SPINS = 64;

    /**
     * The smallest adaptive spin budget: a short spin stays cheap. Measured (performance-notes section 10), a wait
     * that starts here practically never catches a handoff, so a channel whose waits all reach this floor would stay
     * there for good; {@link #spinsBeforePark} therefore lets some floor waits probe with {@link #PROBE_SPINS}.
     */
    static final int MIN_PLATFORM_SPINS = 16;

    /**
     * The largest adaptive spin budget. Measured (performance-notes section 7, rendezvous 1P/1C on platform threads):
     * 64 spins 6,394 ns per item, 256: 4,295, 1,024: 788, 8,192: 669; beyond ~1,000 the gain is small and a wasted
     * spin costs tens of microseconds of CPU.
     */
    static final int MAX_PLATFORM_SPINS = 1024;

    /**
     * The budget of a probing wait at the floor (see {@link #spinsBeforePark}): long enough to catch a handoff whose
     * counterpart runs on another core, and above {@link #MAX_PLATFORM_SPINS} so that {@link #adaptSpins} can tell
     * a probe from an ordinary wait. A probe that catches restores the maximum budget. Measured (A/B, medians of
     * three forks on an idle 2-core machine, performance-notes section 11): 1P/1C on platform threads, buffered(16)
     * 1,702 -> 472 ns per item, buffered(100) 225 -> 170, rendezvous 5,163 -> 852; about one probe in ten caught.
     */
    static final int PROBE_SPINS = 2 * MAX_PLATFORM_SPINS;

    /** The gap, in floor waits, before the first probe and after a probe that caught. */
    static final int MIN_PROBE_GAP = 8;

    /**
     * The largest gap between probes: each probe that misses doubles the gap up to this, so a channel whose
     * counterpart is slow, or a machine without a free core, wastes at most one probe's spin per this many waits.
     */
    static final int MAX_PROBE_GAP = 1024;

    /**
     * How many times a blocked virtual thread yields its carrier ({@link Thread#yield}) before parking. Spinning
     * keeps the carrier, and the counterpart of a virtual thread is usually queued on that very carrier: measured
     * with counters (1P/1C, 2 cores, 2,000,000 waits), 64 onSpinWait spins caught no handoff at all and cost 18% of
     * the CPU, while one yield lets the counterpart run and caught 97.7% of rendezvous handoffs (parks per item 1.0
     * -> 0.02; rendezvous 1P/1C 2,593 -> 1,447 ns per item, buffered(1) 1,263 -> 722, A/B medians on a loaded
     * machine; docs/benchmarks.md has the side-by-side run). Four yields measured worse than one.
     *
     * <p>Not on a buffered(1) channel, nor on a rendezvous channel whose handoff spins miss ({@link #handoffScore}
     * below 0): there a virtual thread parks at once. Re-measured on JDK 25 with the handoff spin in place (A/B,
     * three forks per arm, medians, ns per item), parking at once everywhere gave chains of 10,000 rendezvous
     * channels 561 -> 351, 1,000 and 10,000 rendezvous pairs 396 -> 315 and 480 -> 357, buffered(1) 1P/1C 832 -> 583,
     * rendezvous 1P/1C and the chain of 1,000 level; but buffered(16) 1P/1C 153 -> 169 and MPMC 4P/4C and 16P/16C
     * (buffered(100)) 61 -> 108 and 44 -> 70, where the yield lets a batch build up while the thread is away. With one
     * slot or none there is no batch to wait for, and where the spins miss the counterpart is queued behind many
     * others: the yield sends the thread once around its carrier's queue (ten thousand threads long in the pairs)
     * only to park or find the claim, which an unpark on demand does with less work. The rule as it stands, against
     * one yield everywhere: chains of 10,000 514 -> 355, pairs 399 -> 324 and 444 -> 367, buffered(1) 790 -> 605,
     * rendezvous 1P/1C 496 -> 473, the chain of 1,000 406 -> 416; a select keeps its yield (parking at once cost it
     * 4-7%). Performance notes, section 17.
     */
    static final int VIRTUAL_YIELDS = 1;

    /**
     * How many times a virtual thread waiting on a rendezvous channel re-checks its waiter (with {@link
     * Thread#onSpinWait}, about 12 ns each on the 2-core machine of the benchmarks) before it yields, while the
     * channel's handoff spins have been catching ({@link #handoffScore}). A caught handoff saves the yield (about
     * 280 ns here) and, a third of the time, a park/unpark round trip. Measured with an earlier form of the rule that
     * did not learn from misses (performance-notes section 14, rendezvous 1P/1C on virtual threads, medians of five
     * forks): no spin 842 ns per item, 64 spins 598, 256 spins 541; single forks with 8 spins 1,015, 512 spins 621.
     * The spin before queuing of small buffered channels has the same budget (ArrayChannel, "Spinning before
     * queuing"; 64 measured worse there too, performance notes section 19).
     */
    static final int HANDOFF_SPINS = 256;

    /** What a caught handoff spin adds to {@link #handoffScore}. */
    static final int HANDOFF_CATCH = 1;

    /** What a missed handoff spin (the wait had to yield after all) takes from {@link #handoffScore}. */
    static final int HANDOFF_MISS = 4;

    /** The highest {@link #handoffScore}: how much credit a long run of catches can bank against later misses. */
    static final int HANDOFF_SCORE_MAX = 16;

    /** The lowest {@link #handoffScore}: a channel whose spins keep missing climbs back after a few catches. */
    static final int HANDOFF_SCORE_MIN = -8;

    /**
     * Below a score of 0, one wait in {@link #handoffProbeGap} probes with a spin anyway: at first one in this many,
     * and each probe that misses doubles the gap up to {@link #MAX_HANDOFF_PROBE_GAP}.
     */
    static final int MIN_HANDOFF_PROBE_GAP = 64;

    /** The largest gap between handoff probes (see {@link #MIN_HANDOFF_PROBE_GAP}). */
    static final int MAX_HANDOFF_PROBE_GAP = 4096;

    /**
     * The number of {@link #spinOnce} calls a thread waiting on this channel makes before it parks: {@link
     * #VIRTUAL_YIELDS} for a virtual thread (none if the capacity is 0 or 1; VIRTUAL_YIELDS says why), the channel's adaptive {@link #platformSpins} for a platform thread,
     * except that one wait in {@link #probeGap} at the floor probes with {@link #PROBE_SPINS}. Without the probe the
     * floor would be absorbing: a floor wait's short spin never catches a handoff (measured), so once every wait
     * starts at the floor no wait would ever raise the budget again, however fast the counterpart has become.
     */
    final int spinsBeforePark(boolean virtual) {
        if (virtual) {
            // A yield pays where a batch can build up meanwhile (capacity 2 or more), or where the rendezvous handoff
            // spins keep catching (the counterpart runs on a carrier of its own); VIRTUAL_YIELDS has the numbers.
            return capacity > 1 || (capacity == 0 && handoffScore >= 0) ? VIRTUAL_YIELDS : 0;
        }
        int budget = platformSpins;
        if (budget == MIN_PLATFORM_SPINS && ++floorWaits >= probeGap) { // plain read-modify-write of hints
            floorWaits = 0;
            return PROBE_SPINS;
        }
        return budget;
    }

    /**
     * Adapts {@link #platformSpins} after a platform thread's wait that started with {@code budget} spins: doubled
     * if the claim arrived before the waiter gave up spinning ({@code caught}), shrunk by an eighth if it had to
     * park. A probe ({@code budget} {@link #PROBE_SPINS}) that caught restores the maximum and the shortest probe
     * gap; one that missed leaves the budget at the floor and doubles the gap (up to {@link #MAX_PROBE_GAP}).
     */
    final void adaptSpins(int budget, boolean caught) {
        if (budget > MAX_PLATFORM_SPINS) { // a probe
            if (caught) {
                probeGap = MIN_PROBE_GAP;
                platformSpins = MAX_PLATFORM_SPINS;
            } else {
                probeGap = Math.min(MAX_PROBE_GAP, probeGap * 2);
            }
            return;
        }
        int next = caught
                ? Math.min(MAX_PLATFORM_SPINS, budget * 2)
                : Math.max(MIN_PLATFORM_SPINS, budget - (budget >> 3));
        if (next != budget) {
            platformSpins = next; // a plain write of a hint: see platformSpins
        }
    }

    /** One step of the wait before parking: yield the carrier (virtual threads) or pause the core (platform). */
    // Error Prone's ThreadPriorityCheck: the yield is measured, not a hope (VIRTUAL_YIELDS has the numbers); for a
    // virtual thread it hands the carrier to a counterpart queued on it, and correctness never depends on it.
    @SuppressWarnings("ThreadPriorityCheck")
    static void spinOnce(boolean virtual) {
        if (virtual) {
            Thread.yield(); // lets a counterpart queued on this carrier run before we park
        } else {
            Thread.onSpinWait();
        }
    }

    /** Returned by tryGetLocked when nothing can be taken now and the channel is open. */
    static final Object EMPTY = new Object();

    /** Returned by tryGetLocked (and by receive) when the channel is closed and drained. */
    static final Object CLOSED = new Object();

    /** Returned by receive when its timeout elapsed. */
    static final Object TIMED_OUT = new Object();

    static final int PUT_OK = 0;
    static final int PUT_FULL = 1;
    static final int PUT_CLOSED = 2;

    /** What {@link #await} returns when the owner withdrew its waiter on interrupt. */
    static final int INTERRUPTED = -1;

    /** What {@link #await} returns when the owner withdrew its waiter on timeout. */
    static final int TIMED_OUT_OUTCOME = -2;

    private static final AtomicLong IDS = new AtomicLong();

    /** Orders the locks of one select; unique per channel. */
    final long id = IDS.getAndIncrement();

    final int capacity;

    /**
     * Whether close ran. Written once, holding every lock of the channel (so it is stable while any one of them is
     * held); volatile for the lock-free {@link #isClosed()} and the first check of {@link #isDone()}.
     */
    volatile boolean closed;

    /** The close cause, or null. Written before {@link #closed}, under the same locks; never changes afterwards. */
    Throwable closeCause;

    /**
     * How long platform threads waiting on this channel spin before parking (see {@link #spinsBeforePark}), adapted
     * by every such wait ({@link #adaptSpins}), within [{@link #MIN_PLATFORM_SPINS}, {@link #MAX_PLATFORM_SPINS}].
     * Spinning pays when the counterpart runs on another core and answers within microseconds (a rendezvous
     * handoff between two busy threads); it wastes a core when the counterpart is slow or has no core (a full buffer
     * drained by a busy consumer, an oversubscribed machine). The waits themselves tell which case holds, as
     * HotSpot's adaptive spinning for monitors does. A hint only: read and written plainly without a lock, so
     * concurrent waits may lose each other's updates, which changes how long one later wait spins and nothing else
     * (ints are never torn; correctness never depends on spinning).
     */
    int platformSpins = MAX_PLATFORM_SPINS;

    /**
     * Platform-thread waits that started at the floor since the last probe, and how many such waits make one probe
     * ({@link #spinsBeforePark}). Hints like {@link #platformSpins}, read and written plainly: a lost update moves
     * one probe a little, and the gap stays within [{@link #MIN_PROBE_GAP}, {@link #MAX_PROBE_GAP}] whatever the
     * interleaving, because every write stores a value computed within those bounds.
     */
    int floorWaits;

    /** See {@link #floorWaits}. */
    int probeGap = MIN_PROBE_GAP;

    /**
     * Whether the handoff spins of virtual threads on this channel (a rendezvous channel's, or a split-lock buffered
     * channel's spins before queuing) have been catching: +{@link
     * #HANDOFF_CATCH} per caught spin, -{@link #HANDOFF_MISS} per miss, within [{@link #HANDOFF_SCORE_MIN}, {@link
     * #HANDOFF_SCORE_MAX}]; waits spin while it is at least 0 (see "Spinning for a running counterpart"). A hint like
     * {@link #platformSpins}, read and written plainly without a lock: a lost update changes whether one later wait
     * spins and nothing else, and the value stays in range whatever the interleaving, because every write stores a
     * value computed within it.
     */
    byte handoffScore;

    /*
     * The three handoff hints are a byte and two shorts (their ranges fit) so that they fit the space the object
     * layout leaves after the other fields: an idle channel is no larger for them (IdleFootprint).
     */

    /** Waits refused a handoff spin since the last probe; a hint like {@link #handoffScore}. */
    short handoffRefusals;

    /**
     * Refused waits that make one probe, within [{@link #MIN_HANDOFF_PROBE_GAP}, {@link #MAX_HANDOFF_PROBE_GAP}]; a
     * hint like {@link #handoffScore}.
     */
    short handoffProbeGap = MIN_HANDOFF_PROBE_GAP;

    AbstractChannel(int capacity) {
        this.capacity = capacity;
    }

    // ============================================================================ hooks for Select, futures, iterators

    /**
     * Whether the channel has no lock for a select to take ({@link RendezvousChannel}): a select then checks it with
     * {@link RendezvousChannel#selectNow} and registers on it with {@link RendezvousChannel#registerSelect}.
     */
    boolean lockFree() {
        return false;
    }

    /** Whether the put side and the take side have locks of their own ({@link ArrayChannel}). */
    abstract boolean splitSides();

    /**
     * Whether {@link #tryPutLocked} needs the take side's lock as well as the put side's (an {@link ArrayChannel}
     * whose ring grows): a select with a put clause on this channel then takes both.
     */
    boolean putNeedsBothLocks() {
        return false;
    }

    /** Takes the lock that guards {@code putSide ? puts : gets and joins}. */
    abstract void lockSide(boolean putSide);

    /**
     * Releases the lock of that side and returns the waiters claimed while it was held, for the caller to pass to
     * {@link #wakeAll} once it holds no lock at all (a select holding several locks). A select must call {@link
     * #afterSelect()} after waking them.
     */
    abstract Waiter unlockSideDeferringWakes(boolean putSide);

    /**
     * Puts {@code item} if possible now. Requires the put side's lock.
     *
     * @return PUT_OK, PUT_FULL or PUT_CLOSED
     */
    abstract int tryPutLocked(Object item);

    /**
     * Takes the oldest item if possible now. Requires the take side's lock.
     *
     * @return the item, {@link #EMPTY} if the channel is open and nothing can be taken, {@link #CLOSED} if done
     */
    abstract Object tryGetLocked();

    /**
     * Queues a select clause's waiter on its side after {@link #tryPutLocked}/{@link #tryGetLocked} found that side
     * not ready. Requires that side's lock. The waiter may be claimed before this returns.
     */
    abstract void addSelectWaiterLocked(SelectWaiter waiter, boolean putSide);

    /** Work a select owes the channel once it released every lock and woke what it claimed (see ArrayChannel). */
    abstract void afterSelect();

    /** Unlinks a withdrawn waiter of the given kind; takes and releases the lock of its side. */
    abstract void unlink(Waiter waiter, ChannelFuture.Kind kind);

    /**
     * Withdraws the waiter of a waiting thread or pending future on its owner's behalf (interrupt, timeout, an
     * external completion of the future), and unlinks it.
     *
     * <p>A channel with one lock claims under the lock that orders claims with its close, so the CAS alone decides.
     * ArrayChannel (a lock per side) overrides this to run the handoffs already in flight to the waiter first (its
     * rule H1), and the lock-free RendezvousChannel to make withdrawals agree with its close ("Closing").
     *
     * @return true if withdrawn; false if a claim came first: then the waiter is CLAIMED or FILLING, and the caller
     *     waits for its outcome ({@link OwnedWaiter#awaitFilled})
     */
    boolean withdraw(OwnedWaiter waiter, ChannelFuture.Kind kind) {
        if (waiter.tryCancel()) {
            unlink(waiter, kind);
            return true;
        }
        return false;
    }

    /**
     * Runs the handoffs to one side's queued waiters that a section of the other side has made possible but not yet
     * made (ArrayChannel, H1); a select calls it for each clause it waits on before it withdraws. A channel with one
     * lock, or none, hands over in the section that makes a handoff possible, so there is nothing to run: no-op.
     *
     * @param put the putters' side (else the getters')
     */
    void serveInFlight(boolean put) {
        // one lock or lock-free: no handoff is ever in flight
    }

    /**
     * Called when an operation has read {@code closed == true} and is about to let its caller see the close. A
     * lock-free channel finishes its close here (claims every waiter still queued), so that nobody sees the close
     * before the waiters it ends do (RendezvousChannel, "Closing"); locked channels do that inside their close.
     */
    void closeObserved() {
        // locked channels: nothing to do
    }

    /** Puts, waiting while full (with a deadline if {@code timed}); true if put, false if the timeout elapsed. */
    abstract boolean send(T item, boolean timed, long nanos) throws InterruptedException;

    /**
     * Gets, waiting while empty (with a deadline if {@code timed}).
     *
     * @return the item, {@link #CLOSED} if done, {@link #TIMED_OUT} if the timeout elapsed
     */
    abstract Object receive(boolean timed, long nanos) throws InterruptedException;

    /** Takes an item without waiting: the item, {@link #EMPTY} or {@link #CLOSED}. */
    abstract Object takeNow();

    /** Closes with {@code cause} (null for a plain close); idempotent. */
    abstract void closeWith(Throwable cause);

    /** Waits until done, with a deadline if {@code timed}; true if done, false if the timeout elapsed. */
    abstract boolean awaitDone(boolean timed, long nanos) throws InterruptedException;

    /** Number of queued waiters of each kind (live or not): putters, getters, joiners; for white-box tests. */
    abstract int[] queuedWaiters();

    /** Wakes a list of claimed waiters linked through {@link Waiter#wakeNext}; call with no channel lock held. */
    static void wakeAll(Waiter claimed) {
        for (Waiter w = claimed; w != null; ) {
            Waiter next = w.wakeNext;
            w.wakeNext = null;
            w.wake();
            w = next;
        }
    }

    // ================================================================================================ waiting

    /**
     * Waits until {@code waiter} is claimed, or withdraws it on interrupt or timeout. A waiting virtual thread yields
     * its carrier first (on a rendezvous channel whose spins have been catching, it spins before that: {@link
     * #handoffSpins}) and a platform thread spins a little ({@link #spinsBeforePark}); then it announces {@code
     * parking} (a volatile write followed by one more check of its state) and parks. A claimer unparks only
     * announced waiters, so a handoff caught while spinning costs no unpark (see {@link ThreadWaiter#parking}).
     *
     * @param kind the queue the waiter is linked into, to unlink it on withdrawal
     * @param deadline a System.nanoTime() deadline, used if {@code timed}
     * @return the waiter's outcome, or INTERRUPTED / TIMED_OUT_OUTCOME if the owner withdrew it (then unlinked)
     */
    final int await(ThreadWaiter waiter, ChannelFuture.Kind kind, boolean timed, long deadline) {
        Thread self = Thread.currentThread();
        boolean virtual = self.isVirtual();
        int budget = spinsBeforePark(virtual);
        long left = timed ? Math.max(0L, deadline - System.nanoTime()) : Long.MAX_VALUE; // one clock read for both
        int spins = (int) Math.min(budget, left >> 6);
        // A virtual thread waiting for a rendezvous may spin before its yield (see handoffSpins); about 16 ns a spin,
        // so a timed wait spins no longer than its timeout.
        boolean probe = false;
        int handoff = 0;
        if (virtual && capacity == 0 && kind != ChannelFuture.Kind.JOIN) {
            probe = handoffScore < 0; // read before handoffSpins: a spin decided below 0 is a probe
            handoff = (int) Math.min(handoffSpins(), left >> 4);
        }
        // Only a whole spin teaches the score: one cut short by its timeout says nothing about the counterpart.
        boolean spun = handoff == HANDOFF_SPINS;
        // Whether this wait's outcome says anything about spinning (see adaptSpins): not for a virtual thread, and not
        // for a thread interrupted before it waits (callers on a channel with a lock per side queue the waiter even
        // then, ArrayChannel#receive says why), which skips the spin and withdraws at the parking branch below.
        boolean adapt = !virtual;
        if (self.isInterrupted()) {
            spins = 0;
            handoff = 0;
            spun = false;
            adapt = false;
        }
        while (true) {
            int state = waiter.state; // volatile read: pairs with tryClaim's CAS or finishClaim's release store
            if (state == OwnedWaiter.FILLING) {
                waiter.awaitFilled(); // a lock-free claimer is two stores from CLAIMED: never park on FILLING
                continue;
            }
            if (state == OwnedWaiter.CLAIMED) {
                if (adapt && !waiter.parking) {
                    adaptSpins(budget, true);
                }
                if (spun) {
                    handoffSpun(true, probe); // claimed while the handoff spin still ran: caught
                }
                return claimedOutcome(waiter);
            }
            if (handoff > 0) {
                if (--handoff == 0 && spun) {
                    handoffSpun(false, probe); // the spin ran out: a miss, whatever the next look finds
                    spun = false;
                }
                Thread.onSpinWait();
                continue;
            }
            if (spins > 0) {
                spins--;
                spinOnce(virtual);
                continue;
            }
            if (!waiter.parking) {
                if (adapt) {
                    adaptSpins(budget, false);
                }
                waiter.parking = true; // volatile write, then re-check state before parking; see ThreadWaiter#parking
                continue;
            }
            boolean interrupted = Thread.interrupted();
            long remaining = timed ? deadline - System.nanoTime() : Long.MAX_VALUE;
            if (interrupted || remaining <= 0) {
                if (withdraw(waiter, kind)) {
                    return interrupted ? INTERRUPTED : TIMED_OUT_OUTCOME;
                }
                // Claimed at the same moment: the operation completed. Report it; keep the interrupt visible.
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
                waiter.awaitFilled(); // the failed CAS read CLAIMED, or FILLING: wait for the outcome's release
                return claimedOutcome(waiter);
            }
            if (timed) {
                LockSupport.parkNanos(this, remaining);
            } else {
                LockSupport.park(this);
            }
        }
    }

    /**
     * The outcome of a claimed waiter (CLAIMED read). An owner claimed with CLOSED learns of the close here, so it lets
     * the channel finish the close first ({@link #closeObserved}; RendezvousChannel, "Closing", C1).
     */
    private int claimedOutcome(ThreadWaiter waiter) {
        int outcome = waiter.outcome;
        if (outcome == Waiter.CLOSED) {
            closeObserved();
        }
        return outcome;
    }

    /*
     * Spinning for a running counterpart
     * ==================================
     * A virtual thread that waits normally yields its carrier once and then parks (VIRTUAL_YIELDS; on a channel of
     * capacity 1, or a rendezvous channel whose handoff spins miss, it parks at once): its counterpart
     * is usually queued on that same carrier, and spinning would only keep it from running. On two or more carriers
     * there is one common case where that is wrong: a rendezvous between one producer and one consumer that run on
     * carriers of their own, each coming straight back to the channel. Then a short spin catches the handoff, both
     * threads keep their carriers, and nobody yields or parks. Measured (rendezvous 1P/1C on virtual threads, 2
     * carriers, a spin of 512 before every yield): 94% of the waits were caught by the spin, and parks fell from a
     * third of the waits to 8 k of 6.5 M.
     *
     * The JDK's SynchronousQueue decides with a look at its carrier's work queue, which is not public. Here the
     * channel learns from its own spins: handoffScore goes up by HANDOFF_CATCH for a spin that caught the claim and
     * down by HANDOFF_MISS for one that ran out, and waits spin only while the score is at least 0 (a channel below
     * 0 still probes one wait in 64, fewer while its probes miss, so it notices when spinning starts to pay again).
     * A miss costs four catches' credit because it costs far more than a catch saves: a carrier held for
     * HANDOFF_SPINS pauses (about 3 microseconds here) while other virtual threads, often the counterpart itself,
     * wait for it. On a chain or thousands of pairs of rendezvous channels the counterpart is rarely on another
     * carrier, nearly every spin misses, and each channel stops after its first miss (and its probes thin out while
     * they miss). A/B against no spin (six forks per arm, ratio of medians): 1P/1C 0.84, select over 2 and over 8
     * channels 0.70 and 0.72 (the producers are claimed by the selector while they spin, instead of being
     * unparked), chains of 1,000 and 10,000 channels 0.98 and 1.07, 1,000 and 10,000 pairs 1.03 and 1.00 (within
     * the noise of those rows).
     *
     * Only rendezvous channels spin here, after queuing: on buffered(1) a spin of a queued waiter caught 88% of the
     * waits and changed nothing measurable (each item still crosses between the carriers through the slot and both
     * locks, and every handoff still needs the counterpart's serve), and on larger buffers it breaks the batching
     * that a yield gives (performance-notes section 13). The split-lock buffered channel spins before queuing
     * instead, on the slot itself, with the same score (ArrayChannel, "Spinning before queuing"). Correctness never
     * depends on any of this: the claim CAS decides every outcome, the spin only re-reads the waiter's state.
     */

    /** How many handoff spins a virtual thread's rendezvous wait starts with ("Spinning for a running counterpart"). */
    final int handoffSpins() {
        if (handoffScore >= 0) {
            return HANDOFF_SPINS;
        }
        int refused = handoffRefusals + 1; // plain read-modify-write of a hint
        if (refused < handoffProbeGap) {
            handoffRefusals = (short) refused;
            return 0;
        }
        handoffRefusals = 0;
        return HANDOFF_SPINS; // a probe
    }

    /**
     * Adapts {@link #handoffScore} after a wait whose handoff spin {@code caught} the claim, or ran out; for a {@code
     * probe} (a spin that started below a score of 0) also the probe gap: reset by a catch, doubled by a miss.
     */
    final void handoffSpun(boolean caught, boolean probe) {
        if (probe) {
            int gap = caught ? MIN_HANDOFF_PROBE_GAP : Math.min(MAX_HANDOFF_PROBE_GAP, handoffProbeGap * 2);
            if (gap != handoffProbeGap) {
                handoffProbeGap = (short) gap;
            }
        }
        int score = handoffScore;
        int next = caught
                ? Math.min(HANDOFF_SCORE_MAX, score + HANDOFF_CATCH)
                : Math.max(HANDOFF_SCORE_MIN, score - HANDOFF_MISS);
        if (next != score) { // a steady pair stops writing once the score is at its maximum
            handoffScore = (byte) next;
        }
    }

    /** Maps the outcome of a putter's {@link #await} to send's result or exception. */
    final boolean putOutcome(int outcome) throws InterruptedException {
        return switch (outcome) {
            case Waiter.TAKEN -> true;
            case Waiter.CLOSED -> throw closedForPut();
            case INTERRUPTED -> throw new InterruptedException("interrupted while waiting to put");
            case TIMED_OUT_OUTCOME -> false;
            default -> throw new AssertionError("unexpected outcome " + outcome);
        };
    }

    /** Maps the outcome of a getter's {@link #await} to receive's result or exception. */
    static Object getOutcome(ThreadWaiter waiter, int outcome) throws InterruptedException {
        return switch (outcome) {
            case Waiter.RECEIVED -> waiter.item;
            case Waiter.CLOSED -> CLOSED;
            case INTERRUPTED -> throw new InterruptedException("interrupted while waiting to get");
            case TIMED_OUT_OUTCOME -> TIMED_OUT;
            default -> throw new AssertionError("unexpected outcome " + outcome);
        };
    }

    /** Maps the outcome of a joiner's {@link #await} to awaitDone's result or exception. */
    static boolean joinOutcome(int outcome) throws InterruptedException {
        if (outcome == INTERRUPTED) {
            throw new InterruptedException("interrupted while waiting for the channel to be done");
        }
        return outcome == Waiter.CLOSED;
    }

    // ================================================================================================ Channel API

    @Override
    public final void put(T item) throws InterruptedException {
        send(item, false, 0L);
    }

    @Override
    public final boolean offer(T item, Duration timeout) throws InterruptedException {
        return send(item, true, nanos(timeout));
    }

    @Override
    public final void putNowait(T item) {
        if (!offer(item)) {
            throw new ChannelFullException(
                    capacity == 0
                            ? "rendezvous channel has no waiting getter to take the item now"
                            : "channel is full (" + capacity + " items buffered)");
        }
    }

    @Override
    public final T get() throws InterruptedException {
        return itemOrThrow(receive(false, 0L));
    }

    @Override
    public final T poll(Duration timeout) throws InterruptedException {
        Object result = receive(true, nanos(timeout));
        return result == TIMED_OUT ? null : itemOrThrow(result);
    }

    @Override
    public final T getNowait() {
        Object result = takeNow();
        if (result == EMPTY) {
            throw new ChannelEmptyException(
                    capacity == 0
                            ? "rendezvous channel has no waiting putter to take an item from now"
                            : "channel is empty");
        }
        return itemOrThrow(result);
    }

    @Override
    public final T poll() {
        Object result = takeNow();
        return result == EMPTY ? null : itemOrThrow(result);
    }

    @SuppressWarnings("unchecked")
    final T itemOrThrow(Object result) {
        if (result == CLOSED) {
            throw closedForGet();
        }
        return (T) result;
    }

    @Override
    public final void close() {
        closeWith(null);
    }

    @Override
    public final void close(Throwable cause) {
        closeWith(Objects.requireNonNull(cause, "cause"));
    }

    @Override
    public final boolean isClosed() {
        if (closed) {
            closeObserved();
            return true;
        }
        return false;
    }

    @Override
    public final void join() throws InterruptedException {
        awaitDone(false, 0L);
    }

    @Override
    public final boolean join(Duration timeout) throws InterruptedException {
        return awaitDone(true, nanos(timeout));
    }

    @Override
    public final int capacity() {
        return capacity;
    }

    @Override
    public final Iterator<T> iterator() {
        return new ChannelIterator<>(this);
    }

    @Override
    public final Stream<T> stream() {
        return StreamSupport.stream(
                Spliterators.spliteratorUnknownSize(iterator(), Spliterator.ORDERED | Spliterator.NONNULL), false);
    }

    @Override
    public final <R> SelectClause<R> onGet(Function<? super T, ? extends R> onItem) {
        return new GetClause<>(this, onItem);
    }

    @Override
    public final <R> SelectClause<R> onPut(T item, Supplier<? extends R> onPut) {
        return new PutClause<>(this, item, onPut);
    }

    @Override
    public final String toString() {
        String kind =
                switch (capacity) {
                    case 0 -> "rendezvous";
                    case Integer.MAX_VALUE -> "unbounded";
                    default -> "buffered(" + capacity + ")";
                };
        String state;
        int n = size();
        if (!closed) {
            state = "open";
        } else {
            state = n == 0 ? "done" : "closed";
            Throwable cause = closeCause;
            if (cause != null) {
                state += " (cause: " + cause + ")";
            }
        }
        return "Channel[" + kind + ", size=" + n + ", " + state + "]";
    }

    // ================================================================================================ helpers

    /** The close cause; call only after observing {@code closed == true}. */
    final Throwable closeCause() {
        return closeCause;
    }

    final ChannelClosedException closedForPut() {
        return new ChannelClosedException("channel is closed: cannot put", closeCause);
    }

    final ChannelClosedException closedForGet() {
        return new ChannelClosedException("channel is closed and drained: nothing left to get", closeCause);
    }

    static long nanos(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        // saturates instead of throwing for huge durations: "wait practically forever" is what they mean
        if (timeout.isNegative() || timeout.isZero()) {
            return 0L;
        }
        try {
            return timeout.toNanos();
        } catch (ArithmeticException overflow) {
            return Long.MAX_VALUE;
        }
    }
}
