package io.github.loomchan;

/**
 * A waiter for a pending {@code putAsync}, {@code getAsync} or {@code joinAsync}: the {@link ChannelFuture} handed to
 * the caller. The state machine is {@link OwnedWaiter}'s; the withdrawing CAS comes from whoever cancels or completes
 * the future, on any thread.
 */
final class FutureWaiter extends OwnedWaiter {
    final ChannelFuture<?> future;

    FutureWaiter(ChannelFuture<?> future) {
        this.future = future;
    }

    @Override
    void wake() {
        future.settle(outcome, item);
    }
}
