package io.github.loomchan;

import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One subscription of the publisher made by {@link Channels#toPublisher}: a thread that waits for demand, takes one
 * item from the channel per unit of demand and hands it to the subscriber. All signals to the subscriber come from
 * that thread, so they are serial (Reactive Streams rule 1.3).
 */
/*
 * The thread waits for demand under `lock`, then starts a getAsync and waits for it. cancel() sets `cancelled`,
 * wakes the demand wait and cancels the pending get: a cancelled get consumes nothing (the channel's contract); if
 * the item was handed over at the same moment, cancel fails, the future holds the item, and the item is delivered
 * rather than lost.
 */
final class ChannelSubscription<T> implements Flow.Subscription {
    private final Channel<? extends T> channel;
    private final Flow.Subscriber<? super T> subscriber;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition demandOrCancel = lock.newCondition();

    // Guarded by lock.
    private long demand;
    private boolean cancelled;
    private long badRequest; // the first non-positive request, reported by onError; 0 if none
    private boolean badRequestSeen;
    private CompletableFuture<? extends T> pendingGet;

    private ChannelSubscription(Channel<? extends T> channel, Flow.Subscriber<? super T> subscriber) {
        this.channel = channel;
        this.subscriber = subscriber;
    }

    static <T> void start(Channel<? extends T> channel, Flow.Subscriber<? super T> subscriber, ThreadFactory factory) {
        Objects.requireNonNull(subscriber, "subscriber"); // rule 1.9
        ChannelSubscription<T> subscription = new ChannelSubscription<>(channel, subscriber);
        Thread thread = factory.newThread(subscription::run);
        if (thread == null) {
            throw new RejectedExecutionException("the thread factory returned null");
        }
        thread.start();
    }

    @Override
    public void request(long n) {
        lock.lock();
        try {
            if (n <= 0) {
                if (!badRequestSeen) {
                    badRequestSeen = true;
                    badRequest = n;
                }
            } else {
                demand = demand + n < 0 ? Long.MAX_VALUE : demand + n; // saturate (rule 3.17)
            }
            demandOrCancel.signalAll();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void cancel() {
        CompletableFuture<? extends T> get;
        lock.lock();
        try {
            cancelled = true;
            get = pendingGet;
            demandOrCancel.signalAll();
        } finally {
            lock.unlock();
        }
        if (get != null) {
            get.cancel(false);
        }
    }

    private void run() {
        try {
            subscriber.onSubscribe(this);
            while (true) {
                CompletableFuture<? extends T> get = awaitDemandAndGet();
                if (get == null) {
                    return;
                }
                T item;
                try {
                    item = get.get();
                } catch (ExecutionException failed) {
                    if (failed.getCause() instanceof ChannelClosedException closed && !isCancelled()) {
                        if (closed.getCause() == null) {
                            subscriber.onComplete();
                        } else {
                            subscriber.onError(closed.getCause());
                        }
                    }
                    return;
                } catch (CancellationException cancelled) {
                    return;
                }
                subscriber.onNext(item);
            }
        } catch (InterruptedException interrupted) {
            cancel(); // someone interrupted our thread: stop
        } catch (RuntimeException | Error subscriberFailed) {
            cancel(); // rule 2.13: a subscriber that throws is treated as having cancelled
        }
    }

    /** Waits for demand; then, holding one unit of it, starts a get. Returns null if cancelled or after onError. */
    private CompletableFuture<? extends T> awaitDemandAndGet() throws InterruptedException {
        long invalid;
        lock.lock();
        try {
            while (demand == 0 && !cancelled && !badRequestSeen) {
                demandOrCancel.await();
            }
            if (cancelled) {
                return null;
            }
            if (!badRequestSeen) {
                if (demand != Long.MAX_VALUE) {
                    demand--;
                }
                CompletableFuture<? extends T> get = channel.getAsync();
                pendingGet = get;
                return get;
            }
            invalid = badRequest;
            cancelled = true;
        } finally {
            lock.unlock();
        }
        subscriber.onError(new IllegalArgumentException(
                "Reactive Streams rule 3.9: request(n) needs n > 0, but n was " + invalid));
        return null;
    }

    private boolean isCancelled() {
        lock.lock();
        try {
            return cancelled;
        } finally {
            lock.unlock();
        }
    }
}
