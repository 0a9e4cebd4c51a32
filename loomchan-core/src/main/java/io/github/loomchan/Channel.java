package io.github.loomchan;

import java.time.Duration;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * A closable, optionally bounded FIFO queue for passing items between threads: Go's {@code chan}, Kotlin's
 * {@code Channel}, Python asyncio's <i>aiochannel</i>.
 *
 * <p>A channel's completion signal is <b>closed and drained</b>. Producers {@link #put put} items and, when they are
 * finished, {@link #close()} the channel; consumers {@link #get get} (or iterate) until every item put before the
 * close has been taken, and then learn that nothing more will come. Capacity gives backpressure: {@code put} blocks
 * while the buffer is full.
 *
 * <pre>{@code
 * Channel<String> channel = Channel.buffered(16);
 * Thread.startVirtualThread(() -> {
 *     try {
 *         for (String line : lines) channel.put(line);   // blocks while 16 items wait
 *     } catch (InterruptedException e) {
 *         Thread.currentThread().interrupt();
 *     } finally {
 *         channel.close();                               // always: consumers are waiting for it
 *     }
 * });
 * for (String line : channel) {                          // ends when closed and drained
 *     process(line);
 * }
 * }</pre>
 *
 * <h2>Kinds</h2>
 * <ul>
 *   <li>{@link #buffered(int) buffered(n)}: holds up to {@code n} items; {@code put} blocks while {@code n} are
 *       buffered.
 *   <li>{@link #rendezvous()}: holds nothing; {@code put} returns only once a {@code get} has taken the item
 *       (Go's unbuffered channel). {@link #capacity()} is 0.
 *   <li>{@link #unbounded()}: {@code put} never blocks. {@link #capacity()} is {@link Integer#MAX_VALUE}.
 * </ul>
 *
 * <h2>The operation families</h2>
 * <table class="striped">
 *   <caption>Puts and gets</caption>
 *   <thead><tr><th>style</th><th>put</th><th>get</th><th>when it cannot proceed now</th></tr></thead>
 *   <tbody>
 *   <tr><td>blocking</td><td>{@link #put put}</td><td>{@link #get get}</td><td>waits</td></tr>
 *   <tr><td>timed</td><td>{@link #offer(Object, Duration) offer(item, timeout)}</td>
 *       <td>{@link #poll(Duration) poll(timeout)}</td><td>waits, then {@code false} / {@code null}</td></tr>
 *   <tr><td>non-blocking</td><td>{@link #offer(Object) offer}</td><td>{@link #poll() poll}</td>
 *       <td>{@code false} / {@code null}</td></tr>
 *   <tr><td>non-blocking</td><td>{@link #putNowait putNowait}</td><td>{@link #getNowait getNowait}</td>
 *       <td>{@link ChannelFullException} / {@link ChannelEmptyException}</td></tr>
 *   <tr><td>asynchronous</td><td>{@link #putAsync putAsync}</td><td>{@link #getAsync getAsync}</td>
 *       <td>the future completes later</td></tr>
 *   <tr><td>select</td><td>{@link #onPut onPut}</td><td>{@link #onGet onGet}</td>
 *       <td>{@link Select#select} waits for the first ready clause</td></tr>
 *   </tbody>
 * </table>
 *
 * <h2>Closing</h2>
 * <p>{@link #close()} is permanent and idempotent. After it, every put fails with {@link ChannelClosedException}
 * (closed wins over full: a put on a closed, full channel reports closed, not full), puts blocked at the time of the
 * close fail the same way, and their items are not enqueued. Gets still return the buffered items, oldest first;
 * once the channel is <i>done</i> (closed and drained) every get fails with {@code ChannelClosedException} and
 * getters blocked at that moment wake up and fail. {@link #join()} returns, and iteration ends, at that moment.
 * {@link #close(Throwable)} does the same and attaches a cause to every later {@code ChannelClosedException}, and
 * makes iteration end by throwing instead of normally: a producer's failure is never silent.
 *
 * <h2>Ordering and delivery guarantees</h2>
 * <p>Every item whose put returned normally (or whose {@code putAsync} future completed normally, or whose
 * {@code onPut} clause was selected) is received by exactly one get. An item whose put threw, timed out, was
 * interrupted or was cancelled was never visible to any getter. Items are received in the order their puts took
 * effect; items from one thread keep that thread's order. Waiting putters and getters are served first-come,
 * first-served, in the order they started to wait: on a buffered channel a virtual thread whose put (get) finds the
 * channel full (empty) may first spin for a few microseconds, in case the other side is about to make room (or put
 * an item), and an operation arriving meanwhile may go first. A thread seen parked in put or get is waiting.
 *
 * <h2>Size</h2>
 * <p>{@link #size()}, {@link #isEmpty()} and {@link #isFull()} are exact: they report the number of items in the
 * buffer at one instant between the call and its return. An item handed directly from a waiting putter to a
 * waiting getter is never counted, which is why a rendezvous channel's size is always 0.
 *
 * <p>Their cost: a buffered channel of capacity up to 1,024 has one lock for puts and one for gets, so that a
 * producer and a consumer do not contend. {@link #size()} and {@link #snapshot()} take both locks (calling them in a
 * tight loop slows both sides, as {@code ArrayBlockingQueue.size()} does), {@link #isEmpty()} takes the gets' lock
 * and {@link #isFull()} the puts' lock. On the other channels they read one field without locking.
 *
 * <h2>Thread-safety and memory consistency</h2>
 * <p>Every method may be called by any number of threads, platform or virtual, at the same time. Every operation is
 * atomic (linearizable), except the ones that consume many items: {@link #drainTo} and {@link #snapshot()} are
 * atomic too (on a rendezvous channel {@code drainTo} is a sequence of polls), while iteration and {@link #stream()}
 * are sequences of gets. Blocking never holds a lock and never
 * pins a virtual thread's carrier, so millions of virtual threads may wait on channels.
 *
 * <p>Memory consistency effects: actions in a thread before it puts an item happen-before actions in the thread
 * that receives that item (from any get, poll, drain, iteration or future), and actions before {@code close} happen
 * before actions after any operation that reports the channel closed.
 *
 * @param <T> the type of the items; {@code null} is never an item (it is rejected with {@link NullPointerException})
 */
public sealed interface Channel<T> extends Iterable<T>, AutoCloseable permits AbstractChannel {

    // ------------------------------------------------------------------------------------------------ factories

    /**
     * Creates a channel without a capacity limit: {@code put} never blocks (aiochannel's {@code Channel(0)}).
     *
     * <p>Memory grows with the items buffered: a taken item is released at once, and a buffer grown past 1,024 items
     * is given back when the channel empties. Prefer a bounded channel where a fast producer could outrun its
     * consumers.
     *
     * @param <T> the item type
     * @return a new open, empty channel whose {@link #capacity()} is {@link Integer#MAX_VALUE}
     */
    static <T> Channel<T> unbounded() {
        return new ArrayChannel<>(Integer.MAX_VALUE);
    }

    /**
     * Creates a channel that buffers up to {@code capacity} items; {@code put} blocks while that many are buffered.
     *
     * <p>Memory for the buffer is allocated as it fills, so even {@code buffered(Integer.MAX_VALUE)} costs little
     * until used.
     *
     * @param capacity the maximum number of buffered items, from 1 to {@link Integer#MAX_VALUE}
     * @param <T> the item type
     * @return a new open, empty channel
     * @throws IllegalArgumentException if {@code capacity} is zero or negative; use {@link #rendezvous()} for a
     *     channel without buffer
     */
    static <T> Channel<T> buffered(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be between 1 and Integer.MAX_VALUE, but was " + capacity
                    + "; use Channel.rendezvous() for a channel without buffer"
                    + " or Channel.unbounded() for one without limit");
        }
        return capacity <= AbstractChannel.SPLIT_MAX_CAPACITY
                ? new ArrayChannel<>(capacity)
                : new BufferedChannel<>(capacity);
    }

    /**
     * Creates a channel without buffer: a {@code put} completes only by handing its item to a {@code get} (Go's
     * unbuffered channel, Java's {@link java.util.concurrent.SynchronousQueue} with close).
     *
     * <p>On a rendezvous channel, {@link #offer(Object)} and {@link #putNowait} succeed only if a getter is already
     * waiting, and {@link #poll()} and {@link #getNowait()} only if a putter is. {@link #size()} is always 0, {@link
     * #isEmpty()} and {@link #isFull()} are always {@code true}, and {@link #snapshot()} is always empty.
     *
     * @param <T> the item type
     * @return a new open channel whose {@link #capacity()} is 0
     */
    static <T> Channel<T> rendezvous() {
        return new RendezvousChannel<>();
    }

    // ------------------------------------------------------------------------------------------------ put family

    /**
     * Puts an item, waiting while the channel is full.
     *
     * <p>Returns once the item is in the buffer or (if a getter was waiting, and always on a rendezvous channel) in
     * a getter's hands.
     *
     * <p><b>Blocking and interruption.</b> If the call must wait and the thread is interrupted before or while it
     * waits, it throws {@link InterruptedException}, clears the interrupt status and leaves the channel as if it
     * was never called: the item is not enqueued. If the item was taken at the same moment as the interrupt, the
     * call returns normally with the interrupt status set.
     *
     * <p><b>When the channel is closed</b> before the call, or while it waits, it throws {@link
     * ChannelClosedException} and the item is not enqueued.
     *
     * <p>Related: {@link #offer(Object, Duration)} to wait a bounded time, {@link #offer(Object)} and {@link
     * #putNowait} to not wait, {@link #putAsync} to not block, {@link #onPut} to wait for one of several channels.
     *
     * @param item the item, not null
     * @throws InterruptedException if interrupted while waiting
     * @throws ChannelClosedException if the channel is closed
     * @throws NullPointerException if {@code item} is null
     */
    void put(T item) throws InterruptedException;

    /**
     * Puts an item if that is possible now, without waiting.
     *
     * @param item the item, not null
     * @throws ChannelFullException if the channel is open but full (for a rendezvous channel: no getter is waiting)
     * @throws ChannelClosedException if the channel is closed, full or not
     * @throws NullPointerException if {@code item} is null
     */
    void putNowait(T item);

    /**
     * Puts an item if that is possible now, without waiting; like {@link #putNowait} but reports a full channel by
     * returning {@code false}.
     *
     * @param item the item, not null
     * @return {@code true} if the item was put, {@code false} if the channel is full (for a rendezvous channel: no
     *     getter is waiting)
     * @throws ChannelClosedException if the channel is closed
     * @throws NullPointerException if {@code item} is null
     */
    boolean offer(T item);

    /**
     * Puts an item, waiting at most {@code timeout} while the channel is full.
     *
     * <p>A zero or negative timeout means "try now": the call behaves like {@link #offer(Object)}.
     *
     * <p><b>Blocking and interruption</b> as for {@link #put}. On timeout the item is not enqueued.
     *
     * @param item the item, not null
     * @param timeout how long to wait at most
     * @return {@code true} if the item was put, {@code false} if the timeout elapsed first
     * @throws InterruptedException if interrupted while waiting
     * @throws ChannelClosedException if the channel is closed before the item was put
     * @throws NullPointerException if {@code item} or {@code timeout} is null
     */
    boolean offer(T item, Duration timeout) throws InterruptedException;

    /**
     * Starts a put without blocking the caller: the returned future completes when the item is put.
     *
     * <p>If the item can be put now, the future is already complete. Otherwise it completes normally when a getter
     * makes room (or takes the item), or exceptionally with {@link ChannelClosedException} if the channel is closed
     * first.
     *
     * <p><b>Cancellation.</b> Cancelling the future (or completing it, including through {@link
     * CompletableFuture#orTimeout}) withdraws the put: the item is never enqueued. If the put already took effect,
     * {@code cancel} returns {@code false} and the future completes normally.
     *
     * <p>The future's dependent actions run in the thread that completes it (for example the thread whose get made
     * room), never while the channel holds an internal lock; they may use channels freely.
     *
     * @param item the item, not null
     * @return a future that completes once the item is put
     * @throws NullPointerException if {@code item} is null
     */
    CompletableFuture<Void> putAsync(T item);

    // ------------------------------------------------------------------------------------------------ get family

    /**
     * Takes the oldest item, waiting while the channel is empty and open.
     *
     * <p><b>Blocking and interruption.</b> If the call must wait and the thread is interrupted before or while it
     * waits, it throws {@link InterruptedException}, clears the interrupt status and consumes nothing. If an item
     * was handed to it at the same moment as the interrupt, it returns the item with the interrupt status set.
     *
     * <p><b>When the channel is closed</b>, buffered items are still returned, oldest first; once none is left the
     * call throws {@link ChannelClosedException} (with the close cause, if any). Getters waiting when the channel
     * becomes done wake up and throw it.
     *
     * <p>Related: {@link #poll(Duration)}, {@link #poll()}, {@link #getNowait()}, {@link #getAsync()}, {@link
     * #onGet}, {@link #iterator()}, {@link #drainTo}.
     *
     * @return the item
     * @throws InterruptedException if interrupted while waiting
     * @throws ChannelClosedException if the channel is closed and drained
     */
    T get() throws InterruptedException;

    /**
     * Takes the oldest item if there is one now, without waiting.
     *
     * @return the item
     * @throws ChannelEmptyException if the channel is open and empty (for a rendezvous channel: no putter is
     *     waiting)
     * @throws ChannelClosedException if the channel is closed and drained
     */
    T getNowait();

    /**
     * Takes the oldest item if there is one now, without waiting; like {@link #getNowait()} but reports an empty
     * channel by returning {@code null}.
     *
     * @return the item, or {@code null} if the channel is open and empty (for a rendezvous channel: no putter is
     *     waiting)
     * @throws ChannelClosedException if the channel is closed and drained
     */
    T poll();

    /**
     * Takes the oldest item, waiting at most {@code timeout} while the channel is empty and open.
     *
     * <p>A zero or negative timeout means "try now": the call behaves like {@link #poll()}.
     *
     * <p><b>Blocking and interruption</b> as for {@link #get()}. On timeout nothing is consumed.
     *
     * @param timeout how long to wait at most
     * @return the item, or {@code null} if the timeout elapsed first
     * @throws InterruptedException if interrupted while waiting
     * @throws ChannelClosedException if the channel is closed and drained
     * @throws NullPointerException if {@code timeout} is null
     */
    T poll(Duration timeout) throws InterruptedException;

    /**
     * Starts a get without blocking the caller: the returned future completes with the item.
     *
     * <p>If an item is available now, the future is already complete. Otherwise it completes when an item arrives,
     * or exceptionally with {@link ChannelClosedException} once the channel is closed and drained.
     *
     * <p><b>Cancellation.</b> Cancelling the future (or completing it, including through {@link
     * CompletableFuture#orTimeout}) withdraws the get: no item is consumed for it. If an item was already handed to
     * it, {@code cancel} returns {@code false} and the future completes with that item.
     *
     * <p>The future's dependent actions run in the thread that completes it (for example the putter), never while
     * the channel holds an internal lock; they may use channels freely.
     *
     * @return a future that completes with the item
     */
    CompletableFuture<T> getAsync();

    /**
     * Moves up to {@code max} items that are available now into {@code target}, oldest first, without waiting.
     *
     * <p>On a rendezvous channel it takes the items of waiting putters. It never throws because the channel is
     * closed: it returns 0 when the channel is done ({@link #isDone()} tells the two cases apart).
     *
     * <p>The items are added to {@code target} one by one while the channel is locked, so no other get can take
     * them in between, and {@code target} must not use this channel. A rendezvous channel has no lock: there the
     * drain is a sequence of {@link #poll()}s, each taking the item of the putter then at the front. If {@code target.add} throws, the exception
     * propagates: the items already added stay in {@code target}, the item being added and the following ones stay
     * in the channel, except on a rendezvous channel, where the item being added was already taken from its putter
     * and is lost with the exception.
     *
     * @param target where the items go
     * @param max the most items to move; zero or negative moves none
     * @return the number of items moved
     * @throws NullPointerException if {@code target} is null
     */
    int drainTo(Collection<? super T> target, int max);

    // ------------------------------------------------------------------------------------------------ close

    /**
     * Closes the channel: no more items may be put; the buffered ones may still be taken.
     *
     * <p>Blocked and pending putters fail with {@link ChannelClosedException} (their items are not enqueued).
     * Blocked getters keep waiting for the buffered items; once none is left they, and every later getter, fail with
     * {@code ChannelClosedException}, and {@link #join()} returns. Closing a closed channel does nothing.
     *
     * <p>Call it in a {@code finally} block of the (last) producer, so consumers never wait for an item that will
     * not come.
     */
    @Override
    void close();

    /**
     * Closes the channel, like {@link #close()}, and records why: every {@link ChannelClosedException} thrown
     * afterwards has {@code cause} as its cause, and iteration ends by throwing that exception instead of normally.
     *
     * <p>If the channel is already closed this does nothing: the first close, and its cause, stay.
     *
     * @param cause why the channel was closed, typically the exception that stopped its producer
     * @throws NullPointerException if {@code cause} is null
     */
    void close(Throwable cause);

    /**
     * Returns whether the channel has been closed; its buffered items may still be taken.
     *
     * @return {@code true} once {@link #close()} or {@link #close(Throwable)} has been called
     */
    boolean isClosed();

    /**
     * Returns whether the channel is closed and drained: no item is left and none will come.
     *
     * @return {@code true} once the channel is closed and its buffer is empty
     */
    boolean isDone();

    /**
     * Waits until the channel is closed and drained (aiochannel's {@code join}; not {@code Queue.join}, which
     * waits for acknowledgements).
     *
     * <p>Returns at once if the channel is already done. Throws nothing about the close cause: a consumer learns
     * the cause from its gets or its iteration.
     *
     * @throws InterruptedException if the thread is interrupted before or while it waits
     */
    void join() throws InterruptedException;

    /**
     * Waits at most {@code timeout} until the channel is closed and drained.
     *
     * <p>A zero or negative timeout means "check now".
     *
     * @param timeout how long to wait at most
     * @return {@code true} if the channel is done, {@code false} if the timeout elapsed first
     * @throws InterruptedException if the thread is interrupted before or while it waits
     * @throws NullPointerException if {@code timeout} is null
     */
    boolean join(Duration timeout) throws InterruptedException;

    /**
     * Returns a future that completes when the channel is closed and drained; {@link #join()} for code that must
     * not block.
     *
     * <p>The future completes normally, whatever the close cause. Cancelling it withdraws only this wait.
     *
     * @return a future that completes once the channel is done
     */
    CompletableFuture<Void> joinAsync();

    // ------------------------------------------------------------------------------------------------ inspection

    /**
     * Returns the number of buffered items.
     *
     * <p>Exact: the value the buffer held at one instant during the call, never below 0 nor above {@link
     * #capacity()}. Always 0 for a rendezvous channel.
     *
     * @return the number of buffered items
     */
    int size();

    /**
     * Returns whether no item is buffered ({@code size() == 0}); always {@code true} for a rendezvous channel.
     *
     * @return whether the buffer is empty
     */
    boolean isEmpty();

    /**
     * Returns whether the buffer is full ({@code size() >= capacity()}): always {@code true} for a rendezvous
     * channel, never for an unbounded one.
     *
     * @return whether the buffer is full
     */
    boolean isFull();

    /**
     * Returns the capacity: the number passed to {@link #buffered(int)}, 0 for a rendezvous channel, {@link
     * Integer#MAX_VALUE} for an unbounded one.
     *
     * @return the capacity
     */
    int capacity();

    /**
     * Returns the buffered items, oldest first, without taking them (aiochannel's {@code list(channel)}).
     *
     * <p>The list is a copy made atomically; later operations do not change it. Items held by waiting putters are
     * not part of it, so it is always empty for a rendezvous channel.
     *
     * @return an unmodifiable list of the buffered items
     */
    List<T> snapshot();

    // ------------------------------------------------------------------------------------------------ consumption

    /**
     * Returns an iterator that takes items until the channel is closed and drained (Go's {@code range}, aiochannel's
     * {@code async for}).
     *
     * <p>{@code hasNext()} blocks until an item is available or the channel is done; {@code next()} returns the item
     * {@code hasNext()} took. Several threads may each iterate the same channel: every item goes to exactly one of
     * them. After {@link #close()} iteration ends normally; after {@link #close(Throwable)} {@code hasNext()} throws
     * {@link ChannelClosedException} with that cause, once the buffered items were consumed.
     *
     * <p>If the iterating thread is interrupted while {@code hasNext()} waits, it throws a {@link ChannelException}
     * whose cause is the {@link InterruptedException}, with the thread's interrupt status set again; no item is
     * consumed. The iterator itself is for one thread; {@code remove()} is not supported.
     *
     * @return a consuming iterator
     */
    @Override
    Iterator<T> iterator();

    /**
     * Returns a sequential stream that takes items until the channel is closed and drained, like {@link
     * #iterator()}.
     *
     * <p>Each item the stream pulls is consumed from the channel, even if a short-circuiting operation then ignores
     * it. Interruption and a close cause are reported as by {@link #iterator()}.
     *
     * @return a consuming, ordered stream
     */
    Stream<T> stream();

    // ------------------------------------------------------------------------------------------------ select

    /**
     * Returns a clause for {@link Select#select} that takes an item from this channel and applies {@code onItem} to
     * it.
     *
     * <p>The clause is ready when a get would not block: an item is buffered or a putter waits, or the channel is
     * done; on a done channel, selecting it makes {@code select} throw {@link ChannelClosedException}.
     *
     * @param onItem what to do with the item; its result is the result of {@code select}
     * @param <R> the result type
     * @return a clause for one {@code select} call
     * @throws NullPointerException if {@code onItem} is null
     */
    <R> SelectClause<R> onGet(Function<? super T, ? extends R> onItem);

    /**
     * Returns a clause for {@link Select#select} that puts {@code item} into this channel and then calls {@code
     * onPut}.
     *
     * <p>The clause is ready when a put would not block: there is room, or a getter waits, or the channel is
     * closed; on a closed channel, selecting it makes {@code select} throw {@link ChannelClosedException}. If another
     * clause is selected, the item is not put.
     *
     * @param item the item to put, not null
     * @param onPut what to do once the item is put; its result is the result of {@code select}
     * @param <R> the result type
     * @return a clause for one {@code select} call
     * @throws NullPointerException if {@code item} or {@code onPut} is null
     */
    <R> SelectClause<R> onPut(T item, Supplier<? extends R> onPut);

    /**
     * Returns a short description: the kind and capacity, the number of buffered items and the state, such as
     * {@code Channel[buffered(16), size=3, open]}.
     *
     * @return the description
     */
    @Override
    String toString();
}
