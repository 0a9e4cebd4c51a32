package io.github.loomchan.verify.history;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One operation of a recorded history: what was called, when it was invoked and when it returned (stamps of one
 * global counter, so their order is the real-time order), and how it ended.
 *
 * <p>Written by the one thread that performs the operation, except {@link #cancelStamp} (by whoever cancels the
 * future); read by the checker after that thread was joined.
 */
public final class Op {
    /** The operations a history may contain. */
    public enum Kind {
        PUT(true, true),
        OFFER_TIMED(true, true),
        PUT_ASYNC(true, true),
        OFFER(true, false),
        GET(false, true),
        POLL_TIMED(false, true),
        GET_ASYNC(false, true),
        POLL(false, false),
        JOIN(false, true),
        CLOSE(false, false),
        SIZE(false, false),
        SNAPSHOT(false, false);

        final boolean isPut;
        final boolean mayWait;

        Kind(boolean isPut, boolean mayWait) {
            this.isPut = isPut;
            this.mayWait = mayWait;
        }

        boolean isGet() {
            return this == GET || this == POLL_TIMED || this == GET_ASYNC || this == POLL;
        }
    }

    /** How an operation ended. */
    public enum Outcome {
        /** Not ended (only while recording). */
        PENDING,
        /** A put/close/join returned normally. */
        OK,
        /** offer returned false / poll returned null without waiting. */
        FAILED_NOW,
        /** A get returned {@link #value}. */
        ITEM,
        /** ChannelClosedException. */
        CLOSED,
        /** InterruptedException: withdrawn, no effect. */
        INTERRUPTED,
        /** A timed operation timed out: withdrawn, no effect. */
        TIMED_OUT,
        /** The async operation's future was cancelled: withdrawn, no effect. */
        CANCELLED,
        /** size() returned {@link #value}; snapshot() returned {@link #list}. */
        VALUE;

        boolean isWithdrawal() {
            return this == INTERRUPTED || this == TIMED_OUT || this == CANCELLED;
        }
    }

    /** Index in the history (0..n-1); reassigned when operations that never started are dropped. */
    public int id;

    public final int thread;
    public final Kind kind;
    /** The item of a put. */
    public final int item;

    public long invoked;
    public long returned = Long.MAX_VALUE;
    public Outcome outcome = Outcome.PENDING;
    public int value;
    public List<Integer> list = List.of();

    /**
     * For a withdrawn operation: the stamp taken just before the interrupt or cancel that caused it (0 if none); the
     * withdrawal cannot have happened before it.
     */
    public long withdrawnNotBefore;

    /** The future of a pending async operation, for the controller to cancel. */
    public volatile CompletableFuture<?> future;

    /** The stamp of the first cancel call on {@link #future}, 0 if none. */
    public final AtomicLong cancelStamp = new AtomicLong();

    public Op(int id, int thread, Kind kind, int item) {
        this.id = id;
        this.thread = thread;
        this.kind = kind;
        this.item = item;
    }

    /** Builds an operation that already ended; for hand-written histories. */
    public static Op of(int id, int thread, Kind kind, int item, long invoked, long returned, Outcome outcome) {
        Op op = new Op(id, thread, kind, item);
        op.invoked = invoked;
        op.returned = returned;
        op.outcome = outcome;
        return op;
    }

    public Op withValue(int v) {
        this.value = v;
        return this;
    }

    @Override
    public String toString() {
        String what = kind.isPut ? kind + "(" + item + ")" : kind.toString();
        String result =
                switch (outcome) {
                    case ITEM, VALUE -> kind == Kind.SNAPSHOT ? list.toString() : String.valueOf(value);
                    case INTERRUPTED, CANCELLED -> outcome + " (not before " + withdrawnNotBefore + ")";
                    default -> outcome.toString();
                };
        return "#" + id + " t" + thread + " [" + invoked + ", " + (returned == Long.MAX_VALUE ? "..." : returned) + "] "
                + what + " -> " + result;
    }
}
