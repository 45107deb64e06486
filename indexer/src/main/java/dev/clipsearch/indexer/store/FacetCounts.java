package dev.clipsearch.indexer.store;

import java.util.List;
import java.util.Map;

/**
 * Facet counts over a list of products, by facet name; each facet's values most frequent first,
 * ties by value. Facets are named so that more can join ({@code attr.color}…) without changing the
 * store interface.
 *
 * @param byFacet the counted values of each requested facet
 */
public record FacetCounts(Map<String, List<FacetValue>> byFacet) {

  /** The product's brand. */
  public static final String BRAND = "brand";

  /**
   * The product's category path, hierarchical: a product in {@code A > B > C} counts for {@code A},
   * {@code A > B} and {@code A > B > C}, so a client can draw the tree at any depth.
   */
  public static final String CATEGORY = "category";

  /**
   * The prefix of a zero-shot attribute's facet, {@code attr.color}: one value per product, written
   * by {@code clipsearch tag} (see {@link StoreView#attributeFacets()}).
   */
  public static final String ATTRIBUTE_PREFIX = IndexedProduct.ATTRIBUTE_FACET_PREFIX;

  public FacetCounts {
    byFacet = Map.copyOf(byFacet);
  }

  /** The counts of one facet; empty when it was not requested or nothing carries it. */
  public List<FacetValue> get(String facet) {
    return byFacet.getOrDefault(facet, List.of());
  }
}
