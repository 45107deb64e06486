package dev.clipsearch.searcher.service;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Everything the index stores about one product, for display.
 *
 * @param id product id
 * @param title title, or {@code null}
 * @param description description, or {@code null}
 * @param price price, or {@code null}
 * @param currency ISO currency code, or {@code null}
 * @param category category path, or {@code null}
 * @param brand brand, or {@code null}
 * @param tags tags, possibly empty
 * @param url the product's page in the shop, or {@code null}
 * @param attributes free attributes from the catalog, kept for display
 * @param facetAttributes zero-shot attribute values ({@code clipsearch tag}: {@code color -> red},
 *     the {@code attr.color} facet and filter), empty when the product has none
 * @param images the product's images, in catalog order
 */
public record ProductDetails(
    String id,
    String title,
    String description,
    Double price,
    String currency,
    String category,
    String brand,
    List<String> tags,
    String url,
    Map<String, Object> attributes,
    Map<String, String> facetAttributes,
    List<ProductImage> images) {

  public ProductDetails {
    tags = tags == null ? List.of() : List.copyOf(tags);
    attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
    facetAttributes =
        facetAttributes == null
            ? Map.of()
            : Collections.unmodifiableMap(new TreeMap<>(facetAttributes));
    images = List.copyOf(images);
  }
}
