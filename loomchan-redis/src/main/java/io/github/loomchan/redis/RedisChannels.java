package io.github.loomchan.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.LMoveArgs;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisLoadingException;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SslOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * A connection to one Redis (or Valkey) server and the factory of {@link RedisChannel} handles on it.
 *
 * <pre>{@code
 * try (RedisChannels redis = RedisChannels.connect("redis://app:secret@127.0.0.1:6379")) {
 *     RedisChannel<String> jobs = redis.open("jobs", 100, ItemCodec.utf8());
 *     jobs.put("hello");
 * }
 * }</pre>
 *
 * <h2>Connecting and security</h2>
 * <p>The URI is Lettuce's: {@code redis://[user:password@]host[:port][/database]} with an ACL user and password
 * (or only a password for {@code requirepass}), {@code rediss://...} for TLS (the server certificate is verified
 * against the JVM's trust store). {@link #connect(String)} checks the connection at once, so a wrong password or
 * user fails there with a {@link RedisChannelException} that says so (the password is never part of a message).
 *
 * <h2>Connections</h2>
 * <p>Commands run on pooled connections, one command at a time per connection; a consumer that blocks on the server
 * holds its own connection for up to the re-check interval. One extra connection carries pub/sub wake-ups. A
 * connection that breaks (reset, server restart, timeout) is discarded and the command is retried on a new one,
 * with back-off, for up to the reconnect timeout (30 s by default); every channel operation is written so that a
 * retry after a lost reply has the effect of one execution (see {@link RedisChannel}). After that the operation
 * throws {@link RedisChannelException}.
 *
 * <h2>Thread-safety and closing</h2>
 * <p>All methods are thread-safe. {@link #close()} closes every connection; operations of handles made by this
 * object that run afterwards fail with {@link RedisChannelException}. Closing does not close or delete any channel
 * on the server.
 */
public final class RedisChannels implements AutoCloseable {
    private static final Duration DEFAULT_RECONNECT_TIMEOUT = Duration.ofSeconds(30);
    /** How long a script (or any non-blocking command) may take before its connection is considered broken. */
    private static final long COMMAND_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(10);

    private static final String SCRIPT = loadScript();
    private static final String SCRIPT_SHA = sha1(SCRIPT);

    private final RedisClient client;
    private final String endpoint;
    private final long reconnectTimeoutNanos;
    private final ConcurrentLinkedDeque<StatefulRedisConnection<byte[], byte[]>> idle = new ConcurrentLinkedDeque<>();
    private final Set<StatefulRedisConnection<byte[], byte[]>> open = ConcurrentHashMap.newKeySet();
    private final ConcurrentHashMap<String, Signal> signals = new ConcurrentHashMap<>();
    private final ReentrantLock pubsubLock = new ReentrantLock();
    /** Guarded by pubsubLock. */
    private StatefulRedisPubSubConnection<byte[], byte[]> pubsub;

    private volatile boolean closed;

    private RedisChannels(RedisURI uri, Duration reconnectTimeout, SslOptions ssl) {
        this.endpoint = (uri.isSsl() ? "rediss://" : "redis://") + uri.getHost() + ":" + uri.getPort();
        this.reconnectTimeoutNanos = reconnectTimeout.toNanos();
        this.client = RedisClient.create(uri);
        // No automatic reconnect: Lettuce would replay commands whose replies were lost. This class retries itself,
        // with operations made idempotent on the server.
        ClientOptions.Builder clientOptions = ClientOptions.builder()
                .autoReconnect(false)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS);
        if (ssl != null) {
            clientOptions.sslOptions(ssl);
        }
        client.setOptions(clientOptions.build());
    }

    /**
     * Connects to a server given by a URI such as {@code redis://user:password@127.0.0.1:6379} or {@code
     * rediss://host:6380}, with a 30 s reconnect timeout.
     *
     * @param uri the server
     * @return the connection; close it when done
     * @throws RedisChannelException if the server cannot be reached or refuses the credentials
     * @throws IllegalArgumentException if the URI is malformed
     */
    public static RedisChannels connect(String uri) {
        Objects.requireNonNull(uri, "uri");
        return connect(RedisURI.create(uri), DEFAULT_RECONNECT_TIMEOUT);
    }

    /**
     * Connects to a server.
     *
     * @param uri the server, with credentials and TLS settings
     * @param reconnectTimeout how long an operation keeps retrying through connection failures before it throws
     * @return the connection; close it when done
     * @throws RedisChannelException if the server cannot be reached or refuses the credentials
     */
    public static RedisChannels connect(RedisURI uri, Duration reconnectTimeout) {
        return connect(uri, reconnectTimeout, null);
    }

    /**
     * Connects to a server over TLS with explicit trust settings, for example a private CA:
     * {@code SslOptions.builder().trustManager(new File("ca.pem")).build()} with a {@code rediss://} URI. The server
     * certificate is verified (including the host name) unless the URI says otherwise.
     *
     * @param uri the server, with credentials; {@code rediss://} for TLS
     * @param reconnectTimeout how long an operation keeps retrying through connection failures before it throws
     * @param ssl Lettuce's TLS options (trust store, key store for client certificates), or {@code null} for the
     *     JVM's defaults
     * @return the connection; close it when done
     * @throws RedisChannelException if the server cannot be reached, the TLS handshake fails or the server refuses
     *     the credentials
     */
    public static RedisChannels connect(RedisURI uri, Duration reconnectTimeout, SslOptions ssl) {
        Objects.requireNonNull(uri, "uri");
        Objects.requireNonNull(reconnectTimeout, "reconnectTimeout");
        RedisChannels channels = new RedisChannels(uri, reconnectTimeout, ssl);
        try {
            StatefulRedisConnection<byte[], byte[]> connection = channels.borrow();
            channels.release(connection);
        } catch (RuntimeException e) {
            channels.close();
            if (isAuthFailure(e)) {
                throw new RedisChannelException(
                        "Redis at " + channels.endpoint + " refused the credentials (user/password of the URI): "
                                + rootMessage(e),
                        e);
            }
            throw new RedisChannelException(
                    "cannot connect to Redis at " + channels.endpoint + ": " + rootMessage(e), e);
        }
        return channels;
    }

    /**
     * Creates the channel {@code name} with {@code capacity} if it does not exist, or attaches to it if it does,
     * with the default options.
     *
     * @param name the channel name: 1 to 200 characters, no braces
     * @param capacity the most items the channel holds (buffered plus leased and not yet acknowledged), from 1 to
     *     {@link Integer#MAX_VALUE}
     * @param codec how items become bytes
     * @param <T> the item type
     * @return a handle on the channel
     * @throws IllegalArgumentException if the capacity is not positive, the name is invalid, or the channel exists
     *     with another capacity (attaching never changes a channel)
     * @throws RedisChannelException if Redis cannot be reached
     */
    public <T> RedisChannel<T> open(String name, int capacity, ItemCodec<T> codec) {
        return open(name, capacity, codec, RedisChannelOptions.defaults());
    }

    /**
     * Creates the channel {@code name} with {@code capacity} if it does not exist, or attaches to it if it does.
     *
     * @param name the channel name: 1 to 200 characters, no braces
     * @param capacity the most items the channel holds, from 1 to {@link Integer#MAX_VALUE}
     * @param codec how items become bytes
     * @param options delivery mode, lease time and re-check interval of this handle
     * @param <T> the item type
     * @return a handle on the channel
     * @throws IllegalArgumentException if the capacity is not positive, the name is invalid, or the channel exists
     *     with another capacity
     * @throws RedisChannelException if Redis cannot be reached
     */
    public <T> RedisChannel<T> open(String name, int capacity, ItemCodec<T> codec, RedisChannelOptions options) {
        Keys keys = new Keys(name);
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be between 1 and Integer.MAX_VALUE, but was " + capacity
                    + " (a Redis channel always has a buffer)");
        }
        Objects.requireNonNull(codec, "codec");
        Objects.requireNonNull(options, "options");
        String epoch = Long.toString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE, 36) + "."
                + Long.toString(System.currentTimeMillis(), 36);
        List<Object> reply = script(keys, args("create", "", "", "", "", epoch, Integer.toString(capacity)));
        int existing = (int) (long) (Long) reply.get(2);
        if (existing != capacity) {
            throw new IllegalArgumentException("channel '" + name + "' already exists with capacity " + existing
                    + ", not " + capacity + "; attaching never changes a channel's capacity");
        }
        return new RedisChannel<>(this, keys, string(reply.get(1)), capacity, codec, options);
    }

    /**
     * Attaches to an existing channel, whatever its capacity, with the default options.
     *
     * @param name the channel name
     * @param codec how items become bytes
     * @param <T> the item type
     * @return a handle on the channel
     * @throws ChannelLostException if no channel of that name exists
     * @throws RedisChannelException if Redis cannot be reached
     */
    public <T> RedisChannel<T> attach(String name, ItemCodec<T> codec) {
        return attach(name, codec, RedisChannelOptions.defaults());
    }

    /**
     * Attaches to an existing channel, whatever its capacity.
     *
     * @param name the channel name
     * @param codec how items become bytes
     * @param options delivery mode, lease time and re-check interval of this handle
     * @param <T> the item type
     * @return a handle on the channel
     * @throws ChannelLostException if no channel of that name exists
     * @throws RedisChannelException if Redis cannot be reached
     */
    public <T> RedisChannel<T> attach(String name, ItemCodec<T> codec, RedisChannelOptions options) {
        Keys keys = new Keys(name);
        Objects.requireNonNull(codec, "codec");
        Objects.requireNonNull(options, "options");
        List<Object> reply = script(keys, args("attach", "", "", "", ""));
        if ("MISSING".equals(string(reply.get(0)))) {
            throw new ChannelLostException("channel '" + name + "' does not exist on " + endpoint);
        }
        int capacity = (int) (long) (Long) reply.get(2);
        return new RedisChannel<>(this, keys, string(reply.get(1)), capacity, codec, options);
    }

    /**
     * Deletes a channel and everything in it from the server. Handles on it then throw {@link
     * ChannelLostException}.
     *
     * @param name the channel name
     * @return whether anything was deleted
     * @throws RedisChannelException if Redis cannot be reached
     */
    public boolean delete(String name) {
        Keys keys = new Keys(name);
        List<Object> reply = script(keys, args("destroy", "", "", "", ""));
        return reply != null && !reply.isEmpty() && ((Long) reply.get(0)) > 0;
    }

    /**
     * Returns the server this object talks to, as {@code redis://host:port} (never with credentials).
     *
     * @return the endpoint
     */
    public String endpoint() {
        return endpoint;
    }

    /**
     * Closes all connections. Idempotent. Channels on the server are not affected; operations still running on
     * handles fail with {@link RedisChannelException}.
     */
    @Override
    public void close() {
        closed = true;
        pubsubLock.lock();
        try {
            if (pubsub != null) {
                pubsub.close();
                pubsub = null;
            }
        } finally {
            pubsubLock.unlock();
        }
        for (StatefulRedisConnection<byte[], byte[]> connection : open) {
            connection.close();
        }
        idle.clear();
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }

    @Override
    public String toString() {
        return "RedisChannels[" + endpoint + (closed ? ", closed]" : "]");
    }

    // ------------------------------------------------------------------------------------------------ internals

    static byte[][] args(String... values) {
        byte[][] out = new byte[values.length][];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i].getBytes(StandardCharsets.UTF_8);
        }
        return out;
    }

    static String string(Object value) {
        return value == null ? null : new String((byte[]) value, StandardCharsets.UTF_8);
    }

    /**
     * Runs the channel script: waits for its reply without reacting to interrupts (the interrupt status is kept),
     * and retries on a new connection when the connection breaks, until the reconnect timeout.
     */
    @SuppressWarnings("unchecked")
    List<Object> script(Keys keys, byte[][] arguments) {
        return (List<Object>) retrying(
                keys.name, commands -> commands.evalsha(SCRIPT_SHA, ScriptOutputType.MULTI, keys.all, arguments));
    }

    private Object retrying(String channel, Function<RedisAsyncCommands<byte[], byte[]>, RedisFuture<?>> command) {
        long deadline = System.nanoTime() + reconnectTimeoutNanos;
        long backoffNanos = TimeUnit.MILLISECONDS.toNanos(10);
        Throwable last = null;
        while (true) {
            checkOpen();
            StatefulRedisConnection<byte[], byte[]> connection = null;
            try {
                connection = borrow();
                Object result = awaitUninterruptibly(command.apply(connection.async()), COMMAND_TIMEOUT_NANOS);
                release(connection);
                return result;
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof RedisNoScriptException) {
                    release(connection);
                    loadScript(channel);
                    continue;
                } else if (cause instanceof RedisLoadingException) {
                    release(connection); // the server is loading its data after a restart: wait, then retry
                    last = cause;
                } else if (cause instanceof RedisCommandExecutionException) {
                    release(connection);
                    throw serverError(channel, cause);
                } else {
                    discard(connection);
                    last = cause;
                }
            } catch (TimeoutException e) {
                discard(connection);
                last = e;
            } catch (RuntimeException e) {
                // connect failures and commands rejected by a closed connection
                discard(connection);
                if (isAuthFailure(e)) {
                    throw new RedisChannelException(
                            "Redis at " + endpoint + " refused the credentials: " + rootMessage(e), e);
                }
                last = e;
            }
            checkOpen();
            if (System.nanoTime() - deadline > 0) {
                throw new RedisChannelException(
                        "channel '" + channel + "': Redis at " + endpoint + " unreachable for "
                                + TimeUnit.NANOSECONDS.toMillis(reconnectTimeoutNanos) + " ms: " + rootMessage(last),
                        last);
            }
            LockSupport.parkNanos(backoffNanos); // an interrupt does not end the retry; the status stays set
            backoffNanos = Math.min(backoffNanos * 2, TimeUnit.MILLISECONDS.toNanos(500));
        }
    }

    private void loadScript(String channel) {
        Object sha = retrying(channel, commands -> commands.scriptLoad(SCRIPT));
        if (!SCRIPT_SHA.equals(sha)) {
            throw new RedisChannelException("Redis returned sha " + sha + " for the channel script", null);
        }
    }

    /**
     * Blocks on the server until an item can be moved from the channel's ready list to its in-flight list (BLMOVE),
     * at most {@code seconds}. Returns null on timeout and on a broken connection (the caller looks at the channel
     * again, through {@link #script}, which retries with back-off). On interrupt the connection is dropped (so the
     * server stops the wait); an item it moved in that instant is recovered by the reaper after the lease time.
     */
    byte[] blockingMove(Keys keys, double seconds) throws InterruptedException {
        checkOpen();
        StatefulRedisConnection<byte[], byte[]> connection;
        try {
            connection = borrow();
        } catch (RuntimeException e) {
            return null;
        }
        RedisFuture<byte[]> future =
                connection.async().blmove(keys.ready, keys.inflight, LMoveArgs.Builder.leftRight(), seconds);
        try {
            byte[] item = future.get((long) (seconds * 1e9) + COMMAND_TIMEOUT_NANOS, TimeUnit.NANOSECONDS);
            release(connection);
            return item;
        } catch (InterruptedException e) {
            discard(connection);
            throw e;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RedisCommandExecutionException
                    && !(e.getCause() instanceof RedisLoadingException)) {
                release(connection);
                throw serverError(keys.name, e.getCause());
            }
            discard(connection);
            return null;
        } catch (TimeoutException e) {
            discard(connection);
            return null;
        }
    }

    /** Returns the channel's wake-up signal, subscribed on the pub/sub connection (best effort). */
    Signal signal(Keys keys) {
        Signal signal = signals.computeIfAbsent(keys.eventsName, Signal::new);
        if (!signal.subscribed || !pubsubOpen()) {
            subscribe(signal);
        }
        return signal;
    }

    private boolean pubsubOpen() {
        pubsubLock.lock();
        try {
            return pubsub != null && pubsub.isOpen();
        } finally {
            pubsubLock.unlock();
        }
    }

    // Error Prone's FutureReturnValueIgnored: closing a connection that is dead or unwanted is fire and forget; a
    // failure to close it changes nothing for the channels, which already stopped using it.
    @SuppressWarnings("FutureReturnValueIgnored")
    private void subscribe(Signal signal) {
        pubsubLock.lock();
        try {
            if (closed) {
                return;
            }
            if (pubsub == null || !pubsub.isOpen()) {
                if (pubsub != null) {
                    pubsub.closeAsync();
                    pubsub = null;
                }
                for (Signal each : signals.values()) {
                    each.subscribed = false;
                }
                StatefulRedisPubSubConnection<byte[], byte[]> connection =
                        client.connectPubSub(ByteArrayCodec.INSTANCE);
                connection.addListener(new RedisPubSubAdapter<>() {
                    @Override
                    public void message(byte[] channel, byte[] message) {
                        Signal target = signals.get(new String(channel, StandardCharsets.UTF_8));
                        if (target != null) {
                            target.bump();
                        }
                    }
                });
                pubsub = connection;
            }
            if (!signal.subscribed) {
                awaitUninterruptibly(
                        pubsub.async().subscribe(signal.channel.getBytes(StandardCharsets.UTF_8)),
                        COMMAND_TIMEOUT_NANOS);
                signal.subscribed = true;
                signal.bump(); // events before the subscription may be missed: make waiters look again
            }
        } catch (RuntimeException | ExecutionException | TimeoutException e) {
            // Best effort: without pub/sub every waiter still looks again after the re-check interval.
        } finally {
            pubsubLock.unlock();
        }
    }

    private StatefulRedisConnection<byte[], byte[]> borrow() {
        StatefulRedisConnection<byte[], byte[]> connection;
        while ((connection = idle.pollFirst()) != null) {
            if (connection.isOpen()) {
                return connection;
            }
            discard(connection);
        }
        connection = client.connect(ByteArrayCodec.INSTANCE);
        open.add(connection);
        if (closed) {
            discard(connection);
            checkOpen();
        }
        return connection;
    }

    private void release(StatefulRedisConnection<byte[], byte[]> connection) {
        if (connection == null) {
            return;
        }
        if (closed || !connection.isOpen()) {
            discard(connection);
        } else {
            idle.offerFirst(connection);
        }
    }

    // Error Prone's FutureReturnValueIgnored: closing a connection that is dead or unwanted is fire and forget; a
    // failure to close it changes nothing for the channels, which already stopped using it.
    @SuppressWarnings("FutureReturnValueIgnored")
    private void discard(StatefulRedisConnection<byte[], byte[]> connection) {
        if (connection != null) {
            open.remove(connection);
            connection.closeAsync();
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new RedisChannelException("RedisChannels for " + endpoint + " is closed", null);
        }
    }

    private RedisChannelException serverError(String channel, Throwable cause) {
        if (isAuthFailure(cause)) {
            return new RedisChannelException(
                    "Redis at " + endpoint + " refused the credentials or permissions: " + cause.getMessage(), cause);
        }
        return new RedisChannelException(
                "channel '" + channel + "': Redis at " + endpoint + " answered with an error: " + cause.getMessage(),
                cause);
    }

    static boolean isAuthFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String message = t.getMessage();
            if (message != null
                    && (message.contains("WRONGPASS")
                            || message.contains("NOAUTH")
                            || message.contains("NOPERM")
                            || message.contains("invalid password")
                            || message.contains("invalid username-password"))) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    static String rootMessage(Throwable e) {
        if (e == null) {
            return "unknown failure";
        }
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == e ? String.valueOf(e) : e.getMessage() + " (" + root + ")";
    }

    static <R> R awaitUninterruptibly(Future<R> future, long nanos) throws ExecutionException, TimeoutException {
        boolean interrupted = false;
        long deadline = System.nanoTime() + nanos;
        try {
            while (true) {
                try {
                    return future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static String loadScript() {
        try (InputStream in = RedisChannels.class.getResourceAsStream("channel.lua")) {
            if (in == null) {
                throw new IllegalStateException("channel.lua missing from the loomchan-redis jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String sha1(String text) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
