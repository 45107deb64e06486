package dev.clipsearch.models.testing;

import dev.clipsearch.common.catalog.Product;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Builders of catalog products and of vectors, for the tests of every module. */
public final class TestProducts {

  private TestProducts() {}

  /** A product whose images are {@code <id>-<i>.jpg}, priced in EUR (null price: none). */
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

  /** A minimal product as the sample-data builder writes one: one WebP image, 9.99 USD. */
  public static Product product(String id, String category) {
    return new Product(
        id,
        id,
        "about " + id,
        "Brand",
        category,
        new BigDecimal("9.99"),
        "USD",
        List.of("tag"),
        null,
        List.of("images/fluent-3d/" + id + ".webp"),
        Map.of());
  }

  /** A seeded random unit vector. */
  public static float[] unitVector(Random random, int dimension) {
    float[] v = new float[dimension];
    for (int i = 0; i < dimension; i++) {
      v[i] = (float) random.nextGaussian();
    }
    return normalize(v);
  }

  /** Scales {@code v} in place to unit length (a zero vector becomes the first axis). */
  public static float[] normalize(float[] v) {
    double sum = 0;
    for (float x : v) {
      sum += x * x;
    }
    float norm = (float) Math.sqrt(sum);
    if (norm == 0) {
      v[0] = 1;
      return v;
    }
    for (int i = 0; i < v.length; i++) {
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
