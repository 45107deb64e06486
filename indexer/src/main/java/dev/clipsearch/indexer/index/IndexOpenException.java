package dev.clipsearch.indexer.index;

import java.io.IOException;

/**
 * An index directory cannot be used: not a clipsearch index, written by a newer format, locked by
 * another process, or built with another model. The message names the directory.
 */
public class IndexOpenException extends IOException {

  public IndexOpenException(String message) {
    super(message);
  }

  public IndexOpenException(String message, Throwable cause) {
    super(message, cause);
  }
}
