package dev.clipsearch.indexer.catalog;

import java.nio.file.Path;
import java.util.Locale;

/** The catalog file formats, detected from the file name ({@code .gz} is looked through). */
public enum CatalogFormat {
  /** One JSON object per line ({@code .jsonl}, {@code .ndjson}, {@code .json}). */
  JSONL,
  /** Comma-separated with a header line ({@code .csv}). */
  CSV,
  /** Tab-separated with a header line ({@code .tsv}). */
  TSV;

  /** The format the file name says, or an exception naming the file and the known extensions. */
  public static CatalogFormat detect(Path catalog) {
    String name = catalog.getFileName().toString().toLowerCase(Locale.ROOT);
    if (name.endsWith(".gz")) {
      name = name.substring(0, name.length() - 3);
    }
    if (name.endsWith(".jsonl") || name.endsWith(".ndjson") || name.endsWith(".json")) {
      return JSONL;
    }
    if (name.endsWith(".csv")) {
      return CSV;
    }
    if (name.endsWith(".tsv")) {
      return TSV;
    }
    throw new IllegalArgumentException(
        "cannot tell the format of catalog "
            + catalog
            + " from its name: use .jsonl/.ndjson/.json, .csv or .tsv (optionally .gz), or name"
            + " the format explicitly");
  }
}
