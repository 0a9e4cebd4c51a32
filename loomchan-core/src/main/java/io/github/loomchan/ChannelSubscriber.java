package io.github.loomchan;

import java.util.Objects;
import java.util.concurrent.Flow;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;

/**
 * The subscriber behind {@link Channels#fromPublisher}: {@code onNext} only appends to an unbounded inbox (so the
 * publisher is never blocked), and a relay thread moves items from the inbox into the output channel, requesting one
 * more item from the publisher each time one entered the channel. The demand outstanding plus the inbox size is
 * therefore constant (the initial request), which bounds the memory.
 */
final class ChannelSubscriber<T> implements Flow.Subscriber<T> {
    private final Channel<T> out;
    private final Channel<T> inbox = Channel.unbounded();
    private final ThreadFactory threadFactory;
    private final long initialRequest;
    private volatile Flow.Subscription subscription; // written once in onSubscribe, read by the relay

    ChannelSubscriber(Channel<T> out, ThreadFactory threadFactory) {
        this.out = out;
        this.threadFactory = threadFactory;
        int capacity = out.capacity();
        this.initialRequest = capacity == Integer.MAX_VALUE ? Long.MAX_VALUE : Math.max(1, capacity);
    }

    @Override
    public void onSubscribe(Flow.Subscription newSubscription) {
        Objects.requireNonNull(newSubscription, "subscription");
        if (subscription != null) {
            newSubscription.cancel(); // rule 2.5: only one subscription
            return;
        }
        subscription = newSubscription;
        Thread relay = threadFactory.newThread(this::relay);
        if (relay == null) {
            newSubscription.cancel();
            out.close(new RejectedExecutionException("the thread factory returned null"));
            return;
        }
        relay.start();
        newSubscription.request(initialRequest);
    }

    @Override
    public void onNext(T item) {
        Objects.requireNonNull(item, "item"); // rule 2.13
        inbox.offer(item); // unbounded and open until onComplete/onError: never refuses
    }

    @Override
    public void onError(Throwable failure) {
        inbox.close(Objects.requireNonNull(failure, "failure"));
    }

    @Override
    public void onComplete() {
        inbox.close();
    }

    private void relay() {
        try {
            T item;
            while ((item = PatternSupport.take(inbox)) != null) {
                try {
                    out.put(item);
                } catch (ChannelClosedException consumerClosed) {
                    subscription.cancel();
                    return;
                }
                if (initialRequest != Long.MAX_VALUE) {
                    subscription.request(1);
                }
            }
            out.close();
        } catch (ChannelClosedException publisherFailed) {
            out.close(publisherFailed.getCause()); // take() throws only for a close with cause
        } catch (InterruptedException interrupted) {
            subscription.cancel();
            out.close(interrupted);
        }
    }
}
