package io.github.loomchan.verify;

import io.github.loomchan.Channel;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** {@link ChannelOps} over a real {@link Channel}: every call is delegated unchanged. */
public final class RealChannelOps<T> implements ChannelOps<T> {
    private final Channel<T> channel;
    private final String name;

    public RealChannelOps(Channel<T> channel) {
        this.channel = channel;
        this.name = "real " + kindName(channel.capacity());
    }

    /** The kind of channel {@code capacity} selects: 0 rendezvous, MAX_VALUE unbounded, else buffered. */
    public static <T> ChannelOps<T> of(int capacity) {
        Channel<T> channel =
                switch (capacity) {
                    case 0 -> Channel.rendezvous();
                    case Integer.MAX_VALUE -> Channel.unbounded();
                    default -> Channel.buffered(capacity);
                };
        return new RealChannelOps<>(channel);
    }

    static String kindName(int capacity) {
        return switch (capacity) {
            case 0 -> "rendezvous";
            case Integer.MAX_VALUE -> "unbounded";
            default -> "buffered(" + capacity + ")";
        };
    }

    public Channel<T> channel() {
        return channel;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int capacity() {
        return channel.capacity();
    }

    @Override
    public void put(T item) throws InterruptedException {
        channel.put(item);
    }

    @Override
    public boolean offer(T item, Duration timeout) throws InterruptedException {
        return channel.offer(item, timeout);
    }

    @Override
    public boolean offer(T item) {
        return channel.offer(item);
    }

    @Override
    public void putNowait(T item) {
        channel.putNowait(item);
    }

    @Override
    public T get() throws InterruptedException {
        return channel.get();
    }

    @Override
    public T poll(Duration timeout) throws InterruptedException {
        return channel.poll(timeout);
    }

    @Override
    public T poll() {
        return channel.poll();
    }

    @Override
    public T getNowait() {
        return channel.getNowait();
    }

    @Override
    public void close() {
        channel.close();
    }

    @Override
    public void close(Throwable cause) {
        channel.close(cause);
    }

    @Override
    public boolean isClosed() {
        return channel.isClosed();
    }

    @Override
    public boolean isDone() {
        return channel.isDone();
    }

    @Override
    public int size() {
        return channel.size();
    }

    @Override
    public boolean isEmpty() {
        return channel.isEmpty();
    }

    @Override
    public boolean isFull() {
        return channel.isFull();
    }

    @Override
    public List<T> snapshot() {
        return channel.snapshot();
    }

    @Override
    public int drainTo(Collection<? super T> target, int max) {
        return channel.drainTo(target, max);
    }

    @Override
    public void join() throws InterruptedException {
        channel.join();
    }

    @Override
    public boolean supportsAsync() {
        return true;
    }

    @Override
    public CompletableFuture<Void> putAsync(T item) {
        return channel.putAsync(item);
    }

    @Override
    public CompletableFuture<T> getAsync() {
        return channel.getAsync();
    }

    @Override
    public String toString() {
        return channel.toString();
    }
}
