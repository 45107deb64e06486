package dev.clipsearch.searcher.search;

/**
 * A product in a ranking, before it becomes a {@code Hit}.
 *
 * @param productDoc the product document (top-level doc id in the searcher's reader)
 * @param id product id
 * @param score what the hit reports: cosine similarity (vector rankings) or BM25 (lexical)
 * @param imageDoc the best-matching image document, or -1 when none was compared
 * @param rank what the ranking sorts on: the score, or the fused RRF value in hybrid mode
 */
record Candidate(int productDoc, String id, double score, int imageDoc, double rank) {

  /** Best first; equal ranks ordered by product id, so results are deterministic. */
  static int byRankThenId(Candidate a, Candidate b) {
    int c = Double.compare(b.rank, a.rank);
    return c != 0 ? c : a.id.compareTo(b.id);
  }
}
