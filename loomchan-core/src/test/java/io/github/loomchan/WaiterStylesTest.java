package io.github.loomchan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every style of waiting operation (a blocked thread, a timed call, a pending future, a blocked select, an iterator)
 * against every style of completing operation, per {@link ChannelKind}: a waiter of any style is served by a
 * counterpart of any style, and close releases waiters of every style with the cause.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(ChannelKind.class)
class WaiterStylesTest {
    private static final Duration LONG = Duration.ofMinutes(5);

    private final ChannelKind kind;

    WaiterStylesTest(ChannelKind kind) {
        this.kind = kind;
    }

    /** A waiting get: started, it must block until an item comes; its result completes the future. */
    private record WaitingGet(String name, Function<Channel<String>, CompletableFuture<String>> start) {}

    /** A waiting put of {@code item}: completes its future normally once the item is taken or buffered. */
    private record WaitingPut(String name, PutStarter start) {}

    @FunctionalInterface
    private interface PutStarter {
        CompletableFuture<Void> start(Channel<String> channel, String item);
    }

    /** A put or get that completes at once because a counterpart waits. */
    @FunctionalInterface
    private interface Immediate<R> {
        R run(Channel<String> channel) throws Exception;
    }

    private static List<WaitingGet> waitingGets(Channel<String> never) {
        return List.of(
                new WaitingGet("get", channel -> onThread(channel::get)),
                new WaitingGet("poll(timeout)", channel -> onThread(() -> channel.poll(LONG))),
                new WaitingGet("getAsync", Channel::getAsync),
                new WaitingGet(
                        "select onGet",
                        channel -> onThread(
                                () -> Select.select(never.onGet(item -> "never"), channel.onGet(item -> item)))),
                new WaitingGet(
                        "iterator", channel -> onThread(() -> channel.iterator().next())));
    }

    private static List<WaitingPut> waitingPuts(Channel<String> never) {
        return List.of(
                new WaitingPut(
                        "put",
                        (channel, item) -> onThread(() -> {
                            channel.put(item);
                            return null;
                        })),
                new WaitingPut(
                        "offer(timeout)",
                        (channel, item) -> onThread(() -> {
                            assertTrue(channel.offer(item, LONG));
                            return null;
                        })),
                new WaitingPut("putAsync", Channel::putAsync),
                new WaitingPut(
                        "select onPut",
                        (channel, item) -> onThread(
                                () -> Select.select(never.onGet(other -> null), channel.onPut(item, () -> null)))));
    }

