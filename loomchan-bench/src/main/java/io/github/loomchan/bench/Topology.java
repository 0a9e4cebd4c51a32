package io.github.loomchan.bench;

/**
 * How the many-channel benchmarks connect their channels: a chain (each item crosses every channel) or independent
 * pairs (each channel has its own producer and consumer). Stateless; safe to share.
 */
enum Topology {
    /** {@link Workloads#chain}: items are counted per hop. */
    CHAIN {
        @Override
        void run(Pipe[] pipes, int items) throws InterruptedException {
            Workloads.chain(pipes, items);
        }

        @Override
        void run(KotlinChannels kotlin, int items) {
            kotlin.chain(items);
        }
    },
    /** {@link Workloads#pairs}: items are counted over all pairs. */
    PAIRS {
        @Override
        void run(Pipe[] pipes, int items) throws InterruptedException {
            Workloads.pairs(pipes, items);
        }

        @Override
        void run(KotlinChannels kotlin, int items) {
            kotlin.pairs(items);
        }
    };

    /** Runs the workload over {@code pipes}, one per channel. */
    abstract void run(Pipe[] pipes, int items) throws InterruptedException;

    /** Runs the workload over the Kotlin channels. */
    abstract void run(KotlinChannels kotlin, int items);

    /** {@code count} pipes, each made by {@code make}. */
    static Pipe[] pipes(int count, java.util.function.Supplier<Pipe> make) {
        Pipe[] pipes = new Pipe[count];
        for (int i = 0; i < count; i++) {
            pipes[i] = make.get();
        }
        return pipes;
    }
}
