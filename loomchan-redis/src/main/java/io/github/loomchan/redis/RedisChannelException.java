package io.github.loomchan.redis;

import io.github.loomchan.ChannelException;

/**
 * A failure of the Redis side of a {@link RedisChannel}: the server is unreachable for longer than the reconnect
 * timeout, refused the credentials, or answered with an error. Subclasses: {@link ChannelLostException}, {@link
 * ItemDecodingException}.
 *
 * <p>Thread-safety: immutable once thrown.
 */
public class RedisChannelException extends ChannelException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception.
     *
     * @param message what happened, naming the channel or the server
     * @param cause the underlying failure, or {@code null}
     */
    public RedisChannelException(String message, Throwable cause) {
        super(message, cause);
    }
}
