package io.github.loomchan.redis;

/**
 * The channel's keys are gone from Redis, or were replaced by a new channel of the same name: typically the server
 * restarted without persistence, or someone deleted the channel. A handle never recreates a lost channel (that would
 * silently turn "items lost" into "no items"); every later operation on the handle throws this exception again.
 *
 * <p>Thread-safety: immutable once thrown.
 */
public final class ChannelLostException extends RedisChannelException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception.
     *
     * @param message what happened, naming the channel
     */
    public ChannelLostException(String message) {
        super(message, null);
    }
}
