package dev.clipsearch.sampledata.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clipsearch.common.catalog.Product;
import dev.clipsearch.common.catalog.ProductJson;
import dev.clipsearch.models.testing.TestProducts;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CatalogWriterTest {

  @TempDir Path dir;

  private static Product shoe() {
    return new Product(
        "running-shoe",
        "Running Shoe",
        "Running Shoe by Tessaly, from our Shoes range: running, shoe.",
        "Tessaly",
        "Clothing > Shoes",
        new BigDecimal("89.99"),
        "USD",
        List.of("running", "shoe"),
        null,
        List.of("images/fluent-3d/1f45f.webp", "images/noto/1f45f.png"),
        Map.of("emoji_subgroup", "objects/clothing", "emoji", "👟"));
  }

  @Test
  void a_line_is_the_canonical_product_json_with_the_catalog_fields_in_order() throws Exception {
    String line = CatalogWriter.line(shoe());

    JsonNode json = new ObjectMapper().readTree(line);
    List<String> fields = new ArrayList<>();
    json.fieldNames().forEachRemaining(fields::add);
    assertEquals(
        List.of(
            "id",
            "title",
            "description",
            "brand",
            "category",
            "price",
            "currency",
            "tags",
            "images",
            "attributes"),
        fields);
    List<String> attributes = new ArrayList<>();
    json.get("attributes").fieldNames().forEachRemaining(attributes::add);
    assertEquals(List.of("emoji", "emoji_subgroup"), attributes, "sorted by name");
    assertTrue(json.get("price").isNumber(), line);
    assertEquals(new BigDecimal("89.99"), json.get("price").decimalValue());
    assertEquals("images/noto/1f45f.png", json.get("images").get(1).asText());
    assertTrue(line.contains("\"emoji\":\"👟\""), "emoji written as UTF-8, not escaped: " + line);
    assertTrue(!line.contains("\n"), line);
  }

  @Test
  void a_line_reads_back_as_the_same_product() throws Exception {
    assertEquals(shoe(), ProductJson.read(CatalogWriter.line(shoe())));
  }

  @Test
  void a_catalog_file_has_one_line_per_product_and_nothing_else_in_the_folder() throws Exception {
    Path file = dir.resolve("catalog.jsonl");
    Product other = TestProducts.product("x", "A > B");

    CatalogWriter.write(file, List.of(shoe(), other));

    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    assertEquals(List.of(CatalogWriter.line(shoe()), CatalogWriter.line(other)), lines);
    try (var files = Files.list(dir)) {
      assertEquals(List.of(file), files.toList());
    }
  }
}
