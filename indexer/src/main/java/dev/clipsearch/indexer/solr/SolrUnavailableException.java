package dev.clipsearch.indexer.solr;

/**
 * No Solr node of the list could be reached (connection refused or timed out on every one). The
 * message names each node and why it failed, so that a wrong URL or a stopped cluster is obvious.
 */
public final class SolrUnavailableException extends SolrException {

  public SolrUnavailableException(String message, Throwable cause) {
    super(message, 0, cause);
  }
}
