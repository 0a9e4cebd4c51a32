package io.github.loomchan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Makes items available to get without a second thread, on every kind: a buffered or unbounded channel buffers them;
 * a rendezvous channel gets one pending {@code putAsync} per item (a waiting putter), which is the only way a
 * rendezvous channel can have an item to give.
 */
final class Supply {
    private Supply() {}

    /**
     * Makes {@code items} available, oldest first, with one {@code putAsync} each: the ones that fit are buffered at
     * once, the others (all of them on a rendezvous channel) wait as putters until a get takes their item or makes
     * room for it.
     *
     * @return one future per item, complete once its item is in the channel or taken
     */
    @SafeVarargs
    static <T> List<CompletableFuture<Void>> items(Channel<T> channel, T... items) {
        List<CompletableFuture<Void>> puts = new ArrayList<>();
        for (T item : items) {
            CompletableFuture<Void> put = channel.putAsync(item);
            assertFalse(put.isCompletedExceptionally(), "the channel accepts the put");
            puts.add(put);
        }
        if (channel.capacity() == 0) {
            assertTrue(puts.stream().noneMatch(CompletableFuture::isDone), "a rendezvous put waits for a getter");
        }
        return puts;
    }

    /**
     * Fills a bounded channel (puts {@code capacity} items "f0", "f1", ...; nothing on a rendezvous channel, which is
     * always full), so that the next put would block.
     *
     * @return the items put, oldest first
     */
    static List<String> fill(Channel<String> channel) {
        List<String> put = new ArrayList<>();
        for (int i = 0; i < channel.capacity(); i++) {
            String item = "f" + i;
            assertTrue(channel.offer(item), "offer into a channel with room");
            put.add(item);
        }
        assertTrue(channel.isFull());
        assertEquals(channel.capacity(), channel.size());
        return put;
    }
}
