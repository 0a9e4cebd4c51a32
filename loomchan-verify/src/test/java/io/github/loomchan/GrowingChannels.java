package io.github.loomchan;

/**
 * Test access to unbounded channels whose ring starts smaller than {@link Channel#unbounded()}'s, so that the short
 * scenarios of the verification suites grow it (ArrayChannel's "Growing": a full ring doubles under both locks).
 */
public final class GrowingChannels {
    private GrowingChannels() {}

    /**
     * An unbounded channel whose ring starts at {@code initialRing} slots (a power of two); otherwise exactly what
     * {@link Channel#unbounded()} returns.
     */
    public static <T> Channel<T> unboundedWithRing(int initialRing) {
        return new ArrayChannel<>(Integer.MAX_VALUE, initialRing);
    }
}
