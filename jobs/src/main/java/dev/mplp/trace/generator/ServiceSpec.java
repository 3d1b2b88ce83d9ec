package dev.mplp.trace.generator;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * One simulated service: its name (the {@code service_name} of its spans), its operations, and the resource use
 * it reports when healthy. Its traces declare {@code alert_thresholds} of 80 % CPU and {@code memoryThresholdMb}.
 *
 * @param name the service name
 * @param operations at least one, with distinct names
 * @param cpuBaselinePercent typical CPU use, below 70 so that a healthy service stays under the 80 % threshold
 * @param memoryBaselineMb typical memory use, below {@code memoryThresholdMb}
 * @param memoryThresholdMb the {@code memory_usage_mb} alert threshold its traces declare
 */
public record ServiceSpec(
        String name,
        List<OperationSpec> operations,
        double cpuBaselinePercent,
        double memoryBaselineMb,
        double memoryThresholdMb) {

    public ServiceSpec {
        if (name == null || !OperationSpec.NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("service name '" + name + "' must be letters, digits, '_', '.' or '-'");
        }
        if (operations == null || operations.isEmpty()) {
            throw new IllegalArgumentException("service " + name + " needs at least one operation");
        }
        operations = List.copyOf(operations);
        Set<String> seen = new HashSet<>();
        for (OperationSpec op : operations) {
            if (!seen.add(op.name())) {
                throw new IllegalArgumentException("service " + name + " names operation " + op.name() + " twice");
            }
        }
        if (!(cpuBaselinePercent > 0 && cpuBaselinePercent <= 70)) {
            throw new IllegalArgumentException("service " + name
                    + ": the CPU baseline must be above 0 and at most 70 percent, not " + cpuBaselinePercent);
        }
        if (!(memoryBaselineMb > 0 && memoryBaselineMb < memoryThresholdMb * 0.8)) {
            throw new IllegalArgumentException("service " + name + ": the memory baseline (" + memoryBaselineMb
                    + " MB) must be above 0 and below 80 % of the threshold (" + memoryThresholdMb + " MB)");
        }
    }

    /** A service with moderate resource use (40 % CPU, 512 of 2048 MB). */
    public static ServiceSpec of(String name, OperationSpec... operations) {
        return new ServiceSpec(name, List.of(operations), 40, 512, 2048);
    }

    public Optional<OperationSpec> operation(String name) {
        return operations.stream().filter(o -> o.name().equals(name)).findFirst();
    }

    /**
     * The default topology: four services with two or three operations each and distinct latencies. Span
     * children are drawn among all operations, so any service may call any other.
     */
    public static List<ServiceSpec> defaults() {
        return List.of(
                new ServiceSpec("checkout", List.of(
                        new OperationSpec("place_order", 900, 0.35),
                        new OperationSpec("charge", 600, 0.45),
                        new OperationSpec("confirm_order", 250, 0.30)), 45, 640, 2048),
                new ServiceSpec("inventory", List.of(
                        new OperationSpec("reserve_stock", 180, 0.30),
                        new OperationSpec("release_stock", 120, 0.30)), 30, 384, 1024),
                new ServiceSpec("catalog", List.of(
                        new OperationSpec("search_products", 350, 0.40),
                        new OperationSpec("get_product", 60, 0.30),
                        new OperationSpec("list_categories", 140, 0.35)), 55, 900, 2048),
                new ServiceSpec("notification", List.of(
                        new OperationSpec("send_email", 1500, 0.50),
                        new OperationSpec("send_sms", 700, 0.40)), 25, 256, 1024));
    }
}
