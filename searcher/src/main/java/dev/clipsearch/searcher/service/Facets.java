package dev.clipsearch.searcher.service;

import java.util.List;

/**
 * Facet counts over the products that match the current query and filters, most frequent first,
 * ties by value.
 *
 * @param categories counts per category path, at every level of the path (a product in {@code A >
 *     B} counts for {@code A} and for {@code A > B})
 * @param brands counts per brand
 */
public record Facets(List<FacetCount> categories, List<FacetCount> brands) {

  /** No counts. */
  public static final Facets EMPTY = new Facets(List.of(), List.of());

  public Facets {
    categories = List.copyOf(categories);
    brands = List.copyOf(brands);
  }
}
