package io.github.loomchan.verify.model;

import io.github.loomchan.ChannelClosedException;
import io.github.loomchan.ChannelEmptyException;
import io.github.loomchan.ChannelFullException;
import io.github.loomchan.verify.ChannelModel;
import io.github.loomchan.verify.ChannelOps;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

/**
 * Runs a sequence of {@link Command}s on one thread against a channel and against {@link ChannelModel}, comparing
 * them after every step: the step's result and the state of every future started so far (an async put or get is a
 * waiter in the model; the step that completes it in the model must complete the real future, with the same
 * result). Also generates random sequences and shrinks failing ones to a 1-minimal failing sequence (no single
 * command can be removed and still fail; delta debugging).
 */
public final class ModelRunner {
    /** The cause given to close(cause); recognised by identity. */
    static final Throwable CAUSE = new IllegalStateException("producer failed");

    private ModelRunner() {}

    /** The model's answer to a step, and what the real step must do: whether to issue it, which future to cancel. */
    private record Expectation(String result, boolean issue, int cancelId) {
        static Expectation of(String result) {
            return new Expectation(result, true, -1);
        }
    }

    /** Runs {@code commands} on a fresh channel; returns the first divergence, or empty if none. */
    public static Optional<String> divergence(Supplier<ChannelOps<Integer>> factory, List<Command> commands) {
        ChannelOps<Integer> channel = factory.get();
        ChannelModel model = new ChannelModel(channel.capacity());
        Map<Integer, CompletableFuture<?>> futures = new LinkedHashMap<>();
        Map<Integer, String> expectedFutures = new LinkedHashMap<>();
        for (int step = 0; step < commands.size(); step++) {
            Command command = commands.get(step);
            String actual;
            String expected;
            try {
                Expectation expectation = expect(command, step, model, expectedFutures);
                expected = expectation.result();
                actual = perform(command, step, channel, futures, expectation);
            } catch (RuntimeException | Error | InterruptedException e) {
                return Optional.of("step " + step + " " + command + " threw " + e);
            }
            for (ChannelModel.Completion c : model.takeCompletions()) {
                expectedFutures.put(
                        c.id(),
                        switch (c.how()) {
                            case TAKEN -> "done:ok";
                            case RECEIVED -> "done:" + c.item();
                            case CLOSED -> "failed:" + closed(model.closedWithCause());
                        });
            }
            if (!expected.equals(actual)) {
                return Optional.of("step " + step + " " + command + ": expected " + expected + " but was " + actual);
            }
            for (Map.Entry<Integer, CompletableFuture<?>> f : futures.entrySet()) {
                String state = futureState(f.getValue());
                String wanted = expectedFutures.get(f.getKey());
                if (!state.equals(wanted)) {
                    return Optional.of("after step " + step + " " + command + ": the future of step " + f.getKey()
                            + " is " + state + ", expected " + wanted);
                }
            }
        }
        return Optional.empty();
    }

    private static String closed(boolean withCause) {
        return withCause ? "closed(cause)" : "closed";
    }

    private static String closed(ChannelClosedException e) {
        if (e.getCause() == null) {
            return "closed";
        }
        return e.getCause() == CAUSE ? "closed(cause)" : "closed(wrong cause " + e.getCause() + ")";
    }

    private static String putStatus(ChannelModel model, int item, String ok, String full) {
        return switch (model.tryPut(item)) {
            case OK -> ok;
            case FULL -> full;
            case CLOSED -> closed(model.closedWithCause());
        };
    }

    private static String getStatus(ChannelModel model, String empty) {
        int item = model.tryGet();
        if (item == ChannelModel.EMPTY) {
            return empty;
        }
        return item == ChannelModel.DONE ? closed(model.closedWithCause()) : String.valueOf(item);
    }

