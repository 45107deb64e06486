package dev.clipsearch.indexer.solr;

/** The local SolrCloud could not be started; the message says which process and why. */
public final class LocalSolrCloudException extends Exception {

  public LocalSolrCloudException(String message) {
    super(message);
  }

  public LocalSolrCloudException(String message, Throwable cause) {
    super(message, cause);
  }
}
