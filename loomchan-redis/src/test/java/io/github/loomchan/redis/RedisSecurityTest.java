package io.github.loomchan.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lettuce.core.RedisURI;
import io.lettuce.core.SslOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Passwords, ACL users and TLS, against real servers configured for them. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RedisSecurityTest {
    private static final String PASSWORD = "s3cret-for-tests";

    @Test
    void requirepassAcceptsTheRightPasswordAndReportsAWrongOneClearly() throws Exception {
        try (RedisServer server = RedisServer.start("--requirepass", PASSWORD)) {
            try (RedisChannels redis = RedisChannels.connect("redis://" + PASSWORD + "@127.0.0.1:" + server.port)) {
                RedisChannel<String> channel = redis.open("guarded", 2, ItemCodec.utf8());
                channel.put("ok");
                assertEquals("ok", channel.get());
            }
            RedisChannelException wrong = assertThrows(
                    RedisChannelException.class,
                    () -> RedisChannels.connect("redis://not-the-password@127.0.0.1:" + server.port));
            assertTrue(wrong.getMessage().contains("refused the credentials"), wrong.getMessage());
            assertFalse(wrong.getMessage().contains("not-the-password"), "never print the password");
            RedisChannelException missing = assertThrows(
                    RedisChannelException.class, () -> RedisChannels.connect("redis://127.0.0.1:" + server.port));
            assertTrue(missing.getMessage().contains("refused the credentials"), missing.getMessage());
        }
    }

    @Test
    void aclUserWithAccessToTheChannelKeysOnlyWorksAndAWrongPasswordIsAClearError() throws Exception {
        // the user may touch only loomchan keys, run scripts and use pub/sub: what a channel needs
        try (RedisServer server = RedisServer.start(
                "--user",
                "default",
                "off",
                "--user",
                "app",
                "on",
                ">" + PASSWORD,
                "~{loomchan:*",
                "&{loomchan:*",
                "+@all",
                "-@dangerous")) {
            try (RedisChannels redis = RedisChannels.connect(server.uri("app", PASSWORD))) {
                RedisChannel<String> channel = redis.open("acl", 2, ItemCodec.utf8());
                channel.put("ok");
                assertEquals("ok", channel.get());
                channel.close();
                channel.join(); // pub/sub works for the user too
            }
            RedisChannelException wrong =
                    assertThrows(RedisChannelException.class, () -> RedisChannels.connect(server.uri("app", "wrong")));
            assertTrue(wrong.getMessage().contains("refused the credentials"), wrong.getMessage());
            assertTrue(RedisChannels.isAuthFailure(wrong), String.valueOf(wrong.getCause()));
            RedisChannelException unknownUser = assertThrows(
                    RedisChannelException.class, () -> RedisChannels.connect(server.uri("nobody", PASSWORD)));
            assertTrue(unknownUser.getMessage().contains("refused the credentials"), unknownUser.getMessage());
        }
    }

    @Test
    void tlsConnectionVerifiesTheServerCertificate(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path key = dir.resolve("server.key");
        Path cert = dir.resolve("server.crt");
        makeSelfSignedCertificate(key, cert);

        try (RedisServer server = RedisServer.startTls(cert, key)) {
            SslOptions trust = SslOptions.builder().trustManager(cert.toFile()).build();
            RedisURI uri = RedisURI.create("rediss://127.0.0.1:" + server.port);
            try (RedisChannels redis = RedisChannels.connect(uri, Duration.ofSeconds(5), trust)) {
                assertTrue(redis.endpoint().startsWith("rediss://"), redis.endpoint());
                RedisChannel<String> channel = redis.open("tls", 2, ItemCodec.utf8());
                channel.put("over tls");
                assertEquals("over tls", channel.get());
            }
            // without trusting the self-signed certificate, the handshake fails, and says so
            RedisChannelException untrusted =
                    assertThrows(RedisChannelException.class, () -> RedisChannels.connect(uri, Duration.ofSeconds(2)));
            assertTrue(untrusted.getMessage().contains("cannot connect"), untrusted.getMessage());
        }
    }

    private static void makeSelfSignedCertificate(Path key, Path cert) throws IOException, InterruptedException {
        Process openssl;
        try {
            openssl = new ProcessBuilder(List.of(
                            "openssl",
                            "req",
                            "-x509",
                            "-newkey",
                            "rsa:2048",
                            "-nodes",
                            "-days",
                            "1",
                            "-subj",
                            "/CN=127.0.0.1",
                            "-addext",
                            "subjectAltName=IP:127.0.0.1",
                            "-keyout",
                            key.toString(),
                            "-out",
                            cert.toString()))
                    .redirectErrorStream(true)
                    .start();
        } catch (IOException e) {
            Assumptions.abort("openssl is needed to make a test certificate: " + e);
            return;
        }
        String output = new String(openssl.getInputStream().readAllBytes());
        assertTrue(openssl.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, openssl.exitValue(), output);
        assertTrue(Files.size(cert) > 0);
    }
}
