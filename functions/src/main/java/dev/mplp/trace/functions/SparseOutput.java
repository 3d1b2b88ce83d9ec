package dev.mplp.trace.functions;

import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * For the operators whose output is sparse next to the messages (windows, pattern matches, incidents, alerts): each
 * record and each watermark they emit leaves at once, instead of waiting in a network buffer until it fills or
 * {@code execution.buffer-timeout.interval} ends.
 *
 * <p>Why: an alert leaves the lifecycle only once the watermark has passed its event time on every input, and one of
 * those inputs is at the end of the longest chain of shuffles in the job (span session, RED windows, empty windows,
 * baselines, degradation-trend pattern, its incidents, silences, lifecycle). A buffer that sparse output never fills
 * holds the watermark behind it for the whole timeout, on every edge of that chain: up to seven timeouts added to
 * every alert (100 ms each by default). Flushing costs one small buffer per record or watermark these operators
 * emit, few next to the messages ({@code .setBufferTimeout(SparseOutput.bufferTimeout(env))} after their name and uid);
 * the message-rate edges keep the timeout, where buffers fill.
 */
public final class SparseOutput {

    private SparseOutput() {}

    /**
     * The buffer timeout for such an operator ({@code setBufferTimeout}): 0, a flush after every record and
     * watermark, in a streaming run; none in a batch run, whose blocking exchanges take no timeout (Flink refuses one)
     * and whose records wait for the end of their input anyway.
     */
    public static long bufferTimeout(StreamExecutionEnvironment env) {
        return env.getConfiguration().get(ExecutionOptions.RUNTIME_MODE) == RuntimeExecutionMode.STREAMING
                ? 0
                : ExecutionOptions.DISABLED_NETWORK_BUFFER_TIMEOUT;
    }
}
