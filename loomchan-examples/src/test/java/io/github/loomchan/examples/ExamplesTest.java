package io.github.loomchan.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.loomchan.PipelineException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Runs every example, so they cannot rot, and checks what they compute (not their timing). */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ExamplesTest {
    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);

    private String printed() {
        return printed.toString(StandardCharsets.UTF_8);
    }

    @Test
    void quickstartRuns() throws Exception {
        PrintStream original = System.out;
        System.setOut(out);
        try {
            Quickstart.main(new String[0]);
        } finally {
            System.setOut(original);
        }
        assertTrue(printed().contains("join returned"), printed());
    }

    @Test
    void fanInReceivesEveryReadingOfEverySensor() throws Exception {
        Map<String, Integer> perSensor = FanIn.run(out);
        assertEquals(Map.of("attic", 4, "garage", 6, "kitchen", 3), perSensor);
        assertTrue(printed().contains("all sensors finished"), printed());
    }

    @Test
    void ordersPipelineAggregatesTheSampleFile() throws Exception {
        Path file = SampleData.ordersFile();
        // The expected totals, computed here without any channel.
        Map<String, BigDecimal> expected = new java.util.TreeMap<>();
        for (String line : Files.readAllLines(file)) {
            if (!line.isBlank() && !line.startsWith("#")) {
                Order order = Order.parse(line);
                expected.merge(order.product(), order.total(), BigDecimal::add);
            }
        }
        assertEquals(5, expected.size());
        assertEquals(expected, OrdersPipeline.run(file, out));
        assertTrue(printed().contains("revenue per product"), printed());
    }

    @Test
    void batchWriterWritesEveryEventOnceInOrder(@TempDir Path directory) throws Exception {
        Path file = directory.resolve("events.log");
        Files.createFile(file);
        int batches = BatchWriter.run(file, out);
        List<String> lines = Files.readAllLines(file);
        assertEquals(IntStream.rangeClosed(1, 95).mapToObj(i -> "event " + i).toList(), lines);
        assertTrue(batches >= 5, "95 events in batches of at most 20 need at least 5 batches, got " + batches);
    }

    @Test
    void selectTimeoutReceivesEveryMessageOfBothChannels() throws Exception {
        List<String> received = SelectTimeout.run(out);
        assertEquals(7, received.size(), printed());
        assertEquals(
                List.of("fast #1", "fast #2", "fast #3", "fast #4", "fast #5"),
                received.stream().filter(m -> m.startsWith("fast")).toList());
        assertEquals(
                List.of("slow #1", "slow #2"),
                received.stream().filter(m -> m.startsWith("slow")).toList());
        assertTrue(printed().contains("both channels are done"), printed());
    }

    @Test
    void errorPropagationReportsTheParserFailureAndLeavesNoThread() throws Exception {
        PipelineException failure = ErrorPropagation.run(out);
        assertInstanceOf(IllegalArgumentException.class, failure.getCause());
        assertTrue(
                failure.getCause().getMessage().contains("two"),
                failure.getCause().getMessage());
        String text = printed();
        assertTrue(text.contains("consumer got c"), text);
        assertTrue(text.contains("connection reset by peer"), text);
        assertTrue(text.contains("threads of the pipeline still running: 0"), text);
    }
}
