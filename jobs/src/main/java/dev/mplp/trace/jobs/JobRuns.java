package dev.mplp.trace.jobs;

import java.io.PrintStream;
import java.util.Map;
import java.util.function.Function;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.configuration.DeploymentOptions;
import org.apache.flink.core.execution.JobClient;

/** Waits for a submitted job, printing its progress from its accumulators every few seconds. */
final class JobRuns {

    private JobRuns() {}

    /**
     * @return the run's summary, or null when the job was submitted detached (REST {@code /jars/:id/run},
     *     {@code flink run -d}): its client cannot wait for the result, the cluster runs it on its own
     */
    static RunSummary await(JobClient client, ReadableConfig configuration, PrintStream console) throws Exception {
        if (!configuration.get(DeploymentOptions.ATTACHED)) {
            console.println("Job " + client.getJobID() + " submitted detached: the cluster's web UI shows it");
            return null;
        }
        return await(client, console);
    }

    static RunSummary await(JobClient client, PrintStream console) throws Exception {
        return await(client, console, accumulators -> RunSummary.fromAccumulators(accumulators).progressLine(), false);
    }

    /**
     * @param progressLine the progress, from the job's accumulators so far; printed every few seconds while it
     *     runs
     * @param finalLine also print it once more from the final accumulators when the job has finished
     */
    static RunSummary await(JobClient client, PrintStream console, Function<Map<String, Object>, String> progressLine,
            boolean finalLine) throws Exception {
        return await(client, console, progressLine, finalLine, -1);
    }

    /** @param total messages the run will read, for the time left; -1 when not known */
    static RunSummary await(JobClient client, PrintStream console, Function<Map<String, Object>, String> progressLine,
            boolean finalLine, long total) throws Exception {
        ProgressLines lines = new ProgressLines(System.nanoTime(), total);
        ScheduledExecutorService progress = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "progress");
            thread.setDaemon(true);
            return thread;
        });
        progress.scheduleWithFixedDelay(
                () -> printProgress(client, console, progressLine, lines), 3, 3, TimeUnit.SECONDS);
        try {
            JobExecutionResult result;
            try {
                result = client.getJobExecutionResult().get();
            } catch (ExecutionException e) {
                throw new JobFailedException(String.valueOf(client.getJobID()), e.getCause());
            }
            progress.shutdownNow();
            if (finalLine) {
                console.println("  done: " + progressLine.apply(result.getAllAccumulatorResults()));
            }
            return RunSummary.fromAccumulators(result.getAllAccumulatorResults());
        } finally {
            progress.shutdownNow();
        }
    }

    private static void printProgress(JobClient client, PrintStream console,
            Function<Map<String, Object>, String> progressLine, ProgressLines lines) {
        try {
            Map<String, Object> accumulators = client.getAccumulators().get(2, TimeUnit.SECONDS);
            String line = lines.next(progressLine.apply(accumulators),
                    RunSummary.fromAccumulators(accumulators).read(), System.nanoTime());
            if (line != null) {
                console.println("  … " + line);
            }
        } catch (Exception e) {
            // progress is best effort: the job's result, not this line, is what counts
        }
    }
}
