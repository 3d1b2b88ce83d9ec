package dev.mplp.trace.sinks;

import java.io.IOException;
import org.apache.flink.streaming.api.functions.sink.filesystem.PartFileInfo;
import org.apache.flink.streaming.api.functions.sink.filesystem.rollingpolicies.CheckpointRollingPolicy;

/**
 * Rolls a part file on every checkpoint (so that what a checkpoint covers becomes visible when it completes, and
 * nothing in progress is ever visible) and also when it reaches a size, so that a long checkpoint interval cannot
 * grow one file without bound.
 */
public class CheckpointAndSizeRollingPolicy<IN, BucketID> extends CheckpointRollingPolicy<IN, BucketID> {

    private final long maxPartSizeBytes;

    public CheckpointAndSizeRollingPolicy(long maxPartSizeBytes) {
        this.maxPartSizeBytes = maxPartSizeBytes;
    }

    @Override
    public boolean shouldRollOnEvent(PartFileInfo<BucketID> partFileState, IN element) throws IOException {
        return partFileState.getSize() >= maxPartSizeBytes;
    }

    @Override
    public boolean shouldRollOnProcessingTime(PartFileInfo<BucketID> partFileState, long currentTime) {
        return false;
    }
}
