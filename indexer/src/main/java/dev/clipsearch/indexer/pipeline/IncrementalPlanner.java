package dev.clipsearch.indexer.pipeline;

import dev.clipsearch.common.catalog.ProductHashes;
import dev.clipsearch.common.catalog.ProductJson;
import dev.clipsearch.indexer.catalog.ImageSource;
import dev.clipsearch.indexer.fetch.FetchException;
import dev.clipsearch.indexer.fetch.ImageFetcher;
import dev.clipsearch.indexer.pipeline.ProductWork.ImageWork;
import dev.clipsearch.indexer.report.FailureReason;
import dev.clipsearch.indexer.store.IndexedImage;
import dev.clipsearch.indexer.store.StoreSnapshot;
import dev.clipsearch.indexer.store.StoredProduct;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The fetch stage's decisions for one product, against a snapshot of the store taken at the start
 * of the run: is it unchanged (skip it without reading its images), and which of its images can
 * reuse a stored vector instead of being decoded and encoded again.
 *
 * <ul>
 *   <li>A product whose sync key (canonical JSON + each image's cheap fingerprint) equals the
 *       stored one, and which had no failed image, is unchanged. With {@code --rehash} its images
 *       are read anyway, and it is unchanged only when every image has the stored bytes.
 *   <li>Otherwise each image reuses the stored image with the same reference and fingerprint (never
 *       with {@code --rehash}), else the stored image with the same SHA-256 (its bytes are read to
 *       know), else it goes on to be decoded with the bytes read here.
 * </ul>
 *
 * <p>Thread-safe when the snapshot is (the fetch threads share one planner).
 */
final class IncrementalPlanner {

  /** What happens to a product after the fetch stage. */
  enum Plan {
    /** Nothing changed: counted as unchanged, goes no further. */
    UNCHANGED,
    /** New or changed: goes on to be decoded (the images that need it), encoded and written. */
    INDEX
  }

  private final StoreSnapshot snapshot;
  private final ImageFetcher fetcher;
  private final Path baseDir;
  private final boolean rehash;

  /**
   * @param baseDir the directory relative image paths of the catalog are resolved against
   * @param rehash whether to read every image and compare bytes instead of trusting fingerprints
   */
  IncrementalPlanner(StoreSnapshot snapshot, ImageFetcher fetcher, Path baseDir, boolean rehash) {
    this.snapshot = snapshot;
    this.fetcher = fetcher;
    this.baseDir = baseDir;
    this.rehash = rehash;
  }

  /**
   * Fills in {@code work}'s JSON, sync key, image sources and fingerprints, whether the store had
   * the product, and per image: the reused stored image, or the bytes to decode, or the failure.
   */
  Plan plan(ProductWork work) throws IOException, InterruptedException {
    work.json = ProductJson.canonical(work.product);
    List<ProductHashes.ImageKey> keys = new ArrayList<>();
    for (String ref : work.product.images()) {
      ImageWork image = new ImageWork(work, work.images.size(), ref);
      work.images.add(image);
      try {
        image.source = ImageSource.resolve(ref, baseDir);
        image.fingerprint = fetcher.fingerprint(image.source);
        if (rehash) {
          readBytes(image);
        }
      } catch (IllegalArgumentException e) {
        image.fail(FailureReason.UNSUPPORTED_SOURCE, e.getMessage());
      } catch (FetchException e) {
        image.fail(e.reason(), e.getMessage());
      }
      keys.add(
          new ProductHashes.ImageKey(
              ref,
              image.failure == null
                  ? image.fingerprint
                  : "failed:" + image.failure.reason().code()));
    }
    work.syncKey = ProductHashes.syncKey(work.json, keys);
    StoredProduct existing = snapshot.find(work.product.id());
    work.existed = existing != null;
    List<IndexedImage> stored = null;
    if (existing != null && existing.failedImages() == 0 && existing.hasSyncKey(work.syncKey)) {
      // Unchanged by its fingerprints: skip, unless --rehash finds different bytes.
      if (!rehash) {
        return Plan.UNCHANGED;
      }
      stored = existing.images();
      if (sameBytes(work, stored)) {
        return Plan.UNCHANGED;
      }
    }
    if (stored == null) {
      stored = existing == null ? List.of() : existing.images();
    }
    if (existing != null) {
      work.storedAttributes = existing.facetAttributes();
    }
    planReuse(work, stored);
    return Plan.INDEX;
  }

  private void planReuse(ProductWork work, List<IndexedImage> stored) throws InterruptedException {
    Map<String, IndexedImage> byFingerprint = new HashMap<>();
    Map<String, IndexedImage> bySha = new HashMap<>();
    for (IndexedImage image : stored) {
      byFingerprint.put(image.source() + "\n" + image.fingerprint(), image);
      bySha.put(image.sha256(), image);
    }
    for (ImageWork image : work.images) {
      if (image.failure != null) {
        continue;
      }
      IndexedImage reuse = rehash ? null : byFingerprint.get(image.ref + "\n" + image.fingerprint);
      if (reuse == null) {
        if (image.bytes == null) {
          try {
            readBytes(image);
          } catch (FetchException e) {
            image.fail(e.reason(), e.getMessage());
            continue;
          }
        }
        reuse = bySha.get(image.sha256);
      }
      if (reuse != null) {
        image.reused = reuse;
        image.bytes = null;
      }
    }
  }

  private void readBytes(ImageWork image) throws FetchException, InterruptedException {
    image.bytes = fetcher.fetch(image.source);
    image.sha256 = ProductHashes.sha256Hex(image.bytes);
  }

  private static boolean sameBytes(ProductWork work, List<IndexedImage> stored) {
    if (stored.size() != work.images.size()) {
      return false;
    }
    for (int i = 0; i < stored.size(); i++) {
      String sha = work.images.get(i).sha256;
      if (sha == null || !sha.equals(stored.get(i).sha256())) {
        return false;
      }
    }
    return true;
  }
}
