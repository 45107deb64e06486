package dev.clipsearch.indexer.catalog;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The catalog file as a whole cannot be read (missing, unreadable, or a CSV syntax error the parser
 * cannot recover from). Lines read before the error stay valid; the rest of the file is not read.
 */
public final class CatalogException extends IOException {

  public CatalogException(Path catalog, long line, String message, Throwable cause) {
    super(catalog + (line > 0 ? ":" + line : "") + ": " + message, cause);
  }
}
