package dev.mplp.trace.ingest;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.util.JsonParserDelegate;
import java.io.IOException;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

/**
 * A parser that fails on a name repeated within one JSON object, as Jackson's
 * {@code StreamReadFeature.STRICT_DUPLICATE_DETECTION} does, without its allocations: Jackson gives every object of
 * three fields or more a new {@link HashSet} of its names, a third of what the one-pass read allocated. Here the names
 * of the objects being read share one array and are compared one by one (a protocol object has a few to twenty); an
 * object that grows past {@link #LINEAR_NAMES} gets a set of its own, so that no record of many names costs a
 * quadratic scan.
 *
 * <p>Every token goes through {@link #nextToken}: Jackson's other ways forward ({@code nextFieldName},
 * {@code nextTextValue}, …) call it, and {@link #nextValue} and {@link #skipChildren} are read here token by token,
 * so a duplicate inside a skipped (unknown) field fails too.
 */
final class UniqueNamesParser extends JsonParserDelegate {

    /** Names compared one by one up to this many in an object; a set beyond. */
    static final int LINEAR_NAMES = 16;

    /** The names of the objects being read, outermost first, and their hashes (compared first). */
    private String[] names = new String[64];
    private int[] hashes = new int[64];
    private int nameCount;
    /** Per open object or array: where its names start in {@link #names}; -1 for an array. */
    private int[] frames = new int[16];
    private int depth;
    /** Per open object: its names as a set once it has more than {@link #LINEAR_NAMES}; else null. */
    private Set<String>[] largeFrames = newSets(16);

    UniqueNamesParser(JsonParser parser) {
        super(parser);
    }

    @Override
    public JsonToken nextToken() throws IOException {
        JsonToken token = delegate.nextToken();
        if (token == null) {
            return null;
        }
        switch (token) {
            case START_OBJECT -> openFrame(nameCount);
            case START_ARRAY -> openFrame(-1);
            case END_OBJECT, END_ARRAY -> closeFrame();
            case FIELD_NAME -> seen(delegate.currentName());
            default -> { }
        }
        return token;
    }

    @Override
    public JsonToken nextValue() throws IOException {
        JsonToken token = nextToken();
        return token == JsonToken.FIELD_NAME ? nextToken() : token;
    }

    @Override
    public JsonParser skipChildren() throws IOException {
        JsonToken current = currentToken();
        if (current != JsonToken.START_OBJECT && current != JsonToken.START_ARRAY) {
            return this;
        }
        int open = 1;
        while (open > 0) {
            JsonToken token = nextToken();
            if (token == null) {
                return this;
            }
            if (token.isStructStart()) {
                open++;
            } else if (token.isStructEnd()) {
                open--;
            }
        }
        return this;
    }

    private void openFrame(int namesStart) {
        if (depth == frames.length) {
            frames = Arrays.copyOf(frames, depth * 2);
            largeFrames = Arrays.copyOf(largeFrames, depth * 2);
        }
        frames[depth] = namesStart;
        largeFrames[depth] = null;
        depth++;
    }

    private void closeFrame() {
        if (depth == 0) {
            return;
        }
        depth--;
        if (frames[depth] >= 0) {
            nameCount = frames[depth];
        }
        largeFrames[depth] = null;
    }

    private void seen(String name) throws JsonParseException {
        if (depth == 0 || frames[depth - 1] < 0) {
            return;
        }
        int frame = depth - 1;
        int start = frames[frame];
        Set<String> large = largeFrames[frame];
        if (large != null) {
            if (!large.add(name)) {
                throw duplicate(name);
            }
            return;
        }
        int hash = name.hashCode();
        for (int i = start; i < nameCount; i++) {
            if (hashes[i] == hash && names[i].equals(name)) {
                throw duplicate(name);
            }
        }
        if (nameCount - start == LINEAR_NAMES) {
            large = new HashSet<>(Arrays.asList(names).subList(start, nameCount));
            large.add(name);
            largeFrames[frame] = large;
            return;
        }
        if (nameCount == names.length) {
            names = Arrays.copyOf(names, nameCount * 2);
            hashes = Arrays.copyOf(hashes, nameCount * 2);
        }
        hashes[nameCount] = hash;
        names[nameCount++] = name;
    }

    private JsonParseException duplicate(String name) {
        return new JsonParseException(this, "Duplicate field '" + name + "'");
    }

    @SuppressWarnings("unchecked")
    private static Set<String>[] newSets(int size) {
        return (Set<String>[]) new Set<?>[size];
    }
}
