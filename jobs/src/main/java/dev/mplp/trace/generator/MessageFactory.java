package dev.mplp.trace.generator;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mplp.trace.generator.Simulation.Instance;
import dev.mplp.trace.generator.Simulation.ServiceState;
import dev.mplp.trace.generator.Simulation.SpanState;
import dev.mplp.trace.generator.Simulation.TraceState;
import dev.mplp.trace.generator.Simulation.Vitals;
import dev.mplp.trace.records.MessageType;
import dev.mplp.trace.sinks.JsonTimes;
import org.apache.commons.math3.random.RandomGenerator;

/**
 * Writes the protocol messages of the simulated spans and services as JSON trees shaped like the protocol's sample
 * messages (same sections, same field names, values drawn for each span). Every random value comes from the
 * generator passed in, so a message depends only on its span's (or service's) own random stream. Numbers are
 * rounded to at most two decimals and large counts are whole numbers, so the text is the same on every JVM.
 */
final class MessageFactory {

    static final String PROTOCOL_VERSION = "1.0.0-alpha";
    static final double CPU_THRESHOLD_PERCENT = 80;
    static final double ERROR_RATE_THRESHOLD_PERCENT = 5;
    static final double MAX_ERROR_RATE_TARGET_PERCENT = 1;
    /** A span's duration threshold is this many times its operation's median latency. */
    static final double DURATION_THRESHOLD_FACTOR = 4;

    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final String HEX = "0123456789abcdef";
    private static final String TOKEN_HEAD = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.";
    private static final String[] BUSINESS_UNITS = {"marketing", "sales", "operations", "finance", "support"};
    private static final String[] PRIORITIES = {"low", "normal", "normal", "high"};
    private static final String[] CHECKPOINTS = {"input_validated", "dependencies_resolved", "state_loaded",
        "processing_started", "partial_result_ready", "downstream_call_returned", "state_persisted"};
    private static final String[] ERROR_KINDS = {"timeout_error", "upstream_unavailable", "validation_error",
        "connection_reset", "resource_exhausted"};
    private static final String[] ERROR_MESSAGES = {"Upstream call timed out after retries",
        "Upstream service returned 503 Service Unavailable", "Request payload failed validation",
        "Connection reset by peer while reading response", "Worker pool exhausted, request rejected"};

    private final GeneratorSettings settings;

    MessageFactory(GeneratorSettings settings) {
        this.settings = settings;
    }

    // ---------------------------------------------------------------- start

