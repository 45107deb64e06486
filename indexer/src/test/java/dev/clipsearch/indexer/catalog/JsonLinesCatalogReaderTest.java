package dev.clipsearch.indexer.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clipsearch.common.catalog.Product;
import dev.clipsearch.common.catalog.ProductJson;
import dev.clipsearch.indexer.report.FailureReason;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonLinesCatalogReaderTest {

  @TempDir Path dir;

  private List<CatalogItem> readAll(String name, String content) throws IOException {
    Path file = dir.resolve(name);
    Files.writeString(file, content, StandardCharsets.UTF_8);
    return readAll(file);
  }

  private static List<CatalogItem> readAll(Path file) throws IOException {
    List<CatalogItem> items = new ArrayList<>();
    try (CatalogReader reader = CatalogReader.open(file)) {
      CatalogItem item;
      while ((item = reader.next()) != null) {
        items.add(item);
      }
    }
    return items;
  }

  @Test
  void reads_every_known_field_and_keeps_the_others_as_attributes() throws IOException {
    List<CatalogItem> items =
        readAll(
            "c.jsonl",
            """
            {"id":"p1","title":"Red sneaker","description":"Light","brand":"Acme",\
            "category":"Clothing>Shoes > Sneakers","price":"59.90","currency":"EUR",\
            "tags":["running","red","running"],"url":"https://shop/p1",\
            "images":["a.jpg","https://cdn/x.jpg"],"color":"red","sizes":[40,41]}
            """);
    CatalogItem.Valid valid = assertInstanceOf(CatalogItem.Valid.class, items.get(0));
    Product p = valid.product();
    assertEquals(1, valid.line());
    assertEquals("p1", p.id());
    assertEquals("Red sneaker", p.title());
    assertEquals(new BigDecimal("59.90"), p.price());
    assertEquals(List.of("running", "red"), p.tags());
    assertEquals(List.of("a.jpg", "https://cdn/x.jpg"), p.images());
    assertEquals(List.of("Clothing", "Shoes", "Sneakers"), p.categoryLevels());
    assertEquals(
        List.of("Clothing", "Clothing > Shoes", "Clothing > Shoes > Sneakers"),
        p.categoryAncestors());
    assertEquals(Map.of("color", "red", "sizes", List.of(40, 41)), p.attributes());
  }

  /** A catalog written in the canonical form (as sample-data writes it) indexes as itself. */
  @Test
  void a_canonical_line_reads_as_the_product_it_was_written_from() throws IOException {
    String canonical =
        "{\"id\":\"p1\",\"title\":\"Red sneaker\",\"category\":\"Clothing > Shoes\","
            + "\"price\":\"59.90\",\"tags\":[\"red\"],\"images\":[\"a.jpg\"],"
            + "\"attributes\":{\"color\":\"red\",\"sizes\":[40,41]}}";

    List<CatalogItem> items = readAll("c.jsonl", canonical + "\n");

    Product p = assertInstanceOf(CatalogItem.Valid.class, items.get(0)).product();
    assertEquals(Map.of("color", "red", "sizes", List.of(40, 41)), p.attributes());
    assertEquals(canonical.replace("\"59.90\"", "59.90"), ProductJson.canonical(p));
  }

  @Test
  void a_malformed_line_is_reported_with_its_number_and_the_next_line_is_read() throws IOException {
    List<CatalogItem> items =
        readAll(
            "c.jsonl",
            """
            {"id":"a","images":"a.jpg"}

            {"id":"b", "images": [
            ["not", "an", "object"]
            {"id":"c","images":"c.jpg"} trailing
            {"id":"d","id":"e","images":"d.jpg"}
            {"id":"f","images":"f.jpg"}
            """);
    assertEquals(6, items.size());
    assertEquals(1, items.get(0).line());
    CatalogItem.Invalid truncated = assertInstanceOf(CatalogItem.Invalid.class, items.get(1));
    assertEquals(3, truncated.line());
    assertEquals(FailureReason.MALFORMED_LINE, truncated.reason());
    CatalogItem.Invalid array = assertInstanceOf(CatalogItem.Invalid.class, items.get(2));
    assertEquals(4, array.line());
    assertTrue(array.message().contains("expected a JSON object"), array.message());
    assertEquals(
        FailureReason.MALFORMED_LINE,
        assertInstanceOf(CatalogItem.Invalid.class, items.get(3)).reason());
    CatalogItem.Invalid duplicateKey = assertInstanceOf(CatalogItem.Invalid.class, items.get(4));
    assertEquals(6, duplicateKey.line());
    CatalogItem.Valid last = assertInstanceOf(CatalogItem.Valid.class, items.get(5));
    assertEquals(7, last.line());
    assertEquals("f", last.product().id());
  }

  @Test
  void missing_and_invalid_fields_name_the_problem_and_keep_the_id_when_readable()
      throws IOException {
    List<CatalogItem> items =
        readAll(
            "c.jsonl",
            """
            {"title":"no id","images":"a.jpg"}
            {"id":"   ","images":"a.jpg"}
            {"id":"p3","price":"abc","images":"a.jpg"}
            {"id":"p4","price":-1,"images":"a.jpg"}
            {"id":"p5","images":[1,2]}
            {"id":"p6","title":{"en":"x"},"images":"a.jpg"}
            {"id":7,"images":"a.jpg"}
            {"id":"p8","brand":"%s","images":"a.jpg"}
            """
                .formatted("B".repeat(ProductParser.MAX_KEYWORD_LENGTH + 1)));
    CatalogItem.Invalid noId = assertInstanceOf(CatalogItem.Invalid.class, items.get(0));
    assertEquals(FailureReason.MISSING_ID, noId.reason());
    assertNull(noId.productId());
    assertEquals(
        FailureReason.MISSING_ID,
        assertInstanceOf(CatalogItem.Invalid.class, items.get(1)).reason());
    CatalogItem.Invalid price = assertInstanceOf(CatalogItem.Invalid.class, items.get(2));
    assertEquals(FailureReason.INVALID_FIELD, price.reason());
    assertEquals("p3", price.productId());
    assertTrue(price.message().contains("price is not a number: \"abc\""), price.message());
    assertTrue(
        assertInstanceOf(CatalogItem.Invalid.class, items.get(3)).message().contains("negative"));
    assertTrue(
        assertInstanceOf(CatalogItem.Invalid.class, items.get(4))
            .message()
            .contains("images must hold strings"));
    assertTrue(
        assertInstanceOf(CatalogItem.Invalid.class, items.get(5))
            .message()
            .contains("title must be text"));
    assertEquals("7", assertInstanceOf(CatalogItem.Valid.class, items.get(6)).product().id());
    CatalogItem.Invalid longBrand = assertInstanceOf(CatalogItem.Invalid.class, items.get(7));
    assertTrue(
        longBrand.message().startsWith("brand is 1025 characters long"), longBrand.message());
  }

  @Test
  void an_overlong_line_is_skipped_without_losing_the_following_lines() throws IOException {
    String longLine =
        "{\"id\":\"x\",\"t\":\"" + "a".repeat(JsonLinesCatalogReader.MAX_LINE_CHARS) + "\"}";
    List<CatalogItem> items =
        readAll("c.jsonl", longLine + "\n{\"id\":\"ok\",\"images\":\"a.jpg\"}\n");
    CatalogItem.Invalid tooLong = assertInstanceOf(CatalogItem.Invalid.class, items.get(0));
    assertTrue(tooLong.message().contains("longer than"), tooLong.message());
    assertEquals(2, items.get(1).line());
    assertEquals("ok", assertInstanceOf(CatalogItem.Valid.class, items.get(1)).product().id());
  }

  @Test
  void reads_gzip_and_skips_a_byte_order_mark_and_crlf_line_ends() throws IOException {
    Path file = dir.resolve("c.jsonl.gz");
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
      out.write(
          "\uFEFF{\"id\":\"a\",\"images\":\"a.jpg\"}\r\n{\"id\":\"b\",\"images\":\"b.jpg\"}\r\n"
              .getBytes(StandardCharsets.UTF_8));
    }
    List<CatalogItem> items = readAll(file);
    assertEquals(2, items.size());
    assertEquals("a", assertInstanceOf(CatalogItem.Valid.class, items.get(0)).product().id());
    assertEquals("b", assertInstanceOf(CatalogItem.Valid.class, items.get(1)).product().id());
    assertEquals(2, Catalogs.estimateProducts(file, CatalogFormat.JSONL));
  }

  @Test
  void a_missing_catalog_is_a_catalog_exception_naming_the_file() {
    Path missing = dir.resolve("nope.jsonl");
    CatalogException e = assertThrows(CatalogException.class, () -> CatalogReader.open(missing));
    assertTrue(e.getMessage().contains("nope.jsonl"), e.getMessage());
  }

  @Test
  void an_unknown_extension_is_refused_with_the_known_ones() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> CatalogFormat.detect(Path.of("catalog.xml")));
    assertTrue(e.getMessage().contains(".jsonl"), e.getMessage());
  }
}
