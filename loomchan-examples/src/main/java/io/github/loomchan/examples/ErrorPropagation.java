package io.github.loomchan.examples;

import io.github.loomchan.Channel;
import io.github.loomchan.ChannelClosedException;
import io.github.loomchan.Channels;
import io.github.loomchan.Pipeline;
import io.github.loomchan.PipelineException;
import io.github.loomchan.StageOptions;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * How failures travel: (1) a producer that throws closes its channel with the exception as cause, so the consumer
 * first gets every item sent and then the failure; (2) a stage of a pipeline that throws stops every stage, and the
 * caller gets the original exception once, after every thread has ended.
 *
 * <p>Run: {@code ./mvnw -q compile exec:exec -Dexample=ErrorPropagation}
 */
public final class ErrorPropagation {
    private ErrorPropagation() {}

    /**
     * Runs the example.
     *
     * @param args ignored
     * @throws Exception if the sample file cannot be written
     */
    public static void main(String[] args) throws Exception {
        run(System.out);
    }

    /**
     * Runs both parts, printing to {@code out}.
     *
     * @param out where to print
     * @return the failure the pipeline reported (its cause is the parser's exception)
     * @throws IOException if the sample file cannot be written
     * @throws InterruptedException if interrupted
     */
    static PipelineException run(PrintStream out) throws IOException, InterruptedException {
        out.println("1) a producer fails after sending 3 items");
        Channel<String> channel = Channels.produce(10, sink -> {
            sink.put("a");
            sink.put("b");
            sink.put("c");
            throw new UncheckedIOException(new IOException("connection reset by peer"));
        });
        try {
            for (String item : channel) {
                out.println("   consumer got " + item);
            }
        } catch (ChannelClosedException end) {
            out.println("   then the consumer saw the failure: " + end.getCause());
        }

        out.println("2) a pipeline stage fails on a corrupt line");
        Path file = SampleData.ordersFileWithCorruptLine(20, "2026-11-21T09:99:00,ada,coffee,two,3.50");
        AtomicInteger liveThreads = new AtomicInteger();
        ThreadFactory counting = task -> Thread.ofVirtual().unstarted(() -> {
            liveThreads.incrementAndGet();
            try {
                task.run();
            } finally {
                liveThreads.decrementAndGet();
            }
        });
        AtomicInteger parsed = new AtomicInteger();
        try {
            Pipeline.from(Files.lines(file))
                    .filter(line -> !line.startsWith("#"))
                    .map(StageOptions.parallel(4), Order::parse)
                    .withThreadFactory(counting)
                    .forEach(order -> parsed.incrementAndGet());
            throw new IllegalStateException("the corrupt line was not noticed");
        } catch (PipelineException failed) {
            out.println("   the pipeline stopped after " + parsed.get() + " orders reached the consumer");
            out.println("   caller got: " + failed.getCause());
            out.println("   threads of the pipeline still running: " + liveThreads.get());
            return failed;
        }
    }
}
