package io.github.loomchan.redis;

/**
 * The cause a {@link RedisChannel} was closed with, as recorded on the server (a message, possibly written by
 * another process). It is the cause of every {@link io.github.loomchan.ChannelClosedException} the channel throws
 * after a {@code close(cause)}, and makes iteration end by throwing, as in the in-process channel.
 *
 * <p>Thread-safety: immutable once thrown.
 */
public final class RemoteCloseCause extends Exception {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the cause.
     *
     * @param message the text given to {@code close}
     */
    public RemoteCloseCause(String message) {
        super(message);
    }
}
