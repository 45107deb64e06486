package dev.clipsearch.indexer.index;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.codecs.lucene104.Lucene104Codec;
import org.apache.lucene.codecs.lucene104.Lucene104HnswScalarQuantizedVectorsFormat;
import org.apache.lucene.codecs.lucene99.Lucene99HnswVectorsFormat;
import org.apache.lucene.util.quantization.QuantizedByteVectorValues.ScalarEncoding;

/**
 * The default codec with the index's HNSW parameters and quantization on its vector field. It keeps
 * the default codec's name, and the vector formats it picks are registered by Lucene itself, so any
 * plain Lucene reader opens the index without this class; only writers need it.
 *
 * <p>Merges build the merged HNSW graph on every core ({@link #MERGE_WORKERS} workers on one shared
 * pool of daemon threads): a bulk load flushes several segments whose graphs the merge joins, and
 * that join is what a single writer thread could not spread over the cores.
 */
final class ClipsearchCodec extends Lucene104Codec {

  /** Threads that build one merged HNSW graph together: one per core. */
  static final int MERGE_WORKERS = Runtime.getRuntime().availableProcessors();

  /** Shared by every writer of this JVM; daemon threads, so it never keeps the JVM alive. */
  private static final ExecutorService MERGE_EXECUTOR =
      MERGE_WORKERS > 1
          ? Executors.newFixedThreadPool(
              MERGE_WORKERS,
              Thread.ofPlatform().daemon().name("clipsearch-hnsw-merge-", 0).factory())
          : null;

  private final String vectorField;
  private final KnnVectorsFormat vectorFormat;

  ClipsearchCodec(String vectorField, IndexSettings settings) {
    this.vectorField = vectorField;
    this.vectorFormat = vectorFormat(settings);
  }

  static KnnVectorsFormat vectorFormat(IndexSettings settings) {
    int m = settings.hnswM();
    int beam = settings.hnswBeamWidth();
    int workers = MERGE_EXECUTOR == null ? 1 : MERGE_WORKERS;
    return switch (settings.quantization()) {
      case NONE -> new Lucene99HnswVectorsFormat(m, beam, workers, MERGE_EXECUTOR);
      case INT8 -> scalar(ScalarEncoding.UNSIGNED_BYTE, m, beam, workers);
      case INT4 -> scalar(ScalarEncoding.PACKED_NIBBLE, m, beam, workers);
      case BINARY -> scalar(ScalarEncoding.SINGLE_BIT_QUERY_NIBBLE, m, beam, workers);
    };
  }

  private static KnnVectorsFormat scalar(ScalarEncoding encoding, int m, int beam, int workers) {
    return new Lucene104HnswScalarQuantizedVectorsFormat(
        encoding, m, beam, workers, MERGE_EXECUTOR);
  }

  @Override
  public KnnVectorsFormat getKnnVectorsFormatForField(String field) {
    return field.equals(vectorField) ? vectorFormat : super.getKnnVectorsFormatForField(field);
  }
}
