package dev.mplp.trace.jobs;

/**
 * Ends the program when the {@link Launcher} that started it ends. A launcher that is stopped normally stops its
 * program itself (a shutdown hook); one that is killed with {@code SIGKILL} cannot, and its program would run on,
 * orphaned, holding the job's ports, files and Kafka transactions. The launcher names itself in a system property;
 * the program then exits as if stopped ({@code SIGTERM}: shutdown hooks run, checkpoints are kept), with the exit code
 * of a process ended by {@code SIGKILL}.
 */
final class LauncherWatch {

    /** The system property the launcher passes its process id in. */
    static final String LAUNCHER_PID = "trace-analytics.launcher-pid";

    private static final int KILLED = 128 + 9;

    private LauncherWatch() {}

    /** Starts watching the launcher named by {@link #LAUNCHER_PID}, if any. */
    static void start() {
        String pid = System.getProperty(LAUNCHER_PID);
        if (pid == null) {
            return;
        }
        ProcessHandle.of(Long.parseLong(pid)).map(ProcessHandle::onExit).ifPresentOrElse(
                launcherEnded -> launcherEnded.thenRun(LauncherWatch::stop),
                LauncherWatch::stop);
    }

    private static void stop() {
        System.err.println("The launcher (java -jar) that started this program has ended: stopping.");
        System.exit(KILLED);
    }
}
