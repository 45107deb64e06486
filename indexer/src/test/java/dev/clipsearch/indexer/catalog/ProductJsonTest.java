package dev.clipsearch.indexer.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProductJsonTest {

  @Test
  void canonical_json_ignores_attribute_order_and_normalizes_the_category() {
    Map<String, Object> ab = new LinkedHashMap<>();
    ab.put("a", 1);
    ab.put("b", Map.of("y", 1, "x", 2));
    Map<String, Object> ba = new LinkedHashMap<>();
    ba.put("b", Map.of("x", 2, "y", 1));
    ba.put("a", 1);
    Product one = product("Shoes>Boots", ab);
    Product two = product(" Shoes >  Boots ", ba);
    assertEquals(ProductJson.canonical(one), ProductJson.canonical(two));
    assertEquals(
        "{\"id\":\"p\",\"title\":\"T\",\"category\":\"Shoes > Boots\",\"price\":9.50,"
            + "\"images\":[\"a.jpg\"],\"attributes\":{\"a\":1,\"b\":{\"x\":2,\"y\":1}}}",
        ProductJson.canonical(one));
  }

  private static Product product(String category, Map<String, Object> attributes) {
    return new Product(
        "p",
        "T",
        null,
        null,
        category,
        new BigDecimal("9.50"),
        null,
        List.of(),
        null,
        List.of("a.jpg"),
        attributes);
  }
}
