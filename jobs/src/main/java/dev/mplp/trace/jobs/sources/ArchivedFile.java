package dev.mplp.trace.jobs.sources;

import java.io.Serializable;

/**
 * One file a reprocessing run reads, as its listing found it.
 *
 * @param path the file's URI as Flink's file systems know it
 * @param partition {@code dt=YYYY-MM-DD/hour=HH} of a Parquet archive file; null for a JSON-lines file
 * @param rows the rows its Parquet footer declares; -1 for a JSON-lines file (its lines are not counted ahead)
 */
public record ArchivedFile(String path, String partition, long bytes, long rows) implements Serializable {}
