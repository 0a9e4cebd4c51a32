package io.github.loomchan.verify.history;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.github.loomchan.verify.Budget;
import io.github.loomchan.verify.ChannelOps;
import io.github.loomchan.verify.NaiveChannel;
import io.github.loomchan.verify.RealChannelOps;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The blocking operations (put, get, timed offer/poll, async put/get with cancellation, join, close, interrupts) of
 * the real channel, in many short random scenarios on platform and virtual threads: every recorded history must be
 * linearizable ({@link LinearizabilityChecker}), no operation may be left waiting, no thread left running. The same
 * runner must reject deliberately broken channels.
 */
public class HistoryLinearizabilityTest {

    /** Outcomes recorded by the scenarios of the current test, to show their coverage. */
    private static final ThreadLocal<Set<Op.Outcome>> OUTCOMES_SEEN =
            ThreadLocal.withInitial(() -> EnumSet.noneOf(Op.Outcome.class));

    static Stream<Arguments> kinds() {
        List<Arguments> all = new ArrayList<>();
        for (int capacity : new int[] {0, 1, 2, 16, Integer.MAX_VALUE}) {
            all.add(Arguments.of(capacity, false));
            all.add(Arguments.of(capacity, true));
        }
        return all.stream();
    }

    /** Runs {@code scenarios} scenarios; returns the verdicts that rejected, and fails at once on run problems. */
    static List<String> runScenarios(
            IntFunction<ChannelOps<Integer>> factory, int capacity, boolean virtual, int scenarios, long seed) {
        ScenarioRunner runner = new ScenarioRunner(factory, virtual, seed);
        List<String> rejections = new ArrayList<>();
        for (int s = 0; s < scenarios; s++) {
            ScenarioRunner.Run run = runner.runOne(capacity, 4, 4, 2);
            run.history().forEach(op -> OUTCOMES_SEEN.get().add(op.outcome));
            LinearizabilityChecker.Verdict verdict = LinearizabilityChecker.check(capacity, run.history());
            if (!run.problems().isEmpty()) {
                rejections.add("scenario " + s + " (seed " + seed + ", " + run.description() + "): "
                        + String.join("\n", run.problems()) + "\n" + verdict.report());
            } else if (!verdict.linearizable()) {
                rejections.add(
                        "scenario " + s + " (seed " + seed + ", " + run.description() + "): " + verdict.report());
            }
        }
        return rejections;
    }

    @ParameterizedTest(name = "capacity {0}, virtual threads {1}")
    @MethodSource("kinds")
    @Timeout(value = 60, unit = TimeUnit.MINUTES)
    public void everyHistoryOfTheRealChannelIsLinearizable(int capacity, boolean virtual) {
        long seed = System.nanoTime();
        OUTCOMES_SEEN.get().clear();
        List<String> rejections = runScenarios(RealChannelOps::of, capacity, virtual, Budget.pick(600, 20_000), seed);
        if (!rejections.isEmpty()) {
            fail(rejections.size() + " rejected histories; the first:\n" + rejections.get(0));
        }
        // The scenarios must really exercise what they claim to: waiting, waking by close, withdrawals.
        Set<Op.Outcome> seen = OUTCOMES_SEEN.get();
        for (Op.Outcome needed : EnumSet.of(
                Op.Outcome.OK, Op.Outcome.ITEM, Op.Outcome.CLOSED, Op.Outcome.INTERRUPTED, Op.Outcome.CANCELLED)) {
            assertTrue(seen.contains(needed), "no operation ended " + needed + " in these scenarios: " + seen);
        }
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.MINUTES)
    public void theCorrectNaiveChannelIsAccepted() {
        long seed = System.nanoTime();
        for (int capacity : new int[] {1, 2}) {
            List<String> rejections = runScenarios(
                    c -> new NaiveChannel<>(c, NaiveChannel.Defect.NONE),
                    capacity,
                    false,
                    Budget.pick(100, 1_000),
                    seed);
            if (!rejections.isEmpty()) {
                fail("a correct channel was rejected:\n" + rejections.get(0));
            }
        }
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    public void aCloseThatForgetsAWaitingGetterIsRejected() {
        assertRejected(NaiveChannel.Defect.CLOSE_FORGETS_WAITERS, 1);
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    public void aCloseThatWakesItsWaitersLaterIsRejected() {
        assertRejected(NaiveChannel.Defect.CLOSE_WAKES_WAITERS_LATER, 1);
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    public void aNonAtomicOfferIsRejected() {
        assertRejected(NaiveChannel.Defect.NON_ATOMIC_OFFER, 1);
    }

    private static void assertRejected(NaiveChannel.Defect defect, int capacity) {
        long seed = System.nanoTime();
        int budget = 2_000; // scenarios until the first rejection; typically a few dozen
        for (int round = 0; round < budget / 50; round++) {
            List<String> rejections =
                    runScenarios(c -> new NaiveChannel<>(c, defect), capacity, round % 2 == 1, 50, seed + round);
            if (!rejections.isEmpty()) {
                System.out.println("[expected] " + defect + " caught after " + (round + 1) * 50
                        + " scenarios at most; the rejected history:\n" + rejections.get(0));
                return;
            }
        }
        fail("the history checker did not reject a channel with " + defect + " in " + budget + " scenarios");
    }
}
