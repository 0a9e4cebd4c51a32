package io.github.loomchan.bench;

import org.openjdk.jmh.annotations.Benchmark;

/**
 * {@link ManyChannels} over rendezvous channels; SynchronousQueue (unfair and fair) and LinkedTransferQueue's
 * {@code transfer} are the extra peers.
 */
public abstract class ManyRendezvousChannels extends ManyChannels {
    private Pipe[] synchronousQueue;
    private Pipe[] synchronousQueueFair;
    private Pipe[] linkedTransferQueue;

    @Override
    int capacity() {
        return 0;
    }

    @Override
    void setUpQueues(int count) {
        synchronousQueue = Topology.pipes(count, Pipe::synchronousQueue);
        synchronousQueueFair = Topology.pipes(count, Pipe::synchronousQueueFair);
        linkedTransferQueue = Topology.pipes(count, Pipe::linkedTransferQueueTransfer);
    }

    @Benchmark
    public void synchronousQueue() throws InterruptedException {
        topology().run(synchronousQueue, items);
    }

    @Benchmark
    public void synchronousQueueFair() throws InterruptedException {
        topology().run(synchronousQueueFair, items);
    }

    @Benchmark
    public void linkedTransferQueue() throws InterruptedException {
        topology().run(linkedTransferQueue, items);
    }
}
