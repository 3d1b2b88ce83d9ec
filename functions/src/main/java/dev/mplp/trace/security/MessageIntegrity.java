package dev.mplp.trace.security;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * {@code security.integrity_check}: {@code hmac-sha256:} followed by the 64 lowercase hex digits of the
 * HMAC-SHA256 of {@link CanonicalJson#signedForm} under the key of {@code sender.sender_id}.
 */
public final class MessageIntegrity {

    public static final String PREFIX = "hmac-sha256:";
    private static final String ALGORITHM = "HmacSHA256";
    private static final HexFormat HEX = HexFormat.of();

    private final IntegrityKeys keys;

    public MessageIntegrity(IntegrityKeys keys) {
        this.keys = keys;
    }

    /**
     * Checks an envelope that has a textual {@code sender.sender_id}.
     *
     * @return null when the check holds, else why not (names no secret)
     */
    public String failure(JsonNode envelope) {
        String senderId = envelope.path("sender").path("sender_id").asText();
        JsonNode check = envelope.path(CanonicalJson.SECURITY_FIELD).path("integrity_check");
        if (!check.isTextual()) {
            return "no security.integrity_check";
        }
        String value = check.textValue();
        if (!value.startsWith(PREFIX) || value.length() != PREFIX.length() + 64) {
            return "security.integrity_check is not hmac-sha256: and 64 lowercase hex digits";
        }
        if (!isLowercaseHex(value, PREFIX.length())) {
            return "security.integrity_check is not hmac-sha256: and 64 lowercase hex digits";
        }
        byte[] claimed = HEX.parseHex(value, PREFIX.length(), value.length());
        byte[] key = keys.key(senderId);
        if (key == null) {
            return "no key for sender_id \"" + senderId + "\"";
        }
        // constant time: an attacker learns nothing from how long the comparison took
        return MessageDigest.isEqual(claimed, hmac(key, CanonicalJson.signedForm(envelope)))
                ? null
                : "security.integrity_check does not match the message";
    }

    /** The format is lowercase (as written by {@link #sign}); {@link HexFormat#parseHex} would take either case. */
    private static boolean isLowercaseHex(String value, int from) {
        for (int i = from; i < value.length(); i++) {
            char c = value.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                return false;
            }
        }
        return true;
    }

    /** Sets {@code security.integrity_check} of a message (creating {@code security} if needed). */
    public static void sign(ObjectNode envelope, byte[] key) {
        String check = PREFIX + HEX.formatHex(hmac(key, CanonicalJson.signedForm(envelope)));
        JsonNode security = envelope.get(CanonicalJson.SECURITY_FIELD);
        ObjectNode target = security instanceof ObjectNode object
                ? object
                : envelope.putObject(CanonicalJson.SECURITY_FIELD);
        target.put("integrity_check", check);
    }

    static byte[] hmac(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(new SecretKeySpec(key, ALGORITHM));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
