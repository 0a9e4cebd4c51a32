package io.github.loomchan;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The rendezvous channel (capacity 0): a lock-free FIFO dual queue of the waiters of blocked puts or blocked gets
 * (ADR 0004). Joiners, which wait for the close, keep a small locked list.
 */
final class RendezvousChannel<T> extends RendezvousLayout.Pad2<T> {
    /*
     * Implementation overview
     * =======================
     *
     * Overview
     * --------
     * A rendezvous channel has no buffer, so the whole state of an open channel is "who waits": blocked putters
     * (each with its item) or blocked getters, never both. They wait in one FIFO queue of Waiters, linked through
     * Waiter.next, used as a dual queue as in the JDK's SynchronousQueue and LinkedTransferQueue, but with no
     * sentinel node (ADR 0006):
     *
     *     head -> w1 -> w2 -> ... -> wn -> null        head == null: nobody waits
     *     tail: a hint, some waiter at or before the last (or null, or one that left)
     *     closed (volatile); joiners: a WaiterQueue under joinLock
     *
     * (head and tail are declared in RendezvousLayout, each on a cache line of its own.)
     *
     * Why no sentinel: with at most one waiter, which is the common case of one producer and one consumer, an
     * operation then touches only head and the waiter, as a stack does. A Michael-Scott queue also touches tail and
     * the sentinel's next, two more cache lines that cross between the cores on every handoff; the JDK's own FIFO
     * SynchronousQueue costs twice its LIFO mode for that reason (performance notes section 24).
     *
     * The nodes are the channel's existing waiters: ThreadWaiter, FutureWaiter and SelectWaiter, each with its
     * mode (Waiter.mode: PUT, GET, or both for a select with both kinds of clause on this channel). As everywhere in
     * loomchan, an operation completes only through a successful claim of its waiter, and its owner withdraws it
     * (interrupt, timeout, cancelled future, a select that won elsewhere) with the competing CAS; here claims have two
     * steps, beginClaim (the deciding CAS, to FILLING) and finishClaim (outcome and item, then a release store), since
     * several claimers may try one waiter at once (see Waiter).
     *
     * A waiter is *live* while it can still be claimed (Waiter.isDead is false; a select that is BUSY counts as live)
     * and *dead* afterwards. Dead waiters stay linked until someone removes them; every scan skips them.
     *
     * Links and invariants
     * --------------------
     * A waiter's next is null while it is the last waiter, a later waiter while it has one, and the waiter itself
     * once it has *left* the queue (no other value, and never null again once set). The *queue* is what is reachable
     * from head.
     *   D1  every waiter in the queue, live or dead, has the mode of the last one, except that a waiter with both
     *       modes is only ever the queue's one waiter (it is appended only to an empty queue, and nobody appends
     *       behind it).
     *   L1  only the waiter at the front (head) leaves the queue, and only once dead; a sweep may unlink dead waiters
     *       from inside, never the last one. So a live waiter read at head is still at the front, and a waiter
     *       whose next is null and that has not left is the queue's last.
     *   A1  the last waiter leaves by its *seal*, a CAS of its next from null to itself, before head leaves it; any
     *       other front waiter leaves by a CAS of head to its successor, then a self-link (a release store). An
     *       append is a CAS of the last waiter's next from null, so it fails on a sealed waiter: nothing is ever
     *       linked behind a waiter that is leaving, which is what a sentinel did for Michael and Scott.
     *   T1  tail is only a hint for appends: null, a waiter that left (its next is itself: appends start at head),
     *       or a waiter from which the last is reachable. No decision reads it.
     *
     * Operations
     * ----------
     *   transfer(M, item):  closed?                                  -> CLOSED (nothing touched)
     *                       head dead?                               -> remove it from the front, retry
     *                       head null, or a live head of mode M?     -> append (if the caller may wait) or EMPTY
     *                       claim head                               -> done: hand over the item, remove it, wake it
     * An operation of mode M that finds the queue empty publishes its waiter with one CAS of head from null. One that
     * finds a live front of mode M walks to the last waiter (from the tail hint if that has not left, else from head)
     * and appends there if that last waiter has mode M (D1 checked where the CAS lands), else looks again. By D1 and
     * L1, a live front of mode M means no counterpart anywhere in the queue at the instant it was read, so EMPTY is
     * linearizable there; a live counterpart at the front is claimed. A waiter with both modes never counts as "my
     * mode": whoever finds one at the front tries to claim it.
     *
     * Removing the front (removeFront) is done by whoever finds a dead waiter there, the claimer first of all: with a
     * successor, head moves to it and the old front is self-linked (so that a waiter kept alive from outside, say a
     * future a user holds, does not keep the queue reachable, and a walk that finds a self-linked node knows it fell
     * behind and starts again at head); without one, the seal, then head to null. A sealed waiter still at head is
     * dead, so the next thread to find it finishes its removal.
     *
     * Closing
     * -------
     * close writes closed (volatile, under joinLock, which also orders it with joins) and claims the joiners in that
     * same section; then it finishes the close (finishClose): it claims every waiter at the front with CLOSED until the
     * queue holds none, and only then wakes what it claimed (a future's wake completes it), and last the joiners.
     * Writing the flag and claiming the waiters are not one atomic step, so three rules keep the gap invisible:
     *
     *   C1  whoever reads closed == true runs finishClose before anyone can learn of the close through it: transfer
     *       (so every put, get, offer, poll and select check), a select's registration, isClosed, isDone and the
     *       joins; and an owner whose waiter was claimed with CLOSED runs it before it returns (it may have seen its
     *       state before the claimer's pass ended).
     *   C2  an owner withdraws its waiter (interrupt, timeout, a completed future, a select that gives up) only if it
     *       read closed == false before its CAS; if it reads true it runs finishClose instead, which claims its waiter
     *       unless another claim came first, and reports that claim (withdraw; Select's await).
     *   C3  an operation that appended its waiter reads closed again after the append; if it is set, it runs
     *       finishClose, which claims its waiter unless a handoff came first. Either a sweep sees the appended waiter
     *       or the appender sees the flag: the append CAS and the flag write are both in the synchronization order,
     *       and finishClose reads the links only after a read of closed == true.
     * Joiners need none of this: they are claimed in the section that writes the flag, and a joiner's withdrawal
     * takes that lock.
     *
     * Linearizability: the close linearizes at the moment the first finishClose after the flag write finds the queue
     * empty, head null (at or before the end of the closer's own finishClose, so inside close's interval).
     *   - Every waiter queued before the flag write is claimed or withdrawn by then: a pass visits every node.
     *   - A withdrawal that succeeds read closed == false before its CAS (C2), so before the flag write; it
     *     linearizes at that read.
     *   - A handoff whose claim lands after the flag write had both of its operations start before it (the
     *     claimer read closed == false, the claimed waiter was appended after its owner read closed == false), so
     *     both are pending at the close's moment, and the pair linearizes just before it.
     *   - Whatever shows the close (a CLOSED result, a future completed with CLOSED, isClosed, a join returning)
     *     comes after some finishClose ended (C1), so after the close's moment.
     *   - A waiter appended after that moment (C3) belongs to an operation that started before the flag write and
     *     ends with CLOSED; it linearizes after the close, as an operation that finds the channel closed.
     * The last two rules also order closes of different channels as their observers saw them: once anybody has seen
     * X closed, the queue of X has been swept, so a select waiting on X and Y can no longer be won by Y's close.
     *
     * Withdrawal and cleaning
     * -----------------------
     * A withdrawn waiter is dead at once; its owner then cleans (clean): it removes the dead waiters at the front
     * (removeFront), and every SWEEP_THRESHOLD withdrawals that did not find their waiter at the front it sweeps the
     * whole queue, unlinking each dead waiter that has a successor (CAS of the predecessor's next from the dead
     * waiter to its successor). The last waiter is never unlinked from inside the queue (an append could be linking
     * after it at that very moment); it leaves when it reaches the front. An unlink can be lost, or undone in effect,
     * when its predecessor was unlinked at the same time; the waiter then stays reachable, dead, until a later sweep
     * or the front takes it. Live waiters are never unlinked, only claimed at the front.
     *
     * A waiter can outlive its operation as the tail hint (T1), so the channel must not keep its payload alive: the
     * claimer of a putter reads the item before its finishClaim and clears it; a getter's owner clears the item after
     * it read it; a thread's waiter drops its thread when its operation returns, a future's waiter drops its future
     * when it settles or is withdrawn, and a select drops its thread and its waiters' items when it returns.
     *
     * Select
     * ------
     * A select cannot lock this channel, so it registers first and then looks (Koval et al.'s order): its check
     * phase tries a "now" transfer on each clause like the locked channels (a match at the front, with its own
     * Selection not yet visible to anyone), and its registration appends one SelectWaiter per rendezvous channel of
     * its clauses. A registration that finds a counterpart at the front (one arrived after the check) must claim
     * two waiters: its own Selection, so that no other clause wins meanwhile (WAITING -> BUSY), then the counterpart;
     * it then wins the clause, or gives its own claim back if the counterpart was dead. Selection says why waiting
     * for a BUSY select cannot deadlock. Locked channels never see BUSY: a select is BUSY only while it registers,
     * holding the locks of all its locked channels, and their claimers need those locks.
     *
     * Memory ordering
     * ---------------
     * - A putter's item and mode are written before its waiter is published by the append CAS (volatile); claimers
     *   read them after reading the link (volatile).
     * - A getter's item is written by its claimer after the beginClaim CAS and published by finishClaim's release
     *   store; the owner reads it after its volatile read of CLAIMED (or of a select's decided state).
     * - closed is volatile; closeCause is written before it under joinLock and read only after reading closed.
     * - head, tail and next are read volatile and written by CAS (appends, seals, head and hint moves), or
     *   (self-links) by release stores that a reader only compares with the node itself. A seal is a CAS because it
     *   races with appends: exactly one of the two CASes from null succeeds (A1).
     *
     * Differences from the JDK's SynchronousQueue and jox
     * ---------------------------------------------------
     * SynchronousQueue's fair mode (LinkedTransferQueue's xfer) is a Michael-Scott queue with a sentinel and slack in
     * head and tail; its default, unfair mode is a LIFO stack. Both decide a match by a CAS of the item and have no
     * close, no futures and no select. The seal here plays the role of LinkedTransferQueue's self-linked nodes, one
     * step earlier: before the last node leaves rather than after. jox and Kotlin are lock-free with counters over an
     * infinite array of cells (Koval et al., PPoPP'23), which buffered channels need and a rendezvous does without.
     */

