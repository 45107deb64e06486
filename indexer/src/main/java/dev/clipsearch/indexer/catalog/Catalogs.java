package dev.clipsearch.indexer.catalog;

import java.nio.file.Path;

/** Helpers about catalog files that do not need a reader. */
public final class Catalogs {

  private Catalogs() {}

  /**
   * An estimate of the number of products, for progress and ETA: the number of lines, minus the
   * header for CSV and TSV. Exact for JSON Lines without blank lines; an upper bound for CSV with
   * quoted multi-line cells. Returns -1 when unknown.
   */
  public static long estimateProducts(Path catalog, CatalogFormat format) {
    long lines = CatalogFiles.countLines(catalog);
    if (lines < 0) {
      return -1;
    }
    return format == CatalogFormat.JSONL ? lines : Math.max(0, lines - 1);
  }
}
