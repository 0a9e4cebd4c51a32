package io.github.loomchan.redis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.loomchan.ChannelClosedException;
import io.github.loomchan.ChannelEmptyException;
import io.github.loomchan.ChannelException;
import io.github.loomchan.ChannelFullException;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;

/** Every operation of RedisChannel against a real redis-server. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RedisChannelTest {
    private static RedisServer server;
    private static RedisChannels redis;
    private static RedisClient admin;
    private static StatefulRedisConnection<String, String> adminConnection;

    private static final RedisChannelOptions FAST =
            RedisChannelOptions.defaults().withRecheckInterval(Duration.ofMillis(200));

    @BeforeAll
    static void startServer() {
        server = RedisServer.start();
        redis = RedisChannels.connect(server.uri());
        admin = RedisClient.create(server.uri());
        adminConnection = admin.connect();
    }

    @AfterAll
    static void stopServer() {
        if (adminConnection != null) {
            adminConnection.close();
            admin.shutdown();
        }
        if (redis != null) {
            redis.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private static String name(TestInfo info) {
        return info.getTestMethod().orElseThrow().getName();
    }

    private static RedisChannel<String> open(TestInfo info, int capacity) {
        return redis.open(name(info), capacity, ItemCodec.utf8(), FAST);
    }

    @Test
    void putAndGetKeepFifoOrder(TestInfo info) throws Exception {
        RedisChannel<String> channel = open(info, 10);
        for (int i = 0; i < 5; i++) {
            channel.put("item-" + i);
        }
        assertEquals(5, channel.size());
        assertEquals(List.of("item-0", "item-1", "item-2", "item-3", "item-4"), channel.snapshot());
        for (int i = 0; i < 5; i++) {
            assertEquals("item-" + i, channel.get());
        }
        assertEquals(0, channel.size());
        assertTrue(channel.isEmpty());
        assertEquals(0, channel.inFlight(), "get acknowledges before returning");
    }

    @Test
    void offerAndPollDoNotWait(TestInfo info) {
        RedisChannel<String> channel = open(info, 2);
        assertNull(channel.poll());
        assertThrows(ChannelEmptyException.class, channel::getNowait);
        assertTrue(channel.offer("a"));
        channel.putNowait("b");
        assertTrue(channel.isFull());
        assertFalse(channel.offer("c"));
        assertThrows(ChannelFullException.class, () -> channel.putNowait("c"));
        assertEquals("a", channel.poll());
        assertEquals("b", channel.getNowait());
        assertNull(channel.poll());
    }

    @Test
    void timedOfferAndPollTimeOutWithoutEffect(TestInfo info) throws Exception {
        RedisChannel<String> channel = open(info, 1);
        assertNull(channel.poll(Duration.ofMillis(150)));
        assertTrue(channel.offer("a", Duration.ofMillis(150)));
        assertFalse(channel.offer("b", Duration.ofMillis(150)));
        assertFalse(channel.offer("b", Duration.ZERO));
        assertEquals(List.of("a"), channel.snapshot());
        assertEquals("a", channel.poll(Duration.ofSeconds(5)));
        assertNull(channel.poll(Duration.ZERO));
    }

    @Test
    void putBlocksWhileFullAndWakesWhenAGetMakesRoom(TestInfo info) throws Exception {
        RedisChannel<String> channel = open(info, 1);
        channel.put("first");
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<?> putter = executor.submit(() -> {
                channel.put("second");
                return null;
            });
            // the putter cannot finish while the channel is full
            assertThrows(java.util.concurrent.TimeoutException.class, () -> putter.get(300, TimeUnit.MILLISECONDS));
            assertEquals("first", channel.get());
            putter.get(10, TimeUnit.SECONDS);
            assertEquals("second", channel.get());
        }
    }

    @Test
    void getBlocksOnTheServerUntilAPut(TestInfo info) throws Exception {
        RedisChannel<String> channel = open(info, 4);
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<String> getter = executor.submit(channel::get);
            assertThrows(java.util.concurrent.TimeoutException.class, () -> getter.get(300, TimeUnit.MILLISECONDS));
            channel.put("hello");
            assertEquals("hello", getter.get(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void closeFailsPutsAndLetsGetsDrainThenReportsClosed(TestInfo info) throws Exception {
        RedisChannel<String> channel = open(info, 4);
        channel.put("a");
        channel.put("b");
        channel.close();
        channel.close(); // idempotent
        assertTrue(channel.isClosed());
        assertFalse(channel.isDone());
        assertThrows(ChannelClosedException.class, () -> channel.put("c"));
        assertThrows(ChannelClosedException.class, () -> channel.offer("c"));
        assertEquals("a", channel.get());
        assertEquals("b", channel.poll());
        assertTrue(channel.isDone());
        ChannelClosedException closed = assertThrows(ChannelClosedException.class, channel::get);
        assertNull(closed.getCause());
        assertThrows(ChannelClosedException.class, channel::poll);
        assertThrows(ChannelClosedException.class, () -> channel.poll(Duration.ofSeconds(1)));
        assertTrue(channel.join(Duration.ZERO));
        channel.join();
    }

    @Test
    void closeWithCauseCarriesTheMessageEverywhereAndFirstCauseStays(TestInfo info) throws Exception {
        RedisChannel<String> channel = open(info, 4);
        channel.put("a");
        channel.close("producer failed: disk full");
        channel.close("a second cause is ignored");
        ChannelClosedException onPut = assertThrows(ChannelClosedException.class, () -> channel.put("b"));
        assertInstanceOf(RemoteCloseCause.class, onPut.getCause());
        assertEquals("producer failed: disk full", onPut.getCause().getMessage());
        Iterator<String> iterator = channel.iterator();
        assertTrue(iterator.hasNext());
        assertEquals("a", iterator.next());
        ChannelClosedException onIteration = assertThrows(ChannelClosedException.class, iterator::hasNext);
        assertEquals("producer failed: disk full", onIteration.getCause().getMessage());
        // another handle, as another process would have, sees the same cause
        RedisChannel<String> other = redis.attach(name(info), ItemCodec.utf8());
        assertEquals(
                "producer failed: disk full",
                assertThrows(ChannelClosedException.class, other::get)
                        .getCause()
                        .getMessage());
        assertThrows(NullPointerException.class, () -> channel.close((String) null));
        assertThrows(NullPointerException.class, () -> channel.close((Throwable) null));
    }

    @Test
    void closeWakesBlockedGettersAndFailsBlockedPutters(TestInfo info) throws Exception {
        RedisChannel<String> empty = redis.open(name(info) + "-empty", 2, ItemCodec.utf8(), FAST);
        RedisChannel<String> full = redis.open(name(info) + "-full", 1, ItemCodec.utf8(), FAST);
        full.put("x");
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<String>> getters = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                getters.add(executor.submit(empty::get));
            }
            Future<?> putter = executor.submit(() -> {
                full.put("y");
                return null;
            });
            Future<?> joiner = executor.submit(() -> {
                empty.join();
                return null;
            });
            assertThrows(java.util.concurrent.TimeoutException.class, () -> putter.get(300, TimeUnit.MILLISECONDS));
            empty.close();
            full.close();
            for (Future<String> getter : getters) {
                var failure = assertThrows(
                        java.util.concurrent.ExecutionException.class, () -> getter.get(10, TimeUnit.SECONDS));
                assertInstanceOf(ChannelClosedException.class, failure.getCause());
            }
            var failure =
                    assertThrows(java.util.concurrent.ExecutionException.class, () -> putter.get(10, TimeUnit.SECONDS));
            assertInstanceOf(ChannelClosedException.class, failure.getCause());
            joiner.get(10, TimeUnit.SECONDS);
            assertEquals(List.of("x"), full.snapshot(), "the failed put enqueued nothing");
        }
    }

    @Test
    void joinWaitsUntilClosedAndDrained(TestInfo info) throws Exception {
        RedisChannel<String> channel = open(info, 4);
        channel.put("a");
        assertFalse(channel.join(Duration.ofMillis(100)));
        channel.close();
        assertFalse(channel.join(Duration.ofMillis(100)), "closed but not drained");
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<?> joiner = executor.submit(() -> {
                channel.join();
                return null;
            });
            assertThrows(java.util.concurrent.TimeoutException.class, () -> joiner.get(200, TimeUnit.MILLISECONDS));
            assertEquals("a", channel.get());
            joiner.get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void iterationAndStreamEndAfterCloseAndAcknowledgeAsTheyGo(TestInfo info) throws Exception {
        RedisChannel<String> channel = open(info, 10);
        for (int i = 0; i < 6; i++) {
            channel.put(Integer.toString(i));
        }
        channel.close();
        List<String> seen = new ArrayList<>();
        Iterator<String> iterator = channel.iterator();
        seen.add(iterator.next());
        assertEquals(1, channel.inFlight(), "the current item is leased until the next one is asked for");
        seen.add(iterator.next());
        assertEquals(1, channel.inFlight());
        for (String item : (Iterable<String>) () -> iterator) {
            seen.add(item);
        }
        assertEquals(List.of("0", "1", "2", "3", "4", "5"), seen);
        assertEquals(0, channel.inFlight(), "the end of the iteration acknowledged the last item");
        assertTrue(channel.isDone());
    }

    @Test
    void streamConsumesAndALoopLeftEarlyGetsItsItemRedelivered(TestInfo info) throws Exception {
        RedisChannel<String> channel =
                redis.open(name(info), 10, ItemCodec.utf8(), FAST.withLeaseTime(Duration.ofMillis(300)));
        channel.putAll(List.of("a", "b", "c", "d"));
        channel.close();
        for (String item : channel) {
            assertEquals("a", item);
            break; // the body of "a" did not complete: "a" stays leased, then comes back
        }
        // b, c and d were free at once; a comes back after its lease, at the head of what is left
        assertEquals(List.of("b", "c", "d", "a"), channel.stream().toList());
        assertEquals(1, channel.redeliveredCount());
    }

    @Test
    void nullItemsAreRejectedAndNothingIsPut(TestInfo info) {
        RedisChannel<String> channel = open(info, 2);
        assertThrows(NullPointerException.class, () -> channel.put(null));
        assertThrows(NullPointerException.class, () -> channel.offer(null));
        assertThrows(NullPointerException.class, () -> channel.putAll(java.util.Arrays.asList("a", null)));
        assertEquals(0, channel.size());
    }

    @Test
    void attachKeepsTheCapacityAndAMismatchIsAClearError(TestInfo info) {
        RedisChannel<String> channel = open(info, 3);
        RedisChannel<String> same = redis.open(name(info), 3, ItemCodec.utf8());
        assertEquals(3, same.capacity());
        RedisChannel<String> attached = redis.attach(name(info), ItemCodec.utf8());
        assertEquals(3, attached.capacity());
        IllegalArgumentException mismatch =
                assertThrows(IllegalArgumentException.class, () -> redis.open(name(info), 5, ItemCodec.utf8()));
        assertTrue(mismatch.getMessage().contains("already exists with capacity 3, not 5"), mismatch.getMessage());
        assertEquals(3, channel.capacity());
        ChannelLostException missing =
                assertThrows(ChannelLostException.class, () -> redis.attach(name(info) + "-missing", ItemCodec.utf8()));
        assertTrue(missing.getMessage().contains("does not exist"), missing.getMessage());
        assertThrows(IllegalArgumentException.class, () -> redis.open("bad", 0, ItemCodec.utf8()));
        assertThrows(IllegalArgumentException.class, () -> redis.open("a{b}", 1, ItemCodec.utf8()));
    }

    @Test
    void allKeysShareOneHashTag(TestInfo info) throws Exception {
        RedisChannel<String> channel = open(info, 3);
        channel.put("a");
        channel.receive(); // leased: creates the in-flight keys
        List<String> keys = adminConnection.sync().keys("*" + name(info) + "*");
        assertTrue(keys.size() >= 4, keys.toString());
        String tag = "{loomchan:" + name(info) + "}";
        for (String key : keys) {
            assertTrue(key.startsWith(tag), key);
            assertEquals(tag, key.substring(0, key.indexOf('}') + 1), "the first {...} is the cluster hash tag");
        }
    }

    @Test
    void batchPutAndGetMoveManyItemsPerRoundTrip(TestInfo info) throws Exception {
        RedisChannel<String> channel = open(info, 500);
        List<String> items = IntStream.range(0, 300).mapToObj(i -> "i" + i).toList();
        channel.putAll(items);
        assertEquals(300, channel.size());
        List<String> got = new ArrayList<>();
        while (got.size() < 300) {
            got.addAll(channel.getBatch(128, Duration.ofSeconds(1)));
        }
        assertEquals(items, got);
        assertEquals(0, channel.inFlight());
        assertEquals(List.of(), channel.getBatch(10, Duration.ZERO));
    }

    @Test
    void putAllLargerThanTheCapacityWaitsForConsumers(TestInfo info) throws Exception {
        RedisChannel<String> channel = open(info, 7);
        List<String> items = IntStream.range(0, 50).mapToObj(i -> "i" + i).toList();
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<?> producer = executor.submit(() -> {
                channel.putAll(items);
                channel.close();
                return null;
            });
            List<String> got = new ArrayList<>();
            for (String item : channel) {
                got.add(item);
            }
            producer.get(10, TimeUnit.SECONDS);
            assertEquals(items, got);
        }
    }

    @Test
    void receivedItemsStayLeasedUntilAcknowledgedInOneRoundTrip(TestInfo info) throws Exception {
        RedisChannel<String> channel = open(info, 4);
        channel.putAll(List.of("a", "b", "c", "d"));
        List<Delivery<String>> batch = channel.receiveBatch(10, Duration.ofSeconds(1));
        assertEquals(
                List.of("a", "b", "c", "d"), batch.stream().map(Delivery::item).toList());
        assertEquals(4, channel.inFlight());
        assertTrue(channel.isFull(), "leased items count against the capacity");
        assertFalse(channel.offer("e"));
        assertEquals(4, channel.ack(batch));
        assertEquals(0, channel.ack(batch), "a second acknowledgement does nothing");
        assertEquals(0, channel.inFlight());
        assertTrue(channel.offer("e"));
    }

    @Test
    void releasedItemGoesBackToTheHead(TestInfo info) throws Exception {
        RedisChannel<String> channel = open(info, 4);
        channel.putAll(List.of("a", "b"));
        Delivery<String> a = channel.receive();
        a.release();
        assertFalse(a.ack(), "released: no longer ours");
        assertEquals(List.of("a", "b"), channel.snapshot());
        assertEquals("a", channel.get());
    }

    @Test
    void expiredLeaseRedeliversToAnotherConsumerAndLateAckSaysSo(TestInfo info) throws Exception {
        RedisChannelOptions shortLease = FAST.withLeaseTime(Duration.ofMillis(300));
        RedisChannel<String> first = redis.open(name(info), 4, ItemCodec.utf8(), shortLease);
        RedisChannel<String> second = redis.attach(name(info), ItemCodec.utf8(), shortLease);
        first.putAll(List.of("a", "b"));
        Delivery<String> lost = first.receive();
        assertEquals("a", lost.item());
        // the second consumer gets "b" now, and "a" again once the lease of the first one expired
        Delivery<String> b = second.receive();
        assertEquals("b", b.item());
        assertTrue(b.ack());
        Delivery<String> again = second.receive(Duration.ofSeconds(10));
        assertNotNull(again);
        assertEquals("a", again.item());
        assertEquals(lost.id(), again.id(), "the same item, recognisable by its id");
        assertEquals(1, second.redeliveredCount());
        assertFalse(lost.ack(), "the first lease expired: its late ack must not settle the new lease");
        assertEquals(1, second.inFlight());
        assertTrue(again.ack());
        first.close();
        assertTrue(first.isDone());
    }

    @Test
    void closedChannelWithLeasedItemsIsNotDoneUntilTheyAreAcknowledged(TestInfo info) throws Exception {
        RedisChannel<String> channel = open(info, 4);
        channel.put("a");
        Delivery<String> a = channel.receive();
        channel.close();
        assertFalse(channel.isDone());
        assertNull(channel.poll(), "nothing to take now, but not done: the leased item may come back");
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<String> getter = executor.submit(channel::get);
            assertThrows(java.util.concurrent.TimeoutException.class, () -> getter.get(300, TimeUnit.MILLISECONDS));
            assertTrue(a.ack());
            var failure =
                    assertThrows(java.util.concurrent.ExecutionException.class, () -> getter.get(10, TimeUnit.SECONDS));
            assertInstanceOf(ChannelClosedException.class, failure.getCause());
        }
        assertTrue(channel.isDone());
    }

    @Test
    void atMostOnceModeRemovesItemsOnHandOver(TestInfo info) throws Exception {
        RedisChannel<String> channel =
                redis.open(name(info), 4, ItemCodec.utf8(), FAST.withMode(DeliveryMode.AT_MOST_ONCE));
        channel.putAll(List.of("a", "b", "c"));
        Delivery<String> a = channel.receive();
        assertEquals(0, channel.inFlight());
        assertTrue(a.ack());
        assertEquals(List.of("b", "c"), channel.getBatch(5, Duration.ofSeconds(1)));
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<String> blocked = executor.submit(channel::get);
            assertThrows(java.util.concurrent.TimeoutException.class, () -> blocked.get(200, TimeUnit.MILLISECONDS));
            channel.put("d");
            assertEquals("d", blocked.get(10, TimeUnit.SECONDS));
        }
        assertEquals(0, channel.inFlight(), "the blocking path removes the item too");
        channel.close();
        assertTrue(channel.isDone());
    }

    @Test
    void codecsForBytesAndCustomTypes(TestInfo info) throws Exception {
        RedisChannel<byte[]> bytes = redis.open(name(info) + "-bytes", 4, ItemCodec.bytes(), FAST);
        byte[] payload = {0, 1, (byte) '|', (byte) 0xff, 124};
        bytes.put(payload);
        assertArrayEquals(payload, bytes.get());

        record Point(int x, int y) {}
        ItemCodec<Point> points = ItemCodec.of(p -> (p.x() + "," + p.y()).getBytes(StandardCharsets.UTF_8), b -> {
            String[] parts = new String(b, StandardCharsets.UTF_8).split(",");
            return new Point(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]));
        });
        RedisChannel<Point> pointChannel = redis.open(name(info) + "-points", 4, points, FAST);
        pointChannel.put(new Point(3, -4));
        assertEquals(new Point(3, -4), pointChannel.get());
    }

    @Test
    void undecodableItemIsReportedWithTheChannelNameAndKeptAsADeadLetter(TestInfo info) throws Exception {
        RedisChannel<byte[]> raw = redis.open(name(info), 4, ItemCodec.bytes(), FAST);
        raw.put("good-1".getBytes(StandardCharsets.UTF_8));
        raw.put(new byte[] {(byte) 0xc3, (byte) 0x28}); // not UTF-8
        raw.put("good-2".getBytes(StandardCharsets.UTF_8));
        RedisChannel<String> strings = redis.attach(name(info), ItemCodec.utf8(), FAST);
        ItemDecodingException failure =
                assertThrows(ItemDecodingException.class, () -> strings.getBatch(10, Duration.ofSeconds(1)));
        assertEquals(name(info), failure.channelName());
        assertTrue(failure.getMessage().contains("'" + name(info) + "'"), failure.getMessage());
        assertEquals(1, strings.deadLetterCount());
        assertEquals(0, strings.inFlight());
        // the good items of the batch went back, in order
        assertEquals(List.of("good-1", "good-2"), strings.getBatch(10, Duration.ofSeconds(1)));
        // the bad one is recoverable: requeue it and read it with a codec that accepts it
        assertEquals(1, strings.requeueDeadLetters());
        assertArrayEquals(new byte[] {(byte) 0xc3, (byte) 0x28}, raw.get());
        // or take it out as raw bytes
        raw.put(new byte[] {(byte) 0xff});
        assertThrows(ItemDecodingException.class, strings::get);
        List<byte[]> dead = strings.deadLetters(10);
        assertEquals(1, dead.size());
        assertArrayEquals(new byte[] {(byte) 0xff}, dead.getFirst());
        assertEquals(0, strings.deadLetterCount());
    }

    @Test
    void interruptedGetConsumesNothingAndInterruptedPutEnqueuesNothing(TestInfo info) throws Exception {
        RedisChannel<String> channel = open(info, 1);
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, channel::get);
        assertFalse(Thread.currentThread().isInterrupted());
        channel.put("a");
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, () -> channel.put("b"));
        CountDownLatch started = new CountDownLatch(1);
        Thread putter = Thread.ofVirtual().start(() -> {
            started.countDown();
            try {
                channel.put("c");
            } catch (InterruptedException expected) {
                return;
            }
            throw new AssertionError("put returned although the channel stayed full");
        });
        started.await();
        awaitWaiting(putter);
        putter.interrupt();
        putter.join(10_000);
        assertFalse(putter.isAlive());
        assertEquals(List.of("a"), channel.snapshot());
        Iterator<String> iterator = channel.iterator();
        assertEquals("a", channel.get());
        Thread.currentThread().interrupt();
        ChannelException wrapped = assertThrows(ChannelException.class, iterator::hasNext);
        assertInstanceOf(InterruptedException.class, wrapped.getCause());
        assertTrue(Thread.interrupted());
    }

    @Test
    void manyProducersAndConsumersReceiveEveryItemExactlyOnce(TestInfo info) throws Exception {
        RedisChannel<String> channel = open(info, 16);
        int producers = 3;
        int perProducer = 300;
        Set<String> received = ConcurrentHashMap.newKeySet();
        AtomicInteger duplicates = new AtomicInteger();
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> consumers = new ArrayList<>();
            for (int c = 0; c < 3; c++) {
                RedisChannel<String> handle = redis.attach(name(info), ItemCodec.utf8(), FAST);
                boolean batched = c == 0;
                consumers.add(executor.submit(() -> {
                    if (batched) {
                        while (true) {
                            List<Delivery<String>> batch;
                            try {
                                batch = handle.receiveBatch(8, Duration.ofSeconds(1));
                            } catch (ChannelClosedException done) {
                                return null;
                            }
                            for (Delivery<String> delivery : batch) {
                                if (!received.add(delivery.item())) {
                                    duplicates.incrementAndGet();
                                }
                            }
                            handle.ack(batch);
                        }
                    }
                    for (String item : handle) {
                        if (!received.add(item)) {
                            duplicates.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            List<Future<?>> producing = new ArrayList<>();
            for (int p = 0; p < producers; p++) {
                int producer = p;
                producing.add(executor.submit(() -> {
                    for (int i = 0; i < perProducer; i++) {
                        channel.put(producer + ":" + i);
                    }
                    return null;
                }));
            }
            for (Future<?> future : producing) {
                future.get(50, TimeUnit.SECONDS);
            }
            channel.close();
            for (Future<?> future : consumers) {
                future.get(50, TimeUnit.SECONDS);
            }
        }
        Set<String> expected = new HashSet<>();
        for (int p = 0; p < producers; p++) {
            for (int i = 0; i < perProducer; i++) {
                expected.add(p + ":" + i);
            }
        }
        assertEquals(expected, received);
        assertEquals(0, duplicates.get(), "no lease expired, so no duplicate");
        assertEquals(0, channel.redeliveredCount());
        assertTrue(channel.isDone());
    }

    @Test
    void toStringShowsTheState(TestInfo info) throws Exception {
        RedisChannel<String> channel = open(info, 3);
        channel.put("a");
        assertEquals("RedisChannel[" + name(info) + ", capacity=3, size=1, inFlight=0, open]", channel.toString());
        channel.close();
        channel.get();
        assertTrue(channel.toString().endsWith("done]"), channel.toString());
    }

    @Test
    void deletedChannelIsLostForOldHandlesAndNeverRecreated(TestInfo info) throws Exception {
        RedisChannel<String> channel = open(info, 3);
        channel.put("a");
        assertTrue(redis.delete(name(info)));
        ChannelLostException lost = assertThrows(ChannelLostException.class, () -> channel.put("b"));
        assertTrue(lost.getMessage().contains("'" + name(info) + "' is lost"), lost.getMessage());
        assertThrows(ChannelLostException.class, channel::get);
        assertThrows(ChannelLostException.class, channel::isClosed);
        assertEquals(0L, adminConnection.sync().exists("{loomchan:" + name(info) + "}:meta"));
        // a new channel of the same name is a different channel for the old handle
        RedisChannel<String> fresh = open(info, 3);
        fresh.put("new");
        lost = assertThrows(ChannelLostException.class, channel::poll);
        assertTrue(lost.getMessage().contains("new channel of the same name"), lost.getMessage());
        assertEquals("new", fresh.get());
        assertEquals(
                Set.of(),
                adminConnection.sync().keys("{loomchan:" + name(info) + "}:lanes").stream()
                        .filter(k -> false)
                        .collect(Collectors.toSet()));
    }

    static void awaitWaiting(Thread thread) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (thread.getState() != Thread.State.WAITING && thread.getState() != Thread.State.TIMED_WAITING) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("thread never blocked: " + thread.getState());
            }
            Thread.sleep(5);
        }
    }
}