    /**
     * Withdrawals that did not find their waiter at the front, between two sweeps of the whole queue: the dead
     * waiters a queue can hold inside it are about this many (a sweep costs a walk over the queue, so sweeping on
     * every withdrawal would be quadratic for a long queue of timed waits; LinkedTransferQueue uses the same idea).
     */
    static final int SWEEP_THRESHOLD = 32;

    /** A {@link #transfer} result: a put handed its item to a waiting getter. */
    private static final Object MATCHED = new Object();

    /**
     * A {@link #transfer} result: the calling thread would have to wait, but its interrupt status is set, so nothing
     * was appended (the status is left set; the caller clears it and throws).
     */
    private static final Object INTERRUPTED_BEFORE_WAIT = new Object();

    /**
     * A {@link #transfer} node argument: the caller is a thread that waits if nothing can be claimed, and transfer
     * makes its {@link ThreadWaiter} only when it appends, so that one pass over the queue either claims a
     * counterpart or queues the caller. (A first pass without a waiter followed by a second with one, as putAsync
     * and getAsync do, cost a rendezvous 1P/1C about a tenth of its time per item: performance notes section 21.)
     * Never linked, never claimed.
     */
    private static final OwnedWaiter NEW_THREAD_WAITER = new ThreadWaiter(null);