    ObjectNode start(SpanState s, long time) {
        RandomGenerator rng = s.rng;
        TraceState trace = s.trace;
        Instance instance = s.instance();
        String service = s.service.spec.name();
        ObjectNode message = envelope(MessageType.START, s.messageId(0), time, trace.correlationId,
                instance.senderId(), "service_instance");
        ObjectNode auth = ((ObjectNode) message.get("sender")).putObject("authentication");
        auth.put("method", "jwt");
        auth.put("token", TOKEN_HEAD + token(rng, 24) + "...");
        auth.put("service_account", service + "-service@mplp.dev");

        ObjectNode body = payload(message, MessageType.START);
        body.put("trace_id", trace.traceId);
        body.put("span_id", s.spanId);
        if (s.parent == null) {
            body.putNull("parent_span_id");
        } else {
            body.put("parent_span_id", s.parent.spanId);
        }
        body.put("operation_name", s.op.name());
        body.put("service_name", service);
        body.put("service_version", s.service.version);
        body.put("start_time", JsonTimes.format(time));
        body.put("span_kind", s.spanKind());
        body.put("trace_state", "sampling=1.0;flags=detailed_metrics,performance_analysis");
        body.put("baggage", "request_id=" + trace.requestId + ",priority=" + PRIORITIES[trace.priority]
                + ",environment=production");

        ObjectNode context = body.putObject("context");
        context.put("context_id", trace.contextId);
        context.put("user_id", trace.userId);
        context.put("session_id", trace.sessionId);
        context.put("correlation_id", trace.correlationId);
        context.put("request_id", trace.requestId);

        boolean read = isRead(s.op.name());
        ObjectNode attributes = body.putObject("span_attributes");
        attributes.put("service.name", service);
        attributes.put("service.version", s.service.version);
        attributes.put("service.namespace", "mplp");
        attributes.put("deployment.environment", "production");
        attributes.put("operation.name", s.op.name());
        attributes.put("request.id", trace.requestId);
        attributes.put("request.priority", PRIORITIES[trace.priority]);
        attributes.put("user.id", trace.userId);
        attributes.put("session.id", trace.sessionId);
        attributes.put("http.method", read ? "GET" : "POST");
        attributes.put("http.url", "/api/v1/" + service + "/" + s.op.name().replace('_', '-'));
        attributes.put("http.status_code", 200);
        attributes.put("http.user_agent", s.parent == null ? "MPLP-Client/1.0.0"
                : "mplp-" + s.parent.service.spec.name() + "/" + s.parent.service.version);
        attributes.put("net.peer.name", s.parent == null ? "api-gateway" : s.parent.service.spec.name());
        attributes.put("custom.business_unit", BUSINESS_UNITS[trace.businessUnit]);
        attributes.put("custom.cost_center", BUSINESS_UNITS[trace.businessUnit].substring(0, 3).toUpperCase(
                java.util.Locale.ROOT) + "-" + (100 + trace.businessUnit));
        attributes.put("custom.compliance_required", trace.businessUnit == 3);

        ObjectNode resource = body.putObject("resource_attributes");
        resource.put("host.name", instance.podName());
        resource.put("host.id", instance.hostId());
        resource.put("host.type", "kubernetes_pod");
        resource.put("host.arch", "amd64");
        resource.put("os.type", "linux");
        resource.put("os.description", "Ubuntu 22.04.4 LTS");
        resource.put("process.pid", instance.pid());
        resource.put("process.executable.name", "java");
        resource.put("process.command_line", "java -XX:+UseG1GC -jar /app/" + service + "-service.jar");
        resource.put("process.runtime.name", "OpenJDK Runtime Environment");
        resource.put("process.runtime.version", "17.0.12+7");
        resource.put("k8s.namespace.name", "mplp-production");
        resource.put("k8s.pod.name", instance.podName());
        resource.put("k8s.deployment.name", service + "-service");
        resource.put("k8s.container.name", service + "-service");

        ObjectNode sampling = body.putObject("sampling_configuration");
        sampling.put("sampling_rate", 1.0);
        sampling.put("sampling_decision", "sampled");
        sampling.put("sampling_priority", trace.priority == 3 ? 2 : 1);
        sampling.putArray("trace_flags").add("detailed_metrics").add("performance_analysis").add("anomaly_detection");

        ObjectNode monitoring = body.putObject("monitoring_configuration");
        monitoring.put("metrics_collection_enabled", true);
        monitoring.put("metrics_collection_interval_ms", settings.metricsInterval().toMillis());
        monitoring.put("anomaly_detection_enabled", true);
        monitoring.put("anomaly_detection_sensitivity", 0.8);
        ObjectNode thresholds = monitoring.putObject("alert_thresholds");
        thresholds.put("duration_ms", s.durationThresholdMs());
        thresholds.put("cpu_usage_percent", (long) CPU_THRESHOLD_PERCENT);
        thresholds.put("memory_usage_mb", (long) s.service.spec.memoryThresholdMb());
        thresholds.put("error_rate_percent", (long) ERROR_RATE_THRESHOLD_PERCENT);
        ObjectNode targets = monitoring.putObject("performance_targets");
        targets.put("max_latency_p95_ms", s.p95TargetMs());
        targets.put("min_throughput_ops_per_sec", s.service.minThroughputTarget());
        targets.put("max_error_rate_percent", (long) MAX_ERROR_RATE_TARGET_PERCENT);

        security(message, rng);
        return message;
    }

    // ---------------------------------------------------------------- update

