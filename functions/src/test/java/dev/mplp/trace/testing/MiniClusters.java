package dev.mplp.trace.testing;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import java.util.List;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.util.MiniClusterPipelineExecutorServiceLoader;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The one MiniCluster factory of the test suite: small (two slots, little managed memory) so that the whole suite
 * fits a 2-core CI machine, one cluster per test class: {@code @RegisterExtension static final
 * MiniClusters.Extension FLINK = MiniClusters.extension();}. While it runs,
 * {@code StreamExecutionEnvironment.getExecutionEnvironment()} submits to it.
 *
 * <p>A JUnit 5 extension of our own rather than Flink's {@code MiniClusterExtension}, which is built on JUnit 4
 * classes: this project has no JUnit 4 anywhere.
 */
public final class MiniClusters {

    /** The parallelism the cluster has slots for. */
    public static final int PARALLELISM = 2;

    private MiniClusters() {}

    public static Extension extension() {
        return new Extension(new Configuration());
    }

    /** A cluster with these settings added to the small defaults (e.g. a metric reporter). */
    public static Extension extension(Configuration settings) {
        return new Extension(settings);
    }

    /** Starts a MiniCluster before the class's tests and makes it the context of every job they run. */
    public static final class Extension implements BeforeAllCallback, AfterAllCallback {
        private final Configuration settings;
        private MiniCluster cluster;

        private Extension(Configuration settings) {
            this.settings = settings;
        }

        @Override
        public void beforeAll(ExtensionContext context) throws Exception {
            Configuration config = new Configuration(settings);
            config.set(TaskManagerOptions.MANAGED_MEMORY_SIZE, MemorySize.ofMebiBytes(32));
            config.set(TaskManagerOptions.NETWORK_MEMORY_MIN, MemorySize.ofMebiBytes(32));
            config.set(TaskManagerOptions.NETWORK_MEMORY_MAX, MemorySize.ofMebiBytes(32));
            config.set(RestOptions.BIND_PORT, "0");
            cluster = new MiniCluster(new MiniClusterConfiguration.Builder()
                    .setConfiguration(config)
                    .setNumTaskManagers(1)
                    .setNumSlotsPerTaskManager(PARALLELISM)
                    .build());
            cluster.start();
            ClusterContext.setAsContext(cluster);
        }

        @Override
        public void afterAll(ExtensionContext context) throws Exception {
            ClusterContext.unset();
            if (cluster != null) {
                cluster.close();
            }
        }

        public MiniCluster cluster() {
            return cluster;
        }
    }

    /**
     * Makes jobs submit to the MiniCluster. Flink's {@code TestStreamEnvironment} would do this too, but its
     * configuration randomisation needs JUnit 4 classes.
     */
    private static final class ClusterContext extends StreamExecutionEnvironment {
        static void setAsContext(MiniCluster cluster) {
            initializeContextEnvironment(conf -> {
                StreamExecutionEnvironment env = new StreamExecutionEnvironment(
                        new MiniClusterPipelineExecutorServiceLoader(cluster),
                        MiniClusterPipelineExecutorServiceLoader.updateConfigurationForMiniCluster(
                                conf, List.of(), List.of()),
                        null);
                env.setParallelism(PARALLELISM);
                return env;
            });
        }

        static void unset() {
            resetContextEnvironment();
        }
    }
}
