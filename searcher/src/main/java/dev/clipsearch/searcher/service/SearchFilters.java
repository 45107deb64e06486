package dev.clipsearch.searcher.service;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Restrictions on which products a query may return. Applied inside the vector search
 * (pre-filtering), so a selective filter still yields {@code k} hits when {@code k} products match,
 * and to lexical matches alike. Every restriction is optional; all of them must hold.
 *
 * @param categoryPrefix a category path such as {@code Clothing > Shoes}; matches that category and
 *     every category below it; {@code null} for any category
 * @param brands the product's brand must be one of these (exact); empty for any brand
 * @param priceMin lowest price included, or {@code null}
 * @param priceMax highest price included, or {@code null}
 * @param tags the product must carry at least one of these tags; empty for no tag restriction
 * @param attributes zero-shot attributes by name ({@code color -> [red, blue]}, from {@code
 *     attr.color=red&attr.color=blue}): the product must have one of the values of every attribute
 *     named; empty for none
 */
public record SearchFilters(
    String categoryPrefix,
    List<String> brands,
    Double priceMin,
    Double priceMax,
    List<String> tags,
    Map<String, List<String>> attributes) {

  /** No restriction at all. */
  public static final SearchFilters NONE =
      new SearchFilters(null, List.of(), null, null, List.of());

  /** Filters without attribute restrictions. */
  public SearchFilters(
      String categoryPrefix,
      List<String> brands,
      Double priceMin,
      Double priceMax,
      List<String> tags) {
    this(categoryPrefix, brands, priceMin, priceMax, tags, Map.of());
  }

  public SearchFilters {
    brands = brands == null ? List.of() : List.copyOf(brands);
    tags = tags == null ? List.of() : List.copyOf(tags);
    if (attributes == null || attributes.isEmpty()) {
      attributes = Map.of();
    } else {
      Map<String, List<String>> copy = new TreeMap<>();
      attributes.forEach((name, values) -> copy.put(name, List.copyOf(values)));
      attributes = Collections.unmodifiableMap(copy);
    }
    if (categoryPrefix != null && categoryPrefix.isBlank()) {
      throw new IllegalArgumentException("categoryPrefix must not be blank");
    }
    if (priceMin != null && priceMax != null && priceMin > priceMax) {
      throw new IllegalArgumentException(
          "priceMin " + priceMin + " is greater than priceMax " + priceMax);
    }
  }

  /** Whether no restriction is set. */
  public boolean isEmpty() {
    return categoryPrefix == null
        && brands.isEmpty()
        && priceMin == null
        && priceMax == null
        && tags.isEmpty()
        && attributes.isEmpty();
  }
}