    /** The model's answer for {@code command}; updates the model. */
    private static Expectation expect(Command command, int step, ChannelModel model, Map<Integer, String> futures) {
        int arg = command.arg();
        return switch (command.type()) {
            case OFFER, OFFER_ZERO_TIMEOUT -> Expectation.of(putStatus(model, arg, "true", "false"));
            case PUT_NOWAIT -> Expectation.of(putStatus(model, arg, "ok", "full"));
            case PUT_IF_READY ->
                model.canPut()
                        ? Expectation.of(putStatus(model, arg, "ok", "full"))
                        : new Expectation("skipped", false, -1);
            case POLL, POLL_ZERO_TIMEOUT -> Expectation.of(getStatus(model, "null"));
            case GET_NOWAIT -> Expectation.of(getStatus(model, "empty"));
            case GET_IF_READY ->
                model.canGet() ? Expectation.of(getStatus(model, "empty")) : new Expectation("skipped", false, -1);
            case PUT_ASYNC -> {
                if (model.canPut()) {
                    String status = putStatus(model, arg, "done:ok", "?");
                    futures.put(step, status.startsWith("closed") ? "failed:" + status : status);
                } else {
                    model.addPutter(step, arg);
                    futures.put(step, "pending");
                }
                yield Expectation.of("started");
            }
            case GET_ASYNC -> {
                if (model.canGet()) {
                    String status = getStatus(model, "?");
                    futures.put(step, status.startsWith("closed") ? "failed:" + status : "done:" + status);
                } else {
                    model.addGetter(step);
                    futures.put(step, "pending");
                }
                yield Expectation.of("started");
            }
            case CANCEL -> {
                List<Integer> pending = pendingIds(futures);
                if (pending.isEmpty()) {
                    yield new Expectation("nothing to cancel", false, -1);
                }
                int id = pending.get(Math.floorMod(arg, pending.size()));
                boolean withdrawn = model.withdraw(id);
                futures.put(id, "cancelled");
                yield new Expectation("cancel(" + withdrawn + ")", true, id);
            }
            case CLOSE -> {
                model.close(false);
                yield Expectation.of("ok");
            }
            case CLOSE_WITH_CAUSE -> {
                model.close(true);
                yield Expectation.of("ok");
            }
            case SIZE -> Expectation.of(String.valueOf(model.size()));
            case IS_EMPTY -> Expectation.of(String.valueOf(model.isEmpty()));
            case IS_FULL -> Expectation.of(String.valueOf(model.isFull()));
            case IS_CLOSED -> Expectation.of(String.valueOf(model.isClosed()));
            case IS_DONE -> Expectation.of(String.valueOf(model.isDone()));
            case SNAPSHOT -> Expectation.of(model.snapshot().toString());
            case DRAIN -> {
                List<Integer> moved = model.drain(arg);
                yield Expectation.of(moved.size() + ":" + moved);
            }
        };
    }

    private static List<Integer> pendingIds(Map<Integer, String> futures) {
        List<Integer> pending = new ArrayList<>();
        futures.forEach((id, state) -> {
            if (state.equals("pending")) {
                pending.add(id);
            }
        });
        return pending;
    }

