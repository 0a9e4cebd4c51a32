package io.github.loomchan;

/**
 * Thrown by {@link Channel#getNowait()} when the channel is open but has nothing to take now: its buffer is empty,
 * or (for a rendezvous channel) no putter is waiting.
 */
public final class ChannelEmptyException extends ChannelException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception with a message.
     *
     * @param message what happened, for people
     */
    public ChannelEmptyException(String message) {
        super(message);
    }
}
