package io.github.loomchan;

import static io.github.loomchan.PatternThreads.assertRange;
import static io.github.loomchan.PatternThreads.awaitBlocked;
import static io.github.loomchan.PatternThreads.awaitCondition;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.SubmissionPublisher;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The {@link java.util.concurrent.Flow} adapters of {@link Channels}: demand, completion, errors, cancellation. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class PatternFlowTest {

    /** Records every signal; requests nothing by itself after {@code initialRequest}. */
    static final class RecordingSubscriber<T> implements Flow.Subscriber<T> {
        final List<T> items = new CopyOnWriteArrayList<>();
        final CompletableFuture<Throwable> end = new CompletableFuture<>(); // null for onComplete
        final CompletableFuture<Flow.Subscription> subscription = new CompletableFuture<>();
        private final long initialRequest;

        RecordingSubscriber(long initialRequest) {
            this.initialRequest = initialRequest;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription.complete(s);
            if (initialRequest > 0) {
                s.request(initialRequest);
            }
        }

        @Override
        public void onNext(T item) {
            items.add(item);
        }

        @Override
        public void onError(Throwable failure) {
            end.complete(failure);
        }

        @Override
        public void onComplete() {
            end.complete(null);
        }
    }

    private static Channel<Integer> filled(int count, boolean close) {
        Channel<Integer> channel = Channel.buffered(Math.max(1, count));
        for (int i = 0; i < count; i++) {
            channel.offer(i);
        }
        if (close) {
            channel.close();
        }
        return channel;
    }

    @Test
    void publisherNeverSignalsMoreThanRequested() throws Exception {
        PatternThreads threads = PatternThreads.virtual();
        Channel<Integer> channel = filled(10, true);
        RecordingSubscriber<Integer> subscriber = new RecordingSubscriber<>(3);
        Channels.toPublisher(channel, threads).subscribe(subscriber);
        awaitCondition("3 items delivered", () -> subscriber.items.size() == 3);
        awaitBlocked(threads.threads().get(0)); // the subscription's thread now waits for demand
        assertEquals(3, subscriber.items.size());
        assertEquals(7, channel.size(), "nothing is taken from the channel without demand");
        subscriber.subscription.get().request(Long.MAX_VALUE);
        assertEquals(null, subscriber.end.get(10, TimeUnit.SECONDS), "onComplete");
        assertRange(10, subscriber.items);
        threads.assertAllTerminated(1);
    }

    @Test
    void publisherSignalsTheCloseCauseAsOnError() throws Exception {
        PatternThreads threads = PatternThreads.virtual();
        Channel<Integer> channel = filled(2, false);
        IllegalStateException cause = new IllegalStateException("producer failed");
        channel.close(cause);
        RecordingSubscriber<Integer> subscriber = new RecordingSubscriber<>(Long.MAX_VALUE);
        Channels.toPublisher(channel, threads).subscribe(subscriber);
        assertSame(cause, subscriber.end.get(10, TimeUnit.SECONDS));
        assertEquals(List.of(0, 1), subscriber.items);
        threads.assertAllTerminated(1);
    }

    @Test
    void cancelStopsTheSubscriptionAndLeavesTheRestInTheChannel() throws Exception {
        PatternThreads threads = PatternThreads.virtual();
        Channel<Integer> channel = filled(5, false);
        RecordingSubscriber<Integer> subscriber = new RecordingSubscriber<>(2);
        Channels.toPublisher(channel, threads).subscribe(subscriber);
        awaitCondition("2 items delivered", () -> subscriber.items.size() == 2);
        subscriber.subscription.get().cancel();
        threads.assertAllTerminated(1);
        assertEquals(List.of(0, 1), subscriber.items);
        assertEquals(List.of(2, 3, 4), channel.snapshot());
    }

    @Test
    void cancelWhileWaitingForAnItemConsumesNothing() throws Exception {
        PatternThreads threads = PatternThreads.virtual();
        Channel<Integer> channel = Channel.buffered(4);
        RecordingSubscriber<Integer> subscriber = new RecordingSubscriber<>(1);
        Channels.toPublisher(channel, threads).subscribe(subscriber);
        awaitBlocked(threads.threads().get(0)); // waiting for an item, with demand
        subscriber.subscription.get().cancel();
        threads.assertAllTerminated(1);
        channel.put(9);
        assertEquals(List.of(9), channel.snapshot(), "the withdrawn get took nothing");
        assertEquals(List.of(), subscriber.items);
    }

    @Test
    void nonPositiveRequestIsAnsweredWithOnError() throws Exception {
        PatternThreads threads = PatternThreads.virtual();
        Channel<Integer> channel = filled(3, false);
        RecordingSubscriber<Integer> subscriber = new RecordingSubscriber<>(0);
        Channels.toPublisher(channel, threads).subscribe(subscriber);
        subscriber.subscription.get(10, TimeUnit.SECONDS).request(0);
        assertInstanceOf(IllegalArgumentException.class, subscriber.end.get(10, TimeUnit.SECONDS));
        threads.assertAllTerminated(1);
        assertEquals(3, channel.size());
    }

    @Test
    void twoSubscribersShareTheItemsEachItemOnce() throws Exception {
        PatternThreads threads = PatternThreads.platform();
        Channel<Integer> channel = filled(500, true);
        Flow.Publisher<Integer> publisher = Channels.toPublisher(channel, threads);
        RecordingSubscriber<Integer> first = new RecordingSubscriber<>(Long.MAX_VALUE);
        RecordingSubscriber<Integer> second = new RecordingSubscriber<>(Long.MAX_VALUE);
        publisher.subscribe(first);
        publisher.subscribe(second);
        first.end.get(10, TimeUnit.SECONDS);
        second.end.get(10, TimeUnit.SECONDS);
        List<Integer> all = new ArrayList<>(first.items);
        all.addAll(second.items);
        all.sort(null);
        assertRange(500, all);
        threads.assertAllTerminated(2);
    }

    @Test
    void fromPublisherReceivesEverythingASubmissionPublisherPublishes() throws Exception {
        PatternThreads threads = PatternThreads.virtual();
        ExecutorService executor = Executors.newThreadPerTaskExecutor(threads);
        SubmissionPublisher<Integer> publisher = new SubmissionPublisher<>(executor, 8);
        try {
            Channel<Integer> channel = Channels.fromPublisher(publisher, 4, threads);
            Thread submitter = threads.newThread(() -> {
                for (int i = 0; i < 1000; i++) {
                    publisher.submit(i); // blocks while the subscriber's buffer is full
                }
                publisher.close();
            });
            submitter.start();
            List<Integer> received = new ArrayList<>();
            channel.forEach(received::add);
            assertRange(1000, received);
        } finally {
            publisher.close();
        }
        executor.close();
        threads.assertAllTerminated(2);
    }

    /** A publisher that emits 0, 1, 2, ... synchronously inside request and counts what was requested. */
    static class CountingPublisher implements Flow.Publisher<Integer> {
        final AtomicLong requested = new AtomicLong();
        private final int total;
        private final Throwable failure;

        CountingPublisher(int total, Throwable failure) {
            this.total = total;
            this.failure = failure;
        }

        @Override
        public void subscribe(Flow.Subscriber<? super Integer> subscriber) {
            subscriber.onSubscribe(new Flow.Subscription() {
                private int next;
                private boolean ended;

                @Override
                public synchronized void request(long n) { // never parks: plain monitor is fine here
                    requested.addAndGet(n);
                    for (long i = 0; i < n && next < total; i++) {
                        subscriber.onNext(next++);
                    }
                    if (next == total && !ended) {
                        ended = true;
                        if (failure == null) {
                            subscriber.onComplete();
                        } else {
                            subscriber.onError(failure);
                        }
                    }
                }

                @Override
                public void cancel() {}
            });
        }
    }

    @Test
    void fromPublisherRequestsOnlyAsRoomIsMade() throws Exception {
        PatternThreads threads = PatternThreads.virtual();
        CountingPublisher publisher = new CountingPublisher(100, null);
        Channel<Integer> channel = Channels.fromPublisher(publisher, 4, threads);
        awaitCondition("the channel is full", channel::isFull);
        awaitBlocked(threads.threads().get(0)); // the relay waits for room
        assertTrue(publisher.requested.get() <= 2 * 4 + 1, "requested " + publisher.requested.get());
        List<Integer> received = new ArrayList<>();
        channel.forEach(received::add);
        assertRange(100, received);
        threads.assertAllTerminated(1);
    }

    @Test
    void fromPublisherClosesTheChannelWithTheOnErrorCause() throws Exception {
        PatternThreads threads = PatternThreads.virtual();
        IllegalStateException failure = new IllegalStateException("publisher failed");
        Channel<Integer> channel = Channels.fromPublisher(new CountingPublisher(5, failure), 2, threads);
        List<Integer> received = new ArrayList<>();
        ChannelClosedException end = assertThrows(ChannelClosedException.class, () -> channel.forEach(received::add));
        assertSame(failure, end.getCause());
        assertRange(5, received);
        threads.assertAllTerminated(1);
    }

    @Test
    void channelToPublisherToChannelRoundTripKeepsOrder() throws Exception {
        PatternThreads threads = PatternThreads.virtual();
        Channel<Integer> source = Channels.produce(
                3,
                out -> {
                    for (int i = 0; i < 300; i++) {
                        out.put(i);
                    }
                },
                threads);
        Channel<Integer> copy = Channels.fromPublisher(Channels.toPublisher(source, threads), 2, threads);
        assertRange(300, copy.stream().toList());
        threads.assertAllTerminated(3);
    }

    @Test
    void consumerClosingTheChannelCancelsTheSubscription() throws Exception {
        PatternThreads threads = PatternThreads.virtual();
        AtomicLong cancels = new AtomicLong();
        CountingPublisher endless = new CountingPublisher(Integer.MAX_VALUE, null) {
            @Override
            public void subscribe(Flow.Subscriber<? super Integer> subscriber) {
                super.subscribe(new Flow.Subscriber<Integer>() {
                    @Override
                    public void onSubscribe(Flow.Subscription s) {
                        subscriber.onSubscribe(new Flow.Subscription() {
                            @Override
                            public void request(long n) {
                                s.request(n);
                            }

                            @Override
                            public void cancel() {
                                cancels.incrementAndGet();
                                s.cancel();
                            }
                        });
                    }

                    @Override
                    public void onNext(Integer item) {
                        subscriber.onNext(item);
                    }

                    @Override
                    public void onError(Throwable failure) {
                        subscriber.onError(failure);
                    }

                    @Override
                    public void onComplete() {
                        subscriber.onComplete();
                    }
                });
            }
        };
        Channel<Integer> channel = Channels.fromPublisher(endless, 2, threads);
        assertEquals(List.of(0, 1, 2), List.of(channel.get(), channel.get(), channel.get()));
        channel.close(); // the consumer has had enough
        threads.assertAllTerminated(1);
        assertEquals(1, cancels.get());
        assertTrue(endless.requested.get() <= 2 * 2 + 1 + 3, "requested " + endless.requested.get());
    }
}
