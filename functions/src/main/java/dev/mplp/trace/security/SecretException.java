package dev.mplp.trace.security;

/** A secret is missing or unreadable. The message names where it was looked for, never the secret. */
public class SecretException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public SecretException(String message) {
        super(message);
    }
}
