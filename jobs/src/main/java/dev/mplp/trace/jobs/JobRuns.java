package dev.mplp.trace.jobs;

import java.io.PrintStream;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.core.execution.JobClient;

/** Waits for a submitted job, printing its progress from its accumulators every few seconds. */
final class JobRuns {

    private JobRuns() {}

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
