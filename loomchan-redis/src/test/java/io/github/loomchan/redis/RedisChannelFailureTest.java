package io.github.loomchan.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.loomchan.ChannelClosedException;
import io.lettuce.core.KillArgs;
import io.lettuce.core.LMoveArgs;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The failures a distributed channel must survive, each against a real redis-server started (and killed) by the
 * test: a consumer JVM that dies mid-item, kill -9 and restart with and without persistence, connection resets, and
 * a reply lost on the way to its consumer.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class RedisChannelFailureTest {
    private static final RedisChannelOptions FAST =
            RedisChannelOptions.defaults().withRecheckInterval(Duration.ofMillis(200));

    @Test
    void consumerJvmHaltedMidItemGetsItsItemRedeliveredAndNothingIsLost() throws Exception {
        try (RedisServer server = RedisServer.start();
                RedisChannels redis = RedisChannels.connect(server.uri())) {
            RedisChannel<String> channel = redis.open("crash", 100, ItemCodec.utf8(), FAST);
            List<String> items = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                items.add("job-" + i);
            }
            channel.putAll(items);

            String java = ProcessHandle.current().info().command().orElse("java");
            Process child = new ProcessBuilder(
                            java,
                            "-cp",
                            System.getProperty("java.class.path"),
                            ConsumerChild.class.getName(),
                            server.uri(),
                            "crash",
                            "700",
                            "3")
                    .redirectErrorStream(true)
                    .start();
            List<String> output = new ArrayList<>();
            try (BufferedReader reader =
                    new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    output.add(line);
                }
            }
            assertTrue(child.waitFor(30, TimeUnit.SECONDS));
            assertEquals(3, child.exitValue(), "the child halts with 3: " + output);
            List<String> acked = output.stream()
                    .filter(l -> l.startsWith("ACKED "))
                    .map(l -> l.split(" ")[2])
                    .toList();
            String held = output.stream()
                    .filter(l -> l.startsWith("HOLDING "))
                    .map(l -> l.split(" ")[2])
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("child output: " + output));
            assertEquals(List.of("job-0", "job-1", "job-2"), acked);
            assertEquals("job-3", held);
            assertEquals(1, channel.inFlight(), "the dead consumer's item is still leased");

            channel.close();
            List<String> rest = new ArrayList<>();
            for (String item : channel) {
                rest.add(item);
            }
            // everything not acknowledged by the dead consumer, the held item included (it comes back at the head
            // once its lease expired, so after the items that were free at once)
            Set<String> all = new HashSet<>(acked);
            all.addAll(rest);
            assertEquals(new HashSet<>(items), all, "nothing lost");
            assertEquals(7, rest.size(), "no duplicate beyond the one item whose lease expired: " + rest);
            assertTrue(rest.contains("job-3"));
            assertEquals(1, channel.redeliveredCount());
            assertTrue(channel.isDone());
        }
    }

    @Test
    void durableServerKilledAndRestartedLosesNoAcknowledgedItem() throws Exception {
        try (RedisServer server = RedisServer.startDurable()) {
            RedisChannels redis = RedisChannels.connect(RedisURI.create(server.uri()), Duration.ofSeconds(30));
            try {
                RedisChannel<String> channel = redis.open("durable", 10_000, ItemCodec.utf8(), FAST);
                Set<String> acknowledged = ConcurrentHashMap.newKeySet();
                AtomicBoolean stop = new AtomicBoolean();
                AtomicInteger failedPuts = new AtomicInteger();
                try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
                    Future<?> producer = executor.submit(() -> {
                        for (int i = 0; !stop.get(); i++) {
                            String item = "p" + i;
                            channel.put(item); // retries through the restart
                            acknowledged.add(item);
                        }
                        return null;
                    });
                    waitUntil(() -> acknowledged.size() >= 200, "the producer got going");
                    server.kill();
                    int atKill = acknowledged.size();
                    server.restart();
                    waitUntil(() -> acknowledged.size() >= atKill + 100, "the producer continued after the restart");
                    stop.set(true);
                    producer.get(30, TimeUnit.SECONDS);
                }
                assertEquals(0, failedPuts.get());
                channel.close();
                Map<String, Integer> received = new HashMap<>();
                while (true) {
                    List<String> batch;
                    try {
                        batch = channel.getBatch(500, Duration.ofSeconds(1));
                    } catch (ChannelClosedException done) {
                        break;
                    }
                    for (String item : batch) {
                        received.merge(item, 1, Integer::sum);
                    }
                }
                assertTrue(received.keySet().containsAll(acknowledged), "every acknowledged put survived kill -9");
                assertTrue(
                        received.values().stream().allMatch(n -> n == 1),
                        "a put retried after the lost reply was applied once");
                assertTrue(received.size() - acknowledged.size() <= 1, "at most the put in flight at the end");
            } finally {
                redis.close();
            }
        }
    }

    @Test
    void serverRestartedWithoutPersistenceReportsChannelLostAndNeverRecreatesIt() throws Exception {
        try (RedisServer server = RedisServer.start();
                RedisChannels redis = RedisChannels.connect(server.uri())) {
            RedisChannel<String> channel = redis.open("volatile", 10, ItemCodec.utf8(), FAST);
            channel.put("a");
            server.kill();
            server.restart();
            ChannelLostException onPut = assertThrows(ChannelLostException.class, () -> channel.put("b"));
            assertTrue(onPut.getMessage().contains("'volatile' is lost"), onPut.getMessage());
            assertThrows(ChannelLostException.class, () -> channel.poll(Duration.ofMillis(500)));
            assertThrows(ChannelLostException.class, channel::isDone);
            assertThrows(ChannelLostException.class, channel::close);
            assertThrows(ChannelLostException.class, channel::join);
            RedisClient admin = RedisClient.create(server.uri());
            try (StatefulRedisConnection<String, String> connection = admin.connect()) {
                assertEquals(List.of(), connection.sync().keys("*"), "no operation recreated the channel");
            } finally {
                admin.shutdown();
            }
        }
    }

    @Test
    void consumerBlockedOnTheServerNoticesTheLostChannelWithinTheRecheckInterval() throws Exception {
        try (RedisServer server = RedisServer.start();
                RedisChannels redis = RedisChannels.connect(server.uri())) {
            RedisChannel<String> channel = redis.open("volatile-blocked", 10, ItemCodec.utf8(), FAST);
            try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
                Future<String> getter = executor.submit(channel::get);
                assertThrows(java.util.concurrent.TimeoutException.class, () -> getter.get(300, TimeUnit.MILLISECONDS));
                server.kill();
                server.restart();
                var failure = assertThrows(
                        java.util.concurrent.ExecutionException.class, () -> getter.get(30, TimeUnit.SECONDS));
                assertTrue(failure.getCause() instanceof ChannelLostException, String.valueOf(failure.getCause()));
            }
        }
    }

    @ParameterizedTest
    @EnumSource(DeliveryMode.class)
    void connectionResetsDuringTrafficLoseNothingAndDuplicateOnlyExpiredLeases(DeliveryMode mode) throws Exception {
        try (RedisServer server = RedisServer.start();
                RedisChannels redis = RedisChannels.connect(server.uri())) {
            RedisChannelOptions options =
                    FAST.withLeaseTime(Duration.ofMillis(500)).withMode(mode);
            RedisChannel<String> channel = redis.open("resets", 32, ItemCodec.utf8(), options);
            int total = 1500;
            Map<String, Integer> received = new ConcurrentHashMap<>();
            RedisClient admin = RedisClient.create(server.uri());
            AtomicInteger kills = new AtomicInteger();
            try (StatefulRedisConnection<String, String> killer = admin.connect();
                    ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
                List<Future<?>> consumers = new ArrayList<>();
                for (int c = 0; c < 2; c++) {
                    RedisChannel<String> handle = redis.attach("resets", ItemCodec.utf8(), options);
                    consumers.add(executor.submit(() -> {
                        for (String item : handle) {
                            received.merge(item, 1, Integer::sum);
                        }
                        return null;
                    }));
                }
                Future<?> producer = executor.submit(() -> {
                    for (int i = 0; i < total; i++) {
                        channel.put("r" + i);
                    }
                    channel.close();
                    return null;
                });
                // reset every other client connection (data, blocked consumers, pub/sub) again and again
                while (!producer.isDone()) {
                    kills.addAndGet(killer.sync()
                            .clientKill(KillArgs.Builder.typeNormal().skipme())
                            .intValue());
                    kills.addAndGet(killer.sync()
                            .clientKill(KillArgs.Builder.typePubsub())
                            .intValue());
                    Thread.sleep(25); // paces the resets; the test waits on futures, not on this sleep
                }
                producer.get(60, TimeUnit.SECONDS);
                for (Future<?> consumer : consumers) {
                    consumer.get(60, TimeUnit.SECONDS);
                }
            } finally {
                admin.shutdown();
            }
            assertTrue(kills.get() > 0, "the test did reset connections");
            for (int i = 0; i < total; i++) {
                assertNotNull(received.get("r" + i), "item r" + i + " lost");
            }
            assertEquals(total, received.size());
            long duplicates = received.values().stream().mapToLong(n -> n - 1).sum();
            assertTrue(
                    duplicates <= channel.redeliveredCount(),
                    duplicates + " duplicates but only " + channel.redeliveredCount() + " expired leases");
            if (mode == DeliveryMode.AT_MOST_ONCE) {
                // no consumer died: lost replies were replayed from the lane record or recovered by the reaper,
                // and an item leaves the channel when handed over, so nothing is received twice
                assertEquals(0, duplicates);
            }
            assertTrue(channel.isDone());
        }
    }

    @Test
    void itemInAReplyThatNeverReachedItsConsumerIsRecovered() throws Exception {
        try (RedisServer server = RedisServer.start();
                RedisChannels redis = RedisChannels.connect(server.uri())) {
            RedisChannelOptions options = FAST.withLeaseTime(Duration.ofMillis(400));
            RedisChannel<String> channel = redis.open("lost-reply", 10, ItemCodec.utf8(), options);
            channel.put("precious");
            // A consumer's BLMOVE took the item off the ready list, and the reply was lost with the connection:
            // do exactly that, then drop the connection without claiming the item.
            RedisClient raw = RedisClient.create(server.uri());
            try (StatefulRedisConnection<String, String> connection = raw.connect()) {
                String moved = connection
                        .sync()
                        .blmove(
                                "{loomchan:lost-reply}:ready",
                                "{loomchan:lost-reply}:inflight",
                                LMoveArgs.Builder.leftRight(),
                                1.0);
                assertNotNull(moved);
                assertTrue(moved.endsWith("|precious"), moved);
            } finally {
                raw.shutdown();
            }
            assertEquals(0, channel.size());
            assertEquals(1, channel.inFlight());
            assertFalse(channel.isDone());
            // the server gives the orphan a lease, lets it expire, and hands it out again
            assertEquals("precious", channel.poll(Duration.ofSeconds(20)));
            assertEquals(0, channel.inFlight());
            assertEquals(1, channel.redeliveredCount());
        }
    }

    @Test
    void lostWakeUpsDoNotHangProducersOrJoiners() throws Exception {
        try (RedisServer server = RedisServer.start();
                RedisChannels redis = RedisChannels.connect(server.uri())) {
            RedisChannel<String> channel = redis.open("no-pubsub", 1, ItemCodec.utf8(), FAST);
            channel.put("a");
            RedisClient admin = RedisClient.create(server.uri());
            try (StatefulRedisConnection<String, String> connection = admin.connect();
                    ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
                Future<?> putter = executor.submit(() -> {
                    channel.put("b");
                    return null;
                });
                assertThrows(java.util.concurrent.TimeoutException.class, () -> putter.get(300, TimeUnit.MILLISECONDS));
                // take "a" without any wake-up reaching the putter: its pub/sub connection is gone
                connection.sync().clientKill(KillArgs.Builder.typePubsub());
                RedisChannel<String> consumer = redis.attach("no-pubsub", ItemCodec.utf8(), FAST);
                assertEquals("a", consumer.get());
                putter.get(10, TimeUnit.SECONDS); // the bounded re-check found the room
                assertEquals("b", consumer.get());
            } finally {
                admin.shutdown();
            }
        }
    }

    private static void waitUntil(java.util.function.BooleanSupplier condition, String what)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(10);
        }
    }
}
