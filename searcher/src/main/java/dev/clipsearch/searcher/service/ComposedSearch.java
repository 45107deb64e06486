package dev.clipsearch.searcher.service;

import java.util.List;
import java.util.Objects;

/**
 * A search by several weighted parts ("like this product, but red, not leather"): the parts'
 * unit-length embeddings are summed with their weights and the sum normalized again, then searched
 * like any query vector, with the usual filters, facets and paging. In {@link SearchMode#HYBRID}
 * the positive text parts also rank by BM25; negative parts never do.
 *
 * @param parts 1 to {@value #MAX_PARTS} parts, at least one with a positive weight
 * @param mode {@link SearchMode#VECTOR} or {@link SearchMode#HYBRID} (hybrid without a positive
 *     text part ranks by vector alone, and the result says so)
 * @param options filters, paging, cut-off
 */
public record ComposedSearch(List<QueryPart> parts, SearchMode mode, SearchOptions options) {

  /** Most parts in one query. */
  public static final int MAX_PARTS = 8;

  public ComposedSearch {
    parts = List.copyOf(parts);
    Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(options, "options");
    if (parts.isEmpty() || parts.size() > MAX_PARTS) {
      throw new IllegalArgumentException(
          "a composed search has 1 to " + MAX_PARTS + " parts, got " + parts.size());
    }
    if (parts.stream().noneMatch(p -> p.weight() > 0)) {
      throw new IllegalArgumentException("a composed search needs a part with a positive weight");
    }
    if (mode == SearchMode.LEXICAL) {
      throw new IllegalArgumentException(
          "a composed search ranks by vector or hybrid, not lexical");
    }
  }
}
