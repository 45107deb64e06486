package dev.clipsearch.searcher.service;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Facet counts over the products that match the current query and filters, most frequent first,
 * ties by value.
 *
 * @param categories counts per category path, at every level of the path (a product in {@code A >
 *     B} counts for {@code A} and for {@code A > B})
 * @param brands counts per brand
 * @param attributes counts per value of each zero-shot attribute the index holds, by facet name
 *     ({@code attr.color}), in name order; an attribute no matching product has is left out
 */
public record Facets(
    List<FacetCount> categories,
    List<FacetCount> brands,
    Map<String, List<FacetCount>> attributes) {

  /** No counts. */
  public static final Facets EMPTY = new Facets(List.of(), List.of());

  /** Counts without attribute facets. */
  public Facets(List<FacetCount> categories, List<FacetCount> brands) {
    this(categories, brands, Map.of());
  }

  public Facets {
    categories = List.copyOf(categories);
    brands = List.copyOf(brands);
    Map<String, List<FacetCount>> copy = new LinkedHashMap<>();
    if (attributes != null) {
      attributes.forEach((name, counts) -> copy.put(name, List.copyOf(counts)));
    }
    attributes = Collections.unmodifiableMap(copy);
  }
}
