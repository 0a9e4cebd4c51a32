package io.github.loomchan.redis;

import java.time.Duration;

/**
 * A consumer process for the crash test: acknowledges {@code ackCount} items, prints each, then receives one more,
 * prints it as HOLDING and dies with {@code Runtime.halt} before acknowledging it (no shutdown hooks, no cleanup:
 * as close to a killed process as Java gets).
 *
 * <p>Arguments: redis URI, channel name, lease in milliseconds, ackCount.
 */
public final class ConsumerChild {
    private ConsumerChild() {}

    /**
     * Runs the child.
     *
     * @param args URI, channel, lease ms, ack count
     * @throws Exception on failure (the parent sees the exit code and output)
     */
    public static void main(String[] args) throws Exception {
        RedisChannels redis = RedisChannels.connect(args[0]);
        RedisChannelOptions options = RedisChannelOptions.defaults()
                .withLeaseTime(Duration.ofMillis(Long.parseLong(args[2])))
                .withRecheckInterval(Duration.ofMillis(200));
        RedisChannel<String> channel = redis.attach(args[1], ItemCodec.utf8(), options);
        int ackCount = Integer.parseInt(args[3]);
        for (int i = 0; i < ackCount; i++) {
            Delivery<String> delivery = channel.receive();
            delivery.ack();
            System.out.println("ACKED " + delivery.id() + " " + delivery.item());
        }
        Delivery<String> held = channel.receive();
        System.out.println("HOLDING " + held.id() + " " + held.item());
        System.out.flush();
        Runtime.getRuntime().halt(3);
    }
}
