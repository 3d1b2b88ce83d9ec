package dev.mplp.trace.config;

/** The configuration cannot be used; the message names the key and the problem. */
public class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
