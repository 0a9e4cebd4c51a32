package io.github.loomchan.verify.history;

import io.github.loomchan.verify.ChannelModel;
import io.github.loomchan.verify.history.Op.Kind;
import io.github.loomchan.verify.history.Op.Outcome;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Decides whether a history of channel operations, blocking ones included, is linearizable with respect to {@link
 * ChannelModel}: a Wing–Gong search with Lowe's memoization of (done operations, model state).
 *
 * <p><b>Blocking operations.</b> An operation that may wait is linearized in one of two ways: at one point, if the
 * model can complete it there; or in two steps: it <i>registers</i> as a waiter at a point where the model would
 * block it, and later either a counterpart's step completes it (the model hands it an item, takes its item, or
 * closes it; the recorded outcome must be the model's) or it <i>withdraws</i> (interrupt, timeout, cancelled
 * future: no effect on the model). Every point must lie between the operation's invocation and return; a withdrawal
 * also not before the stamp of the interrupt or cancel that caused it. A waiter that was never woken although the
 * model would have woken it (for example by a close) therefore makes the history non-linearizable: its only
 * recorded way out is the withdrawal caused by the interrupt of the final clean-up, which comes after the close.
 *
 * <p>Search rule (Wing & Gong, generalised to several points per operation): the next point may belong to an
 * operation X only if X's relevant lower bound is before the return of every other unfinished operation.
 */
public final class LinearizabilityChecker {

    /** The verdict, and for a non-linearizable history the history itself, for the report. */
    public record Verdict(boolean linearizable, String report) {}

    private record Key(long done, long registered, ChannelModel model) {}

    private final Op[] ops;
    private final long all;
    private final Set<Key> visited = new HashSet<>();

    private LinearizabilityChecker(List<Op> history) {
        if (history.size() > 63) {
            throw new IllegalArgumentException("at most 63 operations per history, got " + history.size());
        }
        this.ops = history.toArray(new Op[0]);
        for (int i = 0; i < ops.length; i++) {
            if (ops[i].id != i) {
                throw new IllegalArgumentException("operation ids must be 0..n-1 in order: " + ops[i]);
            }
            if (ops[i].outcome == Outcome.PENDING) {
                throw new IllegalArgumentException("operation never ended: " + ops[i]);
            }
        }
        this.all = ops.length == 63 ? Long.MAX_VALUE : (1L << ops.length) - 1;
    }

    /** Checks {@code history} (operation ids 0..n-1) against a channel of {@code capacity}. */
    public static Verdict check(int capacity, List<Op> history) {
        LinearizabilityChecker checker = new LinearizabilityChecker(history);
        boolean ok = checker.search(0L, 0L, new ChannelModel(capacity));
        if (ok) {
            return new Verdict(true, "linearizable");
        }
        String listing = history.stream()
                .sorted(Comparator.comparingLong(op -> op.invoked))
                .map(Op::toString)
                .collect(Collectors.joining("\n  "));
        return new Verdict(false, "not linearizable for capacity " + capacity + ":\n  " + listing);
    }

    private static boolean has(long set, int i) {
        return (set & (1L << i)) != 0;
    }

