package dev.mplp.trace.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;

/**
 * Where a job reads or writes: {@code kafka://HOST:PORT[,HOST:PORT...]/TOPIC} or {@code file:PATH}. Parsed once from
 * the command line, with a message that names the problem.
 */
public sealed interface Endpoint {

    record Kafka(String bootstrapServers, String topic) implements Endpoint {
        @Override
        public String toString() {
            return "kafka://" + bootstrapServers + "/" + topic;
        }
    }

    record File(Path path) implements Endpoint {
        @Override
        public String toString() {
            return "file:" + path;
        }
    }

    static Endpoint parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("empty location; expected kafka://HOST:PORT/TOPIC or file:PATH");
        }
        if (text.startsWith("file:")) {
            String path = text.substring("file:".length());
            if (path.startsWith("//")) {
                path = path.substring(2);
            }
            if (path.isEmpty()) {
                throw new IllegalArgumentException("'" + text + "' names no path; expected file:PATH");
            }
            return new File(Path.of(path));
        }
        if (text.startsWith("kafka://")) {
            String rest = text.substring("kafka://".length());
            int slash = rest.indexOf('/');
            if (slash <= 0 || slash == rest.length() - 1) {
                throw new IllegalArgumentException(
                        "'" + text + "' needs brokers and a topic: kafka://HOST:PORT/TOPIC");
            }
            String servers = rest.substring(0, slash);
            String topic = rest.substring(slash + 1);
            for (String server : servers.split(",")) {
                checkHostPort(text, server);
            }
            if (!topic.matches("[A-Za-z0-9._-]{1,249}")) {
                throw new IllegalArgumentException("'" + text + "': '" + topic
                        + "' is not a valid Kafka topic name (letters, digits, '.', '_', '-')");
            }
            return new Kafka(servers, topic);
        }
        throw new IllegalArgumentException(
                "'" + text + "' is not a location this job knows; expected kafka://HOST:PORT/TOPIC or file:PATH");
    }

    private static void checkHostPort(String text, String server) {
        try {
            URI uri = new URI("kafka://" + server);
            if (uri.getHost() == null || uri.getPort() < 1) {
                throw new IllegalArgumentException("'" + text + "': '" + server + "' is not HOST:PORT");
            }
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("'" + text + "': '" + server + "' is not HOST:PORT");
        }
    }
}
