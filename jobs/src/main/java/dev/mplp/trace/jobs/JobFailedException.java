package dev.mplp.trace.jobs;

/**
 * A job that ended in failure, named by the exception at the bottom of Flink's chain of wrappers
 * ({@code ExecutionException}, {@code JobExecutionException}, the restart strategy's
 * {@code JobException}), which is what says what went wrong; the whole chain stays attached as the cause.
 */
public final class JobFailedException extends Exception {

    JobFailedException(String jobId, Throwable failure) {
        super("job " + jobId + " failed: " + rootCause(failure), failure);
    }

    private static Throwable rootCause(Throwable failure) {
        Throwable cause = failure;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause;
    }
}
