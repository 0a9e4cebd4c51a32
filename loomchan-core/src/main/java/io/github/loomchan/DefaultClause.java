package io.github.loomchan;

import java.util.Objects;
import java.util.function.Supplier;

/**
 * The clause {@link Select#orElse} (when {@code timeoutNanos < 0}) or {@link Select#timeout}: taken when no channel
 * clause is ready, at once or after the timeout.
 */
record DefaultClause<R>(long timeoutNanos, Supplier<? extends R> action) implements SelectClause<R> {
    /** Marks the {@code orElse} clause, which does not wait at all. */
    static final long NO_WAIT = -1;

    DefaultClause {
        Objects.requireNonNull(action, "action");
    }

    @Override
    public String toString() {
        return timeoutNanos == NO_WAIT ? "orElse" : "timeout(" + timeoutNanos + "ns)";
    }
}
