package dev.clipsearch.searcher.search;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reciprocal rank fusion (Cormack, Clarke and Büttcher, 2009): each ranking contributes {@code
 * weight / (k + rank)} for every product it holds (ranks from 1), and products are ordered by the
 * sum. It needs no score calibration between BM25 and cosine similarity, only ranks.
 */
final class ReciprocalRankFusion {

  private ReciprocalRankFusion() {}

  /**
   * Fuses a vector ranking and a lexical ranking, both best first.
   *
   * @param vector candidates with cosine scores
   * @param lexical candidates whose {@code score} is already the cosine similarity (or NaN when
   *     unknown); their BM25 values only decide their order
   * @return every product of either list, with {@code rank} = the fused value and {@code score} =
   *     the cosine similarity, best first, ties by id
   */
  static List<Candidate> fuse(
      List<Candidate> vector,
      List<Candidate> lexical,
      double vectorWeight,
      double lexicalWeight,
      int k) {
    Map<String, Candidate> fused = new LinkedHashMap<>();
    for (int i = 0; i < vector.size(); i++) {
      Candidate c = vector.get(i);
      fused.put(c.id(), new Candidate(c.match(), vectorWeight / (k + i + 1)));
    }
    for (int i = 0; i < lexical.size(); i++) {
      Candidate c = lexical.get(i);
      fused.merge(
          c.id(),
          new Candidate(c.match(), lexicalWeight / (k + i + 1)),
          (a, b) -> new Candidate(a.match(), a.rank() + b.rank()));
    }
    List<Candidate> out = new ArrayList<>(fused.values());
    out.sort(Candidate::byRankThenId);
    return out;
  }
}
