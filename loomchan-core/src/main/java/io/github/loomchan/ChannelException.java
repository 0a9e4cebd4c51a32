package io.github.loomchan;

/**
 * The base class of the exceptions that channel operations throw to report the channel's state: closed, full or
 * empty.
 *
 * <p>It is unchecked, like {@link java.util.NoSuchElementException} for an empty queue: the states it reports are
 * part of the normal life of a channel, and most code handles them in one place (a {@code try} around a consumer
 * loop, or not at all, since iteration ends by itself on a normal close).
 *
 * <p>Instances are created fresh for every failure and may be shared between threads once thrown.
 *
 * @see ChannelClosedException
 * @see ChannelFullException
 * @see ChannelEmptyException
 */
public class ChannelException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception with a message and an optional cause.
     *
     * @param message what happened, for people
     * @param cause the underlying failure, or {@code null}
     */
    public ChannelException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * Creates an exception with a message and no cause.
     *
     * @param message what happened, for people
     */
    public ChannelException(String message) {
        super(message);
    }
}