    ObjectNode update(SpanState s, long time, int number, Vitals v) {
        RandomGenerator rng = s.rng;
        TraceState trace = s.trace;
        long elapsed = time - s.startMs;
        ObjectNode message = envelope(MessageType.UPDATE, s.messageId(number), time, trace.correlationId,
                s.instance().senderId(), "service_instance");
        ObjectNode body = payload(message, MessageType.UPDATE);
        body.put("trace_id", trace.traceId);
        body.put("span_id", s.spanId);
        body.put("update_timestamp", JsonTimes.format(time));
        body.put("status", "running");
        body.put("progress_percentage", Math.min(99, elapsed * 100 / Math.max(1, s.latencyMs)));
        String step = CHECKPOINTS[(number - 1 + s.index) % CHECKPOINTS.length];
        body.put("current_operation", s.op.name() + "." + step);

        long eventTime = time - 1 - rng.nextInt((int) Math.min(Integer.MAX_VALUE, Math.max(1, Math.min(elapsed,
                settings.updateInterval().toMillis()))));
        boolean slow = elapsed > s.op.p95LatencyMs();
        boolean cpuBreach = v.cpuPercent() > CPU_THRESHOLD_PERCENT;
        boolean memoryBreach = v.memoryMb() > s.service.spec.memoryThresholdMb();
        boolean failing = s.fail && number >= 1;
        long workDone = 1 + rng.nextInt(20);

        ArrayNode events = body.putArray("span_events");
        ObjectNode checkpoint = events.addObject();
        checkpoint.put("event_name", "checkpoint_reached");
        checkpoint.put("event_timestamp", JsonTimes.format(eventTime));
        ObjectNode checkpointAttributes = checkpoint.putObject("event_attributes");
        checkpointAttributes.put("checkpoint.name", step);
        checkpointAttributes.put("checkpoint.progress", round2(Math.min(0.99, (double) elapsed / s.latencyMs)));
        checkpointAttributes.put("items.processed", workDone);
        checkpointAttributes.put("processing_time_ms", elapsed);
        if (slow || cpuBreach || memoryBreach) {
            ObjectNode exceeded = events.addObject();
            exceeded.put("event_name", "performance_threshold_exceeded");
            exceeded.put("event_timestamp", JsonTimes.format(time));
            ObjectNode a = exceeded.putObject("event_attributes");
            a.put("threshold.type", cpuBreach ? "cpu_usage" : memoryBreach ? "memory_usage" : "latency_p95");
            a.put("threshold.value", cpuBreach ? (long) CPU_THRESHOLD_PERCENT
                    : memoryBreach ? (long) s.service.spec.memoryThresholdMb() : Math.round(s.op.p95LatencyMs()));
            a.put("actual.value", cpuBreach ? round1(v.cpuPercent())
                    : memoryBreach ? (double) Math.round(v.memoryMb()) : (double) elapsed);
            a.put("severity", "warning");
        }
        if (failing) {
            ObjectNode exception = events.addObject();
            exception.put("event_name", "exception");
            exception.put("event_timestamp", JsonTimes.format(eventTime));
            ObjectNode a = exception.putObject("event_attributes");
            a.put("exception.type", ERROR_KINDS[s.errorKind]);
            a.put("exception.message", ERROR_MESSAGES[s.errorKind]);
            a.put("exception.escaped", false);
        }

        ArrayNode logs = body.putArray("span_logs");
        ObjectNode info = logs.addObject();
        info.put("log_timestamp", JsonTimes.format(eventTime));
        info.put("log_level", "info");
        info.put("log_message", "Step " + step + " of " + s.op.name() + " completed");
        ObjectNode infoAttributes = info.putObject("log_attributes");
        infoAttributes.put("component", s.op.name() + "_handler");
        infoAttributes.put("operation", step);
        infoAttributes.put("items_processed", workDone);
        infoAttributes.put("processing_time_ms", elapsed);
        if (slow || cpuBreach || memoryBreach) {
            ObjectNode warn = logs.addObject();
            warn.put("log_timestamp", JsonTimes.format(time));
            warn.put("log_level", "warn");
            warn.put("log_message", cpuBreach ? "CPU usage above alert threshold"
                    : memoryBreach ? "Memory usage above alert threshold" : "Latency above p95 target");
            ObjectNode a = warn.putObject("log_attributes");
            a.put("component", "performance_monitor");
            a.put("threshold_type", cpuBreach ? "cpu_usage" : memoryBreach ? "memory_usage" : "latency_p95");
            a.put("actual_value", cpuBreach ? round1(v.cpuPercent())
                    : memoryBreach ? (double) Math.round(v.memoryMb()) : (double) elapsed);
            a.put("recommendation", cpuBreach || memoryBreach ? "scale_out_" + s.service.spec.name()
                    : "inspect_" + s.op.name() + "_dependencies");
        }
        if (failing) {
            int errorLogs = 1 + rng.nextInt(2);
            for (int i = 0; i < errorLogs; i++) {
                ObjectNode error = logs.addObject();
                error.put("log_timestamp", JsonTimes.format(eventTime));
                error.put("log_level", "error");
                error.put("log_message", ERROR_MESSAGES[s.errorKind]);
                ObjectNode a = error.putObject("log_attributes");
                a.put("component", s.op.name() + "_handler");
                a.put("error_type", ERROR_KINDS[s.errorKind]);
                a.put("attempt", i + 1);
                a.put("retryable", s.errorKind != 2);
                s.errorLogs++;
            }
        }

        ObjectNode performance = body.putObject("performance_metrics");
        performance.put("timestamp", JsonTimes.format(time));
        performance.put("duration_ms", elapsed);
        ObjectNode system = performance.putObject("system_metrics");
        system.put("cpu_usage_percent", round1(v.cpuPercent()));
        system.put("memory_usage_mb", Math.round(v.memoryMb()));
        system.put("memory_usage_percent", round1(Math.min(100, 100 * v.memoryMb() / s.service.memoryLimitMb)));
        system.put("network_io_bytes_per_sec", 65_536L + rng.nextInt(2_000_000));
        system.put("disk_io_bytes_per_sec", 16_384L + rng.nextInt(1_000_000));
        system.put("active_connections", 5 + rng.nextInt(60));
        system.put("thread_count", 16 + rng.nextInt(48));
        ObjectNode application = performance.putObject("application_metrics");
        application.put("throughput_ops_per_sec", round1(v.throughputOpsPerSec()));
        application.put("latency_p50_ms", Math.round(v.latencyP95Ms() / 1.9));
        application.put("latency_p95_ms", Math.round(v.latencyP95Ms()));
        application.put("latency_p99_ms", Math.round(v.latencyP95Ms() * 1.35));
        application.put("error_rate_percent", round2(v.errorRatePercent()));
        application.put("success_rate_percent", round2(100 - v.errorRatePercent()));
        application.put("active_requests", 1 + rng.nextInt(40));
        application.put("queue_depth", rng.nextInt(12));
        ObjectNode business = performance.putObject("business_metrics");
        business.put("workflow_steps_completed", number);
        business.put("records_processed", workDone * (number + 1));
        business.put("downstream_calls", s.childCount());
        business.put("cache_hit_rate_percent", round1(80 + 15 * rng.nextDouble()));
        business.put("database_queries_executed", 2 + rng.nextInt(40));
        business.put("external_api_calls", rng.nextInt(6));

        ObjectNode anomalies = body.putObject("anomaly_detection_results");
        int detected = (slow ? 1 : 0) + (cpuBreach || memoryBreach ? 1 : 0);
        anomalies.put("anomalies_detected", detected);
        anomalies.put("overall_anomaly_score", round2(detected == 0 ? 0.05 + 0.2 * rng.nextDouble()
                : 0.55 + 0.4 * rng.nextDouble()));
        ArrayNode details = anomalies.putArray("anomaly_details");
        if (slow) {
            anomaly(details, s, time, 1, "performance_degradation", "latency_p95",
                    s.op.p95LatencyMs(), elapsed, rng);
        }
        if (cpuBreach || memoryBreach) {
            anomaly(details, s, time, 2, "resource_exhaustion", cpuBreach ? "cpu_usage" : "memory_usage",
                    cpuBreach ? s.service.spec.cpuBaselinePercent() : s.service.spec.memoryBaselineMb(),
                    cpuBreach ? v.cpuPercent() : v.memoryMb(), rng);
        }

        ArrayNode alerts = body.putArray("alert_evaluations");
        alert(alerts, "latency", "High Latency Alert", time, s.durationThresholdMs(), elapsed,
                "Span duration exceeded its threshold", "investigate_" + s.op.name() + "_bottlenecks");
        alert(alerts, "cpu", "High CPU Alert", time, CPU_THRESHOLD_PERCENT, round1(v.cpuPercent()),
                "CPU usage exceeded its threshold", "scale_out_" + s.service.spec.name());
        alert(alerts, "error-rate", "High Error Rate Alert", time, ERROR_RATE_THRESHOLD_PERCENT,
                round2(v.errorRatePercent()), "Error rate exceeded its threshold", "inspect_recent_deployments");

        security(message, rng);
        return message;
    }

