package io.github.loomchan;

/**
 * Thrown by {@link Channel#putNowait(Object)} when the channel is open but has no room now: its buffer is full, or
 * (for a rendezvous channel) no getter is waiting.
 */
public final class ChannelFullException extends ChannelException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception with a message.
     *
     * @param message what happened, for people
     */
    public ChannelFullException(String message) {
        super(message);
    }
}
