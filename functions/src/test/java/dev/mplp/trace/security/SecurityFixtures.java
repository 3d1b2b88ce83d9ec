package dev.mplp.trace.security;

import dev.mplp.trace.config.SecurityConfig;
import dev.mplp.trace.config.SecurityConfig.Mode;
import dev.mplp.trace.config.SecurityConfig.PiiDetector;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/** Keys and security settings for tests: each key is 32 bytes of one repeated value, named by its use. */
public final class SecurityFixtures {

    public static final byte[] SENDER_KEY = key(1);
    public static final byte[] OTHER_KEY = key(2);
    public static final String PII_KEY = "pii-test-key-0123456789abcdef";
    public static final List<String> ATTRIBUTE_KEYS = List.of("user.id", "session.id", "context.user_id",
            "sender.authentication.token");

    private SecurityFixtures() {}

    public static byte[] key(int fill) {
        byte[] key = new byte[32];
        Arrays.fill(key, (byte) fill);
        return key;
    }

    public static String base64(byte[] key) {
        return Base64.getEncoder().encodeToString(key);
    }

    /** A keys file giving {@code senderId} {@link #SENDER_KEY}. */
    public static Path keysFile(Path dir, String senderId) {
        return write(dir.resolve("hmac-keys.properties"), senderId + "=" + base64(SENDER_KEY) + "\n");
    }

    public static Path write(Path file, String text) {
        try {
            return Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static SecurityConfig integrity(Mode mode, Path keysFile) {
        SecurityConfig off = SecurityConfig.disabled();
        return new SecurityConfig(new SecurityConfig.Integrity(mode, keysFile.toString()), off.authentication(),
                off.pii());
    }

    public static SecurityConfig authentication(Mode mode, Path jwksFile, String issuer, String audience) {
        SecurityConfig off = SecurityConfig.disabled();
        return new SecurityConfig(off.integrity(), new SecurityConfig.Authentication(
                mode, jwksFile.toString(), issuer, audience, Duration.ofSeconds(30), 100), off.pii());
    }

    public static SecurityConfig pii(Path keyFile) {
        SecurityConfig off = SecurityConfig.disabled();
        return new SecurityConfig(off.integrity(), off.authentication(), new SecurityConfig.Pii(
                true, keyFile.toString(), ATTRIBUTE_KEYS, List.of(PiiDetector.values())));
    }
}
