package dev.mplp.trace.security;

import java.io.IOException;
import java.io.StringReader;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

/**
 * The HMAC-SHA256 key of each sender: from the key file ({@code SENDER_ID=BASE64_KEY} lines, properties syntax),
 * else from the environment variable {@link Secrets#hmacKeyVariable}, else the key file's {@link #ANY_SENDER}
 * entry (one key shared by every sender without its own). Never printed.
 */
public final class IntegrityKeys {

    /** The key-file entry used for senders without their own key. */
    public static final String ANY_SENDER = "*";

    private final Map<String, byte[]> fileKeys;
    private final Secrets secrets;

    private IntegrityKeys(Map<String, byte[]> fileKeys, Secrets secrets) {
        this.fileKeys = fileKeys;
        this.secrets = secrets;
    }

    /** @param keysFile the key file, or empty for the environment only */
    public static IntegrityKeys load(String keysFile, Secrets secrets) {
        Map<String, byte[]> keys = new HashMap<>();
        if (keysFile != null && !keysFile.isBlank()) {
            Properties lines = new Properties();
            try {
                lines.load(new StringReader(Secrets.readFile(keysFile, "security.integrity.keys-file")));
            } catch (IOException | IllegalArgumentException e) {
                throw new SecretException("security.integrity.keys-file " + keysFile + " is not a properties file");
            }
            for (String sender : lines.stringPropertyNames()) {
                byte[] key = Secrets.decodeBase64(lines.getProperty(sender),
                        "the key of sender " + sender + " in " + keysFile);
                requireLength(key, "the key of sender " + sender + " in " + keysFile);
                keys.put(sender, key);
            }
        }
        return new IntegrityKeys(keys, secrets);
    }

    /** The sender's key, or null when it has none. */
    public byte[] key(String senderId) {
        byte[] key = fileKeys.get(senderId);
        if (key != null) {
            return key;
        }
        String variable = Secrets.hmacKeyVariable(senderId);
        String value = secrets.variable(variable);
        if (value == null) {
            return fileKeys.get(ANY_SENDER);
        }
        key = Secrets.decodeBase64(value, variable);
        requireLength(key, variable);
        return key;
    }

    private static void requireLength(byte[] key, String what) {
        // RFC 2104: a key shorter than the hash output (32 bytes) weakens the HMAC
        if (key.length < 32) {
            throw new SecretException(what + " is shorter than 32 bytes");
        }
    }

    @Override
    public String toString() {
        return "IntegrityKeys{" + fileKeys.size() + " senders from file}";
    }
}
