package dev.mplp.trace.sinks.alertmanager;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Not an Alertmanager: a JDK HTTP server on a free loopback port that records each request the client sends
 * (its {@code Authorization} header and body) and answers with a fixed status, so that a test can check what
 * went over the wire. {@link #serve} starts it on a given server, plain or HTTPS.
 */
final class CapturingServer implements AutoCloseable {

    /** One request as received. */
    record Request(String path, String authorization, String body) {}

    private final HttpServer server;
    private final int status;
    final List<Request> requests = new CopyOnWriteArrayList<>();

    private CapturingServer(HttpServer server, int status) {
        this.server = server;
        this.status = status;
    }

    static CapturingServer answering(int status) {
        try {
            return serve(HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0), status);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static CapturingServer serve(HttpServer server, int status) {
        CapturingServer capturing = new CapturingServer(server, status);
        server.createContext("/", capturing::handle);
        server.start();
        return capturing;
    }

    private void handle(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        requests.add(new Request(exchange.getRequestURI().getPath(),
                exchange.getRequestHeaders().getFirst("Authorization"), body));
        byte[] answer = (status / 100 == 2 ? "" : "unavailable").getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, answer.length == 0 ? -1 : answer.length);
        exchange.getResponseBody().write(answer);
        exchange.close();
    }

    AlertmanagerLocation location() {
        return AlertmanagerLocation.parse((server instanceof HttpsServer ? "https" : "http") + "://127.0.0.1:"
                + server.getAddress().getPort());
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
