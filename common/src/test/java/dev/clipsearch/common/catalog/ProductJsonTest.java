package dev.clipsearch.common.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProductJsonTest {

  /**
   * The canonical text of {@link #full()}, byte for byte as the indexer wrote it before this class
   * moved to common: stored content hashes are computed over this text, so it must never change. (A
   * decimal attribute loses its trailing zeros, {@code 4.50} becoming {@code 4.5}, as it always
   * did; the price keeps them.)
   */
  static final String FULL_CANONICAL =
      "{\"id\":\"sku-1\",\"title\":\"Trail Runner\",\"description\":\"Light shoe, \\\"grippy\\\""
          + " sole\",\"brand\":\"Tessaly\",\"category\":\"Clothing > Shoes > Sneakers\","
          + "\"price\":89.90,\"currency\":\"EUR\",\"tags\":[\"running\",\"trail\"],"
          + "\"url\":\"https://shop.example/sku-1\",\"images\":[\"images/a.jpg\","
          + "\"https://cdn.example/b.png\"],\"attributes\":{\"color\":\"blau\u00e9\","
          + "\"in_stock\":true,\"rating\":4.5,\"sizes\":[40,41],\"weight\":{\"unit\":\"g\","
          + "\"value\":250}}}";

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

  @Test
  void canonical_json_of_a_product_with_every_field_is_unchanged_byte_for_byte() {
    assertEquals(FULL_CANONICAL, ProductJson.canonical(full(new BigDecimal("4.50"))));
  }

  @Test
  void canonical_json_omits_absent_fields_and_empty_lists() {
    Product bare =
        new Product("p", null, null, null, null, null, null, List.of(), null, List.of(), Map.of());
    assertEquals("{\"id\":\"p\"}", ProductJson.canonical(bare));
  }

  @Test
  void the_summary_json_holds_the_display_fields_only_and_reads_as_the_full_json_does() {
    Product product = full(new BigDecimal("4.50"));

    String summary = ProductJson.summaryJson(product);

    assertEquals(ProductJson.summary(ProductJson.canonical(product)), ProductJson.summary(summary));
    assertTrue(!summary.contains("description") && !summary.contains("images"), summary);
    assertTrue(summary.length() < ProductJson.canonical(product).length() / 2, summary);
    Product bare =
        new Product("p", null, null, null, null, null, null, List.of(), null, List.of(), Map.of());
    assertEquals("{\"id\":\"p\"}", ProductJson.summaryJson(bare));
  }

  @Test
  void read_gives_back_the_product_that_was_written() {
    Product product = full(new BigDecimal("4.5"));

    Product read = ProductJson.read(ProductJson.canonical(product));

    assertEquals(product, read);
    assertEquals(new BigDecimal("89.90"), read.price(), "the price keeps its written scale");
    assertEquals(FULL_CANONICAL, ProductJson.canonical(read));
  }

  @Test
  void read_takes_a_catalog_entry_with_loose_field_forms() {
    Product p =
        ProductJson.read(
            "{\"id\":42,\"title\":\" Boot \",\"category\":[\"Shoes\",\"Boots\"],"
                + "\"price\":\"19.5\",\"tags\":\"a|b, a\",\"image\":\"x.jpg\",\"color\":\"red\","
                + "\"brand\":\"  \",\"note\":null}");

    assertEquals("42", p.id());
    assertEquals("Boot", p.title());
    assertEquals("Shoes > Boots", p.category());
    assertEquals(new BigDecimal("19.5"), p.price());
    assertEquals(List.of("a", "b"), p.tags());
    assertEquals(List.of("x.jpg"), p.images());
    assertNull(p.brand(), "a blank brand is absent");
    assertEquals(Map.of("color", "red"), p.attributes());
  }

  @Test
  void read_merges_the_attributes_object_with_free_fields_but_not_twice_the_same() {
    Product p = ProductJson.read("{\"id\":\"p\",\"color\":\"red\",\"attributes\":{\"size\":41}}");
    assertEquals(Map.of("color", "red", "size", 41), p.attributes());

    ProductFormatException e =
        assertThrows(
            ProductFormatException.class,
            () -> ProductJson.read("{\"id\":\"p\",\"size\":40,\"attributes\":{\"size\":41}}"));
    assertTrue(e.getMessage().contains("'size'"), e.getMessage());
    assertEquals("p", e.productId());
  }

  @Test
  void read_names_what_is_wrong() {
    ProductFormatException noId =
        assertThrows(ProductFormatException.class, () -> ProductJson.read("{\"title\":\"x\"}"));
    assertTrue(noId.missingId());
    assertEquals("no id", noId.getMessage());

    ProductFormatException price =
        assertThrows(
            ProductFormatException.class,
            () -> ProductJson.read("{\"id\":\"p\",\"price\":\"cheap\"}"));
    assertFalse(price.missingId());
    assertEquals("p", price.productId());
    assertTrue(price.getMessage().contains("price is not a number"), price.getMessage());

    ProductFormatException negative =
        assertThrows(
            ProductFormatException.class, () -> ProductJson.read("{\"id\":\"p\",\"price\":-1}"));
    assertTrue(negative.getMessage().contains("price is negative"), negative.getMessage());

    ProductFormatException tags =
        assertThrows(
            ProductFormatException.class, () -> ProductJson.read("{\"id\":\"p\",\"tags\":[1]}"));
    assertTrue(tags.getMessage().startsWith("tags must hold strings"), tags.getMessage());

    ProductFormatException array =
        assertThrows(ProductFormatException.class, () -> ProductJson.read("[1]"));
    assertTrue(array.getMessage().contains("JSON object, got array"), array.getMessage());

    ProductFormatException broken =
        assertThrows(ProductFormatException.class, () -> ProductJson.read("{\"id\":"));
    assertTrue(broken.getMessage().startsWith("not valid JSON"), broken.getMessage());

    assertThrows(ProductFormatException.class, () -> ProductJson.read("{\"id\":\"p\"} {}"));
  }

  @Test
  void summary_reads_the_display_fields_as_read_does() {
    Product product = full(new BigDecimal("4.50"));
    String json = ProductJson.canonical(product);
    Product read = ProductJson.read(json);
    ProductSummary summary = ProductJson.summary(json);
    assertEquals(
        new ProductSummary(
            read.id(), read.title(), read.price(), read.currency(), read.category(), read.brand()),
        summary);
    assertEquals(read.price().doubleValue(), summary.priceAsDouble());
    assertEquals(null, ProductJson.summary("{\"id\": \"a\"}").priceAsDouble());
    assertThrows(ProductFormatException.class, () -> ProductJson.summary("[1]"));
  }

  @Test
  void known_fields_are_the_field_constants() {
    assertTrue(ProductJson.KNOWN_FIELDS.contains(ProductJson.IMAGE));
    assertFalse(ProductJson.KNOWN_FIELDS.contains(ProductJson.ATTRIBUTES));
    assertEquals(11, ProductJson.KNOWN_FIELDS.size());
  }

  static Product full(BigDecimal rating) {
    Map<String, Object> attributes = new LinkedHashMap<>();
    attributes.put("weight", Map.of("value", 250, "unit", "g"));
    attributes.put("sizes", List.of(40, 41));
    attributes.put("rating", rating);
    attributes.put("in_stock", true);
    attributes.put("color", "blau\u00e9");
    return new Product(
        "sku-1",
        "Trail Runner",
        "Light shoe, \"grippy\" sole",
        "Tessaly",
        "Clothing > Shoes > Sneakers",
        new BigDecimal("89.90"),
        "EUR",
        List.of("running", "trail"),
        "https://shop.example/sku-1",
        List.of("images/a.jpg", "https://cdn.example/b.png"),
        attributes);
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
