package io.github.loomchan;

/**
 * The body of a producer: puts items into a {@link Sink} and returns when it has no more.
 *
 * <p>The code that runs a producer (for example {@link Channels#produce}) owns the channel: it closes the channel when
 * {@link #produce} returns, and closes it with the exception as cause when {@code produce} throws, so consumers first
 * drain what was put and then see the failure. A producer therefore never needs a {@code finally { close(); }} of its
 * own.
 *
 * <p><b>Cancellation.</b> When the consumer closes the channel, {@link Sink#put} throws {@link ChannelClosedException};
 * when the surrounding scope or pipeline is cancelled or fails, the producer's thread is interrupted. A producer that
 * blocks on something other than the sink should let {@link InterruptedException} propagate.
 *
 * @param <T> the item type
 */
@FunctionalInterface
public interface Producer<T> {
    /**
     * Produces the items.
     *
     * @param out where to put the items; valid until this method returns
     * @throws Exception any failure; it becomes the close cause of the channel and, in a scope or pipeline, the
     *     failure reported to the caller
     */
    void produce(Sink<T> out) throws Exception;
}