    private static void anomaly(ArrayNode details, SpanState s, long time, int number, String type, String metric,
            double baseline, double current, RandomGenerator rng) {
        ObjectNode a = details.addObject();
        a.put("anomaly_id", "anom-" + s.spanId.substring(0, 8) + "-" + number);
        a.put("anomaly_type", type);
        double deviation = baseline > 0 ? 100 * (current - baseline) / baseline : 0;
        a.put("anomaly_severity", deviation > 200 ? "high" : "medium");
        a.put("anomaly_confidence", round2(0.7 + 0.29 * rng.nextDouble()));
        a.putArray("affected_metrics").add(metric);
        a.put("anomaly_description", metric + " is " + Math.round(deviation) + "% above its baseline");
        a.put("detection_timestamp", JsonTimes.format(time));
        ObjectNode comparison = a.putObject("baseline_comparison");
        comparison.put("baseline_value", round1(baseline));
        comparison.put("current_value", round1(current));
        comparison.put("deviation_percent", round1(deviation));
    }

    private static void alert(ArrayNode alerts, String id, String name, long time, double threshold, double actual,
            String text, String action) {
        boolean triggered = actual > threshold;
        ObjectNode a = alerts.addObject();
        a.put("alert_rule_id", "alert-" + id + "-001");
        a.put("alert_rule_name", name);
        a.put("evaluation_result", triggered ? "triggered" : "not_triggered");
        a.put("evaluation_timestamp", JsonTimes.format(time));
        a.put("threshold_value", threshold);
        a.put("actual_value", actual);
        a.put("severity", triggered ? "warning" : "info");
        a.put("alert_message", triggered ? text : "Within threshold");
        ArrayNode actions = a.putArray("recommended_actions");
        if (triggered) {
            actions.add(action);
        }
    }

    // ---------------------------------------------------------------- completion

