package io.github.loomchan.bench;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Runs an asynchronous step {@code count} times, one after the other, without blocking a thread: while steps
 * complete at once it loops; when one is pending it returns and resumes on the executor when that step completes.
 * The steps run one at a time (each resumption happens after the previous step's completion), so the counter needs
 * no synchronization beyond the futures' own happens-before edges.
 */
abstract class AsyncLoop implements Runnable {
    private final Executor executor;
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    private int remaining;

    AsyncLoop(Executor executor, int count) {
        this.executor = executor;
        this.remaining = count;
    }

    /** Starts one asynchronous step; called {@code count} times in sequence. */
    abstract CompletableFuture<?> step();

    /** Starts the loop on the executor; the future completes after the last step, or with the first failure. */
    final CompletableFuture<Void> start() {
        executor.execute(this);
        return done;
    }

    @Override
    public final void run() {
        try {
            while (remaining > 0) {
                CompletableFuture<?> step = step();
                remaining--;
                if (!step.isDone()) {
                    step.whenCompleteAsync(this::resume, executor);
                    return;
                }
                step.join(); // completed: rethrows a failure at once
            }
            done.complete(null);
        } catch (RuntimeException e) {
            done.completeExceptionally(e);
        }
    }

    private void resume(Object result, Throwable failure) {
        if (failure != null) {
            done.completeExceptionally(failure);
        } else {
            run();
        }
    }
}
