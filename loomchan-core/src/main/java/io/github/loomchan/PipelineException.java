package io.github.loomchan;

/**
 * Reports that a {@link Pipeline} or a {@link ChannelScope} ended because of a failure; {@link #getCause()} is the
 * original exception, exactly as the failing producer, stage or consumer threw it.
 *
 * <p>The cause is one of:
 * <ul>
 *   <li>the exception thrown by a producer, a stage function, or an item handler (the first one: every later
 *       exception is a consequence of the shutdown it started and is not reported);
 *   <li>a {@link java.util.concurrent.TimeoutException} if a deadline passed ({@link Pipeline#withTimeout}, {@link
 *       ChannelScope#join(java.time.Duration)});
 *   <li>a {@link java.util.concurrent.CancellationException} if the scope was cancelled ({@link
 *       ChannelScope#cancel()}).
 * </ul>
 *
 * <p>By the time it is thrown, every thread the pipeline or scope started has finished.
 */
public final class PipelineException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what happened, for people
     * @param cause the original failure, not null
     */
    public PipelineException(String message, Throwable cause) {
        super(message, cause);
    }
}