    ObjectNode complete(SpanState s, long time, Vitals v) {
        RandomGenerator rng = s.rng;
        TraceState trace = s.trace;
        boolean ok = !s.fail;
        ObjectNode message = envelope(MessageType.COMPLETE, s.messageId(s.updatesSent + 1), time,
                trace.correlationId, s.instance().senderId(), "service_instance");
        ObjectNode body = payload(message, MessageType.COMPLETE);
        body.put("trace_id", trace.traceId);
        body.put("span_id", s.spanId);
        body.put("completion_timestamp", JsonTimes.format(time));
        body.put("status", ok ? "completed" : "failed");
        ObjectNode status = body.putObject("span_status");
        status.put("status_code", ok ? "ok" : "error");
        status.put("status_message", ok ? s.op.name() + " completed successfully" : ERROR_MESSAGES[s.errorKind]);

        long operations = 20 + rng.nextInt(400);
        long failed = ok ? (rng.nextDouble() < 0.3 ? rng.nextInt(2) : 0)
                : Math.max(1, Math.round(operations * (0.2 + 0.6 * rng.nextDouble())));
        ObjectNode result = body.putObject("execution_result");
        result.put("success", ok);
        result.put("result_type", ok ? s.op.name() + "_completed" : s.op.name() + "_failed");
        ObjectNode data = result.putObject("result_data");
        data.put("request_id", trace.requestId);
        data.put("final_state", ok ? "completed" : "aborted");
        data.put("steps_completed", s.updatesSent + 1);
        data.put("processing_time_ms", s.latencyMs);
        ArrayNode artifacts = data.putArray("output_artifacts");
        if (ok) {
            ObjectNode artifact = artifacts.addObject();
            artifact.put("artifact_type", s.op.name() + "_record");
            artifact.put("artifact_id", "art-" + s.spanId.substring(4, 12));
            artifact.put("artifact_size_bytes", 512L + rng.nextInt(65_536));
            artifact.put("artifact_checksum", "sha256:" + hex(rng, 12) + "...");
        } else {
            ObjectNode error = result.putObject("error");
            error.put("error_code", ERROR_KINDS[s.errorKind].toUpperCase(java.util.Locale.ROOT));
            error.put("error_message", ERROR_MESSAGES[s.errorKind]);
            error.put("error_type", ERROR_KINDS[s.errorKind]);
            error.put("retryable", s.errorKind != 2);
        }

        ObjectNode finals = body.putObject("final_metrics");
        finals.put("total_duration_ms", s.latencyMs);
        finals.put("peak_cpu_usage_percent", round1(Math.max(s.peakCpu, v.cpuPercent())));
        finals.put("peak_memory_usage_mb", Math.round(Math.max(s.peakMemoryMb, v.memoryMb())));
        finals.put("total_network_io_bytes", 4096L + s.latencyMs * (200 + rng.nextInt(2000)));
        finals.put("total_disk_io_bytes", 1024L + s.latencyMs * rng.nextInt(800));
        finals.put("max_concurrent_operations", 1 + rng.nextInt(24));
        finals.put("total_database_queries", 1 + rng.nextInt(150));
        finals.put("total_external_api_calls", s.childCount() + rng.nextInt(8));

        ObjectNode summary = body.putObject("performance_summary");
        double avgLatency = s.latencyMs / (double) Math.max(1, operations) * (4 + 4 * rng.nextDouble());
        summary.put("avg_throughput_ops_per_sec", round1(v.throughputOpsPerSec()));
        summary.put("avg_latency_ms", round1(avgLatency));
        summary.put("median_latency_ms", round1(avgLatency * 0.7));
        summary.put("latency_p95_ms", Math.round(v.latencyP95Ms()));
        summary.put("latency_p99_ms", Math.round(v.latencyP95Ms() * 1.35));
        summary.put("total_operations", operations);
        summary.put("successful_operations", operations - failed);
        summary.put("failed_operations", failed);
        summary.put("overall_success_rate", round2(100.0 * (operations - failed) / operations));
        ObjectNode errors = summary.putObject("error_distribution");
        long timeouts = ok ? 0 : failed / 2;
        errors.put("validation_errors", ok ? failed : failed / 4);
        errors.put("timeout_errors", timeouts);
        errors.put("system_errors", ok ? 0 : failed - timeouts - failed / 4);

        ObjectNode utilisation = body.putObject("resource_utilization");
        double cpuEfficiency = round2(0.6 + 0.35 * rng.nextDouble());
        double memoryEfficiency = round2(0.6 + 0.35 * rng.nextDouble());
        utilisation.put("cpu_efficiency", cpuEfficiency);
        utilisation.put("memory_efficiency", memoryEfficiency);
        utilisation.put("network_efficiency", round2(0.8 + 0.19 * rng.nextDouble()));
        utilisation.put("storage_efficiency", round2(0.75 + 0.2 * rng.nextDouble()));
        utilisation.put("overall_efficiency", round2((cpuEfficiency + memoryEfficiency) / 2));

        boolean slow = s.latencyMs > s.durationThresholdMs();
        ObjectNode analysis = body.putObject("trace_analysis");
        analysis.put("performance_grade", !ok ? "D" : slow ? "C" : s.latencyMs > s.op.p95LatencyMs() ? "B" : "A");
        analysis.put("efficiency_score", round2((cpuEfficiency + memoryEfficiency) / 2));
        ArrayNode bottlenecks = analysis.putArray("bottlenecks_identified");
        if (slow || !ok) {
            ObjectNode b = bottlenecks.addObject();
            b.put("bottleneck_type", ok ? "latency" : ERROR_KINDS[s.errorKind]);
            b.put("bottleneck_location", s.op.name() + "_handler");
            b.put("impact_severity", ok ? "medium" : "high");
            b.put("optimization_potential", (10 + rng.nextInt(40)) + "% latency reduction");
        }
        ArrayNode opportunities = analysis.putArray("optimization_opportunities");
        ObjectNode opportunity = opportunities.addObject();
        opportunity.put("optimization_type", "caching_improvement");
        opportunity.put("optimization_description", "Cache results of " + s.op.name() + " lookups");
        opportunity.put("potential_improvement", (5 + rng.nextInt(25)) + "% latency reduction");
        opportunity.put("implementation_effort", rng.nextBoolean() ? "low" : "medium");
        ObjectNode comparison = analysis.putObject("performance_comparison");
        long versusMedian = Math.round(100 * (s.latencyMs - s.op.medianLatencyMs()) / s.op.medianLatencyMs());
        comparison.put("vs_baseline", (versusMedian > 0 ? "+" + versusMedian + "% slower" : -versusMedian
                + "% faster") + " than baseline");
        comparison.put("vs_performance_targets", slow ? "exceeds duration threshold" : "within acceptable range");
        ObjectNode anomalies = analysis.putObject("anomalies_summary");
        anomalies.put("total_anomalies_detected", slow ? 1 : 0);
        anomalies.put("anomalies_resolved", 0);
        anomalies.put("anomalies_pending", slow ? 1 : 0);
        ObjectNode alerts = analysis.putObject("alerts_summary");
        alerts.put("total_alerts_triggered", (slow ? 1 : 0) + (ok ? 0 : 1));
        alerts.put("alerts_resolved", 0);
        alerts.put("alerts_pending", (slow ? 1 : 0) + (ok ? 0 : 1));

        ObjectNode compliance = body.putObject("compliance_validation");
        compliance.putArray("compliance_frameworks").add("sox").add("gdpr");
        compliance.put("compliance_status", "compliant");
        compliance.put("audit_trail_complete", true);
        compliance.put("data_retention_applied", true);
        compliance.put("privacy_controls_enforced", true);
        compliance.putArray("compliance_violations");
        compliance.put("compliance_score", 1.0);

        ObjectNode archive = body.putObject("archival_information");
        archive.put("archived", true);
        archive.put("archive_location", "s3://mplp-traces-archive/"
                + JsonTimes.format(time).substring(0, 10).replace('-', '/') + "/" + trace.traceId + "/" + s.spanId);
        archive.put("archive_format", "otlp_json_compressed");
        archive.put("compression_ratio", round2(0.25 + 0.2 * rng.nextDouble()));
        archive.put("retention_period", "90_days");
        archive.put("archive_encryption", "aes-256-gcm");
        archive.put("archive_checksum", "sha256:" + hex(rng, 12) + "...");

        security(message, rng);
        return message;
    }

