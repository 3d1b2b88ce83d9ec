package dev.mplp.trace.functions;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * A set of message ids held as fixed-width 128-bit digests (the first 16 bytes of the id's SHA-256) in one
 * open-addressing array of longs: 16 bytes per slot, from two fifths to four fifths of the slots used, so 20 to 40
 * bytes of heap per id whatever the id's length (a String key with its own state entry and timer took a few hundred).
 * Two ids share a digest with a probability of about n² / 2¹²⁹ (10⁻²³ for the 30 million ids of ten minutes at
 * 50,000 messages per second); SHA-256 rather than a faster non-cryptographic hash, so that a sender cannot craft an id
 * that collides with another's and have it dropped as a duplicate. A Flink POJO (no Kryo): the state of
 * {@link DeduplicateMessages}.
 */
public class MessageIdSet {

    /** One digester per thread: looking one up for every message cost more than the digest. */
    private static final ThreadLocal<MessageDigest> SHA_256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    });

    /** The smallest table: 8 slots. */
    private static final int MIN_SLOTS = 8;

    /** Two longs per slot (high, low); a slot of two zeros is empty (a digest of two zeros is stored as (0, 1)). */
    public long[] slots = new long[2 * MIN_SLOTS];
    /** Ids held. */
    public int size;

    public MessageIdSet() {}

    /** The 128-bit digest of an id: {@code [high, low]}. */
    public static long[] digest(String messageId) {
        byte[] sha = SHA_256.get().digest(messageId.getBytes(StandardCharsets.UTF_8));
        long high = 0;
        long low = 0;
        for (int i = 0; i < 8; i++) {
            high = high << 8 | (sha[i] & 0xFF);
            low = low << 8 | (sha[8 + i] & 0xFF);
        }
        return high == 0 && low == 0 ? new long[] {0, 1} : new long[] {high, low};
    }

    public boolean contains(long[] digest) {
        int at = find(slots, digest[0], digest[1]);
        return slots[at] != 0 || slots[at + 1] != 0;
    }

    /** Adds the digest; false when it was there already. */
    public boolean add(long[] digest) {
        int at = find(slots, digest[0], digest[1]);
        if (slots[at] != 0 || slots[at + 1] != 0) {
            return false;
        }
        slots[at] = digest[0];
        slots[at + 1] = digest[1];
        size++;
        if (size * 5 > capacity() * 4) {
            grow();
        }
        return true;
    }

    /** Slots in the table. */
    public int capacity() {
        return slots.length / 2;
    }

    /** The index of the digest's slot, or of the empty slot where it would go. */
    private static int find(long[] table, long high, long low) {
        int mask = table.length / 2 - 1;
        // the digest's bits are uniform already: its low bits pick the slot
        int slot = (int) low & mask;
        while (true) {
            int at = 2 * slot;
            if ((table[at] == high && table[at + 1] == low) || (table[at] == 0 && table[at + 1] == 0)) {
                return at;
            }
            slot = (slot + 1) & mask;
        }
    }

    private void grow() {
        long[] bigger = new long[slots.length * 2];
        for (int at = 0; at < slots.length; at += 2) {
            if (slots[at] != 0 || slots[at + 1] != 0) {
                int to = find(bigger, slots[at], slots[at + 1]);
                bigger[to] = slots[at];
                bigger[to + 1] = slots[at + 1];
            }
        }
        slots = bigger;
    }
}
