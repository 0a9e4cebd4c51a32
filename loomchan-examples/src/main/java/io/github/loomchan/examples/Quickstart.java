package io.github.loomchan.examples;

import io.github.loomchan.Channel;
import java.time.Duration;

/**
 * aiochannel's quickstart in Java: a producer puts five items and closes the channel in {@code finally}; a slower
 * consumer iterates until the channel is closed and drained; {@code join} returns once it is.
 *
 * <p>Run it with {@code ./mvnw -q compile exec:exec} from the repository root.
 */
public final class Quickstart {
    private Quickstart() {}

    /**
     * Runs the demo.
     *
     * @param args ignored
     * @throws InterruptedException if interrupted while joining
     */
    public static void main(String[] args) throws InterruptedException {
        Channel<String> channel = Channel.buffered(2); // room for two: a fast producer waits for the consumer

        Thread producer = Thread.ofVirtual().name("producer").start(() -> {
            try {
                for (int i = 1; i <= 5; i++) {
                    String item = "item " + i;
                    channel.put(item); // blocks while two items are buffered
                    System.out.println("producer: put " + item + " (buffered: " + channel.size() + ")");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                channel.close(); // always, even on failure: the consumer is waiting for it
                System.out.println("producer: closed the channel; " + channel.size() + " items still buffered");
            }
        });

        Thread consumer = Thread.ofVirtual().name("consumer").start(() -> {
            for (String item : channel) { // ends when the channel is closed and drained
                System.out.println("consumer: got " + item);
                pause(Duration.ofMillis(100)); // simulated work, so the producer feels the backpressure
            }
            System.out.println("consumer: the channel is closed and drained, done");
        });

        channel.join(); // returns once the channel is closed and drained
        System.out.println("main: join returned, " + channel);
        producer.join();
        consumer.join();
    }

    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
