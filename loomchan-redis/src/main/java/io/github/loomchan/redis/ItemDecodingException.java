package io.github.loomchan.redis;

/**
 * An item's payload could not be decoded by the channel's {@link ItemCodec}. The item was not dropped: it was moved
 * to the channel's dead-letter list, from where {@link RedisChannel#deadLetters(int)} returns its raw bytes and
 * {@link RedisChannel#requeueDeadLetters()} puts it back. The other items of the same batch were returned to the
 * head of the channel.
 *
 * <p>Thread-safety: immutable once thrown.
 */
public final class ItemDecodingException extends RedisChannelException {
    private static final long serialVersionUID = 1L;

    private final String channelName;
    private final String itemId;

    /**
     * Creates an exception.
     *
     * @param channelName the channel the item came from
     * @param itemId the item's id within the channel
     * @param cause what the codec threw
     */
    public ItemDecodingException(String channelName, String itemId, Throwable cause) {
        super(
                "channel '" + channelName + "': item " + itemId + " could not be decoded (" + cause
                        + "); it was moved to the channel's dead letters, see RedisChannel.deadLetters",
                cause);
        this.channelName = channelName;
        this.itemId = itemId;
    }

    /**
     * Returns the name of the channel the item came from.
     *
     * @return the channel name
     */
    public String channelName() {
        return channelName;
    }

    /**
     * Returns the item's id (unique within the channel).
     *
     * @return the id
     */
    public String itemId() {
        return itemId;
    }
}
