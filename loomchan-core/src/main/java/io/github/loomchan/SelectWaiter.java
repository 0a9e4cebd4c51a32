package io.github.loomchan;

import java.util.concurrent.locks.LockSupport;

/**
 * One clause of a blocked {@link Select#select}, queued on that clause's channel: in the putters' queue (with the
 * clause's item) for {@code onPut}, in the getters' queue for {@code onGet}. Claiming it claims the whole select.
 *
 * <p>On a {@link RendezvousChannel}, whose one queue holds putters or getters, a select registers one waiter per
 * channel: with both modes if it has both an {@code onPut} and an {@code onGet} clause there ({@link #clauseIndex}
 * is then the put clause and {@link #getClause} the get clause). Such a waiter matches any counterpart.
 */
final class SelectWaiter extends Waiter {
    final Selection selection;
    final int clauseIndex;
    final AbstractChannel<?> channel;

    /** The queue of {@link #channel} this waiter is linked into: its putters (PUT) or its getters (GET). */
    final ChannelFuture.Kind kind;

    /** The get clause of a waiter with both modes (then {@code kind} is PUT); -1 for any other waiter. */
    int getClause = -1;

    SelectWaiter(Selection selection, int clauseIndex, AbstractChannel<?> channel, ChannelFuture.Kind kind) {
        this.selection = selection;
        this.clauseIndex = clauseIndex;
        this.channel = channel;
        this.kind = kind;
    }

    @Override
    boolean tryClaim() {
        return selection.tryWin(clauseIndex);
    }

    @Override
    int beginClaim(Selection claimer) {
        assert claimer != selection : "a select never claims its own waiter";
        for (int spins = 1; ; spins++) {
            int s = selection.state; // volatile read
            if (s == Selection.WAITING) {
                if (selection.tryFill()) {
                    return CLAIM_OWNED;
                }
                continue; // lost to another claimer, the selector's BUSY or its withdrawal: look again
            }
            if (s != Selection.BUSY) {
                return CLAIM_DEAD;
            }
            // BUSY: the selector is running and resolves it in a few steps. A BUSY claimer gives way to an older one.
            if (claimer != null && selection.id < claimer.id) {
                return CLAIM_BACK_OFF;
            }
            OwnedWaiter.spinWhileClaimed(spins);
        }
    }

    @Override
    void finishClaim(int outcome, Object received) {
        if (outcome == RECEIVED) {
            item = received;
        }
        this.outcome = outcome;
        selection.settle(clauseFor(outcome)); // release: publishes item and outcome
    }

    /** The clause that an outcome completes: for a waiter with both modes, a put outcome its put clause, and so on. */
    int clauseFor(int outcome) {
        if (getClause < 0) {
            return clauseIndex;
        }
        return switch (outcome) {
            case RECEIVED -> getClause;
            case TAKEN -> clauseIndex;
            default -> Math.min(clauseIndex, getClause); // closed: both are ready; the earlier clause wins
        };
    }

    @Override
    boolean isDead() {
        int s = selection.state;
        return s != Selection.WAITING && s != Selection.BUSY;
    }

    @Override
    void wake() {
        if (selection.parking) { // read after the claiming CAS; see ThreadWaiter#parking
            LockSupport.unpark(selection.thread); // null once the select returned: a no-op then
        }
    }
}
