package io.github.loomchan.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.loomchan.Channel;
import io.github.loomchan.ChannelClosedException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A pipeline local channel -> Redis channel -> local channel, as two hosts would run it. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ChannelBridgeTest {
    private static RedisServer server;
    private static RedisChannels redis;
    private static final RedisChannelOptions FAST =
            RedisChannelOptions.defaults().withRecheckInterval(Duration.ofMillis(200));

    @BeforeAll
    static void startServer() {
        server = RedisServer.start();
        redis = RedisChannels.connect(server.uri());
    }

    @AfterAll
    static void stopServer() {
        if (redis != null) {
            redis.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void itemsFlowFromALocalChannelThroughRedisToAnotherLocalChannelAndTheCloseFollows() throws Exception {
        RedisChannel<String> remote = redis.open("bridge", 8, ItemCodec.utf8(), FAST);
        Channel<String> upstream = Channel.buffered(4);
        Channel<String> downstream = Channel.buffered(4);
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<Long> out = executor.submit(() -> ChannelBridge.toRedis(upstream, remote, true));
            Future<Long> in = executor.submit(
                    () -> ChannelBridge.fromRedis(redis.attach("bridge", ItemCodec.utf8(), FAST), downstream, true));
            executor.submit(() -> {
                try {
                    for (int i = 0; i < 200; i++) {
                        upstream.put("item-" + i);
                    }
                } finally {
                    upstream.close();
                }
                return null;
            });
            List<String> received = new ArrayList<>();
            for (String item : downstream) {
                received.add(item);
            }
            assertEquals(200, received.size());
            for (int i = 0; i < 200; i++) {
                assertEquals("item-" + i, received.get(i), "one producer, one bridge each way: FIFO");
            }
            assertEquals(200L, out.get(10, TimeUnit.SECONDS));
            assertEquals(200L, in.get(10, TimeUnit.SECONDS));
        }
        assertTrue(remote.isDone());
        assertEquals(0, remote.redeliveredCount());
    }

    @Test
    void aCloseCauseCrossesBothBridges() throws Exception {
        RedisChannel<String> remote = redis.open("bridge-cause", 8, ItemCodec.utf8(), FAST);
        Channel<String> upstream = Channel.buffered(4);
        Channel<String> downstream = Channel.buffered(4);
        upstream.put("last");
        upstream.close(new IllegalStateException("upstream failed"));
        assertEquals(1L, ChannelBridge.toRedis(upstream, remote, true));
        assertEquals(1L, ChannelBridge.fromRedis(remote, downstream, true));
        assertEquals("last", downstream.get());
        ChannelClosedException closed = assertThrows(ChannelClosedException.class, downstream::get);
        assertInstanceOf(RemoteCloseCause.class, closed.getCause());
        assertTrue(
                closed.getCause().getMessage().contains("upstream failed"),
                closed.getCause().getMessage());
    }

    @Test
    void aClosedLocalTargetGivesTheItemInHandBackToRedis() throws Exception {
        RedisChannel<String> remote = redis.open("bridge-target-closed", 8, ItemCodec.utf8(), FAST);
        remote.putAll(List.of("a", "b"));
        Channel<String> downstream = Channel.buffered(4);
        downstream.close();
        assertEquals(0L, ChannelBridge.fromRedis(remote, downstream, true));
        assertEquals(List.of("a", "b"), remote.snapshot(), "nothing lost, order kept");
        assertEquals(0, remote.inFlight());
    }
}
