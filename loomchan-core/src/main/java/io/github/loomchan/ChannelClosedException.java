package io.github.loomchan;

/**
 * Thrown by a put on a closed channel, and by a get on a channel that is closed and drained (there is nothing left
 * to take and nothing more will come).
 *
 * <p>If the channel was closed with {@link Channel#close(Throwable)}, {@link #getCause()} is that cause: the
 * failure of the producer reaches every consumer, after they consumed what was sent before it.
 */
public final class ChannelClosedException extends ChannelException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception with a message and the cause the channel was closed with.
     *
     * @param message what happened, for people
     * @param cause the cause passed to {@link Channel#close(Throwable)}, or {@code null} for a plain close
     */
    public ChannelClosedException(String message, Throwable cause) {
        super(message, cause);
    }
}
