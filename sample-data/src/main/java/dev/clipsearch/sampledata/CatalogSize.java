package dev.clipsearch.sampledata;

/** The catalogs a build can write into its output folder. */
public enum CatalogSize {
  /** Every product: {@code catalog.jsonl}. */
  FULL("catalog.jsonl"),
  /** A few hundred products spread over all categories, for tests: {@code catalog-small.jsonl}. */
  SMALL("catalog-small.jsonl");

  private final String fileName;

  CatalogSize(String fileName) {
    this.fileName = fileName;
  }

  /** The catalog's file name in the output folder. */
  public String fileName() {
    return fileName;
  }
}
