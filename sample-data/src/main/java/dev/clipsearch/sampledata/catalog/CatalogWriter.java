package dev.clipsearch.sampledata.catalog;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes products as JSON Lines, one object per line with the fields {@code id, title, description,
 * brand, category, price, currency, tags, images} followed by the free attributes in name order.
 * The file appears in one rename, so a reader never sees half a catalog.
 */
public final class CatalogWriter {

  private static final ObjectMapper JSON = new ObjectMapper();

  private CatalogWriter() {}

  /** Writes {@code products} to {@code file}, replacing it. */
  public static void write(Path file, List<Product> products) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    Path temp = Files.createTempFile(parent, "." + file.getFileName(), ".tmp");
    try {
      try (Writer out = Files.newBufferedWriter(temp, StandardCharsets.UTF_8)) {
        for (Product p : products) {
          out.write(line(p));
          out.write('\n');
        }
      }
      try {
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  /** One product as one line of JSON, without the line break. */
  public static String line(Product p) throws IOException {
    StringWriter text = new StringWriter();
    try (JsonGenerator json = JSON.createGenerator(text)) {
      json.writeStartObject();
      json.writeStringField("id", p.id());
      json.writeStringField("title", p.title());
      json.writeStringField("description", p.description());
      json.writeStringField("brand", p.brand());
      json.writeStringField("category", p.category());
      json.writeNumberField("price", p.price());
      json.writeStringField("currency", p.currency());
      writeArray(json, "tags", p.tags());
      writeArray(json, "images", p.images());
      for (Map.Entry<String, String> a : new TreeMap<>(p.attributes()).entrySet()) {
        json.writeStringField(a.getKey(), a.getValue());
      }
      json.writeEndObject();
    }
    return text.toString();
  }

  private static void writeArray(JsonGenerator json, String field, List<String> values)
      throws IOException {
    json.writeArrayFieldStart(field);
    for (String v : values) {
      json.writeString(v);
    }
    json.writeEndArray();
  }
}
