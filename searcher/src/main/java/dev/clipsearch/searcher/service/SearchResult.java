package dev.clipsearch.searcher.service;

import java.util.List;

/**
 * One page of a ranking, with facet counts and timings.
 *
 * @param hits the page, best first; ties broken by product id
 * @param paging where the page sits
 * @param facets counts for the current query and filters
 * @param timings where the time went
 * @param mode how the ranking was made
 * @param queryText the text searched for, after truncation; {@code null} for image and similar
 *     searches
 * @param queryTruncated whether the query text was cut to fit the model's context or the server's
 *     query length limit
 */
public record SearchResult(
    List<Hit> hits,
    Paging paging,
    Facets facets,
    Timings timings,
    SearchMode mode,
    String queryText,
    boolean queryTruncated) {

  public SearchResult {
    hits = List.copyOf(hits);
  }
}
