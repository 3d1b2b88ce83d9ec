package dev.mplp.trace.generator;

import java.util.List;

/**
 * Answers which faults act on a (service, operation) at an instant, and how strongly. Where several faults of one
 * type overlap, latency factors multiply and the other values take the strongest.
 */
final class ActiveFaults {

    private final List<FaultSpec> faults;
    private final long startMillis;

    ActiveFaults(List<FaultSpec> faults, long startMillis) {
        this.faults = faults;
        this.startMillis = startMillis;
    }

    private boolean acts(FaultSpec fault, FaultType type, String service, String operation, long time) {
        return fault.type() == type && fault.targets(service, operation) && fault.activeAt(startMillis, time);
    }

    /** True when a pause fault stops the spans of (service, operation) that would start at {@code time}. */
    boolean paused(String service, String operation, long time) {
        return faults.stream().anyMatch(fault -> acts(fault, FaultType.PAUSE, service, operation, time));
    }

    /** The factor latencies are multiplied by; 1 when no latency fault acts. */
    double latencyFactor(String service, String operation, long time) {
        double factor = 1;
        for (FaultSpec fault : faults) {
            if (acts(fault, FaultType.LATENCY, service, operation, time)) {
                factor *= fault.factor();
            }
        }
        return factor;
    }

    /** The strongest fraction of the acting faults of {@code type}; NaN when none acts. */
    double fraction(FaultType type, String service, String operation, long time) {
        double fraction = Double.NaN;
        for (FaultSpec fault : faults) {
            if (acts(fault, type, service, operation, time)) {
                fraction = Double.isNaN(fraction) ? fault.fraction() : Math.max(fraction, fault.fraction());
            }
        }
        return fraction;
    }

    /** The CPU percentage a cpu fault imposes; NaN when none acts. */
    double cpuPercent(String service, String operation, long time) {
        double percent = Double.NaN;
        for (FaultSpec fault : faults) {
            if (acts(fault, FaultType.CPU, service, operation, time)) {
                percent = Double.isNaN(percent) ? fault.percent() : Math.max(percent, fault.percent());
            }
        }
        return percent;
    }

    /** The memory a memory fault imposes, in MB; NaN when none acts. */
    double memoryMb(String service, String operation, long time, double thresholdMb) {
        double mb = Double.NaN;
        for (FaultSpec fault : faults) {
            if (acts(fault, FaultType.MEMORY, service, operation, time)) {
                double value = fault.memoryMb().orElse(thresholdMb * 1.5);
                mb = Double.isNaN(mb) ? value : Math.max(mb, value);
            }
        }
        return mb;
    }
}
