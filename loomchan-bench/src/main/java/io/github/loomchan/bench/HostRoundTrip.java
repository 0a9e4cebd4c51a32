package io.github.loomchan.bench;

import java.util.Arrays;

/**
 * Prints the cache-line round trip between two platform threads right now, in ns (the median of five measurements
 * of {@link InProcessAb#roundTrip}). bench/run records it at the start and the end of a run: on the 2-CPU cloud
 * machines here the host moves the CPUs, and a round trip of 30, 70, 300 or more ns changes every cross-core
 * handoff in the table (performance notes section 21).
 */
public final class HostRoundTrip {
    private HostRoundTrip() {}

    /** Prints one number, the median round trip in ns. */
    public static void main(String[] args) throws InterruptedException {
        InProcessAb.roundTrip(200_000); // warm-up: compiles the loops
        double[] samples = new double[5];
        for (int i = 0; i < samples.length; i++) {
            samples[i] = InProcessAb.roundTrip(200_000);
        }
        Arrays.sort(samples);
        System.out.printf("%.0f%n", samples[samples.length / 2]);
    }
}
