package dev.clipsearch.indexer.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clipsearch.models.testing.TestImages;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Writes a JSON Lines catalog and its image files into a folder, for pipeline tests. */
public final class CatalogFixture {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final Path dir;
  private final Map<String, ObjectNode> products = new LinkedHashMap<>();
  private final List<String> extraLines = new ArrayList<>();

  public CatalogFixture(Path dir) {
    this.dir = dir;
  }

  public Path dir() {
    return dir;
  }

  public Path catalog() {
    return dir.resolve("catalog.jsonl");
  }

  /** A product with {@code images} generated PNGs named {@code img/<id>-<i>.png}. */
  public ObjectNode add(String id, int images, long seed) {
    ObjectNode node = MAPPER.createObjectNode();
    node.put("id", id);
    node.put("title", "Product " + id);
    node.put("brand", "Brand" + (seed % 3));
    node.put("category", "Shop > Dept" + (seed % 2));
    node.put("price", 10 + seed % 50);
    ArrayNode refs = node.putArray("images");
    for (int i = 0; i < images; i++) {
      String ref = "img/" + id + "-" + i + ".png";
      TestImages.writePng(dir.resolve(ref), seed * 31 + i);
      refs.add(ref);
    }
    products.put(id, node);
    return node;
  }

  /** A product whose images are the given references (files written by the caller, or URLs). */
  public ObjectNode addWithImages(String id, String... refs) {
    ObjectNode node = MAPPER.createObjectNode();
    node.put("id", id);
    node.put("title", "Product " + id);
    ArrayNode array = node.putArray("images");
    for (String ref : refs) {
      array.add(ref);
    }
    products.put(id, node);
    return node;
  }

  public ObjectNode get(String id) {
    return products.get(id);
  }

  public void remove(String id) {
    products.remove(id);
  }

  /** A raw line appended after the products (malformed lines, duplicates). */
  public void addRawLine(String line) {
    extraLines.add(line);
  }

  /** Writes bytes to a file under the catalog folder and returns its reference. */
  public String writeFile(String ref, byte[] bytes) {
    try {
      Path file = dir.resolve(ref);
      Files.createDirectories(file.getParent());
      Files.write(file, bytes);
      return ref;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** (Re)writes the catalog file. */
  public Path write() {
    StringBuilder out = new StringBuilder();
    for (ObjectNode node : products.values()) {
      out.append(node.toString()).append('\n');
    }
    for (String line : extraLines) {
      out.append(line).append('\n');
    }
    try {
      Files.createDirectories(dir);
      return Files.writeString(catalog(), out.toString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public int size() {
    return products.size();
  }
}
