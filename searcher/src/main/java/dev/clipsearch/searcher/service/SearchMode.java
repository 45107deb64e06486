package dev.clipsearch.searcher.service;

import java.util.Locale;

/** How a text query ranks products. */
public enum SearchMode {
  /** Cosine similarity between the query's embedding and the product images' embeddings. */
  VECTOR,
  /** Reciprocal rank fusion of the {@link #VECTOR} and {@link #LEXICAL} rankings. */
  HYBRID,
  /** BM25 over title, description, brand and category; the model is not used. */
  LEXICAL;

  /** The lower-case name used on the wire. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
