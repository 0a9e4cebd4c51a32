package io.github.loomchan;

import java.util.Objects;
import java.util.function.Function;

/** The clause {@link Channel#onGet}: take an item from {@code channel} and apply {@code onItem} to it. */
record GetClause<T, R>(AbstractChannel<T> channel, Function<? super T, ? extends R> onItem) implements SelectClause<R> {
    GetClause {
        Objects.requireNonNull(onItem, "onItem");
    }

    @Override
    public String toString() {
        return "onGet(" + channel + ")";
    }
}
