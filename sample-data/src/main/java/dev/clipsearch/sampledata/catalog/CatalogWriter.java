package dev.clipsearch.sampledata.catalog;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clipsearch.common.io.AtomicFiles;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
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
    AtomicFiles.write(
        file,
        stream -> {
          Writer out = new OutputStreamWriter(stream, StandardCharsets.UTF_8);
          for (Product p : products) {
            out.write(line(p));
            out.write('\n');
          }
          out.flush();
        });
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
