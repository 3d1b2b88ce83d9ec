package dev.mplp.trace.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mplp.trace.sinks.archive.ArchiveFiles;
import java.nio.file.Path;
import java.util.List;

/** What identifies each output record across two runs of one traffic, to compare them: none lost, none twice. */
final class OutputKeys {

    private OutputKeys() {}

    static String alertKey(JsonNode alert) {
        return alert.get("alert_id").asText() + "/" + alert.get("evaluation_result").asText();
    }

    /** A dead letter's reason and its record's offset: both runs read the same traffic from one partition. */
    static String deadLetterKey(JsonNode deadLetter) {
        String position = deadLetter.get("source_position").asText();
        return deadLetter.get("reason").asText() + "@" + position.substring(position.lastIndexOf('@') + 1);
    }

    /** The message ids of an archive's messages table. */
    static List<String> messageIds(Path archive) {
        return ArchiveFiles.tableRows(archive.resolve("messages")).stream()
                .map(row -> row.getString("message_id", 0))
                .toList();
    }
}