    /** Claimed waiters to wake later: by a select once it holds no lock, or by finishClose once its pass ended. */
    static final class DeferredWakes {
        private Waiter first;

        void add(Waiter waiter) {
            waiter.wakeNext = first;
            first = waiter;
        }

        /** Wakes every deferred waiter; call with no lock held. */
        void wakeAll() {
            Waiter list = first;
            first = null;
            AbstractChannel.wakeAll(list);
        }
    }

    /** Guards {@link #joiners} and orders the write of {@link #closed} with them. */
    private final ReentrantLock joinLock = new ReentrantLock();

    private final WaiterQueue joiners = new WaiterQueue();

    /**
     * Withdrawals since the last sweep ({@link #SWEEP_THRESHOLD}); a hint, read and written plainly: a lost update
     * moves one sweep a little.
     */
    private int sweepVotes;

    RendezvousChannel() {
        // head and tail start null: an empty queue, and no hint
    }

    // ================================================================================================ the queue

    /** Whether an operation of {@code mode} queues behind {@code waiter}: they have the same single mode. */
    private static boolean sameMode(Waiter waiter, byte mode) {
        return waiter.mode == mode && mode != BOTH_MODES;
    }

    /** Both {@link Waiter#PUT_MODE} and {@link Waiter#GET_MODE}: a select with both clauses on this channel. */
    static final byte BOTH_MODES = Waiter.PUT_MODE | Waiter.GET_MODE;

