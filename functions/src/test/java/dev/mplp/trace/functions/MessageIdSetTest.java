package dev.mplp.trace.functions;

import static org.apache.flink.types.PojoTestUtils.assertSerializedAsPojoWithoutKryo;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MessageIdSetTest {

    @Test
    void holdsEveryIdAddedAndNoOther() {
        MessageIdSet ids = new MessageIdSet();
        for (int i = 0; i < 50_000; i++) {
            assertThat(ids.add(MessageIdSet.digest("msg-" + i))).isTrue();
        }
        assertThat(ids.add(MessageIdSet.digest("msg-17"))).as("there already").isFalse();
        assertThat(ids.size).isEqualTo(50_000);
        for (int i = 0; i < 50_000; i++) {
            assertThat(ids.contains(MessageIdSet.digest("msg-" + i))).isTrue();
            assertThat(ids.contains(MessageIdSet.digest("other-" + i))).isFalse();
        }
    }

    @Test
    void keepsFrom20To40BytesPerIdWhateverTheIdsLength() {
        MessageIdSet ids = new MessageIdSet();
        String longPrefix = "x".repeat(1_000);
        for (int i = 1; i <= 20_000; i++) {
            ids.add(MessageIdSet.digest(longPrefix + i));
            if (i >= 100) {
                double bytesPerId = ids.slots.length * (double) Long.BYTES / ids.size;
                assertThat(bytesPerId).as("%d ids", i).isBetween(20.0, 40.0);
            }
        }
    }

    @Test
    void digestsAreFixedWidthAndNeverTheEmptySlot() {
        assertThat(MessageIdSet.digest("")).hasSize(2).isNotEqualTo(new long[] {0, 0});
        assertThat(MessageIdSet.digest("msg-1")).isEqualTo(MessageIdSet.digest("msg-1"))
                .isNotEqualTo(MessageIdSet.digest("msg-2"));
    }

    @Test
    void serializesAsAPojo() {
        assertSerializedAsPojoWithoutKryo(MessageIdSet.class);
    }
}
