package io.github.loomchan;

import java.util.concurrent.locks.LockSupport;

/**
 * One clause of a blocked {@link Select#select}, queued on that clause's channel: in the putters' queue (with the
 * clause's item) for {@code onPut}, in the getters' queue for {@code onGet}. Claiming it claims the whole select.
 */
final class SelectWaiter extends Waiter {
    final Selection selection;
    final int clauseIndex;
    final AbstractChannel<?> channel;

    /** The queue of {@link #channel} this waiter is linked into: its putters (PUT) or its getters (GET). */
    final ChannelFuture.Kind kind;

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
    void wake() {
        if (selection.parking) { // read after the claiming CAS; see ThreadWaiter#parking
            LockSupport.unpark(selection.thread);
        }
    }
}
