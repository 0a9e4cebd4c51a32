package io.github.loomchan;

/**
 * A waiter for a pending {@code putAsync}, {@code getAsync} or {@code joinAsync}: the {@link ChannelFuture} handed to
 * the caller. The state machine is {@link OwnedWaiter}'s; the withdrawing CAS comes from whoever cancels or completes
 * the future, on any thread.
 */
final class FutureWaiter extends OwnedWaiter {
    /**
     * The future to settle; cleared once settled or withdrawn, because a {@link RendezvousChannel} waiter can stay
     * behind as the queue's front node and must not keep a completed future (and its item) alive. Written and read
     * only by the one thread that owns the waiter's completion (its claimer, or the withdrawing thread).
     */
    private ChannelFuture<?> future;

    FutureWaiter(ChannelFuture<?> future) {
        this.future = future;
    }

    @Override
    void wake() {
        ChannelFuture<?> settling = future;
        Object received = item;
        future = null;
        item = null;
        settling.settle(outcome, received);
    }

    /** Drops the future of a withdrawn waiter (see {@link #future}); only after the withdrawal succeeded. */
    void forget() {
        future = null;
    }
}
