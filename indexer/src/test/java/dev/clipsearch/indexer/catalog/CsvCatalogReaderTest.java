package dev.clipsearch.indexer.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clipsearch.common.catalog.Product;
import dev.clipsearch.indexer.report.FailureReason;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvCatalogReaderTest {

  @TempDir Path dir;

  private List<CatalogItem> readAll(String name, String content) throws IOException {
    Path file = dir.resolve(name);
    Files.writeString(file, content);
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
  void reads_a_header_catalog_with_quoted_multiline_cells_and_pipe_separated_images()
      throws IOException {
    List<CatalogItem> items =
        readAll(
            "c.csv",
            """
            ID,Title,Description,Price,Images,Tags,Material
            p1,Sneaker,"Light,
            and fast",59.90,"a.jpg|https://cdn/x.jpg?w=1,4",run|red,mesh
            p2,Boot,,,b.jpg,,
            """);
    assertEquals(2, items.size());
    Product p1 = assertInstanceOf(CatalogItem.Valid.class, items.get(0)).product();
    assertEquals("Light,\nand fast", p1.description());
    assertEquals(new BigDecimal("59.90"), p1.price());
    assertEquals(List.of("a.jpg", "https://cdn/x.jpg?w=1,4"), p1.images());
    assertEquals(List.of("run", "red"), p1.tags());
    assertEquals(Map.of("material", "mesh"), p1.attributes());
    CatalogItem p2 = items.get(1);
    assertEquals(4, p2.line(), "the second record starts after the two-line first one");
    assertEquals(null, assertInstanceOf(CatalogItem.Valid.class, p2).product().price());
  }

  @Test
  void a_record_with_the_wrong_number_of_cells_is_malformed_with_its_line() throws IOException {
    List<CatalogItem> items =
        readAll(
            "c.csv",
            """
            id,title,images
            p1,Red, blue sneaker,a.jpg
            p2,Boot,b.jpg
            """);
    CatalogItem.Invalid bad = assertInstanceOf(CatalogItem.Invalid.class, items.get(0));
    assertEquals(2, bad.line());
    assertEquals(FailureReason.MALFORMED_LINE, bad.reason());
    assertTrue(bad.message().contains("4 cells, the header has 3"), bad.message());
    assertEquals(3, items.get(1).line());
  }

  @Test
  void tab_separated_files_are_read_by_extension() throws IOException {
    List<CatalogItem> items = readAll("c.tsv", "id\ttitle\timages\np1\tA, B\ta.jpg\n");
    assertEquals("A, B", assertInstanceOf(CatalogItem.Valid.class, items.get(0)).product().title());
  }

  @Test
  void a_header_without_id_is_refused_naming_the_columns() {
    Path file = dir.resolve("c.csv");
    CatalogException e =
        assertThrows(
            CatalogException.class,
            () -> {
              Files.writeString(file, "sku,title\n1,x\n");
              CatalogReader.open(file).close();
            });
    assertTrue(e.getMessage().contains("no \"id\" column"), e.getMessage());
    assertTrue(e.getMessage().contains("sku"), e.getMessage());
  }

  @Test
  void an_unclosed_quote_ends_the_file_with_an_error_naming_the_line() throws IOException {
    Path file = dir.resolve("c.csv");
    Files.writeString(file, "id,title,images\np1,ok,a.jpg\np2,\"broken,b.jpg\n");
    try (CatalogReader reader = CatalogReader.open(file)) {
      assertInstanceOf(CatalogItem.Valid.class, reader.next());
      CatalogException e = assertThrows(CatalogException.class, reader::next);
      assertTrue(e.getMessage().contains(":3:"), e.getMessage());
    }
  }
}
