package dev.clipsearch.indexer.store;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Which products a search may return, in terms every store understands. A store applies it before
 * ranking: inside the vector search (so a selective filter still yields {@code k} products when
 * {@code k} match), and to lexical search alike. Conditions combine with AND; within brands or
 * tags, any value matches.
 *
 * @param categoryPrefix products in this category or below it ({@code "Clothing > Shoes"} or {@code
 *     "Clothing>Shoes"}); null for any
 * @param brands products of any of these brands (exact, case-sensitive); empty for any
 * @param priceMin lowest price, inclusive; null for open
 * @param priceMax highest price, inclusive; null for open
 * @param tags products carrying any of these tags; empty for any
 * @param excludedProductId a product never returned (the start of "more like this"); null for none
 * @param attributes zero-shot attribute filters by attribute name ({@code color -> [red, blue]},
 *     the facet {@code attr.color}): a product must carry one of the values of every attribute
 *     named; empty for none
 */
public record ProductFilter(
    String categoryPrefix,
    List<String> brands,
    Double priceMin,
    Double priceMax,
    List<String> tags,
    String excludedProductId,
    Map<String, List<String>> attributes) {

  /** Every product. */
  public static final ProductFilter NONE =
      new ProductFilter(null, List.of(), null, null, List.of(), null);

  /** A filter without attribute conditions. */
  public ProductFilter(
      String categoryPrefix,
      List<String> brands,
      Double priceMin,
      Double priceMax,
      List<String> tags,
      String excludedProductId) {
    this(categoryPrefix, brands, priceMin, priceMax, tags, excludedProductId, Map.of());
  }

  public ProductFilter {
    brands = brands == null ? List.of() : List.copyOf(brands);
    tags = tags == null ? List.of() : List.copyOf(tags);
    attributes = copyAttributes(attributes);
  }

  /** This filter, also excluding product {@code id}. */
  public ProductFilter excluding(String id) {
    return new ProductFilter(categoryPrefix, brands, priceMin, priceMax, tags, id, attributes);
  }

  /** This filter with these attribute conditions instead of its own. */
  public ProductFilter withAttributes(Map<String, List<String>> attributes) {
    return new ProductFilter(
        categoryPrefix, brands, priceMin, priceMax, tags, excludedProductId, attributes);
  }

  private static Map<String, List<String>> copyAttributes(Map<String, List<String>> attributes) {
    if (attributes == null || attributes.isEmpty()) {
      return Map.of();
    }
    Map<String, List<String>> copy = new TreeMap<>();
    attributes.forEach(
        (name, values) -> {
          if (!IndexedProduct.isAttributeName(name)) {
            throw new IllegalArgumentException(
                "attribute name '"
                    + name
                    + "' must match "
                    + IndexedProduct.ATTRIBUTE_NAME_PATTERN);
          }
          if (values != null && !values.isEmpty()) {
            copy.put(name, List.copyOf(values));
          }
        });
    return Collections.unmodifiableMap(copy);
  }

  /** Whether it lets every product through. */
  public boolean isEmpty() {
    return categoryPrefix == null
        && brands.isEmpty()
        && priceMin == null
        && priceMax == null
        && tags.isEmpty()
        && excludedProductId == null
        && attributes.isEmpty();
  }
}
