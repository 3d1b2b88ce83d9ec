package dev.mplp.trace.ingest;

import static dev.mplp.trace.records.DeadLetterReason.INVALID_SPAN_ID;
import static dev.mplp.trace.records.DeadLetterReason.INVALID_TIMESTAMP;
import static dev.mplp.trace.records.DeadLetterReason.INVALID_TRACE_ID;
import static dev.mplp.trace.records.DeadLetterReason.INVALID_TYPE;
import static dev.mplp.trace.records.DeadLetterReason.MALFORMED_JSON;
import static dev.mplp.trace.records.DeadLetterReason.MISSING_FIELD;
import static dev.mplp.trace.records.DeadLetterReason.OVERSIZE;
import static dev.mplp.trace.records.DeadLetterReason.UNKNOWN_MESSAGE_TYPE;
import static dev.mplp.trace.records.DeadLetterReason.UNSUPPORTED_PROTOCOL_VERSION;
import static dev.mplp.trace.testing.ProtocolMessages.completion;
import static dev.mplp.trace.testing.ProtocolMessages.metrics;
import static dev.mplp.trace.testing.ProtocolMessages.start;
import static dev.mplp.trace.testing.ProtocolMessages.update;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mplp.trace.records.DeadLetter;
import dev.mplp.trace.records.DeadLetterReason;
import dev.mplp.trace.records.MessageType;
import dev.mplp.trace.records.RawMessage;
import dev.mplp.trace.records.TraceEvent;
import dev.mplp.trace.testing.ProtocolMessages;
import dev.mplp.trace.testing.ProtocolMessages.Message;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.apache.flink.util.InstantiationUtil;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class MessageValidatorTest {

    private static final String VERSION = ProtocolMessages.PROTOCOL_VERSION;
    private static final MessageValidator VALIDATOR = new MessageValidator(64 * 1024, 4096, Set.of(VERSION));

    /** Validates the message and checks what every dead letter carries about its record. */
    private static DeadLetter rejected(Message message) {
        RawMessage raw = message.raw();
        DeadLetter letter = rejected(VALIDATOR, raw);
        assertThat(letter.rawPayload).isEqualTo(message.json());
        assertThat(letter.payloadTruncated).isFalse();
        return letter;
    }

    private static DeadLetter rejected(MessageValidator validator, RawMessage raw) {
        Validated validated = validator.validate(raw);
        assertThat(validated.isAccepted()).as("accepted: %s", validated.event()).isFalse();
        assertThat(validated.event()).isNull();
        DeadLetter letter = validated.deadLetter();
        assertThat(letter.sourcePosition).isEqualTo(raw.sourcePosition);
        assertThat(letter.ingestTime).isEqualTo(raw.ingestTime);
        assertThat(letter.rawPayloadBytes).isEqualTo(raw.sizeBytes);
        return letter;
    }

    private static void assertRejected(Message message, DeadLetterReason reason, String detail) {
        DeadLetter letter = rejected(message);
        assertThat(letter.reason).as("%s", letter).isEqualTo(reason);
        assertThat(letter.detail).isEqualTo(detail);
    }

    private static TraceEvent accepted(Message message) {
        Validated validated = VALIDATOR.validate(message.raw());
        assertThat(validated.deadLetter()).as("%s", message).isNull();
        assertThat(validated.isAccepted()).isTrue();
        return validated.event();
    }

    private static RawMessage raw(byte[] bytes) {
        return new RawMessage(bytes, bytes.length, "kafka:trace-messages/3@42", 1_000L);
    }

    private static RawMessage raw(String text) {
        return raw(text.getBytes(StandardCharsets.UTF_8));
    }

    private static Stream<Message> allTypes() {
        return Arrays.stream(MessageType.values()).map(ProtocolMessages::of);
    }

    @ParameterizedTest
    @EnumSource(MessageType.class)
    void builtMessagesOfEveryTypeAreAccepted(MessageType type) {
        Message message = ProtocolMessages.of(type);

        TraceEvent event = accepted(message);

        assertThat(event.messageType).isEqualTo(type);
        assertThat(event.payloadText()).isEqualTo(message.json());
        assertThat(event.sourcePosition).isEqualTo(message.raw().sourcePosition);
        assertThat(event.ingestTime).isEqualTo(ProtocolMessages.INGEST_TIME);
    }

    @Test
    void deadLettersCarryTheRecordAndTheMessageIdEvenWhenRejected() {
        Message message = start().messageId("msg-kept").spanId("00F067AA0BA902B7");
        RawMessage raw = message.raw("file:/data/in.jsonl:17", 123_456L);

        DeadLetter letter = rejected(VALIDATOR, raw);

        assertThat(letter).isEqualTo(new DeadLetter(INVALID_SPAN_ID, "payload.trace_start.span_id", "msg-kept",
                "file:/data/in.jsonl:17", 123_456L, message.json(), raw.sizeBytes, false)
                .withEventTime(ProtocolMessages.START_TIME.toEpochMilli()));
    }

    @Test
    void neverReportsDuplicates() {
        Message message = update();

        assertThat(VALIDATOR.validate(message.raw()).isAccepted()).isTrue();
        assertThat(VALIDATOR.validate(message.raw()).isAccepted()).isTrue();
    }

    @Test
    void constructorArguments() {
        assertThatThrownBy(() -> new MessageValidator(0, 10, Set.of(VERSION)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new MessageValidator(10, -1, Set.of(VERSION)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new MessageValidator(10, 10, Set.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void survivesJavaSerializationAsFlinkShipsIt() throws Exception {
        MessageValidator copy = InstantiationUtil.clone(
                new MessageValidator(1 << 16, 100, Set.of(VERSION)), getClass().getClassLoader());

        assertThat(copy.validate(completion().raw()).isAccepted()).isTrue();
        assertThat(copy.validate(completion().set("protocol_version", "2").raw()).deadLetter().reason)
                .isEqualTo(UNSUPPORTED_PROTOCOL_VERSION);
    }

    @Test
    void validatedHoldsExactlyOne() {
        assertThatThrownBy(() -> new Validated(null, null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Validated(new TraceEvent(), new DeadLetter()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void nullRecordIsADeadLetter() {
        assertThat(VALIDATOR.validate(null).deadLetter().reason).isEqualTo(MALFORMED_JSON);
    }

    @Nested
    class Oversize {

        @Test
        void largerThanTheLimitIsNotParsed() {
            Message message = start().messageId("msg-big").setInBody("span_attributes.padding", "x".repeat(3000));
            RawMessage raw = message.raw();
            MessageValidator validator = new MessageValidator(2000, 1000, Set.of(VERSION));

            DeadLetter letter = rejected(validator, raw);

            assertThat(letter.reason).isEqualTo(OVERSIZE);
            assertThat(letter.detail).isEqualTo(raw.sizeBytes + " bytes (limit 2000 bytes)");
            assertThat(letter.messageId).as("read from the start of the record").isEqualTo("msg-big");
            assertThat(letter.rawPayload).isEqualTo(message.json().substring(0, 1000));
            assertThat(letter.payloadTruncated).isTrue();
        }

        @Test
        void theLimitItselfIsAccepted() {
            RawMessage raw = update().raw();
            MessageValidator validator = new MessageValidator(raw.sizeBytes, 100, Set.of(VERSION));

            assertThat(validator.validate(raw).isAccepted()).isTrue();
            assertThat(new MessageValidator(raw.sizeBytes - 1, 100, Set.of(VERSION)).validate(raw).deadLetter().reason)
                    .isEqualTo(OVERSIZE);
        }

        @Test
        void cutShortByTheSource() {
            Message message = metrics().messageId("msg-cut");
            byte[] whole = message.bytes();
            RawMessage raw = new RawMessage(Arrays.copyOf(whole, 150), whole.length, "kafka:t/0@1", 7L);

            DeadLetter letter = rejected(VALIDATOR, raw);

            assertThat(letter.reason).isEqualTo(OVERSIZE);
            assertThat(letter.detail)
                    .isEqualTo(whole.length + " bytes, cut by the source to 150 bytes (limit 65536 bytes)");
            assertThat(letter.messageId).isEqualTo("msg-cut");
            assertThat(letter.rawPayload).isEqualTo(message.json().substring(0, 150));
            assertThat(letter.payloadTruncated).isTrue();
            assertThat(letter.rawPayloadBytes).isEqualTo(whole.length);
        }

        @Test
        void checkedBeforeTheSyntax() {
            assertThat(new MessageValidator(10, 10, Set.of(VERSION)).validate(raw("not json at all")).deadLetter().reason)
                    .isEqualTo(OVERSIZE);
        }
    }

    @Nested
    class MalformedJson {

        private DeadLetter malformed(RawMessage raw) {
            DeadLetter letter = rejected(VALIDATOR, raw);
            assertThat(letter.reason).as("%s", letter).isEqualTo(MALFORMED_JSON);
            return letter;
        }

        @ParameterizedTest
        @ValueSource(strings = {"", "   ", "\n\t"})
        void empty(String text) {
            assertThat(malformed(raw(text)).detail).isEqualTo("empty message");
        }

        @Test
        void noBody() {
            assertThat(malformed(new RawMessage(null, 0, "p", 1L)).detail).isEqualTo("empty message");
        }

        @ParameterizedTest
        @ValueSource(strings = {"[]", "[{\"message_id\":\"m\"}]", "\"text\"", "42", "true", "null"})
        void topLevelNotAnObject(String text) {
            assertThat(malformed(raw(text)).detail).matches("top level is [a-z]+, not an object");
        }

        @Test
        void notUtf8() {
            Message message = start().messageId("msg-latin1");
            byte[] bytes = message.bytes();
            int at = message.json().indexOf("mplp-workflow-service");
            bytes[at] = (byte) 0xE9; // 'é' in ISO-8859-1, a truncated sequence in UTF-8

            DeadLetter letter = malformed(raw(bytes));

            assertThat(letter.detail).isEqualTo("invalid UTF-8 at byte offset " + at);
            assertThat(letter.messageId).isEqualTo("msg-latin1");
            assertThat(letter.rawPayload).contains("\uFFFD");
        }

        @Test
        void overlongUtf8() {
            byte[] bytes = {'{', '"', 'a', '"', ':', '"', (byte) 0xC0, (byte) 0xAF, '"', '}'};

            assertThat(malformed(raw(bytes)).detail).isEqualTo("invalid UTF-8 at byte offset 6");
        }

        @Test
        void syntaxErrorWithLineAndColumn() {
            String text = "{\n  \"message_id\": \"msg-broken\",\n  \"message_type\": ,\n}";

            DeadLetter letter = malformed(raw(text));

            assertThat(letter.detail).startsWith("Unexpected character (',' (code 44))").endsWith("at line 3, column 19");
            assertThat(letter.messageId).isEqualTo("msg-broken");
        }

        @Test
        void cutShort() {
            Message message = completion().messageId("msg-short");
            String text = message.json();

            DeadLetter letter = malformed(raw(text.substring(0, text.length() - 20)));

            assertThat(letter.detail).contains("Unexpected end-of-input").contains("line 1, column");
            assertThat(letter.messageId).isEqualTo("msg-short");
        }

        @ParameterizedTest
        @ValueSource(strings = {" x", " {}", "}", ",", " []", " null"})
        void trailingContent(String trailer) {
            Message message = update().messageId("msg-trailing");

            DeadLetter letter = malformed(raw(message.json() + trailer));

            assertThat(letter.detail).contains("line 1, column");
            assertThat(letter.messageId).isEqualTo("msg-trailing");
        }

        @Test
        void keyTwiceInOneObject() {
            String text = update().messageId("msg-first").json().replaceFirst("\\{", "{\"message_id\":\"msg-second\",");

            DeadLetter letter = malformed(raw(text));

            assertThat(letter.detail).startsWith("Duplicate field 'message_id'");
        }

        @Test
        void nonStandardNumbers() {
            String text = update().json().replace("\"duration_ms\":2500", "\"duration_ms\":NaN");

            assertThat(malformed(raw(text)).detail).contains("NaN");
        }
    }

    @Nested
    class MessageTypeField {

        @ParameterizedTest
        @ValueSource(strings = {"trace.execution.pause", "TRACE.EXECUTION.START", "", "trace_start"})
        void unknown(String type) {
            assertRejected(start().set("message_type", type), UNKNOWN_MESSAGE_TYPE, "message_type \"" + type + "\"");
        }

        @Test
        void missing() {
            assertRejected(start().remove("message_type"), MISSING_FIELD, "message_type");
            assertRejected(start().set("message_type", null), MISSING_FIELD, "message_type");
        }

        @Test
        void notAString() {
            assertRejected(start().set("message_type", 1), INVALID_TYPE, "message_type");
        }

        @Test
        void checkedBeforeTheProtocolVersion() {
            assertThat(rejected(start().set("message_type", "x").set("protocol_version", "9")).reason)
                    .isEqualTo(UNKNOWN_MESSAGE_TYPE);
        }

        @Test
        void longValuesAreCutInTheDetail() {
            DeadLetter letter = rejected(start().set("message_type", "t".repeat(1000)));

            assertThat(letter.detail).hasSize(MessageValidator.MAX_DETAIL_CHARS + 3).endsWith("...");
        }
    }

    @Nested
    class ProtocolVersion {

        @Test
        void unsupported() {
            assertRejected(update().set("protocol_version", "2.0.0"), UNSUPPORTED_PROTOCOL_VERSION,
                    "protocol_version \"2.0.0\" (supported: 1.0.0-alpha)");
        }

        @Test
        void missing() {
            assertRejected(update().remove("protocol_version"), MISSING_FIELD, "protocol_version");
        }

        @Test
        void notAString() {
            assertRejected(update().set("protocol_version", 1.0), INVALID_TYPE, "protocol_version");
        }

        @Test
        void everyConfiguredVersionIsAccepted() {
            MessageValidator validator = new MessageValidator(1 << 16, 100, Set.of(VERSION, "1.0.0"));

            assertThat(validator.validate(metrics().set("protocol_version", "1.0.0").raw()).isAccepted()).isTrue();
            assertThat(validator.validate(metrics().raw()).isAccepted()).isTrue();
        }

        @Test
        void checkedBeforeTheFields() {
            assertThat(rejected(update().set("protocol_version", "0.9").remove("payload")).reason)
                    .isEqualTo(UNSUPPORTED_PROTOCOL_VERSION);
        }
    }

    @Nested
    class MissingField {

        static Stream<Arguments> requiredPaths() {
            Map<MessageType, List<String>> body = Map.of(
                    MessageType.START, List.of("trace_id", "span_id", "operation_name", "service_name", "start_time"),
                    MessageType.UPDATE, List.of("trace_id", "span_id", "update_timestamp", "status"),
                    MessageType.COMPLETE, List.of("trace_id", "span_id", "completion_timestamp", "status"),
                    MessageType.METRICS, List.of("trace_id", "span_id", "collection_timestamp"));
            return Arrays.stream(MessageType.values()).flatMap(type -> {
                String bodyPath = "payload." + type.payloadField();
                Stream<String> envelope = Stream.of("message_id", "sender", "sender.sender_id", "payload", bodyPath);
                return Stream.concat(envelope, body.get(type).stream().map(field -> bodyPath + "." + field))
                        .map(path -> Arguments.of(type, path));
            });
        }

        @ParameterizedTest(name = "{0} {1}")
        @MethodSource("requiredPaths")
        void absent(MessageType type, String path) {
            assertRejected(ProtocolMessages.of(type).remove(path), MISSING_FIELD, path);
        }

        @ParameterizedTest(name = "{0} {1}")
        @MethodSource("requiredPaths")
        void nullIsAbsent(MessageType type, String path) {
            assertRejected(ProtocolMessages.of(type).set(path, null), MISSING_FIELD, path);
        }

        @Test
        void theMessageIdIsNotInADeadLetterWithout() {
            assertThat(rejected(start().remove("message_id")).messageId).isNull();
        }

        @ParameterizedTest
        @EnumSource(MessageType.class)
        void theEnvelopeTimestampFallsBackToTheBodysTime(MessageType type) {
            Message message = ProtocolMessages.of(type).remove("timestamp");

            TraceEvent event = accepted(message);

            assertThat(event.eventTime).isEqualTo(message.node().at("/payload/" + type.payloadField() + "/"
                    + message.timeField()).asText().transform(java.time.Instant::parse).toEpochMilli());
        }

        @ParameterizedTest
        @EnumSource(MessageType.class)
        void theEnvelopeTimestampIsRequiredWithoutTheBodysTime(MessageType type) {
            Message message = ProtocolMessages.of(type);
            message.remove("timestamp").removeFromBody(message.timeField());

            assertRejected(message, MISSING_FIELD, "timestamp");
        }

        @Test
        void optionalFieldsMayBeAbsent() {
            accepted(start().remove("correlation_id").remove("security").removeFromBody("parent_span_id")
                    .removeFromBody("monitoring_configuration").removeFromBody("span_attributes"));
            accepted(update().removeFromBody("performance_metrics").removeFromBody("span_logs"));
            accepted(completion().removeFromBody("span_status").removeFromBody("performance_summary"));
            accepted(metrics().removeFromBody("collection_id").removeFromBody("system_metrics"));
        }

        @Test
        void reportedBeforeTimestampsAndIds() {
            DeadLetter letter = rejected(update().set("timestamp", "soon").traceId("x").removeFromBody("status"));

            assertThat(letter.reason).isEqualTo(MISSING_FIELD);
            assertThat(letter.detail).isEqualTo("payload.trace_update.status");
        }
    }

    @Nested
    class InvalidType {

        static Stream<Arguments> cases() {
            return Stream.of(
                    // envelope
                    invalid(() -> start().set("message_id", ""), "message_id"),
                    invalid(() -> start().set("message_id", "  "), "message_id"),
                    invalid(() -> start().set("message_id", 7), "message_id"),
                    invalid(() -> start().set("timestamp", 1_756_893_600_000L), "timestamp"),
                    invalid(() -> start().set("sender", "workflow-service-001"), "sender"),
                    invalid(() -> start().set("sender.sender_id", List.of("a")), "sender.sender_id"),
                    invalid(() -> start().set("payload", List.of()), "payload"),
                    invalid(() -> start().set("payload.trace_start", "start"), "payload.trace_start"),
                    invalid(() -> start().set("payload.trace_update", Map.of()), "payload.trace_update"),
                    invalid(() -> metrics().set("payload.extra", 1), "payload.extra"),
                    // required strings
                    invalid(() -> start().traceId(null).set("payload.trace_start.trace_id", 42),
                            "payload.trace_start.trace_id"),
                    invalid(() -> start().setInBody("service_name", " "), "payload.trace_start.service_name"),
                    invalid(() -> start().setInBody("operation_name", Map.of()), "payload.trace_start.operation_name"),
                    invalid(() -> update().setInBody("status", true), "payload.trace_update.status"),
                    invalid(() -> completion().setInBody("completion_timestamp", 5), "payload.trace_completion.completion_timestamp"),
                    // detection numbers
                    invalid(() -> update().setInBody("performance_metrics.duration_ms", "fast"),
                            "payload.trace_update.performance_metrics.duration_ms"),
                    invalid(() -> update().setInBody("performance_metrics.duration_ms", -1),
                            "payload.trace_update.performance_metrics.duration_ms"),
                    invalid(() -> update().setInBody("performance_metrics.system_metrics.cpu_usage_percent", 100.5),
                            "payload.trace_update.performance_metrics.system_metrics.cpu_usage_percent"),
                    invalid(() -> update().setInBody("performance_metrics.system_metrics.memory_usage_mb", true),
                            "payload.trace_update.performance_metrics.system_metrics.memory_usage_mb"),
                    invalid(() -> update().setInBody("performance_metrics.application_metrics.error_rate_percent", -0.1),
                            "payload.trace_update.performance_metrics.application_metrics.error_rate_percent"),
                    invalid(() -> update().setInBody("performance_metrics.application_metrics.latency_p95_ms", "1750"),
                            "payload.trace_update.performance_metrics.application_metrics.latency_p95_ms"),
                    invalid(() -> update().setInBody("progress_percentage", 101),
                            "payload.trace_update.progress_percentage"),
                    invalid(() -> start().setInBody("monitoring_configuration.alert_thresholds.cpu_usage_percent", "high"),
                            "payload.trace_start.monitoring_configuration.alert_thresholds.cpu_usage_percent"),
                    invalid(() -> start().setInBody("monitoring_configuration.alert_thresholds.duration_ms", -5),
                            "payload.trace_start.monitoring_configuration.alert_thresholds.duration_ms"),
                    invalid(() -> start().setInBody("monitoring_configuration.performance_targets.max_error_rate_percent", 150),
                            "payload.trace_start.monitoring_configuration.performance_targets.max_error_rate_percent"),
                    invalid(() -> completion().setInBody("performance_summary.failed_operations", 12.5),
                            "payload.trace_completion.performance_summary.failed_operations"),
                    invalid(() -> completion().setInBody("performance_summary.failed_operations", 2000),
                            "payload.trace_completion.performance_summary.failed_operations"),
                    invalid(() -> completion().setInBody("performance_summary.total_operations", -1),
                            "payload.trace_completion.performance_summary.total_operations"),
                    invalid(() -> completion().setInBody("final_metrics.peak_cpu_usage_percent", 250),
                            "payload.trace_completion.final_metrics.peak_cpu_usage_percent"),
                    invalid(() -> metrics().setInBody("system_metrics.memory.used_bytes", -1),
                            "payload.metrics_collection.system_metrics.memory.used_bytes"),
                    invalid(() -> metrics().setInBody("system_metrics.cpu.usage_percent", "58.7"),
                            "payload.metrics_collection.system_metrics.cpu.usage_percent"),
                    invalid(() -> metrics().setInBody("application_metrics.http.error_rate_percent", 200),
                            "payload.metrics_collection.application_metrics.http.error_rate_percent"),
                    // binding
                    invalid(() -> start().set("correlation_id", 5), "correlation_id"),
                    invalid(() -> start().set("sender.authentication.token", Map.of()), "sender.authentication.token"),
                    invalid(() -> start().setInBody("span_attributes", List.of()), "payload.trace_start.span_attributes"),
                    invalid(() -> start().setInBody("monitoring_configuration", "on"),
                            "payload.trace_start.monitoring_configuration"),
                    invalid(() -> start().setInBody("sampling_configuration.trace_flags", "detailed"),
                            "payload.trace_start.sampling_configuration.trace_flags"),
                    invalid(() -> update().setInBody("span_logs[1].log_level", 5),
                            "payload.trace_update.span_logs[1].log_level"),
                    invalid(() -> update().setInBody("performance_metrics", List.of(1)),
                            "payload.trace_update.performance_metrics"),
                    invalid(() -> completion().setInBody("execution_result.success", "yes"),
                            "payload.trace_completion.execution_result.success"),
                    invalid(() -> completion().setInBody("final_metrics.total_network_io_bytes",
                                    new java.math.BigInteger("123456789012345678901234567890")),
                            "payload.trace_completion.final_metrics.total_network_io_bytes"),
                    invalid(() -> metrics().setInBody("custom_metrics.mplp_specific.trace_spans_per_sec", "fast"),
                            "payload.metrics_collection.custom_metrics.mplp_specific.trace_spans_per_sec"),
                    invalid(() -> metrics().setInBody("collection_interval_ms", 0.5),
                            "payload.metrics_collection.collection_interval_ms"));
        }

        private static Arguments invalid(Supplier<Message> message, String path) {
            return Arguments.of(path, message);
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource("cases")
        void atThePath(String path, Supplier<Message> message) {
            assertRejected(message.get(), INVALID_TYPE, path);
        }

        @Test
        void infiniteNumbers() {
            String text = update().json().replace("\"duration_ms\":2500", "\"duration_ms\":1e400");

            DeadLetter letter = rejected(VALIDATOR, raw(text));

            assertThat(letter.reason).isEqualTo(INVALID_TYPE);
            assertThat(letter.detail).isEqualTo("payload.trace_update.performance_metrics.duration_ms");
        }

        @Test
        void edgesOfTheRangesAreAccepted() {
            accepted(update().setInBody("performance_metrics.system_metrics.cpu_usage_percent", 100)
                    .setInBody("performance_metrics.application_metrics.error_rate_percent", 0)
                    .setInBody("performance_metrics.duration_ms", 0.0)
                    .setInBody("progress_percentage", 100.0));
            accepted(completion().setInBody("performance_summary.failed_operations", 1567));
        }
    }

    @Nested
    class InvalidTimestamp {

        static Stream<Arguments> cases() {
            return Stream.of(
                    Arguments.of(start().set("timestamp", "yesterday"), "timestamp"),
                    Arguments.of(start().set("timestamp", "2025-09-03T10:00:00.000"), "timestamp"),
                    Arguments.of(start().setInBody("start_time", "2025-09-03T10:00:00"), "payload.trace_start.start_time"),
                    Arguments.of(start().remove("timestamp").setInBody("start_time", "10:00"),
                            "payload.trace_start.start_time"),
                    Arguments.of(update().setInBody("update_timestamp", ""), "payload.trace_update.update_timestamp"),
                    Arguments.of(update().setInBody("span_events[0].event_timestamp", "2025-09-03"),
                            "payload.trace_update.span_events[0].event_timestamp"),
                    Arguments.of(update().setInBody("span_logs[1].log_timestamp", "2025-09-03T25:00:00Z"),
                            "payload.trace_update.span_logs[1].log_timestamp"),
                    Arguments.of(update().setInBody("performance_metrics.timestamp", "now"),
                            "payload.trace_update.performance_metrics.timestamp"),
                    Arguments.of(update().setInBody("alert_evaluations", List.of(Map.of("evaluation_timestamp", "x"))),
                            "payload.trace_update.alert_evaluations[0].evaluation_timestamp"),
                    Arguments.of(update().setInBody("anomaly_detection_results.anomaly_details",
                                    List.of(Map.of("detection_timestamp", "x"))),
                            "payload.trace_update.anomaly_detection_results.anomaly_details[0].detection_timestamp"),
                    Arguments.of(completion().setInBody("completion_timestamp", "2025-09-03T10:05:45+0000"),
                            "payload.trace_completion.completion_timestamp"),
                    Arguments.of(metrics().setInBody("collection_timestamp", "+999999999-12-31T23:59:59Z"),
                            "payload.metrics_collection.collection_timestamp"));
        }

        @ParameterizedTest(name = "{1}")
        @MethodSource("cases")
        void atThePath(Message message, String path) {
            assertRejected(message, INVALID_TIMESTAMP, path);
        }

        @Test
        void offsetsOtherThanZ() {
            TraceEvent event = accepted(start().set("timestamp", "2025-09-03T12:00:00+02:00"));

            assertThat(event.eventTime).isEqualTo(ProtocolMessages.START_TIME.toEpochMilli());
        }

        @Test
        void reportedBeforeIds() {
            assertThat(rejected(update().set("timestamp", "soon").traceId("x")).reason).isEqualTo(INVALID_TIMESTAMP);
        }
    }

    @Nested
    class Ids {

        @ParameterizedTest
        @ValueSource(strings = {"4BF92F3577B34DA6A3CE929D0E0E4736", "4bf92f3577b34da6a3ce929d0e0e473",
            "4bf92f3577b34da6a3ce929d0e0e47360", "00000000000000000000000000000000", "4bf92f3577b34da6a3ce929d0e0e473g",
            "", " 4bf92f3577b34da6a3ce929d0e0e473", "4bf92f35-77b3-4da6-a3ce-929d0e0e4736"})
        void invalidTraceIds(String traceId) {
            allTypes().forEach(message ->
                    assertRejected(message.traceId(traceId), INVALID_TRACE_ID, message.path("trace_id")));
        }

        @ParameterizedTest
        @ValueSource(strings = {"00F067AA0BA902B7", "00f067aa0ba902b", "00f067aa0ba902b70", "0000000000000000",
            "00f067aa0ba902bz", ""})
        void invalidSpanIds(String spanId) {
            allTypes().forEach(message ->
                    assertRejected(message.spanId(spanId), INVALID_SPAN_ID, message.path("span_id")));
        }

        @ParameterizedTest
        @ValueSource(strings = {"0000000000000000", "ABCDEF0123456789", "", "root"})
        void invalidParentSpanIds(String parentSpanId) {
            assertRejected(start().parentSpanId(parentSpanId), INVALID_SPAN_ID, "payload.trace_start.parent_span_id");
        }

        @Test
        void validIds() {
            TraceEvent event = accepted(start().traceId("0af7651916cd43dd8448eb211c80319c")
                    .spanId("b7ad6b7169203331").parentSpanId("00f067aa0ba902b7"));

            assertThat(event.traceId).isEqualTo("0af7651916cd43dd8448eb211c80319c");
            assertThat(event.spanId).isEqualTo("b7ad6b7169203331");
            assertThat(event.parentSpanId).isEqualTo("00f067aa0ba902b7");
            assertThat(accepted(start().parentSpanId(null)).parentSpanId).isNull();
        }

        @Test
        void traceIdBeforeSpanId() {
            assertThat(rejected(start().traceId("x").spanId("y")).reason).isEqualTo(INVALID_TRACE_ID);
        }
    }

    @Nested
    class RawPayloadCut {

        @Test
        void cutToTheConfiguredBytes() {
            Message message = start().spanId("bad");
            RawMessage raw = message.raw();

            DeadLetter letter = rejected(new MessageValidator(1 << 16, 64, Set.of(VERSION)), raw);

            assertThat(letter.reason).isEqualTo(INVALID_SPAN_ID);
            assertThat(letter.rawPayload).isEqualTo(message.json().substring(0, 64));
            assertThat(letter.payloadTruncated).isTrue();
            assertThat(letter.rawPayloadBytes).isEqualTo(raw.sizeBytes);
        }

        @Test
        void neverSplitsACharacter() {
            Message message = start().spanId("bad").setInBody("service_name", "svc-\uD83D\uDE00-é");
            byte[] bytes = message.bytes();
            String emoji = "\uD83D\uDE00";
            int emojiAt = new String(bytes, StandardCharsets.UTF_8).indexOf(emoji);
            int emojiByte = message.json().substring(0, emojiAt).getBytes(StandardCharsets.UTF_8).length;

            for (int budget = emojiByte; budget < emojiByte + 4; budget++) {
                DeadLetter letter = rejected(new MessageValidator(1 << 16, budget, Set.of(VERSION)), raw(bytes));
                assertThat(letter.rawPayload).isEqualTo(message.json().substring(0, emojiAt));
                assertThat(letter.payloadTruncated).isTrue();
            }
            DeadLetter letter = rejected(new MessageValidator(1 << 16, emojiByte + 4, Set.of(VERSION)), raw(bytes));
            assertThat(letter.rawPayload).endsWith(emoji);
        }

        @Test
        void replacementCharactersCountInTheBudget() {
            byte[] bytes = new byte[50];
            Arrays.fill(bytes, (byte) 0xFF);

            DeadLetter letter = rejected(new MessageValidator(1 << 16, 20, Set.of(VERSION)), raw(bytes));

            assertThat(letter.reason).isEqualTo(MALFORMED_JSON);
            assertThat(letter.rawPayload).isEqualTo("\uFFFD".repeat(6));
            assertThat(letter.rawPayload.getBytes(StandardCharsets.UTF_8)).hasSizeLessThanOrEqualTo(20);
            assertThat(letter.payloadTruncated).isTrue();
        }

        @Test
        void zeroBytes() {
            DeadLetter letter = rejected(new MessageValidator(1 << 16, 0, Set.of(VERSION)), raw("{"));

            assertThat(letter.rawPayload).isEmpty();
            assertThat(letter.payloadTruncated).isTrue();
        }

        @Test
        void wholeRecordWhenItFits() {
            DeadLetter letter = rejected(new MessageValidator(1 << 16, 5, Set.of(VERSION)), raw("[1,2]"));

            assertThat(letter.rawPayload).isEqualTo("[1,2]");
            assertThat(letter.payloadTruncated).isFalse();
        }
    }
}
