package io.github.loomchan;

import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * The consuming iterator of {@link Channel#iterator()}: each {@code hasNext()} that has no item in hand performs a
 * blocking get. Not thread-safe (one iterator per consuming thread), as the contract says.
 */
final class ChannelIterator<T> implements Iterator<T> {
    private final AbstractChannel<T> channel;

    /** The item taken by hasNext() and not yet returned by next(), or null. */
    private T next;

    /** Set once the channel was found done after a plain close; iteration is over. */
    private boolean finished;

    ChannelIterator(AbstractChannel<T> channel) {
        this.channel = channel;
    }

    @Override
    @SuppressWarnings("unchecked")
    public boolean hasNext() {
        if (next != null) {
            return true;
        }
        if (finished) {
            return false;
        }
        Object result;
        try {
            result = channel.receive(false, 0L);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ChannelException("interrupted while waiting for the next item of " + channel, e);
        }
        if (result == AbstractChannel.CLOSED) {
            if (channel.closeCause() != null) {
                // A failure is never silent: every later hasNext() reports it again.
                throw channel.closedForGet();
            }
            finished = true;
            return false;
        }
        next = (T) result;
        return true;
    }

    @Override
    public T next() {
        if (!hasNext()) {
            throw new NoSuchElementException("channel is closed and drained");
        }
        T item = next;
        next = null;
        return item;
    }
}
