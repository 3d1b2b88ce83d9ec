package dev.mplp.trace.sinks.alertmanager;

import java.io.Serializable;
import java.net.URI;
import java.net.URISyntaxException;

/** Where Alertmanager listens: {@code http://HOST:PORT} or {@code https://HOST:PORT}, optionally with a path prefix. */
public record AlertmanagerLocation(URI base) implements Serializable {

    public static AlertmanagerLocation parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("empty Alertmanager location; expected http://HOST:PORT");
        }
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("'" + text + "' is not a URL; expected http://HOST:PORT");
        }
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
            throw new IllegalArgumentException("'" + text + "': Alertmanager is reached over http:// or https://");
        }
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("'" + text + "' names no host; expected http://HOST:PORT");
        }
        if (uri.getQuery() != null || uri.getFragment() != null) {
            throw new IllegalArgumentException("'" + text + "': give only http://HOST:PORT[/PATH], no query");
        }
        String path = uri.getPath() == null ? "" : uri.getPath().replaceAll("/+$", "");
        return new AlertmanagerLocation(URI.create(uri.getScheme() + "://" + uri.getRawAuthority() + path));
    }

    /** The v2 API's alerts resource. */
    public URI alertsUri() {
        return URI.create(base + "/api/v2/alerts");
    }

    @Override
    public String toString() {
        return base.toString();
    }
}
