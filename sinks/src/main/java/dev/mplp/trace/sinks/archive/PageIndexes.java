package dev.mplp.trace.sinks.archive;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import org.apache.parquet.format.Util;
import org.apache.parquet.format.converter.ParquetMetadataConverter;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.internal.column.columnindex.ColumnIndex;
import org.apache.parquet.internal.column.columnindex.OffsetIndex;
import org.apache.parquet.internal.hadoop.metadata.IndexReference;
import org.apache.parquet.io.SeekableInputStream;

/**
 * The page indexes (column and offset indexes) of a Parquet file's column chunks, read in one piece: Parquet writes
 * them together after the row groups. Read one by one ({@code ParquetFileReader.readColumnIndex}), each would cost a
 * seek away from the row groups being copied (a new request on S3) and a read per byte of its Thrift encoding on an
 * unbuffered stream such as Flink's local files: five times the CPU of copying the file.
 */
final class PageIndexes {

    private final long start;
    private final byte[] bytes;

    private PageIndexes(long start, byte[] bytes) {
        this.start = start;
        this.bytes = bytes;
    }

    static PageIndexes read(SeekableInputStream in, List<BlockMetaData> rowGroups) throws IOException {
        long start = Long.MAX_VALUE;
        long end = Long.MIN_VALUE;
        for (BlockMetaData rowGroup : rowGroups) {
            for (ColumnChunkMetaData chunk : rowGroup.getColumns()) {
                for (IndexReference index : new IndexReference[] {
                        chunk.getColumnIndexReference(), chunk.getOffsetIndexReference()}) {
                    if (index != null) {
                        start = Math.min(start, index.getOffset());
                        end = Math.max(end, index.getOffset() + index.getLength());
                    }
                }
            }
        }
        if (start >= end) {
            return new PageIndexes(0, new byte[0]);
        }
        byte[] bytes = new byte[Math.toIntExact(end - start)];
        in.seek(start);
        in.readFully(bytes);
        return new PageIndexes(start, bytes);
    }

    /** The chunk's column index, or null if it has none (a writer may leave it out, e.g. for long values). */
    ColumnIndex columnIndex(ColumnChunkMetaData chunk) throws IOException {
        IndexReference index = chunk.getColumnIndexReference();
        return index == null
                ? null
                : ParquetMetadataConverter.fromParquetColumnIndex(chunk.getPrimitiveType(),
                        Util.readColumnIndex(stream(index)));
    }

    /** The chunk's offset index, or null if it has none. */
    OffsetIndex offsetIndex(ColumnChunkMetaData chunk) throws IOException {
        IndexReference index = chunk.getOffsetIndexReference();
        return index == null ? null : ParquetMetadataConverter.fromParquetOffsetIndex(Util.readOffsetIndex(stream(index)));
    }

    private InputStream stream(IndexReference index) {
        return new ByteArrayInputStream(bytes, Math.toIntExact(index.getOffset() - start), index.getLength());
    }
}
