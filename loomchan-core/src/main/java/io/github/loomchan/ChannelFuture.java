package io.github.loomchan;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * The future returned by a pending {@code putAsync}, {@code getAsync} or {@code joinAsync}.
 *
 * <p>Completing it from outside ({@code cancel}, {@code complete}, {@code completeExceptionally}, {@code
 * completeAsync}, {@code obtrude*}, and so also {@code orTimeout} and {@code completeOnTimeout}) first withdraws the channel operation. That is what keeps items from
 * being lost: a get whose future was cancelled must not consume an item, and a put whose future was cancelled must
 * not enqueue one. If the channel already claimed the operation, the external completion fails (returns {@code
 * false}) and the future completes with the channel's result, shortly, on the claiming thread.
 *
 * <p>Dependent futures ({@code thenApply} and so on) are plain {@link CompletableFuture}s.
 */
final class ChannelFuture<V> extends CompletableFuture<V> {
    enum Kind {
        PUT,
        GET,
        JOIN
    }

    private final AbstractChannel<?> channel;
    private final Kind kind;
    private final FutureWaiter waiter;

    ChannelFuture(AbstractChannel<?> channel, Kind kind) {
        this.channel = channel;
        this.kind = kind;
        this.waiter = new FutureWaiter(this);
    }

    FutureWaiter waiter() {
        return waiter;
    }

    /** Completes the future with the channel's outcome; called once, by the thread that claimed the waiter. */
    @SuppressWarnings("unchecked")
    void settle(int outcome, Object item) {
        if (outcome == Waiter.CLOSED) {
            switch (kind) {
                case PUT -> super.completeExceptionally(channel.closedForPut());
                case GET -> super.completeExceptionally(channel.closedForGet());
                case JOIN -> super.complete(null);
            }
        } else {
            // RECEIVED carries the item (GET); TAKEN completes a put with null.
            super.complete(kind == Kind.GET ? (V) item : null);
        }
    }

    private boolean withdraw() {
        return channel.withdraw(waiter, kind);
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        if (withdraw()) {
            return super.cancel(mayInterruptIfRunning);
        }
        return isCancelled();
    }

    @Override
    public boolean complete(V value) {
        return withdraw() && super.complete(value);
    }

    @Override
    public boolean completeExceptionally(Throwable failure) {
        Objects.requireNonNull(failure, "failure"); // before withdrawing: a withdrawn op must end in a completion
        return withdraw() && super.completeExceptionally(failure);
    }

    /**
     * {@inheritDoc}
     *
     * <p>Completes through {@link #complete} / {@link #completeExceptionally}, so the channel operation is withdrawn
     * when the supplier's result arrives (the inherited version would bypass them and strand the operation).
     */
    @Override
    public CompletableFuture<V> completeAsync(Supplier<? extends V> supplier, Executor executor) {
        Objects.requireNonNull(supplier, "supplier");
        Objects.requireNonNull(executor, "executor");
        executor.execute(() -> {
            V value;
            try {
                value = supplier.get();
            } catch (Throwable failure) {
                completeExceptionally(failure);
                return;
            }
            complete(value);
        });
        return this;
    }

    @Override
    public CompletableFuture<V> completeAsync(Supplier<? extends V> supplier) {
        return completeAsync(supplier, defaultExecutor());
    }

    /**
     * {@inheritDoc}
     *
     * <p>Withdraws the channel operation if it is still pending. If the channel already handed this future an item,
     * forcing another result discards that item: obtrusion is for error recovery, not for normal completion.
     */
    @Override
    public void obtrudeValue(V value) {
        withdraw();
        super.obtrudeValue(value);
    }

    /**
     * {@inheritDoc}
     *
     * <p>Withdraws the channel operation if it is still pending, as {@link #obtrudeValue} does.
     */
    @Override
    public void obtrudeException(Throwable failure) {
        Objects.requireNonNull(failure, "failure");
        withdraw();
        super.obtrudeException(failure);
    }

    @Override
    public <U> CompletableFuture<U> newIncompleteFuture() {
        return new CompletableFuture<>();
    }

    @Override
    public String toString() {
        return "ChannelFuture[" + kind + " on " + channel + ", " + super.toString() + "]";
    }
}
