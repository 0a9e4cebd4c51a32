package io.github.loomchan.redis;

import io.github.loomchan.Channel;
import io.github.loomchan.ChannelClosedException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Moves items between an in-process {@link Channel} and a {@link RedisChannel}, so one pipeline can span processes
 * and hosts: stages on one host feed a local channel, a bridge pumps it into Redis, a bridge on another host pumps
 * Redis into a local channel there, where {@link io.github.loomchan.Select} and the async API are available again.
 *
 * <pre>{@code
 * Channel<String> local = Channel.buffered(64);
 * Thread.startVirtualThread(() -> ChannelBridge.toRedis(local, remote, true));   // returns when local is done
 * }</pre>
 *
 * <p>Both methods block the calling thread until the source is done (run them on a virtual thread), and propagate
 * a close: with {@code closeTargetWhenDone}, the target is closed when the source is closed and drained, with the
 * source's close cause (as a message when it crosses to Redis). If the target is closed first, the bridge returns
 * normally: {@link #toRedis} then closes its local source (with a cause saying so) so that local producers stop
 * instead of blocking; {@link #fromRedis} gives the item in hand back to Redis and leaves the shared Redis channel
 * open for its other consumers.
 *
 * <p><b>Delivery.</b> {@link #fromRedis} acknowledges each item only after the local {@code put} returned: an item
 * is lost neither if the bridge's process dies (the lease expires and another consumer gets it) nor if the local
 * channel refuses it (the item is released back to Redis). {@link #toRedis} takes an item out of the local channel
 * before it is in Redis; if this process dies in between, that item (at most one batch of up to 100) is lost, as
 * any item in a dying process's memory is.
 *
 * <p><b>Thread-safety.</b> Stateless; any number of bridges may run on the same channels at once (items are then
 * spread among them).
 */
public final class ChannelBridge {
    private static final int BATCH = 100;

    private ChannelBridge() {}

    /**
     * Moves items from a local channel into a Redis channel until the local one is done, in batches of what is
     * available (up to 100 per round trip).
     *
     * @param source the local channel
     * @param target the Redis channel
     * @param closeTargetWhenDone whether to close {@code target} once {@code source} is done (with its cause)
     * @param <T> the item type
     * @return the number of items moved
     * @throws InterruptedException if interrupted while waiting; items already taken from {@code source} and not
     *     yet put are lost with it (at most one batch)
     * @throws RedisChannelException if Redis fails (see {@link RedisChannel#putAll})
     */
    public static <T> long toRedis(Channel<T> source, RedisChannel<T> target, boolean closeTargetWhenDone)
            throws InterruptedException {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(target, "target");
        long moved = 0;
        List<T> batch = new ArrayList<>(BATCH);
        while (true) {
            T first;
            try {
                first = source.get();
            } catch (ChannelClosedException done) {
                if (closeTargetWhenDone) {
                    if (done.getCause() != null) {
                        target.close(done.getCause());
                    } else {
                        target.close();
                    }
                }
                return moved;
            }
            batch.clear();
            batch.add(first);
            source.drainTo(batch, BATCH - 1);
            try {
                target.putAll(batch);
            } catch (ChannelClosedException closed) {
                source.close(new ChannelClosedException(
                        "the Redis channel '" + target.name() + "' this bridge feeds was closed", closed.getCause()));
                return moved;
            }
            moved += batch.size();
        }
    }

    /**
     * Moves items from a Redis channel into a local channel until the Redis one is done, acknowledging each item
     * after the local put returned.
     *
     * @param source the Redis channel
     * @param target the local channel
     * @param closeTargetWhenDone whether to close {@code target} once {@code source} is done (with its cause)
     * @param <T> the item type
     * @return the number of items moved
     * @throws InterruptedException if interrupted while waiting (the item in hand is released back to Redis)
     * @throws RedisChannelException if Redis fails; {@link ItemDecodingException} for an undecodable item
     */
    public static <T> long fromRedis(RedisChannel<T> source, Channel<T> target, boolean closeTargetWhenDone)
            throws InterruptedException {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(target, "target");
        long moved = 0;
        while (true) {
            Delivery<T> delivery;
            try {
                delivery = source.receive();
            } catch (ChannelClosedException done) {
                if (closeTargetWhenDone) {
                    if (done.getCause() != null) {
                        target.close(done.getCause());
                    } else {
                        target.close();
                    }
                }
                return moved;
            }
            try {
                target.put(delivery.item());
            } catch (ChannelClosedException closed) {
                delivery.release(); // the shared Redis channel stays open for its other consumers
                return moved;
            } catch (InterruptedException | RuntimeException e) {
                delivery.release();
                throw e;
            }
            delivery.ack();
            moved++;
        }
    }
}