    /**
     * One put or get of a non-select caller: claims the waiter at the front if it is a live counterpart, else
     * appends {@code node} (if not null) and returns it, re-reading {@link #closed} after the append; its owner must
     * then wait for its claim. With {@link #NEW_THREAD_WAITER} it makes the calling thread's waiter at the append
     * (mode and item set before the append publishes it) and returns that waiter, unless the thread is interrupted
     * ({@link #INTERRUPTED_BEFORE_WAIT}): as with a separate first try, a handoff that can happen at once happens
     * whatever the interrupt status, and only a wait is refused.
     *
     * @param mode PUT_MODE or GET_MODE
     * @param item the item of a put
     * @param node the caller's waiter to append if nothing can be claimed (mode and item set), {@link
     *     #NEW_THREAD_WAITER}, or null
     * @param wakes where to defer the wake-up of a claimed waiter, or null to wake it before returning
     * @return for a get the item received, for a put {@link #MATCHED}; else {@link #CLOSED}, {@link #EMPTY} (node
     *     null), the appended waiter ({@code node}, or for {@link #NEW_THREAD_WAITER} the {@link ThreadWaiter} made),
     *     or {@link #INTERRUPTED_BEFORE_WAIT}
     */
    private Object transfer(byte mode, Object item, OwnedWaiter node, DeferredWakes wakes) {
        while (true) {
            if (closed) { // volatile read; see "Closing"
                finishClose(wakes); // C1
                return CLOSED;
            }
            Waiter first = head;
            if (first != null && first.isDead()) {
                removeFront(first); // claimed or withdrawn, not yet removed: help, then look again
                continue;
            }
            if (first == null || sameMode(first, mode)) {
                // Empty, or a live front of our mode, so (D1) no counterpart anywhere in the queue: both reads are
                // exact at their instant (a live front is still the front, since only dead waiters leave), which
                // makes EMPTY, and the refusal of an interrupted thread's wait, linearizable there.
                if (node == null) {
                    return EMPTY;
                }
                if (node == NEW_THREAD_WAITER) {
                    if (Thread.currentThread().isInterrupted()) {
                        return INTERRUPTED_BEFORE_WAIT;
                    }
                    node = newThreadWaiter(mode, item); // made once: a failed append retries with the same node
                }
                if (append(first, node, mode)) {
                    if (closed) {
                        finishClose(wakes); // C3: claims node unless a handoff came first; its owner reads which
                    }
                    return node;
                }
                continue;
            }
            // first is a live counterpart, or a select with both modes. A node made on an earlier turn of this loop
            // was never linked (its append failed), so nobody else can see it: dropping it here is safe, and the
            // claim below completes the operation instead.
            int claim = first.beginClaim(null);
            Object result = MATCHED;
            if (claim == Waiter.CLAIM_OWNED) {
                result = exchange(first, mode == Waiter.PUT_MODE, item);
            }
            removeFront(first); // claimed or dead, it leaves the front
            if (claim == Waiter.CLAIM_OWNED) {
                if (wakes == null) {
                    first.wake();
                } else {
                    wakes.add(first);
                }
                return result;
            }
        }
    }

    /** The calling thread's waiter for a put of {@code item} or a get, not yet linked anywhere. */
    private static ThreadWaiter newThreadWaiter(byte mode, Object item) {
        ThreadWaiter waiter = new ThreadWaiter(Thread.currentThread());
        waiter.mode = mode;
        waiter.item = item;
        return waiter;
    }

    /**
     * Completes a claim of {@code front} (its beginClaim succeeded) for a put of {@code item} ({@code put}) or a get.
     *
     * @return for a get, the item taken from {@code front}; for a put, {@link #MATCHED}
     */
    private static Object exchange(Waiter front, boolean put, Object item) {
        if (put) {
            front.finishClaim(Waiter.RECEIVED, item);
            return MATCHED;
        }
        Object taken = front.item; // written before front was appended; read before finishClaim releases it
        front.item = null; // a removed waiter must not keep the item alive; nobody reads a taken putter's item
        front.finishClaim(Waiter.TAKEN, null);
        return taken;
    }

    /**
     * Tries to append {@code node} ("Appending"): as the only waiter if {@code first} (head, as the caller read it)
     * is null, else behind the last waiter, found from the tail hint (or from {@code first}), provided that one has
     * the node's single mode.
     *
     * @return whether {@code node} is now linked; false means the queue changed, and the caller looks again
     */
    private boolean append(Waiter first, Waiter node, byte mode) {
        if (first == null) {
            // Volatile CAS: publishes node's fields (mode, item, owner) to every thread that reads head.
            return HEAD.compareAndSet(this, null, node);
        }
        Waiter hint = tail;
        boolean fromHint = hint != null && hint.nextVolatile() != hint;
        Waiter last = fromHint ? hint : first;
        while (true) {
            Waiter next = last.nextVolatile();
            if (next == last) { // last left the queue (sealed or self-linked)
                if (fromHint) {
                    // The hint is stale: a waiter a sweep unlinked keeps pointing forward, possibly at waiters that
                    // left since. Walk from first instead, or a caller that retries would find the same dead end.
                    fromHint = false;
                    last = first;
                    continue;
                }
                return false; // first itself left: the caller reads head again
            }
            if (next != null) {
                last = next;
                continue;
            }
            if (!sameMode(last, mode)) {
                return false; // the queue changed since the caller read its front (D1 is checked here, at the end)
            }
            // Volatile CAS: publishes node's fields; fails on another append or on a seal (A1).
            if (last.casNext(null, node)) {
                if (last != hint) {
                    casTail(hint, node); // the hint moves every other append of a long queue, never in 1P/1C
                }
                return true;
            }
        }
    }

