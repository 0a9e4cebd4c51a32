/**
 * loomchan: Go-style closable channels for Java 21+, cheap to block on from virtual threads.
 *
 * <p>Everything public is in the package {@code io.github.loomchan}; start with {@link io.github.loomchan.Channel}.
 */
module io.github.loomchan {
    exports io.github.loomchan;
}
