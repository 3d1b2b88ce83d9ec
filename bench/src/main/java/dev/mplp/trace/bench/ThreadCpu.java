package dev.mplp.trace.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * CPU time of every Java thread of this JVM at one instant, by thread name, without a profiler
 * ({@link ThreadMXBean#getThreadCpuTime}). Flink names each task thread after its operator chain and subtask
 * ({@code Source: … -> validate-messages -> event-time (1/2)#0}), so the difference of two snapshots grouped by
 * chain is the CPU each chain used in between. The JVM's own threads (JIT compiler, garbage collector) are not
 * Java threads: they are the process's CPU minus the sum of these.
 */
final class ThreadCpu {

    /** A subtask's suffix, {@code (1/2)#0}: the subtasks of one chain are summed. */
    private static final Pattern SUBTASK = Pattern.compile(" \\(\\d+/\\d+\\)(#\\d+)?$");
    /** Where a chain reads or writes, in its operators' names: the same chain in every run. */
    private static final Pattern LOCATION = Pattern.compile("(kafka://[^/]+/|file:[^ ,)]*[^ ,):])");
    /** Numbers in the names of pooled threads ({@code AsyncOperations-thread-3}): one group per pool. */
    private static final Pattern NUMBER = Pattern.compile("\\d+");

    private record Sample(String name, long cpuNanos) {}

    private final Map<Long, Sample> threads;
    private final double processCpuSeconds;
    private final long nanos;

    private ThreadCpu(Map<Long, Sample> threads, double processCpuSeconds, long nanos) {
        this.threads = threads;
        this.processCpuSeconds = processCpuSeconds;
        this.nanos = nanos;
    }

    static ThreadCpu now() {
        ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        Map<Long, Sample> threads = new HashMap<>();
        long[] ids = bean.getAllThreadIds();
        ThreadInfo[] infos = bean.getThreadInfo(ids);
        for (int i = 0; i < ids.length; i++) {
            long cpu = bean.getThreadCpuTime(ids[i]);
            if (infos[i] != null && cpu >= 0) {
                threads.put(ids[i], new Sample(infos[i].getThreadName(), cpu));
            }
        }
        return new ThreadCpu(threads, JobRun.processCpuSeconds(), System.nanoTime());
    }

    /**
     * CPU seconds per thread group from {@code start} to this snapshot, largest first, and the process's CPU that
     * no live Java thread accounts for as {@link #JVM_OWN}. A thread that ended in between is in that remainder.
     */
    Map<String, Double> since(ThreadCpu start) {
        Map<String, Double> byGroup = new HashMap<>();
        double threadsTotal = 0;
        for (Map.Entry<Long, Sample> thread : threads.entrySet()) {
            Sample before = start.threads.get(thread.getKey());
            long cpu = thread.getValue().cpuNanos() - (before == null ? 0 : before.cpuNanos());
            double seconds = cpu / 1e9;
            byGroup.merge(group(thread.getValue().name()), seconds, Double::sum);
            threadsTotal += seconds;
        }
        byGroup.put(JVM_OWN, Math.max(0, processCpuSeconds - start.processCpuSeconds - threadsTotal));
        Map<String, Double> sorted = new LinkedHashMap<>();
        byGroup.entrySet().stream()
                .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .forEach(e -> sorted.put(e.getKey(), e.getValue()));
        return sorted;
    }

    /** Process CPU seconds from {@code start} to this snapshot. */
    double processCpuSince(ThreadCpu start) {
        return processCpuSeconds - start.processCpuSeconds;
    }

    /** Wall-clock seconds from {@code start} to this snapshot. */
    double secondsSince(ThreadCpu start) {
        return (nanos - start.nanos) / 1e9;
    }

    /** The group of everything that is not a live Java thread of the process. */
    static final String JVM_OWN = "the JVM's own threads (JIT compiler, garbage collector) and threads that ended";

    /** A task thread's operator chain (its subtasks together), a pooled thread's pool, any other thread's name. */
    static String group(String threadName) {
        String name = LOCATION.matcher(threadName).replaceAll(match -> match.group().startsWith("kafka")
                ? "kafka://…/" : "file:…");
        if (SUBTASK.matcher(name).find()) {
            return SUBTASK.matcher(name).replaceFirst("");
        }
        return NUMBER.matcher(name).replaceAll("#");
    }
}
