package io.github.loomchan.bench;

import io.github.loomchan.Channel;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.LinkedTransferQueue;
import java.util.concurrent.SynchronousQueue;

/**
 * A channel or queue as the workloads see it: a blocking put and a blocking take. One implementation per JVM peer,
 * so every workload runs the same driver code over each of them. Kotlin's channels need coroutines and have their
 * own driver ({@link KotlinChannels}).
 *
 * <p>Thread-safety: as the wrapped channel or queue (all of them are safe for any number of threads). Nothing here
 * closes anything: the workloads move a known number of items and the channels stay open.
 */
interface Pipe {
    /** Puts an item, waiting while there is no room (or, for a rendezvous, until a taker has it). */
    void put(Object item) throws InterruptedException;

    /** Takes an item, waiting while there is none. */
    Object take() throws InterruptedException;

    /** A loomchan channel: rendezvous for 0, unbounded for {@link Integer#MAX_VALUE}, else buffered. */
    static Pipe loomchan(int capacity) {
        Channel<Object> channel =
                switch (capacity) {
                    case 0 -> Channel.rendezvous();
                    case Integer.MAX_VALUE -> Channel.unbounded();
                    default -> Channel.buffered(capacity);
                };
        return new Pipe() {
            @Override
            public void put(Object item) throws InterruptedException {
                channel.put(item);
            }

            @Override
            public Object take() throws InterruptedException {
                return channel.get();
            }
        };
    }

    /** A jox channel: rendezvous for 0, unlimited for {@link Integer#MAX_VALUE}, else buffered. */
    static Pipe jox(int capacity) {
        com.softwaremill.jox.Channel<Object> channel =
                switch (capacity) {
                    case 0 -> com.softwaremill.jox.Channel.newRendezvousChannel();
                    case Integer.MAX_VALUE -> com.softwaremill.jox.Channel.newUnlimitedChannel();
                    default -> com.softwaremill.jox.Channel.newBufferedChannel(capacity);
                };
        return new Pipe() {
            @Override
            public void put(Object item) throws InterruptedException {
                channel.send(item);
            }

            @Override
            public Object take() throws InterruptedException {
                return channel.receive();
            }
        };
    }

    /** {@link ArrayBlockingQueue} (bounded, one lock). */
    static Pipe arrayBlockingQueue(int capacity) {
        return queue(new ArrayBlockingQueue<>(capacity));
    }

    /** {@link LinkedBlockingQueue}: bounded (two locks) unless capacity is {@link Integer#MAX_VALUE}. */
    static Pipe linkedBlockingQueue(int capacity) {
        return queue(new LinkedBlockingQueue<>(capacity));
    }

    /** {@link SynchronousQueue} (rendezvous, unfair mode: the default). */
    static Pipe synchronousQueue() {
        return queue(new SynchronousQueue<>());
    }

    /**
     * {@link SynchronousQueue} in its fair mode: waiting threads are served first-come, first-served (a FIFO dual
     * queue), as loomchan's rendezvous channel promises; the default, unfair mode is a LIFO stack.
     */
    static Pipe synchronousQueueFair() {
        return queue(new SynchronousQueue<>(true));
    }

    /** {@link LinkedTransferQueue} used as an unbounded queue: put never waits. */
    static Pipe linkedTransferQueue() {
        return queue(new LinkedTransferQueue<>());
    }

    /** {@link LinkedTransferQueue} used as a rendezvous: put is {@code transfer}, which waits for a taker. */
    static Pipe linkedTransferQueueTransfer() {
        LinkedTransferQueue<Object> queue = new LinkedTransferQueue<>();
        return new Pipe() {
            @Override
            public void put(Object item) throws InterruptedException {
                queue.transfer(item);
            }

            @Override
            public Object take() throws InterruptedException {
                return queue.take();
            }
        };
    }

    private static Pipe queue(BlockingQueue<Object> queue) {
        return new Pipe() {
            @Override
            public void put(Object item) throws InterruptedException {
                queue.put(item);
            }

            @Override
            public Object take() throws InterruptedException {
                return queue.take();
            }
        };
    }
}
