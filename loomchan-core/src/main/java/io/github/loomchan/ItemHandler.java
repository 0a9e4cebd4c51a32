package io.github.loomchan;

/**
 * What a consumer does with one item (or one batch): the body of {@link Pipeline#forEach}, of the workers of {@link
 * ChannelScope#workers} and {@link Pipeline#forEachParallel}, and of {@link Pipeline#forEachBatch}.
 *
 * <p>Unlike {@link java.util.function.Consumer} it may throw checked exceptions; whatever it throws fails the
 * surrounding scope or pipeline, which stops every other thread and reports that exception, once, as the cause of a
 * {@link PipelineException}.
 *
 * @param <T> the item type
 */
@FunctionalInterface
public interface ItemHandler<T> {
    /**
     * Handles one item.
     *
     * @param item the item, never null
     * @throws Exception any failure; it fails the surrounding scope or pipeline
     */
    void handle(T item) throws Exception;
}
