package io.github.loomchan;

import java.lang.reflect.Field;

/** White-box access for tests: the length of a channel implementation's private ring array. */
final class RingLength {
    private RingLength() {}

    /** The length of the {@code Object[]} in {@code owner}'s private field {@code field} of {@code channel}. */
    static int of(Channel<?> channel, Class<?> owner, String field) {
        try {
            Field ring = owner.getDeclaredField(field);
            ring.setAccessible(true);
            return ((Object[]) ring.get(channel)).length;
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(
                    owner.getSimpleName() + " has no ring array '" + field + "' any more: update this test", e);
        }
    }
}
