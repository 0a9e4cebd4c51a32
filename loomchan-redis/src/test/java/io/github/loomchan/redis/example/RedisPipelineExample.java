package io.github.loomchan.redis.example;

import io.github.loomchan.redis.ItemCodec;
import io.github.loomchan.redis.RedisChannel;
import io.github.loomchan.redis.RedisChannels;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One producer process and two consumer processes sharing a channel on one Redis: the producer puts 20 jobs into a
 * channel of capacity 4 (so it waits for the consumers) and closes it; each consumer iterates until the channel is
 * closed and drained and prints what it consumed.
 *
 * <p>Run it with {@code ./mvnw -q -pl loomchan-redis -am -DskipTests test-compile exec:exec
 * -Dredis.example=RedisPipelineExample} (it starts a
 * throw-away redis-server on a free 127.0.0.1 port, or uses {@code -Dredis.uri=redis://host:port}). Each role is
 * also a separate command: {@code producer URI CHANNEL COUNT} or {@code consumer URI CHANNEL NAME}.
 */
public final class RedisPipelineExample {
    private static final int JOBS = 20;

    private RedisPipelineExample() {}

    /**
     * Runs the whole example, or one role.
     *
     * @param args none for the whole example; or a role and its arguments
     * @throws Exception on failure
     */
    public static void main(String[] args) throws Exception {
        if (args.length == 4 && args[0].equals("producer")) {
            produce(args[1], args[2], Integer.parseInt(args[3]));
        } else if (args.length == 4 && args[0].equals("consumer")) {
            consume(args[1], args[2], args[3]);
        } else {
            orchestrate();
        }
    }

    private static void produce(String uri, String channelName, int count) throws InterruptedException {
        try (RedisChannels redis = RedisChannels.connect(uri)) {
            RedisChannel<String> jobs = redis.open(channelName, 4, ItemCodec.utf8());
            try {
                for (int i = 1; i <= count; i++) {
                    jobs.put("job-" + i); // waits while 4 jobs are queued or being worked on
                    System.out.println("put job-" + i);
                }
            } finally {
                jobs.close(); // always: the consumers wait for it
            }
        }
    }

    private static void consume(String uri, String channelName, String name) throws InterruptedException {
        try (RedisChannels redis = RedisChannels.connect(uri)) {
            RedisChannel<String> jobs = redis.open(channelName, 4, ItemCodec.utf8());
            List<String> mine = new ArrayList<>();
            for (String job : jobs) { // acknowledged when the next one is asked for; ends when closed and drained
                mine.add(job);
                System.out.println(name + " consumed " + job);
                Thread.sleep(30); // pretend to work, so both consumers get a share
            }
            System.out.println(name + " done: " + mine);
        }
    }

    private static void orchestrate() throws Exception {
        try (LocalRedis server = LocalRedis.startOrUse()) {
            String channel = "example-jobs-" + ProcessHandle.current().pid();
            System.out.println("Redis at " + server.uri + ", channel '" + channel + "'");
            String java = ProcessHandle.current().info().command().orElse("java");
            String classpath = System.getProperty("java.class.path");
            String main = RedisPipelineExample.class.getName();
            Map<String, Process> processes = new TreeMap<>();
            processes.put("consumer-A", start(java, classpath, main, "consumer", server.uri, channel, "consumer-A"));
            processes.put("consumer-B", start(java, classpath, main, "consumer", server.uri, channel, "consumer-B"));
            processes.put(
                    "producer", start(java, classpath, main, "producer", server.uri, channel, Integer.toString(JOBS)));
            Map<String, List<String>> consumed = new ConcurrentHashMap<>();
            List<Thread> readers = new ArrayList<>();
            for (Map.Entry<String, Process> entry : processes.entrySet()) {
                readers.add(Thread.ofVirtual().start(() -> {
                    try (BufferedReader reader = new BufferedReader(
                            new InputStreamReader(entry.getValue().getInputStream(), StandardCharsets.UTF_8))) {
                        String line;
                        while ((line = reader.readLine()) != null) {
                            System.out.println("[" + entry.getKey() + "] " + line);
                            if (line.contains(" consumed ")) {
                                consumed.computeIfAbsent(entry.getKey(), k -> new ArrayList<>())
                                        .add(line.substring(line.lastIndexOf(' ') + 1));
                            }
                        }
                    } catch (java.io.IOException e) {
                        System.out.println("[" + entry.getKey() + "] output lost: " + e);
                    }
                }));
            }
            for (Process process : processes.values()) {
                if (process.waitFor() != 0) {
                    throw new IllegalStateException("a process failed with exit code " + process.exitValue());
                }
            }
            for (Thread reader : readers) {
                reader.join();
            }
            int total = consumed.values().stream().mapToInt(List::size).sum();
            System.out.println();
            consumed.forEach((name, jobs) -> System.out.println(name + " consumed " + jobs.size() + ": " + jobs));
            System.out.println("total consumed: " + total + " of " + JOBS);
            try (RedisChannels redis = RedisChannels.connect(server.uri)) {
                redis.delete(channel);
            }
            if (total != JOBS) {
                throw new IllegalStateException("expected " + JOBS + " jobs consumed, got " + total);
            }
        }
    }

    private static Process start(String java, String classpath, String main, String... args)
            throws java.io.IOException {
        List<String> command = new ArrayList<>(List.of(java, "-cp", classpath, main));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(true).start();
    }
}
