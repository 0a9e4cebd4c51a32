package io.github.loomchan.verify.lincheck;

import io.github.loomchan.verify.ChannelModel;
import java.util.List;

/**
 * Lincheck's sequential specification: the operations of {@link ChannelLincheckBase} on a {@link ChannelModel}
 * with the same capacity. With non-blocking operations only, no waiter ever exists, so on a rendezvous channel
 * offer/putNowait always find no getter and poll/getNowait no putter. One subclass per capacity, because Lincheck
 * creates the specification with its no-argument constructor.
 */
public abstract class LincheckSpec {
    private final ChannelModel model;

    protected LincheckSpec(int capacity) {
        this.model = new ChannelModel(capacity);
    }

    private String closed() {
        return model.closedWithCause() ? "closed(cause)" : "closed";
    }

    public String offer(int item) {
        return switch (model.tryPut(item)) {
            case OK -> "true";
            case FULL -> "false";
            case CLOSED -> closed();
        };
    }

    public String putNowait(int item) {
        return switch (model.tryPut(item)) {
            case OK -> "ok";
            case FULL -> "full";
            case CLOSED -> closed();
        };
    }

    public String poll() {
        int item = model.tryGet();
        return item == ChannelModel.EMPTY ? "null" : item == ChannelModel.DONE ? closed() : String.valueOf(item);
    }

    public String getNowait() {
        int item = model.tryGet();
        return item == ChannelModel.EMPTY ? "empty" : item == ChannelModel.DONE ? closed() : String.valueOf(item);
    }

    public void close() {
        model.close(false);
    }

    public void closeWithCause() {
        model.close(true);
    }

    public boolean isClosed() {
        return model.isClosed();
    }

    public boolean isDone() {
        return model.isDone();
    }

    public int size() {
        return model.size();
    }

    public boolean isEmpty() {
        return model.isEmpty();
    }

    public boolean isFull() {
        return model.isFull();
    }

    public List<Integer> snapshot() {
        return model.snapshot();
    }

    public String drainTo(int max) {
        List<Integer> moved = model.drain(max);
        return moved.size() + ":" + moved;
    }

    /** Rendezvous. */
    public static final class Cap0 extends LincheckSpec {
        public Cap0() {
            super(0);
        }
    }

    /** buffered(1). */
    public static final class Cap1 extends LincheckSpec {
        public Cap1() {
            super(1);
        }
    }

    /** buffered(2). */
    public static final class Cap2 extends LincheckSpec {
        public Cap2() {
            super(2);
        }
    }

    /** buffered(16). */
    public static final class Cap16 extends LincheckSpec {
        public Cap16() {
            super(16);
        }
    }

    /** Unbounded. */
    public static final class Unbounded extends LincheckSpec {
        public Unbounded() {
            super(Integer.MAX_VALUE);
        }
    }
}
