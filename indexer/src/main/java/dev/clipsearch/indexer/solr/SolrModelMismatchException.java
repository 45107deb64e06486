package dev.clipsearch.indexer.solr;

/**
 * The collection was created for another model (or by something other than clipsearch): vectors of
 * different models live in different spaces and cannot be mixed. The message names both.
 */
public final class SolrModelMismatchException extends SolrException {

  public SolrModelMismatchException(String message) {
    super(message, 0);
  }
}
