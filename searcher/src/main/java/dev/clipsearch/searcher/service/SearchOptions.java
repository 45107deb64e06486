package dev.clipsearch.searcher.service;

import java.util.Objects;

/**
 * What every kind of search shares: filters, paging and the score cut-off.
 *
 * @param filters restrictions applied inside the search
 * @param k number of hits wanted, at least 1
 * @param offset number of best hits to skip (paging), at least 0
 * @param minScore hits scoring below this are dropped, or {@code null} for no cut-off; compared
 *     with {@link Hit#score()}
 * @param facets whether facet counts are wanted; without them the result has {@link Facets#EMPTY}
 *     and the same hits (a client that shows no facets saves their counting, about 7% of a text
 *     query's server time in docs/benchmarks.md)
 */
public record SearchOptions(
    SearchFilters filters, int k, int offset, Double minScore, boolean facets) {

  public SearchOptions {
    Objects.requireNonNull(filters, "filters");
    if (k < 1) {
      throw new IllegalArgumentException("k must be at least 1, got " + k);
    }
    if (offset < 0) {
      throw new IllegalArgumentException("offset must not be negative, got " + offset);
    }
  }

  /** With facet counts. */
  public SearchOptions(SearchFilters filters, int k, int offset, Double minScore) {
    this(filters, k, offset, minScore, true);
  }

  /** The same options without facet counts. */
  public SearchOptions withoutFacets() {
    return new SearchOptions(filters, k, offset, minScore, false);
  }

  /** Unfiltered, first page of {@code k} hits, no cut-off. */
  public static SearchOptions firstPage(int k) {
    return new SearchOptions(SearchFilters.NONE, k, 0, null);
  }
}
