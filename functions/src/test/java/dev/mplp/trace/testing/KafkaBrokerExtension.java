package dev.mplp.trace.testing;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One real Kafka broker per test class:
 * {@code @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();}
 */
public final class KafkaBrokerExtension implements BeforeAllCallback, AfterAllCallback {

    private KafkaBroker broker;
    /** The context that started the broker: @Nested classes see the callbacks again and must not restart it. */
    private String owner;

    @Override
    public void beforeAll(ExtensionContext context) {
        if (broker == null) {
            broker = new KafkaBroker().start();
            owner = context.getUniqueId();
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (broker != null && context.getUniqueId().equals(owner)) {
            broker.stop();
            broker = null;
        }
    }

    public String bootstrapServers() {
        return broker().bootstrapServers();
    }

    public void createTopic(String name, int partitions) {
        broker().createTopic(name, partitions);
    }

    /** The broker itself, for fault tests ({@link KafkaBroker#restart()}, {@link KafkaBroker#kill()}). */
    public KafkaBroker broker() {
        if (broker == null) {
            throw new IllegalStateException("the Kafka broker runs only between beforeAll and afterAll;"
                    + " register the extension on a static field");
        }
        return broker;
    }
}
