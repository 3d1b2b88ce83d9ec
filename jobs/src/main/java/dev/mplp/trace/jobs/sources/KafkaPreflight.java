package dev.mplp.trace.jobs.sources;

import dev.mplp.trace.config.Endpoint;
import dev.mplp.trace.config.KafkaClientProperties;
import dev.mplp.trace.config.TraceAnalyticsConfig;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.SslAuthenticationException;

/**
 * Before a job starts, each Kafka endpoint's cluster is asked for its id with the job's client settings. Wrong credentials
 * or TLS settings then stop the command at once with a message naming the endpoint and the cause, instead of a
 * job whose source fails and restarts in the background.
 */
public final class KafkaPreflight {

    /** How long the broker may take to answer; a broker that does not answer at all is reported as unreachable. */
    private static final long ANSWER_SECONDS = 30;

    /** How long a TCP connection to a bootstrap server may take: no server accepting one fails in seconds. */
    private static final int CONNECT_MILLIS = 3000;

    private KafkaPreflight() {}

    /**
     * @param option the command-line option naming the endpoint, for the message
     * @throws IllegalArgumentException when the endpoint cannot be used
     */
    public static void check(String option, Endpoint endpoint, TraceAnalyticsConfig config) {
        if (!(endpoint instanceof Endpoint.Kafka kafka)) {
            return;
        }
        requireOneReachable(option, kafka);
        Properties properties = KafkaClientProperties.resolve(config.kafka().properties());
        properties.setProperty(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        properties.setProperty(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                Long.toString(TimeUnit.SECONDS.toMillis(ANSWER_SECONDS)));
        try (Admin admin = Admin.create(properties)) {
            // connecting authenticates (SASL) and handshakes (TLS); the topic may legitimately not exist yet
            admin.describeCluster().clusterId().get(ANSWER_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            String what = cause instanceof SslAuthenticationException ? "TLS handshake failed"
                    : cause instanceof AuthenticationException ? "authentication failed (check kafka.properties "
                            + "sasl.* or " + KafkaClientProperties.ENV_PREFIX + "* variables)"
                    : cause instanceof AuthorizationException ? "not authorized"
                    : "cannot connect";
            throw new IllegalArgumentException(option + " " + endpoint + ": " + what + ": " + cause.getMessage(), e);
        } catch (TimeoutException e) {
            throw new IllegalArgumentException(option + " " + endpoint + ": no answer from the broker within "
                    + ANSWER_SECONDS + "s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while checking " + endpoint, e);
        }
    }

    /**
     * A bootstrap server that accepts no connection is reported at once, rather than after the Kafka client's retries
     * (half a minute of WARN lines).
     */
    private static void requireOneReachable(String option, Endpoint.Kafka kafka) {
        for (String server : kafka.bootstrapServers().split(",")) {
            int colon = server.lastIndexOf(':');
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(server.substring(0, colon).trim(),
                        Integer.parseInt(server.substring(colon + 1).trim())), CONNECT_MILLIS);
                return;
            } catch (IOException | RuntimeException unreachable) {
                // try the next one
            }
        }
        throw new IllegalArgumentException(option + " " + kafka + ": cannot connect to " + kafka.bootstrapServers()
                + " (no bootstrap server accepted a connection within " + CONNECT_MILLIS / 1000 + "s)");
    }
}
