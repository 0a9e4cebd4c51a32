package io.github.loomchan.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import io.github.loomchan.Channel;
import java.util.concurrent.CompletableFuture;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

/**
 * Claim: a waiter appended while the last waiter of a rendezvous channel is being claimed and removed is never lost.
 * The queue has no sentinel (ADR 0006): removing its last waiter seals that waiter's link before head is set to null,
 * so an append racing with the removal either links behind the waiter before the seal (and head moves to it) or fails
 * on the seal and publishes itself at head. Here one getter waits; one actor hands it an item (claim and removal),
 * the other queues a second getter; afterwards the second getter must still be waiting, and an offer must reach it.
 */
@JCStressTest
@Outcome(
        id = "1, 1, 1",
        expect = ACCEPTABLE,
        desc = "the first getter got the first item, the second getter waited and got the second")
@Outcome(id = "1, 1, 0", expect = FORBIDDEN, desc = "the second getter was lost: linked behind a removed waiter")
@Outcome(expect = FORBIDDEN, desc = "anything else: an item lost, or handed to the wrong getter")
@State
public class AppendVersusRemovalStress {
    final Channel<Integer> channel = Channel.rendezvous();
    final CompletableFuture<Integer> first = channel.getAsync();
    CompletableFuture<Integer> second;

    @Actor
    public void putter() {
        channel.offer(1); // claims the first getter and removes it, the last waiter, from the front
    }

    @Actor
    public void getter() {
        second = channel.getAsync(); // appends behind the first getter, or, once it left, at head
    }

    @Arbiter
    public void arbiter(III_Result r) {
        r.r1 = first.getNow(-1) == 1 ? 1 : 0;
        boolean waiting = !second.isDone();
        boolean reached = channel.offer(2);
        r.r2 = waiting ? 1 : 0;
        r.r3 = reached && second.getNow(-1) == 2 ? 1 : 0;
    }
}