    /**
     * Removes {@code first}, a dead waiter read from head, from the front ("Removing the front"): head moves to its
     * successor and {@code first} is self-linked; or, if it has none, {@code first} is sealed first (its next CASed
     * from null to itself, so that no append can link behind it) and head set to null. Any thread may help; a stale
     * {@code first} (removed meanwhile) changes nothing.
     */
    private void removeFront(Waiter first) {
        assert first.isDead() : "only dead waiters leave the front";
        Waiter next = first.nextVolatile();
        if (next == null) {
            if (first.casNext(null, first)) { // volatile CAS: the seal (A1)
                casHead(first, null);
                return;
            }
            next = first.nextVolatile(); // an append won (a successor now), or another remover sealed it
        }
        if (next == first) {
            casHead(first, null); // sealed: finish the removal (fails harmlessly if first left through a self-link)
            return;
        }
        if (casHead(first, next)) {
            first.setNextRelease(first); // self-link: see the overview; nothing reads it but to compare
        }
    }

    /** Removes dead waiters from the front until the front is live or the queue is empty. */
    private void popDeadFront() {
        Waiter first;
        while ((first = head) != null && first.isDead()) {
            removeFront(first);
        }
    }

    /**
     * Cleans up after {@code node} was withdrawn (it is dead): pops the dead front, and every {@link
     * #SWEEP_THRESHOLD} withdrawals that found their waiter still inside the queue, sweeps it.
     */
    private void clean(Waiter node) {
        popDeadFront();
        if (node.nextVolatile() == node) {
            return; // it left the queue
        }
        // Still inside the queue (or unlinked by a sweep meanwhile, which costs only an early vote).
        if (++sweepVotes >= SWEEP_THRESHOLD) { // plain read-modify-write of a hint
            sweepVotes = 0;
            sweep();
        }
    }

    /** Unlinks every dead waiter inside the queue that has a successor (see "Withdrawal and cleaning"). */
    private void sweep() {
        // Called right after clean's popDeadFront; a front that died since is never unlinked here (pred starts at
        // head, and only pred's successors are unlinked): it leaves through removeFront only.
        Waiter pred = head;
        Waiter w = pred == null ? null : pred.nextVolatile();
        while (w != null) {
            Waiter next = w == pred ? null : w.nextVolatile();
            if (w == pred || next == w) { // pred or w left the front meanwhile: start again from head
                popDeadFront();
                pred = head;
                w = pred == null ? null : pred.nextVolatile();
                continue;
            }
            if (next == null) {
                return; // never unlink the last waiter: an append may be linking after it
            }
            if (w.isDead()) {
                // Volatile CAS; a failure means pred's link changed (pred unlinked or left the front): re-read it.
                pred.casNext(w, next);
                w = pred.nextVolatile();
            } else {
                pred = w;
                w = next;
            }
        }
    }

    /**
     * Finishes the close ("Closing", C1): claims every waiter at the front with CLOSED until the queue is empty,
     * then wakes what it claimed, or hands it to {@code wakes}. Call only after reading {@code closed == true}. Any
     * number of threads may run it at once; each returns only once the queue was empty after its own pass.
     */
    private void finishClose(DeferredWakes wakes) {
        // What we claim is woken after the pass, so never before the queue is empty: by the caller (wakes), or here.
        DeferredWakes own = null; // allocated only if this pass claims something: most calls find the queue empty
        while (true) {
            Waiter first = head;
            if (first == null) {
                if (own != null) {
                    own.wakeAll();
                }
                return;
            }
            boolean claimed = first.beginClaim(null) == Waiter.CLAIM_OWNED;
            if (claimed) {
                first.item = null; // a putter's item is not enqueued; a getter receives none
                first.finishClaim(Waiter.CLOSED, null);
            }
            removeFront(first); // claimed or dead, it leaves the front
            if (claimed) { // the waiter is ours alone: we claimed it
                if (wakes != null) {
                    wakes.add(first);
                } else {
                    if (own == null) {
                        own = new DeferredWakes();
                    }
                    own.add(first);
                }
            }
        }
    }

    @Override
    void closeObserved() {
        finishClose(null); // C1
    }

    // ================================================================================================ select

    @Override
    boolean lockFree() {
        return true;
    }

