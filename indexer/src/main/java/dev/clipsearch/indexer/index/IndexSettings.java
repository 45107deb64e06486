package dev.clipsearch.indexer.index;

import java.util.Objects;

/**
 * How a new index stores its vectors and thumbnails. Fixed when the index is created and recorded
 * in its metadata; later runs reuse the recorded settings.
 *
 * @param hnswM HNSW maximum connections per node (Lucene's {@code maxConn}), 2..512
 * @param hnswBeamWidth HNSW candidate list size while building (Lucene's {@code beamWidth}),
 *     2..3200
 * @param quantization how the graph stores vectors
 * @param thumbnailSize longer side of the stored JPEG thumbnails in pixels; 0 stores none
 */
public record IndexSettings(
    int hnswM, int hnswBeamWidth, Quantization quantization, int thumbnailSize) {

  /** Lucene's defaults (m 16, beam width 100), no quantization, 128-pixel thumbnails. */
  public static final IndexSettings DEFAULTS = new IndexSettings(16, 100, Quantization.NONE, 128);

  public IndexSettings {
    Objects.requireNonNull(quantization, "quantization");
    if (hnswM < 2 || hnswM > 512) {
      throw new IllegalArgumentException("HNSW m must be in 2..512, got " + hnswM);
    }
    if (hnswBeamWidth < 2 || hnswBeamWidth > 3200) {
      throw new IllegalArgumentException(
          "HNSW beam width must be in 2..3200, got " + hnswBeamWidth);
    }
    if (thumbnailSize != 0 && (thumbnailSize < 8 || thumbnailSize > 1024)) {
      throw new IllegalArgumentException(
          "thumbnail size must be 0 (none) or in 8..1024, got " + thumbnailSize);
    }
  }

  public IndexSettings withQuantization(Quantization q) {
    return new IndexSettings(hnswM, hnswBeamWidth, q, thumbnailSize);
  }

  public IndexSettings withHnsw(int m, int beamWidth) {
    return new IndexSettings(m, beamWidth, quantization, thumbnailSize);
  }

  public IndexSettings withThumbnailSize(int size) {
    return new IndexSettings(hnswM, hnswBeamWidth, quantization, size);
  }
}
