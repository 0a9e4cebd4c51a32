package io.github.loomchan.verify.model;

/**
 * One step of a model-based test: an operation and its argument ({@code arg} is the item of a put, the {@code max}
 * of a drain, or which pending future a cancel picks). Immutable, so a failing sequence can be shrunk freely: every
 * subsequence of a valid sequence is valid.
 */
public record Command(Type type, int arg) {
    /** The operations, all of which return at once on a single thread when the channel is correct. */
    public enum Type {
        OFFER,
        PUT_NOWAIT,
        OFFER_ZERO_TIMEOUT,
        /** put(), issued only when the model says it will not wait. */
        PUT_IF_READY,
        POLL,
        GET_NOWAIT,
        POLL_ZERO_TIMEOUT,
        /** get(), issued only when the model says it will not wait. */
        GET_IF_READY,
        PUT_ASYNC,
        GET_ASYNC,
        /** Cancels the (arg mod n)-th still pending future, if any. */
        CANCEL,
        CLOSE,
        CLOSE_WITH_CAUSE,
        SIZE,
        IS_EMPTY,
        IS_FULL,
        IS_CLOSED,
        IS_DONE,
        SNAPSHOT,
        DRAIN
    }

    @Override
    public String toString() {
        return switch (type) {
            case OFFER, PUT_NOWAIT, OFFER_ZERO_TIMEOUT, PUT_IF_READY, PUT_ASYNC, DRAIN, CANCEL ->
                type + "(" + arg + ")";
            default -> type.toString();
        };
    }
}
