package dev.mplp.trace.jobs;

import java.io.File;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The jar's {@code Main-Class}. The jar leaves Flink's own classes out (a cluster provides them), so when it is run
 * with {@code java -jar} this starts the program in a JVM whose class path also holds Flink: the {@code flink-lib/}
 * folder that the build writes next to the jar, or the folder named by {@code TRACE_ANALYTICS_FLINK_LIB}. A fresh
 * JVM with a plain class path (rather than a class loader made here) is what Flink's user-code class loading
 * expects. The {@code flink-plugins/} folder next to the jar (the S3 file system) becomes the program's
 * {@code FLINK_PLUGINS_DIR}, unless that is set already. Must not touch any Flink class itself.
 */
public final class Launcher {

    static final String FLINK_LIB_ENV = "TRACE_ANALYTICS_FLINK_LIB";
    /** Flink's own variable naming its plugins folder. */
    private static final String FLINK_PLUGINS_ENV = "FLINK_PLUGINS_DIR";
    private static final String PROGRAM = "dev.mplp.trace.jobs.TraceAnalytics";
    private static final String FLINK_PROBE = "org.apache.flink.streaming.api.environment.StreamExecutionEnvironment";

    /** What Flink's own scripts open up on Java 17 for its serializers. */
    private static final List<String> JAVA_17_OPENS = List.of(
            "--add-opens=java.base/java.lang=ALL-UNNAMED",
            "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
            "--add-opens=java.base/java.util=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
            "--add-opens=java.base/java.time=ALL-UNNAMED",
            "--add-opens=java.base/java.io=ALL-UNNAMED",
            "--add-opens=java.base/java.nio=ALL-UNNAMED",
            "--add-opens=java.base/java.net=ALL-UNNAMED",
            "--add-opens=java.base/java.text=ALL-UNNAMED",
            "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED");

    private Launcher() {}

    public static void main(String[] args) throws Exception {
        if (isPresent(FLINK_PROBE)) {
            TraceAnalyticsEntry.run(PROGRAM, args);
            return;
        }
        File jar = new File(Launcher.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        String configured = System.getenv(FLINK_LIB_ENV);
        File lib = configured != null ? new File(configured) : new File(jar.getParentFile(), "flink-lib");
        File[] jars = lib.listFiles((dir, name) -> name.endsWith(".jar"));
        if (jars == null || jars.length == 0) {
            System.err.println("error: Flink's classes are not on the class path and " + lib + " holds no jars.\n"
                    + "Submit this jar to a Flink cluster with `flink run`, or run it where `mvn package` left it\n"
                    + "(jobs/target, next to flink-lib/), or point " + FLINK_LIB_ENV + " at a folder of Flink 2.2 jars.");
            System.exit(2);
        }
        Arrays.sort(jars);
        String classPath = jar.getPath() + File.pathSeparator
                + Arrays.stream(jars).map(File::getPath).collect(Collectors.joining(File.pathSeparator));

        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse(
                System.getProperty("java.home") + File.separator + "bin" + File.separator + "java"));
        command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        command.addAll(JAVA_17_OPENS);
        // the program ends with this process even when it is killed (LauncherWatch)
        command.add("-D" + LauncherWatch.LAUNCHER_PID + "=" + ProcessHandle.current().pid());
        if (System.getProperty("log4j2.configurationFile") == null) {
            command.add("-Dlog4j2.configurationFile=classpath:trace-analytics-log4j2.properties");
        }
        command.add("-cp");
        command.add(classPath);
        command.add(PROGRAM);
        command.addAll(List.of(args));

        ProcessBuilder builder = new ProcessBuilder(command).inheritIO();
        File plugins = new File(jar.getParentFile(), "flink-plugins");
        if (System.getenv(FLINK_PLUGINS_ENV) == null && plugins.isDirectory()) {
            builder.environment().put(FLINK_PLUGINS_ENV, plugins.getPath());
        }
        Process program = builder.start();
        Runtime.getRuntime().addShutdownHook(new Thread(program::destroy));
        System.exit(program.waitFor());
    }

    private static boolean isPresent(String className) {
        try {
            Class.forName(className, false, Launcher.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    /** Calls the program's main by name, so that this class never links against Flink. */
    private static final class TraceAnalyticsEntry {
        static void run(String className, String[] args) throws Exception {
            Class.forName(className).getMethod("main", String[].class).invoke(null, (Object) args);
        }
    }
}