    private boolean search(long done, long registered, ChannelModel model) {
        if (done == all) {
            return true;
        }
        if (!visited.add(new Key(done, registered, model))) {
            return false;
        }
        // The earliest and second-earliest return among unfinished operations.
        long first = Long.MAX_VALUE;
        long second = Long.MAX_VALUE;
        int firstOp = -1;
        for (int i = 0; i < ops.length; i++) {
            if (!has(done, i)) {
                long r = ops[i].returned;
                if (r < first) {
                    second = first;
                    first = r;
                    firstOp = i;
                } else if (r < second) {
                    second = r;
                }
            }
        }
        for (int i = 0; i < ops.length; i++) {
            if (has(done, i)) {
                continue;
            }
            Op op = ops[i];
            long bound = i == firstOp ? second : first;
            if (has(registered, i)) {
                if (!op.outcome.isWithdrawal()) {
                    continue; // only a counterpart can complete it
                }
                long notBefore = Math.max(op.invoked, op.withdrawnNotBefore);
                if (notBefore >= bound) {
                    continue;
                }
                ChannelModel next = model.copy();
                if (!next.withdraw(i)) {
                    throw new AssertionError("registered operation not waiting in the model: " + op);
                }
                if (search(done | (1L << i), registered & ~(1L << i), next)) {
                    return true;
                }
                continue;
            }
            if (op.invoked >= bound) {
                continue;
            }
            // One point: the model completes the operation at once.
            ChannelModel next = model.copy();
            long newlyDone = applyAtOnce(op, next);
            if (newlyDone >= 0) {
                long completed = settleCompletions(next, registered);
                if (completed >= 0 && search(done | newlyDone | completed, registered & ~completed, next)) {
                    return true;
                }
            } else if (op.kind.mayWait && newlyDone == BLOCKS) {
                // Two points: register now as a waiter.
                ChannelModel waiting = model.copy();
                register(op, waiting);
                if (search(done, registered | (1L << i), waiting)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** applyAtOnce result: the model would make the operation wait. */
    private static final long BLOCKS = -1;

    /** applyAtOnce result: the model completes the operation, but not as recorded. */
    private static final long MISMATCH = -2;

    /**
     * Applies {@code op} to {@code model} if the model completes it at once.
     *
     * @return the bit of {@code op} if it completed as recorded, {@link #BLOCKS} or {@link #MISMATCH}
     */
    private long applyAtOnce(Op op, ChannelModel model) {
        long bit = 1L << op.id;
        Outcome recorded = op.outcome;
        switch (op.kind) {
            case PUT, OFFER_TIMED, PUT_ASYNC, OFFER -> {
                if (!model.canPut() && op.kind != Kind.OFFER) {
                    return BLOCKS;
                }
                Outcome expected =
                        switch (model.tryPut(op.item)) {
                            case OK -> Outcome.OK;
                            case FULL -> Outcome.FAILED_NOW;
                            case CLOSED -> Outcome.CLOSED;
                        };
                return expected == recorded ? bit : MISMATCH;
            }
            case GET, POLL_TIMED, GET_ASYNC, POLL -> {
                if (!model.canGet() && op.kind != Kind.POLL) {
                    return BLOCKS;
                }
                int item = model.tryGet();
                if (item == ChannelModel.EMPTY) {
                    return recorded == Outcome.FAILED_NOW ? bit : MISMATCH;
                }
                if (item == ChannelModel.DONE) {
                    return recorded == Outcome.CLOSED ? bit : MISMATCH;
                }
                return recorded == Outcome.ITEM && op.value == item ? bit : MISMATCH;
            }
            case JOIN -> {
                if (!model.isDone()) {
                    return BLOCKS;
                }
                return recorded == Outcome.OK ? bit : MISMATCH;
            }
            case CLOSE -> {
                model.close(false);
                return recorded == Outcome.OK ? bit : MISMATCH;
            }
            case SIZE -> {
                return recorded == Outcome.VALUE && op.value == model.size() ? bit : MISMATCH;
            }
            case SNAPSHOT -> {
                return recorded == Outcome.VALUE && op.list.equals(model.snapshot()) ? bit : MISMATCH;
            }
        }
        throw new AssertionError(op.kind);
    }

    private static void register(Op op, ChannelModel model) {
        if (op.kind.isPut) {
            model.addPutter(op.id, op.item);
        } else if (op.kind == Kind.JOIN) {
            model.addJoiner(op.id);
        } else {
            model.addGetter(op.id);
        }
    }

    /**
     * Checks the waiters the last step completed against what they recorded.
     *
     * @return their bits, or -1 if one of them recorded something else
     */
    private long settleCompletions(ChannelModel model, long registered) {
        long bits = 0;
        for (ChannelModel.Completion c : model.takeCompletions()) {
            Op waiter = ops[c.id()];
            assert has(registered, c.id()) : waiter;
            boolean matches =
                    switch (c.how()) {
                        case TAKEN -> waiter.outcome == Outcome.OK;
                        case RECEIVED -> waiter.outcome == Outcome.ITEM && waiter.value == c.item();
                        case CLOSED ->
                            waiter.kind == Kind.JOIN ? waiter.outcome == Outcome.OK : waiter.outcome == Outcome.CLOSED;
                    };
            if (!matches) {
                return -1;
            }
            bits |= 1L << c.id();
        }
        return bits;
    }
}
