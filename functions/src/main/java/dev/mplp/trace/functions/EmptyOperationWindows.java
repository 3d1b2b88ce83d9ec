package dev.mplp.trace.functions;

import dev.mplp.trace.config.TraceAnalyticsConfig;
import dev.mplp.trace.records.ServiceWindow;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Keyed by (service, operation) ({@link DegradationDetector#key}), between the RED windows and the
 * {@link DegradationDetector}: passes every window on and adds the empty ones that the window operator never emits
 * (an operation whose spans stop has no window, yet its throughput fell to zero), so that the detector sees every
 * window of an operation in order, whether it has spans or not.
 *
 * <p><b>Which empty windows.</b> Those after an operation's last window up to where the event time of the whole
 * input has gone ({@link EventTimeFrontier}, broadcast), but not from where the operation counts as idle
 * ({@code detection.baseline.idle-timeout} after the end of its last window with spans: the detector forgets it
 * there). Only the last of a stretch of empty windows is sent: the detector evaluates the gap before a window first.
 *
 * <p><b>When.</b> While the input runs, as the watermark passes them (one timer per key, at the end of the next
 * window due), so a throughput drop is reported live. When the input ends (the watermark jumps to the end of time,
 * which is also when a BATCH run fires the timers of a key) up to the largest frontier: the same windows whatever the
 * last watermark before the end was, the parallelism, or the execution mode. (In a BATCH run the broadcast frontier
 * is read before any key.)
 */
public class EmptyOperationWindows
        extends KeyedBroadcastProcessFunction<String, ServiceWindow, Long, ServiceWindow> {

    /** The broadcast state with the frontier, under {@link #FRONTIER_KEY}. */
    public static final MapStateDescriptor<String, Long> FRONTIER =
            new MapStateDescriptor<>("event-time-frontier", Types.STRING, Types.LONG);

    private static final String FRONTIER_KEY = "passed-window-end";

    private final long windowMillis;
    private final long idleTimeoutMillis;

    private transient ValueState<OperationProgress> progress;

    public EmptyOperationWindows(TraceAnalyticsConfig.Detection detection) {
        this.windowMillis = detection.windows().size().toMillis();
        this.idleTimeoutMillis = detection.baseline().idleTimeout().toMillis();
    }

    @Override
    public void open(OpenContext openContext) {
        progress = getRuntimeContext()
                .getState(new ValueStateDescriptor<>("operation-progress", OperationProgress.class));
    }

    @Override
    public void processBroadcastElement(Long passedWindowEnd, Context ctx, Collector<ServiceWindow> out)
            throws Exception {
        BroadcastState<String, Long> frontier = ctx.getBroadcastState(FRONTIER);
        Long known = frontier.get(FRONTIER_KEY);
        if (known == null || passedWindowEnd > known) {
            frontier.put(FRONTIER_KEY, passedWindowEnd);
        }
    }

    @Override
    public void processElement(ServiceWindow window, ReadOnlyContext ctx, Collector<ServiceWindow> out)
            throws Exception {
        out.collect(window);
        if (!ServiceWindow.KIND_OPERATION.equals(window.kind) || window.spanCount == 0) {
            return;
        }
        OperationProgress state = progress.value();
        if (state == null) {
            state = new OperationProgress();
            state.serviceName = window.serviceName;
            state.operationName = window.operationName;
        } else {
            ctx.timerService().deleteEventTimeTimer(nextWindowDue(state));
        }
        state.lastWindowEnd = Math.max(state.lastWindowEnd, window.windowEnd);
        state.lastActiveWindowEnd = state.lastWindowEnd;
        progress.update(state);
        ctx.timerService().registerEventTimeTimer(nextWindowDue(state));
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<ServiceWindow> out) throws Exception {
        OperationProgress state = progress.value();
        if (state == null) {
            return;
        }
        long watermark = ctx.currentWatermark();
        boolean inputEnded = watermark == Long.MAX_VALUE;
        long passed;
        if (inputEnded) {
            Long frontier = ctx.getBroadcastState(FRONTIER).get(FRONTIER_KEY);
            passed = frontier == null ? Long.MIN_VALUE : frontier;
        } else {
            passed = Math.floorDiv(watermark + 1, windowMillis) * windowMillis;
        }
        long lastEmpty = lastEmptyWindowEnd(state);
        long end = Math.min(passed, lastEmpty);
        if (end > state.lastWindowEnd) {
            out.collect(emptyWindow(state.serviceName, state.operationName, end - windowMillis, end));
            state.lastWindowEnd = end;
        }
        if (inputEnded || end >= lastEmpty) {
            progress.clear();
        } else {
            progress.update(state);
            ctx.timerService().registerEventTimeTimer(nextWindowDue(state));
        }
    }

    /** The last timestamp of the window after the last one sent: by then, it has come or it is empty. */
    private long nextWindowDue(OperationProgress state) {
        return state.lastWindowEnd + windowMillis - 1;
    }

    /** The end of the last window before the idle timeout, from which on the detector forgets the operation. */
    private long lastEmptyWindowEnd(OperationProgress state) {
        long windowsBeforeIdle = (idleTimeoutMillis + windowMillis - 1) / windowMillis - 1;
        return state.lastActiveWindowEnd + windowsBeforeIdle * windowMillis;
    }

    /** The RED summary of a window without spans: span count 0, throughput 0, no latency or error rate. */
    public static ServiceWindow emptyWindow(String serviceName, String operationName, long start, long end) {
        ServiceWindow empty = new ServiceWindow();
        empty.kind = ServiceWindow.KIND_OPERATION;
        empty.serviceName = serviceName;
        empty.operationName = operationName;
        empty.windowStart = start;
        empty.windowEnd = end;
        empty.throughputOpsPerSec = 0.0;
        return empty;
    }

    /** What is kept of one (service, operation). A Flink POJO. */
    public static class OperationProgress {
        public String serviceName;
        public String operationName;
        /** End of the last window passed on (with spans or empty), epoch ms. */
        public long lastWindowEnd = Long.MIN_VALUE;
        /** End of the last window with spans, epoch ms: the idle timeout counts from it. */
        public long lastActiveWindowEnd = Long.MIN_VALUE;

        public OperationProgress() {}
    }
}
