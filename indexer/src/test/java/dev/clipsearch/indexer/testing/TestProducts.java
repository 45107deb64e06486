package dev.clipsearch.indexer.testing;

import dev.clipsearch.common.catalog.Product;
import dev.clipsearch.common.catalog.ProductJson;
import dev.clipsearch.indexer.store.IndexedImage;
import dev.clipsearch.indexer.store.IndexedProduct;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Builders of products and vectors for index tests. */
public final class TestProducts {

  private TestProducts() {}

  public static Product product(
      String id, String brand, String category, String price, List<String> tags, int images) {
    List<String> refs = new ArrayList<>();
    for (int i = 0; i < images; i++) {
      refs.add(id + "-" + i + ".jpg");
    }
    return new Product(
        id,
        "Product " + id,
        "Description of " + id,
        brand,
        category,
        price == null ? null : new BigDecimal(price),
        "EUR",
        tags,
        null,
        refs,
        Map.of());
  }

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
    return new IndexedProduct(
        product,
        ProductJson.canonical(product),
        new byte[32],
        "content-" + product.id(),
        images,
        List.of());
  }

  /** A seeded random unit vector. */
  public static float[] unitVector(Random random, int dimension) {
    float[] v = new float[dimension];
    double sum = 0;
    for (int i = 0; i < dimension; i++) {
      v[i] = (float) random.nextGaussian();
      sum += v[i] * v[i];
    }
    float norm = (float) Math.sqrt(sum);
    for (int i = 0; i < dimension; i++) {
      v[i] /= norm;
    }
    return v;
  }

  public static float dot(float[] a, float[] b) {
    float sum = 0;
    for (int i = 0; i < a.length; i++) {
      sum += a[i] * b[i];
    }
    return sum;
  }
}
