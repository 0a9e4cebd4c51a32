package io.github.loomchan.examples;

import io.github.loomchan.Channel;
import io.github.loomchan.Channels;
import io.github.loomchan.Producer;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Fan-in: three producers of different lengths write into one channel; the channel is closed exactly once, after the
 * last producer returned, so the consumer's loop ends by itself. No producer closes anything, so the one that
 * finishes first cannot cut off the others.
 *
 * <p>Run: {@code ./mvnw -q compile exec:exec -Dexample=FanIn}
 */
public final class FanIn {
    private FanIn() {}

    /**
     * Runs the example.
     *
     * @param args ignored
     * @throws InterruptedException if interrupted
     */
    public static void main(String[] args) throws InterruptedException {
        run(System.out);
    }

    /** A producer that reports {@code readings} measurements, one every {@code periodMillis}. */
    private static Producer<String> sensor(String name, int readings, long periodMillis) {
        return out -> {
            for (int i = 1; i <= readings; i++) {
                Thread.sleep(periodMillis); // a real sensor would block on I/O here
                out.put(name + " reading " + i);
            }
        };
    }

    /**
     * Runs the example, printing to {@code out}.
     *
     * @param out where to print
     * @return the number of readings received per sensor
     * @throws InterruptedException if interrupted
     */
    static Map<String, Integer> run(PrintStream out) throws InterruptedException {
        Channel<String> readings =
                Channels.fanIn(2, List.of(sensor("kitchen", 3, 20), sensor("garage", 6, 10), sensor("attic", 4, 15)));
        Map<String, Integer> perSensor = new TreeMap<>();
        for (String reading : readings) { // ends once all three sensors are finished and the channel is drained
            out.println("got " + reading);
            perSensor.merge(reading.substring(0, reading.indexOf(' ')), 1, Integer::sum);
        }
        out.println("all sensors finished; readings per sensor: " + perSensor + "; channel: " + readings);
        return perSensor;
    }
}
