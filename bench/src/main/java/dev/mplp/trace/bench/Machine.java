package dev.mplp.trace.bench;

import java.lang.management.ManagementFactory;

/** What the figures were measured on: they mean little without it. */
record Machine(int cores, String jvm, long maxHeapBytes, String os, double loadAverage) {

    static Machine current() {
        return new Machine(
                Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"),
                Runtime.getRuntime().maxMemory(),
                System.getProperty("os.name") + " " + System.getProperty("os.arch"),
                currentLoadAverage());
    }

    /** The 1-minute load average: every runnable thread, this process's own included. */
    static double currentLoadAverage() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    String describe() {
        return String.format("%d cores, %s, max heap %,d MB, %s", cores, jvm, maxHeapBytes >> 20, os);
    }
}
