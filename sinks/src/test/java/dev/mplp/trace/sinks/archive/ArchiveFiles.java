package dev.mplp.trace.sinks.archive;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;
import org.apache.parquet.hadoop.util.HadoopInputFile;

/**
 * Reads archive files back with parquet-java's own example reader ({@link GroupReadSupport}), independently of the
 * archive's writer code: what Spark or DuckDB would see.
 */
public final class ArchiveFiles {

    private ArchiveFiles() {}

    /** Every row of one Parquet file. */
    public static List<Group> rows(Path file) {
        List<Group> rows = new ArrayList<>();
        try (ParquetReader<Group> reader = ParquetReader.builder(new GroupReadSupport(), hadoopPath(file))
                .withConf(new Configuration())
                .build()) {
            for (Group row = reader.read(); row != null; row = reader.read()) {
                rows.add(row);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return rows;
    }

    /** Every row of a table: all its visible part files. */
    public static List<Group> tableRows(Path tableDir) {
        List<Group> rows = new ArrayList<>();
        visibleParquetFiles(tableDir).forEach(file -> rows.addAll(rows(file)));
        return rows;
    }

    /** The file's footer: schema, key-value metadata, row groups. */
    public static ParquetMetadata footer(Path file) {
        try (ParquetFileReader reader = ParquetFileReader.open(
                HadoopInputFile.fromPath(hadoopPath(file), new Configuration()))) {
            return reader.getFooter();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the footer of " + file, e);
        }
    }

    public static Map<String, String> keyValueMetadata(Path file) {
        return footer(file).getFileMetaData().getKeyValueMetaData();
    }

    /** The compression codecs of the file's column chunks. */
    public static Set<CompressionCodecName> codecs(Path file) {
        Set<CompressionCodecName> codecs = new TreeSet<>();
        footer(file).getBlocks().forEach(block -> block.getColumns().stream()
                .map(ColumnChunkMetaData::getCodec)
                .forEach(codecs::add));
        return codecs;
    }

    /** The committed part files under a directory: {@code *.parquet}, in no hidden ({@code .}, {@code _}) path. */
    public static List<Path> visibleParquetFiles(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile)
                    .filter(f -> isVisibleParquet(dir.relativize(f)))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every file under a directory whose name, or a parent's, starts with a dot: in-progress or leftover files. */
    public static List<Path> hiddenFiles(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile)
                    .filter(f -> !isVisible(dir.relativize(f)))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A column's value, or null where the row has none. */
    public static String string(Group row, String column) {
        return row.getFieldRepetitionCount(column) == 0 ? null : row.getString(column, 0);
    }

    public static Long int64(Group row, String column) {
        return row.getFieldRepetitionCount(column) == 0 ? null : row.getLong(column, 0);
    }

    public static Double float64(Group row, String column) {
        return row.getFieldRepetitionCount(column) == 0 ? null : row.getDouble(column, 0);
    }

    public static Boolean bool(Group row, String column) {
        return row.getFieldRepetitionCount(column) == 0 ? null : row.getBoolean(column, 0);
    }

    private static boolean isVisibleParquet(Path relative) {
        return isVisible(relative) && relative.getFileName().toString().endsWith(".parquet");
    }

    private static boolean isVisible(Path relative) {
        for (Path part : relative) {
            String name = part.toString();
            if (name.startsWith(".") || name.startsWith("_")) {
                return false;
            }
        }
        return true;
    }

    private static org.apache.hadoop.fs.Path hadoopPath(Path file) {
        return new org.apache.hadoop.fs.Path(file.toAbsolutePath().toUri());
    }
}
