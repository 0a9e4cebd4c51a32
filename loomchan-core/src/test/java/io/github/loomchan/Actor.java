package io.github.loomchan;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A test action running on its own thread (platform or virtual), whose result or failure the test collects with a
 * generous timeout, so that a deadlock fails the test with a thread dump instead of hanging it.
 *
 * @param <V> the result type
 */
final class Actor<V> {
    /** The body of an actor: may block and throw anything. */
    @FunctionalInterface
    interface Body<V> {
        V run() throws Exception;
    }

    final Thread thread;
    private final CompletableFuture<V> result = new CompletableFuture<>();

    private Actor(ThreadKind kind, String name, Body<V> body) {
        this.thread = kind.start(name, () -> {
            try {
                result.complete(body.run());
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        });
    }

    static <V> Actor<V> start(ThreadKind kind, String name, Body<V> body) {
        return new Actor<>(kind, name, body);
    }

    boolean isDone() {
        return result.isDone();
    }

    void interrupt() {
        thread.interrupt();
    }

    /** Waits for the actor to finish normally and returns its result; fails the test otherwise. */
    V join() {
        try {
            return result.get(Waits.LONG.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new AssertionError(thread.getName() + " failed", e.getCause());
        } catch (TimeoutException e) {
            throw new AssertionError(
                    thread.getName() + " did not finish within " + Waits.LONG + "\n" + ThreadDumps.dump(thread));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("test thread interrupted", e);
        }
    }

    /** Waits for the actor to fail and returns its exception, which must be of {@code type}. */
    <X extends Throwable> X joinFailure(Class<X> type) {
        try {
            V value = result.get(Waits.LONG.toMillis(), TimeUnit.MILLISECONDS);
            return fail(thread.getName() + " was expected to throw " + type.getSimpleName() + " but returned " + value);
        } catch (ExecutionException e) {
            return assertInstanceOf(type, e.getCause(), thread.getName() + " threw the wrong exception");
        } catch (TimeoutException e) {
            throw new AssertionError(
                    thread.getName() + " did not finish within " + Waits.LONG + "\n" + ThreadDumps.dump(thread));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("test thread interrupted", e);
        }
    }
}
