package dev.mplp.trace.jobs.metrics;

import java.util.function.LongConsumer;
import org.apache.flink.api.common.eventtime.TimestampAssigner;
import org.apache.flink.api.common.eventtime.TimestampAssignerSupplier;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkAlignmentParams;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkGeneratorSupplier;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MetricGroup;

/**
 * A watermark strategy that is another one plus the gauge {@value DashboardMetricNames#EVENT_TIME_LAG_SECONDS}: how far
 * the watermark its subtask last emitted trails the wall clock. Live traffic keeps it near the out-of-orderness; a
 * growing lag means the job falls behind (or an input holds the watermark back). A replay of old data shows the age
 * of the data. NaN until the first watermark.
 */
public final class EventTimeLag<T> implements WatermarkStrategy<T> {

    private final WatermarkStrategy<T> strategy;

    private EventTimeLag(WatermarkStrategy<T> strategy) {
        this.strategy = strategy;
    }

    public static <T> WatermarkStrategy<T> measured(WatermarkStrategy<T> strategy) {
        return new EventTimeLag<>(strategy);
    }

    @Override
    public TimestampAssigner<T> createTimestampAssigner(TimestampAssignerSupplier.Context context) {
        return strategy.createTimestampAssigner(context);
    }

    @Override
    public WatermarkAlignmentParams getAlignmentParameters() {
        return strategy.getAlignmentParameters();
    }

    @Override
    public WatermarkGenerator<T> createWatermarkGenerator(WatermarkGeneratorSupplier.Context context) {
        WatermarkGenerator<T> generator = strategy.createWatermarkGenerator(context);
        LastWatermark last = register(context.getMetricGroup());
        return new WatermarkGenerator<>() {
            @Override
            public void onEvent(T event, long eventTimestamp, WatermarkOutput output) {
                generator.onEvent(event, eventTimestamp, last.recording(output));
            }

            @Override
            public void onPeriodicEmit(WatermarkOutput output) {
                generator.onPeriodicEmit(last.recording(output));
            }
        };
    }

    /**
     * The gauge, in {@code group}, for an operator that emits watermarks it does not generate (it passes on its
     * source's): give each watermark it emits to the returned consumer.
     */
    public static LongConsumer gauge(MetricGroup group) {
        return register(group)::emitted;
    }

    private static LastWatermark register(MetricGroup group) {
        LastWatermark last = new LastWatermark();
        group.addGroup(DashboardMetricNames.GROUP)
                .gauge(DashboardMetricNames.flinkName(DashboardMetricNames.EVENT_TIME_LAG_SECONDS),
                        (Gauge<Double>) last::lagSeconds);
        return last;
    }

    /** The newest watermark emitted, written by the task thread and read by the metric reporter's. */
    private static final class LastWatermark {
        private volatile long timestamp = Long.MIN_VALUE;

        void emitted(long watermark) {
            timestamp = Math.max(timestamp, watermark);
        }

        double lagSeconds() {
            long watermark = timestamp;
            return watermark == Long.MIN_VALUE ? Double.NaN : (System.currentTimeMillis() - watermark) / 1000.0;
        }

        WatermarkOutput recording(WatermarkOutput output) {
            return new WatermarkOutput() {
                @Override
                public void emitWatermark(Watermark watermark) {
                    emitted(watermark.getTimestamp());
                    output.emitWatermark(watermark);
                }

                @Override
                public void markIdle() {
                    output.markIdle();
                }

                @Override
                public void markActive() {
                    output.markActive();
                }
            };
        }
    }
}
