package io.github.loomchan.redis;

import java.time.Duration;
import java.util.Objects;

/**
 * How one {@link RedisChannel} handle behaves: delivery mode, lease time and the bounded re-check interval. These
 * belong to the handle, not to the channel on the server: different processes may use different options on the
 * same channel.
 *
 * <p>Thread-safety: an immutable value.
 *
 * @param mode {@link DeliveryMode#AT_LEAST_ONCE} (the default) or {@link DeliveryMode#AT_MOST_ONCE}
 * @param leaseTime how long a received item stays leased to its consumer before the server gives it to another
 *     (at-least-once mode); also the grace given to an item whose hand-over reply was lost, in both modes
 * @param recheckInterval the longest a blocked call waits for a pub/sub wake-up before it looks at the channel again
 *     (so a lost notification delays a waiter by at most this much); also the longest single server-side block of a
 *     consumer, which bounds how late a blocked consumer notices a lost channel or reaps an expired lease
 */
public record RedisChannelOptions(DeliveryMode mode, Duration leaseTime, Duration recheckInterval) {

    /**
     * Validates the options.
     *
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if {@code leaseTime} is shorter than 10 ms or {@code recheckInterval}
     *     shorter than 10 ms
     */
    public RedisChannelOptions {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(leaseTime, "leaseTime");
        Objects.requireNonNull(recheckInterval, "recheckInterval");
        if (leaseTime.toMillis() < 10) {
            throw new IllegalArgumentException("leaseTime must be at least 10 ms, but was " + leaseTime);
        }
        if (recheckInterval.toMillis() < 10) {
            throw new IllegalArgumentException("recheckInterval must be at least 10 ms, but was " + recheckInterval);
        }
    }

    /**
     * Returns the defaults: at-least-once, a 30 s lease, a 1 s re-check interval.
     *
     * @return the default options
     */
    public static RedisChannelOptions defaults() {
        return new RedisChannelOptions(DeliveryMode.AT_LEAST_ONCE, Duration.ofSeconds(30), Duration.ofSeconds(1));
    }

    /**
     * Returns a copy with another delivery mode.
     *
     * @param newMode the mode
     * @return the new options
     */
    public RedisChannelOptions withMode(DeliveryMode newMode) {
        return new RedisChannelOptions(newMode, leaseTime, recheckInterval);
    }

    /**
     * Returns a copy with another lease time.
     *
     * @param newLeaseTime the lease time, at least 10 ms
     * @return the new options
     */
    public RedisChannelOptions withLeaseTime(Duration newLeaseTime) {
        return new RedisChannelOptions(mode, newLeaseTime, recheckInterval);
    }

    /**
     * Returns a copy with another re-check interval.
     *
     * @param newRecheckInterval the interval, at least 10 ms
     * @return the new options
     */
    public RedisChannelOptions withRecheckInterval(Duration newRecheckInterval) {
        return new RedisChannelOptions(mode, leaseTime, newRecheckInterval);
    }
}
