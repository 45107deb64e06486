package dev.clipsearch.indexer.store;

import dev.clipsearch.common.catalog.Product;
import dev.clipsearch.indexer.report.ImageFailure;
import java.util.List;
import java.util.Objects;

/**
 * Everything the index stores for one product: the catalog record, its usable images with vectors,
 * the images that failed, and the hashes incremental runs compare.
 *
 * @param product the catalog record
 * @param json its canonical JSON ({@code ProductJson.canonical})
 * @param syncKey SHA-256 over the JSON and each image's cheap fingerprint (32 bytes)
 * @param contentHash hex SHA-256 over the JSON and each usable image's bytes
 * @param images at least one usable image, in catalog order
 * @param imageErrors the images that could not be used
 */
public record IndexedProduct(
    Product product,
    String json,
    byte[] syncKey,
    String contentHash,
    List<IndexedImage> images,
    List<ImageFailure> imageErrors) {

  public IndexedProduct {
    Objects.requireNonNull(product, "product");
    Objects.requireNonNull(json, "json");
    Objects.requireNonNull(syncKey, "syncKey");
    Objects.requireNonNull(contentHash, "contentHash");
    images = List.copyOf(images);
    imageErrors = List.copyOf(imageErrors);
    if (images.isEmpty()) {
      throw new IllegalArgumentException("product " + product.id() + " has no usable image");
    }
  }
}
