package io.github.loomchan.redis;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.function.Function;

/**
 * Turns items into bytes for Redis and back. loomchan-redis never uses Java's native serialization: deserializing
 * untrusted bytes with it can execute code, and anyone who can write to the Redis server can write to a channel.
 *
 * <p>Ready-made codecs: {@link #utf8()} for strings and {@link #bytes()} for raw byte arrays; {@link #of} wraps a
 * pair of functions (for example a JSON or Protocol Buffers mapper of your choice).
 *
 * <p><b>Failures.</b> {@link #encode} may throw any runtime exception: the put fails with it and nothing is sent.
 * {@link #decode} may throw any runtime exception: the channel then moves the raw item to its dead-letter list and
 * throws an {@link ItemDecodingException} naming the channel and the item, so the item is reported and recoverable,
 * never silently dropped (see {@link RedisChannel#deadLetters(int)}).
 *
 * <p><b>Thread-safety.</b> A codec is shared by every thread that uses a channel: implementations must be
 * thread-safe (the built-in ones are stateless).
 *
 * @param <T> the item type
 */
public interface ItemCodec<T> {

    /**
     * Encodes an item.
     *
     * @param item the item, never null
     * @return its bytes, not null
     */
    byte[] encode(T item);

    /**
     * Decodes bytes made by {@link #encode} (possibly by another process).
     *
     * @param bytes the payload
     * @return the item, not null
     * @throws RuntimeException if the bytes are not a valid payload
     */
    T decode(byte[] bytes);

    /**
     * Returns a codec for strings as strict UTF-8: bytes that are not valid UTF-8 fail to decode (instead of being
     * replaced by U+FFFD), so a corrupt payload is reported.
     *
     * @return a thread-safe codec
     */
    static ItemCodec<String> utf8() {
        return Utf8Codec.INSTANCE;
    }

    /**
     * Returns a codec that passes byte arrays through unchanged (the array given to a put must not be modified
     * until the put returns).
     *
     * @return a thread-safe codec
     */
    static ItemCodec<byte[]> bytes() {
        return BytesCodec.INSTANCE;
    }

    /**
     * Returns a codec made of two functions.
     *
     * @param encoder item to bytes; must be thread-safe
     * @param decoder bytes to item; must be thread-safe and throw on invalid input
     * @param <T> the item type
     * @return the codec
     * @throws NullPointerException if a function is null
     */
    static <T> ItemCodec<T> of(Function<? super T, byte[]> encoder, Function<byte[], ? extends T> decoder) {
        Objects.requireNonNull(encoder, "encoder");
        Objects.requireNonNull(decoder, "decoder");
        return new ItemCodec<>() {
            @Override
            public byte[] encode(T item) {
                return Objects.requireNonNull(encoder.apply(item), "encoder returned null");
            }

            @Override
            public T decode(byte[] bytes) {
                return Objects.requireNonNull(decoder.apply(bytes), "decoder returned null");
            }
        };
    }
}

/** Strict UTF-8 strings. */
enum Utf8Codec implements ItemCodec<String> {
    INSTANCE;

    @Override
    public byte[] encode(String item) {
        return item.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String decode(byte[] bytes) {
        try {
            CharBuffer chars = StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes));
            return chars.toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("payload is not valid UTF-8: " + e, e);
        }
    }
}

/** Byte arrays as they are. */
enum BytesCodec implements ItemCodec<byte[]> {
    INSTANCE;

    @Override
    public byte[] encode(byte[] item) {
        return item;
    }

    @Override
    public byte[] decode(byte[] bytes) {
        return bytes;
    }
}
