package dev.mplp.trace.config;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Keys of earlier versions that now have Flink's own names. Not aliases: a configuration that still uses one is
 * refused with a message naming the key to write instead, so that no file silently means two things.
 */
final class RenamedKeys {

    /** Old key to its new key (or keys, by restart strategy). */
    static final Map<String, String> OLD_TO_NEW = oldToNew();

    private RenamedKeys() {}

    /** The new key of {@code key}, or null if it was not renamed. */
    static String newKeyOf(String key) {
        return OLD_TO_NEW.get(key);
    }

    private static Map<String, String> oldToNew() {
        Map<String, String> keys = new LinkedHashMap<>();
        keys.put("job.name", "pipeline.name");
        keys.put("job.parallelism", "parallelism.default");
        keys.put("job.max-parallelism", "pipeline.max-parallelism");
        keys.put("job.buffer-timeout", "execution.buffer-timeout.interval");
        keys.put("checkpointing.interval", "execution.checkpointing.interval");
        keys.put("checkpointing.timeout", "execution.checkpointing.timeout");
        keys.put("checkpointing.min-pause", "execution.checkpointing.min-pause");
        keys.put("checkpointing.unaligned", "execution.checkpointing.unaligned.enabled");
        keys.put("state.backend", "state.backend.type");
        keys.put("state.incremental", "execution.checkpointing.incremental");
        keys.put("restart.strategy", "restart-strategy.type");
        keys.put("restart.delay",
                "restart-strategy.exponential-delay.initial-backoff (exponential-delay) or "
                        + "restart-strategy.fixed-delay.delay (fixed-delay)");
        keys.put("restart.max-delay", "restart-strategy.exponential-delay.max-backoff");
        keys.put("restart.attempts",
                "restart-strategy.fixed-delay.attempts (fixed-delay) or "
                        + "restart-strategy.exponential-delay.attempts-before-reset-backoff (exponential-delay)");
        keys.put("embedded.web-ui-port", "rest.port");
        keys.put("embedded.managed-memory", "taskmanager.memory.managed.size");
        return Map.copyOf(keys);
    }
}
