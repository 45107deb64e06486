package dev.clipsearch.indexer.store;

import java.util.List;

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
 */
public record ProductFilter(
    String categoryPrefix,
    List<String> brands,
    Double priceMin,
    Double priceMax,
    List<String> tags,
    String excludedProductId) {

  /** Every product. */
  public static final ProductFilter NONE =
      new ProductFilter(null, List.of(), null, null, List.of(), null);

  public ProductFilter {
    brands = brands == null ? List.of() : List.copyOf(brands);
    tags = tags == null ? List.of() : List.copyOf(tags);
  }

  /** This filter, also excluding product {@code id}. */
  public ProductFilter excluding(String id) {
    return new ProductFilter(categoryPrefix, brands, priceMin, priceMax, tags, id);
  }

  /** Whether it lets every product through. */
  public boolean isEmpty() {
    return categoryPrefix == null
        && brands.isEmpty()
        && priceMin == null
        && priceMax == null
        && tags.isEmpty()
        && excludedProductId == null;
  }
}
