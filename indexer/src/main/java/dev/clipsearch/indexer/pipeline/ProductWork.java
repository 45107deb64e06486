package dev.clipsearch.indexer.pipeline;

import dev.clipsearch.common.catalog.Product;
import dev.clipsearch.common.catalog.ProductHashes;
import dev.clipsearch.indexer.catalog.ImageSource;
import dev.clipsearch.indexer.report.FailureReason;
import dev.clipsearch.indexer.report.ImageFailure;
import dev.clipsearch.indexer.store.IndexedImage;
import dev.clipsearch.indexer.store.IndexedProduct;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One product travelling through the pipeline. Each stage fills in its part and hands the object to
 * the next stage through a {@link Channel} (which orders the writes before the reads); no two
 * threads touch it at the same time.
 */
final class ProductWork {

  final long line;
  final Product product;
  final List<ImageWork> images = new ArrayList<>();
  String json;
  byte[] syncKey;
  boolean existed;

  /** The zero-shot attributes of the stored version, kept when the run does not tag. */
  Map<String, String> storedAttributes = Map.of();

  RuntimeException encodeFailure;

  ProductWork(long line, Product product) {
    this.line = line;
    this.product = product;
  }

  List<ImageFailure> imageFailures() {
    List<ImageFailure> failures = new ArrayList<>();
    for (ImageWork image : images) {
      if (image.failure != null) {
        failures.add(image.failure);
      }
    }
    return failures;
  }

  /** The end of a failure message for a product that keeps its earlier indexed version. */
  String keptNote() {
    return existed ? "; the version indexed earlier is kept" : "";
  }

  boolean hasUsableImage() {
    for (ImageWork image : images) {
      if (image.failure == null) {
        return true;
      }
    }
    return false;
  }

  /** Every usable image has its vector. */
  boolean encoded() {
    for (ImageWork image : images) {
      if (image.failure == null && image.reused == null && image.vector == null) {
        return false;
      }
    }
    return true;
  }

  IndexedProduct toIndexed() {
    List<IndexedImage> indexed = new ArrayList<>();
    List<String> shas = new ArrayList<>();
    for (ImageWork image : images) {
      if (image.failure != null) {
        continue;
      }
      IndexedImage stored = image.reused;
      indexed.add(
          stored != null
              ? new IndexedImage(
                  image.index,
                  image.ref,
                  image.fingerprint,
                  stored.sha256(),
                  stored.vector(),
                  stored.width(),
                  stored.height(),
                  stored.thumbnail())
              : new IndexedImage(
                  image.index,
                  image.ref,
                  image.fingerprint,
                  image.sha256,
                  image.vector,
                  image.width,
                  image.height,
                  image.thumbnail));
      shas.add(stored != null ? stored.sha256() : image.sha256);
    }
    return new IndexedProduct(
        product, json, syncKey, ProductHashes.contentHash(json, shas), indexed, imageFailures());
  }

  /** One image of a {@link ProductWork}. */
  static final class ImageWork {
    final ProductWork owner;
    final int index;
    final String ref;
    ImageSource source;
    String fingerprint;
    byte[] bytes;
    String sha256;
    IndexedImage reused;
    float[] pixels;
    int width;
    int height;
    byte[] thumbnail;
    float[] vector;
    ImageFailure failure;

    ImageWork(ProductWork owner, int index, String ref) {
      this.owner = owner;
      this.index = index;
      this.ref = ref;
    }

    void fail(FailureReason reason, String message) {
      failure = new ImageFailure(index, ref, reason, message);
      bytes = null;
      pixels = null;
    }

    boolean needsDecode() {
      return failure == null && reused == null && pixels == null && vector == null;
    }

    boolean needsEncode() {
      return failure == null && reused == null && vector == null && pixels != null;
    }
  }
}
