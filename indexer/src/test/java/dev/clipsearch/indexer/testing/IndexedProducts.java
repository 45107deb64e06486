package dev.clipsearch.indexer.testing;

import dev.clipsearch.common.catalog.Product;
import dev.clipsearch.common.catalog.ProductJson;
import dev.clipsearch.indexer.store.IndexedImage;
import dev.clipsearch.indexer.store.IndexedProduct;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds what the pipeline hands a store, for index tests (the products themselves come from the
 * models test-jar's {@code TestProducts}).
 */
public final class IndexedProducts {

  private IndexedProducts() {}

  /** An indexed product whose i-th image has vector {@code vectors[i]}. */
  public static IndexedProduct indexed(Product product, float[]... vectors) {
    List<IndexedImage> images = new ArrayList<>();
    for (int i = 0; i < vectors.length; i++) {
      images.add(
          new IndexedImage(
              i,
              product.images().get(i),
              "file:1:1",
              "sha-" + product.id() + "-" + i,
              vectors[i],
              40,
              30,
              new byte[] {(byte) i, 1, 2}));
    }
    return indexed(product, images);
  }

  /** An indexed product with these images, no failures, and a sync key and hash from its id. */
  public static IndexedProduct indexed(Product product, List<IndexedImage> images) {
    return new IndexedProduct(
        product,
        ProductJson.canonical(product),
        new byte[32],
        "content-" + product.id(),
        images,
        List.of());
  }
}
