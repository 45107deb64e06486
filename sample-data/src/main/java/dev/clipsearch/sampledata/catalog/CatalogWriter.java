package dev.clipsearch.sampledata.catalog;

import dev.clipsearch.common.catalog.Product;
import dev.clipsearch.common.catalog.ProductJson;
import dev.clipsearch.common.io.AtomicFiles;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes products as JSON Lines, one product per line in its canonical JSON form ({@link
 * ProductJson#canonical}): {@code id, title, description, brand, category, price, currency, tags,
 * images}, then the free attributes under {@code attributes}, sorted by name. That is the form the
 * index stores, and the indexer reads it back as the same product. The file appears in one rename,
 * so a reader never sees half a catalog.
 */
public final class CatalogWriter {

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
  public static String line(Product p) {
    return ProductJson.canonical(p);
  }
}
