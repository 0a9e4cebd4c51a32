package io.github.loomchan;

/**
 * A task run on its own thread by {@link ChannelScope#fork}.
 *
 * <p>Whatever it throws fails the scope: the scope records the first failure, closes the channels it owns with that
 * failure as cause, interrupts its other threads and reports the failure from {@link ChannelScope#join()}.
 */
@FunctionalInterface
public interface ScopedTask {
    /**
     * Runs the task.
     *
     * @throws Exception any failure; it fails the scope
     */
    void run() throws Exception;
}
