package io.github.loomchan.bench;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;

/** {@link ManyChannels} over buffered channels; the bounded {@code java.util.concurrent} queues are the extra peers. */
public abstract class ManyBufferedChannels extends ManyChannels {
    @Param({"16", "100"})
    public int capacity;

    private Pipe[] arrayBlockingQueue;
    private Pipe[] linkedBlockingQueue;

    @Override
    int capacity() {
        return capacity;
    }

    @Override
    void setUpQueues(int count) {
        arrayBlockingQueue = Topology.pipes(count, () -> Pipe.arrayBlockingQueue(capacity));
        linkedBlockingQueue = Topology.pipes(count, () -> Pipe.linkedBlockingQueue(capacity));
    }

    @Benchmark
    public void arrayBlockingQueue() throws InterruptedException {
        topology().run(arrayBlockingQueue, items);
    }

    @Benchmark
    public void linkedBlockingQueue() throws InterruptedException {
        topology().run(linkedBlockingQueue, items);
    }
}
