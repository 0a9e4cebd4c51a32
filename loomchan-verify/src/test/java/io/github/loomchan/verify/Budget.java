package io.github.loomchan.verify;

/**
 * The test budgets: short in the default build, larger under {@code -Pstress} (which sets the system property
 * {@code loomchan.verify.budget=stress}). Budgets are counts of scenarios or iterations, never time thresholds.
 */
public final class Budget {
    private Budget() {}

    /** Whether the soak profile is active. */
    public static boolean stress() {
        return "stress".equals(System.getProperty("loomchan.verify.budget", "short"));
    }

    /** {@code shortValue} in the default build, {@code stressValue} under -Pstress. */
    public static int pick(int shortValue, int stressValue) {
        return stress() ? stressValue : shortValue;
    }
}
