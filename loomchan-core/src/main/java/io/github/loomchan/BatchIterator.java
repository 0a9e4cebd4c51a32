package io.github.loomchan;

import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/** The iterator of {@link Channels#batches}: one {@link Channels#readBatch} per element. For one thread. */
final class BatchIterator<T> implements Iterator<List<T>> {
    private final Channel<? extends T> channel;
    private final int max;
    private final Duration linger;
    /** The batch read by hasNext and not yet returned by next, or null. */
    private List<T> next;

    private boolean ended;

    BatchIterator(Channel<? extends T> channel, int max, Duration linger) {
        this.channel = channel;
        this.max = max;
        this.linger = linger;
    }

    @Override
    public boolean hasNext() {
        if (next != null) {
            return true;
        }
        if (ended) {
            return false;
        }
        List<T> batch;
        try {
            batch = Channels.readBatch(channel, max, linger);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new ChannelException("interrupted while waiting for the next batch of " + channel, interrupted);
        } catch (ChannelClosedException failed) {
            ended = true;
            throw failed;
        }
        if (batch.isEmpty()) {
            ended = true;
            return false;
        }
        next = batch;
        return true;
    }

    @Override
    public List<T> next() {
        if (!hasNext()) {
            throw new NoSuchElementException("the channel is closed and drained");
        }
        List<T> batch = next;
        next = null;
        return batch;
    }
}