    private static <V> CompletableFuture<V> onThread(Actor.Body<V> body) {
        CompletableFuture<V> result = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try {
                result.complete(body.run());
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        });
        return result;
    }

    private static List<Immediate<Void>> immediatePuts(String item) {
        return List.of(
                channel -> {
                    channel.put(item);
                    return null;
                },
                channel -> {
                    assertTrue(channel.offer(item));
                    return null;
                },
                channel -> {
                    channel.putNowait(item);
                    return null;
                },
                channel -> {
                    assertTrue(channel.offer(item, Duration.ZERO));
                    return null;
                },
                channel -> channel.putAsync(item).get(Waits.LONG.toMillis(), TimeUnit.MILLISECONDS),
                channel -> Select.select(channel.onPut(item, () -> null), Select.orElse(() -> {
                    throw new AssertionError("the put clause was not ready although a getter waits");
                })));
    }

    private static List<Immediate<String>> immediateGets() {
        return List.of(
                Channel::get,
                Channel::poll,
                Channel::getNowait,
                channel -> channel.poll(Duration.ZERO),
                channel -> channel.getAsync().get(Waits.LONG.toMillis(), TimeUnit.MILLISECONDS),
                channel -> Select.select(channel.onGet(item -> item), Select.orElse(() -> {
                    throw new AssertionError("the get clause was not ready although an item is there");
                })),
                channel -> channel.iterator().next(),
                channel -> {
                    List<String> one = new ArrayList<>();
                    assertEquals(1, channel.drainTo(one, 1));
                    return one.get(0);
                });
    }

    @Test
    void aWaitingGetterOfEveryStyleIsServedByAPutOfEveryStyle() throws Exception {
        Channel<String> never = kind.create();
        for (WaitingGet getter : waitingGets(never)) {
            List<Immediate<Void>> puts = immediatePuts("item");
            for (int p = 0; p < puts.size(); p++) {
                Channel<String> channel = kind.create();
                CompletableFuture<String> waiting = getter.start().apply(channel);
                Waits.untilQueued(channel, 0, 1, 0);
                puts.get(p).run(channel);
                assertEquals(
                        "item",
                        waiting.get(Waits.LONG.toMillis(), TimeUnit.MILLISECONDS),
                        getter.name() + " served by put style #" + p);
                assertEquals(0, channel.size());
                Waits.untilQueued(channel, 0, 0, 0);
            }
        }
        Waits.untilQueued(never, 0, 0, 0);
    }

    @Test
    void aWaitingPutterOfEveryStyleIsServedByAGetOfEveryStyle() throws Exception {
        assumeTrue(kind.isBounded());
        Channel<String> never = kind.create();
        for (WaitingPut putter : waitingPuts(never)) {
            List<Immediate<String>> gets = immediateGets();
            for (int g = 0; g < gets.size(); g++) {
                Channel<String> channel = kind.create();
                List<String> expected = new ArrayList<>(Supply.fill(channel));
                CompletableFuture<Void> waiting = putter.start().start(channel, "late");
                Waits.untilQueued(channel, 1, 0, 0);
                expected.add("late");
                List<String> got = new ArrayList<>();
                got.add(gets.get(g).run(channel));
                waiting.get(Waits.LONG.toMillis(), TimeUnit.MILLISECONDS);
                channel.drainTo(got, Integer.MAX_VALUE);
                assertEquals(expected, got, putter.name() + " served by get style #" + g);
                Waits.untilQueued(channel, 0, 0, 0);
            }
        }
        Waits.untilQueued(never, 0, 0, 0);
    }

    @Test
    void closeReleasesWaitersOfEveryStyleWithTheCause() throws Exception {
        Channel<String> never = kind.create();
        Channel<String> channel = kind.create();
        List<CompletableFuture<?>> waiting = new ArrayList<>();
        List<String> names = new ArrayList<>();
        int getters = 0;
        for (WaitingGet getter : waitingGets(never)) {
            waiting.add(getter.start().apply(channel));
            names.add(getter.name());
            Waits.untilQueued(channel, 0, ++getters, 0);
        }
        RuntimeException cause = new RuntimeException("cause");
        Channel<String> full = kind.create();
        if (kind.isBounded()) {
            Supply.fill(full);
            int putters = 0;
            for (WaitingPut putter : waitingPuts(never)) {
                waiting.add(putter.start().start(full, "never"));
                names.add(putter.name());
                Waits.untilQueued(full, ++putters, 0, 0);
            }
            full.close(cause);
        }
        channel.close(cause);
        for (int i = 0; i < waiting.size(); i++) {
            ExecutionException failure = org.junit.jupiter.api.Assertions.assertThrows(
                    ExecutionException.class,
                    () -> waiting.get(0).get(Waits.LONG.toMillis(), TimeUnit.MILLISECONDS),
                    names.get(i));
            waiting.remove(0);
            Throwable closed = failure.getCause(); // the iterator's next() too: a cause is never silent
            assertInstanceOf(ChannelClosedException.class, closed, names.get(i));
            assertSame(cause, closed.getCause(), names.get(i));
        }
        Waits.untilQueued(channel, 0, 0, 0);
        Waits.untilQueued(full, 0, 0, 0);
        Waits.untilQueued(never, 0, 0, 0);
    }
}
