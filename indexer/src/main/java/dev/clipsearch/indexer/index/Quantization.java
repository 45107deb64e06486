package dev.clipsearch.indexer.index;

import java.util.Locale;

/**
 * How the HNSW graph stores vectors, chosen when an index is created and fixed for its life. The
 * original float32 vectors are kept on disk in every mode, so stored vectors (more like this,
 * incremental reuse) are exact whatever the choice, and a quantized index's hits are rescored on
 * them ({@code RescoringKnn}): the graph walk reads the small quantized vectors, the final order
 * and scores come from the float ones.
 */
public enum Quantization {
  /** float32 vectors in the graph: best recall, 4 bytes per dimension in memory. */
  NONE(1),
  /** 8-bit scalar quantization (Lucene104HnswScalarQuantizedVectorsFormat, unsigned byte). */
  INT8(1),
  /** 4-bit scalar quantization (packed nibbles): an eighth of the memory of float32. */
  INT4(2),
  /**
   * 1-bit quantization, queries at 4 bits (Lucene104HnswScalarQuantizedVectorsFormat with {@code
   * SINGLE_BIT_QUERY_NIBBLE}, the successor of Lucene 10.2's binary quantized format): a 32nd of
   * the memory of float32, needs the widest oversampling.
   */
  BINARY(4);

  private final int oversample;

  Quantization(int oversample) {
    this.oversample = oversample;
  }

  /**
   * How many times more candidates a KNN search explores in the quantized graph than it was asked
   * for, before rescoring them on the float vectors and keeping the ones asked for. 1 for {@link
   * #NONE}. Chosen by measurement (docs/benchmarks.md, "Search at native speed").
   */
  public int oversample() {
    return oversample;
  }

  /** The lowercase name used on the command line and in the index metadata. */
  public String code() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses {@code none}, {@code int8}, {@code int4} or {@code binary}, case-insensitively. */
  public static Quantization fromCode(String code) {
    for (Quantization q : values()) {
      if (q.code().equalsIgnoreCase(code.strip())) {
        return q;
      }
    }
    throw new IllegalArgumentException(
        "unknown quantization \"" + code + "\" (expected none, int8, int4 or binary)");
  }
}
