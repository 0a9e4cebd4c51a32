package io.github.loomchan;

/**
 * The field layout of {@link RendezvousChannel}: its {@code head} and {@code tail} each on a cache line of their own,
 * apart from the fields every operation reads but rarely writes ({@code closed}, the spin hints of {@link
 * AbstractChannel}).
 *
 * <p>Why: in a handoff both sides CAS head (and, in a longer queue, appenders CAS tail), while both read {@code closed}
 * and the handoff score on every operation. On one line, every CAS made the other core's next read of those fields a
 * miss too. Measured (rendezvous 1P/1C on virtual threads, three forks per arm, 2026-12-03): 482 -> 462 ns per
 * item; chains and pairs of rendezvous channels level. The cost is memory: an idle rendezvous channel is 264 bytes
 * instead of 72.
 *
 * <p>A superclass's fields come first in HotSpot's layout, so each class of this chain adds one group in order. The
 * padding is of bytes because the layout fills gaps in a superclass's fields with smaller fields of a subclass:
 * bytes only fill gaps, and a reference placed in a gap could not end up next to head or tail. Checked with JOL 0.17
 * on JDK 25 (compressed oops): head at offset 112, tail at 180, the last field of {@link AbstractChannel} at 44.
 * Nothing here is read or written; the classes only shape the object.
 */
final class RendezvousLayout {
    private RendezvousLayout() {}

    /** Padding after the fields of {@link AbstractChannel}. */
    @SuppressWarnings("unused")
    abstract static sealed class Pad0<T> extends AbstractChannel<T> permits Head {
        byte a00, a01, a02, a03, a04, a05, a06, a07;
        byte a08, a09, a10, a11, a12, a13, a14, a15;
        byte a16, a17, a18, a19, a20, a21, a22, a23;
        byte a24, a25, a26, a27, a28, a29, a30, a31;
        byte a32, a33, a34, a35, a36, a37, a38, a39;
        byte a40, a41, a42, a43, a44, a45, a46, a47;
        byte a48, a49, a50, a51, a52, a53, a54, a55;
        byte a56, a57, a58, a59, a60, a61, a62, a63;

        Pad0() {
            super(0);
        }
    }

    /** The head field ({@link RendezvousChannel} documents it). */
    abstract static sealed class Head<T> extends Pad0<T> permits Pad1 {
        /**
         * The front waiter, or null when nobody waits (see RendezvousChannel). Invariants: written by CAS only; moves
         * from a waiter only to its successor, or to null once that waiter is sealed (A1); set from null only by an
         * append to an empty queue.
         */
        volatile Waiter head;
    }

    /** Padding between head and tail. */
    @SuppressWarnings("unused")
    abstract static sealed class Pad1<T> extends Head<T> permits Tail {
        byte b00, b01, b02, b03, b04, b05, b06, b07;
        byte b08, b09, b10, b11, b12, b13, b14, b15;
        byte b16, b17, b18, b19, b20, b21, b22, b23;
        byte b24, b25, b26, b27, b28, b29, b30, b31;
        byte b32, b33, b34, b35, b36, b37, b38, b39;
        byte b40, b41, b42, b43, b44, b45, b46, b47;
        byte b48, b49, b50, b51, b52, b53, b54, b55;
        byte b56, b57, b58, b59, b60, b61, b62, b63;
    }

    /** The tail field ({@link RendezvousChannel} documents it). */
    abstract static sealed class Tail<T> extends Pad1<T> permits Pad2 {
        /**
         * A hint for appends (RendezvousChannel, T1): null, a waiter that left the queue, or one from which the last
         * waiter is reachable. Written by CAS only; nothing but an append's walk reads it.
         */
        volatile Waiter tail;
    }

    /** Padding between tail and the fields of {@link RendezvousChannel}. */
    @SuppressWarnings("unused")
    abstract static sealed class Pad2<T> extends Tail<T> permits RendezvousChannel {
        byte c00, c01, c02, c03, c04, c05, c06, c07;
        byte c08, c09, c10, c11, c12, c13, c14, c15;
        byte c16, c17, c18, c19, c20, c21, c22, c23;
        byte c24, c25, c26, c27, c28, c29, c30, c31;
        byte c32, c33, c34, c35, c36, c37, c38, c39;
        byte c40, c41, c42, c43, c44, c45, c46, c47;
        byte c48, c49, c50, c51, c52, c53, c54, c55;
        byte c56, c57, c58, c59, c60, c61, c62, c63;
    }
}
