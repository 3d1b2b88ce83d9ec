package dev.mplp.trace.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.OptionalDouble;

/**
 * How much of the machine's CPU other processes used while the benchmark ran: the busy CPU time of the whole machine
 * (Linux {@code /proc/stat}) minus this process's own CPU time, over the cores × the wall clock. The load average
 * cannot tell this: it counts the benchmark's own threads, and at its start the build that preceded it.
 */
final class OtherProcesses {

    /** Jiffies per second of {@code /proc/stat}: USER_HZ, 100 on every Linux this runs on. */
    private static final double USER_HZ = 100;
    private static final Path PROC_STAT = Path.of("/proc/stat");

    private final double machineBusyAtStart;
    private final double ownCpuAtStart;
    private final long startNanos = System.nanoTime();

    OtherProcesses() {
        machineBusyAtStart = machineBusySeconds();
        ownCpuAtStart = JobRun.processCpuSeconds();
    }

    /** The share (0 to 1) of all cores that other processes used since this was made; empty where unknown. */
    OptionalDouble share(int cores) {
        double busy = machineBusySeconds() - machineBusyAtStart;
        double own = JobRun.processCpuSeconds() - ownCpuAtStart;
        double wall = (System.nanoTime() - startNanos) / 1e9;
        if (Double.isNaN(busy) || Double.isNaN(own) || wall <= 0) {
            return OptionalDouble.empty();
        }
        return OptionalDouble.of(Math.max(0, (busy - own) / (cores * wall)));
    }

    /** Busy CPU seconds of the whole machine since boot (every field of the cpu line but idle and iowait). */
    static double machineBusySeconds() {
        try {
            return busySeconds(Files.readAllLines(PROC_STAT).get(0));
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    /** From {@code /proc/stat}'s first line: user nice system idle iowait irq softirq steal ... (jiffies). */
    static double busySeconds(String cpuLine) {
        String[] fields = cpuLine.trim().split("\\s+");
        if (!fields[0].equals("cpu")) {
            throw new IllegalArgumentException("not the cpu line of /proc/stat: " + cpuLine);
        }
        long[] jiffies = Arrays.stream(fields, 1, Math.min(fields.length, 9)).mapToLong(Long::parseLong).toArray();
        long busy = 0;
        for (int i = 0; i < jiffies.length; i++) {
            // 3 is idle, 4 iowait
            if (i != 3 && i != 4) {
                busy += jiffies[i];
            }
        }
        return busy / USER_HZ;
    }
}
