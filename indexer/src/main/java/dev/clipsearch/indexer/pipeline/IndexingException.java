package dev.clipsearch.indexer.pipeline;

/**
 * A bulk run ended on a fatal error (disk full, a model that fails every batch, a bug). The index
 * keeps its last commit; a rerun continues from there.
 */
public final class IndexingException extends Exception {

  public IndexingException(String message, Throwable cause) {
    super(message, cause);
  }
}
