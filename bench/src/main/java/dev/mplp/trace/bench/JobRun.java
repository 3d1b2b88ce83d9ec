package dev.mplp.trace.bench;

import dev.mplp.trace.jobs.RunSummary;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * One run of a real job (the streaming job, or the batch reprocess job) over the corpus, timed on the wall clock
 * from the call to its return: the embedded cluster's start and stop included.
 *
 * @param summary what the job read, accepted and dead-lettered
 * @param seconds wall-clock time of the run
 * @param alerts alert records it wrote
 * @param readingRate records per second while the job was reading ({@link ProgressRate}); NaN when not known
 * @param cpuSeconds CPU time the whole process (every thread: the job's tasks, the embedded cluster, the JIT
 *     compiler, the garbage collector) used during the run; unlike the wall clock, other processes on the machine
 *     hardly change it
 */
record JobRun(RunSummary summary, double seconds, long alerts, double readingRate, double cpuSeconds) {

    /** CPU time of the process so far, seconds; NaN where the JVM cannot tell. */
    static double processCpuSeconds() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            long nanos = os.getProcessCpuTime();
            return nanos < 0 ? Double.NaN : nanos / 1e9;
        }
        return Double.NaN;
    }

    /** Milliseconds of process CPU per record read. */
    double cpuMillisPerMessage() {
        return cpuSeconds * 1000 / summary.read();
    }

    /** End to end: every record over the whole wall-clock time, fixed costs included. */
    double messagesPerSecond() {
        return summary.read() / seconds;
    }

    /** Lines of the JSON-lines part files under {@code dir} (names starting with '.' are in-progress files). */
    static long countLines(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        long lines = 0;
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.filter(Files::isRegularFile)
                    .filter(f -> !f.getFileName().toString().startsWith("."))
                    .toList()) {
                try (Stream<String> content = Files.lines(file)) {
                    lines += content.count();
                }
            }
        }
        return lines;
    }
}
