package dev.mplp.trace.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;

/**
 * The table of one run, printed and written as {@code BENCHMARKS.md}: the command, the date, the machine, the rows,
 * then the hand-written notes of {@code bench/NOTES.md} (the profile and what the figures mean), which a run never
 * changes.
 */
final class Report {

    /** Above this share of the cores used by other processes, the report says the machine was loaded. */
    static final double QUIET_SHARE = 0.10;

    private final String command;
    private final Machine machine;
    private final Instant started = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    private final List<Figure> figures = new ArrayList<>();
    private final OtherProcesses others = new OtherProcesses();
    private double loadAtEnd = Double.NaN;
    private OptionalDouble othersShare = OptionalDouble.empty();
    private double seconds;

    Report(String command, Machine machine) {
        this.command = command;
        this.machine = machine;
    }

    void add(Figure figure, PrintStream console) {
        figures.add(figure);
        console.printf("%-14s %-58s %s%n", figure.section(), figure.measure(), figure.value());
    }

    List<Figure> figures() {
        return List.copyOf(figures);
    }

    void finish(double seconds) {
        this.seconds = seconds;
        this.loadAtEnd = Machine.currentLoadAverage();
        this.othersShare = others.share(machine.cores());
    }

    void print(PrintStream out) {
        out.println();
        out.println(table());
    }

    void write(Path file, Path notes) throws IOException {
        StringBuilder md = new StringBuilder();
        md.append("# Benchmarks\n\n");
        md.append("Written by the benchmark (`bench/`, issue 8); do not edit the table by hand, rerun it.\n\n");
        md.append("```bash\n").append(command).append("\n```\n\n");
        md.append("- date: ").append(started).append('\n');
        md.append("- machine: ").append(machine.describe()).append('\n');
        md.append(othersShare.isPresent()
                ? String.format("- other processes used %.0f %% of the %d cores during the run%s%n",
                        othersShare.getAsDouble() * 100, machine.cores(),
                        othersShare.getAsDouble() > QUIET_SHARE
                                ? ": **the machine was loaded; figures are lower than on a quiet one**"
                                : " (a quiet machine)")
                : "- other processes' CPU during the run: not known on this system\n");
        md.append(String.format("- load average (1 min) at start %.2f, at end %.2f on %d cores (the benchmark's own "
                        + "threads and the build before it included)%n",
                machine.loadAverage(), loadAtEnd, machine.cores()));
        md.append(String.format("- the run took %.0f s%n%n", seconds));
        md.append(table()).append('\n');
        if (notes != null && Files.exists(notes)) {
            md.append('\n').append(Files.readString(notes, StandardCharsets.UTF_8));
        }
        Files.writeString(file, md.toString(), StandardCharsets.UTF_8);
    }

    private String table() {
        StringBuilder table = new StringBuilder();
        table.append("| | measure | value | how |\n|---|---|---:|---|\n");
        // by section (row 2 is measured before row 1: its rate sets the density of row 1's sample), stable within
        List<Figure> sorted = new ArrayList<>(figures);
        sorted.sort(java.util.Comparator.comparing(Figure::section));
        for (Figure f : sorted) {
            table.append("| ").append(f.section()).append(" | ").append(f.measure()).append(" | ")
                    .append(f.value()).append(" | ").append(f.note().replace("|", "\\|")).append(" |\n");
        }
        return table.toString();
    }
}
