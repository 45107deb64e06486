package dev.clipsearch.indexer.store;

import java.util.List;

/**
 * A stored product as the search side reads it back.
 *
 * @param id the product id
 * @param json the canonical product JSON that was indexed
 * @param images its stored images in catalog order
 */
public record ProductRecord(String id, String json, List<ImageRecord> images) {

  public ProductRecord {
    images = List.copyOf(images);
  }
}
