package io.github.loomchan.redis;

/**
 * What a {@link RedisChannel} promises when a consumer, its connection or the server fails.
 *
 * <p>Thread-safety: an immutable enum.
 */
public enum DeliveryMode {
    /**
     * The default. A consumer receives an item with a lease (a deadline on the Redis server's clock) and
     * acknowledges it; until then the item stays in the channel, counted against its capacity. If the lease
     * expires first (the consumer died, hung, or lost its connection), the item goes back to the head of the channel
     * and another consumer receives it. So no item is lost, and an item is received more than once only when a
     * lease expired before its acknowledgement (the count of such redeliveries is {@link
     * RedisChannel#redeliveredCount()}). Processing must therefore tolerate duplicates.
     */
    AT_LEAST_ONCE,

    /**
     * An item leaves the channel the moment it is handed to a consumer, before the consumer's code sees it: never a
     * duplicate, but an item is lost if its consumer dies while processing it. (An item in a reply that never
     * reached its consumer because the connection broke is still recovered: the server keeps it until the retry or
     * the reaper claims it, so loss is limited to consumer crashes.)
     */
    AT_MOST_ONCE
}