    /**
     * A select's check of one clause before it registers anywhere ("Select" in the overview): a now-only transfer
     * whose claimed waiter is woken later, through {@code wakes}.
     *
     * @return for a get the item, for a put null; {@link #CLOSED} or {@link #EMPTY}
     */
    Object selectNow(boolean put, Object item, DeferredWakes wakes) {
        Object result = transfer(put ? Waiter.PUT_MODE : Waiter.GET_MODE, item, null, wakes);
        return result == MATCHED ? null : result;
    }

    /**
     * Registers a select's waiter ({@code node}: mode, clauses and put item set), or completes one of its clauses at
     * once if a live counterpart is at the front, or if the channel is closed.
     *
     * @param wakes where to defer the wake-up of a counterpart claimed here
     * @return whether the select is decided (by this call or by an earlier claim of another of its waiters); false
     *     means {@code node} is queued and the select was still waiting when it was
     */
    boolean registerSelect(SelectWaiter node, DeferredWakes wakes) {
        Selection self = node.selection;
        byte mode = node.mode;
        while (true) {
            if (closed) {
                finishClose(wakes); // C1
                settleClosed(node);
                return true;
            }
            Waiter first = head;
            if (first != null && first.isDead()) {
                removeFront(first);
                continue;
            }
            if (first == null || sameMode(first, mode)) { // a waiter with both modes appends only to an empty queue
                if (append(first, node, mode)) {
                    if (closed) {
                        // C3: the pass claims node (our selection is WAITING: only we make it BUSY), or the select
                        // was decided before; either way it is decided now.
                        finishClose(wakes);
                        return true;
                    }
                    return false;
                }
                continue;
            }
            boolean put;
            if (mode == BOTH_MODES) {
                put = first.mode == Waiter.GET_MODE || (first.mode == BOTH_MODES && node.clauseIndex < node.getClause);
            } else {
                put = mode == Waiter.PUT_MODE; // first is a counterpart, or has both modes
            }
            // Two claims: our own first (BUSY keeps every other clause from winning meanwhile), then first's.
            if (!self.tryBusy()) {
                return true; // another of our waiters was claimed: decided
            }
            int claim = first.beginClaim(self);
            if (claim == Waiter.CLAIM_OWNED) {
                if (put) {
                    first.finishClaim(Waiter.RECEIVED, node.item);
                    node.outcome = Waiter.TAKEN;
                } else {
                    node.item = exchange(first, false, null);
                    node.outcome = Waiter.RECEIVED;
                }
                self.settle(node.clauseFor(node.outcome)); // release: publishes node's outcome and item
                removeFront(first);
                wakes.add(first);
                return true;
            }
            self.releaseBusy();
            if (claim == Waiter.CLAIM_DEAD) {
                removeFront(first);
            } else {
                Thread.onSpinWait(); // CLAIM_BACK_OFF: an older busy select may be claiming us; let it
            }
        }
    }

    /** A select clause on this closed channel is ready: wins it with CLOSED unless the select is decided already. */
    private static void settleClosed(SelectWaiter node) {
        Selection self = node.selection;
        if (self.tryFill()) {
            node.outcome = Waiter.CLOSED;
            self.settle(node.clauseFor(Waiter.CLOSED));
        }
    }

    @Override
    boolean splitSides() {
        return false;
    }

    @Override
    void lockSide(boolean putSide) {
        throw new AssertionError("a lock-free channel has no lock for a select to take");
    }

    @Override
    Waiter unlockSideDeferringWakes(boolean putSide) {
        throw new AssertionError("a lock-free channel has no lock for a select to take");
    }

    @Override
    void addSelectWaiterLocked(SelectWaiter waiter, boolean putSide) {
        throw new AssertionError("a select registers on a lock-free channel with registerSelect");
    }

    @Override
    void afterSelect() {
        // nothing: every claim was made and woken by the select itself
    }

    @Override
    int tryPutLocked(Object item) {
        Object result = transfer(Waiter.PUT_MODE, item, null, null);
        return result == MATCHED ? PUT_OK : result == CLOSED ? PUT_CLOSED : PUT_FULL;
    }

    @Override
    Object tryGetLocked() {
        return transfer(Waiter.GET_MODE, null, null, null);
    }

    /** Cleans up after a select's waiter that is dead (the select is decided); see "Withdrawal and cleaning". */
    @Override
    void unlink(Waiter waiter, ChannelFuture.Kind kind) {
        clean(waiter);
    }

