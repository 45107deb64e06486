package dev.clipsearch.indexer.store;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;

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
}
