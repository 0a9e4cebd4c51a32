package io.github.loomchan;

import static io.github.loomchan.PatternThreads.assertRange;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Many short random pipelines (stage shapes, capacities, a failure in a random stage at a random item, or a caller
 * interrupted at a random moment), each checked for: the exact outcome, no item lost or duplicated, and no thread
 * left. Scaled by the {@code loomchan.stress.scale} system property.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PatternStressTest {
    private static final int SCALE = Integer.getInteger("loomchan.stress.scale", 1);
    private static final int ITEMS = 200;

    private static StageOptions randomOptions(SplittableRandom random) {
        StageOptions options = StageOptions.parallel(1 + random.nextInt(4)).capacity(random.nextInt(5));
        return random.nextBoolean() ? options : options.unordered();
    }

    @Test
    void randomPipelinesWithRandomFailuresEndCleanly() throws InterruptedException {
        SplittableRandom random = new SplittableRandom(42);
        for (int run = 0; run < 150 * SCALE; run++) {
            PatternThreads threads = random.nextBoolean() ? PatternThreads.virtual() : PatternThreads.platform();
            int stages = 1 + random.nextInt(3);
            int failingStage = random.nextInt(stages + 1); // == stages: no failure
            int failingItem = random.nextInt(ITEMS);
            RuntimeException failure = new RuntimeException("run " + run + " stage " + failingStage);
            boolean ordered = true;
            Pipeline<Integer> pipeline = Pipeline.produce(random.nextInt(4), out -> {
                for (int i = 0; i < ITEMS; i++) {
                    out.put(i);
                }
            });
            for (int s = 0; s < stages; s++) {
                StageOptions options = randomOptions(random);
                ordered &= options.isOrdered() || options.parallelism() == 1;
                int stage = s;
                pipeline = pipeline.map(options, i -> {
                    if (stage == failingStage && i == failingItem) {
                        throw failure;
                    }
                    return i;
                });
            }
            List<Integer> handled = new ArrayList<>();
            String context = "run " + run + ": " + stages + " stages, failing stage " + failingStage;
            try {
                pipeline.withThreadFactory(threads).forEach(handled::add);
                assertEquals(stages, failingStage, context + ": finished without the failure");
                if (!ordered) {
                    Collections.sort(handled);
                }
                assertRange(ITEMS, handled);
            } catch (PipelineException e) {
                assertSame(failure, e.getCause(), context);
                assertTrue(!handled.contains(failingItem), context);
                assertEquals(handled.size(), handled.stream().distinct().count(), context + ": duplicates");
                if (ordered) {
                    assertRange(handled.size(), handled);
                }
            }
            threads.assertAllTerminatedNow(1 + stages);
        }
    }

    @Test
    void callerInterruptedAtARandomMomentLeavesNoThread() throws Exception {
        SplittableRandom random = new SplittableRandom(7);
        for (int run = 0; run < 60 * SCALE; run++) {
            PatternThreads threads = PatternThreads.virtual();
            StageOptions options = randomOptions(random);
            int interruptAfter = random.nextInt(ITEMS);
            List<Integer> handled = new ArrayList<>();
            CompletableFuture<Throwable> outcome = new CompletableFuture<>();
            Thread caller = Thread.ofVirtual().start(() -> {
                try {
                    Pipeline.<Integer>produce(2, out -> {
                                for (int i = 0; ; i++) {
                                    out.put(i);
                                }
                            })
                            .map(options, i -> i)
                            .withThreadFactory(threads)
                            .forEach(item -> {
                                handled.add(item);
                                if (handled.size() == interruptAfter + 1) {
                                    Thread.currentThread().interrupt(); // as if interrupted from outside, now
                                }
                            });
                    outcome.complete(null);
                } catch (Throwable e) {
                    outcome.complete(e);
                }
            });
            Throwable thrown = outcome.get(30, TimeUnit.SECONDS);
            caller.join();
            if (!(thrown instanceof InterruptedException)) {
                fail("run " + run + ": expected InterruptedException, got " + thrown);
            }
            threads.assertAllTerminatedNow(2);
            assertEquals(interruptAfter + 1, handled.size(), "the caller stopped at its next item");
            if (options.isOrdered() || options.parallelism() == 1) {
                assertRange(handled.size(), handled);
            } else {
                assertEquals(handled.size(), handled.stream().distinct().count());
            }
        }
    }
}
