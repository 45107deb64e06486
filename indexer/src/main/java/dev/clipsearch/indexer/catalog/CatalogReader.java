package dev.clipsearch.indexer.catalog;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Streams a catalog one entry at a time, never holding more than one line in memory. Not
 * thread-safe: one thread reads.
 */
public interface CatalogReader extends Closeable {

  /**
   * The next entry, or null at the end of the file. A malformed line is returned as {@link
   * CatalogItem.Invalid}; only a failure that makes the rest of the file unreadable throws.
   *
   * @throws CatalogException when the rest of the file cannot be read
   */
  CatalogItem next() throws IOException;

  /** Opens a catalog in the given format (plain or gzip-compressed, UTF-8, BOM tolerated). */
  static CatalogReader open(Path catalog, CatalogFormat format) throws IOException {
    return switch (format) {
      case JSONL -> new JsonLinesCatalogReader(catalog);
      case CSV -> new CsvCatalogReader(catalog, ',');
      case TSV -> new CsvCatalogReader(catalog, '\t');
    };
  }

  /** Opens a catalog in the format its name says. */
  static CatalogReader open(Path catalog) throws IOException {
    return open(catalog, CatalogFormat.detect(catalog));
  }
}