    /** Performs {@code command} on the channel and describes the result in the model's words. */
    private static String perform(
            Command command,
            int step,
            ChannelOps<Integer> channel,
            Map<Integer, CompletableFuture<?>> futures,
            Expectation expectation)
            throws InterruptedException {
        int arg = command.arg();
        if (!expectation.issue()) {
            return expectation.result(); // the model says the call would wait (or has nothing to act on): skip it
        }
        try {
            return switch (command.type()) {
                case OFFER -> String.valueOf(channel.offer(arg));
                case OFFER_ZERO_TIMEOUT -> String.valueOf(channel.offer(arg, Duration.ZERO));
                case PUT_NOWAIT -> {
                    try {
                        channel.putNowait(arg);
                        yield "ok";
                    } catch (ChannelFullException e) {
                        yield "full";
                    }
                }
                case PUT_IF_READY -> {
                    channel.put(arg);
                    yield "ok";
                }
                case POLL -> String.valueOf(channel.poll());
                case POLL_ZERO_TIMEOUT -> String.valueOf(channel.poll(Duration.ZERO));
                case GET_NOWAIT -> {
                    try {
                        yield String.valueOf(channel.getNowait());
                    } catch (ChannelEmptyException e) {
                        yield "empty";
                    }
                }
                case GET_IF_READY -> String.valueOf(channel.get());
                case PUT_ASYNC -> {
                    futures.put(step, channel.putAsync(arg));
                    yield "started";
                }
                case GET_ASYNC -> {
                    futures.put(step, channel.getAsync());
                    yield "started";
                }
                case CANCEL -> "cancel(" + futures.get(expectation.cancelId()).cancel(true) + ")";
                case CLOSE -> {
                    channel.close();
                    yield "ok";
                }
                case CLOSE_WITH_CAUSE -> {
                    channel.close(CAUSE);
                    yield "ok";
                }
                case SIZE -> String.valueOf(channel.size());
                case IS_EMPTY -> String.valueOf(channel.isEmpty());
                case IS_FULL -> String.valueOf(channel.isFull());
                case IS_CLOSED -> String.valueOf(channel.isClosed());
                case IS_DONE -> String.valueOf(channel.isDone());
                case SNAPSHOT -> channel.snapshot().toString();
                case DRAIN -> {
                    List<Integer> target = new ArrayList<>();
                    int moved = channel.drainTo(target, arg);
                    yield moved + ":" + target;
                }
            };
        } catch (ChannelClosedException e) {
            return closed(e);
        }
    }

    private static String futureState(CompletableFuture<?> future) {
        if (!future.isDone()) {
            return "pending";
        }
        if (future.isCancelled()) {
            return "cancelled";
        }
        try {
            Object value = future.join();
            return value == null ? "done:ok" : "done:" + value;
        } catch (CompletionException e) {
            return e.getCause() instanceof ChannelClosedException closed
                    ? "failed:" + closed(closed)
                    : "failed:" + e.getCause();
        }
    }

    /** A random sequence of {@code length} commands; async commands only if the channel supports them. */
    public static List<Command> randomSequence(Random random, int length, boolean async) {
        Command.Type[] types = Command.Type.values();
        List<Command> commands = new ArrayList<>(length);
        int nextItem = 1;
        while (commands.size() < length) {
            Command.Type type = types[random.nextInt(types.length)];
            if (!async
                    && (type == Command.Type.PUT_ASYNC
                            || type == Command.Type.GET_ASYNC
                            || type == Command.Type.CANCEL)) {
                continue;
            }
            if ((type == Command.Type.CLOSE || type == Command.Type.CLOSE_WITH_CAUSE) && random.nextInt(4) != 0) {
                continue; // closes are rarer, or most of a sequence would run on a closed channel
            }
            int arg =
                    switch (type) {
                        case OFFER, PUT_NOWAIT, OFFER_ZERO_TIMEOUT, PUT_IF_READY, PUT_ASYNC -> nextItem++;
                        case DRAIN -> random.nextInt(4);
                        case CANCEL -> random.nextInt(8);
                        default -> 0;
                    };
            commands.add(new Command(type, arg));
        }
        return commands;
    }

    /**
     * Shrinks a failing sequence: removes chunks of halving size while the sequence still fails, then single
     * commands until none can be removed. The result fails and is 1-minimal.
     */
    public static List<Command> shrink(Supplier<ChannelOps<Integer>> factory, List<Command> failing) {
        List<Command> current = new ArrayList<>(failing);
        int chunk = Math.max(1, current.size() / 2);
        while (true) {
            boolean removed = false;
            for (int start = 0; start < current.size(); ) {
                List<Command> candidate = new ArrayList<>(current.subList(0, start));
                candidate.addAll(current.subList(Math.min(current.size(), start + chunk), current.size()));
                if (!candidate.equals(current) && divergence(factory, candidate).isPresent()) {
                    current = candidate;
                    removed = true;
                } else {
                    start += chunk;
                }
            }
            if (chunk == 1 && !removed) {
                return current;
            }
            if (!removed) {
                chunk = Math.max(1, chunk / 2);
            }
        }
    }
}
