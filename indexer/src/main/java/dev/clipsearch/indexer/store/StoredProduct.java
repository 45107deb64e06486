package dev.clipsearch.indexer.store;

import dev.clipsearch.indexer.report.ImageFailure;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A product as a store holds it, found through a {@link StoreSnapshot}: what incremental runs
 * compare (sync key, content hash, failed images) and its images with their fingerprints, hashes
 * and exact vectors. Valid only while the snapshot that returned it is open.
 */
public interface StoredProduct {

  /** The product id. */
  String id();

  /** The sync key written with this version (SHA-256 over the JSON and image fingerprints). */
  byte[] syncKey();

  /** Whether {@code key} equals the stored sync key. */
  default boolean hasSyncKey(byte[] key) {
    return Arrays.equals(syncKey(), key);
  }

  /** How many of its images failed when it was indexed. */
  int failedImages();

  /** The canonical product JSON that was indexed. */
  String json() throws IOException;

  /** The stored content hash (hex SHA-256 over the JSON and the usable images' bytes). */
  String contentHash() throws IOException;

  /** Its images in catalog order, with their exact float vectors and thumbnails. */
  List<IndexedImage> images() throws IOException;

  /**
   * Its zero-shot attribute values ({@link IndexedProduct#facetAttributes()}), empty when it has
   * none. A store that keeps attributes must override this; the default suits one that keeps none.
   */
  default Map<String, String> facetAttributes() throws IOException {
    return Map.of();
  }

  /**
   * The images that failed when it was indexed ({@link #failedImages()} of them), so that a product
   * can be written again as it was (with new attributes, by {@code clipsearch tag}). The default
   * answers only when none failed; a store that records failures must override it.
   *
   * @throws UnsupportedOperationException when images failed and the store cannot say which
   */
  default List<ImageFailure> imageErrors() throws IOException {
    if (failedImages() == 0) {
      return List.of();
    }
    throw new UnsupportedOperationException(
        getClass().getSimpleName() + " does not return the failed images of product " + id());
  }
}
