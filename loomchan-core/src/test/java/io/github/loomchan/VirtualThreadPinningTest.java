package io.github.loomchan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;

/**
 * Waiters never pin their carrier: virtual threads blocked in every kind of channel operation (get, put, timed
 * poll and offer, select, join, iteration) must not produce a {@code jdk.VirtualThreadPinned} JFR event for a park
 * (or monitor wait) inside loomchan. (On JDK 24+ {@code synchronized} no longer pins either, so this mostly guards against
 * native frames or {@code Object.wait} creeping in; the 100,000-thread test is the scale check.)
 */
class VirtualThreadPinningTest {

    @Test
    void virtualThreadsBlockedInChannelOperationsDoNotPinTheirCarrier() throws Exception {
        // Warm up first: class initialization and lambda linking pin briefly the first time (JVM behaviour, not a
        // channel waiting); the recorded round then sees only what the channel operations themselves do.
        exerciseBlockingOperations();
        Path file = Files.createTempFile("loomchan-pinning", ".jfr");
        try (Recording recording = new Recording()) {
            recording
                    .enable("jdk.VirtualThreadPinned")
                    .withThreshold(Duration.ZERO)
                    .withStackTrace();
            recording.start();
            exerciseBlockingOperations();
            recording.stop();
            recording.dump(file);
        }
        List<String> pinned = new ArrayList<>();
        for (RecordedEvent event : RecordingFile.readAllEvents(file)) {
            if (isPinnedWaitInLoomchan(event)) {
                pinned.add(event.toString());
            }
        }
        Files.deleteIfExists(file);
        assertEquals(List.of(), pinned, "virtual threads pinned inside loomchan");
    }

    /**
     * Whether the event is a virtual thread that parked (or waited on a monitor) while pinned, inside loomchan. Other
     * pinned events are the JVM's, not a waiter's: brief class initializations (the recording itself initializes
     * JFR's throwable tracer the first time a channel exception is created) and monitor enters inside the JDK.
     */
    private static boolean isPinnedWaitInLoomchan(RecordedEvent event) {
        if (event.getStackTrace() == null) {
            return false;
        }
        boolean waiting = false;
        boolean inLoomchan = false;
        for (RecordedFrame frame : event.getStackTrace().getFrames()) {
            String type = frame.getMethod().getType().getName();
            String method = frame.getMethod().getName();
            if ((type.equals("java.util.concurrent.locks.LockSupport") && method.startsWith("park"))
                    || (type.equals("java.lang.Object") && method.equals("wait"))) {
                waiting = true;
            }
            if (type.startsWith("io.github.loomchan.") && !type.contains("Test")) {
                inLoomchan = true;
            }
        }
        return waiting && inLoomchan;
    }

    private static void exerciseBlockingOperations() throws Exception {
        int each = 50;
        Channel<Integer> empty = Channel.buffered(4);
        Channel<Integer> full = Channel.buffered(1);
        Channel<Integer> rendezvous = Channel.rendezvous();
        full.putNowait(-1);
        List<CompletableFuture<Object>> waiting = new ArrayList<>();
        for (int i = 0; i < each; i++) {
            int item = i;
            waiting.add(start(empty::get));
            waiting.add(start(() -> empty.poll(Duration.ofMinutes(5))));
            waiting.add(start(() -> Select.select(empty.onGet(x -> x), rendezvous.onGet(x -> x))));
            waiting.add(start(() -> empty.iterator().hasNext()));
            waiting.add(start(() -> {
                full.put(item);
                return null;
            }));
            waiting.add(start(() -> full.offer(item, Duration.ofMinutes(5))));
            waiting.add(start(() -> {
                empty.join();
                return null;
            }));
        }
        // every one of them queued: 4 getter styles on empty (select registers there too), 2 putter styles on full
        Waits.untilQueued(empty, 0, 4 * each, each);
        Waits.untilQueued(full, 2 * each, 0, 0);
        for (int i = 0; i < 3 * each; i++) {
            empty.put(i);
        }
        full.close();
        empty.close();
        rendezvous.close();
        for (CompletableFuture<Object> future : waiting) {
            future.handle((value, failure) -> null).get(Waits.LONG.toMillis(), TimeUnit.MILLISECONDS);
        }
        assertTrue(empty.isDone());
    }

    private static CompletableFuture<Object> start(Actor.Body<Object> body) {
        CompletableFuture<Object> result = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try {
                result.complete(body.run());
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        });
        return result;
    }
}
