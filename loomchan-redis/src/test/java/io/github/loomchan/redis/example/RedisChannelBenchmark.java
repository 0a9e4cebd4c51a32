package io.github.loomchan.redis.example;

import io.github.loomchan.redis.DeliveryMode;
import io.github.loomchan.redis.ItemCodec;
import io.github.loomchan.redis.RedisChannel;
import io.github.loomchan.redis.RedisChannelOptions;
import io.github.loomchan.redis.RedisChannels;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Items per second through a RedisChannel on loopback, single items and batches of 100, next to the floor of the
 * same work done with plain Lettuce commands (RPUSH / LPOP, no channel rules) in the same run.
 *
 * <p>Each row: one warm-up round, then 5 measured rounds; the median and the spread (min..max) are printed. One
 * thread, so each row measures round trips plus server work, not concurrency. Run: {@code ./mvnw -q -pl
 * loomchan-redis -am -DskipTests test-compile exec:exec -Dredis.example=RedisChannelBenchmark} (starts its own redis-server; or {@code -Dredis.uri=...}).
 */
public final class RedisChannelBenchmark {
    private static final int SINGLE_ITEMS = 5_000;
    private static final int BATCH_ITEMS = 50_000;
    private static final int BATCH = 100;
    private static final int ROUNDS = 5;
    private static final String PAYLOAD = "payload-16-bytes";

    private RedisChannelBenchmark() {}

    interface Round {
        void run(int items) throws Exception;
    }

    /**
     * Runs the benchmark and prints a table.
     *
     * @param args unused
     * @throws Exception on failure
     */
    public static void main(String[] args) throws Exception {
        try (LocalRedis server = LocalRedis.startOrUse();
                RedisChannels redis = RedisChannels.connect(server.uri)) {
            System.out.println("# RedisChannel throughput, " + Instant.now() + ", "
                    + Runtime.getRuntime().availableProcessors() + " cores, Java " + Runtime.version() + ", "
                    + server.uri + " (loopback)");
            System.out.printf(
                    Locale.ROOT, "| %-58s | %14s | %20s |%n", "operation (one thread)", "items/s (median)", "min..max");
            System.out.println("|---|---:|---:|");
            RedisChannelOptions leased = RedisChannelOptions.defaults();
            RedisChannelOptions atMostOnce = leased.withMode(DeliveryMode.AT_MOST_ONCE);
            RedisChannel<String> channel = redis.open("bench", Integer.MAX_VALUE, ItemCodec.utf8(), leased);
            RedisChannel<String> amo = redis.attach("bench", ItemCodec.utf8(), atMostOnce);
            List<String> batch = new ArrayList<>();
            for (int i = 0; i < BATCH; i++) {
                batch.add(PAYLOAD);
            }

            RedisClient raw = RedisClient.create(server.uri);
            try (StatefulRedisConnection<String, String> connection = raw.connect()) {
                RedisCommands<String, String> commands = connection.sync();
                row("plain Lettuce RPUSH, 1 item per call (floor, no channel rules)", SINGLE_ITEMS, n -> {
                    for (int i = 0; i < n; i++) {
                        commands.rpush("plain", PAYLOAD);
                    }
                });
                row("plain Lettuce LPOP, 1 item per call (floor)", SINGLE_ITEMS, n -> {
                    for (int i = 0; i < n; i++) {
                        commands.lpop("plain");
                    }
                });
            } finally {
                raw.shutdown();
            }
            row("put, 1 item per call", SINGLE_ITEMS, n -> {
                for (int i = 0; i < n; i++) {
                    channel.put(PAYLOAD);
                }
            });
            row("get, at-least-once (take + ack: 2 round trips)", SINGLE_ITEMS, n -> {
                for (int i = 0; i < n; i++) {
                    channel.get();
                }
            });
            fill(channel, batch, SINGLE_ITEMS * (ROUNDS + 1));
            row("get, at-most-once (1 round trip)", SINGLE_ITEMS, n -> {
                for (int i = 0; i < n; i++) {
                    amo.get();
                }
            });
            row("putAll, batches of 100", BATCH_ITEMS, n -> {
                for (int i = 0; i < n; i += BATCH) {
                    channel.putAll(batch);
                }
            });
            row("getBatch(100), at-least-once (take + pipelined ack)", BATCH_ITEMS, n -> {
                for (int i = 0; i < n; i += BATCH) {
                    channel.getBatch(BATCH, Duration.ofSeconds(5));
                }
            });
            fill(channel, batch, BATCH_ITEMS * (ROUNDS + 1));
            row("getBatch(100), at-most-once", BATCH_ITEMS, n -> {
                for (int i = 0; i < n; i += BATCH) {
                    amo.getBatch(BATCH, Duration.ofSeconds(5));
                }
            });
            redis.delete("bench");
        }
    }

    private static void fill(RedisChannel<String> channel, List<String> batch, int items) throws InterruptedException {
        for (int i = 0; i < items; i += batch.size()) {
            channel.putAll(batch);
        }
    }

    private static void row(String name, int items, Round round) throws Exception {
        round.run(items); // warm-up
        double[] rates = new double[ROUNDS];
        for (int r = 0; r < ROUNDS; r++) {
            long start = System.nanoTime();
            round.run(items);
            rates[r] = items / ((System.nanoTime() - start) / 1e9);
        }
        Arrays.sort(rates);
        System.out.printf(
                Locale.ROOT,
                "| %-58s | %14.0f | %9.0f..%-9.0f |%n",
                name,
                rates[ROUNDS / 2],
                rates[0],
                rates[ROUNDS - 1]);
    }
}
