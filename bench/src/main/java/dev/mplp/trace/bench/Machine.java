package dev.mplp.trace.bench;

import java.lang.management.ManagementFactory;
import java.util.stream.Collectors;

/** What the figures were measured on: they mean little without it. */
record Machine(int cores, String jvm, long maxHeapBytes, String jvmOptions, String os, double loadAverage) {

    static Machine current() {
        return new Machine(
                Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"),
                Runtime.getRuntime().maxMemory(),
                ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                        .filter(argument -> argument.startsWith("-XX:"))
                        .collect(Collectors.joining(" ")),
                System.getProperty("os.name") + " " + System.getProperty("os.arch"),
                currentLoadAverage());
    }

    /** The 1-minute load average: every runnable thread, this process's own included. */
    static double currentLoadAverage() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    String describe() {
        return String.format("%d cores, %s, max heap %,d MB, %s, %s", cores, jvm, maxHeapBytes >> 20,
                jvmOptions.isEmpty() ? "no -XX options" : jvmOptions, os);
    }
}
