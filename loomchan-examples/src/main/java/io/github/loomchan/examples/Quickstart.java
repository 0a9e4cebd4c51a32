package io.github.loomchan.examples;

import io.github.loomchan.Channel;

/**
 * aiochannel's quickstart in Java: a producer puts five items and closes the channel in {@code finally}; a consumer
 * iterates until the channel is closed and drained; {@code join} returns once it is.
 */
public final class Quickstart {
    private Quickstart() {}

    public static void main(String[] args) throws InterruptedException {
        Channel<String> channel = Channel.buffered(2); // room for two: the producer waits for the consumer

        Thread producer = Thread.ofVirtual().name("producer").start(() -> {
            try {
                for (int i = 1; i <= 5; i++) {
                    String item = "item " + i;
                    channel.put(item); // blocks while two items wait
                    System.out.println("put  " + item + "   (buffered now: " + channel.size() + ")");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                channel.close(); // always: the consumer is waiting for it
                System.out.println("producer closed the channel");
            }
        });

        Thread consumer = Thread.ofVirtual().name("consumer").start(() -> {
            for (String item : channel) { // ends when the channel is closed and drained
                System.out.println("got  " + item);
            }
            System.out.println("consumer saw the end of the channel");
        });

        channel.join(); // returns once the channel is closed and drained
        System.out.println("join returned: " + channel);
        producer.join();
        consumer.join();
    }
}
