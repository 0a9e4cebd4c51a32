package io.github.loomchan.verify;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The sequential specification of a loomchan channel (aiochannel's semantics), including the operations that wait:
 * a blocked put, get or join is a <i>waiter</i> that a later step completes, in first-come, first-served order.
 *
 * <p>Items are {@code int}s; waiters are named by the caller's ids. Every step appends the waiters it completed, and
 * how, to {@link #completions}, so a checker can compare them with what really happened. The model is a plain value
 * ({@link #copy}, {@link #equals}) so that a search can memoize states. Not thread-safe.
 *
 * <p>The rules it states (each a sentence of the Channel Javadoc):
 * <ul>
 *   <li>put: closed -> CLOSED (closed wins over full); else a waiting getter takes the item directly; else it goes
 *       into the buffer if there is room; else it waits (or fails "full").
 *   <li>get: the oldest buffered item, and the first waiting putter's item moves into the freed slot; else (no
 *       buffer, only on rendezvous) the first waiting putter's item; else closed -> CLOSED; else it waits.
 *   <li>close: first one only; every waiting putter fails CLOSED; if the buffer is empty, every waiting getter fails
 *       CLOSED and every joiner returns. A get that empties a closed channel releases the joiners.
 * </ul>
 */
public final class ChannelModel {
    /** How a step completed a waiter. */
    public enum How {
        /** A putter's item was taken (its put returns normally). */
        TAKEN,
        /** A getter received {@link Completion#item}. */
        RECEIVED,
        /** The putter or getter failed with ChannelClosedException, or the joiner returned. */
        CLOSED
    }

    /** Waiter {@code id} was completed in the way {@code how} (with {@code item} if RECEIVED). */
    public record Completion(int id, How how, int item) {}

    /** A waiting putter and its item. */
    private record Putter(int id, int item) {}

    /** Outcome of {@link #tryPut}. */
    public enum PutStatus {
        OK,
        FULL,
        CLOSED
    }

    /** {@link #tryGet} result when nothing can be taken now and the channel is open. */
    public static final int EMPTY = Integer.MIN_VALUE;

    /** {@link #tryGet} result when the channel is closed and drained. */
    public static final int DONE = Integer.MIN_VALUE + 1;

    public final int capacity;
    private final ArrayDeque<Integer> buffer;
    private final ArrayDeque<Putter> putters;
    private final ArrayDeque<Integer> getters;
    private final ArrayDeque<Integer> joiners;
    private boolean closed;
    private boolean closedWithCause;

    /** Waiters completed by the steps since the last {@link #takeCompletions()}. */
    private final List<Completion> completions = new ArrayList<>();

    public ChannelModel(int capacity) {
        this.capacity = capacity;
        this.buffer = new ArrayDeque<>();
        this.putters = new ArrayDeque<>();
        this.getters = new ArrayDeque<>();
        this.joiners = new ArrayDeque<>();
    }

    private ChannelModel(ChannelModel other) {
        this.capacity = other.capacity;
        this.buffer = new ArrayDeque<>(other.buffer);
        this.putters = new ArrayDeque<>(other.putters);
        this.getters = new ArrayDeque<>(other.getters);
        this.joiners = new ArrayDeque<>(other.joiners);
        this.closed = other.closed;
        this.closedWithCause = other.closedWithCause;
    }

    /** A copy without pending completions. */
    public ChannelModel copy() {
        return new ChannelModel(this);
    }

    /** Returns and clears the completions of the steps so far. */
    public List<Completion> takeCompletions() {
        List<Completion> result = List.copyOf(completions);
        completions.clear();
        return result;
    }

    // ------------------------------------------------------------------------------------------------ steps

    public PutStatus tryPut(int item) {
        if (closed) {
            return PutStatus.CLOSED;
        }
        Integer getter = getters.pollFirst();
        if (getter != null) {
            completions.add(new Completion(getter, How.RECEIVED, item));
            return PutStatus.OK;
        }
        if (buffer.size() < capacity) {
            buffer.addLast(item);
            return PutStatus.OK;
        }
        return PutStatus.FULL;
    }

    /** Returns the item taken, or {@link #EMPTY}, or {@link #DONE}. */
    public int tryGet() {
        Integer head = buffer.pollFirst();
        if (head != null) {
            Putter putter = putters.pollFirst();
            if (putter != null) {
                buffer.addLast(putter.item());
                completions.add(new Completion(putter.id(), How.TAKEN, 0));
            }
            if (closed && buffer.isEmpty()) {
                releaseJoiners();
            }
            return head;
        }
        Putter putter = putters.pollFirst();
        if (putter != null) {
            completions.add(new Completion(putter.id(), How.TAKEN, 0));
            return putter.item();
        }
        return closed ? DONE : EMPTY;
    }

    /** Whether a put would complete now (with an item in place, or with CLOSED). */
    public boolean canPut() {
        return closed || !getters.isEmpty() || buffer.size() < capacity;
    }

    /** Whether a get would complete now (with an item, or with CLOSED). */
    public boolean canGet() {
        return !buffer.isEmpty() || !putters.isEmpty() || closed;
    }

    public void close(boolean withCause) {
        if (closed) {
            return;
        }
        closed = true;
        closedWithCause = withCause;
        for (Putter putter; (putter = putters.pollFirst()) != null; ) {
            completions.add(new Completion(putter.id(), How.CLOSED, 0));
        }
        if (buffer.isEmpty()) {
            for (Integer getter; (getter = getters.pollFirst()) != null; ) {
                completions.add(new Completion(getter, How.CLOSED, 0));
            }
            releaseJoiners();
        }
    }

    private void releaseJoiners() {
        for (Integer joiner; (joiner = joiners.pollFirst()) != null; ) {
            completions.add(new Completion(joiner, How.CLOSED, 0));
        }
    }

    /** Moves up to {@code max} available items (buffered, or from waiting putters) into a list. */
    public List<Integer> drain(int max) {
        List<Integer> moved = new ArrayList<>();
        while (moved.size() < max) {
            int item = tryGet();
            if (item == EMPTY || item == DONE) {
                break;
            }
            moved.add(item);
        }
        return moved;
    }

    public void addPutter(int id, int item) {
        assert !canPut();
        putters.addLast(new Putter(id, item));
    }

    public void addGetter(int id) {
        assert !canGet();
        getters.addLast(id);
    }

    public void addJoiner(int id) {
        assert !isDone();
        joiners.addLast(id);
    }

    /** Withdraws waiter {@code id} (interrupt, timeout, cancelled future); returns whether it was waiting. */
    public boolean withdraw(int id) {
        return putters.removeIf(p -> p.id() == id) || getters.remove(id) || joiners.remove(id);
    }

    /** Whether waiter {@code id} is still waiting. */
    public boolean isWaiting(int id) {
        return putters.stream().anyMatch(p -> p.id() == id) || getters.contains(id) || joiners.contains(id);
    }

    // ------------------------------------------------------------------------------------------------ queries

    public int size() {
        return buffer.size();
    }

    public boolean isEmpty() {
        return buffer.isEmpty();
    }

    public boolean isFull() {
        return buffer.size() >= capacity;
    }

    public boolean isClosed() {
        return closed;
    }

    public boolean closedWithCause() {
        return closedWithCause;
    }

    public boolean isDone() {
        return closed && buffer.isEmpty();
    }

    public List<Integer> snapshot() {
        return List.copyOf(buffer);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ChannelModel m
                && capacity == m.capacity
                && closed == m.closed
                && closedWithCause == m.closedWithCause
                && List.copyOf(buffer).equals(List.copyOf(m.buffer))
                && List.copyOf(putters).equals(List.copyOf(m.putters))
                && List.copyOf(getters).equals(List.copyOf(m.getters))
                && List.copyOf(joiners).equals(List.copyOf(m.joiners));
    }

    @Override
    public int hashCode() {
        return Objects.hash(
                capacity,
                closed,
                closedWithCause,
                List.copyOf(buffer),
                List.copyOf(putters),
                List.copyOf(getters),
                List.copyOf(joiners));
    }

    @Override
    public String toString() {
        return "Model[cap=" + capacity + ", buffer=" + buffer + ", putters=" + putters + ", getters=" + getters
                + ", joiners=" + joiners + (closed ? ", closed" + (closedWithCause ? " with cause" : "") : ", open")
                + "]";
    }
}