    // ---------------------------------------------------------------- metrics

    ObjectNode metrics(ServiceState service, SpanState span, long time, Vitals v) {
        RandomGenerator rng = service.metricsRng;
        String name = service.spec.name();
        long count = service.metricsSent;
        ObjectNode message = envelope(MessageType.METRICS, "msg-metrics-" + name + "-" + pad6(count), time,
                span.trace.correlationId, "metrics-collector-" + name, "metrics_collector");
        ObjectNode body = payload(message, MessageType.METRICS);
        body.put("collection_id", "metrics-" + name + "-" + pad6(count));
        body.put("trace_id", span.trace.traceId);
        body.put("span_id", span.spanId);
        body.put("collection_timestamp", JsonTimes.format(time));
        body.put("collection_interval_ms", settings.metricsInterval().toMillis());
        body.putArray("metrics_categories").add("system").add("application").add("business");

        ObjectNode system = body.putObject("system_metrics");
        double cpu = v.cpuPercent();
        double user = round1(cpu * (0.7 + 0.15 * rng.nextDouble()));
        double iowait = round1(Math.min(100 - cpu, 0.5 + 3 * rng.nextDouble()));
        ObjectNode c = system.putObject("cpu");
        c.put("usage_percent", round1(cpu));
        c.put("user_percent", user);
        c.put("system_percent", round1(Math.max(0, cpu - user)));
        c.put("idle_percent", round1(100 - cpu));
        c.put("iowait_percent", iowait);
        double load = cpu / 100 * 4;
        c.put("load_average_1m", round2(load * (0.9 + 0.2 * rng.nextDouble())));
        c.put("load_average_5m", round2(load * (0.9 + 0.2 * rng.nextDouble())));
        c.put("load_average_15m", round2(load * (0.9 + 0.2 * rng.nextDouble())));

        long used = Math.round(v.memoryMb()) * 1_048_576L;
        long total = Math.max((long) service.memoryLimitMb * 1_048_576L, used);
        ObjectNode m = system.putObject("memory");
        m.put("total_bytes", total);
        m.put("used_bytes", used);
        m.put("available_bytes", total - used);
        m.put("usage_percent", round1(100.0 * used / total));
        m.put("buffer_cache_bytes", (total - used) / 4);
        m.put("swap_total_bytes", 1_073_741_824L);
        long swap = used > total * 0.9 ? 1_048_576L * (1 + rng.nextInt(256)) : 0;
        m.put("swap_used_bytes", swap);
        m.put("swap_usage_percent", round1(100.0 * swap / 1_073_741_824L));

        double rps = v.throughputOpsPerSec();
        ObjectNode n = system.putObject("network");
        n.put("bytes_sent_per_sec", Math.round(rps * (2_000 + rng.nextInt(20_000))));
        n.put("bytes_received_per_sec", Math.round(rps * (4_000 + rng.nextInt(40_000))));
        n.put("packets_sent_per_sec", Math.round(rps * (4 + rng.nextInt(12))));
        n.put("packets_received_per_sec", Math.round(rps * (6 + rng.nextInt(16))));
        n.put("errors_per_sec", v.errorRatePercent() > ERROR_RATE_THRESHOLD_PERCENT ? 1 + rng.nextInt(5) : 0);
        n.put("drops_per_sec", 0);
        n.put("active_connections", service.open.size() + rng.nextInt(20));
        n.put("time_wait_connections", rng.nextInt(10));
        ObjectNode d = system.putObject("disk");
        d.put("read_bytes_per_sec", 65_536L + rng.nextInt(1_000_000));
        d.put("write_bytes_per_sec", 65_536L + rng.nextInt(2_000_000));
        d.put("read_ops_per_sec", 16 + rng.nextInt(256));
        d.put("write_ops_per_sec", 16 + rng.nextInt(512));
        d.put("usage_percent", round1(40 + 30 * rng.nextDouble()));
        d.put("available_bytes", 10_737_418_240L - rng.nextInt(1_000_000_000));
        d.put("inode_usage_percent", round1(5 + 20 * rng.nextDouble()));

        ObjectNode application = body.putObject("application_metrics");
        ObjectNode http = application.putObject("http");
        long requests = Math.round(rps * settings.metricsInterval().toMillis() / 1000.0);
        long errors = Math.round(requests * v.errorRatePercent() / 100);
        http.put("requests_per_sec", round1(rps));
        http.put("response_time_p50_ms", Math.round(v.latencyP95Ms() / 1.9));
        http.put("response_time_p95_ms", Math.round(v.latencyP95Ms()));
        http.put("response_time_p99_ms", Math.round(v.latencyP95Ms() * 1.35));
        http.put("error_rate_percent", round2(v.errorRatePercent()));
        ObjectNode codes = http.putObject("status_code_distribution");
        codes.put("2xx", Math.max(0, requests - errors));
        codes.put("3xx", 0);
        codes.put("4xx", errors / 3);
        codes.put("5xx", errors - errors / 3);
        http.put("active_requests", service.open.size());
        http.put("queue_depth", rng.nextInt(10));
        ObjectNode db = application.putObject("database");
        int active = 2 + rng.nextInt(14);
        db.put("connections_active", active);
        db.put("connections_idle", 20 - Math.min(20, active));
        db.put("connections_max", 20);
        db.put("query_duration_p50_ms", 5 + rng.nextInt(30));
        db.put("query_duration_p95_ms", 60 + rng.nextInt(200));
        db.put("queries_per_sec", round1(rps * (2 + 3 * rng.nextDouble())));
        db.put("slow_queries_per_sec", rng.nextInt(3));
        db.put("deadlocks_per_sec", 0);
        db.put("cache_hit_rate_percent", round1(80 + 15 * rng.nextDouble()));
        ObjectNode cache = application.putObject("cache");
        double hit = round1(80 + 15 * rng.nextDouble());
        cache.put("hit_rate_percent", hit);
        cache.put("miss_rate_percent", round1(100 - hit));
        cache.put("eviction_rate_per_sec", rng.nextInt(20));
        cache.put("memory_usage_bytes", 67_108_864L + rng.nextInt(134_217_728));
        cache.put("memory_usage_percent", round1(40 + 40 * rng.nextDouble()));
        cache.put("keys_count", 5_000 + rng.nextInt(50_000));
        cache.put("expired_keys_per_sec", rng.nextInt(30));
        ObjectNode queue = application.putObject("queue");
        queue.put("messages_per_sec", round1(rps * (0.5 + rng.nextDouble())));
        queue.put("processing_time_p50_ms", 10 + rng.nextInt(60));
        queue.put("processing_time_p95_ms", 100 + rng.nextInt(400));
        queue.put("queue_depth", rng.nextInt(20));
        queue.put("dead_letter_queue_depth", 0);
        queue.put("consumer_lag_ms", 20 + rng.nextInt(400));

        ObjectNode business = body.putObject("business_metrics");
        ObjectNode ops = business.putObject(name);
        double perMinute = rps * 60;
        ops.put("operations_per_minute", round1(perMinute));
        ops.put("completion_rate_percent", round2(100 - v.errorRatePercent()));
        ops.put("average_execution_time_ms", Math.round(v.latencyP95Ms() / 1.9 * 1.1));
        ops.put("steps_per_execution", round1(3 + 4 * rng.nextDouble()));
        ops.put("retry_rate_percent", round1(Math.min(100, v.errorRatePercent() * 0.6)));
        ObjectNode users = business.putObject("users");
        users.put("active_sessions", 10 + rng.nextInt(200));
        users.put("login_rate_per_minute", rng.nextInt(30));
        users.put("logout_rate_per_minute", rng.nextInt(30));
        users.put("session_duration_p50_minutes", 5 + rng.nextInt(40));
        users.put("concurrent_users", 5 + rng.nextInt(150));

        ObjectNode custom = body.putObject("custom_metrics").putObject("mplp_specific");
        custom.put("context_operations_per_sec", round1(rps * 0.3));
        custom.put("plan_executions_per_minute", rng.nextInt(20));
        custom.put("trace_spans_per_sec", round1(rps));
        custom.put("cross_module_calls_per_sec", round1(rps * 0.25));
        return message;
    }

