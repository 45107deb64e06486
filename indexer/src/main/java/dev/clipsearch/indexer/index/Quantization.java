package dev.clipsearch.indexer.index;

import java.util.Locale;

/**
 * How the HNSW graph stores vectors, chosen when an index is created and fixed for its life. The
 * original float32 vectors are kept on disk in every mode, so stored vectors (more like this,
 * incremental reuse) are exact whatever the choice.
 */
public enum Quantization {
  /** float32 vectors in the graph: best recall, 4 bytes per dimension in memory. */
  NONE,
  /** 8-bit scalar quantization (Lucene104HnswScalarQuantizedVectorsFormat, unsigned byte). */
  INT8,
  /** 4-bit scalar quantization (packed nibbles): an eighth of the memory of float32. */
  INT4;

  /** The lowercase name used on the command line and in the index metadata. */
  public String code() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses {@code none}, {@code int8} or {@code int4}, case-insensitively. */
  public static Quantization fromCode(String code) {
    for (Quantization q : values()) {
      if (q.code().equalsIgnoreCase(code.strip())) {
        return q;
      }
    }
    throw new IllegalArgumentException(
        "unknown quantization \"" + code + "\" (expected none, int8 or int4)");
  }
}
