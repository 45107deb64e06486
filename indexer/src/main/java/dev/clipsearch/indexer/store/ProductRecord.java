package dev.clipsearch.indexer.store;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A stored product as the search side reads it back.
 *
 * @param id the product id
 * @param json the canonical product JSON that was indexed
 * @param images its stored images in catalog order
 * @param facetAttributes its zero-shot attribute values ({@link IndexedProduct#facetAttributes()},
 *     {@code color -> red}, sorted by name), empty when it has none
 */
public record ProductRecord(
    String id, String json, List<ImageRecord> images, Map<String, String> facetAttributes) {

  /** A product without zero-shot attributes. */
  public ProductRecord(String id, String json, List<ImageRecord> images) {
    this(id, json, images, Map.of());
  }

  public ProductRecord {
    images = List.copyOf(images);
    facetAttributes =
        facetAttributes == null || facetAttributes.isEmpty()
            ? Map.of()
            : Collections.unmodifiableMap(new TreeMap<>(facetAttributes));
  }
}
