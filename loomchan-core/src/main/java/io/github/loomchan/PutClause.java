package io.github.loomchan;

import java.util.Objects;
import java.util.function.Supplier;

/** The clause {@link Channel#onPut}: put {@code item} into {@code channel}, then call {@code onPut}. */
record PutClause<T, R>(AbstractChannel<T> channel, T item, Supplier<? extends R> onPut) implements SelectClause<R> {
    PutClause {
        Objects.requireNonNull(item, "item");
        Objects.requireNonNull(onPut, "onPut");
    }

    @Override
    public String toString() {
        return "onPut(" + channel + ")";
    }
}
