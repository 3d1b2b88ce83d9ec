package dev.mplp.trace.jobs;

import dev.mplp.trace.config.ConfigException;
import dev.mplp.trace.security.SecretException;
import dev.mplp.trace.jobs.cli.DemoCommand;
import dev.mplp.trace.jobs.cli.GenerateCommand;
import dev.mplp.trace.jobs.cli.InstantConverter;
import dev.mplp.trace.jobs.cli.ReprocessCommand;
import dev.mplp.trace.jobs.cli.StreamCommand;
import java.io.PrintWriter;
import java.time.Instant;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The command line: {@code java -jar trace-analytics.jar COMMAND}, and the program {@code flink run} calls. */
@Command(
        name = "trace-analytics",
        mixinStandardHelpOptions = true,
        version = "trace-analytics 0.1.0 (Flink 2.2)",
        description = "Apache Flink jobs over the Trace Module protocol.",
        subcommands = {
            StreamCommand.class,
            ReprocessCommand.class,
            GenerateCommand.class,
            DemoCommand.class,
            CommandLine.HelpCommand.class
        })
public final class TraceAnalytics implements Runnable {

    /** Exit code of a wrong command line or configuration. */
    public static final int USAGE = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        LauncherWatch.start();
        int code = execute(args);
        if (code != 0) {
            System.exit(code);
        }
    }

    /** Runs a command line and returns its exit code; for tests and the launcher. */
    public static int execute(String... args) {
        return commandLine().execute(args);
    }

    static CommandLine commandLine() {
        return new CommandLine(new TraceAnalytics())
                .registerConverter(Instant.class, new InstantConverter())
                .setExecutionExceptionHandler((e, commandLine, parseResult) -> {
                    PrintWriter err = commandLine.getErr();
                    if (e instanceof ConfigException || e instanceof SecretException || e instanceof IllegalArgumentException) {
                        // a wrong argument or configuration detected after parsing: a usage error, not a crash
                        err.println("error: " + e.getMessage());
                        err.println("Try '" + commandLine.getCommandSpec().qualifiedName() + " --help'.");
                        return USAGE;
                    }
                    err.println("error: " + e);
                    e.printStackTrace(err);
                    return 1;
                });
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is needed: stream, reprocess, generate or demo");
    }
}
