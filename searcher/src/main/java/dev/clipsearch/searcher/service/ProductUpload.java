package dev.clipsearch.searcher.service;

import java.util.List;
import java.util.Objects;

/**
 * A product to insert or replace, with its image files.
 *
 * @param id product id
 * @param fields descriptive fields
 * @param images encoded image files (JPEG, PNG, WebP, ...), at least one
 */
public record ProductUpload(String id, ProductFields fields, List<byte[]> images) {

  public ProductUpload {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(fields, "fields");
    images = List.copyOf(images);
    if (images.isEmpty()) {
      throw new IllegalArgumentException("a product needs at least one image");
    }
  }
}
