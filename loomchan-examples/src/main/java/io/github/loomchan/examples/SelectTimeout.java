package io.github.loomchan.examples;

import io.github.loomchan.Channel;
import io.github.loomchan.ChannelClosedException;
import io.github.loomchan.Channels;
import io.github.loomchan.Select;
import io.github.loomchan.SelectClause;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Go's {@code select} with a timeout: wait for whichever of two channels has a message first, and report when
 * neither had one for 50 ms. A channel that is closed and drained drops out of the select.
 *
 * <p>Run: {@code ./mvnw -q compile exec:exec -Dexample=SelectTimeout}
 */
public final class SelectTimeout {
    private SelectTimeout() {}

    /**
     * Runs the example.
     *
     * @param args ignored
     * @throws InterruptedException if interrupted
     */
    public static void main(String[] args) throws InterruptedException {
        run(System.out);
    }

    /**
     * Runs the example, printing to {@code out}.
     *
     * @param out where to print
     * @return the messages received, in the order received
     * @throws InterruptedException if interrupted
     */
    static List<String> run(PrintStream out) throws InterruptedException {
        Channel<String> fast = Channels.produce(0, sink -> {
            for (int i = 1; i <= 5; i++) {
                Thread.sleep(30);
                sink.put("fast #" + i);
            }
        });
        Channel<String> slow = Channels.produce(0, sink -> {
            for (int i = 1; i <= 2; i++) {
                Thread.sleep(140);
                sink.put("slow #" + i);
            }
        });
        List<String> received = new ArrayList<>();
        while (!fast.isDone() || !slow.isDone()) {
            List<SelectClause<String>> clauses = new ArrayList<>();
            if (!fast.isDone()) {
                clauses.add(fast.onGet(message -> message));
            }
            if (!slow.isDone()) {
                clauses.add(slow.onGet(message -> message));
            }
            clauses.add(Select.timeout(Duration.ofMillis(50), () -> null));
            try {
                String message = Select.select(clauses);
                if (message == null) {
                    out.println("timeout: no message within 50 ms");
                } else {
                    received.add(message);
                    out.println("received " + message);
                }
            } catch (ChannelClosedException closed) {
                out.println("a channel was closed and drained: " + (fast.isDone() ? "fast" : "slow"));
            }
        }
        out.println("both channels are done; received " + received.size() + " messages");
        return received;
    }
}
