package dev.mplp.trace.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.InstanceOfAssertFactories.MAP;

import com.fasterxml.jackson.databind.JsonMappingException;
import dev.mplp.trace.json.Json;
import dev.mplp.trace.records.MessageType;
import dev.mplp.trace.testing.ProtocolMessages;
import dev.mplp.trace.testing.ProtocolSamples;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The typed model binds the protocol's samples completely, keeping the JSON types of attribute values. */
class ProtocolModelTest {

    private static TraceMessage sample(String file) throws Exception {
        return Json.mapper().readValue(ProtocolSamples.text(file), TraceMessage.class);
    }

    @Test
    void startEnvelopeAndBody() throws Exception {
        TraceMessage message = sample(ProtocolSamples.START);

        assertThat(message.type()).contains(MessageType.START);
        assertThat(message.messageId()).isEqualTo("msg-trace-001");
        assertThat(message.timestamp()).isEqualTo("2025-09-03T10:00:00.000Z");
        assertThat(message.sender().senderType()).isEqualTo("service_instance");
        assertThat(message.sender().authentication()).isEqualTo(new TraceMessage.Authentication(
                "jwt", "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9...", "workflow-service@mplp.dev"));
        assertThat(message.security()).isEqualTo(new TraceMessage.Security(
                "sha256:1a2b3c4d5e6f...", "aes-256-gcm", "hmac-sha256:7g8h9i0j1k2l..."));
        assertThat(message.payload().traceUpdate()).isNull();

        TraceStart start = message.payload().traceStart();
        assertThat(message.body()).isSameAs(start);
        assertThat(start.time()).isEqualTo("2025-09-03T10:00:00.000Z");
        assertThat(start.traceState()).isEqualTo("sampling=1.0;flags=detailed_metrics,performance_analysis");
        assertThat(start.context().requestId()).isEqualTo("req-001");
        assertThat(start.samplingConfiguration()).isEqualTo(new TraceStart.SamplingConfiguration(
                0.1, "sampled", 1L, List.of("detailed_metrics", "performance_analysis", "anomaly_detection")));
        TraceStart.MonitoringConfiguration monitoring = start.monitoringConfiguration();
        assertThat(monitoring.metricsCollectionIntervalMs()).isEqualTo(5000L);
        assertThat(monitoring.anomalyDetectionSensitivity()).isEqualTo(0.8);
        assertThat(monitoring.alertThresholds()).isEqualTo(new TraceStart.AlertThresholds(10000.0, 80.0, 2048.0, 5.0));
        assertThat(monitoring.performanceTargets()).isEqualTo(new TraceStart.PerformanceTargets(2000.0, 100.0, 1.0));
    }

    @Test
    void attributeValuesKeepTheirJsonTypes() throws Exception {
        TraceStart start = sample(ProtocolSamples.START).payload().traceStart();

        assertThat(start.spanAttributes())
                .hasSize(16)
                .containsEntry("service.name", "mplp-workflow-service")
                .containsEntry("http.status_code", 200)
                .containsEntry("custom.compliance_required", true);
        assertThat(start.spanAttributes().get("http.status_code")).isInstanceOf(Integer.class);
        assertThat(start.spanAttributes().get("custom.compliance_required")).isInstanceOf(Boolean.class);
        assertThat(start.resourceAttributes()).containsEntry("process.pid", 1).containsEntry("host.arch", "amd64");

        TraceUpdate update = sample(ProtocolSamples.UPDATE).payload().traceUpdate();
        Map<String, Object> eventAttributes = update.spanEvents().get(0).eventAttributes();
        assertThat(eventAttributes.get("milestone.progress")).isInstanceOf(Double.class).isEqualTo(0.6);
        assertThat(eventAttributes.get("approvals.completed")).isInstanceOf(Integer.class).isEqualTo(3);
        assertThat(eventAttributes.get("milestone.name")).isEqualTo("approval_chain_completed");
        assertThat(update.spanLogs().get(1).logAttributes())
                .containsEntry("threshold_value", 1500)
                .containsEntry("recommendation", "consider_approval_optimization");
    }

