package dev.mplp.trace.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.FileNotFoundException;
import org.apache.flink.runtime.JobException;
import org.apache.flink.runtime.client.JobExecutionException;
import org.apache.flink.api.common.JobID;
import org.junit.jupiter.api.Test;

class JobFailedExceptionTest {

    @Test
    void namesTheFailureUnderFlinksWrappersAndKeepsTheChain() {
        JobID job = new JobID();
        FileNotFoundException missing = new FileNotFoundException("s3://archive/messages/part-0.parquet");
        JobExecutionException wrapped = new JobExecutionException(job, "Job execution failed.",
                new JobException("Recovery is suppressed by NoRestartBackoffTimeStrategy", missing));

        JobFailedException failed = new JobFailedException(job.toString(), wrapped);

        assertThat(failed.getMessage()).isEqualTo("job " + job + " failed: " + missing);
        assertThat(failed).hasCause(wrapped).hasRootCause(missing);
    }
}
