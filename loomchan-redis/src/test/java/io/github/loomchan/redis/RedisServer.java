package io.github.loomchan.redis;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * A real redis-server started by a test on a free 127.0.0.1 port (never another address), killed when the test is
 * done. Needs {@code redis-server} (Redis >= 7 or Valkey) on the PATH: locally the tests are skipped with a message
 * when it is missing; in CI ({@code CI=true}) they fail, so a missing install step cannot pass silently.
 */
final class RedisServer implements AutoCloseable {
    private static final InetAddress LOOPBACK = loopback();
    static final String INSTALL_HINT = "install it with: apt-get install -y redis-server";

    private final Path dir;
    private final List<String> extraArgs;
    final int port;
    private Process process;
    private int readyLines;

    private final boolean tls;

    private RedisServer(Path dir, int port, boolean tls, List<String> extraArgs) {
        this.dir = dir;
        this.port = port;
        this.tls = tls;
        this.extraArgs = extraArgs;
    }

    /** Skips (locally) or fails (CI=true) when redis-server is not installed. */
    static String executable() {
        String found = null;
        String path = System.getenv("PATH");
        for (String entry : (path == null ? "" : path).split(File.pathSeparator)) {
            for (String name : List.of("redis-server", "valkey-server")) {
                Path candidate = Path.of(entry, name);
                if (Files.isExecutable(candidate)) {
                    found = candidate.toString();
                    break;
                }
            }
            if (found != null) {
                break;
            }
        }
        if (found == null) {
            String message = "redis-server (or valkey-server) is not on the PATH; the loomchan-redis integration tests"
                    + " need a real server: " + INSTALL_HINT;
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                Assertions.fail(message);
            }
            // locally: skip, and say so where a person reads it (surefire shows a class skipped in @BeforeAll as
            // "Tests run: 0")
            System.err.println("[loomchan-redis] SKIPPED: " + message);
            Assumptions.abort(message);
        }
        return found;
    }

    /** Starts a server without persistence. */
    static RedisServer start(String... extraArgs) {
        return start(List.of("--save", "", "--appendonly", "no"), extraArgs);
    }

    /** Starts a server with AOF and fsync on every write: an acknowledged write survives kill -9. */
    static RedisServer startDurable(String... extraArgs) {
        return start(List.of("--save", "", "--appendonly", "yes", "--appendfsync", "always"), extraArgs);
    }

    private static RedisServer start(List<String> persistence, String... extraArgs) {
        return start(false, persistence, extraArgs);
    }

    /** Starts a server whose only port is a TLS port, with the given certificate and key. */
    static RedisServer startTls(Path cert, Path key) {
        return start(
                true,
                List.of("--save", "", "--appendonly", "no"),
                "--tls-cert-file",
                cert.toString(),
                "--tls-key-file",
                key.toString(),
                "--tls-ca-cert-file",
                cert.toString(),
                "--tls-auth-clients",
                "no");
    }

    private static RedisServer start(boolean tls, List<String> persistence, String... extraArgs) {
        executable();
        try {
            Path dir = Files.createTempDirectory("loomchan-redis-test");
            List<String> args = new ArrayList<>(persistence);
            args.addAll(List.of(extraArgs));
            RedisServer server = new RedisServer(dir, freePort(), tls, List.copyOf(args));
            server.launch();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String uri() {
        return "redis://127.0.0.1:" + port;
    }

    String uri(String user, String password) {
        return "redis://" + user + ":" + password + "@127.0.0.1:" + port;
    }

    /** kill -9: the server gets no chance to write anything more. */
    void kill() {
        process.destroyForcibly();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                Assertions.fail("redis-server did not die after SIGKILL");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Starts the server again on the same port and directory (so with AOF it reloads its data). */
    void restart() {
        launch();
    }

    private void launch() {
        List<String> command = new ArrayList<>(List.of(
                executable(),
                "--port",
                tls ? "0" : Integer.toString(port),
                "--tls-port",
                tls ? Integer.toString(port) : "0",
                "--bind",
                "127.0.0.1",
                "--dir",
                dir.toString(),
                "--daemonize",
                "no",
                "--logfile",
                ""));
        command.addAll(extraArgs);
        try {
            process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(
                            dir.resolve("server.log").toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                Assertions.fail("redis-server exited at start: " + log());
            }
            if (tls) {
                // a TLS port does not answer a plain PING: wait for the server to say it is ready
                if (log().split("Ready to accept connections", -1).length - 1 > readyLines) {
                    readyLines++;
                    return;
                }
            } else {
                String reply = ping();
                if (reply.startsWith("+PONG") || reply.startsWith("-NOAUTH")) {
                    return;
                }
            }
            try {
                Thread.sleep(20); // polling a starting server: there is nothing to wait on
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        Assertions.fail("redis-server did not answer PING within 20 s: " + log());
    }

    private String ping() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(LOOPBACK, port), 500);
            socket.setSoTimeout(1000);
            OutputStream out = socket.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[64];
            int n = in.read(buffer);
            return n <= 0 ? "" : new String(buffer, 0, n, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            return "";
        }
    }

    String log() {
        try {
            return Files.readString(dir.resolve("server.log"));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    @Override
    public void close() {
        if (process != null) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder())
                    .forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // a temp directory left behind is harmless
        }
    }

    private static InetAddress loopback() {
        try {
            return InetAddress.getByAddress(new byte[] {127, 0, 0, 1});
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(LOOPBACK, 0));
            return socket.getLocalPort();
        }
    }
}