    @Override
    boolean withdraw(OwnedWaiter waiter, ChannelFuture.Kind kind) {
        if (kind == ChannelFuture.Kind.JOIN) {
            // closeWith writes closed and claims every joiner in one joinLock section: under the lock, closed == true
            // means this joiner was claimed already, and false that the close has not begun.
            joinLock.lock();
            try {
                if (closed || !waiter.tryCancel()) {
                    return false;
                }
                joiners.remove(waiter);
            } finally {
                joinLock.unlock();
            }
            return true;
        }
        if (closed) { // C2: volatile read before the CAS; a successful CAS linearizes at this read of false
            finishClose(null); // the pass claims our waiter unless another claim came first
            return false;
        }
        if (!waiter.tryCancel()) {
            return false;
        }
        // Withdrawn: nobody claims it any more, so the channel may drop what it carries (see the overview).
        waiter.item = null;
        if (waiter instanceof FutureWaiter future) {
            future.forget();
        }
        clean(waiter);
        return true;
    }

    // ================================================================================================ Channel API

    @Override
    boolean send(T item, boolean timed, long nanos) throws InterruptedException {
        Objects.requireNonNull(item, "item");
        boolean now = timed && nanos <= 0;
        // One pass: a handoff, or the append of a waiter made only then (no allocation when a getter waits).
        Object result = transfer(Waiter.PUT_MODE, item, now ? null : NEW_THREAD_WAITER, null);
        if (result == MATCHED) {
            return true;
        }
        if (result == CLOSED) {
            throw closedForPut();
        }
        if (now) {
            return false; // EMPTY: no getter waits
        }
        if (result == INTERRUPTED_BEFORE_WAIT) {
            Thread.interrupted(); // the status was set when transfer looked; clear it as the exception reports it
            throw new InterruptedException("interrupted before waiting to put");
        }
        ThreadWaiter waiter = (ThreadWaiter) result;
        long deadline = timed ? System.nanoTime() + nanos : 0L;
        try {
            return putOutcome(await(waiter, ChannelFuture.Kind.PUT, timed, deadline)); // await does C1 on CLOSED
        } finally {
            waiter.thread = null; // the waiter may stay reachable as the tail hint; see the overview
        }
    }

    @Override
    Object receive(boolean timed, long nanos) throws InterruptedException {
        boolean now = timed && nanos <= 0;
        // One pass, as in send. Items are the caller's objects and never a ThreadWaiter (a package-private class no
        // API hands out), so a ThreadWaiter result can only be our own appended waiter.
        Object result = transfer(Waiter.GET_MODE, null, now ? null : NEW_THREAD_WAITER, null);
        if (result == EMPTY) {
            return TIMED_OUT; // only without a waiter: a get that may not wait found no putter
        }
        if (result == INTERRUPTED_BEFORE_WAIT) {
            Thread.interrupted(); // see send
            throw new InterruptedException("interrupted before waiting to get");
        }
        if (!(result instanceof ThreadWaiter waiter)) {
            return result; // an item, or CLOSED
        }
        long deadline = timed ? System.nanoTime() + nanos : 0L;
        try {
            return getOutcome(waiter, await(waiter, ChannelFuture.Kind.GET, timed, deadline)); // await: C1 on CLOSED
        } finally {
            waiter.thread = null; // the waiter may stay reachable as the tail hint; see the overview
            waiter.item = null;
        }
    }

    @Override
    public boolean offer(T item) {
        Objects.requireNonNull(item, "item");
        Object result = transfer(Waiter.PUT_MODE, item, null, null);
        if (result == CLOSED) {
            throw closedForPut();
        }
        return result == MATCHED;
    }

    @Override
    public CompletableFuture<Void> putAsync(T item) {
        Objects.requireNonNull(item, "item");
        Object result = transfer(Waiter.PUT_MODE, item, null, null);
        if (result == EMPTY) {
            ChannelFuture<Void> future = new ChannelFuture<>(this, ChannelFuture.Kind.PUT);
            FutureWaiter waiter = future.waiter();
            waiter.mode = Waiter.PUT_MODE;
            waiter.item = item;
            result = transfer(Waiter.PUT_MODE, item, waiter, null);
            if (result == waiter) {
                return future;
            }
        }
        return result == MATCHED
                ? CompletableFuture.completedFuture(null)
                : CompletableFuture.failedFuture(closedForPut());
    }

    @Override
    Object takeNow() {
        return transfer(Waiter.GET_MODE, null, null, null);
    }

    @Override
    public CompletableFuture<T> getAsync() {
        Object result = transfer(Waiter.GET_MODE, null, null, null);
        if (result == EMPTY) {
            ChannelFuture<T> future = new ChannelFuture<>(this, ChannelFuture.Kind.GET);
            FutureWaiter waiter = future.waiter();
            waiter.mode = Waiter.GET_MODE;
            result = transfer(Waiter.GET_MODE, null, waiter, null);
            if (result == waiter) { // identity: an item is never the caller's own waiter
                return future;
            }
        }
        if (result == CLOSED) {
            return CompletableFuture.failedFuture(closedForGet());
        }
        @SuppressWarnings("unchecked")
        T item = (T) result;
        return CompletableFuture.completedFuture(item);
    }

