package io.github.loomchan.redis;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One item received from a {@link RedisChannel} together with its lease: the consumer processes {@link #item()} and
 * then calls {@link #ack()}, or {@link #release()} to give the item back at once.
 *
 * <p>In {@link DeliveryMode#AT_LEAST_ONCE} mode, until the acknowledgement the item stays in the channel (counted
 * against its capacity); if the lease expires first, the server puts the item back at the head of the channel for
 * another consumer, and a late {@code ack} returns {@code false}. In {@link DeliveryMode#AT_MOST_ONCE} mode the item
 * already left the channel when it was received: {@code ack} does nothing and returns {@code true}, and {@code
 * release} puts it back.
 *
 * <p><b>Thread-safety.</b> A delivery may be acknowledged from any thread; only the first of {@code ack} and {@code
 * release} has an effect (later calls return {@code false} / do nothing). Acknowledging many deliveries in one round
 * trip: {@link RedisChannel#ack(List)}.
 *
 * @param <T> the item type
 */
public final class Delivery<T> {
    private final RedisChannel<T> channel;
    private final T item;
    private final String id;
    private final byte[] envelope;
    private final byte[] token;
    private final boolean leased;
    private final AtomicBoolean settled;

    Delivery(RedisChannel<T> channel, T item, String id, byte[] envelope, byte[] token, boolean leased) {
        this.channel = channel;
        this.item = item;
        this.id = id;
        this.envelope = envelope;
        this.token = token;
        this.leased = leased;
        this.settled = new AtomicBoolean(!leased);
    }

    /**
     * Returns the item.
     *
     * @return the decoded item
     */
    public T item() {
        return item;
    }

    /**
     * Returns the item's id, unique within its channel (the same id when an item is delivered again after its
     * lease expired, so consumers can recognise duplicates).
     *
     * @return the id
     */
    public String id() {
        return id;
    }

    /**
     * Acknowledges the item: it leaves the channel for good, and its place counts as room again.
     *
     * @return {@code true} if the item was still leased to this delivery (or the mode is at-most-once); {@code false}
     *     if it was acknowledged or released before, or its lease had expired (the item was or will be delivered
     *     again)
     * @throws ChannelLostException if the channel is gone from the server
     * @throws RedisChannelException if Redis stays unreachable for the reconnect timeout (the item's lease then
     *     expires and it is delivered again)
     */
    public boolean ack() {
        if (!leased) {
            return true;
        }
        if (!settled.compareAndSet(false, true)) {
            return false;
        }
        return channel.ackEnvelopes(List.of(this))[0];
    }

    /**
     * Gives the item back: it goes to the head of the channel at once, for any consumer (a "nack"). Does nothing if
     * the delivery was already acknowledged or released.
     *
     * @throws ChannelLostException if the channel is gone from the server
     * @throws RedisChannelException if Redis stays unreachable for the reconnect timeout
     */
    public void release() {
        if (leased ? settled.compareAndSet(false, true) : settled.compareAndSet(true, false)) {
            channel.releaseEnvelopes(List.of(envelope), List.of(token), !leased);
        }
    }

    boolean settleForBatch() {
        return leased && settled.compareAndSet(false, true);
    }

    byte[] envelope() {
        return envelope;
    }

    byte[] token() {
        return token;
    }

    @Override
    public String toString() {
        return "Delivery[" + channel.name() + " #" + id + ": " + item + "]";
    }
}
