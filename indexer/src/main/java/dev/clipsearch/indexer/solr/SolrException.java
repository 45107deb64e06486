package dev.clipsearch.indexer.solr;

import java.io.IOException;

/**
 * A Solr request failed: Solr answered with an error, or with something clipsearch cannot read. The
 * message names the request's URL and Solr's own error message. An {@link IOException}, so that the
 * Solr stores fail like the embedded one where the store seam declares {@code IOException}.
 */
public class SolrException extends IOException {

  private final int status;

  public SolrException(String message, int status) {
    super(message);
    this.status = status;
  }

  public SolrException(String message, int status, Throwable cause) {
    super(message, cause);
    this.status = status;
  }

  /** The HTTP status Solr answered with, or 0 when no node answered. */
  public int status() {
    return status;
  }
}
