package dev.mplp.trace.jobs;

import java.io.PrintStream;
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
        ScheduledExecutorService progress = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "progress");
            thread.setDaemon(true);
            return thread;
        });
        progress.scheduleWithFixedDelay(() -> printProgress(client, console), 3, 3, TimeUnit.SECONDS);
        try {
            JobExecutionResult result = client.getJobExecutionResult().get();
            return RunSummary.fromAccumulators(result.getAllAccumulatorResults());
        } finally {
            progress.shutdownNow();
        }
    }

    private static void printProgress(JobClient client, PrintStream console) {
        try {
            RunSummary sofar = RunSummary.fromAccumulators(client.getAccumulators().get(2, TimeUnit.SECONDS));
            console.println("  … " + sofar.progressLine());
        } catch (Exception e) {
            // progress is best effort: the job's result, not this line, is what counts
        }
    }
}
