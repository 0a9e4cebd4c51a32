package io.github.loomchan;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Regression tests for bugs found in the core, each named after the symptom a user would see. The diagnosis is in
 * /work/notes/core-bugs.md at the time each was found.
 */
class CoreRegressionTest {

    /**
     * Symptom: a {@code getAsync} callback that uses another channel of the same select deadlocks (or, at best, runs
     * while that channel is locked). Select released its locks one by one and completed the futures claimed on the
     * first-released channel while it still held the locks of the others.
     */
    @ParameterizedTest
    @EnumSource(
            value = ChannelKind.class,
            names = {"RENDEZVOUS", "BUFFERED_16"})
    void callbackOfAFutureCompletedBySelectCanUseTheSelectsOtherChannels(ChannelKind kind) throws Exception {
        for (boolean clauseOnLaterChannel : new boolean[] {true, false}) {
            Channel<String> first = kind.create(); // channels are locked in creation order
            Channel<String> second = kind.create();
            Channel<String> clauseChannel = clauseOnLaterChannel ? second : first;
            Channel<String> otherChannel = clauseOnLaterChannel ? first : second;
            List<String> failures = new ArrayList<>();
            CompletableFuture<Void> callback = clauseChannel
                    .getAsync()
                    .thenAccept(item -> failures.addAll(ChannelAsyncTest.useFromAnotherThread(otherChannel)));
            // otherChannel's get clause is not ready; clauseChannel's put clause is (a getter waits): the select
            // completes the pending getAsync, whose callback then needs otherChannel's lock from another thread.
            String result = Select.select(otherChannel.onGet(item -> "got"), clauseChannel.onPut("x", () -> "put"));
            assertEquals("put", result);
            callback.join();
            assertEquals(
                    List.of(), failures, "clause on the " + (clauseOnLaterChannel ? "later" : "earlier") + " channel");
        }
    }

    /**
     * Symptom: after {@code getAsync().completeAsync(...)}, the next item put into the channel disappears: it is
     * handed to the externally completed future, which cannot take it any more. {@code completeAsync} completes
     * the future through CompletableFuture's internal path, bypassing the overrides that withdraw the get.
     */
    @ParameterizedTest
    @EnumSource(ChannelKind.class)
    void anItemPutAfterGetAsyncWasCompletedWithCompleteAsyncIsNotLost(ChannelKind kind) {
        Channel<String> channel = kind.create();
        CompletableFuture<String> got = channel.getAsync();
        got.completeAsync(() -> "from elsewhere", Runnable::run);
        assertEquals("from elsewhere", got.join());
        if (kind.isRendezvous()) {
            assertFalse(channel.offer("x"), "no getter waits any more");
        } else {
            assertTrue(channel.offer("x"));
            assertEquals("x", channel.poll(), "the item must still be in the channel");
        }
        assertArrayEquals(new int[] {0, 0, 0}, Waits.queued(channel));
    }

    /**
     * Symptom: an item whose {@code putAsync} future was completed with {@code completeAsync} (which, like {@code
     * complete}, must withdraw the put) is enqueued later anyway.
     */
    @ParameterizedTest
    @EnumSource(
            value = ChannelKind.class,
            names = {"RENDEZVOUS", "BUFFERED_1", "BUFFERED_16"})
    void anItemWhosePutAsyncWasCompletedWithCompleteAsyncIsNotEnqueued(ChannelKind kind) {
        Channel<String> channel = kind.create();
        List<String> filled = Supply.fill(channel);
        CompletableFuture<Void> put = channel.putAsync("withdrawn");
        put.completeAsync(() -> null, Runnable::run);
        put.join();
        List<String> drained = new ArrayList<>();
        channel.drainTo(drained, Integer.MAX_VALUE);
        assertEquals(filled, drained, "the withdrawn item never enters the channel");
        assertArrayEquals(new int[] {0, 0, 0}, Waits.queued(channel));
    }
}
