package io.github.loomchan;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Starts pipeline stages: threads that read one channel, apply a step to each item and write the results to a new
 * channel owned by the scope.
 */
final class Stages {
    /*
     * Overview
     *
     * Sequential or unordered (parallelism N >= 1, N = 1 is necessarily ordered):
     *
     *     in ──► worker 1 ──┐
     *        ──► worker 2 ──┼──► out        every worker takes from `in` and puts its results into `out`;
     *        ──► worker N ──┘               the last worker to finish normally closes `out`.
     *
     * Ordered (N > 1):
     *
     *     in ──► dispatcher ──► jobs(item, future) ──► worker 1..N ──completes future──┐
     *                      └──► pending(future) ─────────────────────────► collector ◄──┘──► out
     *
     * The dispatcher gives each input a future and queues the future on `pending` before handing the job to the
     * workers; the collector takes futures from `pending` in input order, waits for each and writes its results. The
     * bounded `pending` channel (capacity N) bounds the items in progress.
     *
     * Closing and failure. Each writer closes its output normally only after it finished normally. A thread that fails
     * records the failure in the scope *before* anything else, and the scope closes every owned channel (`jobs`,
     * `pending`, `out`) with the cause and interrupts every thread; so no channel downstream of a failure can be closed
     * normally, and every blocked thread wakes up.
     */

    private Stages() {}

    /** What a stage does with one item: puts zero or more results. */
    @FunctionalInterface
    interface Step<T, R> {
        void apply(T item, Sink<R> out) throws Exception;
    }

    static <T, R> Channel<R> start(
            ChannelScope scope, Channel<? extends T> in, StageOptions options, Step<? super T, R> step) {
        if (options.parallelism() == 1 || !options.isOrdered()) {
            return startUnordered(scope, in, options, step);
        }
        return startOrdered(scope, in, options, step);
    }

    private static <T, R> Channel<R> startUnordered(
            ChannelScope scope, Channel<? extends T> in, StageOptions options, Step<? super T, R> step) {
        Channel<R> out = scope.newChannel(options.capacity());
        AtomicInteger remaining = new AtomicInteger(options.parallelism());
        for (int i = 0; i < options.parallelism(); i++) {
            scope.forkMember(
                    () -> {
                        T item;
                        while ((item = PatternSupport.take(in)) != null) {
                            step.apply(item, out::put);
                        }
                    },
                    remaining,
                    out);
        }
        return out;
    }

    private record Job<T, R>(T item, CompletableFuture<List<R>> results) {}

    private static <T, R> Channel<R> startOrdered(
            ChannelScope scope, Channel<? extends T> in, StageOptions options, Step<? super T, R> step) {
        int workers = options.parallelism();
        Channel<R> out = scope.newChannel(options.capacity());
        Channel<CompletableFuture<List<R>>> pending = scope.newChannel(workers);
        Channel<Job<T, R>> jobs = scope.newChannel(workers);

        scope.fork(
                () -> { // dispatcher
                    T item;
                    while ((item = PatternSupport.take(in)) != null) {
                        CompletableFuture<List<R>> results = new CompletableFuture<>();
                        pending.put(results);
                        jobs.put(new Job<>(item, results));
                    }
                    jobs.close();
                    pending.close();
                });
        for (int i = 0; i < workers; i++) {
            scope.fork(() -> {
                Job<T, R> job;
                while ((job = PatternSupport.take(jobs)) != null) {
                    List<R> results = new ArrayList<>();
                    try {
                        step.apply(job.item(), results::add);
                    } catch (Throwable failed) {
                        scope.fail(failed); // first: the collector must not be the one to report it
                        job.results().completeExceptionally(failed);
                        return;
                    }
                    job.results().complete(results);
                }
            });
        }
        scope.fork(
                () -> { // collector
                    CompletableFuture<List<R>> next;
                    while ((next = PatternSupport.take(pending)) != null) {
                        List<R> results;
                        try {
                            results = next.get();
                        } catch (ExecutionException failed) {
                            return; // the worker has already failed the scope with the cause
                        }
                        for (R result : results) {
                            out.put(result);
                        }
                    }
                    out.close();
                });
        return out;
    }
}
