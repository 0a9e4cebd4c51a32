package io.github.loomchan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * White-box checks of the adaptive spin budget of platform threads ({@link AbstractChannel#spinsBeforePark} and
 * {@link AbstractChannel#adaptSpins}), driven directly with the outcomes of imagined waits: the budget grows on
 * catches and shrinks on parks within its bounds, and the floor is not absorbing, because some floor waits probe.
 * Also the handoff spin of virtual threads on rendezvous channels ({@link AbstractChannel#handoffSpins} and {@link
 * AbstractChannel#handoffSpun}): it runs while the channel's score is at least 0, a miss costs four catches, the
 * score stays within its bounds, and a channel below 0 still probes.
 */
class SpinPolicyTest {

    /** A new channel: rendezvous for 0, unbounded for -1, else buffered(capacity). */
    private static AbstractChannel<?> channel(int capacity) {
        Channel<?> channel =
                switch (capacity) {
                    case 0 -> Channel.rendezvous();
                    case -1 -> Channel.unbounded();
                    default -> Channel.buffered(capacity);
                };
        return (AbstractChannel<?>) channel;
    }

    /** A new channel whose platform-thread budget was brought to the floor by waits that parked. */
    private static AbstractChannel<?> channelAtTheFloor(int capacity) {
        AbstractChannel<?> channel = channel(capacity);
        parkUntilFloor(channel);
        return channel;
    }

    /** Waits that park until the budget is at the floor; returns how many it took. */
    private static int parkUntilFloor(AbstractChannel<?> channel) {
        int waits = 0;
        while (channel.platformSpins != AbstractChannel.MIN_PLATFORM_SPINS) {
            int budget = channel.spinsBeforePark(false);
            channel.adaptSpins(budget, false);
            waits++;
            if (waits > 10_000) {
                throw new AssertionError("the budget never reached the floor: " + channel.platformSpins);
            }
        }
        return waits;
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 16, 1_000_000})
    void parksShrinkTheBudgetToTheFloorAndCatchesGrowItToTheMaximum(int capacity) {
        AbstractChannel<?> channel = (AbstractChannel<?>)
                (capacity == 1_000_000
                        ? Channel.unbounded()
                        : capacity == 0 ? Channel.rendezvous() : Channel.buffered(capacity));
        assertEquals(AbstractChannel.MAX_PLATFORM_SPINS, channel.spinsBeforePark(false));
        int waits = parkUntilFloor(channel);
        assertTrue(waits > 1 && waits < 100, "waits from the maximum to the floor: " + waits);
        // Catches double the budget, capped at the maximum.
        int budget = AbstractChannel.MIN_PLATFORM_SPINS;
        while (budget < AbstractChannel.MAX_PLATFORM_SPINS) {
            channel.adaptSpins(budget, true);
            budget = Math.min(AbstractChannel.MAX_PLATFORM_SPINS, budget * 2);
            assertEquals(budget, channel.platformSpins);
        }
        channel.adaptSpins(budget, true);
        assertEquals(AbstractChannel.MAX_PLATFORM_SPINS, channel.platformSpins);
        // Virtual threads do not use the budget: they yield (VIRTUAL_YIELDS) where a batch can build up, or on a
        // rendezvous channel while its handoff spins catch (a score of 0 or more), and otherwise park at once.
        assertEquals(AbstractChannel.VIRTUAL_YIELDS, channel.spinsBeforePark(true));
        if (capacity == 0) {
            channel.handoffScore = -1;
            assertEquals(0, channel.spinsBeforePark(true), "a rendezvous channel whose spins miss: no yield");
            channel.handoffScore = 0;
            assertEquals(AbstractChannel.VIRTUAL_YIELDS, channel.spinsBeforePark(true));
        }
        assertEquals(0, ((AbstractChannel<?>) Channel.buffered(1)).spinsBeforePark(true), "buffered(1): no yield");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 16})
    void atTheFloorOneWaitPerGapProbesAndTheGapDoublesOnEachMissedProbe(int capacity) {
        AbstractChannel<?> channel = channelAtTheFloor(capacity);
        int expectedGap = AbstractChannel.MIN_PROBE_GAP;
        for (int probe = 0; probe < 12; probe++) {
            // gap - 1 ordinary floor waits that park, then the probe
            for (int i = 1; i < expectedGap; i++) {
                int budget = channel.spinsBeforePark(false);
                assertEquals(AbstractChannel.MIN_PLATFORM_SPINS, budget, "wait " + i + " before probe " + probe);
                channel.adaptSpins(budget, false);
            }
            int budget = channel.spinsBeforePark(false);
            assertEquals(AbstractChannel.PROBE_SPINS, budget, "probe " + probe + " after a gap of " + expectedGap);
            channel.adaptSpins(budget, false); // the probe missed: stays at the floor, the gap doubles
            assertEquals(AbstractChannel.MIN_PLATFORM_SPINS, channel.platformSpins);
            expectedGap = Math.min(AbstractChannel.MAX_PROBE_GAP, expectedGap * 2);
            assertEquals(expectedGap, channel.probeGap);
        }
        assertEquals(AbstractChannel.MAX_PROBE_GAP, channel.probeGap);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 16})
    void aProbeThatCatchesRestoresTheMaximumBudgetAndTheShortestGap(int capacity) {
        AbstractChannel<?> channel = channelAtTheFloor(capacity);
        int budget;
        int waits = 0;
        do {
            budget = channel.spinsBeforePark(false);
            if (budget != AbstractChannel.PROBE_SPINS) {
                channel.adaptSpins(budget, false);
            }
            waits++;
        } while (budget != AbstractChannel.PROBE_SPINS && waits < 100);
        assertEquals(AbstractChannel.PROBE_SPINS, budget, "no probe within 100 floor waits");
        channel.adaptSpins(budget, true);
        assertEquals(AbstractChannel.MAX_PLATFORM_SPINS, channel.platformSpins);
        assertEquals(AbstractChannel.MIN_PROBE_GAP, channel.probeGap);
        assertEquals(AbstractChannel.MAX_PLATFORM_SPINS, channel.spinsBeforePark(false));
    }

    @Test
    void aFreshRendezvousSpinsAndOneMissStopsItExceptForProbesThatThinOutWhileTheyMiss() {
        AbstractChannel<?> channel = channel(0);
        assertEquals(AbstractChannel.HANDOFF_SPINS, channel.handoffSpins());
        channel.handoffSpun(false, false);
        assertEquals(-AbstractChannel.HANDOFF_MISS, channel.handoffScore);
        int expectedGap = AbstractChannel.MIN_HANDOFF_PROBE_GAP;
        for (int round = 0; round < 10; round++) {
            for (int i = 1; i < expectedGap; i++) {
                assertEquals(0, channel.handoffSpins(), "refused wait " + i + " of round " + round);
            }
            assertEquals(AbstractChannel.HANDOFF_SPINS, channel.handoffSpins(), "the probe of round " + round);
            channel.handoffSpun(false, true); // the probe missed
            expectedGap = Math.min(AbstractChannel.MAX_HANDOFF_PROBE_GAP, expectedGap * 2);
            assertEquals(expectedGap, channel.handoffProbeGap);
        }
        assertEquals(AbstractChannel.MAX_HANDOFF_PROBE_GAP, channel.handoffProbeGap);
        assertEquals(AbstractChannel.HANDOFF_SCORE_MIN, channel.handoffScore);
    }

    @Test
    void catchesBankCreditUpToTheMaximumAndMissesSpendItFourAtATime() {
        AbstractChannel<?> channel = channel(0);
        for (int i = 0; i < 3 * AbstractChannel.HANDOFF_SCORE_MAX; i++) {
            channel.handoffSpun(true, false);
        }
        assertEquals(AbstractChannel.HANDOFF_SCORE_MAX, channel.handoffScore);
        int missesStillSpinning = 0;
        while (channel.handoffSpins() == AbstractChannel.HANDOFF_SPINS && missesStillSpinning < 100) {
            channel.handoffSpun(false, false);
            missesStillSpinning++;
        }
        // 16 -> 12 -> 8 -> 4 -> 0 -> -4: the fifth miss in a row stops the spin
        assertEquals(AbstractChannel.HANDOFF_SCORE_MAX / AbstractChannel.HANDOFF_MISS + 1, missesStillSpinning);
        for (int i = 0; i < 10; i++) {
            channel.handoffSpun(false, false);
        }
        assertEquals(AbstractChannel.HANDOFF_SCORE_MIN, channel.handoffScore);
    }

    @Test
    void probesThatCatchResetTheGapAndBringTheSpinBack() {
        AbstractChannel<?> channel = channel(0);
        for (int i = 0; i < 10; i++) {
            channel.handoffSpun(false, false);
        }
        channel.handoffProbeGap = AbstractChannel.MAX_HANDOFF_PROBE_GAP; // as after a run of missed probes
        assertEquals(AbstractChannel.HANDOFF_SCORE_MIN, channel.handoffScore);
        int probes = 0;
        int waits = 0;
        while (channel.handoffScore < 0 && waits < 100_000) {
            waits++;
            if (channel.handoffSpins() == AbstractChannel.HANDOFF_SPINS) {
                probes++;
                channel.handoffSpun(true, true); // the probe caught
                assertEquals(AbstractChannel.MIN_HANDOFF_PROBE_GAP, channel.handoffProbeGap);
            }
        }
        assertEquals(-AbstractChannel.HANDOFF_SCORE_MIN / AbstractChannel.HANDOFF_CATCH, probes);
        assertEquals(
                AbstractChannel.MAX_HANDOFF_PROBE_GAP + (probes - 1) * AbstractChannel.MIN_HANDOFF_PROBE_GAP, waits);
        assertEquals(AbstractChannel.HANDOFF_SPINS, channel.handoffSpins(), "spinning again at a score of 0");
    }
}
