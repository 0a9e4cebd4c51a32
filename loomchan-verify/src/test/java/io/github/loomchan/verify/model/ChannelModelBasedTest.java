package io.github.loomchan.verify.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.github.loomchan.verify.Budget;
import io.github.loomchan.verify.ChannelOps;
import io.github.loomchan.verify.NaiveChannel;
import io.github.loomchan.verify.RealChannelOps;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Model-based tests: random single-threaded sequences of every operation (async puts and gets, cancellations and
 * closes included), compared step by step with {@link io.github.loomchan.verify.ChannelModel}; a failing sequence
 * is shrunk to a 1-minimal one before it is reported.
 *
 * <p>(This is the property-based layer the issue asks of jqwik; it is written on plain JUnit, see docs/testing.md.)
 */
public class ChannelModelBasedTest {

    private static Optional<List<Command>> findFailure(
            Supplier<ChannelOps<Integer>> factory, boolean async, int sequences, long seed) {
        Random random = new Random(seed);
        for (int i = 0; i < sequences; i++) {
            List<Command> commands = ModelRunner.randomSequence(random, 1 + random.nextInt(40), async);
            if (ModelRunner.divergence(factory, commands).isPresent()) {
                return Optional.of(commands);
            }
        }
        return Optional.empty();
    }

    @ParameterizedTest(name = "capacity {0}")
    @ValueSource(ints = {0, 1, 2, 16, Integer.MAX_VALUE})
    @Timeout(value = 60, unit = TimeUnit.MINUTES)
    public void randomSequencesAgreeWithTheModelStepByStep(int capacity) {
        long seed = System.nanoTime();
        Supplier<ChannelOps<Integer>> factory = () -> RealChannelOps.of(capacity);
        Optional<List<Command>> failure = findFailure(factory, true, Budget.pick(10_000, 200_000), seed);
        if (failure.isPresent()) {
            List<Command> minimal = ModelRunner.shrink(factory, failure.get());
            fail("seed " + seed + ": the channel diverges from the model; minimal sequence " + minimal + ": "
                    + ModelRunner.divergence(factory, minimal).orElseThrow());
        }
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.MINUTES)
    public void theCorrectNaiveChannelAgreesWithTheModel() {
        Supplier<ChannelOps<Integer>> factory = () -> new NaiveChannel<>(2, NaiveChannel.Defect.NONE);
        Optional<List<Command>> failure = findFailure(factory, false, Budget.pick(2_000, 50_000), 42);
        failure.ifPresent(f -> fail("a correct channel diverges: " + ModelRunner.shrink(factory, f)));
    }

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    public void aClosedFullChannelThatReportsFullIsCaughtAndShrunkToThreeSteps() {
        Supplier<ChannelOps<Integer>> factory =
                () -> new NaiveChannel<>(1, NaiveChannel.Defect.CLOSED_AND_FULL_REPORTS_FULL);
        List<Command> failing =
                findFailure(factory, false, 5_000, 7).orElseThrow(() -> new AssertionError("the defect was not found"));
        List<Command> minimal = ModelRunner.shrink(factory, failing);
        System.out.println("[expected] CLOSED_AND_FULL_REPORTS_FULL: " + failing.size() + " commands shrunk to "
                + minimal + ": " + ModelRunner.divergence(factory, minimal).orElseThrow());
        // fill the one slot, close, put again: nothing shorter can show the defect
        assertEquals(3, minimal.size(), minimal.toString());
        assertOneMinimal(factory, minimal);
    }

    private static void assertOneMinimal(Supplier<ChannelOps<Integer>> factory, List<Command> minimal) {
        assertTrue(ModelRunner.divergence(factory, minimal).isPresent());
        for (int i = 0; i < minimal.size(); i++) {
            List<Command> smaller = new ArrayList<>(minimal);
            smaller.remove(i);
            assertTrue(ModelRunner.divergence(factory, smaller).isEmpty(), "not minimal: " + smaller + " fails too");
        }
    }

    @Test
    public void theShrinkerKeepsAFailureAndRemovesEverythingElse() {
        // buffered(1) with the defect: the failure needs exactly OFFER, CLOSE, OFFER in that order
        Supplier<ChannelOps<Integer>> factory =
                () -> new NaiveChannel<>(1, NaiveChannel.Defect.CLOSED_AND_FULL_REPORTS_FULL);
        List<Command> noisy = List.of(
                new Command(Command.Type.SIZE, 0),
                new Command(Command.Type.OFFER, 1),
                new Command(Command.Type.IS_FULL, 0),
                new Command(Command.Type.SNAPSHOT, 0),
                new Command(Command.Type.CLOSE, 0),
                new Command(Command.Type.IS_DONE, 0),
                new Command(Command.Type.PUT_NOWAIT, 2),
                new Command(Command.Type.POLL, 0));
        assertTrue(ModelRunner.divergence(factory, noisy).isPresent());
        List<Command> minimal = ModelRunner.shrink(factory, noisy);
        assertEquals(
                List.of(
                        new Command(Command.Type.OFFER, 1),
                        new Command(Command.Type.CLOSE, 0),
                        new Command(Command.Type.PUT_NOWAIT, 2)),
                minimal);
    }
}