    // ---------------------------------------------------------------- shared parts

    private static ObjectNode envelope(MessageType type, String messageId, long time, String correlationId,
            String senderId, String senderType) {
        ObjectNode message = F.objectNode();
        message.put("message_type", type.wireName());
        message.put("protocol_version", PROTOCOL_VERSION);
        message.put("message_id", messageId);
        message.put("timestamp", JsonTimes.format(time));
        message.put("correlation_id", correlationId);
        ObjectNode sender = message.putObject("sender");
        sender.put("sender_id", senderId);
        sender.put("sender_type", senderType);
        return message;
    }

    private static ObjectNode payload(ObjectNode message, MessageType type) {
        return message.putObject("payload").putObject(type.payloadField());
    }

    private static void security(ObjectNode message, RandomGenerator rng) {
        ObjectNode security = message.putObject("security");
        security.put("message_signature", "sha256:" + hex(rng, 12) + "...");
        security.put("encryption", "aes-256-gcm");
        security.put("integrity_check", "hmac-sha256:" + hex(rng, 12) + "...");
    }

    private static boolean isRead(String operation) {
        return operation.startsWith("get") || operation.startsWith("list") || operation.startsWith("search")
                || operation.startsWith("find");
    }

    static double round1(double value) {
        return Math.round(value * 10) / 10.0;
    }

    static double round2(double value) {
        return Math.round(value * 100) / 100.0;
    }

    private static String pad6(long number) {
        String digits = Long.toString(number);
        return digits.length() >= 6 ? digits : "000000".substring(digits.length()) + digits;
    }

    /** {@code length} lowercase hex digits. */
    static String hex(RandomGenerator rng, int length) {
        char[] chars = new char[length];
        long bits = 0;
        for (int i = 0; i < length; i++) {
            if (i % 16 == 0) {
                bits = rng.nextLong();
            }
            chars[i] = HEX.charAt((int) (bits & 15));
            bits >>>= 4;
        }
        return new String(chars);
    }

    /** {@code length} lowercase hex digits, not all zero. */
    static String nonZeroHex(RandomGenerator rng, int length) {
        while (true) {
            String hex = hex(rng, length);
            for (int i = 0; i < length; i++) {
                if (hex.charAt(i) != '0') {
                    return hex;
                }
            }
        }
    }

    private static String token(RandomGenerator rng, int length) {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        char[] chars = new char[length];
        for (int i = 0; i < length; i++) {
            chars[i] = alphabet.charAt(rng.nextInt(alphabet.length()));
        }
        return new String(chars);
    }
}
