package io.github.loomchan.examples;

import io.github.loomchan.Channel;
import io.github.loomchan.Channels;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;

/**
 * A batch consumer: events arrive in bursts; the consumer writes them to a file in batches of at most 20, waiting at
 * most 50 ms to fill a batch once it has its first event. It never sleeps on an empty channel and never spins; the
 * loop ends when the producer is finished and every event was written.
 *
 * <p>Run: {@code ./mvnw -q compile exec:exec -Dexample=BatchWriter}
 */
public final class BatchWriter {
    private BatchWriter() {}

    /**
     * Runs the example, writing to a temporary file.
     *
     * @param args ignored
     * @throws Exception if interrupted or the file cannot be written
     */
    public static void main(String[] args) throws Exception {
        Path file = Files.createTempFile("loomchan-batches-", ".log");
        file.toFile().deleteOnExit();
        run(file, System.out);
    }

    /**
     * Produces 95 events in bursts and writes them to {@code file} in batches.
     *
     * @param file the file to append to
     * @param out where to print
     * @return the number of batches written
     * @throws IOException if the file cannot be written
     * @throws InterruptedException if interrupted
     */
    static int run(Path file, PrintStream out) throws IOException, InterruptedException {
        Channel<String> events = Channels.produce(100, sink -> {
            int id = 0;
            for (int burst : new int[] {45, 3, 30, 1, 16}) {
                for (int i = 0; i < burst; i++) {
                    sink.put("event " + ++id);
                }
                Thread.sleep(80); // a quiet moment between bursts
            }
        });
        int batches = 0;
        for (List<String> batch : Channels.batches(events, 20, Duration.ofMillis(50))) {
            Files.write(file, batch, StandardOpenOption.APPEND);
            batches++;
            out.printf(
                    "wrote batch %2d: %2d events (%s .. %s)%n", batches, batch.size(), batch.get(0), batch.getLast());
        }
        out.println("producer finished; " + Files.readAllLines(file).size() + " events in " + batches
                + " batches written to " + file);
        return batches;
    }
}