    @Test
    void builtAttributesOfEveryType() throws Exception {
        String json = ProtocolMessages.completion()
                .setInBody("execution_result.result_data.reviewer", "ana")
                .setInBody("execution_result.result_data.score", 0.75)
                .setInBody("execution_result.result_data.retries", 2)
                .setInBody("execution_result.result_data.escalated", false)
                .setInBody("execution_result.result_data.big", 9_007_199_254_740_993L)
                .setInBody("execution_result.result_data.huge", new BigInteger("123456789012345678901234567890"))
                .setInBody("execution_result.result_data.nested", Map.of("k", 1))
                .json();
        TraceCompletion.ResultData data =
                Json.mapper().readValue(json, TraceMessage.class).payload().traceCompletion().executionResult().resultData();

        assertThat(data.workflowId()).isEqualTo("wf-001");
        assertThat(data.approvalsCompleted()).isEqualTo(5L);
        assertThat(data.extras())
                .containsOnlyKeys("reviewer", "score", "retries", "escalated", "big", "huge", "nested")
                .containsEntry("reviewer", "ana")
                .containsEntry("score", 0.75)
                .containsEntry("retries", 2)
                .containsEntry("escalated", false)
                .containsEntry("big", 9_007_199_254_740_993L)
                .containsEntry("huge", new BigInteger("123456789012345678901234567890"));
        assertThat(data.extras().get("nested")).asInstanceOf(MAP).containsEntry("k", 1);
    }

    @Test
    void updateNestedRecords() throws Exception {
        TraceUpdate update = sample(ProtocolSamples.UPDATE).payload().traceUpdate();

        assertThat(update.progressPercentage()).isEqualTo(65.0);
        assertThat(update.spanLogs()).extracting(TraceUpdate.SpanLog::logLevel).containsExactly("info", "warn");
        TraceUpdate.PerformanceMetrics metrics = update.performanceMetrics();
        assertThat(metrics.systemMetrics().threadCount()).isEqualTo(12L);
        assertThat(metrics.applicationMetrics().latencyP99Ms()).isEqualTo(2100.0);
        assertThat(metrics.businessMetrics().cacheHitRatePercent()).isEqualTo(87.3);
        TraceUpdate.AnomalyDetail anomaly = update.anomalyDetectionResults().anomalyDetails().get(0);
        assertThat(anomaly.affectedMetrics()).containsExactly("latency_p95", "throughput");
        assertThat(anomaly.baselineComparison().currentLatencyP95Ms()).isEqualTo(1750.0);
        assertThat(anomaly.baselineComparison().extras()).isNullOrEmpty();
        assertThat(anomaly.rootCauseAnalysis().contributingFactors()).hasSize(2);
        TraceUpdate.AlertEvaluation alert = update.alertEvaluations().get(0);
        assertThat(alert.thresholdValue()).isEqualTo(1500.0);
        assertThat(alert.recommendedActions()).contains("optimize_database_queries");
    }

