package io.github.loomchan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The static factories: capacities, the rejected ones and what their message says. */
class ChannelFactoryTest {

    @ParameterizedTest
    @ValueSource(ints = {0, -1, -16, Integer.MIN_VALUE})
    void bufferedRejectsANonPositiveCapacityAndSaysWhatIsAllowed(int capacity) {
        IllegalArgumentException rejected =
                assertThrows(IllegalArgumentException.class, () -> Channel.buffered(capacity));
        String message = rejected.getMessage();
        assertTrue(message.contains(String.valueOf(capacity)), "names the rejected value: " + message);
        assertTrue(message.contains("1"), "names the smallest allowed capacity: " + message);
        assertTrue(
                message.contains("rendezvous"),
                "points to Channel.rendezvous() for a channel without buffer: " + message);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 16, 1000, 1024, 1025, 1 << 20, Integer.MAX_VALUE - 1, Integer.MAX_VALUE})
    void bufferedAcceptsEveryPositiveCapacity(int capacity) {
        Channel<String> channel = Channel.buffered(capacity);
        assertEquals(capacity, channel.capacity());
        assertTrue(channel.offer("a"));
        assertEquals(capacity == 1, channel.isFull());
        assertEquals("a", channel.poll());
        assertTrue(channel.isEmpty());
    }

    @Test
    void rendezvousHasCapacityZeroAndUnboundedHasMaxValue() {
        assertEquals(0, Channel.rendezvous().capacity());
        assertEquals(Integer.MAX_VALUE, Channel.unbounded().capacity());
        assertFalse(Channel.unbounded().isFull());
        assertTrue(Channel.rendezvous().isFull());
    }

    @Test
    void everyCallCreatesANewIndependentChannel() {
        Channel<String> first = Channel.buffered(4);
        Channel<String> second = Channel.buffered(4);
        assertNotSame(first, second);
        first.putNowait("only in first");
        first.close();
        assertEquals(0, second.size());
        assertFalse(second.isClosed());
    }
}
