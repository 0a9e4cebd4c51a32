package io.github.loomchan;

/**
 * Where a {@link Producer} puts its items: the write end of a channel, without the power to close it.
 *
 * <p>A producer started by {@link Channels#produce}, {@link Channels#fanIn}, {@link ChannelScope#produce} or a
 * {@link Pipeline} source gets a sink instead of the channel itself, so that it cannot close the channel early (the
 * channel is closed for it when it returns or throws) and, in a fan-in, cannot cut off its siblings.
 *
 * <p><b>Thread-safety.</b> A sink may be used by any number of threads at once; it has the thread-safety of the
 * channel behind it.
 *
 * @param <T> the item type
 */
@FunctionalInterface
public interface Sink<T> {
    /**
     * Puts an item, waiting while the channel behind the sink is full (backpressure).
     *
     * <p><b>Blocking and interruption</b> as for {@link Channel#put}: an interrupted put throws {@link
     * InterruptedException} and the item is not enqueued. A producer whose pipeline or scope was cancelled or failed
     * is interrupted, so this is how it learns to stop.
     *
     * <p><b>When the channel is closed</b> (the consumer closed it, or the pipeline failed and closed it with the
     * failure as cause) it throws {@link ChannelClosedException} and the item is not enqueued.
     *
     * @param item the item, not null
     * @throws InterruptedException if interrupted while waiting
     * @throws ChannelClosedException if the channel is closed
     * @throws NullPointerException if {@code item} is null
     */
    void put(T item) throws InterruptedException;
}
