/**
 * Closable channels: {@link io.github.loomchan.Channel} (buffered, rendezvous and unbounded), {@link
 * io.github.loomchan.Select} over several channels, and their exceptions.
 *
 * <p>Every public method of this package is safe to call from any number of threads at once, unless its
 * documentation says otherwise. Blocking methods park the calling thread without pinning a virtual thread's
 * carrier. No method accepts or returns {@code null} unless its documentation says so.
 */
package io.github.loomchan;
