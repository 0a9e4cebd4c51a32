package io.github.loomchan.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.loomchan.Channel;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Keeps {@code bench/ab}'s harness from rotting: every workload runs and moves its items (one that loses an item
 * hangs into the timeout), bad arguments are refused with a message, and a whole A/A run of two rounds completes
 * with two class loaders. Timings are not looked at.
 */
class InProcessAbTest {
    @Test
    @Timeout(120)
    void everyWorkloadRuns() throws InterruptedException {
        assertEquals(AbWorkloads.NAMES.size(), AbWorkloads.names().size());
        for (String name : AbWorkloads.names()) {
            double nanos = AbWorkloads.run(name, 2_000);
            assertTrue(nanos > 0 && Double.isFinite(nanos), name + " reported " + nanos + " ns per item");
        }
    }

    @Test
    void anUnknownWorkloadIsRefusedWithTheKnownOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AbWorkloads.run("rv2", 10));
        assertTrue(e.getMessage().contains("'rv2'") && e.getMessage().contains("pairsRv"), e.getMessage());
    }

    @Test
    void badArgumentsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> InProcessAb.main(new String[] {"2"}));
        assertThrows(
                IllegalArgumentException.class,
                () -> InProcessAb.main(new String[] {"2", "nope:10", "a=/no/such.jar", "b=/no/such.jar"}));
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> InProcessAb.main(new String[] {"2", "rv:10", "a=/no/such.jar", "b=/no/such.jar"}));
        assertTrue(e.getMessage().contains("a=/no/such.jar"), e.getMessage());
    }

    @Test
    @Timeout(120)
    void anAaRunOfTwoRoundsCompletesWithTwoLoaders() throws Exception {
        Path core = Path.of(Channel.class
                .getProtectionDomain()
                .getCodeSource()
                .getLocation()
                .toURI());
        assumeTrue(Files.isRegularFile(core), "loomchan-core is a jar on this class path (as in a Maven build)");
        PrintStream out = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            InProcessAb.main(new String[] {"2", "rv:2000,chainB16:5000", "a=" + core, "b=" + core});
        } finally {
            System.setOut(out);
        }
        String report = captured.toString(StandardCharsets.UTF_8);
        assertTrue(report.contains("round 2 chainB16"), report);
        assertTrue(report.lines().anyMatch(line -> line.startsWith("rv ")), report);
    }
}
