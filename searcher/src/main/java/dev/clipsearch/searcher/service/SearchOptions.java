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
 */
public record SearchOptions(SearchFilters filters, int k, int offset, Double minScore) {

  public SearchOptions {
    Objects.requireNonNull(filters, "filters");
    if (k < 1) {
      throw new IllegalArgumentException("k must be at least 1, got " + k);
    }
    if (offset < 0) {
      throw new IllegalArgumentException("offset must not be negative, got " + offset);
    }
  }

  /** Unfiltered, first page of {@code k} hits, no cut-off. */
  public static SearchOptions firstPage(int k) {
    return new SearchOptions(SearchFilters.NONE, k, 0, null);
  }
}