    @Test
    void completionNestedRecords() throws Exception {
        TraceCompletion completion = sample(ProtocolSamples.COMPLETE).payload().traceCompletion();

        assertThat(completion.spanStatus().statusMessage()).isEqualTo("Workflow execution completed successfully");
        assertThat(completion.executionResult().resultData().outputArtifacts())
                .containsExactly(new TraceCompletion.OutputArtifact(
                        "approval_document", "doc-001", 4096L, "sha256:abc123def456..."));
        assertThat(completion.finalMetrics().totalNetworkIoBytes()).isEqualTo(2097152L);
        assertThat(completion.performanceSummary().errorDistribution())
                .containsExactlyInAnyOrderEntriesOf(
                        Map.of("validation_errors", 8L, "timeout_errors", 3L, "system_errors", 1L));
        assertThat(completion.resourceUtilization().overallEfficiency()).isEqualTo(0.86);
        TraceCompletion.TraceAnalysis analysis = completion.traceAnalysis();
        assertThat(analysis.performanceGrade()).isEqualTo("B+");
        assertThat(analysis.bottlenecksIdentified()).singleElement()
                .extracting(TraceCompletion.Bottleneck::bottleneckLocation).isEqualTo("approval_chain_validator");
        assertThat(analysis.optimizationOpportunities()).hasSize(2);
        assertThat(analysis.performanceComparison().vsBaseline()).isEqualTo("+8% faster than baseline");
        assertThat(analysis.anomaliesSummary().anomaliesBySeverity()).containsEntry("medium", 1L);
        assertThat(analysis.alertsSummary().alertsBySeverity()).containsEntry("warning", 2L);
        assertThat(completion.complianceValidation().complianceFrameworks()).containsExactly("sox", "gdpr");
        assertThat(completion.complianceValidation().complianceViolations()).isEmpty();
        assertThat(completion.archivalInformation().compressionRatio()).isEqualTo(0.35);
    }

    @Test
    void metricsNestedRecords() throws Exception {
        MetricsCollection metrics = sample(ProtocolSamples.METRICS).payload().metricsCollection();

        assertThat(metrics.collectionId()).isEqualTo("metrics-001");
        assertThat(metrics.metricsCategories()).containsExactly("system", "application", "business");
        assertThat(metrics.systemMetrics().cpu().loadAverage1m()).isEqualTo(1.85);
        assertThat(metrics.systemMetrics().cpu().loadAverage15m()).isEqualTo(1.78);
        assertThat(metrics.systemMetrics().memory().totalBytes()).isEqualTo(2147483648L);
        assertThat(metrics.systemMetrics().network().timeWaitConnections()).isEqualTo(5L);
        assertThat(metrics.systemMetrics().disk().availableBytes()).isEqualTo(10737418240L);
        assertThat(metrics.applicationMetrics().http().statusCodeDistribution()).containsEntry("2xx", 1547L);
        assertThat(metrics.applicationMetrics().database().queryDurationP95Ms()).isEqualTo(180.0);
        assertThat(metrics.applicationMetrics().cache().keysCount()).isEqualTo(15420L);
        assertThat(metrics.applicationMetrics().queue().consumerLagMs()).isEqualTo(150.0);
        assertThat(metrics.businessMetrics().workflow().stepsPerExecution()).isEqualTo(8.5);
        assertThat(metrics.businessMetrics().approvals().escalationRatePercent()).isEqualTo(5.2);
        assertThat(metrics.businessMetrics().notifications().averageDeliveryTimeMs()).isEqualTo(250.0);
        assertThat(metrics.businessMetrics().users().sessionDurationP50Minutes()).isEqualTo(25.0);
        assertThat(metrics.customMetrics())
                .containsEntry("mplp_specific", Map.of(
                        "context_operations_per_sec", 25.0,
                        "plan_executions_per_minute", 8.0,
                        "trace_spans_per_sec", 180.0,
                        "cross_module_calls_per_sec", 45.0));
    }

    @Test
    void unknownFieldsAreIgnored() throws Exception {
        String json = ProtocolMessages.metrics()
                .set("x_vendor_extension", Map.of("a", List.of(1, 2)))
                .setInBody("system_metrics.gpu", Map.of("usage_percent", 12))
                .json();

        MetricsCollection metrics = Json.mapper().readValue(json, TraceMessage.class).payload().metricsCollection();

        assertThat(metrics.systemMetrics().cpu().usagePercent()).isEqualTo(58.7);
    }

    @Test
    void scalarsAreNotCoerced() {
        String json = ProtocolMessages.update().setInBody("performance_metrics.duration_ms", "2500").json();

        assertThatThrownBy(() -> Json.mapper().readValue(json, TraceMessage.class))
                .isInstanceOf(JsonMappingException.class)
                .hasMessageContaining("duration_ms");
    }
}
