package dev.clipsearch.searcher.search;

import dev.clipsearch.indexer.store.ProductMatch;

/**
 * A product in a ranking, before it becomes a {@code Hit}.
 *
 * @param match what the store found: the product, the score the hit reports (cosine similarity for
 *     vector rankings, BM25 for lexical) and the best-matching image when one was compared
 * @param rank what the ranking sorts on: the score, or the fused RRF value in hybrid mode
 */
record Candidate(ProductMatch match, double rank) {

  /** A candidate ranked by its own score. */
  static Candidate of(ProductMatch match) {
    return new Candidate(match, match.score());
  }

  /** The product id. */
  String id() {
    return match.productId();
  }

  /** What the hit reports. */
  double score() {
    return match.score();
  }

  /** Best first; equal ranks ordered by product id, so results are deterministic. */
  static int byRankThenId(Candidate a, Candidate b) {
    int c = Double.compare(b.rank, a.rank);
    return c != 0 ? c : a.id().compareTo(b.id());
  }
}
