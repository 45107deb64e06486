package dev.clipsearch.searcher.search;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How the index is searched.
 *
 * @param knnCandidates the HNSW search always collects at least this many products (Lucene's {@code
 *     k}, which also sets the search beam), then pages through them: larger means better recall and
 *     slower queries
 * @param facetDepth facet counts are taken over this many best matches of the current query (after
 *     filters and {@code min_score}); 0 turns facet counting off
 * @param facetLimit most values returned per facet
 * @param rrfK the constant of reciprocal rank fusion: a hit at rank {@code r} (from 1) contributes
 *     {@code weight / (rrfK + r)}
 * @param vectorWeight weight of the vector ranking in hybrid mode
 * @param lexicalWeight weight of the BM25 ranking in hybrid mode
 * @param maxLexicalTerms BM25 queries use at most this many terms of the query text
 * @param refreshInterval how often the reader is reopened to see new writes and commits
 * @param imagesRoot folder that relative catalog image paths resolve against to serve originals
 *     (the catalog's folder); {@code null} serves no originals from disk
 */
public record SearchSettings(
    int knnCandidates,
    int facetDepth,
    int facetLimit,
    int rrfK,
    double vectorWeight,
    double lexicalWeight,
    int maxLexicalTerms,
    Duration refreshInterval,
    Path imagesRoot) {

  public SearchSettings {
    Objects.requireNonNull(refreshInterval, "refreshInterval");
    if (knnCandidates < 1) {
      throw new IllegalArgumentException("knnCandidates must be at least 1");
    }
    if (facetDepth < 0 || facetLimit < 1) {
      throw new IllegalArgumentException("facetDepth must be >= 0 and facetLimit >= 1");
    }
    if (rrfK < 0) {
      throw new IllegalArgumentException("rrfK must not be negative");
    }
    if (!(vectorWeight >= 0) || !(lexicalWeight >= 0) || vectorWeight + lexicalWeight == 0) {
      throw new IllegalArgumentException(
          "hybrid weights must be non-negative and not both zero, got vector "
              + vectorWeight
              + ", lexical "
              + lexicalWeight);
    }
    if (maxLexicalTerms < 1) {
      throw new IllegalArgumentException("maxLexicalTerms must be at least 1");
    }
  }

  /**
   * 100 KNN candidates, facets over the best 100, RRF k = 60 with equal weights, 200 ms refresh.
   */
  public static SearchSettings defaults() {
    return new SearchSettings(100, 100, 100, 60, 1.0, 1.0, 64, Duration.ofMillis(200), null);
  }

  public SearchSettings withImagesRoot(Path root) {
    return new SearchSettings(
        knnCandidates,
        facetDepth,
        facetLimit,
        rrfK,
        vectorWeight,
        lexicalWeight,
        maxLexicalTerms,
        refreshInterval,
        root);
  }

  public SearchSettings withHybridWeights(double vector, double lexical) {
    return new SearchSettings(
        knnCandidates,
        facetDepth,
        facetLimit,
        rrfK,
        vector,
        lexical,
        maxLexicalTerms,
        refreshInterval,
        imagesRoot);
  }

  public SearchSettings withKnnCandidates(int candidates) {
    return new SearchSettings(
        candidates,
        facetDepth,
        facetLimit,
        rrfK,
        vectorWeight,
        lexicalWeight,
        maxLexicalTerms,
        refreshInterval,
        imagesRoot);
  }

  public SearchSettings withFacetDepth(int depth) {
    return new SearchSettings(
        knnCandidates,
        depth,
        facetLimit,
        rrfK,
        vectorWeight,
        lexicalWeight,
        maxLexicalTerms,
        refreshInterval,
        imagesRoot);
  }
}