    @Override
    public int drainTo(Collection<? super T> target, int max) {
        Objects.requireNonNull(target, "target");
        int moved = 0;
        while (moved < max) {
            Object result = transfer(Waiter.GET_MODE, null, null, null);
            if (result == EMPTY || result == CLOSED) {
                break;
            }
            @SuppressWarnings("unchecked")
            T item = (T) result;
            target.add(item); // the putter was claimed already: an add that throws loses this item (documented)
            moved++;
        }
        return moved;
    }

    @Override
    void closeWith(Throwable cause) {
        Waiter claimed = null;
        joinLock.lock();
        try {
            if (closed) {
                return; // idempotent: the first close and its cause stay
            }
            closeCause = cause; // before the volatile write of closed
            closed = true;
            // Done at once (no buffer): the joiners are claimed under joinLock, one claimer at a time (see Waiter).
            for (Waiter w; (w = joiners.pollFirst()) != null; ) {
                w.outcome = Waiter.CLOSED;
                if (w.tryClaim()) {
                    w.wakeNext = claimed;
                    claimed = w;
                }
            }
        } finally {
            joinLock.unlock();
        }
        finishClose(null); // C1: the waiters' claims first...
        wakeAll(claimed); // ...then the joiners, which learn of the close
    }

    @Override
    public boolean isDone() {
        return isClosed(); // nothing is ever buffered: closed is done (isClosed runs C1)
    }

    @Override
    boolean awaitDone(boolean timed, long nanos) throws InterruptedException {
        ThreadWaiter waiter = null;
        if (!closed) {
            joinLock.lock();
            try {
                if (!closed) {
                    if (timed && nanos <= 0) {
                        return false;
                    }
                    if (Thread.interrupted()) {
                        throw new InterruptedException("interrupted before waiting for the channel to be done");
                    }
                    waiter = new ThreadWaiter(Thread.currentThread());
                    joiners.addLast(waiter);
                }
            } finally {
                joinLock.unlock();
            }
        }
        if (waiter != null) { // await runs C1 if the close ends the wait
            return joinOutcome(await(waiter, ChannelFuture.Kind.JOIN, timed, timed ? System.nanoTime() + nanos : 0L));
        }
        finishClose(null); // C1, outside joinLock since finishClose may complete futures
        return true;
    }

    @Override
    public CompletableFuture<Void> joinAsync() {
        ChannelFuture<Void> future = null;
        if (!closed) {
            joinLock.lock();
            try {
                if (!closed) {
                    future = new ChannelFuture<>(this, ChannelFuture.Kind.JOIN);
                    joiners.addLast(future.waiter());
                }
            } finally {
                joinLock.unlock();
            }
        }
        if (future != null) {
            return future;
        }
        finishClose(null); // C1
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public int size() {
        return 0;
    }

    @Override
    public boolean isEmpty() {
        return true;
    }

    @Override
    public boolean isFull() {
        return true; // like every rendezvous channel: a put can never be buffered
    }

    @Override
    public List<T> snapshot() {
        return List.of();
    }

    /** Live waiters of each mode (a select waiter with both modes counts once for each), and queued joiners. */
    @Override
    int[] queuedWaiters() {
        int putters = 0;
        int getters = 0;
        popDeadFront(); // a sealed front would otherwise look like a node that left, forever
        for (Waiter w = head; w != null; ) {
            Waiter next = w.nextVolatile();
            if (next == w) { // left the queue meanwhile: count again
                putters = 0;
                getters = 0;
                popDeadFront();
                w = head;
                continue;
            }
            if (!w.isDead()) {
                putters += (w.mode & Waiter.PUT_MODE) != 0 ? 1 : 0;
                getters += (w.mode & Waiter.GET_MODE) != 0 ? 1 : 0;
            }
            w = next;
        }
        int joining;
        joinLock.lock();
        try {
            joining = joiners.count();
        } finally {
            joinLock.unlock();
        }
        return new int[] {putters, getters, joining};
    }

    private boolean casHead(Waiter expected, Waiter value) {
        return HEAD.compareAndSet(this, expected, value); // volatile CAS; a failure means another thread moved head
    }

    private void casTail(Waiter expected, Waiter value) {
        TAIL.compareAndSet(this, expected, value); // volatile CAS of a hint; a failure means another thread moved it
    }

    // VarHandle mechanics
    private static final VarHandle HEAD;
    private static final VarHandle TAIL;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            HEAD = lookup.findVarHandle(RendezvousLayout.Head.class, "head", Waiter.class);
            TAIL = lookup.findVarHandle(RendezvousLayout.Tail.class, "tail", Waiter.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
