package io.github.loomchan.verify.lincheck;

import io.github.loomchan.ChannelClosedException;
import io.github.loomchan.ChannelEmptyException;
import io.github.loomchan.ChannelFullException;
import io.github.loomchan.verify.Budget;
import io.github.loomchan.verify.ChannelOps;
import java.util.ArrayList;
import java.util.List;
import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.StressOptions;

/**
 * The Lincheck operations: every non-blocking operation of a channel, each returning a value that shows its whole
 * outcome (a closed channel answers {@code "closed"} or {@code "closed(cause)"}, so the close cause is checked
 * too). Lincheck runs them concurrently and checks every result against {@link LincheckSpec}.
 *
 * <p>Blocking operations are not here: Lincheck's {@code @Operation} API cannot drive them in Java; the history
 * checker ({@code io.github.loomchan.verify.history}) covers them.
 *
 * <p>Linearizability claims: every operation here is linearizable; none is excluded. (The Channel Javadoc makes the
 * same claim: size/isEmpty/isFull/isDone read one volatile value; snapshot and drainTo run under the lock.)
 */
public abstract class ChannelLincheckBase {
    /** The cause passed to {@link #closeWithCause()}; recognised by identity in the results. */
    public static final Throwable CAUSE = new IllegalStateException("producer failed");

    private final ChannelOps<Integer> channel;

    protected ChannelLincheckBase(ChannelOps<Integer> channel) {
        this.channel = channel;
    }

    static String closed(ChannelClosedException e) {
        if (e.getCause() == null) {
            return "closed";
        }
        return e.getCause() == CAUSE ? "closed(cause)" : "closed(wrong cause: " + e.getCause() + ")";
    }

    @Operation
    public String offer(@Param(gen = IntGen.class, conf = "1:9") int item) {
        try {
            return String.valueOf(channel.offer(item));
        } catch (ChannelClosedException e) {
            return closed(e);
        }
    }

    @Operation
    public String putNowait(@Param(gen = IntGen.class, conf = "1:9") int item) {
        try {
            channel.putNowait(item);
            return "ok";
        } catch (ChannelFullException e) {
            return "full";
        } catch (ChannelClosedException e) {
            return closed(e);
        }
    }

    @Operation
    public String poll() {
        try {
            return String.valueOf(channel.poll());
        } catch (ChannelClosedException e) {
            return closed(e);
        }
    }

    @Operation
    public String getNowait() {
        try {
            return String.valueOf(channel.getNowait());
        } catch (ChannelEmptyException e) {
            return "empty";
        } catch (ChannelClosedException e) {
            return closed(e);
        }
    }

    @Operation
    public void close() {
        channel.close();
    }

    @Operation
    public void closeWithCause() {
        channel.close(CAUSE);
    }

    @Operation
    public boolean isClosed() {
        return channel.isClosed();
    }

    @Operation
    public boolean isDone() {
        return channel.isDone();
    }

    @Operation
    public int size() {
        return channel.size();
    }

    @Operation
    public boolean isEmpty() {
        return channel.isEmpty();
    }

    @Operation
    public boolean isFull() {
        return channel.isFull();
    }

    @Operation
    public List<Integer> snapshot() {
        return List.copyOf(channel.snapshot());
    }

    @Operation
    public String drainTo(@Param(gen = IntGen.class, conf = "0:3") int max) {
        List<Integer> target = new ArrayList<>();
        int moved = channel.drainTo(target, max);
        return moved + ":" + target;
    }

    /**
     * Model checking (thread switches explored systematically at shared-memory accesses, bounded by the budget).
     * The default budget is a smoke test (Lincheck's model checker costs several ms per invocation here); -Pstress
     * runs 30 scenarios x 2,000 interleavings with 3 threads.
     */
    protected static ModelCheckingOptions modelChecking(Class<? extends LincheckSpec> spec) {
        return new ModelCheckingOptions()
                .iterations(Budget.pick(3, 30))
                .invocationsPerIteration(Budget.pick(100, 2_000))
                .threads(Budget.pick(2, 3))
                .actorsPerThread(3)
                .actorsBefore(2)
                .actorsAfter(1)
                .sequentialSpecification(spec);
    }

    /** Stress mode (real threads, real timing). */
    protected static StressOptions stress(Class<? extends LincheckSpec> spec) {
        return new StressOptions()
                .iterations(Budget.pick(5, 50))
                .invocationsPerIteration(Budget.pick(300, 10_000))
                .threads(Budget.pick(2, 3))
                .actorsPerThread(3)
                .actorsBefore(2)
                .actorsAfter(1)
                .sequentialSpecification(spec);
    }
}
