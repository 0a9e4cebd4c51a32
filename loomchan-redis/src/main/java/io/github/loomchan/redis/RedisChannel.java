package io.github.loomchan.redis;

import static io.github.loomchan.redis.RedisChannels.string;

import io.github.loomchan.Channel;
import io.github.loomchan.ChannelClosedException;
import io.github.loomchan.ChannelEmptyException;
import io.github.loomchan.ChannelException;
import io.github.loomchan.ChannelFullException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * A channel whose buffer lives in Redis, shared by every process that opens it by name: the {@link Channel}
 * contract (put blocks while full and fails once closed; get drains what was put before the close, then reports
 * closed; {@code join} waits until closed and drained) across JVMs and hosts.
 *
 * <pre>{@code
 * try (RedisChannels redis = RedisChannels.connect("redis://127.0.0.1:6379")) {
 *     RedisChannel<String> jobs = redis.open("jobs", 100, ItemCodec.utf8());
 *     // a producer process
 *     jobs.put("resize photo 17");
 *     jobs.close();
 *     // consumer processes: each item goes to one of them; an item whose consumer dies is delivered again
 *     for (String job : jobs) {
 *         run(job);                                  // acknowledged when the loop asks for the next one
 *     }
 * }
 * }</pre>
 *
 * <h2>What is different from the in-process channel</h2>
 * <ul>
 *   <li>It is not a {@link Channel} (that interface is sealed to the core's implementation); it has the same
 *       method names and semantics, and {@link ChannelBridge} moves items between the two kinds.
 *   <li>Capacity is at least 1 (no rendezvous) and counts the items waiting plus the items received and not yet
 *       acknowledged: a {@code put} waits for acknowledgements, so a redelivered item always has its place.
 *   <li>Items cross processes, so they are encoded by an {@link ItemCodec}; null items are rejected.
 *   <li>There are no futures or select clauses; use {@link ChannelBridge} to bring items into a local channel and
 *       select on that.
 * </ul>
 *
 * <h2>Delivery and acknowledgement</h2>
 * <p>In {@link DeliveryMode#AT_LEAST_ONCE} mode (the default) every item is received with a lease on the server's
 * clock:
 * <ul>
 *   <li>{@link #receive()}, {@link #receive(Duration)} and {@link #receiveBatch} return {@link Delivery deliveries}
 *       that the caller acknowledges after processing ({@link Delivery#ack()}, or {@link #ack(List)} for a batch in
 *       one round trip). This is the at-least-once way to consume.
 *   <li>Iteration and {@link #stream()} acknowledge an item when the next one is asked for (or the iteration ends):
 *       an item whose loop body did not complete (the process died, or the loop was left) is delivered again once
 *       its lease expires.
 *   <li>{@link #get()}, {@link #poll()}, {@link #getBatch} and friends acknowledge the item <i>before</i> returning
 *       it, as the in-process channel hands over an item: they protect only the hand-over itself (a reply lost on
 *       the network, a process that dies between the two steps).
 * </ul>
 * An item is delivered a second time only when its lease expired before its acknowledgement ({@link
 * #redeliveredCount()} counts those events). In {@link DeliveryMode#AT_MOST_ONCE} mode an item leaves the channel
 * when it is handed over; it is lost if its consumer dies while processing it, and never duplicated.
 *
 * <h2>Closing</h2>
 * <p>{@link #close()} and {@link #close(String)} are permanent, idempotent and visible to every process. Puts then
 * fail with {@link ChannelClosedException}, including puts blocked at the time. Gets return the remaining items,
 * then throw {@code ChannelClosedException}; getters blocked on the server wake up at once (the close pushes an end
 * marker that every blocked consumer sees). The channel is <i>done</i> once it is closed and no item is waiting
 * <i>or leased</i>: a get on a closed channel whose last items are leased to others waits until they are
 * acknowledged (then reports closed) or their lease expires (then receives one). {@link #close(String)} records a
 * message: every later {@code ChannelClosedException} has a {@link RemoteCloseCause} with it as cause, and
 * iteration ends by throwing it. Closing does not delete the channel's keys; {@link RedisChannels#delete} does.
 *
 * <h2>Failures</h2>
 * <ul>
 *   <li><b>Connection resets and server restarts</b>: every operation is retried on a new connection for up to the
 *       reconnect timeout of {@link RedisChannels}; puts, closes and hand-overs carry a per-call sequence number,
 *       so a retry after a lost reply has the effect of one execution; an item moved to a consumer in a reply that
 *       was lost is recovered by the server (it is given a lease and redelivered when that expires).
 *   <li><b>Channel lost</b>: if the channel's keys disappear (a restart without persistence, a delete) every
 *       operation throws {@link ChannelLostException}; the channel is never silently recreated. With AOF and {@code
 *       appendfsync always} no item whose put returned is lost by a server crash.
 *   <li><b>Undecodable items</b>: see {@link ItemDecodingException}.
 *   <li>A call that is retrying through a connection failure finishes its retry before it reacts to an interrupt
 *       (the interrupt status stays set), so that "interrupted" keeps meaning "had no effect".
 * </ul>
 *
 * <h2>Atomicity</h2>
 * <p>Every rule (capacity check and push, close and end marker, hand-over and lease, acknowledgement, lease expiry)
 * is one Lua script run atomically by the server; consumers block on the server with {@code BLMOVE}; producers and
 * {@code join} wait for pub/sub wake-ups and look again at least every {@link RedisChannelOptions#recheckInterval()}.
 * All keys of a channel share the hash tag {@code {loomchan:NAME}}, so a channel lives in one Redis Cluster slot.
 *
 * <h2>Thread-safety</h2>
 * <p>A handle is thread-safe: any number of threads (platform or virtual) may use it at once, and any number of
 * handles in any number of processes may use the same channel. Blocking never holds a lock. Items put by one thread
 * are received in that thread's order (redelivered items come back at the head, ahead of newer ones).
 *
 * @param <T> the item type
 */
public final class RedisChannel<T> implements Iterable<T>, AutoCloseable {
    private static final int MAX_BATCH = 1000;
    private static final byte SEPARATOR = '|';

    private final RedisChannels redis;
    private final Keys keys;
    private final byte[] epoch;
    private final int capacity;
    private final ItemCodec<T> codec;
    private final RedisChannelOptions options;
    private final boolean leased;
    private final String leaseMillis;
    private final String graceMillis;
    private final long recheckNanos;
    private final String handleId;
    private final AtomicLong nextId = new AtomicLong();
    private final ConcurrentLinkedQueue<Lane> lanes = new ConcurrentLinkedQueue<>();
    private final AtomicInteger laneCount = new AtomicInteger();

    /** A sequence of recorded calls; a retry of a call reuses its number. Used by one call at a time. */
    private static final class Lane {
        final byte[] id;
        long seq;

        Lane(String id) {
            this.id = id.getBytes(StandardCharsets.UTF_8);
        }
    }

    RedisChannel(
            RedisChannels redis,
            Keys keys,
            String epoch,
            int capacity,
            ItemCodec<T> codec,
            RedisChannelOptions options) {
        this.redis = redis;
        this.keys = keys;
        this.epoch = epoch.getBytes(StandardCharsets.UTF_8);
        this.capacity = capacity;
        this.codec = codec;
        this.options = options;
        this.leased = options.mode() == DeliveryMode.AT_LEAST_ONCE;
        this.leaseMillis = leased ? Long.toString(options.leaseTime().toMillis()) : "0";
        this.graceMillis = Long.toString(options.leaseTime().toMillis());
        this.recheckNanos = options.recheckInterval().toNanos();
        this.handleId = Long.toString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE, 36);
    }

    // ------------------------------------------------------------------------------------------------ put family

    /**
     * Puts an item, waiting while the channel is full.
     *
     * <p><b>Blocking and interruption.</b> If the thread is interrupted before or while it waits, the call throws
     * {@link InterruptedException} and the item is not enqueued.
     *
     * <p><b>When the channel is closed</b> before the call or while it waits: {@link ChannelClosedException}, the
     * item is not enqueued.
     *
     * @param item the item, not null
     * @throws InterruptedException if interrupted while waiting
     * @throws ChannelClosedException if the channel is closed
     * @throws ChannelLostException if the channel is gone from the server
     * @throws RedisChannelException if Redis stays unreachable for the reconnect timeout (the item may or may not
     *     have been put)
     * @throws NullPointerException if {@code item} is null
     */
    public void put(T item) throws InterruptedException {
        List<byte[]> envelope = List.of(envelope(item));
        checkInterrupt();
        putEnvelopes(envelope, false, 0, true);
    }

    /**
     * Puts an item if there is room now.
     *
     * @param item the item, not null
     * @return {@code true} if it was put, {@code false} if the channel is full
     * @throws ChannelClosedException if the channel is closed
     * @throws ChannelLostException if the channel is gone from the server
     * @throws RedisChannelException if Redis stays unreachable for the reconnect timeout
     * @throws NullPointerException if {@code item} is null
     */
    public boolean offer(T item) {
        try {
            return putEnvelopes(List.of(envelope(item)), false, 0, false) == 1;
        } catch (InterruptedException e) {
            throw new AssertionError("a non-waiting put does not wait", e);
        }
    }

    /**
     * Puts an item, waiting at most {@code timeout} while the channel is full; zero or negative means "try now".
     *
     * @param item the item, not null
     * @param timeout the longest wait
     * @return {@code true} if it was put, {@code false} on timeout (the item is not enqueued)
     * @throws InterruptedException if interrupted while waiting (the item is not enqueued)
     * @throws ChannelClosedException if the channel is closed before the item was put
     * @throws ChannelLostException if the channel is gone from the server
     * @throws RedisChannelException if Redis stays unreachable for the reconnect timeout
     * @throws NullPointerException if an argument is null
     */
    public boolean offer(T item, Duration timeout) throws InterruptedException {
        List<byte[]> envelope = List.of(envelope(item));
        long nanos = timeout.toNanos();
        if (nanos <= 0) {
            return putEnvelopes(envelope, false, 0, false) == 1;
        }
        checkInterrupt();
        return putEnvelopes(envelope, true, System.nanoTime() + nanos, true) == 1;
    }

    /**
     * Puts an item if there is room now, else throws.
     *
     * @param item the item, not null
     * @throws ChannelFullException if the channel is open and full
     * @throws ChannelClosedException if the channel is closed
     * @throws ChannelLostException if the channel is gone from the server
     * @throws RedisChannelException if Redis stays unreachable for the reconnect timeout
     * @throws NullPointerException if {@code item} is null
     */
    public void putNowait(T item) {
        if (!offer(item)) {
            throw new ChannelFullException("channel '" + name() + "' is full (capacity " + capacity + ")");
        }
    }

    /**
     * Puts all items in order, in batches of up to 1000 per round trip, waiting while the channel is full.
     *
     * <p>Each batch is put atomically, as many items as fit; the call returns when all are put. If it throws, a
     * prefix of the items was put: the exception's message says how many.
     *
     * @param items the items, none null
     * @throws InterruptedException if interrupted while waiting (the items not yet put are not enqueued)
     * @throws ChannelClosedException if the channel is closed before all items were put
     * @throws ChannelLostException if the channel is gone from the server
     * @throws RedisChannelException if Redis stays unreachable for the reconnect timeout
     * @throws NullPointerException if {@code items} or one of them is null
     */
    public void putAll(Collection<? extends T> items) throws InterruptedException {
        List<byte[]> envelopes = new ArrayList<>(items.size());
        for (T item : items) {
            envelopes.add(envelope(item));
        }
        checkInterrupt();
        putEnvelopes(envelopes, false, 0, true);
    }

    // ------------------------------------------------------------------------------------------------ get family

    /**
     * Takes the oldest item, waiting while the channel is empty and not done; the item is acknowledged before it is
     * returned (use {@link #receive()} to acknowledge after processing).
     *
     * <p><b>Blocking and interruption.</b> If interrupted before or while it waits, the call throws {@link
     * InterruptedException} and consumes nothing (an item the server moved to this consumer at that instant is
     * redelivered after the lease time).
     *
     * <p><b>When the channel is closed</b> the remaining items are still returned; once it is done the call throws
     * {@link ChannelClosedException} (with the {@link RemoteCloseCause}, if any).
     *
     * @return the item
     * @throws InterruptedException if interrupted while waiting
     * @throws ChannelClosedException if the channel is closed and drained
     * @throws ChannelLostException if the channel is gone from the server
     * @throws ItemDecodingException if the item could not be decoded (it went to the dead letters)
     * @throws RedisChannelException if Redis stays unreachable for the reconnect timeout
     */
    public T get() throws InterruptedException {
        checkInterrupt();
        return settle(take(1, false, 0, true)).getFirst();
    }

    /**
     * Takes the oldest item if there is one now, acknowledging it.
     *
     * @return the item, or {@code null} if the channel is empty and not done
     * @throws ChannelClosedException if the channel is closed and drained
     * @throws ChannelLostException if the channel is gone from the server
     * @throws ItemDecodingException if the item could not be decoded (it went to the dead letters)
     * @throws RedisChannelException if Redis stays unreachable for the reconnect timeout
     */
    public T poll() {
        List<T> items = settle(takeNow(1));
        return items.isEmpty() ? null : items.getFirst();
    }

    /**
     * Takes the oldest item, waiting at most {@code timeout}, acknowledging it; zero or negative means "try now".
     *
     * @param timeout the longest wait
     * @return the item, or {@code null} on timeout (nothing consumed)
     * @throws InterruptedException if interrupted while waiting
     * @throws ChannelClosedException if the channel is closed and drained
     * @throws ChannelLostException if the channel is gone from the server
     * @throws ItemDecodingException if the item could not be decoded (it went to the dead letters)
     * @throws RedisChannelException if Redis stays unreachable for the reconnect timeout
     * @throws NullPointerException if {@code timeout} is null
     */
    public T poll(Duration timeout) throws InterruptedException {
        long nanos = timeout.toNanos();
        if (nanos <= 0) {
            return poll();
        }
        checkInterrupt();
        List<T> items = settle(take(1, true, System.nanoTime() + nanos, true));
        return items.isEmpty() ? null : items.getFirst();
    }

    /**
     * Takes the oldest item if there is one now, acknowledging it, else throws.
     *
     * @return the item
     * @throws ChannelEmptyException if the channel is empty and not done
     * @throws ChannelClosedException if the channel is closed and drained
     * @throws ChannelLostException if the channel is gone from the server
     * @throws ItemDecodingException if the item could not be decoded (it went to the dead letters)
     * @throws RedisChannelException if Redis stays unreachable for the reconnect timeout
     */
    public T getNowait() {
        T item = poll();
        if (item == null) {
            throw new ChannelEmptyException("channel '" + name() + "' is empty");
        }
        return item;
    }

    /**
     * Takes up to {@code max} items in one round trip (plus one for their acknowledgement), waiting at most {@code
     * timeout} for the first; the items are acknowledged before they are returned.
     *
     * @param max the most items to take, at least 1
     * @param timeout the longest wait for the first item; zero or negative means "take what is there now"
     * @return the items, oldest first; empty on timeout
     * @throws InterruptedException if interrupted while waiting
     * @throws ChannelClosedException if the channel is closed and drained
     * @throws ChannelLostException if the channel is gone from the server
     * @throws ItemDecodingException if an item could not be decoded (it went to the dead letters; the others of the
     *     batch went back to the head of the channel)
     * @throws RedisChannelException if Redis stays unreachable for the reconnect timeout
     * @throws IllegalArgumentException if {@code max} is less than 1
     */
    public List<T> getBatch(int max, Duration timeout) throws InterruptedException {
        return settle(receiveBatch(max, timeout));
    }

    /**
     * Receives the oldest item with a lease, waiting while the channel is empty and not done. The caller
     * acknowledges it with {@link Delivery#ack()} after processing; see the class documentation.
     *
     * @return the delivery
     * @throws InterruptedException if interrupted while waiting (nothing consumed)
     * @throws ChannelClosedException if the channel is closed and drained
     * @throws ChannelLostException if the channel is gone from the server
     * @throws ItemDecodingException if the item could not be decoded (it went to the dead letters)
     * @throws RedisChannelException if Redis stays unreachable for the reconnect timeout
     */
    public Delivery<T> receive() throws InterruptedException {
        checkInterrupt();
        return take(1, false, 0, true).getFirst();
    }

    /**
     * Receives the oldest item with a lease, waiting at most {@code timeout}; zero or negative means "try now".
     *
     * @param timeout the longest wait
     * @return the delivery, or {@code null} on timeout
     * @throws InterruptedException if interrupted while waiting (nothing consumed)
     * @throws ChannelClosedException if the channel is closed and drained
     * @throws ChannelLostException if the channel is gone from the server
     * @throws ItemDecodingException if the item could not be decoded (it went to the dead letters)
     * @throws RedisChannelException if Redis stays unreachable for the reconnect timeout
     * @throws NullPointerException if {@code timeout} is null
     */
    public Delivery<T> receive(Duration timeout) throws InterruptedException {
        List<Delivery<T>> deliveries = receiveBatch(1, timeout);
        return deliveries.isEmpty() ? null : deliveries.getFirst();
    }

    /**
     * Receives up to {@code max} items with leases in one round trip, waiting at most {@code timeout} for the first.
     * Acknowledge them together with {@link #ack(List)}.
     *
     * @param max the most items, at least 1
     * @param timeout the longest wait for the first item; zero or negative means "what is there now"
     * @return the deliveries, oldest first; empty on timeout
     * @throws InterruptedException if interrupted while waiting (nothing consumed)
     * @throws ChannelClosedException if the channel is closed and drained
     * @throws ChannelLostException if the channel is gone from the server
     * @throws ItemDecodingException if an item could not be decoded (it went to the dead letters; the others of the
     *     batch went back to the head of the channel)
     * @throws RedisChannelException if Redis stays unreachable for the reconnect timeout
     * @throws IllegalArgumentException if {@code max} is less than 1
     */
    public List<Delivery<T>> receiveBatch(int max, Duration timeout) throws InterruptedException {
        if (max < 1) {
            throw new IllegalArgumentException("max must be at least 1, but was " + max);
        }
        long nanos = timeout.toNanos();
        if (nanos <= 0) {
            return takeNow(max);
        }
        checkInterrupt();
        return take(Math.min(max, MAX_BATCH), true, System.nanoTime() + nanos, true);
    }

    /**
     * Acknowledges many deliveries in one round trip (pipelined acknowledgement). Deliveries already acknowledged or
     * released are skipped.
     *
     * @param deliveries deliveries received from this channel
     * @return how many were still leased (the others had expired and were or will be delivered again)
     * @throws ChannelLostException if the channel is gone from the server
     * @throws RedisChannelException if Redis stays unreachable for the reconnect timeout
     * @throws IllegalArgumentException if a delivery comes from another channel handle
     */
    public int ack(List<Delivery<T>> deliveries) {
        List<Delivery<T>> envelopes = new ArrayList<>(deliveries.size());
        int notLeased = 0;
        for (Delivery<T> delivery : deliveries) {
            if (delivery.settleForBatch()) {
                envelopes.add(delivery);
            } else if (!leased) {
                notLeased++;
            }
        }
        int acknowledged = notLeased;
        for (int from = 0; from < envelopes.size(); from += MAX_BATCH) {
            for (boolean ok : ackEnvelopes(envelopes.subList(from, Math.min(envelopes.size(), from + MAX_BATCH)))) {
                if (ok) {
                    acknowledged++;
                }
            }
        }
        return acknowledged;
    }

    // ------------------------------------------------------------------------------------------------ close

    /**
     * Closes the channel for every process; idempotent. Puts fail from now on (also those blocked now); gets drain
     * the remaining items, then fail. See the class documentation.
     *
     * @throws ChannelLostException if the channel is gone from the server
     * @throws RedisChannelException if Redis stays unreachable for the reconnect timeout
     */
    @Override
    public void close() {
        call("close", true, new byte[0]);
    }

    /**
     * Closes the channel and records why; if it was already closed nothing changes (the first cause stays).
     *
     * @param causeMessage the reason, delivered to every process as a {@link RemoteCloseCause}; not null, not empty
     * @throws NullPointerException if {@code causeMessage} is null
     * @throws IllegalArgumentException if {@code causeMessage} is empty
     * @throws ChannelLostException if the channel is gone from the server
     * @throws RedisChannelException if Redis stays unreachable for the reconnect timeout
     */
    public void close(String causeMessage) {
        Objects.requireNonNull(causeMessage, "causeMessage");
        if (causeMessage.isEmpty()) {
            throw new IllegalArgumentException("causeMessage must not be empty");
        }
        call("close", true, causeMessage.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Closes the channel with a cause; its {@code toString()} is recorded as the message (stack traces do not cross
     * processes).
     *
     * @param cause why the channel was closed
     * @throws NullPointerException if {@code cause} is null
     * @throws ChannelLostException if the channel is gone from the server
     * @throws RedisChannelException if Redis stays unreachable for the reconnect timeout
     */
    public void close(Throwable cause) {
        close(Objects.requireNonNull(cause, "cause").toString());
    }

    /**
     * Returns whether the channel was closed (by any process).
     *
     * @return {@code true} once closed
     * @throws ChannelLostException if the channel is gone from the server
     * @throws RedisChannelException if Redis stays unreachable for the reconnect timeout
     */
    public boolean isClosed() {
        return state().closed;
    }

    /**
     * Returns whether the channel is closed and drained: no item waits and none is leased.
     *
     * @return {@code true} once done
     * @throws ChannelLostException if the channel is gone from the server
     * @throws RedisChannelException if Redis stays unreachable for the reconnect timeout
     */
    public boolean isDone() {
        return state().done();
    }

    /**
     * Waits until the channel is closed and drained (every item acknowledged, in at-least-once mode).
     *
     * @throws InterruptedException if interrupted before or while waiting
     * @throws ChannelLostException if the channel is gone from the server
     * @throws RedisChannelException if Redis stays unreachable for the reconnect timeout
     */
    public void join() throws InterruptedException {
        joinUntil(false, 0);
    }

    /**
     * Waits at most {@code timeout} until the channel is closed and drained; zero or negative means "check now".
     *
     * @param timeout the longest wait
     * @return {@code true} if done, {@code false} on timeout
     * @throws InterruptedException if interrupted before or while waiting
     * @throws ChannelLostException if the channel is gone from the server
     * @throws RedisChannelException if Redis stays unreachable for the reconnect timeout
     * @throws NullPointerException if {@code timeout} is null
     */
    public boolean join(Duration timeout) throws InterruptedException {
        return joinUntil(true, System.nanoTime() + timeout.toNanos());
    }

    // ------------------------------------------------------------------------------------------------ inspection

    /**
     * Returns the number of items waiting to be received (not counting leased ones), read atomically on the
     * server.
     *
     * @return the number of waiting items
     * @throws ChannelLostException if the channel is gone from the server
     * @throws RedisChannelException if Redis stays unreachable for the reconnect timeout
     */
    public int size() {
        return (int) state().ready;
    }

    /**
     * Returns the number of items received with a lease and not yet acknowledged.
     *
     * @return the number of leased items
     * @throws ChannelLostException if the channel is gone from the server
     * @throws RedisChannelException if Redis stays unreachable for the reconnect timeout
     */
    public int inFlight() {
        return (int) state().inflight;
    }

    /**
     * Returns whether no item waits ({@code size() == 0}).
     *
     * @return whether the channel is empty
     * @throws ChannelLostException if the channel is gone from the server
     * @throws RedisChannelException if Redis stays unreachable for the reconnect timeout
     */
    public boolean isEmpty() {
        return size() == 0;
    }

    /**
     * Returns whether a put would wait: waiting plus leased items reach the capacity.
     *
     * @return whether the channel is full
     * @throws ChannelLostException if the channel is gone from the server
     * @throws RedisChannelException if Redis stays unreachable for the reconnect timeout
     */
    public boolean isFull() {
        State state = state();
        return state.ready + state.inflight >= capacity;
    }

    /**
     * Returns the capacity fixed when the channel was created.
     *
     * @return the capacity
     */
    public int capacity() {
        return capacity;
    }

    /**
     * Returns how many times the server put an item back because its lease expired (for the channel's whole life,
     * all consumers together): an upper bound on the duplicates at-least-once delivery has produced.
     *
     * @return the number of redeliveries
     * @throws ChannelLostException if the channel is gone from the server
     * @throws RedisChannelException if Redis stays unreachable for the reconnect timeout
     */
    public long redeliveredCount() {
        return state().redelivered;
    }

    /**
     * Returns the items waiting, oldest first, without taking them (leased items are not included).
     *
     * @return an unmodifiable copy
     * @throws ChannelLostException if the channel is gone from the server
     * @throws ItemDecodingException if an item cannot be decoded (nothing is moved by this method)
     * @throws RedisChannelException if Redis stays unreachable for the reconnect timeout
     */
    public List<T> snapshot() {
        List<Object> reply = call("snapshot", false);
        List<T> items = new ArrayList<>();
        for (Object envelope : (List<?>) reply.get(1)) {
            byte[] bytes = (byte[]) envelope;
            int bar = separator(bytes);
            try {
                items.add(codec.decode(Arrays.copyOfRange(bytes, bar + 1, bytes.length)));
            } catch (RuntimeException e) {
                throw new ItemDecodingException(name(), new String(bytes, 0, bar, StandardCharsets.UTF_8), e);
            }
        }
        return List.copyOf(items);
    }

    /**
     * Returns the number of items whose payload could not be decoded and that wait in the dead-letter list.
     *
     * @return the number of dead letters
     * @throws ChannelLostException if the channel is gone from the server
     * @throws RedisChannelException if Redis stays unreachable for the reconnect timeout
     */
    public long deadLetterCount() {
        return state().dead;
    }

    /**
     * Removes up to {@code max} dead letters and returns their raw payloads, oldest first, for inspection or repair.
     *
     * @param max the most to remove
     * @return the payloads (not decoded)
     * @throws ChannelLostException if the channel is gone from the server
     * @throws RedisChannelException if Redis stays unreachable for the reconnect timeout
     */
    public List<byte[]> deadLetters(int max) {
        if (max <= 0) {
            return List.of();
        }
        List<Object> reply = call("dead", true, Integer.toString(max).getBytes(StandardCharsets.UTF_8));
        List<byte[]> payloads = new ArrayList<>();
        for (Object envelope : (List<?>) reply.get(1)) {
            byte[] bytes = (byte[]) envelope;
            payloads.add(Arrays.copyOfRange(bytes, separator(bytes) + 1, bytes.length));
        }
        return payloads;
    }

    /**
     * Puts every dead letter back at the tail of the channel (for example after deploying a codec that reads them),
     * even if that exceeds the capacity or the channel is closed: they were put once.
     *
     * @return how many were put back
     * @throws ChannelLostException if the channel is gone from the server
     * @throws RedisChannelException if Redis stays unreachable for the reconnect timeout
     */
    public int requeueDeadLetters() {
        return (int) (long) (Long) call("requeue", true).get(1);
    }

    /**
     * Returns the channel's name.
     *
     * @return the name
     */
    public String name() {
        return keys.name;
    }

    /**
     * Returns this handle's options.
     *
     * @return the options
     */
    public RedisChannelOptions options() {
        return options;
    }

    // ------------------------------------------------------------------------------------------------ consumption

    /**
     * Returns an iterator that receives items until the channel is closed and drained. In at-least-once mode each
     * item is acknowledged when {@code hasNext()} is called again (so an item whose loop body did not complete is
     * delivered again after its lease). After {@link #close()} iteration ends normally; after {@link
     * #close(String)} {@code hasNext()} throws {@link ChannelClosedException} with the {@link RemoteCloseCause}.
     *
     * <p>If interrupted while waiting, {@code hasNext()} throws a {@link ChannelException} whose cause is the
     * {@link InterruptedException}, with the interrupt status set again. The iterator is for one thread; several
     * threads or processes may each iterate the same channel. {@code remove()} is not supported.
     *
     * @return a consuming iterator
     */
    @Override
    public Iterator<T> iterator() {
        return new ConsumingIterator();
    }

    /**
     * Returns a sequential stream that consumes items like {@link #iterator()}.
     *
     * @return a consuming, ordered stream
     */
    public Stream<T> stream() {
        return StreamSupport.stream(
                Spliterators.spliteratorUnknownSize(iterator(), Spliterator.ORDERED | Spliterator.NONNULL), false);
    }

    /**
     * Returns a short description with name, capacity, sizes and state (one round trip; a description of the
     * failure if Redis cannot be asked).
     *
     * @return the description
     */
    @Override
    public String toString() {
        try {
            State state = state();
            return "RedisChannel[" + name() + ", capacity=" + capacity + ", size=" + state.ready + ", inFlight="
                    + state.inflight + ", " + (state.done() ? "done" : state.closed ? "closed" : "open") + "]";
        } catch (RuntimeException e) {
            return "RedisChannel[" + name() + ", capacity=" + capacity + ", unavailable: " + e.getMessage() + "]";
        }
    }

    // ------------------------------------------------------------------------------------------------ internals

    private final class ConsumingIterator implements Iterator<T> {
        private Delivery<T> previous;
        private Delivery<T> next;

        @Override
        public boolean hasNext() {
            if (next != null) {
                return true;
            }
            if (previous != null) {
                previous.ack();
                previous = null;
            }
            try {
                next = take(1, false, 0, true).getFirst();
                return true;
            } catch (ChannelClosedException e) {
                if (e.getCause() == null) {
                    return false;
                }
                throw e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ChannelException("interrupted while waiting for an item of channel '" + name() + "'", e);
            }
        }

        @Override
        public T next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            previous = next;
            next = null;
            return previous.item();
        }
    }

    private record State(boolean closed, String cause, long ready, long inflight, long dead, long redelivered) {
        boolean done() {
            return closed && ready == 0 && inflight == 0;
        }
    }

    private State state() {
        List<Object> reply = call("state", false, graceMillis.getBytes(StandardCharsets.UTF_8));
        return new State(
                (Long) reply.get(1) == 1L,
                string(reply.get(2)),
                (Long) reply.get(3),
                (Long) reply.get(4),
                (Long) reply.get(6),
                (Long) reply.get(7));
    }

    private boolean joinUntil(boolean timed, long deadline) throws InterruptedException {
        checkInterrupt();
        while (true) {
            Signal signal = redis.signal(keys);
            long seen = signal.generation();
            if (state().done()) {
                return true;
            }
            long wait = recheckNanos;
            if (timed) {
                long remaining = deadline - System.nanoTime();
                if (remaining <= 0) {
                    return false;
                }
                wait = Math.min(wait, remaining);
            }
            signal.await(seen, wait);
        }
    }

    private static void checkInterrupt() throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
    }

    private byte[] envelope(T item) {
        Objects.requireNonNull(item, "item");
        byte[] payload = Objects.requireNonNull(codec.encode(item), "codec returned null");
        byte[] id = (handleId + "." + Long.toString(nextId.incrementAndGet(), 36)).getBytes(StandardCharsets.US_ASCII);
        byte[] envelope = new byte[id.length + 1 + payload.length];
        System.arraycopy(id, 0, envelope, 0, id.length);
        envelope[id.length] = SEPARATOR;
        System.arraycopy(payload, 0, envelope, id.length + 1, payload.length);
        return envelope;
    }

    private static int separator(byte[] envelope) {
        for (int i = 0; i < envelope.length; i++) {
            if (envelope[i] == SEPARATOR) {
                return i;
            }
        }
        throw new IllegalStateException("not a loomchan envelope: no separator");
    }

    /** Puts the envelopes in order; returns how many were put before a timeout or a full channel (no wait). */
    private int putEnvelopes(List<byte[]> envelopes, boolean timed, long deadline, boolean wait)
            throws InterruptedException {
        int done = 0;
        while (done < envelopes.size()) {
            Signal signal = wait ? redis.signal(keys) : null;
            long seen = signal == null ? 0 : signal.generation();
            int end = Math.min(envelopes.size(), done + MAX_BATCH);
            byte[][] extra = new byte[1 + end - done][];
            extra[0] = graceMillis.getBytes(StandardCharsets.UTF_8);
            for (int i = done; i < end; i++) {
                extra[1 + i - done] = envelopes.get(i);
            }
            List<Object> reply = call("put", true, extra);
            switch (string(reply.get(0))) {
                case "OK" -> done += (int) (long) (Long) reply.get(1);
                case "CLOSED" ->
                    throw new ChannelClosedException(
                            "channel '" + name() + "' is closed"
                                    + (envelopes.size() > 1
                                            ? " (" + done + " of " + envelopes.size() + " items were put)"
                                            : ""),
                            cause(reply, 1));
                case "FULL" -> {
                    if (!wait) {
                        return done;
                    }
                    long waitNanos = recheckNanos;
                    if (timed) {
                        long remaining = deadline - System.nanoTime();
                        if (remaining <= 0) {
                            return done;
                        }
                        waitNanos = Math.min(waitNanos, remaining);
                    }
                    signal.await(seen, waitNanos);
                }
                default -> throw unexpected(reply);
            }
        }
        return done;
    }

    private List<Delivery<T>> takeNow(int max) {
        try {
            return take(Math.min(max, MAX_BATCH), false, 0, false);
        } catch (InterruptedException e) {
            throw new AssertionError("a non-waiting take does not wait", e);
        }
    }

    /**
     * Takes up to {@code max} items. Without {@code wait}: what is there now (possibly nothing). With it: waits for
     * at least one, until the deadline if {@code timed}. Throws ChannelClosedException once the channel is done.
     */
    private List<Delivery<T>> take(int max, boolean timed, long deadline, boolean wait) throws InterruptedException {
        byte[] maxBytes = Integer.toString(max).getBytes(StandardCharsets.UTF_8);
        byte[] lease = leaseMillis.getBytes(StandardCharsets.UTF_8);
        byte[] grace = graceMillis.getBytes(StandardCharsets.UTF_8);
        while (true) {
            Signal signal = wait ? redis.signal(keys) : null;
            long seen = signal == null ? 0 : signal.generation();
            List<Object> reply = call("take", !leased, maxBytes, lease, grace);
            String status = string(reply.get(0));
            switch (status) {
                case "ITEMS" -> {
                    return decode((List<?>) reply.get(1), leased ? (List<?>) reply.get(2) : null);
                }
                case "DONE" -> throw closedAndDrained(reply);
                case "WAIT", "EMPTY" -> {
                    if (!wait) {
                        return List.of();
                    }
                    long waitNanos = recheckNanos;
                    if (status.equals("WAIT")) {
                        waitNanos = Math.min(waitNanos, Signal.millisToNanos((Long) reply.get(1)));
                    }
                    if (timed) {
                        long remaining = deadline - System.nanoTime();
                        if (remaining <= 0) {
                            return List.of();
                        }
                        waitNanos = Math.min(waitNanos, remaining);
                    }
                    if (status.equals("WAIT")) {
                        signal.await(seen, waitNanos);
                        continue;
                    }
                    // block on the server; BLMOVE takes seconds as a decimal, and 0 would mean "forever"
                    double seconds = Math.max(0.01, waitNanos / 1e9);
                    byte[] moved = redis.blockingMove(keys, seconds);
                    if (moved == null) {
                        continue;
                    }
                    List<Object> claim = call("claim", true, moved, lease, grace);
                    switch (string(claim.get(0))) {
                        case "OK" -> {
                            return decode(List.of(moved), leased ? List.of(claim.get(1)) : null);
                        }
                        case "GONE", "RETRY" -> {}
                        case "DONE" -> throw closedAndDrained(claim);
                        case "WAIT" ->
                            signal.await(seen, Math.min(recheckNanos, Signal.millisToNanos((Long) claim.get(1))));
                        default -> throw unexpected(claim);
                    }
                }
                default -> throw unexpected(reply);
            }
        }
    }

    /** Decodes envelopes handed to this consumer; {@code tokens} are their lease tokens (null: at-most-once). */
    private List<Delivery<T>> decode(List<?> envelopes, List<?> tokens) {
        List<Delivery<T>> deliveries = new ArrayList<>(envelopes.size());
        List<byte[]> good = new ArrayList<>();
        List<byte[]> goodTokens = new ArrayList<>();
        ItemDecodingException failure = null;
        for (int i = 0; i < envelopes.size(); i++) {
            byte[] envelope = (byte[]) envelopes.get(i);
            byte[] token = tokens == null
                    ? new byte[0]
                    : Long.toString((Long) tokens.get(i)).getBytes(StandardCharsets.US_ASCII);
            int bar = separator(envelope);
            String id = new String(envelope, 0, bar, StandardCharsets.US_ASCII);
            try {
                T item = codec.decode(Arrays.copyOfRange(envelope, bar + 1, envelope.length));
                deliveries.add(new Delivery<>(
                        this, Objects.requireNonNull(item, "codec returned null"), id, envelope, token, leased));
                good.add(envelope);
                goodTokens.add(token);
            } catch (RuntimeException e) {
                call("bury", true, envelope, token);
                ItemDecodingException reported = new ItemDecodingException(name(), id, e);
                if (failure == null) {
                    failure = reported;
                } else {
                    failure.addSuppressed(reported);
                }
            }
        }
        if (failure != null) {
            if (!good.isEmpty()) {
                releaseEnvelopes(good, goodTokens, !leased);
            }
            throw failure;
        }
        return deliveries;
    }

    private List<T> settle(List<Delivery<T>> deliveries) {
        if (leased && !deliveries.isEmpty()) {
            ack(deliveries);
        }
        List<T> items = new ArrayList<>(deliveries.size());
        for (Delivery<T> delivery : deliveries) {
            items.add(delivery.item());
        }
        return items;
    }

    boolean[] ackEnvelopes(List<Delivery<T>> envelopes) {
        byte[][] extra = new byte[envelopes.size() * 2][];
        for (int i = 0; i < envelopes.size(); i++) {
            extra[2 * i] = envelopes.get(i).envelope();
            extra[2 * i + 1] = envelopes.get(i).token();
        }
        List<Object> reply = call("ack", false, extra);
        List<?> results = (List<?>) reply.get(1);
        boolean[] out = new boolean[envelopes.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (Long) results.get(i) == 1L;
        }
        return out;
    }

    void releaseEnvelopes(List<byte[]> envelopes, List<byte[]> tokens, boolean force) {
        byte[][] extra = new byte[envelopes.size() * 2 + 1][];
        extra[0] = (force ? "1" : "0").getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < envelopes.size(); i++) {
            extra[2 * i + 1] = envelopes.get(i);
            extra[2 * i + 2] = tokens.get(i);
        }
        call("release", true, extra);
    }

    private ChannelClosedException closedAndDrained(List<Object> reply) {
        return new ChannelClosedException("channel '" + name() + "' is closed and drained", cause(reply, 1));
    }

    private static RemoteCloseCause cause(List<Object> reply, int index) {
        if (reply.size() <= index || reply.get(index) == null) {
            return null;
        }
        return new RemoteCloseCause(string(reply.get(index)));
    }

    private RedisChannelException unexpected(List<Object> reply) {
        return new RedisChannelException(
                "channel '" + name() + "': unexpected reply from the channel script: " + describe(reply), null);
    }

    private static String describe(List<Object> reply) {
        List<String> parts = new ArrayList<>();
        for (Object part : reply) {
            parts.add(part instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8) : String.valueOf(part));
        }
        return parts.toString();
    }

    /** Runs one operation of the channel script, recorded (idempotent on retry) if {@code recorded}. */
    private List<Object> call(String op, boolean recorded, byte[]... extra) {
        Lane lane = null;
        if (recorded) {
            lane = lanes.poll();
            if (lane == null) {
                lane = new Lane(handleId + "/" + laneCount.incrementAndGet());
            }
        }
        try {
            byte[][] arguments = new byte[5 + extra.length][];
            arguments[0] = op.getBytes(StandardCharsets.UTF_8);
            arguments[1] = epoch;
            arguments[2] = keys.events;
            arguments[3] = lane == null ? new byte[0] : lane.id;
            arguments[4] =
                    lane == null ? new byte[0] : Long.toString(++lane.seq).getBytes(StandardCharsets.UTF_8);
            System.arraycopy(extra, 0, arguments, 5, extra.length);
            List<Object> reply = redis.script(keys, arguments);
            String status = string(reply.get(0));
            if ("LOST".equals(status)) {
                throw new ChannelLostException("channel '" + name() + "' is lost: its keys are gone from Redis at "
                        + redis.endpoint() + " (a restart without persistence, or a delete); it is not recreated");
            }
            if ("EPOCH".equals(status)) {
                throw new ChannelLostException("channel '" + name() + "' is lost: it was deleted and a new channel of"
                        + " the same name was created on " + redis.endpoint() + "; this handle belongs to the old one");
            }
            return reply;
        } finally {
            if (lane != null) {
                lanes.offer(lane);
            }
        }
    }
}
