package dev.clipsearch.indexer.index;

import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.codecs.lucene104.Lucene104Codec;
import org.apache.lucene.codecs.lucene104.Lucene104HnswScalarQuantizedVectorsFormat;
import org.apache.lucene.codecs.lucene99.Lucene99HnswVectorsFormat;
import org.apache.lucene.util.quantization.QuantizedByteVectorValues.ScalarEncoding;

/**
 * The default codec with the index's HNSW parameters and quantization on its vector field. It keeps
 * the default codec's name, and the vector formats it picks are registered by Lucene itself, so any
 * plain Lucene reader opens the index without this class; only writers need it.
 */
final class ClipsearchCodec extends Lucene104Codec {

  private final String vectorField;
  private final KnnVectorsFormat vectorFormat;

  ClipsearchCodec(String vectorField, IndexSettings settings) {
    this.vectorField = vectorField;
    this.vectorFormat = vectorFormat(settings);
  }

  static KnnVectorsFormat vectorFormat(IndexSettings settings) {
    int m = settings.hnswM();
    int beam = settings.hnswBeamWidth();
    return switch (settings.quantization()) {
      case NONE -> new Lucene99HnswVectorsFormat(m, beam);
      case INT8 ->
          new Lucene104HnswScalarQuantizedVectorsFormat(ScalarEncoding.UNSIGNED_BYTE, m, beam);
      case INT4 ->
          new Lucene104HnswScalarQuantizedVectorsFormat(ScalarEncoding.PACKED_NIBBLE, m, beam);
    };
  }

  @Override
  public KnnVectorsFormat getKnnVectorsFormatForField(String field) {
    return field.equals(vectorField) ? vectorFormat : super.getKnnVectorsFormatForField(field);
  }
}
