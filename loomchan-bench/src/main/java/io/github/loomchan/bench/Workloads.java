package io.github.loomchan.bench;

/**
 * The drivers shared by the JVM peers: each moves a known number of items through {@link Pipe}s with fresh threads
 * and returns when every item arrived. Every item is the same object, so no boxing or allocation of items is
 * measured. Stateless and thread-safe.
 */
final class Workloads {
    /** The item moved everywhere. */
    static final Object ITEM = new Object();

    private Workloads() {}

    /** One producer puts {@code items}, one consumer takes them. */
    static void pair(Pipe pipe, int items, boolean virtual) throws InterruptedException {
        Crew crew = new Crew(virtual);
        crew.start(() -> produce(pipe, items));
        crew.start(() -> consume(pipe, items));
        crew.join();
    }

    /** {@code parties} producers each put {@code itemsEach}; {@code parties} consumers each take as many. */
    static void mpmc(Pipe pipe, int parties, int itemsEach) throws InterruptedException {
        Crew crew = new Crew(true);
        for (int i = 0; i < parties; i++) {
            crew.start(() -> produce(pipe, itemsEach));
            crew.start(() -> consume(pipe, itemsEach));
        }
        crew.join();
    }

    /**
     * A producer puts {@code items} into {@code pipes[0]}; a relay thread per link moves each item from {@code
     * pipes[i]} to {@code pipes[i + 1]}; a consumer takes them from the last pipe. Every item takes {@code
     * pipes.length} hops.
     */
    static void chain(Pipe[] pipes, int items) throws InterruptedException {
        Crew crew = new Crew(true);
        crew.start(() -> produce(pipes[0], items));
        for (int i = 0; i + 1 < pipes.length; i++) {
            Pipe in = pipes[i];
            Pipe out = pipes[i + 1];
            crew.start(() -> {
                for (int n = 0; n < items; n++) {
                    out.put(in.take());
                }
            });
        }
        crew.start(() -> consume(pipes[pipes.length - 1], items));
        crew.join();
    }

    /** Each pipe gets its own producer and consumer, moving {@code itemsEach}; all pairs run at once. */
    static void pairs(Pipe[] pipes, int itemsEach) throws InterruptedException {
        Crew crew = new Crew(true);
        for (Pipe pipe : pipes) {
            crew.start(() -> produce(pipe, itemsEach));
            crew.start(() -> consume(pipe, itemsEach));
        }
        crew.join();
    }

    private static void produce(Pipe pipe, int items) throws InterruptedException {
        for (int i = 0; i < items; i++) {
            pipe.put(ITEM);
        }
    }

    private static void consume(Pipe pipe, int items) throws InterruptedException {
        for (int i = 0; i < items; i++) {
            if (pipe.take() != ITEM) {
                throw new AssertionError("a foreign item arrived");
            }
        }
    }
}
