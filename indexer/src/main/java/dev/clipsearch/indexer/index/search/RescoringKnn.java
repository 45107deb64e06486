package dev.clipsearch.indexer.index.search;

import dev.clipsearch.indexer.index.IndexMetadata;
import dev.clipsearch.indexer.index.IndexQueries;
import dev.clipsearch.indexer.index.Quantization;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.RescoreTopNQuery;

/**
 * The KNN query of a search, rescored when the index is quantized: the graph walk over the
 * quantized vectors explores {@code k × oversample} candidates (each product at most once, as
 * {@link IndexQueries#knn}), then every candidate is scored again on its float32 vector (Lucene's
 * {@link RescoreTopNQuery#createFullPrecisionRescorerQuery}) and the best {@code k} are kept. So a
 * quantized index reads a quarter (int8) to a 32nd (binary) of the bytes per graph hop, while its
 * hits are ranked and scored exactly as a float index would rank and score them. A float index gets
 * the plain query.
 */
public final class RescoringKnn {

  private RescoringKnn() {}

  /** The query for {@code k} products at the index's own oversampling ({@link Quantization}). */
  public static Query query(IndexMetadata metadata, float[] vector, int k, Query productFilter) {
    return query(
        metadata, vector, k, productFilter, metadata.settings().quantization().oversample());
  }

  /**
   * The query for {@code k} products exploring {@code k × oversample} candidates in the graph; an
   * oversample of 1 on a quantized index still rescores (it reorders the {@code k} found).
   *
   * @throws IllegalArgumentException when {@code k} or {@code oversample} is below 1
   */
  public static Query query(
      IndexMetadata metadata, float[] vector, int k, Query productFilter, int oversample) {
    if (k < 1 || oversample < 1) {
      throw new IllegalArgumentException(
          "k and oversample must be at least 1, got k=" + k + ", oversample=" + oversample);
    }
    if (metadata.settings().quantization() == Quantization.NONE) {
      return IndexQueries.knn(metadata, vector, k, productFilter);
    }
    int candidates = (int) Math.min(Integer.MAX_VALUE, (long) k * oversample);
    return RescoreTopNQuery.createFullPrecisionRescorerQuery(
        IndexQueries.knn(metadata, vector, candidates, productFilter),
        vector,
        metadata.vectorField(),
        k);
  }

  /**
   * Rescoring around any KNN query over the index's vector field (e.g. Lucene's plain {@code
   * KnnFloatVectorQuery} that already asked for the oversampled number of candidates): keeps the
   * best {@code k} by their float32 vectors. Returns {@code knn} itself on a float index.
   */
  public static Query rescore(IndexMetadata metadata, Query knn, float[] vector, int k) {
    if (metadata.settings().quantization() == Quantization.NONE) {
      return knn;
    }
    return RescoreTopNQuery.createFullPrecisionRescorerQuery(
        knn, vector, metadata.vectorField(), k);
  }
}
