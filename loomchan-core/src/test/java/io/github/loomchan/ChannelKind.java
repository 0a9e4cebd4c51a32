package io.github.loomchan;

/**
 * The channel kinds every contract test runs against, like kotlinx's {@code TestChannelKind}: the same test body,
 * one run per kind.
 */
enum ChannelKind {
    RENDEZVOUS(0),
    BUFFERED_1(1),
    BUFFERED_16(16),
    UNBOUNDED(Integer.MAX_VALUE);

    /** The capacity the kind's factory promises. */
    final int capacity;

    ChannelKind(int capacity) {
        this.capacity = capacity;
    }

    /** Creates a new channel of this kind through the public factory. */
    <T> Channel<T> create() {
        return switch (this) {
            case RENDEZVOUS -> Channel.rendezvous();
            case BUFFERED_1 -> Channel.buffered(1);
            case BUFFERED_16 -> Channel.buffered(16);
            case UNBOUNDED -> Channel.unbounded();
        };
    }

    boolean isRendezvous() {
        return capacity == 0;
    }

    /** Whether a put can block because the buffer is full (every kind but unbounded). */
    boolean isBounded() {
        return capacity != Integer.MAX_VALUE;
    }

    /**
     * How many items a test puts to "fill" the channel: the capacity, or, for an unbounded channel, a number that
     * makes the buffer grow several times.
     */
    int fillCount() {
        return isBounded() ? capacity : 100;
    }

    /** The kind as {@code toString()} of its channels names it. */
    String displayName() {
        return switch (this) {
            case RENDEZVOUS -> "rendezvous";
            case BUFFERED_1 -> "buffered(1)";
            case BUFFERED_16 -> "buffered(16)";
            case UNBOUNDED -> "unbounded";
        };
    }

    @Override
    public String toString() {
        return displayName();
    }
}
