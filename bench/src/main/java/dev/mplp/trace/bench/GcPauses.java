package dev.mplp.trace.bench;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.ListenerNotFoundException;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * The garbage collections of this JVM while it is open: the embedded Flink runs in the benchmark's JVM, so each
 * collection's pause (G1's young and mixed collections stop every thread) is also a pause of every record in flight.
 * Uses the collectors' notifications (HotSpot's {@code com.sun.management}); where a JVM sends none, it counts none.
 */
final class GcPauses implements AutoCloseable, NotificationListener {

    /**
     * @param collections collections while open
     * @param totalMillis their summed duration
     * @param longestMillis the longest
     */
    record Summary(long collections, long totalMillis, long longestMillis) {}

    private final List<NotificationEmitter> emitters = new ArrayList<>();
    private final AtomicLong collections = new AtomicLong();
    private final AtomicLong totalMillis = new AtomicLong();
    private final AtomicLong longestMillis = new AtomicLong();

    GcPauses() {
        for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (collector instanceof NotificationEmitter emitter) {
                emitter.addNotificationListener(this, null, null);
                emitters.add(emitter);
            }
        }
    }

    @Override
    public void handleNotification(Notification notification, Object handback) {
        if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
            return;
        }
        GarbageCollectionNotificationInfo info =
                GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
        // G1's concurrent cycle reports its whole (mostly concurrent) duration: only the stop-the-world collections
        if (info.getGcName().contains("Concurrent")) {
            return;
        }
        long millis = info.getGcInfo().getDuration();
        collections.incrementAndGet();
        totalMillis.addAndGet(millis);
        longestMillis.accumulateAndGet(millis, Math::max);
    }

    Summary summary() {
        return new Summary(collections.get(), totalMillis.get(), longestMillis.get());
    }

    @Override
    public void close() {
        for (NotificationEmitter emitter : emitters) {
            try {
                emitter.removeNotificationListener(this);
            } catch (ListenerNotFoundException e) {
                // never added: nothing to remove
            }
        }
    }
}
