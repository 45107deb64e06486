package dev.clipsearch.searcher.service;

import java.util.Objects;

/**
 * A search by words.
 *
 * @param query the shopper's text, not blank
 * @param mode how to rank
 * @param options filters, paging, cut-off
 */
public record TextSearch(String query, SearchMode mode, SearchOptions options) {

  public TextSearch {
    Objects.requireNonNull(query, "query");
    Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(options, "options");
    if (query.isBlank()) {
      throw new IllegalArgumentException("query must not be blank");
    }
  }
}
