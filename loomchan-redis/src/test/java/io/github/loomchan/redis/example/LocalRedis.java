package io.github.loomchan.redis.example;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * For the example and the benchmark: uses the server named by the system property {@code redis.uri} or the
 * environment variable {@code LOOMCHAN_REDIS_URI}, or else starts
 * a throw-away {@code redis-server} on a free 127.0.0.1 port (no persistence) and stops it on {@link #close()}.
 */
final class LocalRedis implements AutoCloseable {
    final String uri;
    private final Process process;

    private LocalRedis(String uri, Process process) {
        this.uri = uri;
        this.process = process;
    }

    static LocalRedis startOrUse() throws IOException, InterruptedException {
        String given = System.getProperty("redis.uri", System.getenv("LOOMCHAN_REDIS_URI"));
        if (given != null && !given.isBlank()) {
            return new LocalRedis(given, null);
        }
        String executable = find();
        int port;
        InetAddress loopback = InetAddress.getByAddress(new byte[] {127, 0, 0, 1});
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(loopback, 0));
            port = socket.getLocalPort();
        }
        Path dir = Files.createTempDirectory("loomchan-redis-example");
        Process process = new ProcessBuilder(List.of(
                        executable,
                        "--port",
                        Integer.toString(port),
                        "--bind",
                        "127.0.0.1",
                        "--save",
                        "",
                        "--appendonly",
                        "no",
                        "--dir",
                        dir.toString()))
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("server.log").toFile())
                .start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(loopback, port), 200);
                break;
            } catch (IOException notYet) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    process.destroyForcibly();
                    throw new IOException("redis-server did not start; see " + dir.resolve("server.log"));
                }
                Thread.sleep(20); // waiting for a process to open its port: nothing to block on
            }
        }
        LocalRedis redis = new LocalRedis("redis://127.0.0.1:" + port, process);
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly));
        return redis;
    }

    private static String find() throws IOException {
        for (String entry : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            for (String name : List.of("redis-server", "valkey-server")) {
                if (Files.isExecutable(Path.of(entry, name))) {
                    return Path.of(entry, name).toString();
                }
            }
        }
        throw new IOException("redis-server is not installed (apt-get install -y redis-server),"
                + " or set LOOMCHAN_REDIS_URI=redis://host:port to use a running server");
    }

    @Override
    public void close() {
        if (process != null) {
            process.destroy();
            try {
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }
}
