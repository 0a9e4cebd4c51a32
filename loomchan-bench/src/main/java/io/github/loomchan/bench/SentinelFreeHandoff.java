package io.github.loomchan.bench;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;

/**
 * Benchmark-only prototype, not a channel: a FIFO dual queue of waiting puts or takes with <em>no sentinel node</em>,
 * to measure what the shape of the queue costs a rendezvous handoff. It has no close, no cancellation, no timeouts,
 * no select and no tail pointer (an append walks from head, fine for the one-waiter case it is measured on).
 *
 * <p>Why: the JDK's {@code SynchronousQueue} in its default, unfair mode is a LIFO stack (one word, {@code head}, and
 * the node), and in 1P/1C it is about twice as fast as its own FIFO mode, which is a Michael-Scott queue with a
 * sentinel (head, tail, the sentinel's {@code next} and the node). loomchan's rendezvous channel promises FIFO
 * waiters and had the second shape. This prototype keeps FIFO order but touches only {@code head} and the node while
 * at most one thread waits, as a stack does; it measured level with the stack (performance notes section 24), and
 * ADR 0006 gave {@code RendezvousChannel} the same shape. It stays as the reference for that row:
 *
 * <ul>
 *   <li>{@code head} is the oldest node, or null when nobody waits. A thread that finds it null publishes its own
 *       node with one CAS of head.
 *   <li>A counterpart at the front is matched by a CAS of its {@code item} (LinkedTransferQueue's protocol). The
 *       matcher then removes it: head moves to its successor, or, if it has none, its {@code next} is first
 *       <em>sealed</em> (CAS from null to the node itself) and head is set to null. Sealing is what makes removal
 *       of the last node safe without a sentinel: an append links only behind a node whose next is null, so it
 *       cannot link behind a node that is leaving; it finds the seal and starts again from head.
 *   <li>Invariant: every node reachable from head is live except possibly head itself (matched, not yet removed;
 *       anyone who finds it so helps remove it). All live nodes have one mode.
 * </ul>
 *
 * <p>Waiting: {@link #SPINS} re-reads of the node (as loomchan's handoff spin), then a Dekker pair (the waiter
 * publishes its thread, then re-reads the item; the matcher CASes the item, then reads the thread) and park.
 *
 * <p>Thread-safety: any number of threads may put and take at once.
 */
final class SentinelFreeHandoff implements Pipe {
    /** Re-reads of a waiting node before its thread parks: loomchan's HANDOFF_SPINS. */
    private static final int SPINS = 256;

    private static final class Node {
        final boolean isData;

        /** A put's item until a take matched it (then null); a take's null until a put filled it. */
        volatile Object item;

        /** The next node; null while this is the last node; this node itself once sealed (it left the queue). */
        volatile Node next;

        /** The thread, published right before it parks. */
        volatile Thread waiter;

        Node(Object item, boolean isData) {
            this.item = item;
            this.isData = isData;
        }

        boolean isLive() {
            return isData == (item != null);
        }
    }

    /** The oldest node, or null. */
    private volatile Node head;

    @Override
    public void put(Object item) {
        transfer(item);
    }

    @Override
    public Object take() {
        return transfer(null);
    }

    /** Hands {@code e} to a take (e not null) or takes an item (e null), waiting for the counterpart. */
    private Object transfer(Object e) {
        boolean haveData = e != null;
        Node node = null;
        while (true) {
            Node first = head;
            if (first == null) {
                if (node == null) {
                    node = new Node(e, haveData);
                }
                if (HEAD.compareAndSet(this, null, node)) { // the only waiter: publish with one CAS
                    return await(node, e);
                }
                continue;
            }
            Object m = first.item;
            if (first.isData == (m == null)) { // matched already: help it leave
                removeFront(first);
                continue;
            }
            if (first.isData != haveData) {
                if (ITEM.compareAndSet(first, m, e)) { // the match; volatile, pairs with await's read of item
                    removeFront(first);
                    LockSupport.unpark(first.waiter); // volatile read after the CAS: the Dekker pair with await
                    return m;
                }
                continue;
            }
            if (node == null) {
                node = new Node(e, haveData);
            }
            if (append(first, node)) {
                return await(node, e);
            }
        }
    }

    /** Links {@code node} behind the last node reachable from {@code from}; false if a sealed node was met. */
    private static boolean append(Node from, Node node) {
        Node p = from;
        while (true) {
            Node n = p.next;
            if (n == p) {
                return false; // p left the queue: start again from head
            }
            if (n == null) {
                if (NEXT.compareAndSet(p, null, node)) { // fails on a seal or on another append
                    return true;
                }
                continue;
            }
            p = n;
        }
    }

    /** Moves head past {@code first}, a matched node: to its successor, or, sealing it, to null. */
    private void removeFront(Node first) {
        Node n = first.next;
        if (n == null) {
            if (NEXT.compareAndSet(first, null, first)) { // seal: no append can link behind it any more
                HEAD.compareAndSet(this, first, null);
                return;
            }
            n = first.next; // an append won the race, or another helper sealed it
        }
        HEAD.compareAndSet(this, first, n == first ? null : n);
    }

    private Object await(Node node, Object e) {
        for (int i = 0; i < SPINS; i++) {
            Object m = node.item;
            if (m != e) {
                return m;
            }
            Thread.onSpinWait();
        }
        node.waiter = Thread.currentThread(); // volatile write, then re-read item: the Dekker pair with transfer
        Object m;
        while ((m = node.item) == e) {
            LockSupport.park(this);
        }
        return m;
    }

    private static final VarHandle HEAD;
    private static final VarHandle ITEM;
    private static final VarHandle NEXT;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            HEAD = lookup.findVarHandle(SentinelFreeHandoff.class, "head", Node.class);
            ITEM = lookup.findVarHandle(Node.class, "item", Object.class);
            NEXT = lookup.findVarHandle(Node.class, "next", Node.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
