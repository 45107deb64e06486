package dev.clipsearch.sampledata.catalog;

import dev.clipsearch.common.catalog.Product;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/** Minimal products for tests of catalog-level code. */
final class TestProducts {

  private TestProducts() {}

  static Product product(String id, String category) {
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
}
